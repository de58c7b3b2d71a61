"""A validated plan, cached between runs.

Parsing thousands of tasks of YAML takes seconds even with the C reader, so every command
except ``validate`` loads the plan through this cache. The cache holds the plan, a digest
of the bytes of every workspace file (plus gaoxin's version, the fields of every record
and Python's version) and the files' stat. Any change to any file — or an added or
removed plan file — invalidates it: a stale plan is a bug. A plan with errors is never
cached and never used.

The tasks are stored a column per field (:func:`task_columns`): lists of strings and
dates pickle and unpickle in C with no call per record, and the records are rebuilt from
them by ``map`` and ``zip`` — at 100,000 tasks, ~0.15 s to write instead of ~0.7 s, and
the plan read back in ~0.1 s instead of ~0.25 s.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import partial
from itertools import chain, islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gaoxin_cli import __version__
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.paths import CONFIG_NAME, workspace_files
from gaoxin_cli.models import Config, Plan, Task, records

if TYPE_CHECKING:
    from gaoxin_cli.loading.diagnostics import Diagnostic
    from gaoxin_cli.loading.workspace import Loaded

# 6: the columns in chunks (as the processes that read the files made them); 5: tasks
# as columns, equal nested records once; 4: tasks as columns; 3: file stats beside the
# content digest; 2: records; 1: pydantic models
_FORMAT = 6
_HEADER = f"{_FORMAT}|{__version__}|{records.SHAPE}|{sys.version}"
# A file whose timestamps are this close to the moment the cache was written may still
# change within the same timestamp tick (Linux stamps files from a coarse clock; FAT and
# some network file systems to the second): its bytes are compared, not its stat.
_SETTLE_NS = 2_000_000_000

Stat = tuple[str, int, int, int, int]  # relative path, size, mtime_ns, ctime_ns, inode


def stats(root: Path) -> tuple[Stat, ...]:
    """What ``stat`` says of gaoxin.yaml and every plan file (no file is read)."""
    out: list[Stat] = []
    rel = _relative(root)
    for path in workspace_files(root):
        try:
            st = os.stat(path)
        except OSError:
            out.append((rel(path), -1, 0, 0, 0))
            continue
        out.append((rel(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


def _relative(root: Path) -> Callable[[Path], str]:
    """A workspace file's path below *root* as ``relative_to(root).as_posix()`` gives
    it, by cutting the string where it can: pathlib took ~13 us a file, which every
    command paid for a city's 1,000 plan files before it trusted its cache."""
    prefix = os.path.join(str(root), "")
    cut = len(prefix)

    def rel(path: Path) -> str:
        text = str(path)
        if not text.startswith(prefix):
            return path.relative_to(root).as_posix()
        return text[cut:] if os.sep == "/" else text[cut:].replace(os.sep, "/")

    return rel


def fingerprint(root: Path) -> str:
    """A digest of the bytes of gaoxin.yaml and every plan file, and of their names."""
    import hashlib  # only when the files must be read: OpenSSL's start-up costs ~2.5 ms

    h = hashlib.blake2b(digest_size=20)
    h.update(_HEADER.encode())
    relative = _relative(root)
    for path in workspace_files(root):
        rel = relative(path).encode()
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


def yaml_cache(cache_dir: Path | None) -> Path | None:
    """Where the YAML data of plan files is kept (loading/parsed.py), in *cache_dir*."""
    return cache_dir / "yaml" if cache_dir is not None else None


def load_plan(root: Path, cache_dir: Path | None) -> Plan:
    """The workspace's valid plan; raises GaoxinError when it has errors.

    The cache is trusted without reading a file when every file's stat (size, both
    timestamps, inode) is what it was and was already settled when the cache was
    written — the check git makes for its index, "racily clean" files included. Any
    other case compares the digest of the files' bytes.
    """
    got = open_plan(root, cache_dir)
    assert isinstance(got, Plan)  # (nothing deferred)
    return got


