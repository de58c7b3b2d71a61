"""The Rich console and the few building blocks every screen shares.

User text is never markup: the console has markup, emoji codes and highlighting off,
every cell is a :class:`rich.text.Text` or a ``(text, style)`` pair (literal text, never
parsed), and :func:`safe` shows control characters as visible escapes. Colour follows
the terminal: none when piped (cron mail) or NO_COLOR. Tables: ``render/table.py``.

Without a terminal the console is a :class:`PlainConsole`: it writes the lines that fit
straight through and hands everything else to a Rich console made when first needed, so
a piped ``status`` or ``overdue`` (cron, a file, a script) never imports
``rich.console`` (~10 ms of a 120 ms run on a 10,000-task plan). The lines such a screen
prints with styles are :class:`Styled` strings, which need no ``rich.text`` to print
plain (another ~5 ms of imports).
"""

from __future__ import annotations

import errno
import os
import sys
from typing import IO, TYPE_CHECKING, Any, cast

from rich.cells import cell_len

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

LEVEL_STYLES = ("dim", "bold blue", "bold yellow", "bold red", "bold white on red")

# What makes Rich treat a stream that is not a terminal as one, or colour it anyway
# (rich.console.Console.is_terminal, _detect_color_system): with any of these set, every
# console is Rich's own.
_TERMINAL_HINTS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def _rich_console(stream: IO[str], width: int | None) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """Rich exits 1 here; a closed pipe is the CLI's to end (exit 0, cli/root.py)."""
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console(
        file=stream,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
    )


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    stream = file or sys.stdout
    if width is None and not stream.isatty():
        env = os.environ.get("COLUMNS", "")
        width = int(env) if env.isdigit() and int(env) > 20 else 80
    if width is not None and plain_stream(stream):
        # Duck-typed: whatever it does not do itself, its Rich console does.
        return cast("Console", PlainConsole(stream, width))
    return _rich_console(stream, width)


def plain_stream(stream: IO[str]) -> bool:
    """Would Rich write to *stream* without colour or terminal controls, in UTF-8? Not a
    terminal, nothing in the environment that says otherwise, not Jupyter or IDLE, not
    Windows (whose consoles Rich detects its own way)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    return (
        not stream.isatty()
        and encoding.startswith("utf")
        and sys.platform != "win32"
        and not any(name in os.environ for name in _TERMINAL_HINTS)
        and "IPython" not in sys.modules
        and not getattr(sys.stdin, "__module__", "").startswith("idlelib")
    )


class _Options:
    """What :func:`~gaoxin_cli.render.table.print_table` reads of Rich's options."""

    ascii_only = False  # the stream is UTF-8 (plain_stream)


class PlainConsole:
    """A console without colour that writes what Rich's would, for the prints that need
    no layout: ``print`` of text (str or :class:`~rich.text.Text`, no other options)
    whose every line is printable and fits the width goes straight to the stream, as
    Rich writes it (styles dropped, no colour). Any other print, and every other
    attribute, goes to a Rich console on the same stream, made at the first need; from
    then on every print goes there, so the output stays in order whatever Rich buffers.
    tests/test_render_console.py holds the two to the same text."""

    color_system = None
    legacy_windows = False
    record = False
    quiet = False
    is_terminal = False
    tab_size = 8
    options = _Options()

    def __init__(self, file: IO[str], width: int) -> None:
        self.file = file
        self.width = width
        self._rich: Console | None = None

    @property
    def rich(self) -> Console:
        """The Rich console on the same stream (made now if it was not)."""
        if self._rich is None:
            self._rich = _rich_console(self.file, self.width)
        return self._rich

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", **options: Any) -> None:
        line = None if options or self._rich is not None else self._plain(objects, sep)
        if line is None:
            self.rich.print(*objects, sep=sep, end=end, **options)
            return
        self.file.write(line + end)
        self.file.flush()  # as Rich does: stdout and stderr stay in order in a cron mail

    def _plain(self, objects: tuple[Any, ...], sep: str) -> str | None:
        """The text of *objects* when it can be written as it is, else None."""
        parts = []
        # No object is a Text unless rich.text was imported (a Styled line does not need it)
        text_module = sys.modules.get("rich.text")
        for o in objects:
            if isinstance(o, str):
                parts.append(o)  # str or Styled (its text: the styles are colour)
            elif text_module is not None and isinstance(o, text_module.Text):
                parts.append(o.plain)  # (print joins them as plain text: no justify)
            else:
                return None
        joined = sep.join(parts)
        for line in joined.split("\n"):
            if not line.isprintable():
                return None
            if (len(line) if line.isascii() else cell_len(line)) > self.width:
                return None
        return joined


class Styled(str):
    """A line of text with styles, printed without ``rich.text`` where there is no
    colour: the string is the text (what a :class:`PlainConsole` writes), ``__rich__``
    the Rich Text a colour console draws (``Text.assemble`` of the *pairs*).

    For lines a screen only prints; *pairs* are ``(text, style)``, the text already made
    safe (:func:`styled` makes one pair safe)."""

    pairs: tuple[tuple[str, str], ...]

    def __new__(cls, *pairs: tuple[str, str]) -> Styled:
        line = super().__new__(cls, "".join(text for text, _ in pairs))
        line.pairs = pairs
        return line

    def __rich__(self) -> Text:
        from rich.text import Text

        return Text.assemble(*self.pairs)


def styled(value: object, style: str = "") -> Styled:
    """User or data text as a :class:`Styled` line: literal, control characters escaped."""
    return Styled((safe(value), style))


def text(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """User or data text as a Rich Text: literal, control characters escaped."""
    from rich.text import Text

    return Text(safe(value, multiline=multiline), style=style)


def level_text(level: int, lang: Lang) -> Text:
    """A card as a short word for table cells ("" for none)."""
    from rich.text import Text

    return Text(t(f"levelshort.{level}", lang) if level else "", style=LEVEL_STYLES[level])


def level_cell(level: int, lang: Lang) -> tuple[str, str]:
    """:func:`level_text` as a table cell."""
    return (t(f"levelshort.{level}", lang) if level else ""), LEVEL_STYLES[level]


def card_width(lang: Lang) -> int:
    return max(cell_len(t(f"levelshort.{i}", lang)) for i in range(1, 5))


def fixed(header: str, minimum: int = 4) -> int:
    """Minimum width of a fixed column: never narrower than its header."""
    return max(minimum, cell_len(header))


def bar(progress: float, width: int = 10, style: str = "green") -> Text:
    """A progress bar drawn with block characters, then the percentage."""
    from rich.text import Text

    p = max(0.0, min(100.0, progress))
    eighths = round(p / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    filled = "█" * full + partial
    out = Text(filled, style=style)
    out.append("·" * (width - len(filled)), style="dim")
    out.append(f" {p:3.0f}%")
    return out


def pct_cell(value: float) -> tuple[str, str]:
    """A percentage as a table cell."""
    return f"{value:.0f}%", ""


def estimate_note(console: Console, years: list[int], lang: Lang) -> None:
    """One line under a header: which years' working days are estimated."""
    from gaoxin_cli.calendar import year_spans

    console.print(styled(t("calendar.estimated", lang, years=year_spans(years)), "yellow"))
