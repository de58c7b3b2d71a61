"""Reading a workspace's plans in two processes (``workspace._load_plans``) against one.

A city's plans are read by this process and a forked child, each half of the files;
the result must be the one a single process gets: the same tasks in the same order,
the same diagnostics (cross-file ones located in the child's files included) and the
same files listed. A child that dies costs time, never data; output written before
the fork is not written twice; threads or a small workspace keep it to one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.loading import plancache, workspace
from gaoxin_cli.loading.workspace import Loaded, load
from gaoxin_cli.models import Task
from gaoxin_cli.models.spec import TaskSpec, to_record
from helpers import bench_module, shape

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="the second process is forked",
)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated workspace of 16 files with problems in both halves of the files:
    a task that fails its schema early and late, a YAML error late, and cross-file
    problems whose position lies in a late file (an id used twice, an unknown unit)."""
    gen = bench_module("gen")
    root = tmp_path_factory.mktemp("city")
    gen.write_workspace(root, gen.Spec(tasks=480, files=16, units=12, seed=5))
    plans = sorted((root / "plans").glob("*.yaml"))
    assert len(plans) == 16
    first_id = _first_id(plans[0])
    # Early file: a task whose progress is out of range (schema error).
    _edit(plans[1], "    title:", "    progress: 250\n    title:", count=1)
    # Late files: a duplicate id (the first file's first task), an unknown unit,
    # a schema error, and a file that is not YAML at all.
    _replace_first_id(plans[12], first_id)
    _edit(plans[13], "    lead:", "    lead: 不存在的单位\n    x_lead:", count=1)
    _edit(plans[14], "    title:", "    urgency: 很急很急\n    title:", count=1)
    plans[15].write_text("tasks: [\n  - {id: 1\n", encoding="utf-8")
    return root


