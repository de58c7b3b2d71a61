"""The status store: schema, upgrades, derived state, and every refusal leaving the file as it was."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin_cli.errors import EXIT_PROBLEM, StoreError
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.store import Store
from gaoxin_cli.store.migrations import NAMES, migrations
from helpers import examples

DATA = Path(__file__).resolve().parent / "data" / "store"
M001 = DATA / "schema-m001.db"
D = date(2025, 3, 1)

SCHEMA = """\
CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    awarded_on TEXT NOT NULL,
    holder TEXT,
    result TEXT NOT NULL,
    rules TEXT NOT NULL,
    force_reason TEXT,
    supersedes INTEGER REFERENCES awards (id),
    recorded_at TEXT
);
CREATE TABLE checkpoint_columns (
    id INTEGER PRIMARY KEY,
    checkpoint INTEGER NOT NULL REFERENCES checkpoints (id),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (checkpoint, name)
);
CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    format INTEGER NOT NULL,
    upto INTEGER NOT NULL,
    max_at TEXT
);
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT,
    UNIQUE (notice_id, recipient, sent_on)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    task TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    unit TEXT,
    progress REAL,
    note TEXT,
    milestone TEXT,
    reason TEXT,
    data TEXT,
    source TEXT,
    recorded_at TEXT,
    import_key TEXT
);
CREATE TABLE mail_intents (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL CHECK (sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    notice_ids TEXT NOT NULL,
    recorded_at TEXT
);
CREATE TABLE notice_signs (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    action TEXT NOT NULL CHECK (action IN ('sign', 'withdraw')),
    unit TEXT,
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason TEXT,
    recorded_at TEXT
);
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    subject TEXT NOT NULL,
    subject_kind TEXT NOT NULL DEFAULT 'task',
    rung INTEGER NOT NULL,
    issued_on TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    response_due TEXT,
    unit TEXT,
    recipients TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_at TEXT,
    UNIQUE (kind, year, seq)
);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    reported_on TEXT NOT NULL,
    reporter TEXT NOT NULL,
    task TEXT,
    text TEXT NOT NULL,
    recorded_at TEXT,
    UNIQUE (year, seq)
);
CREATE TABLE score_items (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    points REAL NOT NULL,
    reason TEXT NOT NULL,
    by TEXT,
    recorded_on TEXT NOT NULL,
    recorded_at TEXT
);
CREATE INDEX awards_period ON awards (period, id);
CREATE UNIQUE INDEX events_import_key ON events (import_key) WHERE import_key IS NOT NULL;
CREATE INDEX events_kind_task ON events (kind, task, milestone, at);
CREATE INDEX events_task_kind_at ON events (task, kind, at, id, progress);
CREATE INDEX mail_intents_day ON mail_intents (sent_on, recipient);
CREATE INDEX notice_signs_notice ON notice_signs (notice_id, at, id);
CREATE INDEX notices_subject ON notices (subject, kind, issued_on);
CREATE INDEX score_items_period ON score_items (period, unit);
CREATE TRIGGER awards_no_delete BEFORE DELETE ON awards
BEGIN SELECT RAISE(ABORT, 'awards are append-only: DELETE is not allowed'); END;
CREATE TRIGGER awards_no_update BEFORE UPDATE ON awards
BEGIN SELECT RAISE(ABORT, 'awards are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER checkpoint_columns_no_update BEFORE UPDATE ON checkpoint_columns
BEGIN SELECT RAISE(ABORT, 'checkpoint_columns are replaced, never edited'); END;
CREATE TRIGGER checkpoints_drop_columns AFTER DELETE ON checkpoints
BEGIN DELETE FROM checkpoint_columns WHERE checkpoint = old.id; END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are replaced, never edited'); END;
CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries
BEGIN SELECT RAISE(ABORT, 'deliveries are append-only: DELETE is not allowed'); END;
CREATE TRIGGER deliveries_no_update BEFORE UPDATE ON deliveries
BEGIN SELECT RAISE(ABORT, 'deliveries are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER mail_intents_no_delete BEFORE DELETE ON mail_intents
BEGIN SELECT RAISE(ABORT, 'mail_intents are append-only: DELETE is not allowed'); END;
CREATE TRIGGER mail_intents_no_update BEFORE UPDATE ON mail_intents
BEGIN SELECT RAISE(ABORT, 'mail_intents are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER notice_signs_no_delete BEFORE DELETE ON notice_signs
BEGIN SELECT RAISE(ABORT, 'notice_signs are append-only: DELETE is not allowed'); END;
CREATE TRIGGER notice_signs_no_update BEFORE UPDATE ON notice_signs
BEGIN SELECT RAISE(ABORT, 'notice_signs are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only: DELETE is not allowed'); END;
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER problems_no_delete BEFORE DELETE ON problems
BEGIN SELECT RAISE(ABORT, 'problems are append-only: DELETE is not allowed'); END;
CREATE TRIGGER problems_no_update BEFORE UPDATE ON problems
BEGIN SELECT RAISE(ABORT, 'problems are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER score_items_no_delete BEFORE DELETE ON score_items
BEGIN SELECT RAISE(ABORT, 'score_items are append-only: DELETE is not allowed'); END;
CREATE TRIGGER score_items_no_update BEFORE UPDATE ON score_items
BEGIN SELECT RAISE(ABORT, 'score_items are append-only: UPDATE is not allowed'); END;
"""

# What make_schema_m001.py wrote into the fixture, as the store reads it back.
M001_EVENTS = [
    Event(
        "T1",
        "start",
        date(2025, 3, 3),
        unit="u1",
        source="cli",
        recorded_at="2025-03-03T09:00:00+08:00",
        id=1,
    ),
    Event(
        "T1",
        "feedback",
        date(2025, 3, 10),
        unit="u1",
        progress=30.0,
        note="完成招标",
        source="cli",
        recorded_at="2025-03-10T09:00:00+08:00",
        id=2,
    ),
    Event(
        "T2",
        "feedback",
        date(2025, 3, 12),
        unit="u2",
        progress=10.0,
        note="开工准备",
        source="import:march.csv",
        recorded_at="2025-03-12T18:00:00+08:00",
        id=5,
    ),
    Event(
        "T1",
        "milestone",
        date(2025, 3, 20),
        unit="u1",
        milestone="招标完成",
        source="cli",
        recorded_at="2025-03-20T09:00:00+08:00",
        id=3,
    ),
    Event(
        "T1",
        "correction",
        date(2025, 3, 25),
        unit="u1",
        progress=25.0,
        reason="重新核算",
        source="cli",
        recorded_at="2025-03-25T09:00:00+08:00",
        id=4,
    ),
    Event(
        "T2",
        "card",
        date(2025, 4, 1),
        data={"level": 2, "reasons": [{"key": "card.stale", "params": {"days": 20}}]},
        source="sweep",
        recorded_at="2025-04-01T07:00:00+08:00",
        id=6,
    ),
]


def day(n: int) -> date:
    return D + timedelta(days=n)


def fb(task: str, n: int, progress: float | None = None, **kw: object) -> Event:
    return Event(task, "feedback", day(n), progress=progress, **kw)


class Snapshot:
    """Bytes and mtime of a database file, and what its -wal log holds: proof nothing was written.

    A missing -wal counts as an empty one: a read-only connection may leave an empty log
    (and a -shm index) behind, which carries no change.
    """

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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "gaoxin.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, write=True) as s:
        yield s


def made(path: Path, events: Sequence[Event] = ()) -> Path:
    """A closed, current database at *path* holding *events*."""
    with Store.open(path, write=True) as s:
        s.add(events)
    return path


def m001_copy(tmp_path: Path) -> Path:
    target = tmp_path / "old.db"
    shutil.copyfile(M001, target)
    return target


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (autocommit), closed at the end."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def error_key(exc: pytest.ExceptionInfo[StoreError]) -> str:
    return exc.value.msg.key


# --- schema and migrations ---------------------------------------------------------------


def test_schema_is_pinned(store: Store) -> None:
    assert store.schema_sql() == SCHEMA
    with raw(store.path) as conn:
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'gaoxin' ORDER BY id"
            )
        ]
    assert (
        applied
        == list(NAMES)
        == [
            "m001_events",
            "m002_append_only",
            "m003_notices",
            "m004_problems",
            "m005_awards",
            "m006_checkpoints",
            "m007_mail_intents",
            "m008_notice_signs",
        ]
    )


def test_committed_m001_fixture_is_what_m001_makes(tmp_path: Path) -> None:
    """m001 has shipped: editing it would fork old and new databases. Append m003 instead."""
    from sqlite_utils import Database

    fresh = tmp_path / "fresh.db"
    migrations().apply(Database(fresh, execute_plugins=False), stop_before="m002_append_only")

    def schema(path: Path) -> list[tuple[str, str]]:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))

    assert schema(fresh) == schema(m001_copy(tmp_path))


def test_upgrade_from_the_first_schema_keeps_events(tmp_path: Path) -> None:
    path = m001_copy(tmp_path)
    with Store.open(path, write=True) as s:
        assert s.schema_sql() == SCHEMA
        assert s.history() == M001_EVENTS
        assert s.count() == 6
        # m002 made the fixture's import key unique, and history append-only.
        assert s.add_unique([fb("T2", 11, 10.0)], ["march.csv:2"]) == 0
        assert s.states(date(2025, 4, 30)) == {
            "T1": TaskState(
                25.0,
                date(2025, 3, 25),
                date(2025, 3, 25),
                2,
                date(2025, 3, 3),
                {"招标完成": date(2025, 3, 20)},
            ),
            "T2": TaskState(
                10.0,
                date(2025, 3, 12),
                date(2025, 3, 12),
                1,
                date(2025, 3, 12),
                {},
                2,
                date(2025, 4, 1),
            ),
        }
    with raw(path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    with Store.open(path, write=True) as s:  # opening again applies nothing
        assert s.count() == 6


def test_reading_a_writable_old_database_upgrades_it(tmp_path: Path) -> None:
    path = m001_copy(tmp_path)
    with Store.open(path, write=False) as s:
        assert s.history("T1") == [e for e in M001_EVENTS if e.task == "T1"]
    with Store.open(path, write=False) as s:
        assert s.schema_sql() == SCHEMA


def test_reading_a_read_only_old_database_is_refused(tmp_path: Path) -> None:
    path = m001_copy(tmp_path)
    path.chmod(0o444)
    snap = Snapshot(path)
    with pytest.raises(StoreError) as exc:
        Store.open(path, write=False)
    assert error_key(exc) == "error.store_needs_upgrade"
    assert snap.unchanged()


def test_missing_file_read_gives_an_empty_store_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "data" / "gaoxin.db"
    with Store.open(path, write=False) as s:
        assert s.count() == 0
        assert s.states(D) == {}
        assert s.state("T1", D) == TaskState()
        assert s.history() == []
        assert s.cards(D) == {}
        assert s.schema_sql() == SCHEMA
        assert s.path == path
        with pytest.raises(RuntimeError, match="read-only"):
            s.add([fb("T1", 0, 10)])
    assert not path.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_empty_file_read_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "gaoxin.db"
    path.touch()
    snap = Snapshot(path)
    with Store.open(path, write=False) as s:
        assert s.count() == 0
    assert snap.unchanged()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gaoxin.db"]


def test_write_creates_directory_file_and_wal(db_path: Path) -> None:
    with Store.open(db_path, write=True, today=D) as s:
        assert s.today == D
        with raw(db_path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert s._conn.execute("PRAGMA busy_timeout").fetchone() == (5000,)
    assert db_path.is_file()
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["gaoxin.db"]  # WAL checkpointed


def test_reading_does_not_write(db_path: Path) -> None:
    made(db_path, [fb("T1", 0, 10)])
    snap = Snapshot(db_path)
    with Store.open(db_path, write=False) as s:
        s.states(D)
        s.history()
        with s.transaction():
            s.state("T1", D)
    assert snap.unchanged()


def test_busy_timeout_from_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAOXIN_BUSY_TIMEOUT_MS", "250")
    with Store.open(db_path, write=True) as s:
        assert s._conn.execute("PRAGMA busy_timeout").fetchone() == (250,)
    with Store.open(db_path, write=True, busy_timeout_ms=40) as s:
        assert s._conn.execute("PRAGMA busy_timeout").fetchone() == (40,)


def test_importing_the_store_does_not_import_sqlite_utils() -> None:
    code = "import sys, gaoxin_cli.store; print('sqlite_utils' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "False\n"


# --- writing ---------------------------------------------------------------------------


def test_add_returns_ids_and_round_trips(store: Store) -> None:
    data = {
        "level": 3,
        "reasons": [{"key": "card.overdue", "params": {"days": 12, "名称": "中文"}}],
    }
    events = [
        fb(
            "T1",
            2,
            40,
            note="完成 40%",
            unit="u1",
            source="cli",
            recorded_at="2025-03-03T10:00:00+08:00",
        ),
        Event("T1", "card", day(1), data=data, source="sweep"),
        Event("T1", "correction", day(2), progress=35.5, reason="返工"),
    ]
    ids = store.add(events)
    assert ids == [1, 2, 3]
    got = store.history("T1")
    assert [e.id for e in got] == [2, 1, 3]  # by (at, id)
    assert got[0].data == data
    assert isinstance(got[0].at, date)
    assert got[1] == Event(**{**_fields(events[0]), "progress": 40.0, "id": 1})
    assert store.count() == 3
    assert store.add([]) == []
    with raw(store.path) as conn:
        text = conn.execute("SELECT data FROM events WHERE id = 2").fetchone()[0]
    assert "中文" in text  # ensure_ascii=False


def _fields(e: Event) -> dict[str, object]:
    return e._asdict()


def test_history_of_everything_until(store: Store) -> None:
    store.add([fb("T2", 5, 1), fb("T1", 1, 1), fb("T1", 9, 2), fb("T3", 1, 3)])
    assert [(e.task, e.at) for e in store.history(until=day(5))] == [
        ("T1", day(1)),
        ("T3", day(1)),
        ("T2", day(5)),
    ]
    assert [e.id for e in store.history()] == [2, 4, 1, 3]
    assert store.history("nobody") == []


def test_a_bad_event_is_a_bug_and_writes_nothing(store: Store) -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        store.add([fb("T1", 0, 1), Event("T1", "feedback", datetime(2025, 3, 1, 12, 0))])
    with pytest.raises(ValueError, match="task and a kind"):
        store.add([Event("", "feedback", D)])
    with pytest.raises(TypeError, match="JSON"):
        store.add([Event("T1", "card", D, data={"x": object()})])
    assert store.count() == 0
    with raw(store.path) as conn, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO events (task, kind, at) VALUES ('T1', 'feedback', '1.3.2025')")


def test_transaction_commits_or_rolls_back(store: Store) -> None:
    with store.transaction() as tx:
        assert tx is store
        current = store.state("T1", D).progress
        store.add([fb("T1", 0, current + 10)])
        assert store.state("T1", D).progress == 10
    with pytest.raises(ZeroDivisionError), store.transaction():
        store.add([fb("T1", 0, 20)])
        1 / 0  # noqa: B018
    assert store.count() == 1
    with store.transaction():  # a nested one is a savepoint
        store.add([fb("T1", 1, 30)])
        with pytest.raises(KeyError), store.transaction():
            store.add([fb("T1", 2, 40)])
            raise KeyError
    assert [e.progress for e in store.history()] == [10.0, 30.0]


def test_count_new_says_what_add_unique_would_add(store: Store) -> None:
    events = [fb(f"T{i % 7}", i % 30, float(i % 101)) for i in range(1200)]
    keys = [f"feedback.csv:{i + 2}" for i in range(1200)]
    assert store.count_new(keys) == 1200  # more keys than one query takes
    assert store.add_unique(events[:700], keys[:700]) == 700
    assert store.count_new([*keys, "dup", "dup"]) == 501
    assert store.count() == 700


def test_add_unique_is_idempotent(store: Store) -> None:
    events = [fb(f"T{i % 7}", i % 30, float(i % 101)) for i in range(500)]
    keys = [f"feedback.csv:{i + 2}" for i in range(500)]
    assert store.add_unique(events, keys) == 500
    assert store.add_unique(events, keys) == 0
    assert store.add_unique([*events[:10], fb("T9", 1, 5)], [*keys[:10], "other.csv:2"]) == 1
    assert store.add_unique([fb("T8", 1, 5), fb("T8", 2, 6)], ["dup", "dup"]) == 1
    assert store.count() == 502
    assert store.add_unique([], []) == 0
    with pytest.raises(ValueError, match="keys"):
        store.add_unique(events[:2], keys[:1])
    with pytest.raises(ValueError, match="non-empty"):
        store.add_unique(events[:1], [""])


def test_add_unique_keeps_the_order_of_one_task_on_one_day(store: Store) -> None:
    events = [
        fb("T2", 1, 50),
        fb("T1", 1, 10),
        Event("T1", "correction", day(1), progress=5, reason="r"),
        fb("T1", 1, 7),
    ]
    store.add_unique(events, ["a", "b", "c", "d"])
    assert [e.progress for e in store.history("T1")] == [10.0, 5.0, 7.0]
    assert store.state("T1", day(1)).progress == 7.0


def test_add_unique_is_fast(store: Store) -> None:
    import time

    events = [
        fb(f"T{i % 1000:04d}", i % 300, float(i % 101), unit="u1", note="进展")
        for i in range(100_000)
    ]
    keys = [f"big.csv:{i}" for i in range(100_000)]
    t0 = time.perf_counter()
    assert store.add_unique(events, keys) == 100_000
    assert time.perf_counter() - t0 < 5


def test_events_cannot_be_updated_or_deleted(store: Store) -> None:
    store.add([fb("T1", 0, 10), fb("T1", 1, 20)])
    with raw(store.path) as conn:
        for sql in (
            "UPDATE events SET progress = 99",
            "DELETE FROM events WHERE id = 1",
            "DELETE FROM events",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    # Nor through the store's connection by a REPLACE (a delete in disguise), sqlite-utils or not.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store._conn.execute(
            "INSERT OR REPLACE INTO events (id, task, kind, at) VALUES (1, 'T1', 'feedback', '2025-03-01')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db["events"].insert(
            {"id": 2, "task": "T1", "kind": "start", "at": "2025-03-01"}, replace=True
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db["events"].upsert(
            {"id": 2, "task": "T1", "kind": "start", "at": "2025-03-01"}, pk="id"
        )
    assert [e.progress for e in store.history()] == [10.0, 20.0]


# --- derived state ---------------------------------------------------------------------


def test_latest_progress_is_by_date_then_id(store: Store) -> None:
    store.add([fb("T1", 5, 50), fb("T1", 5, 40), fb("T1", 3, 90)])  # the day-3 report came late
    s = store.state("T1", day(10))
    assert (s.progress, s.progress_at, s.last_report, s.reports) == (40.0, day(5), day(5), 3)


def test_a_correction_lowers_progress(store: Store) -> None:
    store.add([fb("T1", 1, 60), Event("T1", "correction", day(2), progress=45, reason="审计调减")])
    assert store.state("T1", day(2)).progress == 45.0
    assert store.state("T1", day(1)).progress == 60.0


def test_note_only_feedback_counts_as_a_report_but_keeps_progress(store: Store) -> None:
    store.add([fb("T1", 1, 30), fb("T1", 4, note="推进中")])
    s = store.state("T1", day(9))
    assert (s.progress, s.progress_at, s.last_report, s.reports) == (30.0, day(1), day(4), 2)


def test_started_by_start_event_else_first_progress(store: Store) -> None:
    store.add(
        [
            fb("A", 1, 0),
            fb("A", 3, 10),
            fb("A", 5, 20),  # 0 % does not start it
            fb("B", 1, 10),
            Event("B", "start", day(6)),
            Event("B", "start", day(4)),  # earliest start wins
            Event("C", "start", day(2)),
        ]
    )
    got = store.states(day(9))
    assert (got["A"].started, got["B"].started, got["C"].started) == (day(3), day(4), day(2))
    assert got["C"] == TaskState(started=day(2))
    assert store.state("A", day(2)).started is None
    assert store.state("B", day(3)).started == day(1)  # start events after as_of do not count


def test_milestones_keep_their_earliest_date(store: Store) -> None:
    store.add(
        [
            Event("T1", "milestone", day(5), milestone="主体封顶"),
            Event("T1", "milestone", day(3), milestone="主体封顶"),
            Event("T1", "milestone", day(7), milestone="竣工验收"),
        ]
    )
    assert store.state("T1", day(9)).milestones_done == {"主体封顶": day(3), "竣工验收": day(7)}
    assert store.state("T1", day(4)).milestones_done == {"主体封顶": day(3)}


def test_as_of_excludes_later_events(store: Store) -> None:
    store.add([fb("T1", 5, 50), Event("T1", "milestone", day(6), milestone="m"), fb("T2", 1, 10)])
    assert store.states(day(0)) == {}
    assert set(store.states(day(1))) == {"T2"}
    assert store.state("T1", day(4)) == TaskState()
    assert store.state("T1", day(5)) == TaskState(50.0, day(5), day(5), 1, day(5))


def test_card_is_the_latest_recorded(store: Store) -> None:
    card = "card"
    store.add(
        [
            Event("T1", card, day(1), data={"level": 1, "reasons": []}),
            Event("T1", card, day(4), data={"level": 3, "reasons": []}),
            Event("T1", card, day(4), data={"level": 2, "reasons": []}),  # same day, later: wins
            Event("T2", card, day(2), data={"level": 0, "reasons": []}),
            Event("T3", card, day(2), data={"reasons": []}),  # no level: not a card
        ]
    )
    assert store.cards(day(9)) == {"T1": (2, day(4)), "T2": (0, day(2))}
    assert store.cards(day(3)) == {"T1": (1, day(1)), "T2": (0, day(2))}
    s = store.state("T1", day(9))
    assert (s.card_level, s.card_since, s.reports) == (2, day(4), 0)
    assert store.state("T3", day(9)) == TaskState()


def test_states_of_some_tasks(store: Store) -> None:
    store.add([fb(f"T{i}", i % 5, i) for i in range(1200)])
    everything = store.states(day(9))
    assert len(everything) == 1200
    some = [f"T{i}" for i in range(0, 1200, 2)] + ["missing"]
    assert store.states(day(9), some) == {t: everything[t] for t in some if t != "missing"}
    assert store.states(day(9), []) == {}
    many = [f"T{i}" for i in range(1, 1200)] + [f"other{i}" for i in range(2500)]  # > 2000 named
    assert store.states(day(9), many) == {t: s for t, s in everything.items() if t != "T0"}


def reference(events: Sequence[Event], as_of: date) -> dict[str, TaskState]:
    """The definition in models/state.py, computed the slow, obvious way."""
    out: dict[str, TaskState] = {}
    for task in {e.task for e in events}:
        mine = [(e.at, i, e) for i, e in enumerate(events) if e.task == task and e.at <= as_of]
        if not mine:
            continue
        mine.sort(key=lambda t: (t[0], t[1]))
        reports = [e for _, _, e in mine if e.kind in ("feedback", "correction")]
        valued = [e for e in reports if e.progress is not None]
        starts = [e.at for _, _, e in mine if e.kind == "start"]
        moving = [e.at for e in valued if e.progress is not None and e.progress > 0]
        milestones: dict[str, date] = {}
        for _, _, e in mine:
            if e.kind == "milestone" and e.milestone is not None:
                milestones.setdefault(e.milestone, e.at)
        cards = [e for _, _, e in mine if e.kind == "card"]
        last_card = cards[-1] if cards and cards[-1].data and "level" in cards[-1].data else None
        state = TaskState(
            progress=float(valued[-1].progress or 0) if valued else 0.0,
            progress_at=valued[-1].at if valued else None,
            last_report=reports[-1].at if reports else None,
            reports=len(reports),
            started=min(starts) if starts else (min(moving) if moving else None),
            milestones_done=milestones,
            card_level=last_card.data["level"] if last_card and last_card.data else None,
            card_since=last_card.at if last_card else None,
        )
        if state != TaskState():  # events of other kinds alone leave a task out
            out[task] = state
    return out


_events = st.builds(
    Event,
    task=st.sampled_from(["T1", "T2", "T3"]),
    kind=st.sampled_from(["feedback", "correction", "milestone", "start", "card", "notice"]),
    at=st.integers(0, 6).map(day),
    progress=st.one_of(st.none(), st.integers(0, 100).map(float)),
    milestone=st.sampled_from([None, "m1", "m2"]),
    data=st.one_of(st.none(), st.fixed_dictionaries({"level": st.integers(0, 4)})),
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    events=st.lists(_events, max_size=25), as_of=st.integers(-1, 7).map(day), unique=st.booleans()
)
def test_states_match_the_definition(events: list[Event], as_of: date, unique: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "g.db", write=True) as s:
        if unique:
            s.add_unique(events, [str(i) for i in range(len(events))])
        else:
            s.add(events)
        expected = reference(events, as_of)
        assert s.states(as_of) == expected
        for task in ("T1", "T2", "T3"):
            assert s.state(task, as_of) == expected.get(task, TaskState())
        assert s.cards(as_of) == {
            t: (x.card_level, x.card_since) for t, x in expected.items() if x.card_level is not None
        }


# --- refusals: the file is left exactly as it was ----------------------------------------


def hold_write_lock(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_locked_database_when_adding(db_path: Path) -> None:
    made(db_path, [fb("T1", 0, 10)])
    holder = hold_write_lock(db_path)
    try:
        snap = Snapshot(db_path)
        with Store.open(db_path, write=True, busy_timeout_ms=100) as s:
            assert s.state("T1", D).progress == 10  # WAL: reading goes on
            with pytest.raises(StoreError) as exc:
                s.add([fb("T1", 1, 20)])
            assert error_key(exc) == "error.store_locked"
            assert exc.value.exit_code == EXIT_PROBLEM
            assert str(db_path) in str(exc.value)
            assert "0.1 s" in str(exc.value)
            with pytest.raises(StoreError), s.transaction():
                pass
        assert snap.unchanged()
    finally:
        holder.rollback()
        holder.close()
    with Store.open(db_path, write=False) as s:
        assert s.count() == 1


def test_locked_database_when_upgrading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = m001_copy(tmp_path)
    monkeypatch.setenv("GAOXIN_BUSY_TIMEOUT_MS", "100")
    holder = hold_write_lock(path)
    try:
        snap = Snapshot(path)
        for write in (True, False):
            with pytest.raises(StoreError) as exc:
                Store.open(path, write=write)
            assert error_key(exc) == "error.store_locked"
        assert snap.unchanged()
    finally:
        holder.rollback()
        holder.close()


def test_read_only_file(db_path: Path) -> None:
    made(db_path, [fb("T1", 0, 10)])
    db_path.chmod(0o444)
    snap = Snapshot(db_path)
    with pytest.raises(StoreError) as exc:
        Store.open(db_path, write=True)
    assert error_key(exc) == "error.store_read_only"
    assert str(db_path) in exc.value.message("zh")
    with Store.open(db_path, write=False) as s:  # reading a read-only file is fine
        assert s.state("T1", D).progress == 10
        # SQLite's own refusal, had a write slipped through, is a StoreError too.
        with pytest.raises(StoreError) as exc, s._guard():
            s._conn.execute(
                "INSERT INTO events (task, kind, at) VALUES ('T1', 'start', '2025-03-01')"
            )
        assert error_key(exc) == "error.store_read_only"
    assert snap.unchanged()


def test_read_only_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    try:
        with pytest.raises(StoreError) as exc:
            Store.open(data / "gaoxin.db", write=True)
        assert error_key(exc) == "error.store_read_only"
        assert list(data.iterdir()) == []
    finally:
        data.chmod(0o755)


def test_unwritable_parent_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError) as exc:
        Store.open(blocker / "gaoxin.db", write=True)
    assert error_key(exc) == "error.store_cannot_create"


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    for write in (True, False):
        with pytest.raises(StoreError) as exc:
            Store.open(tmp_path, write=write)
        assert error_key(exc) == "error.store_not_file"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(1).randbytes(4096), id="random-bytes"),
        pytest.param(b"task,kind,at\nT1,feedback,2025-03-01\n", id="csv-text"),
        pytest.param(
            b"SQLite format 3\x00" + random.Random(2).randbytes(8000), id="header-then-noise"
        ),
    ],
)
def test_not_a_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "gaoxin.db"
    path.write_bytes(content)
    snap = Snapshot(path)
    for write in (True, False):
        with pytest.raises(StoreError) as exc:
            Store.open(path, write=write)
        assert error_key(exc) == "error.store_corrupt"
        assert "left untouched" in str(exc.value)
    assert snap.unchanged()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gaoxin.db"]


def test_truncated_database(db_path: Path) -> None:
    made(db_path, [fb(f"T{i}", i % 30, i % 100, note="进展说明" * 10) for i in range(3000)])
    size = db_path.stat().st_size
    with db_path.open("r+b") as fh:
        fh.truncate(size // 2)
    snap = Snapshot(db_path)
    for write in (True, False):
        with pytest.raises(StoreError) as exc:
            Store.open(db_path, write=write)
        assert error_key(exc) == "error.store_corrupt"
        assert "truncated" in str(exc.value)
    assert snap.unchanged()


def test_damage_found_while_reading(db_path: Path) -> None:
    made(db_path, [fb(f"T{i}", i % 30, i % 100, note="进展说明" * 10) for i in range(3000)])
    page = 4096
    with db_path.open("r+b") as fh:  # overwrite every page after the first few with noise
        size = fh.seek(0, os.SEEK_END)
        fh.seek(4 * page)
        fh.write(random.Random(3).randbytes(size - 4 * page))
    with pytest.raises(StoreError) as exc, Store.open(db_path, write=False) as s:
        s.states(D)
        s.history()
    assert error_key(exc) == "error.store_corrupt"


def test_database_from_a_newer_gaoxin(db_path: Path) -> None:
    made(db_path, [fb("T1", 0, 10)])
    with raw(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('gaoxin', 'm099_future', 'x')"
        )
    snap = Snapshot(db_path)
    for write in (True, False):
        with pytest.raises(StoreError) as exc:
            Store.open(db_path, write=write)
        assert error_key(exc) == "error.store_newer"
        assert "m099_future" in str(exc.value)
    assert snap.unchanged()


def test_someone_elses_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with raw(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    snap = Snapshot(path)
    for write in (True, False):
        with pytest.raises(StoreError) as exc:
            Store.open(path, write=write)
        assert error_key(exc) == "error.store_foreign"
        assert "invoices" in str(exc.value)
    assert snap.unchanged()


def test_store_errors_read_well_in_both_languages(db_path: Path) -> None:
    keys = [
        "locked",
        "read_only",
        "needs_upgrade",
        "corrupt",
        "newer",
        "foreign",
        "not_file",
        "cannot_create",
        "io",
    ]
    for key in keys:
        err = StoreError(
            f"error.store_{key}", path=str(db_path), reason="r", seconds="5", names="m9", tables="t"
        )
        assert str(db_path) in err.message("zh")
        assert str(db_path) in err.message("en")
        assert err.exit_code == EXIT_PROBLEM


def test_query_and_insert_for_store_modules(db_path: Path) -> None:
    with Store.open(db_path, write=True) as s, s.transaction():
        rowid = s.insert(
            "INSERT INTO problems (number, year, seq, reported_on, reporter, text)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            ("问题〔2020〕1号", 2020, 1, "2020-03-02", "jianshe", "路灯不亮"),
        )
        assert s.query("SELECT id, number FROM problems") == [(rowid, "问题〔2020〕1号")]
    with Store.open(db_path, write=False) as s, pytest.raises(RuntimeError, match="read-only"):
        s.insert("INSERT INTO problems DEFAULT VALUES")


def test_notices_read_back_equal_to_what_the_constructor_makes() -> None:
    from dataclasses import fields

    from gaoxin_cli.store.notices import StoredNotice, _notice

    row = (7, "督办〔2020〕3号", "supervise", 2020, 3, "T1", 3, "2020-06-01", None, "u",
           "[]", "{}", None, None)  # fmt: skip
    made = _notice(row)
    expected = StoredNotice(
        7, "督办〔2020〕3号", "supervise", 2020, 3, "T1", 3, date(2020, 6, 1), None, "u", "[]", "{}"
    )
    assert made == expected
    assert {f.name for f in fields(StoredNotice)} == set(vars(made))
    assert made.recipients == () and made.body == {}
    with pytest.raises(AttributeError):
        made.rung = 4  # type: ignore[misc]


def test_has_kind(store: Store) -> None:
    assert not store.has_kind("feedback")
    store.add([fb("T1", 5, 1)])
    assert store.has_kind("feedback") and not store.has_kind("problem")
