"""Load every file of a workspace and run the cross-file checks (``loading/paths.py``
finds the workspace and its files)."""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from gaoxin_cli.loading import free_cpus
from gaoxin_cli.loading.checks import Names, check_config, check_tasks
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.files import (
    LoadedConfig,
    LoadedPlan,
    TaskEntry,
    load_calendar_file,
    load_config,
    load_plan,
    shown_path,
)
from gaoxin_cli.loading.parsed import ParsedCache, prune
from gaoxin_cli.loading.paths import (
    CONFIG_NAME,
    calendar_files,
    calendar_for,
    plan_files,
)
from gaoxin_cli.models import Task
from gaoxin_cli.models.spec import ConfigSpec, TaskSpec


@dataclass(slots=True)
class Loaded:
    """Everything read from a workspace, valid or not."""

    root: Path | None
    config: ConfigSpec | None
    entries: list[TaskEntry]
    diagnostics: list[Diagnostic]
    files: list[str] = field(default_factory=list)
    # The tasks as plan-cache columns (``plancache.task_columns``) where the second
    # process already made them: in entry order, (how many entries, their columns, or
    # None for entries whose tasks are specs).
    packed: list[tuple[int, Any]] = field(default_factory=list)
    # The value of the work :func:`load` was given *aside*, or None.
    aside: Any = None
    # The checks across tasks and files, not run yet (``load(..., defer_checks=True)``):
    # :meth:`finish_checks` runs them.
    checks: Callable[[], list[Diagnostic]] | None = None

    @property
    def tasks(self) -> list[TaskSpec | Task]:
        return [e.task for e in self.entries]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def finish_checks(self) -> None:
        """Run the deferred checks across tasks and files (if any), their diagnostics
        placed among the others as :func:`load` places them."""
        if self.checks is None:
            return
        checks, self.checks = self.checks, None
        self.diagnostics.extend(checks())
        self.diagnostics.sort(key=Diagnostic.sort_key)


def _with_calendar_files(
    root: Path,
    base: Path | None,
    config: ConfigSpec | None,
    diags: list[Diagnostic],
    files: list[str],
) -> ConfigSpec | None:
    """The config with every calendar/YYYY.yaml added to its ``calendar:`` (each file's
    year counts as described in full; its days join rest / work)."""
    rest: list[date] = []
    work: list[date] = []
    years: list[int] = []
    for path in calendar_files(root):
        shown = shown_path(path, base)
        files.append(shown)
        cal, d = load_calendar_file(path, shown)
        diags.extend(d)
        if cal is None:
            continue
        if cal.year in years or (config is not None and cal.year in config.calendar.years):
            diags.append(Diagnostic.at("X320", shown, (1, 1), year=cal.year))
            continue
        years.append(cal.year)
        rest += cal.rest
        work += cal.work
    if config is None or not years:
        return config
    c = config.calendar
    clash = (set(c.rest) | set(rest)) & (set(c.work) | set(work))
    if clash:
        day = min(clash)
        diags.append(Diagnostic.at("X316", shown_path(root / CONFIG_NAME, base), (1, 1), day=day))
        return config
    merged = c.model_copy(
        update={
            "rest": sorted(set(c.rest) | set(rest)),
            "work": sorted(set(c.work) | set(work)),
            "years": sorted(set(c.years) | set(years)),
        }
    )
    return config.model_copy(update={"calendar": merged})


