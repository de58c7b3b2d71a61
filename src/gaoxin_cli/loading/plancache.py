"""A validated plan, cached between runs.

Parsing thousands of tasks of YAML takes seconds even with the C reader, so every command
except ``validate`` loads the plan through this cache. The cache holds the plan, a digest
of the bytes of every workspace file (plus gaoxin's version, the fields of every record
and Python's version) and the files' stat. Any change to any file — or an added or
removed plan file — invalidates it: a stale plan is a bug. A plan with errors is never
cached and never used.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
import zlib
from pathlib import Path

from gaoxin_cli import __version__
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.paths import CONFIG_NAME, workspace_files
from gaoxin_cli.models import Plan, records

_FORMAT = 3  # 3: file stats beside the content digest; 2: records; 1: pydantic models
_HEADER = f"{_FORMAT}|{__version__}|{records.SHAPE}|{sys.version}"
# A file whose timestamps are this close to the moment the cache was written may still
# change within the same timestamp tick (Linux stamps files from a coarse clock; FAT and
# some network file systems to the second): its bytes are compared, not its stat.
_SETTLE_NS = 2_000_000_000

Stat = tuple[str, int, int, int, int]  # relative path, size, mtime_ns, ctime_ns, inode


def stats(root: Path) -> tuple[Stat, ...]:
    """What ``stat`` says of gaoxin.yaml and every plan file (no file is read)."""
    out: list[Stat] = []
    for path in workspace_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            st = path.stat()
        except OSError:
            out.append((rel, -1, 0, 0, 0))
            continue
        out.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


def fingerprint(root: Path) -> str:
    """A digest of the bytes of gaoxin.yaml and every plan file, and of their names."""
    import hashlib  # only when the files must be read: OpenSSL's start-up costs ~2.5 ms

    h = hashlib.blake2b(digest_size=20)
    h.update(_HEADER.encode())
    for path in workspace_files(root):
        rel = path.relative_to(root).as_posix().encode()
        h.update(len(rel).to_bytes(4, "big") + rel)
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _settled(files: tuple[Stat, ...], written_ns: int) -> bool:
    return all(max(m, c) < written_ns - _SETTLE_NS for _, _, m, c, _ in files)


def cache_path(cache_dir: Path, root: Path) -> Path:
    # A short stable name per workspace path; two paths sharing one is only a cache miss
    # (the stat and the digest of the files decide what is read back, not the name).
    path = str(root.resolve())
    return cache_dir / f"plan-{zlib.crc32(path.encode()):08x}-{len(path)}.pickle"


def load_plan(root: Path, cache_dir: Path | None) -> Plan:
    """The workspace's valid plan; raises GaoxinError when it has errors.

    The cache is trusted without reading a file when every file's stat (size, both
    timestamps, inode) is what it was and was already settled when the cache was
    written — the check git makes for its index, "racily clean" files included. Any
    other case compares the digest of the files' bytes.
    """
    started = time.time_ns()
    now = stats(root)
    target = cache_path(cache_dir, root) if cache_dir else None
    digest: str | None = None
    if target is not None:
        meta = _read_meta(target)
        if meta is not None:
            files, written_ns, stored_digest = meta
            if files == now and _settled(now, written_ns):
                plan = _read_plan(target)
                if plan is not None:
                    return plan
            digest = fingerprint(root)
            if digest == stored_digest:
                plan = _read_plan(target)
                if plan is not None:
                    if _settled(now, time.time_ns()):  # touched, not changed: note the stat
                        _write(target, now, digest, plan)
                    return plan
    from gaoxin_cli.loading.workspace import load  # the YAML reader and the specs
    from gaoxin_cli.models.spec import to_plan

    digest = digest or fingerprint(root)
    loaded = load(root)
    if loaded.errors or loaded.config is None:
        first = loaded.errors[0] if loaded.errors else None
        where = f"{first.path}:{first.line}:{first.col}" if first else CONFIG_NAME
        raise GaoxinError(
            "error.plan_invalid",
            errors=len(loaded.errors),
            first=where,
            hint=Msg("error.plan_invalid_hint"),
        )
    plan = to_plan(loaded.config, loaded.tasks, len(loaded.warnings))
    # Written only if no file changed while it was read: the plan must match the digest.
    # The stat says so for files settled before the read began (a write since would
    # have moved their timestamps); only a racily clean file needs its bytes read again
    # (100,000 tasks: 41 MB, ~0.3 s).
    if (
        target is not None
        and stats(root) == now
        and (_settled(now, started) or fingerprint(root) == digest)
    ):
        _write(target, now, digest, plan)
    return plan


def _read_meta(target: Path) -> tuple[tuple[Stat, ...], int, str] | None:
    try:
        with target.open("rb") as fh:
            header, files, written_ns, digest = pickle.load(fh)
    except Exception:  # missing, truncated, from another version: rebuild
        return None
    return (files, written_ns, digest) if header == _HEADER else None


def _read_plan(target: Path) -> Plan | None:
    try:
        with target.open("rb") as fh:
            pickle.load(fh)  # the metadata, read again: one small object
            plan = pickle.load(fh)
    except Exception:  # truncated, unreadable: rebuild
        return None
    return plan if isinstance(plan, Plan) else None


def _write(target: Path, files: tuple[Stat, ...], digest: str, plan: Plan) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".plan-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            meta = (_HEADER, files, time.time_ns(), digest)
            pickle.dump(meta, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(plan, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time
