"""The command line: ``gaoxin`` (also ``python -m gaoxin_cli``)."""

from __future__ import annotations

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
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - typer maps ^C inside commands to 130
        sys.stderr.write("\n")
        sys.exit(130)
