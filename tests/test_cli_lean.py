"""main() builds only the command that runs; it must behave exactly like the full app."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

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


def test_command_named_knows_every_root_option_that_takes_a_value() -> None:
    """``_VALUED`` repeats the root callback's options (reading them from the callback
    would mean building its click parameters on every run, before typer does)."""
    from gaoxin_cli.cli import _VALUED

    root = typer.main.get_command(app)
    valued = {o for p in root.params if not getattr(p, "is_flag", True) for o in p.opts}
    assert valued == _VALUED


def _run_main(body: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``main()`` in a child, the command replaced by *body* (a function of no argument)."""
    prog = (
        "import sys\n"
        "import gaoxin_cli.cli as cli\n"
        f"cli.lean_app = lambda name: ({body})\n"
        "cli.main()\n"
    )
    return subprocess.run([sys.executable, "-c", prog], text=True, **kwargs)


@pytest.mark.parametrize(
    ("code", "status", "stderr"), [("None", 0, ""), ("3", 3, ""), ("'boom'", 1, "boom\n")]
)
def test_main_exits_with_the_code_and_flushes(code: str, status: int, stderr: str) -> None:
    out = _run_main(f"lambda: (sys.stdout.write('kept'), sys.exit({code}))", capture_output=True)
    assert (out.returncode, out.stdout, out.stderr) == (status, "kept", stderr)


def test_main_drops_output_to_a_reader_that_went_away() -> None:
    """``gaoxin status | head -1``: no "Exception ignored … BrokenPipeError" at exit."""
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "import gaoxin_cli.cli as cli\n"
            "def run():\n"
            "    time.sleep(0.2)\n"  # the reader is gone by now
            "    sys.stdout.write('x' * 100)\n"  # buffered: written by main's flush
            "    sys.exit(0)\n"
            "cli.lean_app = lambda name: run\n"
            "cli.main()\n",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        err = child.stderr.read()
        assert (child.wait(), err) == (0, "")


def test_module_of_names_the_module_registering_each_command() -> None:
    from gaoxin_cli.cli import MODULE_OF, MODULES

    assert sorted(MODULE_OF) == NAMES
    assert set(MODULE_OF.values()) == set(MODULES)
    for c in app.registered_commands:
        name = c.name or typer.main.get_command_name(c.callback.__name__)  # type: ignore[union-attr]
        assert c.callback is not None
        assert c.callback.__module__ == f"gaoxin_cli.cli.{MODULE_OF[name]}", name
    for g in app.registered_groups:
        assert g.typer_instance is not None
        modules = {
            c.callback.__module__ for c in g.typer_instance.registered_commands if c.callback
        }
        assert modules == {f"gaoxin_cli.cli.{MODULE_OF[g.name or '']}"}, g.name


def test_a_run_imports_only_the_module_of_its_command() -> None:
    prog = (
        "import sys\n"
        "import gaoxin_cli.cli as cli\n"
        "from typer.main import get_command\n"
        "names = list(get_command(cli.lean_app(sys.argv[1])).commands)\n"
        "mods = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('gaoxin_cli.cli.'))\n"
        "print(names, [m for m in mods if m in cli.MODULES])\n"
    )
    for name, modules in [
        ("status", ["daily"]),
        ("overdue", ["escalation"]),
        ("ranking", ["month"]),
        ("problem", ["problems"]),
        ("calendar", ["workdays"]),
    ]:
        out = subprocess.run(
            [sys.executable, "-c", prog, name], text=True, capture_output=True, check=True
        ).stdout
        assert out == f"[{name!r}] {modules!r}\n", out
