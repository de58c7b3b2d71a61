"""Tables as every screen draws them, fast on a console without colour.

Every screen draws its tables one way: rich.table.Table(title=…, title_justify="left",
box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False). Rich measures and renders every
cell through its generic machinery, about 0.3 ms a row here: 40 ms for the dashboard
and seconds for a listing of thousands of rows. On a console without colour (a pipe,
cron mail, a file) :func:`print_table` lays the table out itself by Rich's own rules —
the column widths of ``Table._calculate_column_widths`` (measure, collapse the columns
that wrap, then reduce evenly, measure again), each cell cut, padded and aligned as
``Text.wrap`` does it — and writes the same text Rich would. A cell that has to wrap is
wrapped by ``Text.wrap`` itself. Anything else — colour, a title that would wrap, a
table wider than the console, an ASCII-only terminal — goes to rich.table.Table.
tests/test_render_table.py holds the two to the same output on random tables.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

TableCell = str | tuple[str, str] | Text  # text, (text, style) or a Rich Text


class Column(NamedTuple):
    """A table column, with the options of ``rich.table.Table.add_column`` used here.
    (A named tuple: made in a tenth of a frozen dataclass's time at every start-up.)"""

    header: str
    justify: Literal["left", "right"] = "left"
    no_wrap: bool = False
    overflow: Literal["ellipsis", "fold", "crop"] = "ellipsis"
    min_width: int | None = None
    max_width: int | None = None
    style: str = ""
    header_style: str = ""
    ratio: int | None = None


def print_table(
    console: "Console",
    columns: Sequence[Column],
    rows: Sequence[Sequence[TableCell]],
    title: str | None = None,
) -> None:
    """Print *rows* under *columns* as the Rich table described above."""
    if _plain_console(console):
        lines = plain_table(console, columns, rows, title)
        if lines is not None:
            console.file.write("\n".join(lines) + "\n")
            console.file.flush()
            return
    console.print(rich_table(columns, rows, title))


def rich_table(
    columns: Sequence[Column], rows: Iterable[Sequence[TableCell]], title: str | None = None
) -> "Table":
    """The table as a rich.table.Table."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False
    )
    for c in columns:
        table.add_column(
            c.header,
            justify=c.justify,
            no_wrap=c.no_wrap,
            overflow=c.overflow,
            min_width=c.min_width,
            max_width=c.max_width,
            style=c.style,
            header_style=c.header_style,
            ratio=c.ratio,
        )
    for row in rows:
        table.add_row(*(Text(c[0], style=c[1]) if isinstance(c, tuple) else c for c in row))
    return table


def _plain_console(console: "Console") -> bool:
    """No colour and nothing else that would change the table's text.

    Rich has no public reader for a console's markup and emoji switches: they are read
    from its private ``_markup`` and ``_emoji``, and taken as on when missing (then Rich
    draws every table: right, only slow). tests/test_render_table.py fails when the
    console of :func:`~gaoxin_cli.render.console.make_console` stops taking this path.
    """
    from gaoxin_cli.render.console import PlainConsole

    if isinstance(console, PlainConsole):
        return True  # made only where Rich's would be all of the below
    return (
        console.color_system is None
        and getattr(console, "_markup", True) is False  # cells and titles are not markup
        and getattr(console, "_emoji", True) is False
        and not console.legacy_windows
        and not console.record
        and not console.quiet
        and not console.options.ascii_only
    )


def plain_table(
    console: "Console",
    columns: Sequence[Column],
    rows: Sequence[Sequence[TableCell]],
    title: str | None = None,
) -> list[str] | None:
    """The lines Rich would print for the table on *console* without colour, or None when
    the table needs what only Rich does (a title that wraps, a table wider than the
    console, a very narrow console, cells with their own justify/overflow/wrap).

    A listing repeats itself (dates, units, "N working days"), so each distinct text of
    a column is measured and shaped once, and the rows are put together from those."""
    n = len(columns)
    if not n or any(len(row) != n for row in rows):
        return None
    try:
        # per column: the header, then the cells, as the text Rich lays out
        texts = [
            [
                _strip(columns[i].header),
                *(c[0] if type(c) is tuple and c[0].isprintable() else _plain(c) for c in cells),
            ]
            for i, cells in enumerate(zip(*rows, strict=True) if rows else [()] * n)
        ]
    except _NotPlain:
        return None
    avail = max(0, console.width - (n - 1))  # Table: widths exclude the n - 1 dividers
    if avail < 1:
        return None
    pads = [(i > 0) + (i < n - 1) for i in range(n)]  # padding (0, 1), pad_edge=False
    sizes = [{text: _width(text) for text in set(plain)} for plain in texts]
    measures = [{_measure_text(text, size) for text, size in d.items()} for d in sizes]

    def measure(i: int, width: int) -> int:
        c = columns[i]
        return _measure_column(measures[i], pads[i], c.min_width, c.max_width, width)

    widths = [measure(i, avail) or 1 for i in range(n)]
    if sum(widths) > avail:
        widths = _collapse_widths(widths, [not c.no_wrap for c in columns], avail)
        if sum(widths) > avail:
            widths = _ratio_reduce(sum(widths) - avail, [1] * n, widths, widths)
        widths = [measure(i, w) for i, w in enumerate(widths)]
    table_width = sum(widths) + n - 1
    inner = [w - p for w, p in zip(widths, pads, strict=True)]
    if table_width > console.width or min(inner) < 1:
        return None
    out: list[str] = []
    if title:
        head = _strip(title)
        size = _width(head)
        if "\n" in head or "\t" in head or size > table_width or len(head) > table_width:
            return None  # Rich would wrap it
        out.append(head + " " * (table_width - size))
    shaped: list[list[str | list[str]]] = []  # per column, every cell as its line(s)
    multiline = False
    try:
        for i, column in enumerate(columns):
            shape = _cell_lines(console, column, inner[i], " " if i else "", " " * (i < n - 1))
            done = {text: shape(text, size) for text, size in sizes[i].items()}
            multiline = multiline or any(type(lines) is list for lines in done.values())
            shaped.append(list(map(done.__getitem__, texts[i])))
    except _NotPlain:
        return None
    rule = "─" * table_width
    if not multiline:
        lines = list(map(" ".join, zip(*shaped, strict=True)))
        return [*out, lines[0], rule, *lines[1:]]
    for r, parts in enumerate(zip(*shaped, strict=True)):
        stack = [[p] if isinstance(p, str) else p for p in parts]
        height = max(map(len, stack))
        for i, lines in enumerate(stack):
            if len(lines) < height:
                blank = [" " * widths[i]] * (height - len(lines))
                stack[i] = blank + lines if r == 0 else lines + blank  # header: at the bottom
        out.extend(map(" ".join, zip(*stack, strict=True)))
        if r == 0:
            out.append(rule)
    return out


class _NotPlain(Exception):
    """A cell the plain layout does not reproduce: let Rich draw the table."""


def _strip(text: str) -> str:
    """What ``Text(text)`` keeps: Rich drops BEL, BS, VT, FF and CR."""
    return text if text.isprintable() else strip_control_codes(text)


def _plain(cell: TableCell) -> str:
    """The text Rich lays out for *cell*; :class:`_NotPlain` for a Text with its own
    layout."""
    if type(cell) is tuple:
        return _strip(cell[0])
    if isinstance(cell, str):
        return _strip(cell)
    if (
        isinstance(cell, Text)
        and cell.justify is None
        and cell.overflow is None
        and cell.no_wrap is None
        and cell.tab_size is None
    ):
        return cell.plain
    raise _NotPlain


def _width(text: str) -> int:
    """Cells on the terminal (``rich.cells.cell_len``); printable ASCII is one a char."""
    if text.isascii() and text.isprintable():
        return len(text)
    return cell_len(text)


def _measure_text(text: str, size: int) -> tuple[int, int]:
    """``Text.__rich_measure__``: the longest word and the longest line, in cells (*size*:
    the width of the whole text)."""
    if text.isprintable() and " " not in text:  # one word on one line
        return size, size
    lines = text.splitlines()
    longest = max(map(cell_len, lines)) if lines else 0
    words = text.split()
    return (max(map(cell_len, words)) if words else longest), longest


def _normalize(lo: int, hi: int) -> tuple[int, int]:
    """``Measurement.normalize``."""
    lo = min(max(0, lo), hi)
    return max(0, lo), max(0, max(lo, hi))


def _measure_cell(lo: int, hi: int, pad: int, width: int) -> tuple[int, int]:
    """``Measurement.get`` of ``Padding(Text)`` (a table cell) at *width*, from the
    text's own measurement *lo*, *hi*."""
    if width - pad < 1:
        lo = hi = width
    else:
        lo, hi = _normalize(lo, hi)
        lo, hi = min(lo, width), min(hi, width)
        lo, hi = (0, 0) if hi < 1 else _normalize(lo, hi)
        lo, hi = min(lo + pad, width), min(hi + pad, width)
    lo, hi = _normalize(lo, hi)
    lo, hi = min(lo, width), min(hi, width)
    return (0, 0) if hi < 1 else _normalize(lo, hi)


def _measure_column(
    measures: Iterable[tuple[int, int]],
    pad: int,
    min_width: int | None,
    max_width: int | None,
    width: int,
) -> int:
    """The widest the column asks for at *width* (``Table._measure_column().maximum``)."""
    if width < 1:
        return 0
    cells = [_measure_cell(lo, hi, pad, width) for lo, hi in measures]
    lo = min(max(c[0] for c in cells), width)
    hi = min(max(c[1] for c in cells), width)
    if min_width is not None:
        least = max(0, min_width + pad)
        lo, hi = max(lo, least), max(hi, least)
    if max_width is not None:
        lo, hi = min(lo, max_width + pad), min(hi, max_width + pad)
    return hi


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """``Table._collapse_widths``: narrow the widest wrapping columns first."""
    total_width = sum(widths)
    excess_width = total_width - max_width
    if any(wrapable):
        while total_width and excess_width > 0:
            max_column = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second_max_column = max(
                w if wrap and w != max_column else 0
                for w, wrap in zip(widths, wrapable, strict=True)
            )
            column_difference = max_column - second_max_column
            ratios = [
                (1 if (w == max_column and wrap) else 0)
                for w, wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not column_difference:
                break
            max_reduce = [min(excess_width, column_difference)] * len(widths)
            widths = _ratio_reduce(excess_width, ratios, max_reduce, widths)
            total_width = sum(widths)
            excess_width = total_width - max_width
    return widths


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """``rich._ratio.ratio_reduce``: take *total* from *values* in proportion to *ratios*."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    total_remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * total_remaining / total_ratio))
            result.append(value - distributed)
            total_remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _cell_lines(
    console: "Console", column: Column, width: int, left: str, right: str
) -> Callable[[str, int], str | list[str]]:
    """A cell's text → its line (or lines), *width* cells plus the padding, as Rich's
    ``Text.wrap`` and ``Padding`` make it."""
    right_justify = column.justify == "right"
    ellipsis = column.overflow == "ellipsis"
    no_wrap = column.no_wrap

    def cut(text: str) -> str:  # Text.truncate, too long
        return set_cell_size(text, width - 1) + "…" if ellipsis else set_cell_size(text, width)

    def wrapped(text: str) -> list[str]:
        lines = Text(text).wrap(
            console,
            width,
            justify=column.justify,
            overflow=column.overflow,
            tab_size=console.tab_size or 8,
            no_wrap=no_wrap,
        )
        out = []
        for line in lines:
            plain = line.plain
            size = _width(plain)
            if size > width:
                raise _NotPlain
            out.append(left + plain + " " * (width - size) + right)
        return out

    def lines(text: str, size: int) -> str | list[str]:
        """*size*: the width of *text*."""
        if "\n" in text or "\t" in text:
            return wrapped(text)
        if not no_wrap and (size > width or len(text) > width):
            return wrapped(text)
        if right_justify:
            text = text.rstrip()
            size = _width(text)
            if size > width:
                text, size = cut(text), width
            return left + " " * (width - size) + text + right
        if size > width:
            return left + cut(text) + right
        return left + text + " " * (width - size) + right

    return lines
