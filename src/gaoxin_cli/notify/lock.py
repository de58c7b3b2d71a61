"""One ``gaoxin notify`` at a time per database: an exclusive ``flock`` beside it.

The lock file (``<db>.notify.lock``) is never removed — removing it would let a third
process lock a new file while the second still holds the old one. The kernel releases
the lock when the process ends, however it ends, so a crashed run never blocks the next.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gaoxin_cli.errors import GaoxinError


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".notify.lock")


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock for the block; :class:`GaoxinError` at once when another run has it."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise GaoxinError(
            "error.notify_lock_io", path=str(path), reason=exc.strerror or exc
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GaoxinError("error.notify_running", path=str(path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)
