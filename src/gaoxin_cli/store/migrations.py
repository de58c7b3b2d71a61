"""Schema changes, append-only: ``mNNN_*`` functions applied in order by sqlite-utils.

Rules (docs/store.md):

* A migration that has shipped is never edited, renamed or removed — old databases have
  recorded its name in ``_sqlite_migrations`` and a test compares the committed
  ``tests/data/store/schema-m001.db`` with what ``m001`` makes today.
* A change is a new function appended below and registered with ``@_step``; a later issue
  adds a table, a column or an index this way. Never drop and rebuild ``events``.
* Each migration runs in the transaction that opened the store for writing, so it applies
  completely or not at all.

Importing this module does not import sqlite-utils (it pulls in click, and numpy when
that is installed); :func:`migrations` does, and the store calls it only when a
migration is pending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

SET_NAME = "gaoxin"

_Step = Callable[["Database"], None]
_STEPS: list[_Step] = []


def _step(fn: _Step) -> _Step:
    _STEPS.append(fn)
    return fn


@_step
def m001_events(db: Database) -> None:
    """The event log and the indexes the state queries read.

    ``events_task_kind_at`` orders each task's events of one kind by ``(at, id)`` and
    carries ``progress``, so deriving state for every task is one covering-index scan.
    ``events_kind_task`` serves kind-wide scans (every card, every milestone, …).
    """
    db.execute(
        """CREATE TABLE events (
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
)"""
    )
    db.execute("CREATE INDEX events_task_kind_at ON events (task, kind, at, id, progress)")
    db.execute("CREATE INDEX events_kind_task ON events (kind, task, milestone, at)")


@_step
def m002_append_only(db: Database) -> None:
    """History cannot be edited, even by a bug; an import key is recorded once."""
    db.execute(
        "CREATE UNIQUE INDEX events_import_key ON events (import_key) WHERE import_key IS NOT NULL"
    )
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events\n"
            f"BEGIN SELECT RAISE(ABORT, 'events are append-only: {action} is not allowed'); END"
        )


NAMES: tuple[str, ...] = tuple(fn.__name__ for fn in _STEPS)


def migrations() -> Migrations:
    """The ``gaoxin`` migration set, every step registered in order."""
    from sqlite_utils.migrations import Migrations

    mig = Migrations(SET_NAME)
    for fn in _STEPS:
        mig()(fn)
    return mig
