"""The plain listings of the escalation screens: a header, a rule, rows cut to fit.

``overdue``, ``listed`` and ``notice list`` print thousands of rows on a big plan, where
``rich.table.Table`` took seconds; :func:`grid` lays them out by hand (see its docstring).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.console import LEVEL_STYLES
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from rich.console import Console

Cell = tuple[str, str]  # (text, style): text already made safe
_TEXT = itemgetter(0)


def cell(value: object, style: str = "") -> Cell:
    return safe(value), style


def level_cell(level: int, lang: Lang) -> Cell:
    return (t(f"levelshort.{level}", lang) if level else ""), LEVEL_STYLES[level]


def fit(value: str, width: int) -> str:
    """*value* cut to *width* cells with "…" (a double-width character that would
    straddle the edge becomes a space, as Rich does)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(value) <= width:
        return value
    return set_cell_size(value, width - 1) + "…"


def grid(
    console: Console,
    columns: Sequence[tuple[str, str, int]],
    rows: Sequence[Sequence[Cell]],
    flex: int,
    title: str | None = None,
) -> None:
    """Print a table that fits the console: every column as wide as its widest cell (up
    to its cap, 0 = none, or past it when the table fits anyway), the *flex* column (the
    title) gets what is left, long cells cut with "…". *columns* are ``(header, justify,
    cap)``; cells ``(text, style)`` with the text already made safe.

    Drawn by hand rather than with ``rich.table.Table``: a listing can run to thousands
    of rows (every late task of a big plan), where Table's measuring and wrapping took
    seconds; the layout is that of the other screens (header, a rule, rows). Styled on a
    colour terminal; else (a pipe, cron mail, NO_COLOR) written straight through as
    plain text. A listing repeats itself (dates, units, rungs): each distinct text of a
    column is measured and cut once."""
    from rich.cells import cell_len

    header = [(name, "bold") for name, _, _ in columns]
    texts = [
        [name, *map(_TEXT, map(itemgetter(i), rows))] for i, (name, _, _) in enumerate(columns)
    ]
    # Printable ASCII (task ids, dates, counts) is one cell a character.
    sizes = [
        {v: len(v) if v.isascii() and v.isprintable() else cell_len(v) for v in set(col)}
        for col in texts
    ]
    natural = [max(size.values()) for size in sizes]
    widths = [min(w, cap) if cap else w for (_, _, cap), w in zip(columns, natural, strict=True)]
    # A cap keeps a column from crowding the title out; when the whole table fits
    # even so, the capped columns take the room left over, up to their widest cell.
    spare = console.width - sum(widths) - 3 * (len(columns) - 1)
    for i, w in enumerate(widths):
        if spare <= 0:
            break
        grow = min(spare, natural[i] - w)
        widths[i] += grow
        spare -= grow
    used = sum(w for i, w in enumerate(widths) if i != flex) + 3 * (len(columns) - 1)
    widths[flex] = max(4, min(widths[flex], console.width - used))
    last = len(columns) - 1
    # per column: text → (the text as shown, the padding that follows or precedes it)
    shown: list[dict[str, tuple[str, str]]] = []
    for size, width in zip(sizes, widths, strict=True):
        cut = {}
        for value, n in size.items():
            fitted = fit(value, width) if n > width else value
            cut[value] = fitted, " " * (width - (n if n <= width else cell_len(fitted)))
        shown.append(cut)
    rule = "─" * min(console.width, sum(widths) + 3 * last)
    if console.color_system is None:
        plain = []
        for i, ((_, justify, _), cut) in enumerate(zip(columns, shown, strict=True)):
            if justify == "right":
                cells = {v: pad + fitted for v, (fitted, pad) in cut.items()}
            elif i < last:
                cells = {v: fitted + pad for v, (fitted, pad) in cut.items()}
            else:
                cells = {v: fitted for v, (fitted, _) in cut.items()}
            plain.append(list(map(cells.__getitem__, texts[i])))
        lines = list(map("   ".join, zip(*plain, strict=True)))
        head = [title] if title else []
        console.file.write("\n".join([*head, lines[0], rule, *lines[1:]]) + "\n")
        console.file.flush()
        return
    out: list[Cell] = []
    add = out.append

    def line(cells: Sequence[Cell]) -> None:
        for i, ((_, justify, _), (value, style), cut) in enumerate(
            zip(columns, cells, shown, strict=True)
        ):
            value, pad = cut[value]
            if i:
                add(("   ", ""))
            if justify == "right":
                add((pad, ""))
                add((value, style))
            else:
                add((value, style))
                if i < last:
                    add((pad, ""))

    if title:
        add((title + "\n", "italic"))
    line(header)
    add(("\n" + rule, ""))
    for r in rows:
        add(("\n", ""))
        line(r)
    from rich.text import Text

    console.print(Text.assemble(*out), soft_wrap=True)
