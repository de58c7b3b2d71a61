"""The ``calendar`` group: ``show`` the working days of a year, ``add --notice`` the State
Council's holiday notice as calendar/YYYY.yaml, ``check`` local entries after a
chinesecalendar upgrade."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, settings
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Lang, t

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.cli.app import Settings
    from gaoxin_cli.models import Config


calendar_app = typer.Typer(
    help=H("calendar"), no_args_is_help=True, rich_markup_mode=None, add_completion=False
)
app.add_typer(calendar_app, name="calendar")


def _workspace_config(s: Settings) -> tuple[Path | None, Config | None]:
    """The workspace's root and config, or (None, None) outside a workspace."""
    from gaoxin_cli.loading.paths import find_workspace

    root = find_workspace(s.workspace or s.cwd) if s.workspace is None else None
    if s.workspace is not None or root is not None:
        r, plan = context.plan(s)
        return r, plan.config
    return None, None


def _source_note(cal: WorkCalendar, year: int, lang: Lang, root: Path | None) -> str:
    src = cal.source(year)
    if src == "package":
        from importlib.metadata import version

        return t("calendar.source.package", lang, version=version("chinesecalendar"))
    if src == "local":
        path = Path("calendar") / f"{year}.yaml"
        where = str(path) if root is not None and (root / path).is_file() else "gaoxin.yaml"
        return t("calendar.source.local", lang, where=where)
    return t("calendar.source.estimate", lang)


@calendar_app.command("show", help=H("calendar.show"))
def show(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Argument(help=H("calendar.year"), min=2000, max=2100, show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.calendar import WorkCalendar

    s = settings(ctx)
    root, config = _workspace_config(s)
    y = year or s.today().year
    if config is not None:
        c = config.calendar
        # Showing a year is how one looks at an estimate: never an error here.
        cal = context.register(WorkCalendar(c.rest, c.work, c.years, estimate=True))
        local = [(d, "rest") for d in config.calendar.rest if d.year == y]
        local += [(d, "work") for d in config.calendar.work if d.year == y]
    else:
        cal = context.register(WorkCalendar(estimate=True))
        local = []
    from gaoxin_cli.render import calendar_view as view

    if as_json:
        emit_json(view.show_json(cal, y))
        return
    note = _source_note(cal, y, s.lang, root)
    view.show(context.console(), cal, y, s.lang, source_note=note, local=sorted(local))


def _read_notice(notice: str) -> str:
    if notice == "-":
        data = sys.stdin.buffer.read()
        name = "-"
    else:
        path = Path(notice)
        if not path.is_file():
            raise UsageError("error.calendar_notice_missing", path=notice)
        data = path.read_bytes()
        name = notice
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GaoxinError("error.calendar_notice_encoding", path=name)  # pragma: no cover


def _write_atomically(target: Path, content: str) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@calendar_app.command("add", help=H("calendar.add"))
def add(
    ctx: typer.Context,
    notice: Annotated[
        str,
        typer.Option("--notice", metavar="FILE|-", help=H("calendar.notice"), show_default=False),
    ],
    write: Annotated[bool, typer.Option("--write", help=H("calendar.write"))] = False,
    force: Annotated[bool, typer.Option("--force", help=H("calendar.force"))] = False,
) -> None:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.loading.holiday_notice import notice_yaml, parse_notice
    from gaoxin_cli.loading.paths import CALENDAR_DIR, require_workspace
    from gaoxin_cli.render import calendar_view as view
    from gaoxin_cli.render.console import text

    s = settings(ctx)
    lang = s.lang
    root = require_workspace(s.workspace or s.cwd)
    parsed = parse_notice(_read_notice(notice))
    year = parsed.year
    cal = WorkCalendar(parsed.rest, parsed.work, [year])
    console = context.console()
    note = t("calendar.source.notice", lang, n=len(parsed.holidays))
    view.show(console, cal, year, lang, source_note=note)
    package = WorkCalendar()
    if package.has_year(year):
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        days = [date.fromordinal(n) for n in range(first, last + 1)]
        differ = [d for d in days if cal.is_workday(d) != package.is_workday(d)]
        key = "calendar.add_package_differs" if differ else "calendar.add_package_agrees"
        shown = "、".join(d.isoformat() for d in differ[:10])
        console.print(text(t(key, lang, year=year, n=len(differ), days=shown), "yellow"))
    target = root / CALENDAR_DIR / f"{year}.yaml"
    rel = f"{CALENDAR_DIR}/{year}.yaml"
    if target.exists() and not force:
        raise GaoxinError("error.calendar_file_exists", path=rel)
    if not write:
        interactive = notice != "-" and sys.stdin.isatty() and sys.stdout.isatty()
        if not interactive or not typer.confirm(t("calendar.add_confirm", lang, path=rel)):
            sys.stdout.write(t("calendar.add_not_written", lang, path=rel) + "\n")
            return
    _write_atomically(target, notice_yaml(parsed))
    sys.stdout.write(t("calendar.add_written", lang, path=rel) + "\n")


@calendar_app.command("check", help=H("calendar.check"))
def check(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.loading.files import load_calendar_file, shown_path
    from gaoxin_cli.loading.paths import calendar_files
    from gaoxin_cli.render import calendar_view as view
    from gaoxin_cli.rules import calendar_check as rules

    s = settings(ctx)
    root, plan = context.plan(s)
    files = []
    for path in calendar_files(root):
        cal, _ = load_calendar_file(path, shown_path(path, root))
        if cal is not None:
            rel = path.relative_to(root).as_posix()
            files.append(rules.file_days(rel, cal.year, cal.rest, cal.work))
    c = plan.config.calendar
    found = rules.check(
        files,
        rules.own_entries(c.rest, files, "rest"),
        rules.own_entries(c.work, files, "work"),
        [y for y in c.years if y not in rules.years_of(files)],
    )
    if as_json:
        emit_json({"findings": view.findings_json(found)})
    else:
        view.findings(context.console(), found, s.lang)
    if found:
        raise typer.Exit(1)
