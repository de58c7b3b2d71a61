"""Work on the second core (service/forked.py), and the ranking's use of it: the month
before the ranked one scored by a forked child (service/ranking.py ``previous_month``).

* a child's value comes back; one that raises, exits or is killed gives ``None``, and a
  child whose value is not asked for is stopped and reaped;
* no fork while a store file is open in this process (SQLite forbids carrying a
  connection across ``fork``) or while another thread runs;
* on a generated workspace with a year of history, ``ranking`` (this month, live) and
  ``bulletin`` (last month) give the same result with the child as in one process, and
  the child's scores are the ones used;
* a child whose snapshot differs from the caller's (a write committed in between), or
  that dies, costs time only: the month is scored again in the caller's snapshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.loading import free_cpus
from gaoxin_cli.ranking.result import to_json
from gaoxin_cli.service import forked
from gaoxin_cli.service import ranking as svc
from gaoxin_cli.service.bulletin import bulletin
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from helpers import children_spied, generated_city

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or free_cpus() < 2, reason="needs fork and two cores"
)

AS_OF = date(2020, 11, 16)


# --- forked.started ----------------------------------------------------------------------


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_childs_value_comes_back_once_and_the_child_is_reaped() -> None:
    parent = os.getpid()
    with forked.started(lambda: {"pid": os.getpid(), "squares": [i * i for i in range(5)]}) as p:
        assert p is not None
        got = p.result()
        assert got == {"pid": p.pid, "squares": [0, 1, 4, 9, 16]}
        assert got["pid"] != parent
        assert p.result() is got  # asked again: the same answer, no second wait
    assert _reaped(p.pid)


def test_a_big_value_crosses_the_pipe_whole() -> None:
    big = [str(i) * 10 for i in range(200_000)]  # ~ 10 MB pickled, far past a pipe buffer
    with forked.started(lambda: big) as p:
        assert p is not None
        assert p.result() == big


def _raises() -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "work",
    [
        _raises,
        lambda: os._exit(3),
        lambda: os.kill(os.getpid(), 9),
        lambda: lambda: None,  # a value pickle cannot write
    ],
    ids=["raises", "exits", "killed", "unpicklable"],
)
def test_a_child_that_fails_gives_none(work: Callable[[], Any]) -> None:
    with forked.started(work) as p:
        assert p is not None
        assert p.result() is None
    assert _reaped(p.pid)


def test_a_child_not_asked_for_is_stopped_and_reaped() -> None:
    started = []
    with forked.started(lambda: __import__("time").sleep(60)) as p:
        assert p is not None
        started.append(p.pid)
    assert _reaped(started[0])


def test_no_fork_while_the_store_is_open_or_a_thread_runs(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert forked.can_fork(db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    try:
        assert forked.store_open(db)
        assert not forked.can_fork(db)
        with forked.started(lambda: 1, db=db) as p:
            assert p is None
    finally:
        conn.close()
    assert not forked.store_open(db)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork(db)
    finally:
        stop.set()
        thread.join()
    assert forked.can_fork(db)


# --- the ranking's previous month ------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated plan with a year of reports, cards, returns and extensions."""
    root = tmp_path_factory.mktemp("forked")
    return generated_city(root, tasks=300, files=4, units=10, seed=11, events=30_000, extras=True)


def _session(ws: tuple[Path, Path]) -> Session:
    """A session with the plan cache but no month kept from an earlier test: here the
    previous month is always scored, by the child or this process (the kept months:
    tests/test_month_scores.py)."""
    root, db = ws
    cache = root.parent / "cache"
    shutil.rmtree(cache / "scores", ignore_errors=True)
    return Session.open(root, AS_OF, db=db, cache=cache)


