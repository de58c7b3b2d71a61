"""A city's workspace: 100,000 tasks and 10,000,000 events (``run.py --scale 100k``).

Used by bench/run.py; see bench/README.md ("A city's workspace"). One workspace of
100,000 tasks in 1,000 plan files (40 units; ``gen.write_workspace``, seed 1) and one
status history of 10,000,000 reports up to 2020-11-16 (``gen.make_events``: the same
proportions as the 10k run's 1,000,000) plus the card changes a daily ``gaoxin sweep``
would have recorded, returned feedback and approved extensions
(``ranking_bench.other_events``), filled once and kept in the cache directory
(default ``$TMPDIR/gaoxin-bench-100k``: a few GB) under a key of everything that
decides its content. Taskwarrior's twin of the same tasks is kept there too (its dates
are shifted to today, so its key has the day).

Every command then runs in one alternating loop, ``task overdue`` and ``task 1 modify``
(Taskwarrior 2.6 over the same 100,000 tasks) first in each round:

* ``status``, ``overdue`` (cached plan) — target ≤ 0.3 × ``task overdue``; and (INFO)
  ``listed`` and ``status --json``;
* ``ranking`` (this month, live; the month before read back as kept by the warm-up) and
  ``bulletin --format html`` (last month: its ranking and the month before, both kept)
  — ≤ 2 s each; and (INFO) the first ``bulletin`` of a month, with no month kept
  (``service/month_scores.py``: both months scored, then kept);
* ``notify --outbox DIR`` on a fresh copy of the database (copied and synced, untimed,
  before each run): the first run of the day files every notice — ≤ 5 s and ≤ 400 MB;
  and (INFO) the next working day's run, as cron makes it every day after (the first
  day's run made once, untimed, and copied before each);
* ``validate`` (the files' YAML data kept from the warm-up, as after an edit or a
  commit: ``loading/parsed.py``) — ≤ 4 s and ≤ 500 MB; ``status`` with no plan cache
  (removed untimed before each run; the YAML data kept, as after a plan change) —
  ≤ ``validate`` + 1 s; and (INFO) ``validate --no-cache`` (every file parsed, as in
  CI on a fresh clone) and ``status`` with nothing cached (GAOXIN_HOME removed);
* ``feedback TASK -p N`` (INFO: ``task N modify``'s counterpart), and, when the import
  engineer's ``bench/import_bench.py`` provides ``scale_series``, its import of the
  history (INFO here, its own targets there).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import daily_bench
from gen import (
    EventSpec,
    Spec,
    Workspace,
    make_events,
    rng_for,
    taskwarrior_shift,
    write_taskwarrior,
    write_workspace,
)
from harness import (
    BenchError,
    Series,
    Target,
    check_run,
    find_command,
    fmt_s,
    log,
    measure,
    warm_up,
)

SCALE_SPEC = Spec(tasks=100_000, files=1_000, units=40, seed=1)
SCALE_EVENTS = 10_000_000
AS_OF = date(2020, 11, 16)
NEXT_DAY = date(2020, 11, 17)  # the working day after AS_OF (a Tuesday)
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "gaoxin-bench-100k"
FILL_VERSION = 1  # change with fill() so the cache is filled again
FILL_CHUNK = 250_000  # events per transaction while filling
DAILY_RATIO = 0.3  # status, overdue vs task overdue
MONTH_LIMIT_S = 2.0  # ranking, bulletin
NOTIFY_LIMIT_S, NOTIFY_LIMIT_MB = 5.0, 400
VALIDATE_LIMIT_S, VALIDATE_LIMIT_MB = 4.0, 500
NO_CACHE_MARGIN_S = 1.0  # status without the plan cache vs validate


@dataclass(slots=True)
class Scale:
    ws: Workspace
    db: Path  # the working copy
    pristine: Path  # the cached, filled database: only ever copied
    events: int
    extras: int  # of them: cards, returns, extensions
    open_tasks: list[tuple[str, int]] = field(default_factory=list)  # for feedback


@dataclass(slots=True)
class Step:
    """One command of the loop, and what to do (untimed) before each of its runs."""

    series: Series
    before: Callable[[], None] | None = None

    def run(self) -> float:
        if self.before is not None:
            self.before()
        return measure(self.series)

    def warm(self) -> None:
        if self.before is not None:
            self.before()
        warm_up(self.series)


def _key(ws: Workspace, espec: EventSpec) -> str:
    """What the filled database depends on: the generators (code and specs), the fill
    (FILL_VERSION) and SQLite's version. Not gaoxin's store code, unlike the 10k cache
    (daily_bench.cache_key): a refill takes a quarter of an hour, and the store reads
    any database an earlier gaoxin wrote (an older checkpoint is replaced by the first
    write, see prepare)."""
    h = hashlib.blake2b(digest_size=8)
    h.update(Path(__file__).with_name("gen.py").read_bytes())
    h.update(Path(__file__).with_name("ranking_bench.py").read_bytes())
    h.update(repr((ws.spec, espec, FILL_VERSION, sqlite3.sqlite_version)).encode())
    return h.hexdigest()


def _ranking_bench() -> Any:
    path = Path(__file__).with_name("ranking_bench.py")
    spec = importlib.util.spec_from_file_location("ranking_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill(db: Path, ws: Workspace, espec: EventSpec) -> tuple[int, int, dict[str, int]]:
    """The history into an empty database at *db*, in transactions of FILL_CHUNK events
    (the store writes a checkpoint at the end of each): (events, extras, open tasks with
    their latest progress)."""
    from gaoxin_cli.store import Store

    rb = _ranking_bench()
    t0 = time.perf_counter()
    history = make_events(ws, espec)
    log(f"  generated {len(history.rows):,} reports in {time.perf_counter() - t0:.0f} s")
    extras = rb.other_events(ws, history.done, rng_for(ws.spec, "scale-bench"), until=espec.as_of)
    progress = {t: p for t, p in history.progress.items() if t not in history.done}

    def events() -> Iterator[Any]:
        for row in history.rows:
            yield rb.to_event(row)
        yield from extras

    daily_bench.remove_db(db)
    n = 0
    with Store.open(db, write=True) as st:
        chunk: list[Any] = []
        for event in events():
            chunk.append(event)
            if len(chunk) == FILL_CHUNK:
                st.add_unique(chunk, [f"bench:{n + i}" for i in range(len(chunk))])
                n += len(chunk)
                chunk = []
                log(f"  {n:,} events stored ({time.perf_counter() - t0:.0f} s)")
        if chunk:
            st.add_unique(chunk, [f"bench:{n + i}" for i in range(len(chunk))])
            n += len(chunk)
        st.write_checkpoint()
    return n, len(extras), progress


def prepare(args: argparse.Namespace, gaoxin: str, work: Path) -> Scale:
    cache: Path = args.scale_cache
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    ws = write_workspace(work / "ws", SCALE_SPEC)
    took = time.perf_counter() - t0
    log(f"generated {len(ws.tasks):,} tasks in {len(ws.files)} files in {took:.0f} s")
    espec = EventSpec(events=SCALE_EVENTS, as_of=AS_OF)
    key = _key(ws, espec)
    cached = cache / f"events-{SCALE_SPEC.tasks}x{SCALE_EVENTS}-{key}.db"
    meta = cached.with_suffix(".txt")
    if cached.is_file() and meta.is_file():
        log(f"status database from the cache: {cached}")
        fields = meta.read_text(encoding="utf-8").split("\n")
        events, extras = int(fields[0]), int(fields[1])
        picks = [(t, int(p)) for t, p in (f.split(" ") for f in fields[2:] if f)]
    else:
        log(f"filling {cached} (once; a quarter of an hour and ~10 GB of memory) ...")
        for old in cache.glob(f"events-{SCALE_SPEC.tasks}x{SCALE_EVENTS}-*"):
            old.unlink()
        tmp = cache / f".fill-{key}.db"
        events, extras, progress = fill(tmp, ws, espec)
        pool = sorted(progress.items())
        step = max(1, len(pool) // 50)
        picks = [(t, min(100, p + 1)) for t, p in pool[::step][:50]]
        tmp.replace(cached)
        meta.write_text(
            f"{events}\n{extras}\n" + "".join(f"{t} {p}\n" for t, p in picks), encoding="utf-8"
        )
    _day_checkpoints(cached)
    db = work / "big.db"
    daily_bench.copy_db(cached, db)
    log(f"status database: {events:,} events ({extras:,} cards, returns, extensions)")
    return Scale(ws, db, cached, events, extras, picks)


# The month ends the timed commands ask about: the ranking's previous month (October) and
# the eve of each month scored; the bulletin's month (October) and the one before.
DAY_CHECKPOINTS = (date(2020, 8, 31), date(2020, 9, 30), date(2020, 10, 31))


def _day_checkpoints(db: Path) -> None:
    """The day checkpoints of DAY_CHECKPOINTS in the cached database, derived once when
    missing (a database filled before gaoxin wrote them; a fill by this gaoxin, in date
    order, leaves them behind itself) or when more events dated on or before their day
    were written after them than a write by this gaoxin leaves (``DAY_TAIL_MAX``: the
    extras, appended after the reports, are dated all year). Skipped for a gaoxin without
    them (a "before" run of an older tree), which ignores them anyway."""
    from gaoxin_cli.store import Store, checkpoint

    if not hasattr(Store, "write_day_checkpoint"):
        return
    limit = getattr(checkpoint, "DAY_TAIL_MAX", None)
    with Store.open(db, write=True) as st:
        have = {
            str(r[0]): int(r[1])
            for r in st.query(
                "SELECT max_at, max(upto) FROM checkpoints WHERE format = ? GROUP BY max_at",
                (checkpoint.DAY_FORMAT,),
            )
        }
        for day in DAY_CHECKPOINTS:
            upto = have.get(day.isoformat())
            if upto is not None and limit is not None:
                late = st.query(
                    "SELECT count(*) FROM events WHERE id > ? AND at <= ?", (upto, day.isoformat())
                )[0][0]
                if late > limit:
                    upto = None
            if upto is None:
                t0 = time.perf_counter()
                st.write_day_checkpoint(day)
                log(f"day checkpoint of {day} derived in {time.perf_counter() - t0:.0f} s")
        if hasattr(checkpoint, "Scoring"):
            # A database filled before the checkpoints kept the scoring columns gets
            # them once (~26 s at 10M events); a no-op when they are there.
            t0 = time.perf_counter()
            if st.write_checkpoint(min_tail=0):
                log(f"checkpoints given the scoring columns in {time.perf_counter() - t0:.0f} s")


def taskwarrior(args: argparse.Namespace, scale: Scale) -> tuple[str, dict[str, str], int]:
    """Taskwarrior's database of the same tasks, kept in the cache for the day."""
    task = find_command("task", via_path=True)
    shift = taskwarrior_shift(AS_OF)
    h = hashlib.blake2b(digest_size=6)
    h.update(repr((SCALE_SPEC, shift)).encode())
    h.update(Path(__file__).with_name("gen.py").read_bytes())
    home = args.scale_cache / f"taskwarrior-{h.hexdigest()}"
    data = home / "data"
    rc = home / "taskrc"
    env = {"TASKRC": str(rc), "TASKDATA": str(data), "TZ": "UTC", "HOME": str(home)}
    if not (home / "ready").is_file():
        for old in args.scale_cache.glob("taskwarrior-*"):
            shutil.rmtree(old)
        data.mkdir(parents=True)
        rc.write_text(daily_bench.TASKRC.format(data=data), encoding="utf-8")
        export = home / "tasks.json"
        n = write_taskwarrior(export, scale.ws.tasks, as_of=AS_OF, shift_days=shift)
        t0 = time.perf_counter()
        check_run([task, "import", str(export)], "task import", env)
        log(f"task import of {n:,} tasks: {time.perf_counter() - t0:.0f} s")
        export.unlink()
        (home / "ready").write_text("", encoding="utf-8")
    overdue = int(check_run([task, "+OVERDUE", "count"], "task count", env).strip() or 0)
    expected = sum(1 for t in scale.ws.tasks if t["due"] < AS_OF)
    if overdue != expected:
        raise BenchError(f"Taskwarrior finds {overdue} tasks overdue, expected {expected}")
    return task, env, overdue


