"""The Typer application, its global options and the one error boundary.

This is the only place that reads argv, the environment and the clock. Everything a
command needs from them is in :class:`Settings`.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from gaoxin_cli import __version__
from gaoxin_cli.cli.help import H
from gaoxin_cli.errors import (
    EXIT_BUG,
    EXIT_USAGE,
    GaoxinError,
    UsageError,
)
from gaoxin_cli.i18n import Lang, initial_lang, parse_lang, t


@dataclass(slots=True)
class Settings:
    """Global options after parsing: workspace, database, as-of date, language."""

    workspace: Path | None
    db: Path | None
    as_of: date | None
    lang: Lang
    cwd: Path

    def today(self) -> date:
        """ "Today": --as-of, else GAOXIN_TODAY, else the clock."""
        if self.as_of is not None:
            return self.as_of
        env = os.environ.get("GAOXIN_TODAY")
        if env:
            return parse_date_option(env, "GAOXIN_TODAY")
        return date.today()


def parse_date_option(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("error.bad_date", value=value) from None


def log_dir() -> Path:
    home = os.environ.get("GAOXIN_HOME")
    if home:
        return Path(home)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "gaoxin"


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    if isinstance(obj, Settings):
        return obj
    # Commands invoked without the callback (tests calling a sub-app directly).
    return Settings(None, None, None, initial_lang(), Path.cwd())


def _echo_err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def report_error(err: GaoxinError, lang: Lang) -> None:
    from gaoxin_cli.render.text import safe

    _echo_err(f"Error: {safe(err.message(lang), multiline=True)}")
    if err.hint is not None:
        sep = "：" if lang == "zh" else ": "
        _echo_err(
            f"{t('error.hint_prefix', lang)}{sep}{safe(err.hint.render(lang), multiline=True)}"
        )


def report_bug(exc: BaseException, lang: Lang) -> None:
    """Short message on stderr; the traceback goes to a log file, never to the screen."""
    text = "".join(traceback.format_exception(exc))
    target = log_dir() / "error.log"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as fh:
            fh.write(f"--- gaoxin {__version__} argv={sys.argv!r}\n{text}\n")
    except OSError:
        import tempfile

        fd, name = tempfile.mkstemp(prefix="gaoxin-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        target = Path(name)
    _echo_err("Error: " + t("error.unexpected", lang, kind=type(exc).__name__, log=str(target)))


def _passthrough(exc: BaseException) -> bool:
    """Exceptions Typer itself turns into exit codes (usage errors, Exit, Abort, EPIPE)."""
    module = type(exc).__module__ or ""
    return module.startswith(("typer", "click")) or isinstance(exc, BrokenPipeError)


class GaoxinGroup(TyperGroup):
    """Translates errors once, at the boundary: GaoxinError → its exit code, bug → 3."""

    # Typer builds every context of this app as typer.Context (a subclass of the vendored
    # click Context the base class names), so the narrower type is what arrives.
    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GaoxinError as e:
            obj = ctx.obj
            report_error(e, obj.lang if isinstance(obj, Settings) else initial_lang())
            raise typer.Exit(e.exit_code) from None
        except Exception as e:
            if _passthrough(e):
                raise
            obj = ctx.obj
            report_bug(e, obj.lang if isinstance(obj, Settings) else initial_lang())
            raise typer.Exit(EXIT_BUG) from None


app = typer.Typer(
    cls=GaoxinGroup,
    name="gaoxin",
    help=H("app"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"gaoxin {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--workspace",
            envvar="GAOXIN_WORKSPACE",
            help=H("opt.workspace"),
            show_default=False,
            file_okay=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", envvar="GAOXIN_DB", help=H("opt.db"), show_default=False, dir_okay=False
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help=H("opt.as_of"), show_default=False),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", envvar="GAOXIN_LANG", metavar="zh|en", help=H("opt.lang"), show_default=False
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=H("opt.version")),
    ] = False,
) -> None:
    chosen = parse_lang(lang) if lang is not None else "zh"
    if chosen is None:
        report_error(UsageError("error.bad_lang", value=lang), initial_lang())
        raise typer.Exit(EXIT_USAGE)
    try:
        as_of_date = parse_date_option(as_of, "--as-of") if as_of is not None else None
    except UsageError as e:
        report_error(e, chosen)
        raise typer.Exit(EXIT_USAGE) from None
    ctx.obj = Settings(workspace, db, as_of_date, chosen, Path.cwd())
    from gaoxin_cli.cli import context  # a run starts with no calendar estimates

    context.reset_run()