@contextmanager
def _spied(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Any], Any] | None = None
) -> Iterator[list[Any]]:
    """Fork on any plan size; yield the values the children sent (*change*: what a child
    sends instead, to play a child whose snapshot differs)."""
    monkeypatch.setattr(svc, "PARALLEL_MIN_TASKS", 0)

    def work_of(work: Callable[[], Any]) -> Callable[[], Any]:
        return work if change is None else lambda: change(work())

    with children_spied(monkeypatch, work_of) as sent:
        yield sent


def _one_process(monkeypatch: pytest.MonkeyPatch) -> AbstractContextManager[None]:
    @contextmanager
    def patched() -> Iterator[None]:
        with monkeypatch.context() as m:
            m.setattr(forked, "free_cpus", lambda: 1)
            yield

    return patched()


def _ranking_json(ws: tuple[Path, Path]) -> dict[str, Any]:
    return to_json(svc.ranking(_session(ws), None).result)


def _bulletin_of(ws: tuple[Path, Path]) -> tuple[dict[str, Any], tuple[Any, ...], list[int]]:
    sess = _session(ws)
    b = bulletin(sess, None)
    return to_json(b.result), b.tasks, sess.estimated_years()


def test_ranking_with_the_child_is_the_one_process_result(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _one_process(monkeypatch):
        plain = _ranking_json(workspace)
    assert plain["previous"] == "2020-10"
    assert any(u["change"] is not None for u in plain["units"])  # ranks compared
    with _spied(monkeypatch) as sent:
        assert _ranking_json(workspace) == plain
    assert len(sent) == 1 and sent[0] is not None  # the child scored October
    mark, ranks, _ = sent[0]
    assert ranks == {
        u["unit"]: (u["previous_rank"], round(float(u["previous_score"]) * 100))
        for u in plain["units"]
    }
    with Store.open(workspace[1], write=False) as st:
        from gaoxin_cli.store import awards as aw

        assert mark == aw.scoring_mark(st)


def test_bulletin_with_the_child_is_the_one_process_bulletin(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _one_process(monkeypatch):
        plain = _bulletin_of(workspace)
    assert plain[0]["period"] == "2020-10" and plain[0]["previous"] == "2020-09"
    with _spied(monkeypatch) as sent:
        assert _bulletin_of(workspace) == plain
    assert len(sent) == 1 and sent[0] is not None


def test_a_child_on_another_snapshot_is_scored_again(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _one_process(monkeypatch):
        plain = _ranking_json(workspace)

    def elsewhere(value: Any) -> Any:  # a write committed between the two snapshots
        mark, ranks, years = value
        wrong = {u: (len(ranks) + 1 - rank, points + 10_000) for u, (rank, points) in ranks.items()}
        return (mark[0] + 1, *mark[1:]), wrong, years

    with _spied(monkeypatch, elsewhere) as sent:
        assert _ranking_json(workspace) == plain
    assert len(sent) == 1 and sent[0][0][0] > 0


def test_a_child_that_dies_costs_time_only(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _one_process(monkeypatch):
        plain = _ranking_json(workspace)
    with _spied(monkeypatch, lambda value: os._exit(1)) as sent:
        assert _ranking_json(workspace) == plain
    assert sent == [None]


def test_no_child_for_a_small_plan_or_a_quarter(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoxin_cli.ranking.period import Period

    sess = _session(workspace)
    with svc.previous_month(sess, Period.parse("2020-11"), live=False) as small:
        assert small is None  # 300 tasks: below PARALLEL_MIN_TASKS
    monkeypatch.setattr(svc, "PARALLEL_MIN_TASKS", 0)
    with svc.previous_month(sess, Period.parse("2020Q4"), live=False) as quarter:
        assert quarter is None
    with svc.previous_month(sess, Period.parse("2020-11"), live=False) as month:
        assert month is not None and month.pending is not None


def test_a_fork_that_fails_leaves_the_work_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    monkeypatch.setattr(forked.os, "fork", no_fork)
    with forked.started(lambda: 1) as p:
        assert p is None
    if before is not None:  # the pipe was closed again
        assert len(os.listdir("/proc/self/fd")) == before
