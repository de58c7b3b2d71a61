"""Micro-benchmark of the status store (gaoxin_cli.store).

    python3 bench/store_bench.py [--events 1000000] [--tasks 10000] [--batch 100000]
                                 [--seed 1] [--keep PATH]

Fills a new database in a temporary directory with ``--events`` events over ``--tasks``
tasks through ``Store.add_unique`` in batches (arriving in date order, tasks interleaved,
as feedback does), then times:

* ``states(as_of)`` over every task, 30 days before the last event (a past day: by the
  queries) — median of 5; and on the last day (the state checkpoint the fill wrote,
  plus the events after it);
* ``state(task, as_of)`` for one task — median of 5;
* adding 100,000 new events with ``add_unique`` (one transaction), and adding the same
  100,000 again (all skipped as already imported).

The targets (docs/store.md): ``states`` well under 1 s, 100,000 events well under 5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store

START = date(2024, 1, 1)
DAYS = 730
KINDS = (("feedback", 0.85), ("correction", 0.03), ("milestone", 0.08), ("start", 0.01))


def make_events(
    rng: random.Random, n: int, tasks: int, first_day: int, days: int, key_prefix: str
) -> tuple[list[Event], list[str]]:
    """*n* events on days ``first_day .. first_day + days - 1``, in date order, with keys."""
    drawn = sorted(rng.randrange(first_day, first_day + days) for _ in range(n))
    events: list[Event] = []
    for day in drawn:
        task = f"T{rng.randrange(tasks):05d}"
        at = START + timedelta(days=day)
        r = rng.random()
        kind = "card"
        for name, share in KINDS:
            if r < share:
                kind = name
                break
            r -= share
        if kind in ("feedback", "correction"):
            progress = float(rng.randrange(101)) if rng.random() < 0.9 else None
            events.append(
                Event(
                    task, kind, at, unit="u01", progress=progress, note="按计划推进", source="bench"
                )
            )
        elif kind == "milestone":
            events.append(Event(task, kind, at, milestone=f"m{rng.randrange(5)}", source="bench"))
        elif kind == "card":
            data = {"level": rng.randrange(5), "reasons": [{"key": "card.overdue", "params": {}}]}
            events.append(Event(task, kind, at, data=data, source="sweep"))
        else:
            events.append(Event(task, kind, at, source="bench"))
    # Keys spread like the CLI's (a hash of the row), not in order.
    keys = [hashlib.sha256(f"{key_prefix}:{i}".encode()).hexdigest() for i in range(len(events))]
    return events, keys


def batches(
    args: argparse.Namespace, rng: random.Random
) -> Iterator[tuple[list[Event], list[str]]]:
    count = max(1, -(-args.events // args.batch))
    for b in range(count):
        n = min(args.batch, args.events - b * args.batch)
        lo, hi = b * DAYS // count, (b + 1) * DAYS // count
        yield make_events(rng, n, args.tasks, lo, max(1, hi - lo), f"fill{b}")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def median_of(n: int, fn: Callable[[], object]) -> float:
    return statistics.median(timed(fn)[0] for _ in range(n))


def run(args: argparse.Namespace, path: Path) -> None:
    rng = random.Random(args.seed)
    as_of = START + timedelta(days=DAYS - 30)
    with Store.open(path, write=True) as store:
        fill = 0.0
        for events, keys in batches(args, rng):
            seconds, _ = timed(lambda ev=events, ks=keys: store.add_unique(ev, ks))
            fill += seconds
        print(f"fill: {store.count():,} events over {args.tasks:,} tasks in {fill:.2f} s")
        print(f"database: {path.stat().st_size / 1e6:.0f} MB")

    last = START + timedelta(days=DAYS - 1)  # on or after every event: the checkpoint serves it
    with Store.open(path, write=False) as store:
        seconds, states = timed(lambda: store.states(as_of))
        print(f"states(as_of) first call (cold): {seconds:.3f} s, {len(states):,} tasks")  # type: ignore[arg-type]
        print(f"states(as_of) median of 5: {median_of(5, lambda: store.states(as_of)):.3f} s")
        latest = median_of(5, lambda: store.states(last))
        print(f"states(last day) via the checkpoint, median of 5: {latest * 1000:.1f} ms")
        one = median_of(5, lambda: store.state("T00042", as_of))
        print(f"state(task, as_of) median of 5: {one * 1000:.2f} ms")
        print(f"cards(as_of) median of 5: {median_of(5, lambda: store.cards(as_of)):.3f} s")

    events, keys = make_events(rng, 100_000, args.tasks, DAYS, 30, "extra")
    with Store.open(path, write=True) as store:
        seconds, added = timed(lambda: store.add_unique(events, keys))
        print(f"add_unique 100,000 new events: {seconds:.2f} s ({added:,} added)")
        seconds, added = timed(lambda: store.add_unique(events, keys))
        print(f"add_unique the same 100,000 again: {seconds:.2f} s ({added:,} added)")
        seconds, _ = timed(lambda: Store.open(path, write=False).close())
        print(f"Store.open(write=False) + close: {seconds * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, sqlite {__import__('sqlite3').sqlite_version}")
    if args.keep:
        args.keep.unlink(missing_ok=True)
        run(args, args.keep)
        return 0
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        run(args, Path(tmp) / "gaoxin.db")
    return 0


if __name__ == "__main__":
    sys.exit(main())
