"""Shared fixtures: every test runs with its own GAOXIN_HOME and no stray settings; the
Hypothesis profile; the mini workspace. Plain helpers live in tests/helpers.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import CI_EXAMPLES, DEV_EXAMPLES, MINI, REPO

# CI (CI=true) runs the full fuzzing: the example counts the tests have always had. Locally
# "dev" runs a fifth of them, so the suite stays quick; HYPOTHESIS_PROFILE=ci runs it all.
# A test that sets its own count scales it with helpers.examples().
settings.register_profile("ci", max_examples=CI_EXAMPLES)
settings.register_profile("dev", max_examples=DEV_EXAMPLES)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


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


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A copy of the mini workspace (tests/data/mini) to change freely; modules with a
    workspace of their own define their own ``ws``."""
    target = tmp_path / "ws"
    shutil.copytree(MINI, target)
    return target
