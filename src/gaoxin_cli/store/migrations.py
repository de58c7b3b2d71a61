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


def _append_only(db: Database, table: str) -> None:
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}\n"
            f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: {action} is not allowed'); END"
        )


@_step
def m003_notices(db: Database) -> None:
    """Formal notices (三单: 交办单, 提醒, 催办单, 督办单, 通报单) and their deliveries.

    A number is unique per kind and year (督办〔2020〕12号), so two runs at once can never
    issue the same number; a delivery is recorded only after the mail server accepted it,
    once per recipient and day (a repeated reminder is a new delivery on a later day).
    """
    db.execute(
        """CREATE TABLE notices (
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
)"""
    )
    db.execute("CREATE INDEX notices_subject ON notices (subject, kind, issued_on)")
    db.execute(
        """CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT,
    UNIQUE (notice_id, recipient, sent_on)
)"""
    )
    _append_only(db, "notices")
    _append_only(db, "deliveries")


@_step
def m004_problems(db: Database) -> None:
    """问题提报: a problem's number and first words; its steps are ``problem`` events."""
    db.execute(
        """CREATE TABLE problems (
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
)"""
    )
    _append_only(db, "problems")


@_step
def m005_awards(db: Database) -> None:
    """流动红旗: a frozen period result, and manual score items (inspection, 加分/扣分)."""
    db.execute(
        """CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    awarded_on TEXT NOT NULL,
    holder TEXT,
    result TEXT NOT NULL,
    rules TEXT NOT NULL,
    force_reason TEXT,
    supersedes INTEGER REFERENCES awards (id),
    recorded_at TEXT
)"""
    )
    db.execute("CREATE INDEX awards_period ON awards (period, id)")
    db.execute(
        """CREATE TABLE score_items (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    points REAL NOT NULL,
    reason TEXT NOT NULL,
    by TEXT,
    recorded_on TEXT NOT NULL,
    recorded_at TEXT
)"""
    )
    db.execute("CREATE INDEX score_items_period ON score_items (period, unit)")
    _append_only(db, "awards")
    _append_only(db, "score_items")


@_step
def m006_checkpoints(db: Database) -> None:
    """State checkpoints (store/checkpoint.py): every task's aggregates over the events up
    to ``upto``, kept as packed columns, one row each. A cache: rows are replaced by newer
    checkpoints (deleting one deletes its columns) but never edited; the events are
    untouched, and deleting every checkpoint changes no result.
    """
    db.execute(
        """CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    format INTEGER NOT NULL,
    upto INTEGER NOT NULL,
    max_at TEXT
)"""
    )
    db.execute(
        """CREATE TABLE checkpoint_columns (
    id INTEGER PRIMARY KEY,
    checkpoint INTEGER NOT NULL REFERENCES checkpoints (id),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (checkpoint, name)
)"""
    )
    db.execute(
        "CREATE TRIGGER checkpoints_drop_columns AFTER DELETE ON checkpoints\n"
        "BEGIN DELETE FROM checkpoint_columns WHERE checkpoint = old.id; END"
    )
    for table in ("checkpoints", "checkpoint_columns"):
        db.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}\n"
            f"BEGIN SELECT RAISE(ABORT, '{table} are replaced, never edited'); END"
        )


@_step
def m007_mail_intents(db: Database) -> None:
    """What ``notify`` is about to send, written before it is handed to the server or the
    outbox: the Message-ID, the recipient, the day and the notices it carries. A retry
    of the same mail (same recipient, day and notices) reuses the Message-ID, so a mail
    accepted but not yet recorded when a run died reaches every client as the same
    message. Deliveries stay the record of what was sent; intents are only appended.
    """
    db.execute(
        """CREATE TABLE mail_intents (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL CHECK (sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    notice_ids TEXT NOT NULL,
    recorded_at TEXT
)"""
    )
    db.execute("CREATE INDEX mail_intents_day ON mail_intents (sent_on, recipient)")
    _append_only(db, "mail_intents")


@_step
def m008_notice_signs(db: Database) -> None:
    """签收: a unit's acknowledgement of a notice (``sign``, dated ``at``: when the unit
    acknowledged it) and its withdrawal (``withdraw``, with a reason). Append-only like
    every record: a notice's standing on a day is its latest row up to that day.
    """
    db.execute(
        """CREATE TABLE notice_signs (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    action TEXT NOT NULL CHECK (action IN ('sign', 'withdraw')),
    unit TEXT,
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason TEXT,
    recorded_at TEXT
)"""
    )
    db.execute("CREATE INDEX notice_signs_notice ON notice_signs (notice_id, at, id)")
    _append_only(db, "notice_signs")


NAMES: tuple[str, ...] = tuple(fn.__name__ for fn in _STEPS)


def migrations() -> Migrations:
    """The ``gaoxin`` migration set, every step registered in order."""
    from sqlite_utils.migrations import Migrations

    mig = Migrations(SET_NAME)
    for fn in _STEPS:
        mig()(fn)
    return mig
