"""The plan cache: never stale, and trusted on stat only when that is safe."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from gaoxin_cli.loading import paths, plancache
from helpers import bench_module, example_workspace, shape

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path / "ws")


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


# --- the tasks as columns (format 4) ---------------------------------------------------


def _generated(tmp: Path, seed: int) -> Path:
    gen = bench_module("gen")
    return gen.write_workspace(tmp / f"ws{seed}", gen.Spec(tasks=400, files=4, seed=seed)).root


@pytest.mark.parametrize("seed", [1, 7])
def test_the_columns_path_gives_the_records_of_to_plan(tmp_path: Path, seed: int) -> None:
    """load_plan (specs → columns → records, then the cache) equals the plain
    ``to_plan`` record by record, types included, read fresh and from the cache."""
    from gaoxin_cli.loading.workspace import load
    from gaoxin_cli.models.spec import to_plan

    root = _generated(tmp_path, seed)
    loaded = load(root)
    assert not loaded.errors
    plain = to_plan(loaded.config, loaded.tasks, len(loaded.warnings))
    assert any(t.milestones for t in plain.tasks) and any(t.listed for t in plain.tasks)
    assert any(t.support for t in plain.tasks) and any(t.depends for t in plain.tasks)
    cache = tmp_path / "cache"
    fresh = plancache.load_plan(root, cache)
    cached = plancache.load_plan(root, cache)
    for plan in (fresh, cached):
        assert shape(plan.tasks) == shape(plain.tasks)
        assert shape(plan.config) == shape(plain.config)
        assert plan.warnings == plain.warnings
        assert list(plan.by_id) == list(plain.by_id)
    # The records (not the specs) as columns and back: the same records.
    again = plancache.tasks_of_columns(plancache.task_columns(plain.tasks))
    assert shape(again) == shape(plain.tasks)
    # The repository's plan too (hand-written: other optional fields).
    loaded = load(REPO)
    plain = to_plan(loaded.config, loaded.tasks, len(loaded.warnings))
    cols = plancache.task_columns(list(loaded.tasks))
    assert shape(plancache.tasks_of_columns(cols)) == shape(plain.tasks)


def test_no_tasks_make_empty_columns() -> None:
    assert plancache.tasks_of_columns(plancache.task_columns([])) == ()


def test_every_field_of_task_holding_records_is_a_nested_column() -> None:
    """A new field of Task that holds records must be named in plancache._NESTED (the
    columns keep plain values only); and the nested records hold plain values."""
    from gaoxin_cli.models import records

    names = {
        n
        for n, v in vars(records).items()
        if isinstance(v, type) and issubclass(v, tuple) and hasattr(v, "_fields")
    }

    def mentions_record(cls: type) -> set[str]:
        out = set()
        for field, hint in cls.__annotations__.items():
            # A class, a generic alias or union of them, or a name in quotes.
            text = getattr(hint, "__forward_arg__", hint if isinstance(hint, str) else repr(hint))
            if any(word in names for word in re.findall(r"\w+", text)):
                out.add(field)
        return out

    assert mentions_record(records.Task) == set(plancache._NESTED)
    for _, cls in plancache._NESTED.values():
        assert mentions_record(cls) == set()


def test_a_cache_of_the_old_format_is_ignored(ws: Path, tmp_path: Path) -> None:
    """A cache written by format 3 (the plan pickled whole) is read as a miss."""
    import pickle

    cache = tmp_path / "cache"
    plan = plancache.load_plan(ws, cache)
    target = plancache.cache_path(cache, ws)
    with target.open("rb") as fh:
        header, files, written, digest = pickle.load(fh)
    for payload in (plan, ("not", "columns"), (plan.config, 0, [[]])):
        with target.open("wb") as fh:
            pickle.dump((header, files, written, digest), fh)
            pickle.dump(payload, fh)
        again = plancache.load_plan(ws, cache)
        assert shape(again.tasks) == shape(plan.tasks)


def test_records_stored_once_keep_their_types() -> None:
    """Equal records share one object, but 1, 1.0 and True (or 0.0 and -0.0) are not
    equal for the cache: each comes back as it went in."""
    from datetime import date

    from gaoxin_cli.models import Milestone

    day = date(2020, 5, 1)
    weights: list[object] = [1.0, 1, True, 0.0, -0.0, None, 1.0, 0.5, 0.5]
    ms = [Milestone("验收", day, w) for w in weights]  # type: ignore[arg-type]
    packed = plancache._distinct([["验收"] * len(ms), [day] * len(ms), list(weights)])
    back = plancache._records(Milestone, packed)
    assert [shape(m) for m in back] == [shape(m) for m in ms]
    assert back[0] is back[6] and back[7] is back[8]
    assert len(packed[0][0]) == 7  # 1.0, 1, True, 0.0, -0.0, None, 0.5


def _pathlib_stats(root: Path) -> tuple[plancache.Stat, ...]:
    """What ``stats`` said before it cut paths as strings: pathlib all the way."""
    out = []
    for path in paths.workspace_files(root):
        st = path.stat()
        rel = path.relative_to(root).as_posix()
        out.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


def test_stats_name_the_files_as_pathlib_does(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nested plan folders, a root given relative to the current directory, and one
    whose name is a prefix of a sibling's: the same relative names as pathlib's."""
    nested = ws / "plans" / "2021" / "q1"
    nested.mkdir(parents=True)
    first = sorted((ws / "plans").glob("*.yaml"))[0]
    shutil.copy(first, nested / "extra.yaml")
    twin = tmp_path / (ws.name + "-b")  # shares the root's name as a prefix
    shutil.copytree(ws, twin)
    for root in (ws, twin):
        got = plancache.stats(root)
        assert got == _pathlib_stats(root)
        assert any(rel == "plans/2021/q1/extra.yaml" for rel, *_ in got)
    monkeypatch.chdir(ws.parent)
    relative = Path(ws.name)
    assert plancache.stats(relative) == _pathlib_stats(relative)
    assert plancache.fingerprint(relative) == plancache.fingerprint(ws)
