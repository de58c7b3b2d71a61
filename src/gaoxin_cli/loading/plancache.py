"""A validated plan, cached between runs.

Parsing thousands of tasks of YAML takes seconds even with the C reader, so every command
except ``validate`` loads the plan through this cache. The key is a hash of the bytes of
every workspace file (plus gaoxin's version, the fields of every record and Python's
version), so any change to
any file — or an added or removed plan file — invalidates it: a stale plan is a bug.
A plan with errors is never cached and never used.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from gaoxin_cli import __version__
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.paths import CONFIG_NAME, plan_files
from gaoxin_cli.models import Plan, records

_FORMAT = 2  # 2: records (NamedTuples) instead of pydantic models


def fingerprint(root: Path) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{_FORMAT}|{__version__}|{records.SHAPE}|{sys.version}".encode())
    for path in [root / CONFIG_NAME, *plan_files(root)]:
        rel = path.relative_to(root).as_posix().encode()
        h.update(len(rel).to_bytes(4, "big") + rel)
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def cache_path(cache_dir: Path, root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir / f"plan-{name}.pickle"


def load_plan(root: Path, cache_dir: Path | None) -> Plan:
    """The workspace's valid plan; raises GaoxinError when it has errors."""
    key = fingerprint(root)
    target = cache_path(cache_dir, root) if cache_dir else None
    if target is not None:
        plan = _read(target, key)
        if plan is not None:
            return plan
    from gaoxin_cli.loading.workspace import load  # the YAML reader and the specs
    from gaoxin_cli.models.spec import to_plan

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
    if target is not None:
        _write(target, key, plan)
    return plan


def _read(target: Path, key: str) -> Plan | None:
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of fresh objects, no cycles: skip the GC passes
    try:
        with target.open("rb") as fh:
            stored_key, plan = pickle.load(fh)
    except Exception:  # missing, truncated, from another version: rebuild
        return None
    finally:
        if was_enabled:
            gc.enable()
    return plan if stored_key == key and isinstance(plan, Plan) else None


def _write(target: Path, key: str, plan: Plan) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".plan-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, plan), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time
