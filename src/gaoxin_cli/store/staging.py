"""Where ``gaoxin import`` keeps a file's events until the whole file has been checked.

The events and reports of one import go into a private temporary SQLite database (its
own connection to ``""``: SQLite keeps it in memory up to the page cache, then in a temp
file in ``$SQLITE_TMPDIR``, ``$TMPDIR`` or ``/var/tmp``, deleted on close). Memory stays
flat however long the ledger is, and the store is written only once every row has
passed: :meth:`Store.add_staged` then appends them in one transaction, in the order
:meth:`Store.add_unique` would; :meth:`mark_stored` notes the keys the store already holds
(:meth:`Store.stored_keys`), which the backwards check skips and ``--dry-run`` counts.
Nothing here touches the store itself.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from types import TracebackType

from gaoxin_cli.errors import StoreError
from gaoxin_cli.models.state import Event
from gaoxin_cli.store import rows

# Rows buffered in Python before one executemany into the staging tables.
BATCH = 5000
# Up to this many events an import is held in memory (~70 MB at 150,000 events); past
# it, in the temporary database.
SPILL = 150_000
# Page cache of the staging database (KiB): enough for its sorts to run in memory while
# the file is small; a large file's sorts spill to temp files.
_CACHE_KIB = 16384

_EVENT_COLS = ", ".join(rows.COLUMNS)
_EVENT_MARKS = ", ".join("?" for _ in rows.COLUMNS)


class Staging:
    """The events (each with its import key) and the progress reports of one import.

    Held in lists while there are fewer than *spill* events (a file of a few hundred
    thousand rows: sorting them in Python is cheaper than a database round trip), moved
    to the temporary database past that and staged there from then on. Both give the
    same answers (tests/test_import_faults.py compares them)."""

    def __init__(self, spill: int | None = None) -> None:
        self._spill = SPILL if spill is None else spill
        self._conn: sqlite3.Connection | None = None
        self._events: list[rows.Row] = []
        self._reports: list[tuple[int, str, str, float, bool, str]] = []
        self._stored: set[str] = set()  # in memory: the staged keys the store holds
        self.events = 0  # events staged (keys repeated or not)
        self.tasks: set[str] = set()  # tasks of the reports with a progress figure
        self.distinct = 0  # distinct import keys (counted by distinct_keys)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect("", isolation_level=None)
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                "temp_store = FILE",
                f"cache_size = -{_CACHE_KIB}",
            ):
                conn.execute(f"PRAGMA {pragma}").fetchall()
            # n: the event's place in the file (row, then its events in order).
            conn.execute(
                f"CREATE TABLE events (n INTEGER PRIMARY KEY, {_EVENT_COLS}, import_key TEXT)"
            )
            conn.execute(
                "CREATE TABLE reports (line INTEGER, task TEXT, at TEXT, progress REAL,"
                " correct INTEGER, import_key TEXT)"
            )
            # The staged keys the store already holds (mark_stored): skipped rows.
            conn.execute("CREATE TABLE stored (import_key TEXT PRIMARY KEY) WITHOUT ROWID")
            # One transaction for the whole import (never committed: the file dies with
            # the connection). In autocommit mode each staged row would be one.
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise StoreError("error.store_io", path=_temp_dir(), reason=exc) from exc
        return conn

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def add(
        self,
        line: int,
        events: Sequence[Event],
        keys: Sequence[str],
        progress: tuple[str, date, float, bool] | None,
    ) -> None:
        """Stage one row: its events and their import keys, and (task, day, progress,
        correction?) when it reports a progress figure (carried by the row's event with
        a progress)."""
        for event, key in zip(events, keys, strict=True):
            if not key:
                raise ValueError(f"import key must be a non-empty string, got {key!r}")
            self._events.append((self.events, *rows.to_row(event), key))
            self.events += 1
        if progress is not None:
            task, at, value, correct = progress
            key = next((k for e, k in zip(events, keys, strict=True) if e.progress is not None), "")
            self._reports.append((line, task, at.isoformat(), value, correct, key))
            self.tasks.add(task)
        limit = BATCH if self._conn is not None else self._spill
        if len(self._events) >= limit or len(self._reports) >= limit:
            self.flush(spill=True)

    def flush(self, *, spill: bool = False) -> None:
        """Write the buffered rows to the database (opened when *spill*); in memory
        until then."""
        if self._conn is None:
            if not spill:
                return
            self._conn = self._open()
            if self._stored:  # pragma: no cover - mark_stored comes after the last add
                raise RuntimeError("rows staged after mark_stored")
        conn = self._conn
        with self._guard():
            if self._events:
                conn.executemany(
                    f"INSERT INTO events (n, {_EVENT_COLS}, import_key)"
                    f" VALUES (?, {_EVENT_MARKS}, ?)",
                    self._events,
                )
            if self._reports:
                conn.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?)", self._reports)
        self._events.clear()
        self._reports.clear()

    def progress_reports(self) -> Iterator[tuple[int, str, date, float, bool]]:
        """The staged reports with a progress figure as (line, task, day, progress,
        correction?), by task, day and line: the order the backwards check reads. Rows
        the store already holds (:meth:`mark_stored`) are left out: an import skips them,
        so they cannot go backwards (the same file imported twice adds nothing, even when
        a task has two reports on one day)."""
        self.flush()
        if self._conn is None:
            ordered = sorted(self._reports, key=lambda r: (r[1], r[2], r[0]))
            for line, task, at, progress, correct, key in ordered:
                if key not in self._stored:
                    yield line, task, date.fromisoformat(at), progress, bool(correct)
            return
        with self._guard():
            cur = self._conn.execute(
                "SELECT line, task, at, progress, correct FROM reports"
                " WHERE import_key NOT IN (SELECT import_key FROM stored)"
                " ORDER BY task, at, line"
            )
            for line, task, at, progress, correct in cur:
                yield line, task, date.fromisoformat(at), progress, bool(correct)

    def ordered_rows(self) -> Iterator[rows.Row]:
        """The staged events as rows for ``rows.INSERT_UNIQUE`` (key last), grouped by
        task and day, in file order within a day: the order of Store.add_unique."""
        self.flush()
        if self._conn is None:
            # (n, task, kind, at, …): by task, day, then place in the file.
            ordered = sorted(self._events, key=lambda r: (r[1], r[3], r[0]))
            return iter([r[1:] for r in ordered])
        with self._guard():
            # The cursor itself: executemany reads it without a Python frame per row.
            return self._conn.execute(
                f"SELECT {_EVENT_COLS}, import_key FROM events ORDER BY task, at, n"
            )

    def mark_stored(self, keys: Iterable[str]) -> int:
        """Record which staged keys the store already holds; how many."""
        self.flush()
        if self._conn is None:
            before = len(self._stored)
            self._stored.update(keys)
            return len(self._stored) - before
        with self._guard():
            before = self._conn.total_changes
            self._conn.executemany("INSERT OR IGNORE INTO stored VALUES (?)", ((k,) for k in keys))
            return self._conn.total_changes - before

    def distinct_keys(self) -> Iterator[str]:
        """The staged import keys, each once, in sorted order (the order the store's
        index is read best in); :attr:`distinct` counts them once all are read."""
        self.flush()
        self.distinct = 0
        if self._conn is None:
            for key in sorted({r[-1] for r in self._events}):
                self.distinct += 1
                yield key
            return
        with self._guard():
            for (key,) in self._conn.execute(
                "SELECT DISTINCT import_key FROM events ORDER BY import_key"
            ):
                self.distinct += 1
                yield key

    def _guard(self) -> _Translated:
        return _Translated()


def _temp_dir() -> str:
    """Where SQLite puts its temp files on Unix (its own search order, first part)."""
    return os.environ.get("SQLITE_TMPDIR") or os.environ.get("TMPDIR") or "/var/tmp"


class _Translated:
    """The temp database's failures (a full temp directory, mostly) as a StoreError."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, sqlite3.Error):
            raise StoreError("error.store_io", path=_temp_dir(), reason=exc) from exc
