"""Helpers the CLI tests share: run a command, compare a whole output with a golden file.

Plain functions (``from helpers import run, golden``): pytest puts ``tests/`` on the path.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
BENCH = REPO / "bench"
MINI = TESTS / "data" / "mini"
GOLDEN = TESTS / "data" / "golden"
# GAOXIN_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
UPDATE = os.environ.get("GAOXIN_UPDATE_GOLDEN") == "1"
# A two-unit office (the 督查室 and 建设局) with one leader: the config of the small
# workspaces the escalation tests build.
TWO_UNIT_CONFIG = """\
org: {name: 测试区管委会, short: 测试区, office: duchashi}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {name: 张主任, email: head@duchashi.example.org}
    contact: {name: 李联络, email: contact@duchashi.example.org}
  jianshe:
    name: 建设局
    head: {name: 王局长, email: head@jianshe.example.org}
    contact: {name: 赵联络, email: contact@jianshe.example.org}
leaders:
  L-wang: {name: 王主任, title: 管委会主任, email: wang@gaoxin.example.org}
"""

# The Excel 台账's headers, in order, as docs/ledger.md states the contract; spelled out here
# (not imported from the code) so a change on either side fails the tests.
LEDGER_HEADERS = [
    "任务编号",
    "任务名称",
    "牵头/配合",
    "措施",
    "完成时限",
    "工作体系",
    "本期节点",
    "上次进度(%)",
    "当前牌",
    "本期进度(%)",
    "进展情况",
    "存在问题",
    "下步计划",
    "实际开工日期",
    "填报人",
]

# Hypothesis examples per test (conftest.py's profiles): "ci" is Hypothesis's default,
# what the suite always ran; "dev" a fifth of it.
CI_EXAMPLES = 100
DEV_EXAMPLES = 20


def run(ws: Path, *args: str, columns: int = 80) -> tuple[int, str, str]:
    """``gaoxin -C WS ARGS…`` in-process: exit code, stdout, stderr (apart)."""
    result = CliRunner().invoke(app, ["-C", str(ws), *args], env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout, result.stderr


def example_workspace(root: Path) -> Path:
    """A copy of the repository's example workspace (gaoxin.yaml and plans/) at *root*."""
    root.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", root / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", root / "plans")
    return root


def golden(name: str, actual: str) -> None:
    """*actual* must equal tests/data/golden/NAME, byte for byte."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"


def examples(n: int) -> int:
    """How many Hypothesis examples a test that wants *n* runs: *n* under the ``ci``
    profile (the full fuzzing), a fifth of it under ``dev`` (conftest.py picks)."""
    from hypothesis import settings

    return max(10, n * settings.default.max_examples // CI_EXAMPLES)


def gaoxin(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gaoxin_cli ARGS`` in a fresh interpreter (help texts are chosen at
    import, so each language needs its own process)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "80"}
    env.pop("GAOXIN_LANG", None)
    if lang is not None:
        env["GAOXIN_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "gaoxin_cli", *args],
        text=True,
        capture_output=True,
        env=env,
        check=False,
    )


def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` as a module (``gen``, ``ranking_bench`` …), loaded once per run:
    the generators the tests share with the benchmarks. ``bench/`` goes on the path, as
    ``ranking_bench`` imports ``gen``; the module is in ``sys.modules`` before it runs,
    as dataclasses look their module up while being built."""
    key = f"bench_{name}"
    if key in sys.modules:
        return sys.modules[key]
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(key, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


def generated_city(
    root: Path,
    *,
    tasks: int,
    files: int,
    units: int,
    seed: int,
    events: int,
    extras: bool = False,
) -> tuple[Path, Path]:
    """A generated workspace under *root*/ws and its database *root*/g.db, filled with a
    history of *events* reports up to 2020-11-16 (with *extras*, also the cards, returns
    and extensions of ``ranking_bench.other_events``). Returns (workspace, database)."""
    import random
    from datetime import date

    from gaoxin_cli.store import Store

    gen, rb = bench_module("gen"), bench_module("ranking_bench")
    as_of = date(2020, 11, 16)
    ws = gen.write_workspace(
        root / "ws", gen.Spec(tasks=tasks, files=files, units=units, seed=seed)
    )
    hist = gen.make_events(ws, gen.EventSpec(events=events, as_of=as_of))
    made = [rb.to_event(r) for r in hist.rows]
    if extras:
        made += rb.other_events(ws, hist.done, random.Random(seed), until=as_of)
    db = root / "g.db"
    with Store.open(db, write=True) as st:
        st.add_unique(made, [f"k{i}" for i in range(len(made))])
    return ws.root, db


def shape(value: object) -> object:
    """*value* with the type of every record and tuple in it, to compare exactly (a
    record equals a plain tuple of its values; here they differ)."""
    if isinstance(value, tuple):
        return (type(value).__name__, *(shape(v) for v in value))
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    return (type(value).__name__, value)


@contextmanager
def children_spied(
    monkeypatch: pytest.MonkeyPatch,
    work_of: Callable[[Callable[[], Any]], Callable[[], Any]] = lambda work: work,
) -> Iterator[list[Any]]:
    """Every second process ``service/forked.started`` starts runs ``work_of(work)``
    (to play one that dies or sends something else); yields what each one sent back,
    as ``Pending.result`` gave it."""
    from gaoxin_cli.service import forked

    real = forked.started
    sent: list[Any] = []

    @contextmanager
    def started(work: Callable[[], Any], *, db: Path | None = None) -> Iterator[Any]:
        with real(work_of(work), db=db) as pending:
            if pending is not None:
                real_result = pending.result

                def result() -> Any:
                    got = real_result()
                    sent.append(got)
                    return got

                pending.result = result  # type: ignore[method-assign]
            yield pending

    monkeypatch.setattr(forked, "started", started)
    yield sent
