"""The command line: ``gaoxin`` (also ``python -m gaoxin_cli``)."""

from __future__ import annotations

import copy
import gc
import os
import sys

import typer
from typer.main import get_command_name

from gaoxin_cli.cli import (  # noqa: F401  (register the commands)
    daily,
    escalation,
    lifecycle,
    month,
    plan,
    workdays,
)
from gaoxin_cli.cli.app import app

__all__ = ["app", "command_named", "lean_app", "main"]

# The root options that take a value (cli/app.py ``_root``), written out: reading them
# from typer would build the click parameters on every run. tests/test_cli_lean.py
# fails when the two differ.
_VALUED = frozenset({"-C", "--workspace", "--db", "--as-of", "--lang"})


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

    Typer builds the click parameters of every registered command on each run — ~20 ms
    for gaoxin's two dozen commands, a tenth of what ``status`` may take — though only one
    of them runs. Help, errors and unknown or misspelt commands go to the full app.
    """
    if name is None:
        return app
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def main() -> None:
    """The console script: run the command *argv* names, then exit with its status."""
    # The one decision about the cyclic garbage collector, for the whole run. A run builds
    # tens of thousands of long-lived objects (the plan, states, table cells) and almost
    # no reference cycles: the collector's passes cost time and free nothing. Figures:
    # CPU medians of `gaoxin status` on the bench workspace (10,000 tasks, 1,000,000
    # events), 21 alternating runs, load 2-5:
    # - off while the command runs: 301 ms with it on, 231 ms off;
    # - frozen before the interpreter exits, whose last collection walks every object
    #   even with the collector off: 280 ms unfrozen, 231 ms frozen.
    # Skipping the teardown altogether (os._exit) saved ~10 ms more (221 ms): not enough
    # to skip atexit handlers and the ordinary SystemExit.
    gc.disable()
    try:
        lean_app(command_named(sys.argv[1:]))()  # click ends every run with SystemExit
    except KeyboardInterrupt:  # pragma: no cover - typer maps ^C inside commands to 130
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    finally:
        _flush()
        gc.freeze()


def _flush() -> None:
    """Flush stdout and stderr. Output to a reader that went away (``| head``) is dropped:
    what is left goes to /dev/null, or Python would fail on it again at exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
