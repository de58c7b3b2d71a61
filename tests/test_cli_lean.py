"""main() builds only the command that runs; it must behave exactly like the full app."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from gaoxin_cli.cli import app, command_named, lean_app

NAMES = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["status"], "status"),
        (["-C", "ws", "--as-of", "2020-06-24", "status", "--unit", "x"], "status"),
        (["-Cws", "--db=a.db", "--lang=en", "countdown"], "countdown"),
        (["--workspace", "status", "overdue"], "overdue"),  # "status" is -C's value here
        (["--lang", "en", "problem", "list"], "problem"),
        (["--help"], None),
        (["--version"], None),
        (["--bogus", "status"], None),
        (["--", "status"], None),
        ([], None),
        (["--db"], None),
    ],
)
def test_command_named(argv: list[str], name: str | None) -> None:
    assert command_named(argv) == name


def test_every_command_has_a_lean_app_with_just_it() -> None:
    assert len(NAMES) > 20
    for name in NAMES:
        lean = typer.main.get_command(lean_app(name))
        assert list(lean.commands) == [name], name  # type: ignore[attr-defined]


def test_unknown_names_get_the_full_app() -> None:
    assert lean_app(None) is app
    assert lean_app("statsu") is app


@pytest.mark.parametrize("name", NAMES)
def test_lean_help_is_the_full_help(name: str) -> None:
    runner = CliRunner()
    full = runner.invoke(app, ["--lang", "en", name, "--help"])
    lean = runner.invoke(lean_app(name), ["--lang", "en", name, "--help"])
    assert full.exit_code == lean.exit_code == 0
    assert lean.output == full.output


@pytest.mark.parametrize(
    ("code", "status", "stderr"), [("None", 0, ""), ("3", 3, ""), ("'boom'", 1, "boom\n")]
)
def test_main_exits_with_the_code_and_flushes(code: str, status: int, stderr: str) -> None:
    import subprocess
    import sys

    prog = (
        f"import sys\nfrom gaoxin_cli.cli import _exit\nsys.stdout.write('kept')\n_exit({code})\n"
    )
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr) == (status, "kept", stderr)
