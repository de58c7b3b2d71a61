"""The console without a terminal (render/console.py PlainConsole) writes what Rich's
console writes: the same text for every print, in the same order, whether a print goes
straight through or is handed to Rich."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from gaoxin_cli.render import console as console_mod
from gaoxin_cli.render.console import PlainConsole, Styled, make_console, plain_stream, styled
from helpers import examples

ROOT = Path(__file__).resolve().parents[1]

# Text as screens print it: CJK, ASCII, spaces, the odd newline, tab or control code
# (which Rich strips or expands: those prints go to Rich).
_chars = st.sampled_from(list("ab Z9·—…牌红黄蓝逾期任务 \n\t\x1b\r\x07"))
_text = st.text(_chars, max_size=40)
_style = st.sampled_from(["", "bold", "dim", "bold red", "bold white on red"])


@st.composite
def _object(draw: st.DrawFn) -> Any:
    value = draw(_text)
    how = draw(st.sampled_from(["str", "text", "spans", "justified", "styled"]))
    if how == "str":
        return value
    if how == "styled":
        return Styled((value, draw(_style)), (draw(_text), draw(_style)))
    if how == "justified":
        return Text(value, justify=draw(st.sampled_from(["left", "right", "center"])))
    out = Text(value, style=draw(_style))
    if how == "spans":
        out.append(draw(_text), style=draw(_style))
    return out


_print = st.tuples(
    st.lists(_object(), max_size=3),
    st.sampled_from([" ", "", " · "]),
    st.sampled_from(["\n", "", "\n\n"]),
    st.sampled_from([{}, {}, {"soft_wrap": True}, {"no_wrap": True}, {"crop": False}]),
)


def _run(console: Any, prints: list[tuple[list[Any], str, str, dict[str, Any]]]) -> None:
    for objects, sep, end, options in prints:
        console.print(*objects, sep=sep, end=end, **options)


@settings(max_examples=examples(400), deadline=None)
@given(prints=st.lists(_print, min_size=1, max_size=5), width=st.integers(4, 60))
def test_plain_console_writes_what_rich_writes(
    prints: list[tuple[list[Any], str, str, dict[str, Any]]], width: int
) -> None:
    plain_out, rich_out = io.StringIO(), io.StringIO()
    plain = PlainConsole(plain_out, width)
    _run(plain, prints)
    _run(console_mod._rich_console(rich_out, width), prints)
    assert plain_out.getvalue() == rich_out.getvalue()


_pair = st.tuples(_text, _style)


@settings(max_examples=examples(300), deadline=None)
@given(pairs=st.lists(_pair, min_size=1, max_size=4), width=st.integers(4, 60))
def test_a_styled_line_draws_in_colour_as_the_text_it_stands_for(
    pairs: list[tuple[str, str]], width: int
) -> None:
    """On a colour terminal a Styled line is the Rich Text the screens built before it:
    one part's ``Text(value, style=style)``, or each part's Text appended to a plain
    one."""
    made = Text()
    for value, style in pairs:
        made.append_text(Text(value, style=style))
    shapes = [made] if len(pairs) > 1 else [made, Text(pairs[0][0], style=pairs[0][1])]
    outs = []
    for shown in (Styled(*pairs), *shapes):
        out = io.StringIO()
        colour = Console(
            file=out,
            width=width,
            force_terminal=True,
            color_system="truecolor",
            markup=False,
            emoji=False,
            highlight=False,
        )
        colour.print(shown)
        outs.append(out.getvalue())
    assert outs[1:] == [outs[0]] * len(shapes)
    # (styles show as colour codes where a styled part has a visible character)
    visible = any(
        style and any(c.isprintable() and not c.isspace() for c in value) for value, style in pairs
    )
    assert "\x1b[" in outs[0] or not visible


def test_styled_is_its_text_made_safe() -> None:
    line = styled("逾期\x1b[31m", "bold")
    assert line == "逾期\\x1b[31m" and line.pairs == (("逾期\\x1b[31m", "bold"),)
    assert Styled(("a", "bold"), (" · ", ""), ("b", "dim")) == "a · b"


def test_lines_that_fit_go_straight_through_and_the_rest_to_rich() -> None:
    out = io.StringIO()
    plain = PlainConsole(out, 20)
    plain.print(Text("红牌 12", style="bold red"), "x")
    assert plain._rich is None  # no Rich console made
    plain.print("一二三四五六七八九十一")  # 22 cells: wrapped by Rich
    assert plain._rich is not None
    plain.print("after")  # from then on through Rich, in order
    assert out.getvalue() == "红牌 12 x\n一二三四五六七八九十\n一\nafter\n"


def test_what_it_does_not_do_itself_its_rich_console_does() -> None:
    out = io.StringIO()
    plain = PlainConsole(out, 33)
    assert plain._rich is None
    assert plain.size.width == 33  # an attribute it lacks: Rich's console's
    assert plain._rich is not None
    with plain.capture() as captured:  # Rich's capture: every print after is Rich's
        plain.print("caught")
    assert captured.get() == "caught\n"
    assert out.getvalue() == ""


def test_make_console_is_plain_only_where_rich_would_write_plain_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in console_mod._TERMINAL_HINTS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = io.StringIO()
    assert plain_stream(stream)
    assert isinstance(make_console(stream), PlainConsole)
    rich = console_mod._rich_console(stream, 80)  # what Rich makes of the same stream
    assert rich.color_system is None and not rich.is_terminal
    assert not rich.options.ascii_only and not rich.legacy_windows
    for name in console_mod._TERMINAL_HINTS:
        monkeypatch.setenv(name, "1")
        assert not isinstance(make_console(io.StringIO()), PlainConsole), name
        monkeypatch.delenv(name)

    class Latin1(io.StringIO):
        encoding = "latin-1"

    assert not isinstance(make_console(Latin1()), PlainConsole)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not isinstance(make_console(Tty()), PlainConsole)


@pytest.mark.parametrize("command", ["status", "overdue"])
def test_piped_daily_screens_do_not_import_rich_console(command: str, tmp_path: Path) -> None:
    """The reason PlainConsole exists: a piped status or overdue never loads
    rich.console (bench/README.md, thirteenth round)."""
    code = (
        "import sys; from gaoxin_cli.cli import lean_app, command_named\n"
        f"sys.argv = ['gaoxin', '-C', {str(ROOT)!r}, '--as-of',"
        f" '2020-11-16', '--db', {str(tmp_path / 'g.db')!r}, {command!r}]\n"
        "app = lean_app(command_named(sys.argv[1:]))\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('rich.console' in sys.modules, file=sys.stderr)\n"
        "print('rich.text' in sys.modules, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in console_mod._TERMINAL_HINTS}
    env["GAOXIN_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip(), done.stderr  # the screen was printed
    *_, console_loaded, text_loaded = done.stderr.strip().splitlines()
    assert console_loaded == "False", done.stderr
    if command == "overdue":  # its lines are Styled: no rich.text either
        assert text_loaded == "False", done.stderr
