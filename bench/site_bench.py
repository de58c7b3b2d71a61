"""Benchmark of ``gaoxin site`` (issue 17): a full build ≤ 20 s and ≤ 400 MB peak RSS, and
a rebuild after one new report ≤ 3 s, on 10,000 tasks and 1,000,000 events.

    python3 bench/site_bench.py [--tasks 10000] [--units 40] [--events 1000000]
                                [--reps 3] [--seed 1] [--keep DIR]

The workspace and its history are ranking_bench's (bench/gen.py's reports plus the cards
a daily sweep records, returned feedback and extensions; ``--keep DIR`` reuses one), with
April awarded so that the site has a frozen ranking and a bulletin to archive. Each rep:

* **full**: ``gaoxin site -o OUT`` into an empty folder;
* **again**: the same build once more, nothing changed (every page left as it is);
* **one report**: ``gaoxin feedback`` on one task, then the build again: only the pages
  that report touches are rewritten.

Each is one real subprocess of the installed ``gaoxin``; reported: wall time, CPU time
(user + sys, which a busy machine inflates less than wall time) and the peak RSS
(``/usr/bin/time -f %M`` when present, else ``getrusage``, an upper bound). Targets are
judged on the median wall time; on a machine whose load average exceeds its CPU count the
CPU time is the fairer figure, and both are printed.

Exit status: 0 every target met, 1 a target missed, 2 the benchmark could not run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ranking_bench import build, gaoxin_command

FULL_LIMIT_S = 20.0
RSS_LIMIT_MB = 400.0  # 10^6 bytes
INCREMENTAL_LIMIT_S = 3.0
AS_OF = "2020-06-05"
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall s, CPU s, peak RSS MB and stderr of one run; it must succeed."""
    full = [TIME, "-f", "@@RSS %M", *cmd] if TIME else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(full, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = re.search(r"@@RSS (\d+)", done.stderr)
    kb = int(found.group(1)) if found else after.ru_maxrss
    return wall, cpu, kb * 1024 / 1e6, done.stderr


def open_tasks(db: Path) -> list[str]:
    """Tasks under way (reported on, not finished): each may take one more report."""
    conn = sqlite3.connect(db)
    try:
        found = conn.execute(
            "SELECT task FROM events WHERE kind = 'feedback' AND at <= ? GROUP BY task"
            " HAVING max(progress) < 100 ORDER BY task",
            (AS_OF,),
        ).fetchall()
    finally:
        conn.close()
    if not found:
        raise ValueError("no task under way to report on")
    return [str(r[0]) for r in found]


def written(stderr: str) -> str:
    line = next((ln for ln in stderr.splitlines() if "site written" in ln), "")
    return line.split(": ", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--units", type=int, default=40)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, help="build the workspace here (reused when it matches)")
    args = p.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="gaoxin-site-bench-")
    root = args.keep or Path(tmp) / "ws"
    try:
        build(root, args)
        gaoxin = gaoxin_command()
        db = Path(tmp) / "bench.db"
        shutil.copyfile(root / "data" / "gaoxin.db", db)  # reports go to a copy
        home = Path(tmp) / "home"
        os.environ["GAOXIN_HOME"] = str(home)
        os.environ["GAOXIN_LANG"] = "en"
        base = [gaoxin, "-C", str(root), "--db", str(db), "--as-of", AS_OF]
        run([*base, "flag", "award", "--period", "2020-04"])
        ids = open_tasks(db)
        results: dict[str, list[tuple[float, float, float]]] = {
            "full": [],
            "again": [],
            "one report": [],
        }
        for rep in range(args.reps):
            out = Path(tmp) / f"site-{rep}"
            cmd = [*base, "site", "-o", str(out)]
            for name in results:
                if name == "one report":
                    task = ids[(rep * 997) % len(ids)]
                    run([*base, "feedback", task, "-m", f"bench report {rep}"])
                wall, cpu, rss, err = run(cmd)
                results[name].append((wall, cpu, rss))
                print(
                    f"bench: rep {rep + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s cpu, "
                    f"{rss:.0f} MB ({written(err)})",
                    file=sys.stderr,
                )
            shutil.rmtree(out, ignore_errors=True)
        load = os.getloadavg()[0]
        print(
            f"gaoxin site: {args.tasks} tasks, {args.units} units, {args.events} events "
            f"(load average {load:.2f}, {os.cpu_count()} CPUs)"
        )
        ok = True
        limits = {"full": FULL_LIMIT_S, "again": INCREMENTAL_LIMIT_S}
        limits["one report"] = INCREMENTAL_LIMIT_S
        for name, rows in results.items():
            walls = [r[0] for r in rows]
            cpus = [r[1] for r in rows]
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            rss = max(r[2] for r in rows)
            verdict = "PASS" if wall <= limits[name] else "FAIL"
            ok = ok and wall <= limits[name]
            print(
                f"  {name:<10}  wall median {wall:6.2f} s (min {min(walls):.2f})  "
                f"cpu median {cpu:6.2f} s  peak RSS {rss:4.0f} MB  "
                f"target <= {limits[name]:.0f} s: {verdict}"
            )
        rss = max(r[2] for rows in results.values() for r in rows)
        verdict = "PASS" if rss <= RSS_LIMIT_MB else "FAIL"
        ok = ok and rss <= RSS_LIMIT_MB
        print(f"  peak RSS {rss:.0f} MB, target <= {RSS_LIMIT_MB:.0f} MB: {verdict}")
        return 0 if ok else 1
    except (OSError, ValueError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
