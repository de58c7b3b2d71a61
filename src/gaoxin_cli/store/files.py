"""Opening the database file safely: checks that run before anything could be written.

Every refusal here leaves the file exactly as it was: the header is read as bytes, the
schema through a connection that has not written, and writing starts only after all of
them pass.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gaoxin_cli.errors import StoreError
from gaoxin_cli.store.migrations import NAMES, SET_NAME

DEFAULT_BUSY_TIMEOUT_MS = 5000
BUSY_TIMEOUT_ENV = "GAOXIN_BUSY_TIMEOUT_MS"
WRITE_CACHE_KIB = 16384

_HEADER = b"SQLite format 3\x00"
_MIGRATIONS_TABLE = "_sqlite_migrations"


def busy_timeout_ms(value: int | None) -> int:
    """*value*, else ``GAOXIN_BUSY_TIMEOUT_MS`` (tests shorten it), else 5000."""
    if value is not None:
        return max(0, value)
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    return max(0, int(raw)) if raw.isdigit() else DEFAULT_BUSY_TIMEOUT_MS


def _writable_mode(path: Path) -> bool:
    # os.access says yes to root whatever the mode, so a file or directory whose write
    # bits are all cleared (chmod a-w) counts as read-only too: the owner said so.
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def dir_writable(directory: Path) -> bool:
    return _writable_mode(directory) and os.access(directory, os.X_OK)


def file_writable(path: Path) -> bool:
    """Can the database at *path* be written: the file, and its directory (for -wal)."""
    return _writable_mode(path) and dir_writable(path.parent)


def why_not(path: Path) -> str:
    """Which of file and directory cannot be written (for the message)."""
    if path.exists() and not _writable_mode(path):
        return "the file is read-only"
    return f"the directory {path.parent} is read-only"


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database, or is cut short, before SQLite opens it."""
    for attempt in range(5):
        try:
            with path.open("rb") as fh:
                head = fh.read(100)
                size = os.fstat(fh.fileno()).st_size
        except OSError as exc:
            raise StoreError("error.store_io", path=str(path), reason=exc.strerror or exc) from exc
        if not head:
            return  # an empty file is an empty database (perhaps being created right now)
        if len(head) == 100 or attempt == 4:
            break
        time.sleep(0.02)  # another process is writing the first page: look again
    if len(head) < 100 or not head.startswith(_HEADER):
        raise StoreError("error.store_corrupt", path=str(path), reason="file is not a database")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count is valid when the change counter matches "version-valid-for"; with a
    # non-empty -wal file the main file may lag behind (SQLite replays the log).
    valid = head[24:28] == head[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    if valid and wal_size == 0 and size < pages * page_size:
        raise StoreError(
            "error.store_corrupt",
            path=str(path),
            reason=f"truncated: {size} bytes, the header says {pages * page_size}",
        )


def connect(
    path: Path | None, *, read_only: bool, timeout_ms: int, immutable: bool = False
) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); ``None`` → in memory.

    ``immutable``: read the file without locks or the WAL index; only for a reader that
    cannot have the index (:func:`cannot_index`), and only with :func:`translated`'s
    check that the file did not change.
    """
    if path is None:
        target, uri = ":memory:", False
    else:
        mode = "ro" if read_only else "rwc"
        extra = "&immutable=1" if immutable else ""
        target, uri = f"{path.resolve().as_uri()}?mode={mode}{extra}", True
    conn = sqlite3.connect(
        target, uri=uri, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=True
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        # Rows deleted by INSERT OR REPLACE fire the no-delete trigger only with this on.
        conn.execute("PRAGMA recursive_triggers = ON")
        if not read_only:
            # A bigger page cache (allocated only as used) keeps bulk imports off the disk.
            conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    return conn


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """Names of the gaoxin migrations recorded in the database; ``None`` if it is foreign.

    A database with tables but no gaoxin migration is somebody else's: refuse to add ours.
    """
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    if _MIGRATIONS_TABLE not in tables:
        return None if tables else []
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {_MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            (SET_NAME,),
        )
    ]
    if not names and set(tables) - {_MIGRATIONS_TABLE}:
        return None
    return names


def pending_migrations(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Known migrations not yet applied; refuse a foreign or newer database."""
    applied = applied_migrations(conn)
    if applied is None:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 5"
            )
        ]
        raise StoreError("error.store_foreign", path=str(path), tables=", ".join(tables))
    unknown = [name for name in applied if name not in NAMES]
    if unknown:
        raise StoreError("error.store_newer", path=str(path), names=", ".join(unknown))
    return [name for name in NAMES if name not in applied]


# --- reading without write access ---------------------------------------------------

# The stat of a database file read directly: device, inode, size, mtime and ctime (ns).
Stamp = tuple[int, int, int, int, int]

# What SQLite answers a mode=ro reader of a WAL database when the -shm index is missing
# and the directory is not writable (READONLY_DIRECTORY), or the index exists but cannot
# be used (READONLY_CANTINIT; CANTOPEN when it cannot be read): https://sqlite.org/wal.html
# "Read-Only Databases".
_NO_INDEX = (
    sqlite3.SQLITE_READONLY_DIRECTORY,
    sqlite3.SQLITE_READONLY_CANTINIT,
    sqlite3.SQLITE_READONLY_CANTLOCK,
    sqlite3.SQLITE_READONLY_RECOVERY,
    sqlite3.SQLITE_CANTOPEN,
)


def cannot_index(exc: sqlite3.Error) -> bool:
    """Whether *exc* says a read-only connection could not open the WAL index (-shm)."""
    return getattr(exc, "sqlite_errorcode", -1) in _NO_INDEX


def fingerprint(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError as exc:
        raise StoreError("error.store_io", path=str(path), reason=exc.strerror or exc) from exc
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def log_has_changes(path: Path) -> bool:
    """Whether the -wal log next to *path* holds anything (changes not yet in the file)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError("error.store_io", path=str(path), reason=exc.strerror or exc) from exc


@contextmanager
def translated(path: Path, timeout_ms: int, *, stamp: Stamp | None = None) -> Iterator[None]:
    """Raise a :class:`StoreError` for the ``sqlite3`` errors a person can act on.

    With *stamp* (a file read directly), what was read counts only if the file is still
    as it was when opened: a writer that folded its log in meanwhile may have mixed old
    and new pages (https://sqlite.org/uri.html#uriimmutable), so that is an error too.
    """
    try:
        yield
    except sqlite3.Error as exc:
        if stamp is not None and fingerprint(path) != stamp:
            raise StoreError("error.store_changed", path=str(path)) from exc
        err = translate(exc, path, timeout_ms)
        if err is None:
            raise
        raise err from exc
    if stamp is not None and fingerprint(path) != stamp:
        raise StoreError("error.store_changed", path=str(path))


def translate(exc: sqlite3.Error, path: Path, timeout_ms: int) -> StoreError | None:
    """The :class:`StoreError` a person should see for *exc*, or ``None`` for a bug."""
    code = getattr(exc, "sqlite_errorcode", -1) & 0xFF
    where = str(path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError("error.store_locked", path=where, seconds=f"{timeout_ms / 1000:g}")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return StoreError("error.store_read_only", path=where, reason=str(exc))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError("error.store_corrupt", path=where, reason=str(exc))
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL):
        return StoreError("error.store_io", path=where, reason=str(exc))
    return None