def _first_id(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("- id:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no task in {path}")


def _replace_first_id(path: Path, new_id: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip().startswith("- id:"):
            lines[i] = line.split(":", 1)[0] + ": " + new_id + "\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


def _edit(path: Path, old: str, new: str, count: int) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _summary(loaded: Loaded) -> dict[str, Any]:
    # The child's tasks come back as records, this process's as specs: compared as
    # records (to_record leaves a record as it is).
    return {
        "files": loaded.files,
        "diagnostics": loaded.diagnostics,
        "entries": [(e.path, e.index, to_record(e.task)) for e in loaded.entries],
        "config": loaded.config.model_dump() if loaded.config else None,
    }


def test_two_processes_read_what_one_reads(city: Path) -> None:
    one = load(city, jobs=1)
    two = load(city, jobs=2)
    assert _summary(two) == _summary(one)
    codes = {d.code for d in one.diagnostics}
    # The workspace really has problems in both halves (else the test proves little).
    names = {Path(d.path).name for d in one.diagnostics}
    late = {n for n in names if n >= "plan-013.yaml"}
    early = {n for n in names if n < "plan-009.yaml"}
    assert late and early, (codes, late, early)
    assert len(one.entries) > 400
    # The child's half came back as records (columns), this process's as specs.
    kinds = [type(e.task) for e in two.entries]
    assert kinds[0] is TaskSpec and kinds[-1] is Task, set(kinds)
    assert sum(n for n, _ in two.packed) == len(two.entries)
    assert two.packed[0][1] is None and all(c is not None for _, c in two.packed[1:])
    assert one.packed == [(len(one.entries), None)]


def test_with_columns_both_processes_give_records_and_columns(city: Path) -> None:
    """``load(columns=True)`` (the plan cache's): this process makes the columns of its
    own files too; the tasks are the same, all as records now."""
    one, two = load(city, jobs=1), load(city, jobs=2, columns=True)
    assert _summary(two) == _summary(one)
    assert {type(e.task) for e in two.entries} == {Task}
    assert all(c is not None for _, c in two.packed)
    assert sum(n for n, _ in two.packed) == len(two.entries)


def test_the_plan_cache_of_two_processes_is_the_plan_of_one(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``status`` without a cache: the child's columns go into the cache as they came;
    the plan built then, and the one read back from the cache, equal one process's."""
    good = tmp_path / "good"
    gen = bench_module("gen")
    gen.write_workspace(good, gen.Spec(tasks=480, files=16, units=12, seed=7))
    monkeypatch.setattr(workspace, "_auto_jobs", lambda plans: 1)
    one = plancache.load_plan(good, tmp_path / "cache-one")
    monkeypatch.setattr(workspace, "_auto_jobs", lambda plans: 2)
    built = plancache.load_plan(good, tmp_path / "cache-two")
    again = plancache.load_plan(good, tmp_path / "cache-two")  # read from the cache
    monkeypatch.setattr(workspace, "_read_plans", _dies_in_child)
    orphaned = plancache.load_plan(good, tmp_path / "cache-three")  # the child died
    for plan in (built, again, orphaned):
        assert shape(plan.tasks) == shape(one.tasks)
        assert shape(plan.config) == shape(one.config)
        assert plan.warnings == one.warnings
    assert len(one.tasks) == 480 and all(type(t) is Task for t in again.tasks)
    # The digest of the files, made by the child (or here when it died), is the one
    # the cache is checked against.
    digest = plancache.fingerprint(good)
    for name in ("cache-one", "cache-two", "cache-three"):
        meta = plancache._read_meta(plancache.cache_path(tmp_path / name, good))
        assert meta is not None and meta[2] == digest
    assert built.digest == again.digest == orphaned.digest == one.digest == digest


def test_work_given_aside_is_done_by_the_child_or_here(city: Path) -> None:
    """``load(aside=…)``: the second process does it after its files (its pid shows
    which process did); with one process, or a child that died, this one does."""
    two = load(city, jobs=2, aside=os.getpid)
    assert two.aside is not None and two.aside != os.getpid()
    assert load(city, jobs=1, aside=os.getpid).aside == os.getpid()
    assert load(city, jobs=2).aside is None


def test_positions_asked_later_are_found_in_the_childs_documents(city: Path) -> None:
    one, two = load(city, jobs=1), load(city, jobs=2)
    for a, b in zip(one.entries[-40:], two.entries[-40:], strict=True):
        for loc in [("tasks", a.index), ("tasks", a.index, "title"), ("tasks", a.index, "id")]:
            assert b.doc.locate(loc) == a.doc.locate(loc)
            assert b.doc.locate(loc) != (1, 1)


_PARENT = os.getpid()
_REAL_READ = workspace._read_plans


def _dies_in_child(plans: Any, base: Any, cache: Any) -> Any:
    """``_read_plans`` in this process; in a forked child, an exit with no result."""
    if os.getpid() != _PARENT:
        os._exit(9)  # as if killed: no result, no exception
    return _REAL_READ(plans, base, cache)


def test_a_child_that_dies_costs_time_not_data(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace, "_read_plans", _dies_in_child)
    died = load(city, jobs=2, aside=os.getpid)
    assert _summary(died) == _summary(load(city, jobs=1))
    assert died.aside == os.getpid()  # the work aside done here


def test_a_child_that_dies_while_making_columns_costs_time_not_data(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With columns (the plan cache's load): the files the child did not send back are
    read here as specs, their span has no columns, and the result is the same."""
    one = load(city, jobs=1)
    monkeypatch.setattr(workspace, "_read_plans", _dies_in_child)
    two = load(city, jobs=2, columns=True)
    assert _summary(two) == _summary(one)
    assert two.packed[0][1] is not None  # this process's own columns
    assert all(c is None for _, c in two.packed[1:])  # the child's: read again here


_REAL_INTO = workspace._read_packed_into


def _garbled(plans: Any, base: Any, fd: int, cache: Any) -> int:
    """The child's batch written, then its middle overwritten (a spool that reads wrong)."""
    size = _REAL_INTO(plans, base, fd, cache)
    os.pwrite(fd, b"\xff" * 64, size // 2)
    return size


def _short(plans: Any, base: Any, fd: int, cache: Any) -> int:
    """The child's batch written, its length told as longer (a spool cut short)."""
    return _REAL_INTO(plans, base, fd, cache) + 10


@pytest.mark.parametrize("spool", [_garbled, _short], ids=["garbled", "short"])
def test_a_spool_that_reads_wrong_costs_time_not_data(
    city: Path, monkeypatch: pytest.MonkeyPatch, spool: Any
) -> None:
    """The child's batches come back through a file each: one that does not read back
    is read again here, and the result is one process's."""
    one = load(city, jobs=1)
    monkeypatch.setattr(workspace, "_read_packed_into", spool)
    two = load(city, jobs=2, columns=True)
    assert _summary(two) == _summary(one)
    assert two.packed[0][1] is not None
    assert all(c is None for _, c in two.packed[1:])  # every batch read again here


def test_no_temporary_file_means_one_process(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No writable temporary directory: the files are read here, the result the same."""

    def no_room(*_: Any, **__: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workspace.tempfile, "TemporaryFile", no_room)
    two = load(city, jobs=2, columns=True)
    assert _summary(two) == _summary(load(city, jobs=1))
    assert len(two.packed) == 1  # one span: no second process (with one, two or more)


def test_the_childs_batches_come_back_through_their_spools(city: Path) -> None:
    """Without a fault, every batch of the child comes back as columns."""
    two = load(city, jobs=2, columns=True)
    assert len(two.packed) >= 2
    assert all(c is not None for _, c in two.packed)
    assert _summary(two) == _summary(load(city, jobs=1))


def test_auto_reads_a_city_in_two_and_a_small_plan_in_one(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = sorted((city / "plans").glob("*.yaml"))
    monkeypatch.setattr(workspace, "free_cpus", lambda: 2)
    monkeypatch.setattr(workspace, "PARALLEL_MIN_BYTES", 10_000)
    assert workspace._auto_jobs(plans) == 2
    monkeypatch.setattr(workspace, "PARALLEL_MIN_BYTES", 10**9)
    assert workspace._auto_jobs(plans) == 1
    monkeypatch.setattr(workspace, "PARALLEL_MIN_BYTES", 10_000)
    monkeypatch.setattr(workspace, "free_cpus", lambda: 1)
    assert workspace._auto_jobs(plans) == 1


def test_no_fork_while_another_thread_runs(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = sorted((city / "plans").glob("*.yaml"))
    monkeypatch.setattr(workspace, "free_cpus", lambda: 2)
    monkeypatch.setattr(workspace, "PARALLEL_MIN_BYTES", 10_000)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert workspace._auto_jobs(plans) == 1
    finally:
        stop.set()
        t.join()


def test_output_written_before_the_fork_is_written_once(city: Path) -> None:
    """Text a command printed but had not flushed (stdout to a pipe is block-buffered)
    is not flushed a second time by the forked child."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from gaoxin_cli.loading.workspace import load
        sys.stdout.write("before the fork\\n")
        loaded = load(Path({str(city)!r}), jobs=2)
        sys.stdout.write(f"{{len(loaded.entries)}} tasks\\n")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.count("before the fork") == 1, out
    assert out.endswith(" tasks\n")
