"""The Typer application, its global options and the one error boundary.

This is the only place that reads argv, the environment and the clock. Everything a
command needs from them is in :class:`Settings`.
"""

import io
import os
import re
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Annotated, Any, NamedTuple

import typer
import typer.core
from typer._click.exceptions import ClickException
from typer.core import TyperCommand, TyperGroup

from gaoxin_cli import __version__
from gaoxin_cli.cli.help import HELP_LANG, H
from gaoxin_cli.errors import (
    EXIT_BUG,
    EXIT_USAGE,
    GaoxinError,
    UsageError,
)
from gaoxin_cli.i18n import Lang, initial_lang, parse_lang, t
from gaoxin_cli.i18n.click_text import GETTEXT_ZH, click_zh


class Settings(NamedTuple):
    """Global options after parsing: workspace, database, as-of date, language. (A named
    tuple, not a dataclass: every command makes the class at start-up.)"""

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


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_option(value: str, name: str) -> date:
    """A date written YYYY-MM-DD, the one form gaoxin reads and prints.

    ``date.fromisoformat`` alone would also take 20200630 and 2020-W26-2 (Python 3.11),
    which the message for a bad date does not offer.
    """
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError("error.bad_date", value=value) from None


def parse_progress_option(value: str) -> float:
    """``-p 45``, ``-p 45%``: read as the events import reads a progress cell."""
    from gaoxin_cli.strings import percent_text

    progress = percent_text(value)
    if progress is None:
        raise UsageError("error.bad_progress", value=value)
    return progress


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


def error_prefix(lang: Lang) -> str:
    """The start of every error line, click's and gaoxin's alike."""
    return "错误：" if lang == "zh" else "Error: "


def report_error(err: GaoxinError, lang: Lang) -> None:
    from gaoxin_cli.render.text import safe

    _echo_err(f"{error_prefix(lang)}{safe(err.message(lang), multiline=True)}")
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
    _echo_err(
        error_prefix(lang) + t("error.unexpected", lang, kind=type(exc).__name__, log=str(target))
    )


def _passthrough(exc: BaseException) -> bool:
    """Exceptions Typer itself turns into exit codes (usage errors, Exit, Abort)."""
    module = type(exc).__module__ or ""
    return module.startswith(("typer", "click"))


def stdout_gone() -> None:
    """The reader of stdout went away (``gaoxin status | head -1``): point stdout at
    /dev/null, so that what is still buffered, and the last flush, go nowhere quietly
    (https://docs.python.org/3/library/signal.html#note-on-sigpipe). The run then ends
    with exit 0 and nothing on stderr, as ``cat`` or ``grep`` would under ``head``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's captured stdout)
        pass


def _typer_gettext(message: str) -> str:
    return GETTEXT_ZH.get(message, message)


if HELP_LANG == "zh":
    # typer/core.py names gettext's ``_`` for its section titles and [default: …] marks.
    typer.core._ = _typer_gettext  # type: ignore[attr-defined]


class TranslatedClickError(ClickException):
    """A click usage error shown in Chinese: the same text, click's English rewritten."""

    def __init__(self, original: ClickException) -> None:
        super().__init__(original.message)
        self.original = original
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        buffer = io.StringIO()
        self.original.show(buffer)
        (file or sys.stderr).write(click_zh(buffer.getvalue()))


def _translated(err: ClickException, lang: Lang) -> ClickException:
    if lang != "zh" or isinstance(err, TranslatedClickError):
        return err
    return TranslatedClickError(err)


def _help_in_lang(text: str) -> str:
    return click_zh(text) if HELP_LANG == "zh" else text


_SENTENCE_END = re.compile(r"。|\.(?=\s|$)")


def first_sentence(help_text: str) -> str:
    """A command's summary in the command list: the first sentence of its help, whole.

    click cuts the help at 45 characters and its first ". ", which in Chinese (。) never
    comes: ``notify  每日督办（供 cron...``. A sentence too long for the line wraps.
    """
    paragraph = help_text.strip().split("\n\n", 1)[0]
    end = _SENTENCE_END.search(paragraph)
    sentence = paragraph[: end.end()] if end else paragraph
    return " ".join(sentence.split())


def _short_help(command: typer.core.TyperCommand | TyperGroup) -> str:
    if command.short_help:
        return command.short_help.strip()
    return first_sentence(command.help or "")


_TYPE_METAVAR = {
    "integer": "N",
    "int": "N",
    "float": "X",
    "directory": "DIR",
    "file": "FILE",
    "path": "PATH",
}


