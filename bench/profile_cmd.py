"""Run one gaoxin command in-process under cProfile and print where the time goes.

    python3 bench/profile_cmd.py [--out FILE.prof] [--top N] [--sort tottime] -- ARGS...

runs ``gaoxin_cli.cli.main`` with ``sys.argv = ["gaoxin", *ARGS]`` (so ``--`` separates
this script's options from gaoxin's), sends the command's own output to /dev/null, and
prints the top N functions by cumulative and by own time to stderr — with the wall time
of the whole run, the time spent importing modules before the command starts, and the
share of the run spent in cyclic garbage collection (``gc.callbacks``). Example:

    GAOXIN_HOME=/tmp/h python3 bench/profile_cmd.py --out status.prof -- \\
        -C /tmp/ws --as-of 2020-11-16 --db /tmp/big.db status

Profiling slows pure-Python code down by 1.5-2x; compare shares, not absolute times.
The ``.prof`` file opens with ``python3 -m pstats FILE`` or snakeviz.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import os
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn


class _GcTimer:
    """Wall time spent in the cyclic garbage collector, through ``gc.callbacks``."""

    def __init__(self) -> None:
        self.total = 0.0
        self.collections = 0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._start
            self.collections += 1


def _raise_exit(code: object) -> NoReturn:
    """``cli._exit`` for a profiled run: ``os._exit`` would end it before the report."""
    raise SystemExit(code)


def profile(args: Sequence[str], out: Path | None, top: int, sort: str) -> int:
    timer = _GcTimer()
    gc.callbacks.append(timer)
    profiler = cProfile.Profile()
    code = 0
    started = time.perf_counter()
    devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    saved_argv, saved_stdout = sys.argv, sys.stdout
    sys.argv = ["gaoxin", *args]
    sys.stdout = devnull
    profiler.enable()
    try:
        from gaoxin_cli import cli

        imported = time.perf_counter()
        cli._exit = _raise_exit  # type: ignore[assignment]  # it ends with os._exit
        cli.main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        profiler.disable()
        sys.argv, sys.stdout = saved_argv, saved_stdout
        devnull.close()
        gc.callbacks.remove(timer)
    wall = time.perf_counter() - started
    if out is not None:
        profiler.dump_stats(str(out))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs()
    for key in (sort, "tottime" if sort != "tottime" else "cumulative"):
        text.write(f"\n=== top {top} by {key} ===\n")
        stats.sort_stats(key).print_stats(top)
    sys.stderr.write(text.getvalue())
    sys.stderr.write(
        f"\ngaoxin {' '.join(args)}\n  exit {code}; wall {wall:.3f} s under the profiler; "
        f"importing gaoxin_cli.cli {imported - started:.3f} s; cyclic GC "
        f"{timer.total:.3f} s in {timer.collections} collections "
        f"({timer.total / wall:.0%})\n"
    )
    return code


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, help="write the raw profile here (.prof)")
    p.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    p.add_argument("--sort", default="cumulative", help="pstats sort key (default cumulative)")
    p.add_argument("gaoxin_args", nargs=argparse.REMAINDER, help="-- then gaoxin's arguments")
    a = p.parse_args(argv)
    args = a.gaoxin_args[1:] if a.gaoxin_args[:1] == ["--"] else a.gaoxin_args
    if not args:
        p.error("give gaoxin's arguments after --")
    with contextlib.suppress(BrokenPipeError):
        return profile(args, a.out, a.top, a.sort)
    return 1


if __name__ == "__main__":
    sys.exit(main())