def load(
    root: Path | None,
    extra: list[Path] | None = None,
    base: Path | None = None,
    *,
    jobs: int | None = None,
    columns: bool = False,
    cache: Path | None = None,
    aside: Callable[[], Any] | None = None,
    defer_checks: bool = False,
) -> Loaded:
    """Load the workspace at *root* (if any) plus *extra* files, checking everything.

    *extra* are files given on the command line: a file named gaoxin.yaml is read as the
    config (when there is no workspace), anything else as a plan.

    Parsing 10,000 tasks builds ~800,000 small containers: a program that calls this
    with the cyclic garbage collector on spends about a third of the time in it
    (``gaoxin`` itself runs with it off: ``cli.main``).

    *jobs* is how many processes read the plan files (:func:`_load_plans`); None
    decides from the machine and the workspace's size. *columns*: the caller will want
    every task as plan-cache columns (:attr:`Loaded.packed`), so with two processes each
    makes them for the files it read. *cache*: the folder where the YAML data of the
    plan files' texts is kept between runs (loading/parsed.py); None: every file parsed.
    *aside*: work that has no part in the reading (the plan cache's digest of the
    files), done by the second process after its files when there is one — it ends
    before this one, which also makes its columns — else here; its value is
    :attr:`Loaded.aside`. *defer_checks*: the checks across tasks and files (~1 s of one
    core at 100,000 tasks) are not run but left in :attr:`Loaded.checks`, for a caller
    that runs them beside other work (``plancache.open_plan``).
    """
    diags: list[Diagnostic] = []
    files: list[str] = []
    config_path: Path | None = root / CONFIG_NAME if root else None
    plans: list[Path] = plan_files(root) if root else []
    seen = {p.resolve() for p in plans}
    for p in extra or []:
        if config_path is None and p.name == CONFIG_NAME:
            config_path = p
        elif p.resolve() not in seen and (
            config_path is None or p.resolve() != config_path.resolve()
        ):
            plans.append(p)
            seen.add(p.resolve())

    loaded_config = LoadedConfig("", None, None)
    names = Names(known=False)
    if config_path is not None:
        shown = shown_path(config_path, base)
        files.append(shown)
        loaded_config, d = load_config(config_path, shown)
        diags.extend(d)
        if loaded_config.config is not None:
            names = Names.from_config(loaded_config.config)
            diags.extend(check_config(loaded_config))
        elif loaded_config.doc is not None:
            names = Names.from_raw(loaded_config.doc.data)
        if root is not None:
            merged = _with_calendar_files(root, base, loaded_config.config, diags, files)
            loaded_config = LoadedConfig(loaded_config.path, loaded_config.doc, merged)
    elif plans:
        diags.append(Diagnostic.at("X317", shown_path(plans[0], base), (1, 1)))

    entries: list[TaskEntry] = []
    invalid: list[str] = []
    reads, packed, aside_value = _load_plans(plans, base, jobs, columns, cache, aside)
    if cache is not None:
        prune(cache, len(plans))
    for plan, d in reads:
        files.append(plan.path)
        diags.extend(d)
        entries.extend(plan.entries)
        invalid.extend(plan.invalid_ids)
    if root is not None and not plans:
        diags.append(Diagnostic.at("X318", shown_path(root / CONFIG_NAME, base), (1, 1)))

    calendar = calendar_for(loaded_config.config) if config_path is not None else None
    checks = partial(check_tasks, entries, names, invalid, calendar)
    loaded = Loaded(root, loaded_config.config, entries, diags, files, packed, aside_value, checks)
    if not defer_checks:
        loaded.finish_checks()
    else:
        diags.sort(key=Diagnostic.sort_key)
    return loaded


# A workspace of fewer bytes of plans than this is read in one process: starting a
# second costs ~20 ms and sending its tasks back ~2 us a task, more than it saves below
# ~2 MB (about 5,000 tasks).
PARALLEL_MIN_BYTES = 2_000_000
# The share of the files the second process reads. Per task (100,000 tasks, 1,000
# files) reading and validating costs ~70 us; the child also turns its tasks into
# columns (~9 us) and this process rebuilds them as records (~2 us), so the two are
# even at ~47 %. When this process makes columns of its own files too (``columns``),
# at ~50 %.
_CHILD_SHARE = 0.47
_CHILD_SHARE_COLUMNS = 0.5
# The child's files go in batches of this many, so each comes back while the next is
# read (no 30 MB result held at once, and a child that dies loses one batch's work).
# Each batch's columns are a chunk of the plan cache, with its own copy of the texts
# and dates its tasks share: few batches keep the cache small (100,000 tasks: 9.4 MB
# in 6 chunks, 10.3 MB in 20, 8.0 MB in one).
_BATCH = 100

