"""The Excel 台账: ``ledger export`` (docs/ledger.md describes the workbook)."""

from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli import choices, context
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import emit_written
from gaoxin_cli.cli.root import command_group, settings
from gaoxin_cli.errors import GaoxinError, UsageError

ledger_app = command_group("ledger", H("ledger"))


@ledger_app.command("export", help=H("ledger.export"))
def export(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=H("ledger.opt.output"),
            dir_okay=False,
            show_default=False,
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", "-u", metavar="UNIT", help=H("ledger.opt.unit"), show_default=False),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", "-p", metavar="PERIOD", help=H("ledger.opt.period"), show_default=False
        ),
    ] = None,
) -> None:
    from gaoxin_cli.ranking.period import Period, Span
    from gaoxin_cli.service import ledger as service

    if output.suffix.lower() != ".xlsx":
        raise UsageError("error.ledger_not_xlsx", path=str(output))
    s = settings(ctx)
    sess = context.session(s)
    units = choices.units(sess.config, unit)
    if period is None:
        month = Period.containing(sess.today, "month")
        span = Span(month.start, month.end, month)
    else:
        span = Span.parse(period)
    result = service.export_rows(sess, units, span)
    from gaoxin_cli.render import ledger_xlsx as view

    try:
        view.write_ledger(output, result, s.lang)
    except OSError as exc:
        raise GaoxinError(
            "error.write_output", path=str(output), reason=exc.strerror or exc
        ) from exc
    emit_written(view.written(str(output), result, s.lang), s.lang)
