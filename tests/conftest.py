"""Shared fixtures: every test runs with its own GAOXIN_HOME and no stray settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("gaoxin-home")
    monkeypatch.setenv("GAOXIN_HOME", str(home))
    for var in ("GAOXIN_LANG", "GAOXIN_TODAY", "GAOXIN_WORKSPACE", "GAOXIN_DB", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def repo() -> Path:
    return REPO