Read = tuple[LoadedPlan, list[Diagnostic]]
# What the second process sends back for a batch of files: each file read without its
# entries, the entries' indexes in it, and the tasks of all as plan-cache columns.
_Packed = tuple[list[Read], list[list[int]], list[Any]]


def _read_plans(plans: Sequence[Path], base: Path | None, cache: Path | None) -> list[Read]:
    """Each plan file read and validated, in order; its document's data let go."""
    out: list[Read] = []
    kept = ParsedCache(cache) if cache is not None else None
    for p in plans:
        plan, d = load_plan(p, shown_path(p, base), kept)
        if plan.doc is not None:
            plan.doc.release()  # validated: positions and data are read again if asked
        out.append((plan, d))
    return out


def _auto_jobs(plans: Sequence[Path]) -> int:
    """Two processes for a city's plans on a machine with two free cores and ``fork``;
    one otherwise (a small workspace, one core, no fork (Windows), or threads running
    in this process, which a fork must not copy mid-flight)."""
    if len(plans) < 4 or free_cpus() < 2 or not hasattr(os, "fork"):
        return 1
    if threading.active_count() > 1:
        return 1
    size = 0
    for p in plans:
        try:
            size += p.stat().st_size
        except OSError:
            continue  # load_plan reports it
        if size >= PARALLEL_MIN_BYTES:
            return 2
    return 1


def _read_packed(plans: Sequence[Path], base: Path | None, cache: Path | None) -> _Packed:
    """:func:`_read_plans` in the second process. The tasks go back as plan-cache
    columns, not as pydantic models: pickling a spec costs ~18 us and unpickling it
    ~10 us, while columns pickle in C and the records are rebuilt without a Python
    call per task — and the plan cache keeps the columns as they are."""
    return _packed(_read_plans(plans, base, cache))


def _packed(reads: list[Read]) -> _Packed:
    """*reads* with their tasks taken out as columns (and the entries' indexes)."""
    from gaoxin_cli.loading.plancache import task_columns

    indexes = [[e.index for e in plan.entries] for plan, _ in reads]
    columns = task_columns([e.task for plan, _ in reads for e in plan.entries])
    for plan, _ in reads:
        plan.entries = []
    return reads, indexes, columns


def _unpack(packed: _Packed) -> tuple[list[Read], int, list[Any]]:
    """The reads of :func:`_read_packed` with their entries again, the tasks as
    records; the number of entries and the columns."""
    from gaoxin_cli.loading.plancache import tasks_of_columns

    reads, indexes, columns = packed
    tasks = iter(tasks_of_columns(columns))
    n = 0
    for (plan, _), idx in zip(reads, indexes, strict=True):
        if idx:  # (a file with tasks has its document)
            doc = plan.doc
            assert doc is not None
            mine = islice(tasks, len(idx))
            plan.entries = [TaskEntry(t, plan.path, i, doc) for i, t in zip(idx, mine, strict=True)]
            n += len(idx)
    return reads, n, columns


def _entries(reads: list[Read]) -> int:
    return sum(len(plan.entries) for plan, _ in reads)