def _import_series(scale: Scale, gaoxin: str, work: Path) -> list[Step]:
    """The import engineer's series, when bench/import_bench.py offers one."""
    path = Path(__file__).with_name("import_bench.py")
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("import_bench", path)
    if spec is None or spec.loader is None:
        return []
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make = getattr(module, "scale_series", None)
    if make is None:
        return []
    return [Step(s, before) for s, before in make(scale.ws, scale.pristine, gaoxin, work)]


def bench_scale(
    args: argparse.Namespace, gaoxin: str, work: Path
) -> tuple[list[Series], list[Target], dict[str, Any]]:
    scale = prepare(args, gaoxin, work)
    task, tw_env, overdue_n = taskwarrior(args, scale)
    root = str(scale.ws.root)
    day = AS_OF.isoformat()

    def gx(*a: str, db: Path | None = None, on: date = AS_OF) -> list[str]:
        return [gaoxin, "-C", root, "--as-of", on.isoformat(), "--db", str(db or scale.db), *a]

    size = f"{len(scale.ws.tasks):,} tasks, {scale.events:,} events"
    tw = Series(
        f"task overdue ({len(scale.ws.tasks):,} tasks, {overdue_n:,} overdue)",
        [task, "overdue"],
        env=tw_env,
        note="Taskwarrior 2.6",
        label="task overdue",
    )
    modify = Series(
        "task 1 modify (a new description each run)",
        [task, "1", "modify", "bench run 0"],
        env=tw_env,
        note="Taskwarrior 2.6",
        label="task modify",
    )
    runs = iter(range(1, 1_000_000))

    def next_modify() -> None:
        modify.cmd[-1] = f"bench run {next(runs)}"

    notify_db = work / "notify.db"
    outbox = work / "outbox"

    def fresh_notify() -> None:
        daily_bench.copy_db(scale.pristine, notify_db)
        shutil.rmtree(outbox, ignore_errors=True)
        outbox.mkdir()

    # The next working day's run, as cron makes it every day after the first: the first
    # day's run (made once, untimed, by the installed gaoxin) kept and copied before each.
    day1_db, day2_db, outbox2 = work / "notify-day1.db", work / "notify2.db", work / "outbox2"

    def day_two() -> None:
        if not day1_db.exists():
            first_box = work / "outbox-day1"
            daily_bench.copy_db(scale.pristine, day1_db)
            shutil.rmtree(first_box, ignore_errors=True)
            first_box.mkdir()
            first = gx("notify", "--outbox", str(first_box), db=day1_db)
            check_run(first, "the first day's notify")
            shutil.rmtree(first_box)
        daily_bench.copy_db(day1_db, day2_db)
        shutil.rmtree(outbox2, ignore_errors=True)
        outbox2.mkdir()

    nocache_home = work / "home-nocache"
    # Months kept in the cache folder (service/month_scores.py) are what every bulletin
    # after the first of the month reads; the first one scores both months and keeps
    # them. That one runs with its own GAOXIN_HOME, its kept months removed before each.
    first_home = work / "home-first"

    def nothing_kept() -> None:
        shutil.rmtree(first_home / "cache" / "scores", ignore_errors=True)

    def no_cache() -> None:
        # As after a plan change: the plan cache is stale, the files' YAML data is kept
        # (loading/parsed.py; one changed file of 1,000 is ~10 ms of parsing).
        for stale in (nocache_home / "cache").glob("plan-*.pickle"):
            stale.unlink()

    empty_home = work / "home-empty"

    def nothing_cached() -> None:
        shutil.rmtree(empty_home, ignore_errors=True)

    picks = iter(scale.open_tasks)
    feedback = Series(
        f"gaoxin feedback TASK -p N ({scale.events:,} events)",
        gx("feedback", *_pick(picks)),
        note="INFO; a different task each run",
        label="feedback",
    )

    def next_feedback() -> None:
        feedback.cmd[-3:] = _pick(picks)

    steps = [
        Step(tw),
        Step(modify, next_modify),
        Step(Series(f"gaoxin status ({size})", gx("status"), label="status")),
        Step(Series(f"gaoxin overdue ({size})", gx("overdue"), label="overdue")),
        # Off the targets' list, at the same scale (INFO): the listed tasks (7,888 here)
        # with the day each reached 100 %, and the dashboard as JSON (55 MB).
        Step(Series(f"gaoxin listed ({size})", gx("listed"), note="INFO", label="listed")),
        Step(
            Series(
                f"gaoxin status --json ({size})",
                gx("status", "--json"),
                note="INFO",
                label="status --json",
            )
        ),
        Step(Series("gaoxin ranking (this month, live)", gx("ranking"), label="ranking")),
        Step(
            Series(
                "gaoxin bulletin --format html (last month)",
                gx("bulletin", "--format", "html"),
                label="bulletin",
            )
        ),
        Step(
            Series(
                "gaoxin bulletin --format html, no month kept (the first of the month)",
                gx("bulletin", "--format", "html"),
                env={"GAOXIN_HOME": str(first_home)},
                note="kept months removed before each run",
                label="bulletin (first)",
            ),
            nothing_kept,
        ),
        Step(
            Series(
                "gaoxin notify --outbox DIR (first run of the day)",
                gx("notify", "--outbox", str(outbox), db=notify_db),
                note="fresh DB copy each run",
                label="notify",
            ),
            fresh_notify,
        ),
        Step(
            Series(
                "gaoxin notify --outbox DIR (the next working day)",
                gx("notify", "--outbox", str(outbox2), db=day2_db, on=NEXT_DAY),
                note="INFO; the first day's run copied before each run",
                label="notify (next day)",
            ),
            day_two,
        ),
        Step(Series("gaoxin validate", [gaoxin, "-C", root, "validate"], label="validate")),
        Step(
            Series(
                "gaoxin validate --no-cache (every file parsed: a fresh clone in CI)",
                [gaoxin, "-C", root, "validate", "--no-cache"],
                note="INFO",
                label="validate (no cache)",
            )
        ),
        Step(
            Series(
                "gaoxin status, no plan cache (after a plan change)",
                gx("status"),
                env={"GAOXIN_HOME": str(nocache_home)},
                note="plan cache removed before each run, YAML data kept",
                label="status (no plan cache)",
            ),
            no_cache,
        ),
        Step(
            Series(
                "gaoxin status, nothing cached (a new machine)",
                gx("status"),
                env={"GAOXIN_HOME": str(empty_home)},
                note="INFO; GAOXIN_HOME removed before each run",
                label="status (nothing cached)",
            ),
            nothing_cached,
        ),
        Step(feedback, next_feedback),
        *_import_series(scale, gaoxin, work),
    ]
    if args.scale_before is not None:
        steps = _with_before(steps, args.scale_before, work / "home-before")
    # The plan cache of the run's GAOXIN_HOME, warmed once before anything is timed.
    check_run(gx("countdown", "--json"), "warming the plan cache")
    for st in steps:
        log(f"warm-up: {st.series.name}")
        t0 = time.perf_counter()
        st.warm()
        rss = (st.series.rss_kb or 0) / 1024
        log(f"  {fmt_s(time.perf_counter() - t0)}, peak RSS {rss:.0f} MiB")
    for i in range(args.scale_reps):
        for st in _in_order(steps, swapped=i % 2 == 1):
            st.run()
        each = " | ".join(f"{s.series.short} {fmt_s(s.series.times[-1])}" for s in steps)
        log(f"  rep {i + 1}: {each}")
    series = [st.series for st in steps]
    by = {s.short: s for s in series}
    targets = _targets(by)
    info = {
        "scale": {
            "tasks": len(scale.ws.tasks),
            "files": len(scale.ws.files),
            "events": scale.events,
            "extras": scale.extras,
            "as_of": day,
            "db": str(scale.pristine),
            "db_mb": round(scale.pristine.stat().st_size / 1e6),
        }
    }
    return series, targets, info


