"""``gaoxin notify --outbox DIR``: each digest as an ``.eml`` file instead of SMTP.

A file is written under a temporary name and renamed into place, so a reader (or a
later ``sendmail -t < file``) never sees half a message. Its delivery is recorded with
``message_id = "outbox:<file name>"``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.notify.message import Outgoing

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write(directory: Path, today: date, out: Outgoing, index: int) -> str:
    """Write *out* into *directory*; returns the file name."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"{today.isoformat()}-{index:04d}-{_SAFE.sub('_', out.recipient)}"
        name = f"{stem}.eml"
        n = 1
        while (directory / name).exists():
            n += 1
            name = f"{stem}-{n}.eml"
        tmp = directory / f".{name}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(out.as_bytes())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / name)
    except OSError as exc:
        raise GaoxinError(
            "error.notify_outbox", path=str(directory), reason=exc.strerror or exc
        ) from exc
    return name
