"""Smoke test of the benchmark generator (bench/gen.py): its workspaces validate clean."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from gaoxin_cli.cli import app

GEN_PATH = Path(__file__).resolve().parent.parent / "bench" / "gen.py"


def _load_gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_gen", GEN_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_generated_workspace_validates_clean(tmp_path: Path) -> None:
    gen = _load_gen()
    ws = tmp_path / "ws"
    gen.write_workspace(ws, gen.Spec(tasks=50, files=3, units=5, seed=7))

    result = CliRunner().invoke(app, ["-C", str(ws), "validate", "--strict"])
    assert result.exit_code == 0, result.output

    plans = sorted((ws / "plans").glob("*.yaml"))
    assert len(plans) == 3
    ids = sum(p.read_text(encoding="utf-8").count("\n  - id: ") for p in plans)
    assert ids == 50
