"""Import at scale (issue 18): one ``gaoxin import`` of a whole history in one run.

``gaoxin -C WS --as-of AS_OF --db EMPTY import events.jsonl`` of N generated events
(``gen.make_events``: 10,000 tasks, 40 units, seed 1) into an empty database, timed once,
with its peak RSS (``/usr/bin/time``): the target is ≤ 1 GB (10⁹ bytes) at 10,000,000
events, with every event stored. ``--bad-last`` also imports the same file with one bad
row appended (an unknown task, on the last line) into a database already holding the
first import: it must exit 1 naming that line and leave the store exactly as it was —
an import is all or nothing at any size.

    python3 bench/import_bench.py --events 1000000             # ~1 minute
    python3 bench/import_bench.py --events 10000000 --bad-last # ~25 minutes, 1.5 GB file
    python3 bench/import_bench.py --ledger-dir /tmp/ws10m ...  # reuse a generated one

Another harness calls :func:`bench_import_scale` (returns series and targets like the
other ``bench_*`` functions). The generator itself keeps the whole history in memory
(~4 GB at 10,000,000 events); it runs once per ledger directory and is not measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from gen import EventSpec, Spec, events_extra, write_workspace
from harness import BenchError, Series, Target, find_command, fmt_s, log, run_with_rss

RSS_LIMIT_MB = 1000.0  # MB = 10^6 bytes
TARGET_EVENTS = 10_000_000
AS_OF = date(2020, 11, 16)
BAD_ROW = '{"date": "2020-11-16", "task": "NO-SUCH-TASK", "progress": 5, "note": "x"}\n'


def ledger(root: Path, events: int, *, tasks: int = 10_000, seed: int = 1) -> Path:
    """The workspace at *root* and its ``events.jsonl`` of *events* rows, generated once
    (a ``.done`` marker names the size; another size regenerates)."""
    marker = root / ".done"
    path = root / "events.jsonl"
    wanted = f"{tasks} {events} {seed} {AS_OF}"
    if marker.exists() and marker.read_text() == wanted and path.exists():
        return path
    t0 = time.perf_counter()
    spec = Spec(tasks=tasks, files=min(100, tasks), units=40, seed=seed)
    espec = EventSpec(events=events, as_of=AS_OF)
    write_workspace(root, spec, force=True, extras=[events_extra(path, espec)])
    marker.write_text(wanted)
    log(f"generated {events:,} events in {time.perf_counter() - t0:.0f} s: {path}")
    return path


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def _remove(db: Path) -> None:
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        p.unlink(missing_ok=True)


def bench_import_scale(
    gaoxin: str, root: Path, events_file: Path, work: Path, *, events: int, bad_last: bool
) -> tuple[list[Series], list[Target]]:
    """Import *events_file* (*events* rows) into an empty database under *work*, once;
    with *bad_last*, then the same rows plus a bad last one on top: refused, untouched."""
    db = work / "scale.db"
    _remove(db)
    cmd = [gaoxin, "-C", str(root), "--as-of", AS_OF.isoformat(), "--db", str(db), "import"]
    series = Series(
        f"gaoxin import of {events:,} events into an empty DB", [*cmd, str(events_file)]
    )
    log(f"run: {series.name}")
    t0 = time.perf_counter()
    rss, method, rc, text = run_with_rss(series.cmd)
    series.times.append(time.perf_counter() - t0)
    series.rss_kb, series.rss_method = rss, method
    if rc != 0:
        raise BenchError(f"{series.name}: exit {rc}\n{text}")
    stored = _count(db)
    if stored != events:
        raise BenchError(f"import: {stored:,} events stored, expected {events:,}")
    mb = rss * 1024 / 1e6
    log(f"  {fmt_s(series.times[0])}, peak RSS {mb:.0f} MB, {stored:,} events stored")
    targets = [
        Target(
            "import_scale_rss",
            mb,
            RSS_LIMIT_MB,
            f"peak RSS of one import of {events:,} events: {mb:.0f} MB (limit "
            f"{RSS_LIMIT_MB:.0f} MB; {fmt_s(series.times[0])})",
            enforced=events >= TARGET_EVENTS,
        )
    ]
    out = [series]
    if bad_last:
        bad = work / "events-bad-last.jsonl"
        shutil.copyfile(events_file, bad)
        with bad.open("a", encoding="utf-8") as fh:
            fh.write(BAD_ROW)
        size = db.stat().st_size
        refused = Series(
            f"gaoxin import of {events:,} events + 1 bad last row on top (refused)",
            [*cmd, str(bad)],
            note="must exit 1, store untouched",
        )
        log(f"run: {refused.name}")
        t0 = time.perf_counter()
        rss, method, rc, text = run_with_rss(refused.cmd)
        refused.times.append(time.perf_counter() - t0)
        refused.rss_kb, refused.rss_method = rss, method
        bad.unlink()
        line = f"line {events + 1}"
        if rc != 1 or (line not in text and f"第 {events + 1} 行" not in text):
            raise BenchError(f"{refused.name}: exit {rc}, expected 1 naming {line}\n{text}")
        if _count(db) != events:
            raise BenchError(f"{refused.name}: the store changed ({_count(db):,} events)")
        log(f"  {fmt_s(refused.times[0])}, refused at {line}; store untouched ({size:,} bytes)")
        out.append(refused)
        mb2 = rss * 1024 / 1e6
        targets.append(
            Target(
                "import_scale_refused_rss",
                mb2,
                RSS_LIMIT_MB,
                f"peak RSS of the refused import (bad row on line {events + 1:,}): {mb2:.0f} MB",
                enforced=events >= TARGET_EVENTS,
            )
        )
    _remove(db)
    return out, targets


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--ledger-dir", type=Path, help="where the workspace and ledger live")
    p.add_argument("--work", type=Path, help="where the database goes (default: a temp dir)")
    p.add_argument("--bad-last", action="store_true", help="also check all-or-nothing")
    p.add_argument("--via-path", action="store_true", help="run the gaoxin found on PATH")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    a = p.parse_args(argv)
    gaoxin = find_command("gaoxin", a.via_path)
    root = a.ledger_dir or Path(tempfile.gettempdir()) / f"gaoxin-import-{a.tasks}x{a.events}"
    events_file = ledger(root, a.events, tasks=a.tasks)
    with tempfile.TemporaryDirectory(dir=a.work) as tmp:
        try:
            series, targets = bench_import_scale(
                gaoxin, root, events_file, Path(tmp), events=a.events, bad_last=a.bad_last
            )
        except BenchError as e:
            log(f"error: {e}")
            return 2
    if a.json:
        print(
            json.dumps(
                {
                    "series": [s.summary() for s in series],
                    "targets": [t.summary() for t in targets],
                },
                indent=2,
            )
        )
    else:
        for s in series:
            print(f"{s.name}: {fmt_s(s.times[0])}, peak RSS {(s.rss_kb or 0) * 1024 / 1e6:.0f} MB")
        for t in targets:
            print(f"{t.verdict:4}  {t.text}")
    return 1 if any(t.enforced and not t.passed for t in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
