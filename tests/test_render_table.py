"""The plain table layout writes what rich.table.Table writes.

``render.table.print_table`` lays out tables itself on a console without colour (the
dashboard, countdown and their golden files) and leaves the rest to Rich. These tests
draw random tables both ways — Chinese and Latin text, spaces, lines that must wrap,
cells cut with "…", every column option the screens use, narrow and wide consoles — and
require the same text, byte for byte, whenever the plain layout takes the table.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from gaoxin_cli.render.table import Column, TableCell, plain_table, print_table, rich_table
from helpers import examples

ALPHABET = "abcxyz019 -·%█▏…宽字测试体甲乙"


def console(width: int, *, color: bool = False) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def by_rich(
    width: int, columns: list[Column], rows: list[list[TableCell]], title: str | None
) -> str:
    c = console(width)
    c.print(rich_table(columns, rows, title))
    out = c.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


columns_st = st.builds(
    Column,
    header=st.text(ALPHABET, max_size=8),
    justify=st.sampled_from(["left", "right"]),
    no_wrap=st.booleans(),
    overflow=st.sampled_from(["ellipsis", "fold", "crop"]),
    min_width=st.none() | st.integers(0, 14),
    max_width=st.none() | st.integers(1, 24),
    ratio=st.none() | st.just(1),
    style=st.just(""),  # named: builds() would draw any text for a named tuple's field
    header_style=st.just(""),
)
text_st = st.text(ALPHABET, max_size=30) | st.text(ALPHABET + "\n\t", max_size=40)
cell_st = (
    text_st
    | st.tuples(text_st, st.sampled_from(["", "bold", "dim"]))
    | text_st.map(lambda s: Text(s, style="bold"))
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[int, list[Column], list[list[TableCell]], str | None]:
    columns = draw(st.lists(columns_st, min_size=1, max_size=6))
    rows = draw(
        st.lists(st.lists(cell_st, min_size=len(columns), max_size=len(columns)), max_size=6)
    )
    title = draw(st.none() | st.text(ALPHABET, max_size=40))
    width = draw(st.integers(8, 130))
    return width, columns, rows, title


@settings(max_examples=examples(300), deadline=None)
@given(tables())
def test_plain_layout_equals_rich(
    table: tuple[int, list[Column], list[list[TableCell]], str | None],
) -> None:
    width, columns, rows, title = table
    lines = plain_table(console(width), columns, rows, title)
    if lines is not None:
        assert "\n".join(lines) + "\n" == by_rich(width, columns, rows, title)


@settings(max_examples=examples(200), deadline=None)
@given(tables(), st.booleans())
def test_print_table_prints_what_rich_prints(
    table: tuple[int, list[Column], list[list[TableCell]], str | None], color: bool
) -> None:
    width, columns, rows, title = table
    c = console(width, color=color)
    print_table(c, columns, rows, title)
    ref = console(width, color=color)
    ref.print(rich_table(columns, rows, title))
    assert c.file.getvalue() == ref.file.getvalue()  # type: ignore[attr-defined]


def test_the_screens_tables_take_the_plain_layout() -> None:
    """Tables like the dashboard's, too wide for 80 columns: columns are cut evenly
    and the wrapping column folds, all without Rich."""
    columns = [
        Column("牌", no_wrap=True, min_width=4),
        Column("任务", no_wrap=True, min_width=5),
        Column("名称", overflow="ellipsis", no_wrap=True, max_width=13),
        Column("牵头", overflow="ellipsis", no_wrap=True, max_width=6),
        Column("进度", justify="right", no_wrap=True, min_width=4),
        Column("原因", overflow="fold", min_width=12),
    ]
    rows: list[list[TableCell]] = [
        [
            ("问责", "bold white on red"),
            f"ZD-0{i}907",
            ("建成新能源汽车充电桩示范" * (i + 1), ""),
            "专班35",
            Text(f"{90 + i}%"),
            ("红牌督办回复期限 2020-06-08 已过\n逾期 119 个工作日（时限 2020-05-26）", ""),
        ]
        for i in range(3)
    ]
    for width in (70, 80, 100, 160):
        lines = plain_table(console(width), columns, rows, "最需要关注")
        assert lines is not None, width
        assert "\n".join(lines) + "\n" == by_rich(width, columns, rows, "最需要关注")
    narrow = [
        Column("任务", no_wrap=True),
        Column("名称", no_wrap=True),
        Column("工作日", no_wrap=True),
    ]
    many: list[list[TableCell]] = [
        [f"JS-{i:05d}", "开展科创中心招商引资", "已过 119 个工作日"] for i in range(50)
    ]
    lines = plain_table(console(30), narrow, many)
    assert lines is not None
    assert "\n".join(lines) + "\n" == by_rich(30, narrow, many, None)


def test_the_screens_console_takes_the_plain_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain layout reads Rich's private ``Console._markup`` and ``_emoji`` (there is
    no public reader): if a Rich release renames them, the screens would silently fall
    back to rich.table — right, but seconds slower on long listings. This fails first."""
    from gaoxin_cli.render import table as table_mod
    from gaoxin_cli.render.console import make_console

    def no_rich(*args: object, **kwargs: object) -> None:
        raise AssertionError("drawn by rich.table, not by the plain layout")

    monkeypatch.setattr(table_mod, "rich_table", no_rich)
    out = io.StringIO()
    print_table(make_console(out, width=40), [Column("任务"), Column("进度")], [["A-1", "5%"]])
    assert out.getvalue().splitlines()[1].startswith("───")
    for switch in ("markup", "emoji"):
        on = {"markup": switch == "markup", "emoji": switch == "emoji"}
        other = Console(file=io.StringIO(), color_system=None, highlight=False, **on)
        assert not table_mod._plain_console(other), switch  # markup or emoji: Rich draws


def test_safe_passes_printable_text_through_unchanged() -> None:
    """``safe`` returns printable text as it is, without the escaping pass: every
    character it escapes is non-printable (controls, bidi and line separators)."""
    from gaoxin_cli.render import text as text_mod
    from gaoxin_cli.strings import CONTROL, CONTROL_CHARS, CONTROL_MULTILINE

    printable = "".join(filter(str.isprintable, map(chr, range(0x110000))))
    assert not CONTROL.search(printable)
    assert not CONTROL_MULTILINE.search(printable)
    assert not any(ch.isprintable() for ch in CONTROL_CHARS)
    assert text_mod.safe("建设局 a\x1b[31m") == "建设局 a\\x1b[31m"