class Verdict(NamedTuple):
    """What the checks across tasks and files found in a plan read without them
    (:class:`Unchecked`)."""

    errors: int
    first: str  # where the first error is (path:line:col), "" without errors
    warnings: int  # of the whole plan, each file's and the checks'
    digest: str | None  # the files' digest when the plan was cached under it, else None

    def apply(self, plan: Plan) -> Plan:
        """*plan* as :func:`load_plan` would have returned it; GaoxinError when it has
        errors."""
        if self.errors:
            raise _invalid(self.errors, self.first)
        plan.warnings = self.warnings
        if self.digest is not None:
            plan.digest = self.digest
        return plan


class Unchecked(NamedTuple):
    """A plan whose every file read without an error, the checks across tasks and files
    not run yet (``open_plan(..., defer_checks=True)``): :attr:`check` runs them,
    caches the plan when they pass, and says what they found. Until then *plan* may be
    read but nothing may be shown or written from it (``service.session``)."""

    plan: Plan
    check: Callable[[], Verdict]


def open_plan(
    root: Path, cache_dir: Path | None, *, defer_checks: bool = False
) -> Plan | Unchecked:
    """:func:`load_plan`; with *defer_checks*, a plan that had to be read from its files
    comes back :class:`Unchecked`, for a caller that runs the checks across tasks and
    files (~1 s at 100,000 tasks) on the other core while it starts its own work.
    A plan read from the cache was checked before it was cached: it is returned as is.
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
                    plan.digest = stored_digest
                    return plan
            digest = fingerprint(root)
            if digest == stored_digest:
                plan = _read_plan(target)
                if plan is not None:
                    if _settled(now, time.time_ns()):  # touched, not changed: note the stat
                        _restat(target, now, digest)
                    plan.digest = digest
                    return plan
    from gaoxin_cli.loading.workspace import load  # the YAML reader and the specs
    from gaoxin_cli.models.spec import to_record

    # The digest of the files is made by the second process reading them, if any,
    # after its files (~0.1 s at 100,000 tasks that this process, making the columns
    # of its own files meanwhile, does not wait for).
    aside = None if digest is not None else partial(fingerprint, root)
    loaded = load(
        root, columns=True, cache=yaml_cache(cache_dir), aside=aside, defer_checks=defer_checks
    )
    digest = digest or loaded.aside
    if loaded.errors or loaded.config is None:
        loaded.finish_checks()  # failing anyway: every error counted, as without deferring
        errors = loaded.errors
        raise _invalid(len(errors), _where(errors))
    # The same records as ``models.spec.to_plan`` (tests/test_plancache.py holds them
    # equal), by way of the columns the cache stores: ~5x faster at 100,000 tasks. The
    # tasks a second process read came as columns and records already.
    config = to_record(loaded.config, {})
    chunks: list[Any] = []
    tasks: list[Task] = []
    read = loaded.tasks  # specs, or records where columns came with them
    at = 0
    for count, columns in loaded.packed:
        if columns is None:
            columns = task_columns(read[at : at + count])
            tasks += tasks_of_columns(columns)
        else:
            tasks += read[at : at + count]  # type: ignore[arg-type]  # records
        chunks.append(columns)
        at += count
    plan = Plan(config, tuple(tasks), len(loaded.warnings))
    check = partial(_checked, loaded, target, root, now, started, digest, config, chunks)
    if loaded.checks is not None:
        return Unchecked(plan, check)
    return check().apply(plan)


def _checked(
    loaded: Loaded,
    target: Path | None,
    root: Path,
    now: tuple[Stat, ...],
    started: int,
    digest: str,
    config: Config,
    chunks: list[Any],
) -> Verdict:
    """The checks across tasks and files run (when deferred) and the plan cached when
    it has no error."""
    loaded.finish_checks()
    errors = loaded.errors
    warnings = len(loaded.warnings)
    if errors:
        return Verdict(len(errors), _where(errors), warnings, None)
    # Written only if no file changed while it was read: the plan must match the digest.
    # The stat says so for files settled before the read began (a write since would
    # have moved their timestamps); only a racily clean file needs its bytes read again
    # (100,000 tasks: 41 MB, ~0.3 s).
    if (
        target is not None
        and stats(root) == now
        and (_settled(now, started) or fingerprint(root) == digest)
    ):
        _write(target, now, digest, (config, warnings, chunks))
        return Verdict(0, "", warnings, digest)  # only for a plan known to match it
    return Verdict(0, "", warnings, None)


def _where(errors: list[Diagnostic]) -> str:
    """Where the first of *errors* is (path:line:col), "" when there is none."""
    if not errors:
        return ""
    first = errors[0]
    return f"{first.path}:{first.line}:{first.col}"


def _invalid(errors: int, first: str) -> GaoxinError:
    return GaoxinError(
        "error.plan_invalid",
        errors=errors,
        first=first or CONFIG_NAME,
        hint=Msg("error.plan_invalid_hint"),
    )


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
            config, warnings, chunks = pickle.load(fh)
        if not isinstance(config, Config):
            return None
        return _plan(config, chunks, warnings)
    except Exception:  # truncated, unreadable, not what this version writes: rebuild
        return None


def _write(target: Path, files: tuple[Stat, ...], digest: str, payload: Any) -> None:
    """Write the cache: the metadata, then *payload* (a pickled object, or its bytes);
    a cache that cannot be written only costs time."""
    from gaoxin_cli.loading.cachefiles import write_whole  # (tempfile: only to write)

    write_whole(target, (_HEADER, files, time.time_ns(), digest), payload)


def _restat(target: Path, files: tuple[Stat, ...], digest: str) -> None:
    """The same cache with the files' new stat (touched, not changed): the plan's bytes
    are copied, not pickled again."""
    try:
        with target.open("rb") as fh:
            pickle.load(fh)
            payload = fh.read()
    except Exception:
        return
    _write(target, files, digest, payload)


# --- the tasks as columns --------------------------------------------------------------
#
# A task's fields are plain values (strings, dates, numbers, None), tuples of strings, or
# records of plain values: one (``source``), one or none (``listed``), several
# (``milestones``). _NESTED names the record fields; tests/test_plancache.py fails when a
# field of Task holds records and is not named here.

_ONE, _OPTIONAL, _MANY = 0, 1, 2
_NESTED: dict[str, tuple[int, Any]] = {
    "source": (_ONE, records.Source),
    "listed": (_OPTIONAL, records.Listing),
    "milestones": (_MANY, records.Milestone),
}
_SHARED_TYPES = frozenset({str, date, type(None)})
_SEQUENCES = frozenset({list, tuple})


def _columns(items: Sequence[Any], names: tuple[str, ...]) -> list[Any]:
    """The fields *names* of *items* (specs or records) as one list per field. Each item
    is visited once (a column at a time would reach every object once per field); a
    spec's fields come from its ``__dict__`` (pydantic's attribute access is ~8x slower)."""
    if not items:
        return [[] for _ in names]
    if hasattr(items[0], "__dict__"):
        rows = map(itemgetter(*names), map(vars, items))
    else:
        rows = map(attrgetter(*names), items)
    if len(names) == 1:
        return [list(rows)]
    return list(map(list, zip(*rows, strict=True)))


def _plain(col: list[Any], shared: dict[Any, Any]) -> list[Any]:
    """A column of plain values. Lists (a spec's) become tuples, like the records'; equal
    strings and dates become one object (unit ids, kinds and dates repeat across
    thousands of tasks: the pickle is smaller and loads faster). Numbers are left alone:
    1 == 1.0 == True would make them one."""
    kinds = set(map(type, col))
    if kinds <= _SHARED_TYPES:
        return list(map(shared.setdefault, col, col))
    if kinds <= _SEQUENCES:  # tuples (lists in a spec) of strings: shared the same way
        flat = list(chain.from_iterable(col))
        if set(map(type, flat)) <= _SHARED_TYPES:
            words = iter(list(map(shared.setdefault, flat, flat)))
            tuples = _regroup(words, map(len, col))
            return list(map(shared.setdefault, tuples, tuples))  # equal tuples: one
    if list in kinds:
        return [tuple(v) if type(v) is list else v for v in col]
    return col


def _regroup(items: Iterator[Any], counts: Iterable[int]) -> list[tuple[Any, ...]]:
    """*items* cut into tuples of *counts* items each."""
    return [tuple(islice(items, c)) if c else () for c in counts]


def _distinct(fields: list[list[Any]]) -> tuple[list[list[Any]], list[int]]:
    """Records given as *fields* (a list per field), each distinct one stored once: the
    distinct records' fields and, per record, its number among them (a plan's sources
    and milestones repeat: fewer objects to unpickle and to hold). Equal means of equal
    value and type: a field of anything but strings, dates and None is compared by its
    ``repr`` (1, 1.0 and True, or 0.0 and -0.0, stay apart)."""
    keyed = [
        col if set(map(type, col)) <= _SHARED_TYPES else list(map(repr, col)) for col in fields
    ]
    keys = list(zip(*keyed, strict=True))
    first = dict(zip(keys, range(len(keys)), strict=True))  # key → a record with it
    number = dict(zip(first, range(len(first)), strict=True))
    kept = list(first.values())
    return [list(map(col.__getitem__, kept)) for col in fields], list(map(number.__getitem__, keys))


def _records(cls: Any, packed: tuple[list[list[Any]], list[int]]) -> list[Any]:
    """The records :func:`_distinct` packed, one per number (equal ones: one object)."""
    fields, numbers = packed
    made = list(map(partial(tuple.__new__, cls), zip(*fields, strict=True)))
    return list(map(made.__getitem__, numbers))


def task_columns(tasks: Sequence[Any]) -> list[Any]:
    """The tasks (validated specs, or records: the field names are the same) as one
    column per field of :class:`~gaoxin_cli.models.Task`, in its field order."""
    shared: dict[Any, Any] = {}
    out: list[Any] = []
    for name, values in zip(Task._fields, _columns(tasks, Task._fields), strict=True):
        nested = _NESTED.get(name)
        if nested is None:
            out.append(_plain(values, shared))
            continue
        how, cls = nested
        if how == _OPTIONAL:
            where = [i for i, v in enumerate(values) if v is not None]
            values = [values[i] for i in where]
        elif how == _MANY:
            counts = list(map(len, values))
            values = list(chain.from_iterable(values))
        fields = [_plain(c, shared) for c in _columns(values, cls._fields)]
        if how == _ONE:
            out.append(_distinct(fields))
        else:
            out.append((where if how == _OPTIONAL else counts, _distinct(fields)))
    return out


def tasks_of_columns(columns: Sequence[Any]) -> tuple[Task, ...]:
    """The records :func:`task_columns` took apart, rebuilt (no Python call per task
    but for the tasks with milestones)."""
    new = tuple.__new__
    cols: list[Any] = []
    n = len(columns[0]) if columns else 0
    for name, col in zip(Task._fields, columns, strict=True):
        nested = _NESTED.get(name)
        if nested is None:
            cols.append(col)
            continue
        how, cls = nested
        if how == _ONE:
            cols.append(_records(cls, col))
        elif how == _OPTIONAL:
            where, packed = col
            optional: list[Any] = [None] * n
            for i, record in zip(where, _records(cls, packed), strict=True):
                optional[i] = record
            cols.append(optional)
        else:
            counts, packed = col
            cols.append(_regroup(iter(_records(cls, packed)), counts))
    return tuple(map(partial(new, Task), zip(*cols, strict=True)))


def _plan(config: Config, chunks: Sequence[Any], warnings: int) -> Plan:
    return Plan(config, tuple(chain.from_iterable(map(tasks_of_columns, chunks))), warnings)