def upper_metavars(params: list[Any]) -> None:
    """One style for what an argument or option takes: an upper-case name (TASK, UNIT,
    N, FILE, DIR), never Typer's ``{task}`` or ``<str>``. Explicit metavars stay."""
    for p in params:
        if p.metavar is not None or getattr(p, "is_flag", False) or getattr(p, "count", False):
            continue
        if isinstance(p, typer.core.TyperArgument):
            p.metavar = (p.name or "").upper()
        else:
            p.metavar = _TYPE_METAVAR.get(p.type.name.strip("<>"), (p.name or "").upper())


class GaoxinCommand(TyperCommand):
    """A command whose --help page has click's own words in the help language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        upper_metavars(self.params)

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        # Typer writes a required argument {TASK}; click and the help page write TASK.
        return [p.replace("{", "").replace("}", "") for p in super().collect_usage_pieces(ctx)]

    def get_help(self, ctx: typer.Context) -> str:  # type: ignore[override]
        return _help_in_lang(super().get_help(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return _short_help(self)


class GaoxinTyper(typer.Typer):
    """typer.Typer whose commands are :class:`GaoxinCommand` unless told otherwise."""

    def command(  # type: ignore[override]
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return super().command(name, cls=cls or GaoxinCommand, **kwargs)


# The root options (``_root`` below) that take a value. No command has an option of the
# same name (tests/test_cli_lean.py checks), so after a command they can only mean these.
GLOBAL_VALUED = frozenset({"-C", "--workspace", "--db", "--as-of", "--lang"})


def hoist_globals(args: list[str]) -> list[str]:
    """*args* with the global options written after the command moved before it.

    ``gaoxin status --as-of 2020-06-24`` is what people type first; click would only
    take it as ``gaoxin --as-of 2020-06-24 status``. Only the root's own valued options
    move (``--as-of D``, ``--as-of=D``, ``-C DIR``, ``-CDIR``), each with its value, in
    their order; nothing after ``--`` moves.
    """
    head: list[str] = []
    i = 0
    while i < len(args):  # the globals already before the command stay where they are
        arg = args[i]
        if arg in GLOBAL_VALUED:
            head += args[i : i + 2]
            i += 2
        elif arg.startswith("-") and arg != "--":
            head.append(arg)
            i += 1
        else:
            break
    moved: list[str] = []
    rest: list[str] = []
    tail = args[i:]
    j = 0
    while j < len(tail):
        arg = tail[j]
        if arg == "--":
            rest += tail[j:]
            break
        if arg in GLOBAL_VALUED and j + 1 < len(tail):
            moved += tail[j : j + 2]
            j += 2
            continue
        if arg.partition("=")[0] in GLOBAL_VALUED or (arg.startswith("-C") and len(arg) > 2):
            moved.append(arg)
        else:
            rest.append(arg)
        j += 1
    return head + moved + rest if moved else args


class GaoxinGroup(TyperGroup):
    """Translates errors once, at the boundary: GaoxinError → its exit code, bug → 3.

    click's own usage errors pass through in the user's language.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        upper_metavars(self.params)

    def get_help(self, ctx: typer.Context) -> str:  # type: ignore[override]
        return _help_in_lang(super().get_help(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return _short_help(self)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> typer.Context:
        if parent is None:
            args = hoist_globals(args)
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[return-value]
        except ClickException as e:
            raise _translated(e, initial_lang()) from None

    # Typer builds every context of this app as typer.Context (a subclass of the vendored
    # click Context the base class names), so the narrower type is what arrives.
    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GaoxinError as e:
            obj = ctx.obj
            report_error(e, obj.lang if isinstance(obj, Settings) else initial_lang())
            raise typer.Exit(e.exit_code) from None
        except ClickException as e:
            obj = ctx.find_root().obj
            raise _translated(
                e, obj.lang if isinstance(obj, Settings) else initial_lang()
            ) from None
        except BrokenPipeError:  # click would exit 1 on it
            stdout_gone()
            raise typer.Exit(0) from None
        except Exception as e:
            if _passthrough(e):
                raise
            obj = ctx.obj
            report_bug(e, obj.lang if isinstance(obj, Settings) else initial_lang())
            raise typer.Exit(EXIT_BUG) from None


_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
app = GaoxinTyper(
    cls=GaoxinGroup,
    name="gaoxin",
    help=H("app"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=_CONTEXT,
)


def command_group(name: str, help: str) -> GaoxinTyper:
    """The group ``gaoxin NAME …`` with its *help* (``H(key)``: the key written out, so
    tests/test_catalogues.py sees it used), added to :data:`app`."""
    group = GaoxinTyper(
        cls=GaoxinGroup,
        name=name,
        help=help,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings=_CONTEXT,
    )
    app.add_typer(group, name=name)
    return group


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
            "--lang", envvar="GAOXIN_LANG", metavar="LANG", help=H("opt.lang"), show_default=False
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
