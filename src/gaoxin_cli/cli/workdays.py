"""The ``calendar`` group: ``show`` the working days of a year, ``add --notice`` the State
Council's holiday notice as calendar/YYYY.yaml, ``check`` local entries after a
chinesecalendar upgrade."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.cli.root import command_group, settings
from gaoxin_cli.errors import GaoxinError, UsageError

if TYPE_CHECKING:
    from gaoxin_cli.cli.root import Settings
    from gaoxin_cli.service.session import Session


calendar_app = command_group("calendar", H("calendar"))


def _session(s: "Settings") -> "Session | None":
    """The workspace's session, or None outside a workspace (``show`` still works)."""
    from gaoxin_cli.loading.paths import find_workspace

    if s.workspace is None and find_workspace(s.cwd) is None:
        return None
    return context.session(s)


@calendar_app.command("show", help=H("calendar.show"))
def show(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Argument(help=H("calendar.year"), min=2000, max=2100, show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.service import calendar as service

    s = settings(ctx)
    sess = _session(s)
    view_of = service.year_view(sess, year or s.today().year)
    if sess is None:
        context.register(view_of.calendar)
    from gaoxin_cli.render import calendar_view as view

    if as_json:
        emit_json(view.show_json(view_of))
    else:
        view.show(context.console(), view_of, s.lang)


def _read_notice(notice: str) -> str:
    if notice == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(notice)
        if not path.is_file():
            raise UsageError("error.calendar_notice_missing", path=notice)
        data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GaoxinError("error.calendar_notice_encoding", path=notice)  # pragma: no cover


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
    from gaoxin_cli.loading.paths import require_workspace
    from gaoxin_cli.render import calendar_view as view
    from gaoxin_cli.service import calendar as service

    s = settings(ctx)
    root = require_workspace(s.workspace or s.cwd)
    read = service.read_notice(root, _read_notice(notice))
    view.notice(context.console(), read, s.lang)
    if read.exists and not force:
        raise GaoxinError("error.calendar_file_exists", path=read.relative)
    if not write:
        interactive = notice != "-" and sys.stdin.isatty() and sys.stdout.isatty()
        if not interactive or not typer.confirm(view.confirm_question(read, s.lang)):
            sys.stdout.write(view.not_written(read, s.lang) + "\n")
            return
    service.write_notice(read, force=force)
    sys.stdout.write(view.written(read, s.lang) + "\n")


@calendar_app.command("check", help=H("calendar.check"))
def check(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.render import calendar_view as view
    from gaoxin_cli.service import calendar as service

    s = settings(ctx)
    found = service.check(context.session(s))
    if as_json:
        emit_json({"findings": view.findings_json(found)})
    else:
        view.findings(context.console(), found, s.lang)
    if found:
        raise typer.Exit(1)
