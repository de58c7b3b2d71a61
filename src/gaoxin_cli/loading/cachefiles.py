"""Files of the user's cache folder (``$GAOXIN_HOME/cache``): written whole or not at
all, and kept to a bound. A cache that cannot be written or read only costs time, so
nothing here raises on the file system's account.

Used by the plan cache (loading/plancache.py), the YAML data of plan files
(loading/parsed.py) and the scores of months that are over (service/month_scores.py).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from contextlib import suppress
from pathlib import Path


def write_whole(path: Path, *parts: object) -> bool:
    """Write *parts* one after the other into *path* — each pickled, or as it is when
    it is ``bytes`` (pickled bytes copied from another file) — through a temporary file
    renamed over it: a reader finds the old file or the new one, never part of one.
    False, and no file left behind, when it could not be written."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            for part in parts:
                if isinstance(part, bytes):
                    fh.write(part)
                else:
                    pickle.dump(part, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        return True
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def prune_oldest(folder: Path, prefix: str, keep: int) -> int:
    """Remove the files of *folder* named *prefix*… with the oldest stamps, beyond the
    *keep* newest; how many were removed."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return 0
    if len(names) <= keep:
        return 0
    stamped = []
    for name in names:
        with suppress(OSError):
            stamped.append((os.stat(folder / name).st_mtime, name))
    stamped.sort()
    removed = 0
    for _, name in stamped[: max(0, len(stamped) - keep)]:
        with suppress(OSError):
            os.unlink(folder / name)
            removed += 1
    return removed
