"""Docs generated from the code stay in step with it (cog), and every command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from cogapp import Cog

from gaoxin_cli.cli import app
from gaoxin_cli.i18n.catalogue import MESSAGES

REPO = Path(__file__).resolve().parent.parent
COGGED = ["docs/commands.md", "docs/validation.md"]


@pytest.mark.parametrize("name", COGGED)
def test_generated_docs_are_current(name: str) -> None:
    ret = Cog().main(["cog", "--check", str(REPO / name)])
    assert ret == 0, f"{name} is stale: run python3 -m cogapp -r {name}"


def test_every_command_is_documented() -> None:
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"## gaoxin {name}\n" in text, name  # sub-commands get ### headings


def test_every_diagnostic_code_is_documented() -> None:
    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    codes = [k[5:] for k in MESSAGES if k.startswith("diag.")]
    assert len(codes) > 40
    for code in codes:
        assert f"| {code} |" in text, code
