"""The plan cache: never stale, and trusted on stat only when that is safe."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gaoxin_cli.loading import paths, plancache

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", root / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", root / "plans")
    return root


def _title(plan: plancache.Plan, task: str) -> str:
    return plan.by_id[task].title


def test_an_edit_of_the_same_size_right_after_caching_is_seen(ws: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = plancache.load_plan(ws, cache)
    task = first.tasks[0]
    path = next(p for p in paths.plan_files(ws) if f"id: {task.id}" in p.read_text("utf-8"))
    text = path.read_text("utf-8")
    assert task.title in text
    # Same byte length, same mtime: only the bytes tell the difference.
    new_title = "改" * len(task.title)
    before = path.stat()
    path.write_text(text.replace(task.title, new_title, 1), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert _title(plancache.load_plan(ws, cache), task.id) == new_title


def test_a_settled_cache_is_trusted_on_stat_without_reading_the_files(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    plancache.load_plan(ws, cache)
    real = plancache.fingerprint
    calls: list[Path] = []

    def counted(root: Path) -> str:
        calls.append(root)
        return real(root)

    monkeypatch.setattr(plancache, "fingerprint", counted)
    # Files written just now are not settled: their bytes are compared (and match).
    plancache.load_plan(ws, cache)
    assert calls == [ws]
    # Once the files are older than the cache by the margin, stat alone decides.
    monkeypatch.setattr(plancache, "_SETTLE_NS", -(10**12))
    calls.clear()
    assert len(plancache.load_plan(ws, cache).tasks) > 50
    assert calls == []


def test_added_removed_and_renamed_plan_files_invalidate(ws: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    n = len(plancache.load_plan(ws, cache).tasks)
    files = paths.plan_files(ws)
    moved = files[0].rename(files[0].with_suffix(".yaml.off"))
    fewer = len(plancache.load_plan(ws, cache).tasks)
    assert fewer < n
    moved.rename(files[0])
    assert len(plancache.load_plan(ws, cache).tasks) == n


def test_a_corrupt_cache_is_rebuilt(ws: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    n = len(plancache.load_plan(ws, cache).tasks)
    target = plancache.cache_path(cache, ws)
    target.write_bytes(target.read_bytes()[:1000])
    assert len(plancache.load_plan(ws, cache).tasks) == n
    target.write_bytes(b"not a pickle")
    assert len(plancache.load_plan(ws, cache).tasks) == n


def test_adding_a_calendar_file_invalidates(ws: Path, tmp_path: Path) -> None:
    """calendar/YYYY.yaml is part of the plan: adding one changes the working days."""
    from datetime import date

    from gaoxin_cli.loading.paths import calendar_for

    cache = tmp_path / "cache"
    day = date(2031, 3, 3)  # a Monday in a year no package knows
    assert calendar_for(plancache.load_plan(ws, cache).config).is_workday(day)
    (ws / "calendar").mkdir()
    (ws / "calendar" / "2031.yaml").write_text(
        "year: 2031\nrest:\n  - 2031-03-02..2031-03-04\n", "utf-8"
    )
    cal = calendar_for(plancache.load_plan(ws, cache).config)
    assert not cal.is_workday(day)
    assert cal.source(2031) == "local" and not cal.estimated


def test_settled_files_are_read_once_and_an_edit_during_the_read_is_not_cached(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoxin_cli.loading import workspace

    # Settled (as files untouched for a while are): their stat alone says whether they
    # changed while read. (ctime cannot be set back, so the margin is moved instead.)
    monkeypatch.setattr(plancache, "_SETTLE_NS", -(10**12))
    cache = tmp_path / "cache"
    real_fp, real_load = plancache.fingerprint, workspace.load
    calls: list[Path] = []

    def counted(root: Path) -> str:
        calls.append(root)
        return real_fp(root)

    monkeypatch.setattr(plancache, "fingerprint", counted)
    plan = plancache.load_plan(ws, cache)
    assert len(calls) == 1  # the digest to store, and no second reading to confirm it
    assert plancache.cache_path(cache, ws).is_file()

    # An edit while the workspace is read: the plan read is not cached.
    task = plan.tasks[0]
    path = next(p for p in paths.plan_files(ws) if f"id: {task.id}" in p.read_text("utf-8"))
    text = path.read_text("utf-8")
    shutil.rmtree(cache)

    def edited_meanwhile(root: Path | None, *a: object, **kw: object) -> object:
        loaded = real_load(root, *a, **kw)  # type: ignore[arg-type]
        before = path.stat()
        path.write_text(text.replace(task.title, "改" * len(task.title), 1), "utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size and mtime
        return loaded

    monkeypatch.setattr(workspace, "load", edited_meanwhile)
    assert _title(plancache.load_plan(ws, cache), task.id) == task.title  # as it was read
    assert not plancache.cache_path(cache, ws).exists()  # the ctime told: not cached
    monkeypatch.setattr(workspace, "load", real_load)
    assert _title(plancache.load_plan(ws, cache), task.id) == "改" * len(task.title)
