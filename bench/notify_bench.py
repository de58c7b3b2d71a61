"""Benchmark of the escalation ladder: ``gaoxin notify`` into a local SMTP server, and
``gaoxin overdue`` next to ``gaoxin status``, on a big generated workspace.

    python3 bench/notify_bench.py [--tasks 10000] [--units 40] [--files 100] [--reps 5]
                                  [--seed 1] [--keep DIR] [--json]

Setup (untimed): ``gen.write_workspace`` writes the workspace (10,000 tasks, 40 units by
default) and a ``mail:`` section pointing at an aiosmtpd server started here on
127.0.0.1 (a free port; it counts and discards mail). The as-of day is the median due
date, so half the tasks are past due; of those, enough report 100 % that **a third of
all tasks are late**. Every open task reports progress on plan (序时进度) the working day
before, and every project with a start date reports its start, so lateness — not lag —
drives the cards. Each timed command is a real subprocess of the installed ``gaoxin``;
one untimed warm-up run fills the plan cache (as a daily cron run would find it).

Timed, each on a fresh copy of the prepared database:

* ``notify (first run)`` — the heaviest day: a 交办单 for every open task plus the
  warning each late task's card calls for, one digest per recipient, all over SMTP;
* ``notify (same day again)`` — nothing new to file or send;
* ``notify (next working day)`` — the rungs that climb overnight;
* ``overdue`` and ``status`` on the database after the first run (output piped).

Target (the issue): ``notify`` ≤ 5 s; ``overdue`` within the bound of ``status``.
Exit status: 0 targets met, 1 a target missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import Spec, write_workspace

NOTIFY_TARGET_S = 5.0


class Counter:
    """An aiosmtpd handler that counts what it accepts."""

    def __init__(self) -> None:
        self.messages = 0
        self.recipients = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gaoxin_exe() -> list[str]:
    script = Path(sysconfig.get_path("scripts")) / "gaoxin"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gaoxin_cli"]


def prepare(root: Path, spec: Spec, port: int) -> tuple[date, dict[str, int]]:
    """The workspace, its mail section and a status history; returns the as-of day."""
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.loading.plancache import load_plan
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.rules.progress import planned_progress
    from gaoxin_cli.store import Store

    ws = write_workspace(root, spec)
    with (root / "gaoxin.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "mail:\n  host: 127.0.0.1\n"
            f"  port: {port}\n  security: none\n"
            "  sender: duban@example.org\n  sender_name: 督查室\n"
        )
    cal = WorkCalendar()
    dues = sorted(date.fromisoformat(str(t["due"])) for t in ws.tasks)
    as_of = cal.next_workday(dues[len(dues) // 2], include=True)
    plan = load_plan(root, root / ".cache")
    tasks = list(plan.tasks)
    past = [t for t in tasks if t.due < as_of]
    n_late = len(tasks) // 3
    done = {t.id for t in past[: max(0, len(past) - n_late)]}
    reported = cal.add_workdays(as_of, -1)
    events = []
    for t in tasks:
        if t.start is not None and t.start <= reported:
            events.append(Event(t.id, "start", t.start, source="bench"))
        if t.id in done:
            events.append(Event(t.id, "feedback", reported, progress=100.0, source="bench"))
        else:
            p = min(99.0, round(planned_progress(t, as_of, t.due), 1))
            events.append(Event(t.id, "feedback", reported, progress=p, source="bench"))
    with Store.open(root / "data" / "gaoxin.db", write=True) as st:
        st.add(events)
    late = sum(1 for t in past if t.id not in done)
    return as_of, {"tasks": len(tasks), "late": late, "done": len(done), "events": len(events)}


def timed(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in ok:
        sys.stderr.write(f"FAILED ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}\n")
        raise SystemExit(2)
    return elapsed, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="build the workspace here, keep it")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from aiosmtpd.controller import Controller

    handler = Counter()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    tmp = Path(tempfile.mkdtemp(prefix="gaoxin-notify-bench-"))
    root = args.keep or tmp / "ws"
    try:
        t0 = time.perf_counter()
        spec = Spec(tasks=args.tasks, files=args.files, units=args.units, seed=args.seed)
        as_of, shape = prepare(root, spec, port)
        sys.stderr.write(
            f"workspace {root}: {shape}, as of {as_of} ({time.perf_counter() - t0:.1f} s)\n"
        )
        db = root / "data" / "gaoxin.db"
        pristine = tmp / "pristine.db"
        shutil.copy(db, pristine)
        env = {**os.environ, "GAOXIN_HOME": str(tmp / "home"), "COLUMNS": "100"}
        env.pop("GAOXIN_TODAY", None)
        base = [*gaoxin_exe(), "-C", str(root)]
        from gaoxin_cli.calendar import WorkCalendar

        next_day = WorkCalendar().add_workdays(as_of, 1)
        day, nxt = as_of.isoformat(), next_day.isoformat()

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(pristine, db)

        # warm-up: fills the plan cache and the .pyc files; checks every command works
        fresh()
        timed([*base, "--as-of", day, "status"], env)
        series: dict[str, list[float]] = {
            k: []
            for k in (
                "notify (first run)",
                "notify (same day again)",
                "notify (next working day)",
                "overdue",
                "status",
            )
        }
        mails: list[int] = []
        filed = ""
        for _ in range(args.reps):
            fresh()
            before = handler.messages
            secs, out = timed([*base, "--as-of", day, "notify"], env)
            series["notify (first run)"].append(secs)
            mails.append(handler.messages - before)
            filed = out.splitlines()[0]
            secs, _ = timed([*base, "--as-of", day, "overdue"], env)
            series["overdue"].append(secs)
            secs, _ = timed([*base, "--as-of", day, "status"], env)
            series["status"].append(secs)
            secs, out = timed([*base, "--as-of", day, "notify"], env)
            series["notify (same day again)"].append(secs)
            secs, _ = timed([*base, "--as-of", nxt, "notify"], env)
            series["notify (next working day)"].append(secs)
        rows = {
            k: {"median": statistics.median(v), "min": min(v), "max": max(v), "reps": len(v)}
            for k, v in series.items()
        }
        notify_ok = all(
            rows[k]["median"] <= NOTIFY_TARGET_S for k in rows if k.startswith("notify")
        )
        overdue_ok = rows["overdue"]["median"] <= max(
            1.5 * rows["status"]["median"], rows["status"]["median"] + 0.5
        )
        result = {
            "shape": shape,
            "as_of": day,
            "first_run": filed,
            "mails_first_run": statistics.median(mails),
            "results": rows,
            "targets": {"notify <= 5 s": notify_ok, "overdue within status' bound": overdue_ok},
        }
        if args.json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        else:
            print(f"{shape['tasks']} tasks, {shape['late']} late, as of {day}; first run: {filed}")
            print(f"mails per first run: {result['mails_first_run']:.0f}")
            print("| command | reps | median | min | max |\n|---|---:|---:|---:|---:|")
            for k, r in rows.items():
                cells = [f"{r[x]:.2f} s" for x in ("median", "min", "max")]
                print(f"| {k} | {r['reps']} | " + " | ".join(cells) + " |")
            for k, v in result["targets"].items():
                print(f"{'PASS' if v else 'FAIL'}  {k}")
        return 0 if notify_ok and overdue_ok else 1
    finally:
        controller.stop()
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
