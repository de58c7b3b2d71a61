"""The command line: ``gaoxin`` (also ``python -m gaoxin_cli``)."""

from __future__ import annotations

import contextlib
import copy
import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from gaoxin_cli.cli.root import GLOBAL_VALUED, stdout_gone
from gaoxin_cli.cli.root import app as _root

if TYPE_CHECKING:
    import typer

__all__ = ["app", "command_named", "lean_app", "main"]

# The root options that take a value (cli/root.py ``_root``), written out: reading them
# from typer would build the click parameters on every run. tests/test_cli_lean.py
# fails when the two differ.
_VALUED = GLOBAL_VALUED

# The modules that register the commands, in the order --help lists them.
MODULES: tuple[str, ...] = ("daily", "escalation", "ledger", "lifecycle", "month", "plan")
MODULES += ("problems", "site", "workdays")
# Which of them registers each command and command group: a run imports only the one it
# needs (~7 ms less start-up than importing all nine). tests/test_cli_lean.py fails
# when this differs from what the modules register.
MODULE_OF = {
    **dict.fromkeys(("status", "countdown", "feedback", "history", "import", "sweep"), "daily"),
    **dict.fromkeys(("overdue", "notify", "notice", "listed", "extend"), "escalation"),
    "ledger": "ledger",
    **dict.fromkeys(("submit", "review", "close", "cancel"), "lifecycle"),
    **dict.fromkeys(("ranking", "flag", "bulletin"), "month"),
    **dict.fromkeys(("validate", "schema", "init"), "plan"),
    "problem": "problems",
    "site": "site",
    "calendar": "workdays",
}


def _registered(*modules: str) -> typer.Typer:
    """The root app with the commands of *modules* registered (imported once each)."""
    for m in modules:
        importlib.import_module(f"gaoxin_cli.cli.{m}")
    return _root


def __getattr__(name: str) -> Any:
    """``app``: the app with every command registered (for tests, docs and --help)."""
    if name == "app":
        return _registered(*MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_named(argv: list[str]) -> str | None:
    """The sub-command *argv* names after the global options, or None when unsure."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif arg.partition("=")[0] in _VALUED or (arg.startswith("-C") and len(arg) > 2):
            continue  # --db=FILE, -Cdir
        elif arg.startswith("-"):
            return None  # --help, --version, "--", an unknown option: the full app decides
        else:
            return arg
    return None


def lean_app(name: str | None) -> typer.Typer:
    """The app with only command *name* registered (the full app if there is none).

    Only the module that registers *name* is imported (:data:`MODULE_OF`), and typer
    builds the click parameters of every registered command on each run — ~20 ms for
    gaoxin's two dozen commands, a tenth of what ``status`` may take — though only one
    of them runs. Help, errors and unknown or misspelt commands go to the full app.
    """
    from typer.main import get_command_name

    module = MODULE_OF.get(name) if name is not None else None
    if module is None:
        return _registered(*MODULES)
    app = _registered(module)
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return _registered(*MODULES)
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def main() -> None:
    """The console script: run the command *argv* names, then exit with its status."""
    # The one decision about the cyclic garbage collector, for the whole run: off. A run
    # builds tens of thousands of long-lived objects (the plan, states, table cells) and
    # almost no reference cycles, so its passes cost time and free nothing. `gaoxin
    # status` on the bench workspace (10,000 tasks, 1,000,000 events), CPU medians of 21
    # alternating runs: 301 ms with the collector on, 231 ms off (both with gc.freeze()
    # before a normal exit; see _exit for the exit).
    gc.disable()
    try:
        lean_app(command_named(sys.argv[1:]))()
    except KeyboardInterrupt:  # pragma: no cover - typer maps ^C inside commands to 130
        sys.stderr.write("\n")
        _exit(130)
    except BrokenPipeError:  # pragma: no cover - commands end on it in cli/root.py
        stdout_gone()
        _exit(0)
    except SystemExit as done:  # click ends every run this way
        _exit(done.code)
    _exit(0)


def _exit(code: object) -> NoReturn:
    """Flush the output and end the process without tearing the interpreter down.

    Every file and database is closed by the time a command returns. What a normal exit
    adds is the interpreter's last garbage collection (it runs even with the collector
    off) and freeing the plan and state objects one by one. `gaoxin status` as above, CPU
    medians: a normal ``sys.exit`` 280 ms; with ``gc.freeze()`` first, so that the last
    collection skips them, 231 ms; ``os._exit`` 221 ms. The status margin over
    Taskwarrior is 5-15 %, so the last 10 ms stay (gaoxin registers no atexit handler).
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): Python prints it and exits 1
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError):  # the reader went away (| head)
            stream.flush()
    os._exit(status)
