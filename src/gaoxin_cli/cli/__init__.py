"""The command line: ``gaoxin`` (also ``python -m gaoxin_cli``)."""

from __future__ import annotations

import gc
import sys

from gaoxin_cli.cli import (  # noqa: F401  (register the commands)
    daily,
    escalation,
    lifecycle,
    month,
    plan,
)
from gaoxin_cli.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    # A run is short and builds many small objects but few reference cycles (parsed
    # plans, states, table cells): the cyclic collector's passes cost 10–20 % of the run
    # and would free almost nothing, so a run goes without it.
    gc.disable()
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - typer maps ^C inside commands to 130
        sys.stderr.write("\n")
        sys.exit(130)
