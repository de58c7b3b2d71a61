"""State checkpoints: a cache that never changes a result (store/checkpoint.py, m006)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.store import Store, checkpoint, core, derive
from gaoxin_cli.store import lifecycle as store_lifecycle
from gaoxin_cli.store.extensions import effective_dues
from gaoxin_cli.store.lifecycle import lifecycle_states
from helpers import examples

DAY0 = date(2020, 3, 1)
TASKS = ("T1", "T2", "T3", "T4")
M001 = Path(__file__).parent / "data" / "store" / "schema-m001.db"
MINI = Path(__file__).parent / "data" / "mini"


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


# --- the definition, computed the slow, obvious way --------------------------------------


def _level(data: object) -> int | None:
    level = data.get("level") if isinstance(data, dict) else None
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def reference(events: Sequence[Event], as_of: date) -> dict[str, TaskState]:
    """TaskState per task from stored events (with ids), as models/state.py defines it."""
    out: dict[str, TaskState] = {}
    for task in sorted({e.task for e in events}):
        mine = sorted(
            (e for e in events if e.task == task and e.at <= as_of),
            key=lambda e: (e.at, e.id or 0),
        )
        reports = [e for e in mine if e.kind in ("feedback", "correction")]
        valued = [e for e in reports if e.progress is not None]
        starts = [e.at for e in mine if e.kind == "start"]
        moving = [e.at for e in valued if (e.progress or 0) > 0]
        milestones: dict[str, date] = {}
        for e in mine:
            if e.kind == "milestone" and e.milestone is not None:
                milestones.setdefault(e.milestone, e.at)
        cards = [e for e in mine if e.kind == "card"]
        level = _level(cards[-1].data) if cards else None
        state = TaskState(
            progress=float(valued[-1].progress or 0) if valued else 0.0,
            progress_at=valued[-1].at if valued else None,
            last_report=reports[-1].at if reports else None,
            reports=len(reports),
            started=min(starts) if starts else (min(moving) if moving else None),
            milestones_done=milestones,
            card_level=level,
            card_since=cards[-1].at if level is not None else None,
        )
        if state != TaskState():
            out[task] = state
    return out


# --- random histories ------------------------------------------------------------------

_day = st.integers(0, 8).map(day)


def _event(**fields: Any) -> Event:
    """Event from the given fields only (st.builds would also draw every defaulted one)."""
    return Event(**fields)


_task = st.sampled_from(TASKS)
_progress = st.one_of(st.none(), st.sampled_from([0.0, 5.0, 40.0, 100.0]))
_card_data = st.one_of(
    st.none(),
    st.fixed_dictionaries({"level": st.integers(0, 4)}),
    st.sampled_from([{"level": True}, {"level": "2"}, {"level": 2.5}, {"reasons": []}]),
)
_events = st.one_of(
    st.builds(
        _event,
        task=_task,
        kind=st.sampled_from(["feedback", "correction"]),
        at=_day,
        progress=_progress,
    ),
    st.builds(_event, task=_task, kind=st.just("start"), at=_day),
    st.builds(
        _event,
        task=_task,
        kind=st.just("milestone"),
        at=_day,
        milestone=st.sampled_from([None, "m1", "m2", "里程碑"]),
    ),
    st.builds(_event, task=_task, kind=st.just("card"), at=_day, data=_card_data),
    st.builds(
        _event,
        task=_task,
        kind=st.just("lifecycle"),
        at=_day,
        data=st.sampled_from([{"to": "under_review"}, {"to": "done"}, {"to": "in_progress"}]),
    ),
    st.builds(
        _event,
        task=_task,
        kind=st.just("extension"),
        at=_day,
        data=st.sampled_from([{"action": "request"}, {"action": "approve", "to": "2020-04-01"}]),
    ),
)
# A card row written around gaoxin: its data is JSON but no readable level.
_raw_card = st.tuples(_task, _day, st.sampled_from(['"x"', "[3]", "null", '{"level": 1.0}']))
_batch = st.tuples(
    st.lists(_events, max_size=8),
    st.sampled_from(["add", "unique", "raw"]),
    st.booleans(),  # then write a checkpoint
)


def _apply(store: Store, batch: tuple[list[Event], str, bool], raw: tuple[str, date, str]) -> None:
    events, how, then_checkpoint = batch
    if how == "unique":
        start = store.count()
        store.add_unique(events, [f"k{start + i}" for i in range(len(events))])
    elif how == "raw":
        with store.transaction():
            store.add(events)
            task, at, data = raw
            store.insert(
                "INSERT INTO events (task, kind, at, data) VALUES (?, 'card', ?, ?)",
                (task, at.isoformat(), data),
            )
    else:
        store.add(events)
    if then_checkpoint:
        store.write_checkpoint()


@contextmanager
def _patched(obj: Any, name: str, value: object) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _lifecycles(store: Store, as_of: date, *, via_checkpoint: bool) -> dict[str, str]:
    with _patched(store_lifecycle, "_VIA_CHECKPOINT", 0 if via_checkpoint else 10**9):
        return lifecycle_states(store, [*TASKS, "NONE"], as_of)


def _check(store: Store, as_of: date) -> None:
    """Every way of reading state agrees with the definition, with or without checkpoint."""
    expected = reference(store.history(), as_of)
    by_queries = derive.states(store._conn, as_of)
    assert by_queries == expected
    assert store.states(as_of) == expected
    direct = checkpoint.states(store._conn, as_of)
    assert direct is None or direct == expected
    ck = checkpoint.header(store._conn)
    tail = ck is not None and store.count() > 0 and ck.upto < top(store)
    if currently_in_test_context():  # --hypothesis-show-statistics tells how often
        event(f"checkpoint: {'none' if ck is None else 'unused' if direct is None else 'used'}")
        event(f"tail after it: {tail}")
    for got in (store.states(as_of), direct or {}):
        for state in got.values():  # milestones by name, as the queries give them
            assert list(state.milestones_done) == sorted(state.milestones_done)
    # Split at 100 % (overdue): the open tasks' states and the done tasks' ids, the same
    # whether from a checkpoint (its columns, then the tail) or the queries.
    done = {t for t, s in expected.items() if s.progress >= 100}
    split = store.open_states(as_of)
    assert split.done == done
    assert split.states == {t: s for t, s in expected.items() if t not in done}
    direct_split = checkpoint.open_states(store._conn, as_of)
    assert (direct_split is None) == (direct is None)
    assert direct_split is None or direct_split == split
    some = ["T1", "T3", "NONE"]
    want = {t: s for t, s in expected.items() if t in some}
    assert store.states(as_of, some) == want
    with _patched(core, "_VIA_CHECKPOINT", 0):
        assert store.states(as_of, some) == want
    lives = _lifecycles(store, as_of, via_checkpoint=False)
    assert _lifecycles(store, as_of, via_checkpoint=True) == lives


@settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    batches=st.lists(_batch, max_size=6),
    raw=_raw_card,
    as_of=st.integers(-1, 9).map(day),
    notices=st.lists(st.tuples(_task, _day), max_size=2),
)
def test_checkpoints_never_change_a_result(
    batches: list[tuple[list[Event], str, bool]],
    raw: tuple[str, date, str],
    as_of: date,
    notices: list[tuple[str, date]],
) -> None:
    """Random histories in batches, a checkpoint after some of them (events written later
    may be back-dated before it), any day asked about: checkpoint + tail == the queries
    == the definition, and the same once the checkpoints are deleted."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "g.db", write=True) as s:
        for task, at in notices:
            add_notice(s, task, at)
        for batch in batches:
            _apply(s, batch, raw)
        _check(s, as_of)
        _check(s, day(9))  # after every event: the checkpoint serves it when there is one
        lives = _lifecycles(s, as_of, via_checkpoint=True)
        states = s.states(as_of)
        s._conn.execute("DELETE FROM checkpoints")
        assert s.query("SELECT count(*) FROM checkpoint_columns") == [(0,)]
        assert s.states(as_of) == states
        assert _lifecycles(s, as_of, via_checkpoint=True) == lives
        _check(s, as_of)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(st.lists(_events, min_size=1, max_size=6), max_size=8))
