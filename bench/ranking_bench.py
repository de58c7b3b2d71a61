"""Benchmark of ``gaoxin ranking`` on a big workspace (target: median ≤ 1 s).

    python3 bench/ranking_bench.py [--tasks 10000] [--units 40] [--events 1000000]
                                   [--reps 7] [--seed 1] [--keep DIR] [--frozen-previous]

Builds (or, with ``--keep DIR``, reuses) a generated workspace (bench/gen.py: 10,000
tasks in 100 plan files, 40 units) with a status history of ``--events`` events: the
reports of ``gen.make_events`` plus what the other commands would have recorded — the
card changes of a daily ``gaoxin sweep`` (late tasks turn yellow one working day after
their due date and red after six, fall when done; a quarter of the tasks have one or two
yellow episodes of lagging progress), returned feedback (3 % of the tasks) and approved
extensions (2 %). Then times ``gaoxin -C WS --as-of 2020-06-05 ranking --period 2020-05``
as real subprocesses: one untimed warm-up (plan cache, ``.pyc`` files; it must exit 0),
then ``--reps`` timed runs. Reported: wall-time median / min / max, and the CPU time
(user + sys) per run, which a busy machine inflates less than wall time.

``--frozen-previous`` awards April first (``gaoxin flag award``), the usual state of a
workspace whose office awards every month: the change column then reads April's frozen
ranks instead of scoring April again.

Exit status: 0 target met, 1 target missed, 2 the benchmark could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store
from gen import EventSpec, Spec, Workspace, make_events, rng_for, write_workspace

TARGET_S = 1.0
AS_OF = date(2020, 6, 5)
PERIOD = "2020-05"
HISTORY_END = date(2020, 6, 4)


def gaoxin_command() -> str:
    scripts = Path(sysconfig.get_path("scripts"))
    found = scripts / "gaoxin"
    if found.exists():
        return str(found)
    on_path = shutil.which("gaoxin")
    if on_path is None:
        raise SystemExit("bench: the gaoxin command is not installed (pip install -e .)")
    return on_path


def to_event(row: tuple[object, ...]) -> Event:
    """A ledger row of ``gen.make_events`` as the event ``gaoxin import`` would store."""
    day, task, kind, progress, milestone, note, unit, started, reason = row
    at = date.fromisoformat(str(day))
    common = {"task": str(task), "at": at, "unit": unit, "note": note, "source": "bench"}
    if kind == "start" or started:
        return Event(kind="start", **common)  # type: ignore[arg-type]
    if kind == "milestone":
        return Event(kind="milestone", milestone=milestone, **common)  # type: ignore[arg-type]
    value = None if progress is None else float(str(progress))
    if kind == "correction":
        return Event(kind="correction", progress=value, reason=reason, **common)  # type: ignore[arg-type]
    return Event(kind="feedback", progress=value, **common)  # type: ignore[arg-type]


def other_events(
    ws: Workspace, done: dict[str, date], rng: random.Random, until: date = HISTORY_END
) -> list[Event]:
    """Cards as a daily sweep records them, returned feedback, approved extensions, up to
    *until*."""
    cal = ws.calendar
    out: list[Event] = []
    for t in ws.tasks:
        tid, due = t["id"], t["due"]
        finished = done.get(tid)

        def card(day: date, level: int, tid: str = tid) -> None:
            if day <= until:
                data = {"level": level, "reasons": [{"key": "card.overdue", "params": {}}]}
                out.append(Event(tid, "card", day, data=data, source="sweep"))

        if finished is None or finished > due:
            yellow, red = cal.add_workdays(due, 1), cal.add_workdays(due, 6)
            if finished is None or finished > yellow:
                card(yellow, 2)
            if finished is None or finished > red:
                card(red, 3)
            if finished is not None:
                card(finished, 0)
        start = t.get("start") or date(ws.spec.year, 1, 1)
        if rng.random() < 0.25:
            day = start + timedelta(days=rng.randint(5, 60))
            for _ in range(rng.choice((1, 1, 2))):
                if day < due:
                    card(day, 2)
                    card(day + timedelta(days=7), 0)
                day += timedelta(days=20)
        if rng.random() < 0.03:
            day = due - timedelta(days=rng.randint(0, 20))
            if day <= until:
                data = {"action": "return", "from": "under_review", "to": "in_progress", "by": None}
                out.append(
                    Event(tid, "lifecycle", day, data=data, reason="材料不全", source="bench")
                )
        if rng.random() < 0.02:
            day = due - timedelta(days=rng.randint(1, 10))
            if day <= until:
                to = cal.add_workdays(due, 20).isoformat()
                data = {"action": "approve", "to": to, "by": None, "late": False}
                out.append(
                    Event(tid, "extension", day, data=data, reason="工期调整", source="bench")
                )
    return out


def build(root: Path, args: argparse.Namespace) -> None:
    key = json.dumps(
        [args.tasks, args.units, args.events, args.seed, HISTORY_END.isoformat()], sort_keys=True
    )
    marker = root / ".ranking-bench"
    if marker.exists() and marker.read_text() == key:
        print(f"bench: reusing {root}", file=sys.stderr)
        return
    t0 = time.perf_counter()
    spec = Spec(tasks=args.tasks, files=max(1, args.tasks // 100), units=args.units, seed=args.seed)
    ws = write_workspace(root, spec, force=True)
    rng = rng_for(spec, "ranking-bench")
    # First the other events (their number is known only once drawn), then exactly as
    # many reports as make the total.
    probe = make_events(ws, EventSpec(events=args.events, as_of=HISTORY_END))
    extras = other_events(ws, probe.done, rng)
    history = make_events(ws, EventSpec(events=args.events - len(extras), as_of=HISTORY_END))
    events = [to_event(r) for r in history.rows] + extras
    db = root / "data" / "gaoxin.db"
    if db.exists():
        db.unlink()
    with Store.open(db, write=True) as store:
        for i in range(0, len(events), 100_000):
            chunk = events[i : i + 100_000]
            store.add_unique(chunk, [f"bench:{i + j}" for j in range(len(chunk))])
        total = store.count()
    marker.write_text(key)
    print(
        f"bench: {root}: {args.tasks} tasks, {args.units} units, {total} events "
        f"({len(extras)} cards/returns/extensions) in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one run; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--units", type=int, default=40)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, help="build the workspace here (reused when it matches)")
    p.add_argument("--frozen-previous", action="store_true", help="award April first")
    args = p.parse_args(argv)
    tmp = None
    if args.keep is None:
        tmp = tempfile.mkdtemp(prefix="gaoxin-ranking-bench-")
        root = Path(tmp) / "ws"
    else:
        root = args.keep
    try:
        build(root, args)
        gaoxin = gaoxin_command()
        db = root / "data" / "gaoxin.db"
        work = db.with_name("bench-copy.db")
        shutil.copyfile(db, work)  # awards are written to a copy: the cache stays clean
        base = [gaoxin, "-C", str(root), "--db", str(work), "--as-of", AS_OF.isoformat()]
        if args.frozen_previous:
            timed([*base, "flag", "award", "--period", "2020-04"])
        cmd = [*base, "ranking", "--period", PERIOD]
        timed(cmd)  # warm-up: plan cache, .pyc files
        walls, cpus = [], []
        for i in range(args.reps):
            wall, cpu = timed(cmd)
            walls.append(wall)
            cpus.append(cpu)
            print(f"bench: run {i + 1}: {wall:.3f} s (cpu {cpu:.3f} s)", file=sys.stderr)
        median = statistics.median(walls)
        load = os.getloadavg()[0]
        print(
            f"gaoxin ranking --period {PERIOD}: {args.tasks} tasks, {args.units} units, "
            f"{args.events} events{', April awarded' if args.frozen_previous else ''}"
        )
        print(f"  wall  median {median:.3f} s  min {min(walls):.3f} s  max {max(walls):.3f} s")
        print(
            f"  cpu   median {statistics.median(cpus):.3f} s  (load average {load:.2f}, "
            f"{os.cpu_count()} CPUs)"
        )
        verdict = "PASS" if median <= TARGET_S else "FAIL"
        print(f"  target median <= {TARGET_S:.1f} s: {verdict}")
        return 0 if median <= TARGET_S else 1
    except (OSError, ValueError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