def _load_plans(
    plans: Sequence[Path],
    base: Path | None,
    jobs: int | None,
    columns: bool = False,
    cache: Path | None = None,
    aside: Callable[[], Any] | None = None,
) -> tuple[list[Read], list[tuple[int, Any]], Any]:
    """The plan files read in file order, by two processes when :func:`_auto_jobs` (or
    *jobs*) says so: a forked child reads and validates the last ~47 % of the files, in
    batches it sends back pickled, while this process reads the rest. Also the
    :attr:`Loaded.packed` spans: the child's tasks come back as columns (and with
    *columns*, this process makes those of its own files while the child reads on).

    At 100,000 tasks in 1,000 files the reading is ~7 s of one core (libyaml's events
    ~3.3 s, building the data ~2 s, pydantic ~1.3 s). The result is the same either way
    (tests/test_parallel_load.py); if the child dies (killed, out of memory) the files
    it did not send back are read here, so nothing is lost but the time.
    """
    n = _auto_jobs(plans) if jobs is None else jobs
    if n < 2 or len(plans) < 2:
        return _in_one(plans, base, cache, aside)
    # Imported here: ~11 ms that a workspace read in one process does not pay.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    share = _CHILD_SHARE_COLUMNS if columns else _CHILD_SHARE
    cut = max(1, min(len(plans) - 1, round(len(plans) * (1 - share))))
    mine, theirs = plans[:cut], plans[cut:]
    batches = [theirs[i : i + _BATCH] for i in range(0, len(theirs), _BATCH)]
    with ExitStack() as stack:
        # One unlinked file per batch, opened before the fork: nothing to clean up
        # whatever happens to either process. No temporary file to be had (no writable
        # temporary directory, no file handles left): one process reads them all.
        try:
            spools = [stack.enter_context(tempfile.TemporaryFile()) for _ in batches]
        except OSError:
            return _in_one(plans, base, cache, aside)
        pool = stack.enter_context(
            ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork"))
        )
        futures = [
            pool.submit(_read_packed_into, b, base, f.fileno(), cache)
            for b, f in zip(batches, spools, strict=True)
        ]
        later = pool.submit(aside) if aside is not None else None  # after the batches
        out = _read_plans(mine, base, cache)
        spans: list[tuple[int, Any]] = []
        if columns:  # this process's columns while the child reads on
            out, count, mine_packed = _unpack(_packed(out))
            spans.append((count, mine_packed))
        else:
            spans.append((_entries(out), None))
        for batch, future, spool in zip(batches, futures, spools, strict=True):
            packed: list[Any] | None
            try:
                reads, count, packed = _unpack(_spooled(spool.fileno(), future.result()))
            except (BrokenProcessPool, OSError, _Unspooled):
                reads = _read_plans(batch, base, cache)
                count, packed = _entries(reads), None
            out += reads
            spans.append((count, packed))
        aside_value = None
        if aside is not None and later is not None:
            try:
                aside_value = later.result()
            except Exception:  # the child died or the work failed there: do it here
                aside_value = aside()
    return out, spans, aside_value


def _in_one(
    plans: Sequence[Path],
    base: Path | None,
    cache: Path | None,
    aside: Callable[[], Any] | None,
) -> tuple[list[Read], list[tuple[int, Any]], Any]:
    """:func:`_load_plans` in this process alone: every file, then the work *aside*."""
    out = _read_plans(plans, base, cache)
    return out, [(_entries(out), None)], aside() if aside is not None else None


def _read_packed_into(
    plans: Sequence[Path], base: Path | None, fd: int, cache: Path | None = None
) -> int:
    """:func:`_read_packed` in the second process, pickled into the spool *fd* (from
    its start); returns the length. Not through the pool's pipe: 5 MB a batch in 64 KB
    pipe-fulls, each waiting until this process's result thread got the GIL from the
    YAML reader, stalled the child ~0.3 s a batch (a city: ~1.2 s of its ~7 s)."""
    packed = _read_packed(plans, base, cache)
    data = memoryview(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], done)
    return len(data)


class _Unspooled(Exception):
    """A batch's spool that does not read back: the batch is read again here."""


def _spooled(fd: int, size: int) -> Any:
    """What :func:`_read_packed_into` wrote to *fd*; :class:`_Unspooled` if it is short
    or does not unpickle."""
    parts = []
    got = 0
    while got < size:
        part = os.pread(fd, size - got, got)
        if not part:
            raise _Unspooled(f"the spool has {got} of {size} bytes")
        parts.append(part)
        got += len(part)
    try:
        return pickle.loads(b"".join(parts))
    except Exception as e:  # garbled bytes: any of the unpickler's errors
        raise _Unspooled("the spool does not unpickle") from e