def test_writers_keep_checkpoints_incrementally(batches: list[list[Event]]) -> None:
    """With a checkpoint due every few events, each write transaction that appends folds
    the new events into the previous checkpoint; every day still reads the same."""
    with (
        _patched(checkpoint, "EVERY", 3),
        tempfile.TemporaryDirectory() as tmp,
        Store.open(Path(tmp) / "g.db", write=True) as s,
    ):
        for events in batches:
            s.add(events)
            top = s.query("SELECT coalesce(max(id), 0) FROM events")[0][0]
            upto = s.query("SELECT coalesce(max(upto), 0) FROM checkpoints")[0][0]
            assert top - upto < 3
        for n in range(-1, 10):
            _check(s, day(n))


def test_open_states_split_at_100_across_the_checkpoint(tmp_path: Path) -> None:
    """overdue's read: tasks crossing 100 % in the events after the checkpoint move to
    the other side; a task exactly at 100 % is done; a start alone is open."""
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(
            [
                Event("T1", "feedback", day(1), progress=100.0),  # done, then corrected
                Event("T2", "feedback", day(1), progress=40.0),  # open, then done
                Event("T3", "feedback", day(1), progress=100.0),  # done
                Event("T4", "start", day(1)),  # open, no report
                Event("T5", "card", day(1), data={"reasons": []}),  # nothing to show
            ]
        )
        s.write_checkpoint()
        s.add(
            [
                Event("T1", "correction", day(2), progress=40.0),
                Event("T2", "feedback", day(2), progress=100.0),
            ]
        )
        as_of = day(3)
        every = s.states(as_of)
        assert "T5" not in every
        direct = checkpoint.open_states(s._conn, as_of)
        assert direct is not None  # the checkpoint served it, with a tail
        assert direct.done == {"T2", "T3"}
        assert sorted(direct.states) == ["T1", "T4"]
        assert direct.states == {t: every[t] for t in ("T1", "T4")}
        assert s.open_states(as_of) == direct
        s._conn.execute("DELETE FROM checkpoints")  # the queries: the same split
        assert checkpoint.open_states(s._conn, as_of) is None
        assert s.open_states(as_of) == direct


