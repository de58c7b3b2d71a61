"""The daily commands on a big status database, side by side with Taskwarrior.

Used by bench/run.py (``--only daily|feedback|import``); see bench/README.md.

* :func:`prepare` — the status history of the generated workspace (``gen.make_events``):
  ``--events`` rows up to the as-of date, imported once with ``gaoxin import`` into an
  empty database (or copied from the cache of an earlier run with the same spec), and
  ``--import-events`` follow-up rows dated in the two weeks after it.
* :func:`bench_daily` — ``task overdue`` (Taskwarrior 2.6, the same tasks, dates shifted
  so its real clock sees the as-of date) vs ``gaoxin --as-of D status`` and
  ``gaoxin --as-of D countdown`` and ``gaoxin --as-of D overdue`` (issue 4: "within
  the same bound as status"), alternating in one loop.
* :func:`bench_feedback` — ``gaoxin feedback TASK --progress N``, each rep on another
  open task with N above the task's latest progress, against the big database.
* :func:`bench_import` — ``gaoxin import`` of the follow-up rows into a fresh copy of
  the big database (enforced) and into an empty one (reported).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import gaoxin_cli
from gen import (
    EventSpec,
    History,
    Workspace,
    make_events,
    taskwarrior_shift,
    write_events,
    write_taskwarrior,
)
from harness import (
    BenchError,
    Series,
    Target,
    check_run,
    child_env,
    find_command,
    fmt_s,
    log,
    measure,
    warm_up,
)

TARGET_TASKS = 10_000
TARGET_EVENTS = 1_000_000
TARGET_IMPORT = 100_000
RSS_LIMIT_MB = 300  # 10^6 bytes
FEEDBACK_LIMIT_S = 0.250
IMPORT_LIMIT_S = 5.0
TW_DEPENDS_REPS = 3

# Taskwarrior 2.6 configuration: nothing interactive, nothing read from ~, no hooks,
# no colour or terminal probing, the same 80 columns gaoxin's console uses off a tty.
TASKRC = """\
data.location={data}
confirmation=off
verbose=nothing
hooks=off
color=off
detection=off
defaultwidth=80
recurrence=off
news.version=2.6.0
"""

# Sources whose change changes what `gaoxin import` writes (part of the cache key).
_STORE_SOURCES = (
    "store",
    "loading/events_file.py",
    "loading/encodings.py",
    "rules/feedback.py",
    "models/state.py",
)


@dataclass(slots=True)
class Setup:
    """The big database and everything the daily benchmarks run on."""

    ws: Workspace
    history: History
    as_of: date
    pristine: Path  # the filled database as imported: only ever copied
    db: Path  # the working copy (status, countdown, feedback)
    followups: Path  # the follow-up rows, for the import benchmark
    events: int  # events in the pristine database
    fill: Series | None  # the import that filled it (None: copied from the cache)


def full_size(args: argparse.Namespace) -> bool:
    return args.tasks >= TARGET_TASKS and args.events >= TARGET_EVENTS


def gx(gaoxin: str, setup: Setup, *args: str, as_of: date | None = None) -> list[str]:
    day = (as_of or setup.as_of).isoformat()
    return [gaoxin, "-C", str(setup.ws.root), "--as-of", day, *args]


def count_events(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> None:
    """*src* copied to *dst* and on the disk before the timed run that uses it: the
    city's 2.5 GB copy is otherwise still being written back while that run writes and
    syncs its own files, which wait behind it (``notify`` at 100k: 6.1-6.3 s right after
    the copy, 5.0-5.4 s after a sync; bench/README.md, twelfth round)."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    os.sync()


