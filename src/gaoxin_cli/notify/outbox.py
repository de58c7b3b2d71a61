"""``gaoxin notify --outbox DIR``: each digest as an ``.eml`` file instead of SMTP.

Exactly one file per mail, whenever the run is killed:

* the file's name follows from the mail's intent, which the run recorded before writing
  (``2020-06-24-0003-contact_jianshe.example.org.eml``: day, intent number, address);
  a retry of the mail reuses the intent, so it looks for the same name;
* the bytes go to a new temporary file (``tempfile``: a random name, created with
  ``O_EXCL``, so nothing planted there — a symlink included — is ever followed or
  written through), are synced, and are linked to the final name, which never replaces
  an existing file;
* a file already at the final name is this mail when its Message-ID says so (a run
  killed after writing it, before recording it): it is kept, not written again.
  Anything else there (a symlink, another message) is left alone and the next free
  name ``…-2.eml`` is used.

The delivery is recorded (``message_id = "outbox:<file name>"``) after the file is in
place. A kill between the two leaves the file, and the next run adopts it; a kill while
writing leaves at most a hidden ``.<name>.*.tmp`` file, which the retry removes.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from datetime import date
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.notify.message import Outgoing

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TRIES = 20  # names tried before giving up: …, …-2, …, …-20


def file_name(today: date, intent: int | None, recipient: str, n: int = 1) -> str:
    """The file name of a mail (its *n*-th choice): the day, the number of its intent
    and the recipient, so a retry of the same mail finds the same name."""
    stem = f"{today.isoformat()}-{intent or 0:04d}-{_SAFE.sub('_', recipient)}"
    return f"{stem}.eml" if n == 1 else f"{stem}-{n}.eml"


def write(directory: Path, today: date, out: Outgoing) -> str:
    """Put *out* into *directory* (or find it there already); returns the file name."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if out.intent is not None:  # "<day>-<intent>-" names this mail's files alone
            _tidy(directory, f"{today.isoformat()}-{out.intent:04d}-")
        for n in range(1, _TRIES + 1):
            name = file_name(today, out.intent, out.recipient, n)
            target = directory / name
            if _holds(target, out.message_id):
                return name
            if os.path.lexists(target):
                continue  # somebody else's file (or link): never touched
            if _place(directory, name, out.as_bytes()):
                return name
        raise FileExistsError(f"{name} and the {_TRIES - 1} names before it are taken")
    except OSError as exc:
        raise GaoxinError(
            "error.notify_outbox", path=str(directory), reason=exc.strerror or exc
        ) from exc


def _place(directory: Path, name: str, data: bytes) -> bool:
    """Write *data* to a fresh temporary file and link it as *name*; False when *name*
    appeared meanwhile."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # as a plain new file, not 0600
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, directory / name, follow_symlinks=False)  # never replaces
        except FileExistsError:
            return False
        _sync_dir(directory)
        return True
    finally:
        os.unlink(tmp)


def holds(directory: Path, name: str, message_id: str) -> bool:
    """Is *name* a mail file of *directory* (a plain ``.eml`` name, a regular file)
    carrying *message_id*? What another process said it wrote is checked so."""
    if not name.endswith(".eml") or name.startswith(".") or any(c in name for c in "/\\\0"):
        return False
    return _holds(directory / name, message_id)


def _holds(target: Path, message_id: str) -> bool:
    """Is *target* a regular file carrying *message_id* (not following a link)?"""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False  # missing, a symlink (ELOOP), unreadable: not ours
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return False
        head = fh.read(64 * 1024).split(b"\r\n\r\n", 1)[0]
    found = BytesHeaderParser(policy=policy.SMTP).parsebytes(head)["Message-ID"]
    return found is not None and str(found).strip() == message_id


def _tidy(directory: Path, prefix: str) -> None:
    """Remove what a killed try of this mail left: its hidden temporary files."""
    for leftover in directory.glob(f".{prefix}*.tmp"):
        with contextlib.suppress(OSError):
            os.unlink(leftover)  # a link is removed, never followed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