def _columns_asked(store: Store, read: Any) -> list[str]:
    """The checkpoint columns *read* (a call on *store*) fetched from the file."""
    asked: list[str] = []

    def seen(sql: str) -> None:
        if "FROM checkpoint_columns" in sql and "SELECT name, data" in sql:
            asked.extend(re.findall(r"'(\w+)'", sql.split("AND name IN (")[1]))

    store._conn.set_trace_callback(seen)
    try:
        read()
    finally:
        store._conn.set_trace_callback(None)
    return asked


def test_the_task_ids_decoded_once_for_states_and_active_tasks(tmp_path: Path) -> None:
    """status reads the states, then the lifecycle's active tasks: the second read takes
    the task ids (and active days) the first decoded, while nothing was written; after
    a write by another process it decodes them afresh and sees the write."""
    path = tmp_path / "g.db"
    with Store.open(path, write=True) as w:
        w.add(many(600))
        w.write_checkpoint()
        w.add([Event("T001", "feedback", day(25), progress=10.0)])  # a tail: every column
    with Store.open(path, write=False) as s:
        as_of = day(30)
        with s.transaction():
            every = s.states(as_of)
            before = _columns_asked(s, lambda: s.active_tasks(as_of))
        assert before == []  # task and active kept from the states' read
        active = s.active_tasks(as_of)
        assert active == set(every)  # every task here reported something
        again = _columns_asked(s, lambda: s.states(as_of))
        assert "task" not in again and again  # the other columns are not kept
        with Store.open(path, write=True) as w:
            w.add([Event("T999", "start", day(28))])
            w.write_checkpoint()
        after = _columns_asked(s, lambda: s.active_tasks(as_of))
        assert "task" in after and "active" in after
        assert s.active_tasks(as_of) == active | {"T999"}
        assert s.states(as_of) == reference(s.history(), as_of)


def add_notice(store: Store, task: str, at: date) -> None:
    """A 交办单 as the notice ladder files it (m003 schema)."""
    seq = int(store.query("SELECT coalesce(max(seq), 0) + 1 FROM notices")[0][0])
    store.insert(
        "INSERT INTO notices (number, kind, year, seq, subject, subject_kind, rung, issued_on,"
        " unit, recipients, body) VALUES (?, 'assign', ?, ?, ?, 'task', 0, ?, 'u', '[]', '{}')",
        (f"交办〔{at.year}〕{seq}号", at.year, seq, task, at.isoformat()),
    )


# --- when checkpoints are written ---------------------------------------------------------


