"""The :class:`Store`: open (and migrate), append events, derive state."""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gaoxin_cli.errors import StoreError
from gaoxin_cli.models.state import DONE_AT, Event, TaskState
from gaoxin_cli.store import checkpoint, derive, files, rows
from gaoxin_cli.store.migrations import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    from gaoxin_cli.store.staging import Staging

_savepoints = itertools.count(1)
# Naming more tasks than this, the checkpoint (all tasks, ~10 ms for 10,000) beats the
# per-task queries (~30 µs a task).
_VIA_CHECKPOINT = 300
# Keys per IN (…) query of count_new: well under SQLite's limit on bound parameters.
_KEYS_PER_QUERY = 500
# What a reader waits out (up to the busy timeout): a lock, a writer's log not yet folded in.
_WAIT_FOR = ("error.store_locked", "error.store_log_pending")


class Store:
    """The status database: an append-only ``events`` table and queries over it.

    Open it with :meth:`Store.open`; use it as a context manager, or call :meth:`close`.
    Every ``sqlite3`` failure a person can act on (locked, read-only, corrupt, disk full)
    surfaces as :class:`~gaoxin_cli.errors.StoreError`; anything else is a bug.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        write: bool,
        today: date | None,
        timeout_ms: int,
    ) -> None:
        self._conn = conn
        self._write = write
        self._timeout_ms = timeout_ms
        self._db: Database | None = None
        self._appended = False  # events added in the open transaction
        # The file's stat when it is read directly (immutable): each read checks it.
        self._stamp: files.Stamp | None = None
        # scoring()'s reads, by day, while nothing was written (PRAGMA data_version and
        # this connection's changes).
        self._scoring: dict[tuple[date, int, int], checkpoint.Scoring | None] = {}
        # The checkpoint's task ids and active days, decoded by one read and taken by
        # the next (states, then the lifecycle's active tasks), while nothing was
        # written: (PRAGMA data_version, this connection's changes) → the columns.
        self._kept: tuple[tuple[int, int], checkpoint.Kept] = ((-1, -1), {})
        self.path = path
        self.today = today  # the caller's "today", for callers that want it with the store

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        write: bool,
        today: date | None = None,
        busy_timeout_ms: int | None = None,
    ) -> Store:
        """Open the database at *path*, migrating it if needed.

        ``write=False``: a missing (or empty) file gives an empty in-memory store and
        creates nothing; an existing one is opened read-only (``mode=ro``), so a user who
        cannot write it can read it, except that pending migrations are applied when the
        file is writable (:class:`StoreError` naming who must upgrade it when it is not).
        ``write=True``: creates the directory and file if needed, switches to WAL, and
        applies pending migrations.  Refusals (locked, read-only, corrupt, foreign, from
        a newer gaoxin) raise :class:`StoreError` and leave the file untouched.
        """
        path = Path(path)
        timeout_ms = files.busy_timeout_ms(busy_timeout_ms)
        try:
            exists = path.exists() and (path.stat().st_size > 0 or write)
        except OSError as exc:
            raise StoreError("error.store_io", path=str(path), reason=exc) from exc
        if not exists and not write:
            with files.translated(path, timeout_ms):
                conn = files.connect(None, read_only=False, timeout_ms=timeout_ms)
            store = cls(conn, path, write=False, today=today, timeout_ms=timeout_ms)
            with store._guard():
                store._migrate()
            return store
        if exists:
            if not path.is_file():
                raise StoreError("error.store_not_file", path=str(path))
            files.check_header(path)
            writable = files.file_writable(path)
        else:
            _make_parent(path)
            writable = files.dir_writable(path.parent)
        if write and not writable:
            raise StoreError("error.store_read_only", path=str(path), reason=files.why_not(path))
        if not write:
            reader = cls._open_reader(path, today=today, timeout_ms=timeout_ms)
            if reader is not None:
                return reader
            if not writable:
                raise StoreError("error.store_needs_upgrade", path=str(path))
            # Pending migrations on a file this user can write: upgrade it, then read.
        with files.translated(path, timeout_ms):
            conn = files.connect(path, read_only=False, timeout_ms=timeout_ms)
        store = cls(conn, path, write=write, today=today, timeout_ms=timeout_ms)
        try:
            store._prepare()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _open_reader(cls, path: Path, *, today: date | None, timeout_ms: int) -> Store | None:
        """A read-only connection (``mode=ro``) to the up-to-date database at *path*, or
        ``None`` when migrations are pending. It never writes, migrates or checkpoints.

        A WAL database is read through its ``-shm`` index, which SQLite creates next to
        the file when it is missing (docs/store.md, "Reading without write access"). A
        user who can neither create it nor find it there reads the file itself
        (``immutable=1``) provided no log holds changes not yet in it; every read then
        checks that the file did not change meanwhile (:func:`files.translated`).
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            with files.translated(path, timeout_ms):
                conn = files.connect(path, read_only=True, timeout_ms=timeout_ms)
            store = cls(conn, path, write=False, today=today, timeout_ms=timeout_ms)
            try:
                try:
                    pending = files.pending_migrations(conn, path)  # SQLite's error as is
                except sqlite3.Error as exc:
                    if not files.cannot_index(exc):
                        err = files.translate(exc, path, timeout_ms)
                        if err is None:
                            raise
                        raise err from exc
                    store.close()
                    store = cls._open_immutable(path, today=today, timeout_ms=timeout_ms)
                    with store._guard():
                        pending = files.pending_migrations(store._conn, path)
            except StoreError as err:
                store.close()
                if err.msg.key not in _WAIT_FOR or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
                continue
            except BaseException:
                store.close()
                raise
            if pending:
                store.close()
                return None
            return store

    @classmethod
    def _open_immutable(cls, path: Path, *, today: date | None, timeout_ms: int) -> Store:
        """The file read directly, when its ``-shm`` index cannot be made (see above)."""
        stamp = files.fingerprint(path)
        if files.log_has_changes(path):
            # Committed changes wait in the -wal log, which only a reader with the index
            # can see: a writer is at work (it folds them in when it ends) or was killed.
            raise StoreError("error.store_log_pending", path=str(path), dir=str(path.parent))
        with files.translated(path, timeout_ms):
            conn = files.connect(path, read_only=True, immutable=True, timeout_ms=timeout_ms)
        store = cls(conn, path, write=False, today=today, timeout_ms=timeout_ms)
        store._stamp = stamp
        return store

    def _prepare(self) -> None:
        """Check the schema, switch to WAL when writing, apply pending migrations.

        SQLite answers "busy" at once, without waiting, where waiting could deadlock: two
        processes switching a new file to WAL together, or one opening while another's
        last connection tidies up the log. Those clear in moments, so retry until the
        busy timeout is spent.
        """
        deadline = time.monotonic() + self._timeout_ms / 1000
        while True:
            try:
                with self._guard():
                    pending = files.pending_migrations(self._conn, self.path)
                    if self._write or pending:
                        self._conn.execute("PRAGMA journal_mode = WAL").fetchall()
                    if pending:
                        self._migrate()
                return
            except StoreError as err:
                if err.msg.key != "error.store_locked" or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self) -> None:
        # One write transaction for the check and every step: two processes opening a
        # new file at once cannot both apply m001, and a half-applied upgrade never shows.
        with self.transaction(lock=True):
            files.pending_migrations(self._conn, self.path)  # again, under the lock
            migrations().apply(self.db)

    @property
    def db(self) -> Database:
        """The connection as a :class:`sqlite_utils.Database` (imported on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self._conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, write={self._write})"

    # --- transactions ----------------------------------------------------------------

    def _guard(self) -> AbstractContextManager[None]:
        """Translate SQLite's errors; on a file read directly, refuse what was read while
        it changed."""
        return files.translated(self.path, self._timeout_ms, stamp=self._stamp)

    @contextmanager
    def transaction(self, *, lock: bool | None = None) -> Iterator[Store]:
        """One transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on an exception.

        Takes the write lock up front (waiting up to the busy timeout), so what is read
        inside still holds when the writes commit. On a store opened with ``write=False``
        it is a plain ``BEGIN``: a consistent snapshot for several reads. Nested, it is a
        savepoint. A transaction that appended events ends by writing a state checkpoint
        when :data:`~checkpoint.EVERY` events came after the last one (docs/store.md).
        """
        conn = self._conn
        if conn.in_transaction:
            name = f"gaoxin_{next(_savepoints)}"
            with self._guard():
                conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            with self._guard():
                conn.execute(f"RELEASE {name}")
            return
        immediate = self._write if lock is None else lock
        with self._guard():
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        self._appended = False
        try:
            yield self
            if self._appended:
                # Part of this transaction: it covers exactly what commits with it.
                with self._guard():
                    checkpoint.write(conn, min_tail=checkpoint.EVERY)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            self._appended = False
        try:
            with self._guard():
                conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    # --- raw SQL for the store's own modules (notices, problems, awards …) ------------

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only query, with SQLite failures translated."""
        with self._guard():
            return self._conn.execute(sql, params).fetchall()

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one ``INSERT`` and return the new row id. Call it inside
        :meth:`transaction` when it depends on what was read (numbering, for one)."""
        self._require_write()
        with self._guard():
            rowid = self._conn.execute(sql, params).lastrowid
        return int(rowid or 0)

    # --- writing ---------------------------------------------------------------------

    def _require_write(self) -> None:
        if not self._write:
            raise RuntimeError(f"{self!r} was opened read-only; open it with write=True")

    def add(self, events: Sequence[Event]) -> list[int]:
        """Append *events* (one transaction) and return their new ids, in order."""
        self._require_write()
        values = [rows.to_row(e) for e in events]
        if not values:
            return []
        ids: list[int] = []
        with self._guard(), self.transaction():
            for value in values:
                cur = self._conn.execute(rows.INSERT, value)
                ids.append(int(cur.lastrowid or 0))
            self._appended = True
        return ids

    def add_unique(self, events: Sequence[Event], keys: Sequence[str]) -> int:
        """Append the events whose import key is new (one transaction); return how many.

        ``keys[i]`` identifies ``events[i]`` (e.g. file name + line); an event whose key is
        already stored, or repeated in *keys*, is skipped. Running an import twice adds
        nothing the second time. Ids are given in task order; events of one task on one
        day keep the order they have in *events*.
        """
        self._require_write()
        if len(events) != len(keys):
            raise ValueError(f"{len(events)} events but {len(keys)} keys")
        values = []
        for event, key in zip(events, keys, strict=True):
            if not isinstance(key, str) or not key:
                raise ValueError(f"import key must be a non-empty string, got {key!r}")
            values.append((*rows.to_row(event), key))
        if not values:
            return 0
        # Write grouped by task: index pages are then touched in order, about twice as
        # fast on a large file. The sort is stable, so the events of one task on one day
        # keep their order (and ids), which is all "latest" depends on.
        values.sort(key=_task_day)
        with self._guard(), self.transaction():
            before = self._conn.total_changes
            self._conn.executemany(rows.INSERT_UNIQUE, values)
            added = self._conn.total_changes - before
            self._appended = self._appended or added > 0
        return added

    def add_staged(self, staged: Staging) -> int:
        """:meth:`add_unique` for the events of an import staged in *staged*, streamed
        from it in the same order (by task and day, file order within a day)."""
        self._require_write()
        with self._guard(), self.transaction():
            before = self._conn.total_changes
            self._conn.executemany(rows.INSERT_UNIQUE, staged.ordered_rows())
            added = self._conn.total_changes - before
            self._appended = self._appended or added > 0
        return added

    def count_new(self, keys: Sequence[str]) -> int:
        """How many events :meth:`add_unique` would append for *keys*, writing nothing:
        the distinct keys not already stored (what ``import --dry-run`` reports)."""
        wanted = sorted(set(keys))
        return len(wanted) - self.count_stored(wanted)

    def count_stored(self, keys: Iterable[str]) -> int:
        """How many of *keys* (distinct, any number: read in chunks) are already stored."""
        return sum(1 for _ in self.stored_keys(keys))

    def stored_keys(self, keys: Iterable[str]) -> Iterator[str]:
        """Those of *keys* (any number, best sorted: read in chunks) already stored."""
        it = iter(keys)
        with self._snapshot():
            while chunk := list(itertools.islice(it, _KEYS_PER_QUERY)):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT import_key FROM events WHERE import_key IN ({marks})"
                yield from (k for (k,) in self._conn.execute(sql, chunk).fetchall())

    # --- reading ---------------------------------------------------------------------

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads see one state of the file, even while another process writes."""
        if self._conn.in_transaction:
            with self._guard():
                yield
            return
        with self._guard(), self.transaction(lock=False):
            yield

    def state(self, task: str, as_of: date) -> TaskState:
        """*task*'s state from its events on or before *as_of* (default: no events)."""
        return self.states(as_of, [task]).get(task, TaskState())

    def states(self, as_of: date, tasks: Collection[str] | None = None) -> dict[str, TaskState]:
        """State per task with an event on or before *as_of* (all tasks, or *tasks*).

        From the latest checkpoint and the events after it when it serves *as_of*, else
        by the queries of store/derive.py: the same result either way.
        """
        with self._snapshot():
            if tasks is None or len(tasks) > _VIA_CHECKPOINT:
                # A day between month ends from the month end's day checkpoint and a scan
                # of the events (seconds at 10,000,000): for every task only, where the
                # queries take longer; for some, their index seeks are quicker.
                found = checkpoint.states(
                    self._conn, as_of, between=tasks is None, kept=self._kept_columns()
                )
                if found is not None:
                    if tasks is None:
                        return found
                    wanted = set(tasks)
                    return {t: s for t, s in found.items() if t in wanted}
            return derive.states(self._conn, as_of, tasks)

    def open_states(self, as_of: date) -> checkpoint.OpenStates:
        """:meth:`states` of every task split in two: the states of the tasks below 100 %,
        and the ids of the tasks at 100 % — whose states a reader that leaves the done
        ones out (``overdue``) never looks at, so the checkpoint's columns make none."""
        with self._snapshot():
            found = checkpoint.open_states(
                self._conn, as_of, between=True, kept=self._kept_columns()
            )
            if found is not None:
                return found
            every = derive.states(self._conn, as_of, None)
        done = {t for t, s in every.items() if s.progress >= DONE_AT}
        return checkpoint.OpenStates({t: s for t, s in every.items() if t not in done}, done)

    def checkpoint_states(self, as_of: date) -> dict[str, TaskState] | None:
        """Every task's state on *as_of* when a checkpoint serves that day (on or after
        the last day the rolling checkpoint covers, or a past month end with a day
        checkpoint), else ``None``: a caller with a cheaper query for what it needs than
        all of :meth:`states` asks this first."""
        with self._snapshot():
            return checkpoint.states(self._conn, as_of)

    def _kept_columns(self) -> checkpoint.Kept:
        """The decoded checkpoint columns kept while nothing was written (call it inside
        :meth:`_snapshot`): emptied when anything was."""
        (version,) = self._conn.execute("PRAGMA data_version").fetchone()
        key = (int(version), self._conn.total_changes)
        if self._kept[0] != key:
            self._kept = (key, {})
        return self._kept[1]

    def scoring(self, as_of: date) -> checkpoint.Scoring | None:
        """What scoring reads of every task on *as_of* (progress, done day, report days,
        latest card) when a checkpoint with those columns serves that day, else ``None``
        (then the queries of store/awards.py). Kept while the database does not change:
        a ranking reads each month end more than once."""
        with self._snapshot():
            (version,) = self._conn.execute("PRAGMA data_version").fetchone()
            key = (as_of, int(version), self._conn.total_changes)
            if key not in self._scoring:
                self._scoring = {k: v for k, v in self._scoring.items() if k[1:] == key[1:]}
                self._scoring[key] = checkpoint.scoring(self._conn, as_of)
            return self._scoring[key]

    def active_tasks(self, as_of: date) -> set[str] | None:
        """Tasks with a report, correction, start or milestone event (named or not) on or
        before *as_of*, from the checkpoint and the events after it; ``None`` when there
        is no usable checkpoint (then ask per task: store/lifecycle.py)."""
        with self._snapshot():
            return checkpoint.active_tasks(self._conn, as_of, self._kept_columns())

    def write_checkpoint(self, *, min_tail: int = 0) -> bool:
        """Write a state checkpoint now (one transaction) if at least *min_tail* events
        came after the last one; return whether it did. Writers do this themselves
        (:meth:`transaction`); this is for tests and maintenance."""
        self._require_write()
        with self._guard(), self.transaction():
            return checkpoint.write(self._conn, min_tail=min_tail)

    def write_day_checkpoint(self, day: date) -> bool:
        """Derive and write the day checkpoint of *day* (a past month end) now, for a
        store filled before day checkpoints existed; return whether it wrote one.
        Writers make them themselves as months pass (docs/store.md)."""
        self._require_write()
        with self._guard(), self.transaction():
            return checkpoint.write_day(self._conn, day)

    def cards(self, as_of: date) -> dict[str, tuple[int, date]]:
        """The latest card recorded per task on or before *as_of*: ``(level, since)``.

        From a checkpoint that serves *as_of* (today's, or a past month end's), else by
        the card query: the same (a task whose latest card has no level is left out)."""
        with self._snapshot():
            found = checkpoint.states(self._conn, as_of)
            if found is None:
                return derive.cards(self._conn, as_of)
            return {
                task: (s.card_level, s.card_since)
                for task, s in found.items()
                if s.card_level is not None and s.card_since is not None
            }

    def history(self, task: str | None = None, *, until: date | None = None) -> list[Event]:
        """Events of *task* (or of every task) up to *until*, ordered by ``(at, id)``."""
        where: list[str] = []
        params: list[str] = []
        if task is not None:
            where.append("task = ?")
            params.append(task)
        if until is not None:
            where.append("at <= ?")
            params.append(until.isoformat())
        sql = rows.SELECT + (" WHERE " + " AND ".join(where) if where else "")
        with self._guard():
            cur = self._conn.execute(sql + " ORDER BY at, id", params)
            return [rows.from_row(r) for r in cur]

    def count(self) -> int:
        """How many events are stored."""
        with self._guard():
            return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def has_kind(self, kind: str) -> bool:
        """Whether any event of *kind* is stored (one seek of the kind index)."""
        with self._guard():
            row = self._conn.execute(
                "SELECT 1 FROM events INDEXED BY events_kind_task WHERE kind = ? LIMIT 1", (kind,)
            ).fetchone()
        return row is not None

    def schema_sql(self) -> str:
        """gaoxin's ``CREATE`` statements (tables, indexes, triggers), for the pin test.

        sqlite-utils' own ``_sqlite_migrations`` bookkeeping table is left out.
        """
        with self._guard():
            cur = self._conn.execute(
                "SELECT sql FROM sqlite_master"
                " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
                " AND tbl_name != '_sqlite_migrations'"
                " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1"
                " WHEN 'trigger' THEN 2 ELSE 3 END, name"
            )
            return "".join(f"{r[0]};\n" for r in cur)


def _task_day(row: rows.Row) -> tuple[str, str]:
    return row[0], row[2]


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            "error.store_cannot_create", path=str(path), reason=exc.strerror or exc
        ) from exc
