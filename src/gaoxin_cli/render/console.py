"""The Rich console and the few building blocks every screen shares.

User text is never markup: the console has markup, emoji codes and highlighting off,
every cell is a :class:`rich.text.Text` or a ``(text, style)`` pair (literal text, never
parsed), and :func:`safe` shows control characters as visible escapes. Colour follows
the terminal: none when piped (cron mail) or NO_COLOR. Tables: ``render/table.py``.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import IO, TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    pass

LEVEL_STYLES = ("dim", "bold blue", "bold yellow", "bold red", "bold white on red")


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich exits 1 here; a closed pipe is the CLI's to end (exit 0, cli/root.py)."""
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    stream = file or sys.stdout
    if width is None and not stream.isatty():
        env = os.environ.get("COLUMNS", "")
        width = int(env) if env.isdigit() and int(env) > 20 else 80
    return _Console(
        file=stream,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
    )


def text(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """User or data text as a Rich Text: literal, control characters escaped."""
    return Text(safe(value, multiline=multiline), style=style)


def level_text(level: int, lang: Lang) -> Text:
    """A card as a short word for table cells ("" for none)."""
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

    console.print(text(t("calendar.estimated", lang, years=year_spans(years)), "yellow"))