def many(n: int, tasks: int = 50, first: int = 0) -> list[Event]:
    """*n* events over *tasks* tasks on days 0–19: reports, and every 7th a milestone."""
    out = []
    for i in range(first, first + n):
        task = f"T{i % tasks:03d}"
        if i % 7 == 0:
            out.append(Event(task, "milestone", day(i % 20), milestone=f"m{i % 3}"))
        else:
            out.append(Event(task, "feedback", day(i // tasks % 20), progress=float(i % 100)))
    return out


def checkpoints(store: Store) -> list[tuple[int, int, str | None]]:
    return [(f, u, m) for f, u, m in store.query("SELECT format, upto, max_at FROM checkpoints")]


def top(store: Store) -> int:
    return int(store.query("SELECT max(id) FROM events")[0][0])


def test_a_long_write_ends_with_a_checkpoint_in_its_transaction(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(many(checkpoint.EVERY - 10))
        assert checkpoints(s) == []  # short tail: none yet
        s.add(many(5))
        assert checkpoints(s) == []
        with s.transaction():  # one transaction, several appends: one checkpoint at its end
            s.add(many(3))
            s.add(many(10))
            assert checkpoints(s) == []
        assert checkpoints(s) == [(checkpoint.FORMAT, top(s), day(19).isoformat())]
        first = top(s)
        with pytest.raises(RuntimeError), s.transaction():  # rolled back: no checkpoint
            s.add(many(checkpoint.EVERY + 5))
            raise RuntimeError("abandon")
        assert checkpoints(s)[0][1] == first == top(s)
        s.add(many(checkpoint.EVERY, first=7))  # replaces the old one, incrementally
        assert checkpoints(s) == [(checkpoint.FORMAT, top(s), day(19).isoformat())]
        assert s.query("SELECT count(DISTINCT checkpoint) FROM checkpoint_columns") == [(1,)]
        assert s.write_checkpoint() is False  # already up to date
        _check(s, day(19))


def test_import_writes_a_checkpoint_that_reads_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    ledger = tmp_path / "ledger.csv"
    rows = ["date,task,note"]
    rows += [f"{day(i % 60).isoformat()},JC-01,第{i}次记录" for i in range(1200)]
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, ["-C", str(ws), "--as-of", "2020-06-30", *args])
        assert (result.exit_code, result.stderr) == (0, ""), result.stderr
        return result.stdout

    assert "1200" in run("import", str(ledger))
    db = ws / "data" / "gaoxin.db"
    with Store.open(db, write=False) as s:
        [(fmt, upto, max_at)] = checkpoints(s)
        assert (fmt, upto, max_at) == (checkpoint.FORMAT, top(s), day(59).isoformat())
        # The read path uses it: merged with the (empty) tail, it is the whole answer.
        used = checkpoint.states(s._conn, date(2020, 6, 30))
        assert used is not None
        assert used == derive.states(s._conn, date(2020, 6, 30))
        assert used["JC-01"].reports == 1200
    run("sweep")  # card events: a short tail after the checkpoint, merged when read
    with Store.open(db, write=False) as s:
        assert checkpoints(s)[0][1] < top(s)
        assert s.query("SELECT count(*) FROM events WHERE id > ?", (upto,)) == [(top(s) - upto,)]
    served: list[bool] = []
    real = checkpoint.states

    def spy(
        conn: sqlite3.Connection,
        as_of: date,
        *,
        between: bool = False,
        kept: checkpoint.Kept | None = None,
    ) -> dict[str, TaskState] | None:
        found = real(conn, as_of, between=between, kept=kept)
        served.append(found is not None)
        return found

    monkeypatch.setattr(checkpoint, "states", spy)
    outputs = [run(*cmd) for cmd in (["status", "--json"], ["countdown", "--json"])]
    assert served == [True, True]  # both commands read their states through it
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM checkpoints")
    assert [run(*cmd) for cmd in (["status", "--json"], ["countdown", "--json"])] == outputs
    assert served == [True, True, False, False]


class Snapshot:
    """The database file and its -wal log, byte for byte (a missing log is an empty one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.before = self.take()

    def take(self) -> tuple[bytes, int, bytes]:
        wal = Path(f"{self.path}-wal")
        return (
            self.path.read_bytes(),
            self.path.stat().st_mtime_ns,
            wal.read_bytes() if wal.exists() else b"",
        )

    def unchanged(self) -> bool:
        return self.take() == self.before


def test_reading_never_writes_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with _patched(checkpoint, "EVERY", 10**9), Store.open(path, write=True) as s:
        s.add(many(3000))  # a long tail, and no checkpoint
    snap = Snapshot(path)
    with Store.open(path, write=False) as s:
        s.states(day(30))
        lifecycle_states(s, [f"T{i:03d}" for i in range(200)], day(30))
        with s.transaction():
            s.states(day(3))
        assert checkpoints(s) == []
    assert snap.unchanged()
    with Store.open(path, write=True) as s:  # a writer that appends nothing writes none
        with s.transaction():
            s.states(day(30))
        assert checkpoints(s) == []
        s.add([])
        assert checkpoints(s) == []
        s.add(many(1))  # the first append after them: all 3,000+ now have a checkpoint
        assert checkpoints(s)[0][1] == top(s)


def test_reading_an_up_to_date_database_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "g.db"
    with Store.open(path, write=True) as s:
        s.add(many(1500))
        assert checkpoints(s)
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from gaoxin_cli.store import Store\n"
        "from gaoxin_cli.store.lifecycle import lifecycle_states\n"
        f"s = Store.open(Path({str(path)!r}), write=False)\n"
        "assert len(s.states(date(2020, 4, 1))) == 50\n"
        "lifecycle_states(s, [f'T{i:03d}' for i in range(200)], date(2020, 4, 1))\n"
        "print('sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "False\n"


def test_asking_about_the_past_reads_by_the_queries(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(many(1200))
        [(_, _, max_at)] = checkpoints(s)
        assert max_at == day(19).isoformat()
        assert checkpoint.states(s._conn, day(18)) is None  # before max_at
        assert checkpoint.states(s._conn, day(19)) is not None
        for n in (0, 5, 18, 19, 25):
            _check(s, day(n))
        # Back-dated events written after the checkpoint count on every later day.
        before = s.states(day(25))["T001"]
        s.add([Event("T001", "correction", day(2), progress=1.0, reason="fix")])
        s.add([Event("T001", "card", day(1), data={"level": 3})])
        got = s.states(day(25))["T001"]
        assert got.reports == before.reports + 1
        assert (got.progress, got.progress_at) == (before.progress, before.progress_at)
        assert (got.card_level, got.card_since) == (3, day(1))
        _check(s, day(25))


# --- formats, damage, upgrades ------------------------------------------------------------


def _write_columns(conn: sqlite3.Connection, fmt: int, upto: int, cols: dict[str, object]) -> None:
    cur = conn.execute(
        "INSERT INTO checkpoints (format, upto, max_at) VALUES (?, ?, '2020-03-01')", (fmt, upto)
    )
    conn.executemany(
        "INSERT INTO checkpoint_columns (checkpoint, name, data) VALUES (?, ?, ?)",
        [(cur.lastrowid, name, data) for name, data in cols.items()],
    )


def test_a_checkpoint_of_another_format_is_ignored_and_kept(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(many(200))
        expected = derive.states(s._conn, day(30))
        # As a newer gaoxin might write it: a format this one does not know.
        _write_columns(s._conn, checkpoint.FORMAT + 1, top(s), {"task": b"garbage"})
        assert checkpoint.header(s._conn) is None
        assert s.states(day(30)) == expected
        assert s.write_checkpoint() is True
        assert sorted(f for f, _, _ in checkpoints(s)) == [checkpoint.FORMAT, checkpoint.FORMAT + 1]
        assert checkpoint.states(s._conn, day(30)) == expected


def _damages() -> list[tuple[str, object]]:
    return [
        ("task", b"not json"),
        ("task", "text, not a blob"),
        ("task", json.dumps([1, 2]).encode()),
        ("reports", b"\x01\x02\x03"),  # not a whole number of int32
        ("progress_at", (-5).to_bytes(4, "little", signed=True) * 50),  # no such day
        ("progress", b""),  # shorter than the other columns
        ("card_level", b'["high"]'),
        ("shown", b"\x02" * 50),
        ("milestone_task", (10**6).to_bytes(4, "little") * 50),
        ("latest_id", None),  # column missing
    ]


@pytest.mark.parametrize(("column", "data"), _damages())
def test_a_damaged_checkpoint_is_ignored_then_replaced(
    tmp_path: Path, column: str, data: object
) -> None:
    with _patched(checkpoint, "EVERY", 10**9), Store.open(tmp_path / "g.db", write=True) as s:
        s.add(many(200, tasks=50))
        s.add([Event("T001", "feedback", day(25), progress=99.0)])  # a tail to merge
        expected = derive.states(s._conn, day(30))
        # A copy of a good checkpoint of the first 200 events, with one column damaged.
        upto = top(s) - 1
        good = tmp_path / "good.db"
        with Store.open(good, write=True) as other:
            other.add(many(200, tasks=50))
            other.write_checkpoint()
            cols = dict(other.query("SELECT name, data FROM checkpoint_columns"))
        if data is None:
            del cols[column]
        else:
            cols[column] = data
        _write_columns(s._conn, checkpoint.FORMAT, upto, cols)
        assert checkpoint.states(s._conn, day(30)) is None
        active = checkpoint.active_tasks(s._conn, day(30))  # reads task and active only
        assert active is None or active == {
            t
            for (t,) in s.query(
                "SELECT DISTINCT task FROM events"
                " WHERE kind IN ('feedback', 'correction', 'start', 'milestone')"
            )
        }
        assert s.states(day(30)) == expected
        assert s.write_checkpoint() is True  # recomputed by the queries, the bad one gone
        assert [u for _, u, _ in checkpoints(s)] == [top(s)]
        assert checkpoint.states(s._conn, day(30)) == expected


def test_a_checkpoint_beyond_the_history_is_ignored(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(many(1100))
        _write_columns(s._conn, checkpoint.FORMAT, top(s) + 10, {})
        assert checkpoint.header(s._conn) is None
        _check(s, day(30))


def test_upgrade_from_the_first_schema_then_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(M001, path)
    with Store.open(path, write=True) as s:
        assert s.query("SELECT count(*) FROM checkpoints") == [(0,)]  # m006, nothing yet
        before = s.states(date(2025, 4, 30))
        assert before  # the fixture's events
        s.add(many(checkpoint.EVERY))
        [(_, upto, _)] = checkpoints(s)
        assert upto == top(s)
        after = s.states(date(2025, 4, 30))
        assert {t: after[t] for t in before} == before
        _check(s, date(2025, 4, 30))


def test_task_state_is_what_checkpoints_fill() -> None:
    """The checkpoint builds TaskState positionally, from columns in its field order."""
    assert TaskState._fields == checkpoint._FIELDS
    columns: list[list[Any]] = [
        [1.0, 0.0],
        [day(1), None],
        [day(2), None],
        [3, 0],
        [day(0), day(4)],
        [{"m": day(1)}, {}],
        [2, None],
        [day(2), None],
    ]
    fast = checkpoint._task_states(*columns)
    assert fast == [TaskState(*row) for row in zip(*columns, strict=True)]
    assert all(type(state) is TaskState for state in fast)
    assert fast[0] == TaskState(1.0, day(1), day(2), 3, day(0), {"m": day(1)}, 2, day(2))
    with pytest.raises(AttributeError):
        fast[0].progress = 5.0  # type: ignore[misc]


# --- lifecycle steps and extension dues: one JSON parse, the same answers ----------------

_DATA = st.sampled_from(
    [
        None,
        "",
        "x",
        "[1]",
        '"done"',
        "null",
        '{"to": 5}',
        '{"to": "done"}',
        '{"to": "under_review"}',
        '{"to": "nowhere"}',
        '{"to": "cancelled", "n": NaN}',  # Python reads it, SQLite's json_valid does not
        '{"action": "request"}',
        '{"action": "reject"}',
        '{"action": "approve", "to": "2020-05-01"}',
        '{"action": "approve", "to": "2020-06-31"}',
        '{"action": "approve", "to": ""}',
        '{"action": "approve", "to": 20200501}',
        '{"action": "approve", "to": "2020-04-01", "to": "2020-04-02"}',
        '{"a": [1, {"b": "2,3"}], "action": "approve", "to": "2020-07-01"}',
    ]
)


def old_effective_dues(store: Store, as_of: date) -> dict[str, date]:
    """store/extensions.py as it was before the checkpoints (one json.loads a row)."""
    out: dict[str, date] = {}
    for task, data in store.query(
        "SELECT task, data FROM events INDEXED BY events_kind_task"
        " WHERE kind = 'extension' AND at <= ? ORDER BY at, id",
        (as_of.isoformat(),),
    ):
        try:
            doc = json.loads(data) if data else {}
            if doc.get("action") == "approve" and doc.get("to"):
                out[task] = date.fromisoformat(str(doc["to"]))
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def old_lifecycle_states(store: Store, ids: list[str], as_of: date) -> dict[str, str]:
    """store/lifecycle.py as it was before the checkpoints (queries, one json.loads a row)."""
    last_to: dict[str, str] = {}
    pending: dict[str, bool] = {}
    for task, kind, data in store.query(
        "SELECT task, kind, data FROM events INDEXED BY events_kind_task"
        " WHERE kind IN ('lifecycle', 'extension') AND at <= ? ORDER BY task, at, id",
        (as_of.isoformat(),),
    ):
        try:
            doc = json.loads(data) if data else {}
        except ValueError:
            doc = {}
        doc = doc if isinstance(doc, dict) else {}
        if kind == "lifecycle":
            to = doc.get("to")
            if isinstance(to, str) and to in store_lifecycle._STATES:
                last_to[task] = to
        else:
            pending[task] = doc.get("action") == "request"
    facts = store.query(store_lifecycle._FACTS_SQL, (as_of.isoformat(), json.dumps(ids)))
    return {
        task: store_lifecycle._state(
            last_to.get(task), bool(assigned), bool(active), pending.get(task, False)
        )
        for task, active, assigned in facts
    }


_steps = st.lists(
    st.tuples(_task, st.sampled_from(["lifecycle", "extension", "feedback"]), _day, _DATA),
    max_size=25,
)


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=_steps, as_of=st.integers(-1, 9).map(day), checkpoint_first=st.booleans())
def test_lifecycle_and_dues_read_as_before(
    steps: list[tuple[str, str, date, str | None]], as_of: date, checkpoint_first: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "g.db", write=True) as s:
        if checkpoint_first:
            s.add([Event("T2", "feedback", day(3), progress=5.0)])
            s.write_checkpoint()
        with s.transaction():
            for task, kind, at, data in steps:
                s.insert(
                    "INSERT INTO events (task, kind, at, data) VALUES (?, ?, ?, ?)",
                    (task, kind, at.isoformat(), data),
                )
        add_notice(s, "T3", day(2))
        ids = [*TASKS, "NONE"]
        assert effective_dues(s, as_of) == old_effective_dues(s, as_of)
        old = old_lifecycle_states(s, ids, as_of)
        assert _lifecycles(s, as_of, via_checkpoint=False) == old
        assert _lifecycles(s, as_of, via_checkpoint=True) == old
        for task in ids:  # one task at a time, as feedback asks
            assert lifecycle_states(s, [task], as_of) == {task: old[task]}


@given(texts=st.lists(st.one_of(_DATA, st.text(max_size=6)), max_size=12))
def test_json_objects_is_json_loads_row_by_row(texts: list[str | None]) -> None:
    from gaoxin_cli.store.rows import json_objects

    def one(text: str | None) -> object:
        try:
            doc = json.loads(text) if text else None
        except ValueError:
            return None
        return doc if isinstance(doc, dict) else None

    with sqlite3.connect(":memory:") as conn:
        valid = [conn.execute("SELECT json_valid(?)", (t,)).fetchone()[0] for t in texts]
    assert json_objects(texts, valid) == [one(t) for t in texts]
    assert json_objects(texts, [0] * len(texts)) == [one(t) for t in texts]


def test_json_objects_never_joins_broken_texts_into_documents() -> None:
    """Three broken texts that, joined, would read as three documents: each is read alone."""
    from gaoxin_cli.store.rows import json_objects

    texts = ['{"a": [1', "2]}", '{"b": 3}, {"c": 4}']
    with sqlite3.connect(":memory:") as conn:
        valid = [conn.execute("SELECT json_valid(?)", (t,)).fetchone()[0] for t in texts]
    assert valid == [0, 0, 0]
    assert json_objects(texts, valid) == [None, None, None]
    assert json_objects([*texts, '{"d": 5}'], [*valid, 1]) == [None, None, None, {"d": 5}]
