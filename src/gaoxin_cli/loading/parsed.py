"""The data of each plan file's YAML, kept between runs by the digest of its text.

Reading a city's plan (100,000 tasks in 1,000 files, 40 MB) is ~10 s of one core in
libyaml's events and the Python that builds the data from them, while the same data
unpickles in ~0.7 s. A file's data is a pure function of its text (no diagnostic: only
the fast pass's documents, ``yamlstrict._parse_fast``, are kept), so ``validate``, and
any command after a plan change, reads from this folder what it read before and parses
only the files whose text is new. Everything after the YAML reader — the schema, the
checks across files, every diagnostic — runs as before on the data.

One file per text, ``yaml-<blake2b of the text>.pickle``, holding a header (this format,
gaoxin's, PyYAML's and libyaml's versions) and the data. Each process reading plan
files (``workspace._load_plans`` forks a second) reads and writes the files of its own
plans; a file is written whole or not at all (a temporary file renamed). A file that
is missing, damaged or of another version is a miss: that text is parsed. A folder that
cannot be written costs nothing but the time. Old texts are removed once the folder
holds more than twice the workspace's plan files (:func:`prune`; a file used again is
touched, so what is removed is what no run has read for longest).

``gaoxin validate --no-cache`` reads every file from its text.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import yaml

from gaoxin_cli import __version__
from gaoxin_cli.loading.cachefiles import prune_oldest, write_whole

# Bump when the reader's data for the same text may differ (yamlstrict's fast pass).
FORMAT = 1


def _libyaml() -> str:
    try:
        from yaml import _yaml

        return str(_yaml.get_version_string())
    except (ImportError, AttributeError):
        return "-"


_HEADER = f"yaml-data|{FORMAT}|{__version__}|{yaml.__version__}|{_libyaml()}"
# A file read again is touched when its stamp is older than this, so that :func:`prune`
# keeps what is in use (not at every read: a write per file per run for nothing).
_TOUCH_AFTER_S = 24 * 3600


class _Miss:
    __slots__ = ()


MISS: Any = _Miss()


class ParsedCache:
    """The YAML data kept in *folder*, by text."""

    __slots__ = ("folder",)

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, text: str) -> Path:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20)
        return self.folder / f"yaml-{digest.hexdigest()}.pickle"

    def get(self, text: str) -> tuple[Path, Any]:
        """The file kept for *text* and its data, or :data:`MISS`."""
        path = self._path(text)
        try:
            with open(path, "rb") as fh:
                header, data = pickle.load(fh)
                stamp = os.fstat(fh.fileno()).st_mtime
        except Exception:  # not kept, or not readable as ours: parse it
            return path, MISS
        if header != _HEADER:
            return path, MISS
        if time.time() - stamp > _TOUCH_AFTER_S:
            with suppress(OSError):
                os.utime(path)
        return path, data

    def put(self, path: Path, data: Any) -> None:
        """Keep *data* as the file *path* (from :meth:`get`), whole or not at all."""
        write_whole(path, (_HEADER, data))


def prune(folder: Path, plans: int) -> int:
    """Remove the files least recently read once *folder* holds more than twice *plans*
    (and 200) of them; how many were removed."""
    return prune_oldest(folder, "yaml-", 2 * plans + 200)