def _with_before(steps: list[Step], src: Path, home: Path) -> list[Step]:
    """Each gaoxin command twice in a row: as installed, then the same command with
    ``PYTHONPATH=src`` (an older tree): before and after side by side in one loop, so
    the machine's load hits both alike. The older tree keeps its plan cache in *home*:
    two cache formats in one file would make every run of both a cache miss.

    ``--no-cache`` (``validate``) stays on the twin when the older tree has the option
    (its ``loading/parsed.py``, the cache it turns off); a tree from before it gets the
    command without it, and that INFO pair then compares a cold run with a cached one."""
    cold = (src / "gaoxin_cli" / "loading" / "parsed.py").is_file()
    out: list[Step] = []
    for st in steps:
        out.append(st)
        s = st.series
        if Path(s.cmd[0]).name != "gaoxin" or s.short == "feedback":
            continue  # (feedback writes: each run takes another task, INFO only)
        twin = Series(
            f"{s.name} [before: {src}]",
            [a for a in s.cmd if cold or a != "--no-cache"],
            note="before",
            env={"GAOXIN_HOME": str(home), **s.env, "PYTHONPATH": str(src)},
            label=f"{s.short} (before)",
        )
        out.append(Step(twin, st.before))
    return out


def _in_order(steps: list[Step], *, swapped: bool) -> list[Step]:
    """The loop's steps; *swapped*: each command's before twin (:func:`_with_before`)
    runs first. Every other round swaps them, so that whatever the first of two runs in
    a row pays (pages the machine dropped since the last round, a copy still being
    written back) falls on both trees alike."""
    if not swapped:
        return steps
    out = list(steps)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if b.series.note == "before" and a.series.note != "before":
            out[i], out[i + 1] = b, a
    return out