def cache_key(ws: Workspace, espec: EventSpec) -> str:
    """What the filled database depends on: the generator (code and spec) and the parts
    of gaoxin that turn ledger rows into stored events, plus SQLite's version."""
    h = hashlib.blake2b(digest_size=10)
    h.update(Path(__file__).with_name("gen.py").read_bytes())
    h.update(repr((ws.spec, espec)).encode())
    h.update(f"{gaoxin_cli.__version__}|{sqlite3.sqlite_version}".encode())
    pkg = Path(gaoxin_cli.__file__).parent
    for rel in _STORE_SOURCES:
        base = pkg / rel
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            h.update(path.relative_to(pkg).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def prepare(
    args: argparse.Namespace, gaoxin: str, ws: Workspace, work: Path, need_base: bool = True
) -> Setup:
    """Generate the history; fill the big database once (or take it from the cache)."""
    espec = EventSpec(events=args.events, as_of=args.as_of, followups=args.import_events)
    t0 = time.perf_counter()
    history = make_events(ws, espec)
    log(
        f"generated {len(history.rows):,} events up to {espec.as_of} and "
        f"{len(history.followups):,} follow-ups to {espec.follow_end} "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    followups = work / "events-new.jsonl"
    write_events(followups, history.followups)
    db = work / "big.db"
    key = cache_key(ws, espec)
    cached: Path | None = None
    if args.db_cache is not None:
        cached = args.db_cache / f"events-{ws.spec.tasks}x{espec.events}-{key}.db"
    setup = Setup(ws, history, espec.as_of, db, db, followups, len(history.rows), None)
    if cached is not None and cached.is_file():
        log(f"status database from the cache: {cached}")
        setup.pristine = cached
        copy_db(cached, db)
    else:
        base = work / "events.jsonl"
        t0 = time.perf_counter()
        write_events(base, history.rows)
        log(f"wrote {base.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
        pristine = work / "base.db"
        remove_db(pristine)
        fill = Series(
            f"fill: gaoxin import {len(history.rows):,} events into an empty DB",
            gx(gaoxin, setup, "--db", str(pristine), "import", str(base)),
            note="once; INFO",
            label="fill",
        )
        log(f"filling the status database (one import of {len(history.rows):,} rows) ...")
        fill.times.append(warm_up(fill))
        log(f"  took {fmt_s(fill.times[0])}")
        setup.fill, setup.pristine = fill, pristine
        base.unlink()
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for old in cached.parent.glob(f"events-{ws.spec.tasks}x{espec.events}-*.db"):
                old.unlink()  # one database per size is kept
            fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".events-", suffix=".tmp")
            with open(fd, "wb") as out, pristine.open("rb") as src:
                shutil.copyfileobj(src, out)
            Path(tmp).replace(cached)
            log(f"cached for the next run: {cached}")
        copy_db(pristine, db)
    stored = count_events(db)
    if stored != len(history.rows):
        raise BenchError(f"{db}: {stored:,} events stored, {len(history.rows):,} generated")
    log(f"status database: {stored:,} events, {db.stat().st_size / 1e6:.0f} MB")
    # Warm the plan cache (GAOXIN_HOME is the run's own): every timed run reads it.
    check_run(gx(gaoxin, setup, "--db", str(db), "countdown", "--json"), "warming the plan cache")
    return setup


# --- Taskwarrior ---------------------------------------------------------------------


def taskwarrior(
    args: argparse.Namespace, setup: Setup, work: Path, name: str, depends: bool
) -> tuple[str, dict[str, str], int]:
    """An isolated Taskwarrior database holding the workspace's tasks: (the task
    command, its environment, how many tasks it finds overdue)."""
    task = find_command("task", via_path=True)
    home = work / name
    data = home / "data"
    data.mkdir(parents=True)
    rc = home / "taskrc"
    rc.write_text(TASKRC.format(data=data), encoding="utf-8")
    env = {"TASKRC": str(rc), "TASKDATA": str(data), "TZ": "UTC", "HOME": str(home)}
    shift = taskwarrior_shift(setup.as_of)
    export = home / "tasks.json"
    n = write_taskwarrior(
        export, setup.ws.tasks, as_of=setup.as_of, shift_days=shift, depends=depends
    )
    t0 = time.perf_counter()
    check_run([task, "import", str(export)], f"task import ({name})", env)
    log(f"task import of {n:,} tasks ({name}): {time.perf_counter() - t0:.1f} s")
    overdue = int(check_run([task, "+OVERDUE", "count"], "task count", env).strip() or 0)
    expected = sum(1 for t in setup.ws.tasks if t["due"] < setup.as_of)
    if overdue != expected:
        raise BenchError(
            f"Taskwarrior finds {overdue} tasks overdue, expected {expected} "
            f"(due before {setup.as_of}; dates shifted by {shift} days)"
        )
    return task, env, overdue


# --- benchmarks ----------------------------------------------------------------------


def _ratio_target(name: str, ours: Series, theirs: Series, enforced: bool) -> Target:
    ratio = ours.median / theirs.median
    return Target(
        name,
        ratio,
        1.0,
        f"gaoxin {ours.short} median {fmt_s(ours.median)} vs task overdue "
        f"{fmt_s(theirs.median)}: ratio {ratio:.2f} (limit 1.00)",
        enforced=enforced,
    )


def bench_daily(
    args: argparse.Namespace, gaoxin: str, setup: Setup, work: Path
) -> tuple[list[Series], list[Target]]:
    enforced = full_size(args)
    task, env, overdue = taskwarrior(args, setup, work, "taskwarrior", depends=False)
    size = f"{len(setup.ws.tasks):,} tasks"
    db = ["--db", str(setup.db)]
    tw = Series(
        f"task overdue ({size}, {overdue:,} overdue)",
        [task, "overdue"],
        env=env,
        note="Taskwarrior 2.6",
        label="task overdue",
    )
    status = Series(
        f"gaoxin status ({size}, {setup.events:,} events)",
        gx(gaoxin, setup, *db, "status"),
        label="status",
    )
    countdown = Series(
        f"gaoxin countdown ({size}, {setup.events:,} events)",
        gx(gaoxin, setup, *db, "countdown"),
        label="countdown",
    )
    overdue_cmd = Series(
        f"gaoxin overdue ({size}, {setup.events:,} events)",
        gx(gaoxin, setup, *db, "overdue"),
        label="overdue",
    )
    group = (tw, status, countdown, overdue_cmd)
    for s in group:
        log(f"warm-up: {s.name}")
        warm_up(s)
    for i in range(args.daily_reps):
        for s in group:
            measure(s)
        log(f"  rep {i + 1}: " + " | ".join(fmt_s(s.times[-1]) for s in group))
    series = [tw, status, countdown, overdue_cmd]
    if args.tw_depends:
        task, env, _ = taskwarrior(args, setup, work, "taskwarrior-depends", depends=True)
        dep = Series(
            f"task overdue, with the plan's dependencies ({size})",
            [task, "overdue"],
            env=env,
            note="INFO: not the target's baseline",
        )
        log(f"warm-up: {dep.name}")
        warm_up(dep)
        for i in range(TW_DEPENDS_REPS):
            log(f"  rep {i + 1}: {fmt_s(measure(dep))}")
        series.append(dep)
    if taskwarrior_shift(setup.as_of) != taskwarrior_shift(setup.as_of, date.today()):
        tw.note += "; the clock passed midnight during the run"  # pragma: no cover
    targets = [
        _ratio_target("status_vs_taskwarrior", status, tw, enforced),
        _ratio_target("countdown_vs_taskwarrior", countdown, tw, enforced),
        _ratio_target("overdue_vs_taskwarrior", overdue_cmd, tw, enforced),
    ]
    targets[0].profile_args = status.cmd[1:]
    targets[1].profile_args = countdown.cmd[1:]
    targets[2].profile_args = overdue_cmd.cmd[1:]
    return series, targets


def _open_tasks(setup: Setup, n: int) -> list[tuple[str, int]]:
    """*n* tasks with a progress figure, not finished as of the as-of date, spread over
    the plan: (id, a progress above the latest)."""
    pool = sorted(
        (tid, p) for tid, p in setup.history.progress.items() if tid not in setup.history.done
    )
    if len(pool) < n:
        raise BenchError(f"only {len(pool)} open tasks with progress for {n} feedback runs")
    step = len(pool) / n
    return [(tid, min(100, p + 1)) for tid, p in (pool[int(i * step)] for i in range(n))]


def bench_feedback(
    args: argparse.Namespace, gaoxin: str, setup: Setup
) -> tuple[list[Series], list[Target]]:
    picks = _open_tasks(setup, args.daily_reps + 2)

    def cmd(task: str, progress: int) -> list[str]:
        return gx(gaoxin, setup, "--db", str(setup.db), "feedback", task, "-p", str(progress))

    series = Series(
        f"gaoxin feedback TASK --progress N ({setup.events:,} events)",
        cmd(*picks[0]),
        note="a different task each rep",
        label="feedback",
    )
    log(f"warm-up: {series.name}")
    warm_up(series)
    for i, pick in enumerate(picks[1:-1]):
        series.cmd = cmd(*pick)
        log(f"  rep {i + 1}: {pick[0]} -> {pick[1]}%: {fmt_s(measure(series))}")
    target = Target(
        "feedback_median",
        series.median,
        FEEDBACK_LIMIT_S,
        f"gaoxin feedback median {fmt_s(series.median)} (limit {fmt_s(FEEDBACK_LIMIT_S)})",
        enforced=full_size(args),
        profile_args=cmd(*picks[-1])[1:],
    )
    return [series], [target]


def bench_import(
    args: argparse.Namespace, gaoxin: str, setup: Setup, work: Path
) -> tuple[list[Series], list[Target]]:
    n = len(setup.history.followups)
    end = setup.history.spec.follow_end
    target_db = work / "import.db"
    into_big = Series(
        f"gaoxin import {n:,} events into a copy of the {setup.events:,}-event DB",
        gx(gaoxin, setup, "--db", str(target_db), "import", str(setup.followups), as_of=end),
        note="fresh copy each rep",
        label="import (into the big DB)",
    )
    empty_db = work / "empty.db"
    into_empty = Series(
        f"gaoxin import {n:,} events into an empty DB",
        gx(gaoxin, setup, "--db", str(empty_db), "import", str(setup.followups), as_of=end),
        note="INFO",
        label="import (into an empty DB)",
    )

    def fresh_copy() -> None:
        copy_db(setup.pristine, target_db)

    def fresh_empty() -> None:
        remove_db(empty_db)

    fresh_copy()
    log(f"warm-up: {into_big.name}")
    warm_up(into_big)
    stored = count_events(target_db)
    if stored != setup.events + n:
        raise BenchError(f"import: {stored:,} events stored, expected {setup.events + n:,}")
    for i in range(args.reps):
        fresh_copy()
        log(f"  rep {i + 1}: {fmt_s(measure(into_big))}")
    fresh_empty()
    log(f"warm-up: {into_empty.name}")
    warm_up(into_empty)
    for i in range(args.reps):
        fresh_empty()
        log(f"  rep {i + 1}: {fmt_s(measure(into_empty))}")
    remove_db(target_db)
    remove_db(empty_db)
    target = Target(
        "import_median",
        into_big.median,
        IMPORT_LIMIT_S,
        f"gaoxin import of {n:,} events into the {setup.events:,}-event DB: median "
        f"{fmt_s(into_big.median)} (limit {fmt_s(IMPORT_LIMIT_S)}; into an empty DB: "
        f"{fmt_s(into_empty.median)})",
        enforced=full_size(args) and n >= TARGET_IMPORT,
        profile_args=into_big.cmd[1:],
        profile_setup=fresh_copy,
    )
    return [into_big, into_empty], [target]


def rss_target(series: list[Series], fill: Series | None, enforced: bool) -> Target:
    """Peak RSS of every gaoxin command measured (the one-off fill is shown, not counted:
    it imports the whole history as one file)."""
    measured = [s for s in series if s.rss_kb is not None and Path(s.cmd[0]).name == "gaoxin"]
    worst = max(measured, key=lambda s: s.rss_kb or 0)
    mb = (worst.rss_kb or 0) * 1024 / 1e6
    each = ", ".join(f"{s.short} {(s.rss_kb or 0) * 1024 / 1e6:.0f}" for s in measured)
    if fill is not None and fill.rss_kb is not None:
        each += f"; not counted: the fill {fill.rss_kb * 1024 / 1e6:.0f}"
    return Target(
        "peak_rss",
        mb,
        RSS_LIMIT_MB,
        f"peak RSS, worst gaoxin command: {worst.short} {mb:.0f} MB (limit {RSS_LIMIT_MB} MB;"
        f" MB = 10^6 bytes: {each})",
        enforced=enforced,
    )


def profile(targets: list[Target], out_dir: Path, margin: float) -> list[Path]:
    """Profile (bench/profile_cmd.py) the command behind every target that failed or came
    within *margin* of its limit: ``OUT/<target>.prof`` and the report ``.txt``."""
    script = Path(__file__).with_name("profile_cmd.py")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for t in targets:
        if t.profile_args is None or t.value < t.limit * (1 - margin):
            continue
        if t.profile_setup is not None:
            t.profile_setup()
        prof, report = out_dir / f"{t.name}.prof", out_dir / f"{t.name}.txt"
        cmd = [sys.executable, str(script), "--out", str(prof), "--top", "30", "--"]
        with report.open("w", encoding="utf-8") as fh:
            proc = subprocess.run(
                [*cmd, *t.profile_args],
                stdout=fh,
                stderr=subprocess.STDOUT,
                env=child_env(),
                check=False,
            )
        log(f"profiled {t.name} (exit {proc.returncode}): {report}")
        written.append(report)
    return written


def describe(setup: Setup) -> dict[str, Any]:
    return {
        "as_of": setup.as_of.isoformat(),
        "events": setup.events,
        "followups": len(setup.history.followups),
        "follow_end": setup.history.spec.follow_end.isoformat(),
        "tasks_done": len(setup.history.done),
        "db_mb": round(setup.pristine.stat().st_size / 1e6),
        "db_from_cache": setup.fill is None,
    }
