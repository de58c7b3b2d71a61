"""Options and output steps that several command modules share, defined once."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli.help import H
from gaoxin_cli.errors import UsageError
from gaoxin_cli.i18n import Lang

JsonOpt = Annotated[bool, typer.Option("--json", help=H("opt.json"))]

XlsxOpt = Annotated[
    Path | None,
    typer.Option("--xlsx", metavar="FILE", help=H("opt.xlsx"), dir_okay=False, show_default=False),
]


def xlsx_alone(xlsx: Path | None, **given: bool) -> None:
    """``--xlsx FILE`` is an output of its own (``status``, ``overdue``, ``countdown``,
    ``ranking``, ``problem list``): an .xlsx path, with none of the other outputs
    (*given*: option name → whether it was given, ``json=as_json``)."""
    if xlsx is None:
        return
    for name, on in given.items():
        if on:
            raise UsageError("error.xlsx_with", option=f"--{name}")
    if xlsx.suffix.lower() != ".xlsx":
        raise UsageError("error.xlsx_suffix", path=str(xlsx))


def emit_json(doc: object) -> None:
    """*doc* on stdout as the JSON every ``--json`` prints: UTF-8 text as is, indented,
    with ``calendar_estimated`` (the years this run had to estimate, [] when none)."""
    from gaoxin_cli.cli import context
    from gaoxin_cli.render.json_text import indented

    context.keep(doc)  # let go with the process: `status --json` of a city is 100,000 rows
    sys.stdout.write(indented(context.with_estimates(doc)))


def emit_written(line: str, lang: Lang) -> None:
    """The "written FILE" line of a file export on stderr, and under it which years the
    figures in the file estimated (a workbook cannot carry the screen's header note)."""
    from gaoxin_cli.cli import context

    sys.stderr.write(line)
    years = context.estimated_years()
    if years:
        from gaoxin_cli.calendar import year_spans
        from gaoxin_cli.i18n import t

        sys.stderr.write(t("calendar.estimated", lang, years=year_spans(years)) + "\n")