def _pick(picks: Iterator[tuple[str, int]]) -> list[str]:
    try:
        tid, progress = next(picks)
    except StopIteration:
        raise BenchError("more feedback runs than open tasks picked") from None
    return [tid, "-p", str(progress)]


def _mb(s: Series) -> float:
    return (s.rss_kb or 0) * 1024 / 1e6


def _targets(by: dict[str, Series]) -> list[Target]:
    tw = by["task overdue"]
    out = []
    for name in ("status", "overdue"):
        s = by[name]
        ratio = s.median / tw.median
        out.append(
            Target(
                f"scale_{name}_vs_taskwarrior",
                ratio,
                DAILY_RATIO,
                f"100k: gaoxin {name} {fmt_s(s.median)} vs task overdue {fmt_s(tw.median)}: "
                f"ratio {ratio:.2f} (limit {DAILY_RATIO:.2f})",
                profile_args=s.cmd[1:],
            )
        )
    for name in ("ranking", "bulletin"):
        s = by[name]
        out.append(
            Target(
                f"scale_{name}",
                s.median,
                MONTH_LIMIT_S,
                f"100k: gaoxin {name} median {fmt_s(s.median)} (limit {fmt_s(MONTH_LIMIT_S)})",
                profile_args=s.cmd[1:],
            )
        )
    for name, limit_s, limit_mb in (
        ("notify", NOTIFY_LIMIT_S, NOTIFY_LIMIT_MB),
        ("validate", VALIDATE_LIMIT_S, VALIDATE_LIMIT_MB),
    ):
        s = by[name]
        out.append(
            Target(
                f"scale_{name}",
                s.median,
                limit_s,
                f"100k: gaoxin {name} median {fmt_s(s.median)} (limit {fmt_s(limit_s)})",
                profile_args=s.cmd[1:],
            )
        )
        out.append(
            Target(
                f"scale_{name}_rss",
                _mb(s),
                limit_mb,
                f"100k: gaoxin {name} peak RSS {_mb(s):.0f} MB (limit {limit_mb} MB)",
            )
        )
    nc, val = by["status (no plan cache)"], by["validate"]
    out.append(
        Target(
            "scale_status_no_cache",
            nc.median,
            val.median + NO_CACHE_MARGIN_S,
            f"100k: gaoxin status without the plan cache {fmt_s(nc.median)} "
            f"(limit validate + 1 s = {fmt_s(val.median + NO_CACHE_MARGIN_S)})",
        )
    )
    return out
