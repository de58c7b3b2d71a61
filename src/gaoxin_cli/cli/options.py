"""Options and output steps that several command modules share, defined once."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from gaoxin_cli.cli.help import H

JsonOpt = Annotated[bool, typer.Option("--json", help=H("opt.json"))]


def emit_json(doc: Any) -> None:
    """*doc* on stdout as the JSON every ``--json`` prints: UTF-8 text as is, indented."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
