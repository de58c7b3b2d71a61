"""Every message catalogue and the help table, checked the same way: each key written once
(across all blocks of a module, and across modules), both languages present, the same
placeholders in zh and en; every help key the CLI asks for exists and none is unused."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "gaoxin_cli"
CATALOGUES = [*sorted((SRC / "i18n").glob("catalogue*.py")), SRC / "i18n" / "help_text.py"]


def literal_keys(path: Path) -> list[str]:
    """The string keys of every dict literal in *path* (``MESSAGES = {…}``,
    ``MESSAGES.update({…})``, ``HELP = {…}``), duplicates kept: a dict literal silently
    keeps the last of two equal keys, so only the source can show them."""
    keys = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Dict):
            keys += [k.value for k in node.keys if isinstance(k, ast.Constant)]
    return [k for k in keys if isinstance(k, str)]


def table(path: Path) -> dict[str, tuple[str, str]]:
    import importlib

    module = importlib.import_module(f"gaoxin_cli.i18n.{path.stem}")
    found = getattr(module, "MESSAGES", None) or module.HELP
    assert isinstance(found, dict)
    return found


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_each_key_once_both_languages_same_placeholders(path: Path) -> None:
    keys = literal_keys(path)
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"{path.name} defines these keys twice: {twice}"
    for key, value in table(path).items():
        assert isinstance(value, tuple) and len(value) == 2, key
        zh, en = value
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_no_key_is_in_two_catalogues() -> None:
    from gaoxin_cli.i18n import _catalogue

    _catalogue()  # raises KeyError naming the clash
    seen: dict[str, str] = {}
    for path in CATALOGUES[:-1]:
        for key in table(path):
            assert key not in seen, f"{key} is in {seen.get(key)} and {path.name}"
            seen[key] = path.name


def test_every_help_key_asked_for_exists_and_none_is_unused() -> None:
    from gaoxin_cli.i18n.help_text import HELP

    used: set[str] = set()
    for path in (SRC / "cli").glob("*.py"):
        used |= set(re.findall(r'\bH\("([^"]+)"\)', path.read_text("utf-8")))
    assert used - HELP.keys() == set()
    assert HELP.keys() - used == set(), "help texts nobody shows"
