"""(Re)create ``schema-m001.db``: a status database as gaoxin's first schema left it.

    python3 tests/data/store/make_schema_m001.py

Only migration ``m001_events`` is applied (``Migrations.apply(stop_before=...)``), in WAL
mode as the store opens files, and a few events are written with m001's columns.
tests/test_store.py upgrades a copy and checks those events survive, and checks that
``m001_events`` still makes exactly this schema (a shipped migration is never edited).
Regenerating it changes only the ``applied_at`` timestamps.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "schema-m001.db"
STOP_BEFORE = "m002_append_only"

# task, kind, at, unit, progress, note, milestone, reason, data, source, recorded_at, import_key
EVENTS = [
    (
        "T1",
        "start",
        "2025-03-03",
        "u1",
        None,
        None,
        None,
        None,
        None,
        "cli",
        "2025-03-03T09:00:00+08:00",
        None,
    ),
    (
        "T1",
        "feedback",
        "2025-03-10",
        "u1",
        30.0,
        "完成招标",
        None,
        None,
        None,
        "cli",
        "2025-03-10T09:00:00+08:00",
        None,
    ),
    (
        "T1",
        "milestone",
        "2025-03-20",
        "u1",
        None,
        None,
        "招标完成",
        None,
        None,
        "cli",
        "2025-03-20T09:00:00+08:00",
        None,
    ),
    (
        "T1",
        "correction",
        "2025-03-25",
        "u1",
        25.0,
        None,
        None,
        "重新核算",
        None,
        "cli",
        "2025-03-25T09:00:00+08:00",
        None,
    ),
    (
        "T2",
        "feedback",
        "2025-03-12",
        "u2",
        10.0,
        "开工准备",
        None,
        None,
        None,
        "import:march.csv",
        "2025-03-12T18:00:00+08:00",
        "march.csv:2",
    ),
    (
        "T2",
        "card",
        "2025-04-01",
        None,
        None,
        None,
        None,
        None,
        '{"level": 2, "reasons": [{"key": "card.stale", "params": {"days": 20}}]}',
        "sweep",
        "2025-04-01T07:00:00+08:00",
        None,
    ),
]


def build(path: Path) -> None:
    from sqlite_utils import Database

    from gaoxin_cli.store.migrations import migrations

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations().apply(Database(conn, execute_plugins=False), stop_before=STOP_BEFORE)
    conn.executemany(
        "INSERT INTO events (task, kind, at, unit, progress, note, milestone, reason, data,"
        " source, recorded_at, import_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        EVENTS,
    )
    conn.close()


if __name__ == "__main__":
    build(TARGET)
    print(f"wrote {TARGET}")
