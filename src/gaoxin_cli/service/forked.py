"""A piece of a command's work done on the second core: a forked child computes it while
this process does the rest, and sends the value back pickled through a pipe.

The child is a copy of this process, so it reads the plan and everything else already in
memory without copying it. It must not use a database connection made before the fork
(SQLite forbids it). Work that reads the store is started with the store's path, and
:func:`started` then forks only while this process has no file of it open; the work
opens a connection of its own (the ranking's previous month, service/ranking.py). Work
that never touches the store may be forked while this process has it open, and leaves
that connection alone (the mails of ``notify``, service/mail_ahead.py). The child ends
with ``os._exit``: no clean-up of the parent's files, buffers or handlers runs twice.

A child that fails, dies or is not worth starting costs time, never a result:
:meth:`Pending.result` is then ``None`` and the caller does the work itself, as it would
on one core (tests/test_forked.py).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

from gaoxin_cli.loading import free_cpus

T = TypeVar("T")


class Pending(Generic[T]):
    """The value a forked child is computing: :meth:`result` waits for it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self._read_end: int | None = read_end
        self._value: T | None = None

    def result(self) -> T | None:
        """The child's value, or ``None`` when it raised, died or sent nothing whole.
        Waits for the child the first time; later calls give the same answer."""
        fd = self._read_end
        if fd is None:
            return self._value
        self._read_end = None
        chunks = []
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and chunks:
            try:
                self._value = pickle.loads(b"".join(chunks))
            except Exception:  # a truncated pickle: the child was cut off mid-write
                self._value = None
        return self._value

    def close(self) -> None:
        """Stop a child whose value was not asked for, and reap it."""
        fd = self._read_end
        if fd is None:
            return
        self._read_end = None
        os.close(fd)
        os.kill(self.pid, signal.SIGKILL)  # not reaped yet: its pid is still its own
        os.waitpid(self.pid, 0)


def can_fork(db: Path | None = None) -> bool:
    """Whether a second process may be forked now: ``fork`` exists (not on Windows),
    two cores are free, no other thread runs (a fork copies none of them mid-flight),
    and no file of the store *db* is open here (an SQLite connection must not cross a
    fork)."""
    if not hasattr(os, "fork") or free_cpus() < 2 or threading.active_count() > 1:
        return False
    return db is None or not store_open(db)


def store_open(db: Path) -> bool:
    """Whether this process holds a file descriptor on *db* or its ``-wal``/``-shm``
    (Linux's /proc/self/fd; elsewhere assumed not, the callers open none before)."""
    fds = Path("/proc/self/fd")
    try:
        entries = list(fds.iterdir())
    except OSError:  # pragma: no cover - no /proc
        return False
    try:
        name = str(db.resolve())
    except OSError:  # pragma: no cover - an unreadable path: do not fork
        return True
    for entry in entries:
        try:
            target = os.readlink(entry)
        except OSError:
            continue  # the listing's own descriptor, closed by now
        if target == name or target in (name + "-wal", name + "-shm", name + "-journal"):
            return True
    return False


def start(work: Callable[[], T], *, db: Path | None = None) -> Pending[T] | None:
    """*work* started in a forked child, or ``None`` when :func:`can_fork` says no (or
    the fork fails). The caller asks for its :meth:`~Pending.result`, or stops it with
    :meth:`~Pending.close`; :func:`started` does that for a block."""
    if not can_fork(db):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process slot for a second process: one does it all
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child; its coverage is not collected
        os.close(read_end)
        status = 1
        try:
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Pending(pid, read_end)


@contextmanager
def started(work: Callable[[], T], *, db: Path | None = None) -> Iterator[Pending[T] | None]:
    """*work* started in a forked child, or ``None`` when :func:`can_fork` says no.

    The child is stopped and reaped when the block ends, whether or not its result was
    asked for. *work* runs in the child only: it must open what it reads itself."""
    pending = start(work, db=db)
    try:
        yield pending
    finally:
        if pending is not None:
            pending.close()
