"""Benchmarks of the installed ``gaoxin`` command, with pass/fail targets.

    python3 bench/run.py [--quick] [--only validate|help] [--reps R] [--json]

* ``validate``: ``gaoxin -C WS validate --strict`` on a generated workspace (10,000 tasks
  in 100 plan files, 40 units) against ``check-jsonschema --schemafile plan.schema.json
  plans/*.yaml`` on the same files, with the schema gaoxin itself exports
  (``gaoxin schema --write``). The two run alternately in one session.
  Target: gaoxin median <= 1/5 of the check-jsonschema median.
* ``help``: ``gaoxin --help``. Target: median <= 150 ms.

Each command is a real subprocess: wall time is ``time.perf_counter()`` around
``subprocess.run``. One untimed warm-up run precedes every series and must succeed
(exit 0), so a broken setup never produces a number; that run also gives the peak RSS,
through ``/usr/bin/time -f %M``. (``getrusage(RUSAGE_CHILDREN)`` / ``os.wait4`` are only
the fallback: on Linux a child's ``ru_maxrss`` includes the size of this Python process
at fork time, which inflates small commands like ``--help`` by the harness's own ~30 MB.)
Children run without ``PYTHONDONTWRITEBYTECODE`` so the warm-up leaves ``.pyc`` files
(gitignored) and the timed runs see the start-up an ordinary installation has.
Exit status: 0 all targets met, 1 a target failed, 2 a benchmark could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gen import Spec, write_workspace

BENCHMARKS = ("validate", "help")
HELP_LIMIT_S = 0.150
RATIO_LIMIT = 1 / 5
TARGET_TASKS = 10_000  # the ratio target is enforced at this size or above
# check-jsonschema takes ~16 s per run on 10,000 tasks here: its repetitions are cut so
# that its timed runs stay within this budget (the number used is always reported).
SLOW_BUDGET_S = 300.0
MIN_SLOW_REPS = 3
GNU_TIME = "/usr/bin/time"
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class BenchError(Exception):
    """A benchmark could not produce a valid measurement."""


@dataclass(slots=True)
class Series:
    name: str
    cmd: list[str]
    times: list[float] = field(default_factory=list)
    rss_kb: int | None = None
    rss_method: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def summary(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(
            reps=len(self.times),
            median_s=self.median,
            min_s=min(self.times),
            max_s=max(self.times),
        )
        return d


@dataclass(slots=True)
class Target:
    name: str
    value: float
    limit: float
    text: str
    enforced: bool = True  # False: reported only (sizes other than the target's)

    @property
    def passed(self) -> bool:
        return self.value <= self.limit

    @property
    def verdict(self) -> str:
        if not self.enforced:
            return "INFO"
        return "PASS" if self.passed else "FAIL"


def log(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def find_command(name: str, via_path: bool) -> str:
    """The console script installed for this interpreter (not a pyenv/asdf shim)."""
    if not via_path:
        script = Path(sysconfig.get_path("scripts")) / name
        if script.is_file() and os.access(script, os.X_OK):
            return str(script)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"command not found: {name}")
    return found


def run_once(cmd: Sequence[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Run *cmd* once: (seconds, exit code, the first 2000 characters of its output)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=cwd, env=CHILD_ENV, stdout=out, stderr=subprocess.STDOUT, check=False
        )
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read(2000).decode("utf-8", "replace")
    return elapsed, proc.returncode, text


def run_with_rss(cmd: Sequence[str], cwd: Path | None = None) -> tuple[int, str, int, str]:
    """Run *cmd* once for its peak RSS: (KiB, how it was measured, exit code, output)."""
    if Path(GNU_TIME).is_file():
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "rss"
            _, rc, text = run_once([GNU_TIME, "-f", "%M", "-o", str(report), *cmd], cwd)
            last = report.read_text().split() if report.exists() else []
        if last and last[-1].isdigit():
            return int(last[-1]), GNU_TIME, rc, text
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=CHILD_ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read(2000).decode("utf-8", "replace")
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes there
    return rss, "wait4 (upper bound)", proc.returncode, text


def warm_up(series: Series, cwd: Path | None = None) -> float:
    """The untimed first run: must succeed; records the peak RSS. Returns its duration."""
    start = time.perf_counter()
    rss, method, rc, text = run_with_rss(series.cmd, cwd)
    elapsed = time.perf_counter() - start
    if rc != 0:
        raise BenchError(f"{series.name}: exit {rc} on the warm-up run\n{text}")
    series.rss_kb, series.rss_method = rss, method
    return elapsed


def measure(series: Series, cwd: Path | None = None) -> None:
    elapsed, rc, text = run_once(series.cmd, cwd)
    if rc != 0:
        raise BenchError(f"{series.name}: exit {rc}\n{text}")
    series.times.append(elapsed)


# --- benchmarks ----------------------------------------------------------------------


def bench_validate(
    args: argparse.Namespace, gaoxin: str, work: Path
) -> tuple[list[Series], Target]:
    spec = Spec(tasks=args.tasks, files=args.files, units=args.units, seed=args.seed)
    ws_dir = work / "ws"
    t0 = time.perf_counter()
    ws = write_workspace(ws_dir, spec)
    gen_s = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in ws.plan_paths)
    log(
        f"generated {spec.tasks} tasks in {spec.files} files ({size / 1e6:.1f} MB) "
        f"in {gen_s:.1f} s: {ws_dir}"
    )
    schema_dir = ws_dir / "schemas"
    _, rc, text = run_once([gaoxin, "schema", "--write", str(schema_dir)], cwd=ws_dir)
    if rc != 0:
        raise BenchError(f"gaoxin schema --write: exit {rc}\n{text}")
    cjs = find_command("check-jsonschema", args.via_path)
    plans = [str(p.relative_to(ws_dir)) for p in sorted((ws_dir / "plans").glob("*.yaml"))]
    label = f"{spec.tasks} tasks/{spec.files} files"
    ours = Series(f"gaoxin validate ({label})", [gaoxin, "-C", ".", "validate", "--strict"])
    theirs = Series(
        f"check-jsonschema ({label})",
        [cjs, "--schemafile", str(schema_dir.relative_to(ws_dir) / "plan.schema.json"), *plans],
    )
    log(f"warm-up: {ours.name}")
    warm_up(ours, ws_dir)
    log(f"warm-up: {theirs.name}")
    slow = warm_up(theirs, ws_dir)
    slow_reps = args.slow_reps or args.reps
    if args.slow_reps is None and slow * slow_reps > SLOW_BUDGET_S:
        slow_reps = max(MIN_SLOW_REPS, int(SLOW_BUDGET_S // slow))
    if slow_reps != args.reps:
        theirs.note = f"{slow_reps} reps (one run takes ~{slow:.0f} s)"
    for i in range(max(args.reps, slow_reps)):
        if i < args.reps:
            measure(ours, ws_dir)
        if i < slow_reps:
            measure(theirs, ws_dir)
        log(f"  rep {i + 1}: {fmt_s(ours.times[-1])} vs {fmt_s(theirs.times[-1])}")
    ratio = ours.median / theirs.median
    target = Target(
        "validate_ratio",
        ratio,
        RATIO_LIMIT,
        f"gaoxin validate / check-jsonschema median = {ratio:.3f} (limit {RATIO_LIMIT:.3f}); "
        f"gaoxin is {1 / ratio:.1f}x faster",
        # The target is defined for 10,000 tasks; smaller runs are start-up dominated.
        enforced=spec.tasks >= TARGET_TASKS,
    )
    return [ours, theirs], target


def bench_help(args: argparse.Namespace, gaoxin: str) -> tuple[list[Series], Target]:
    series = Series("gaoxin --help", [gaoxin, "--help"])
    out = [series]
    warm_up(series)
    for _ in range(args.help_reps):
        measure(series)
    on_path = shutil.which("gaoxin")
    if on_path and Path(on_path).resolve() != Path(gaoxin).resolve():
        # What a user typing `gaoxin` gets here, e.g. through a pyenv shim (no target).
        shim = Series("gaoxin --help (via PATH)", [on_path, "--help"], note="informational")
        warm_up(shim)
        for _ in range(args.help_reps):
            measure(shim)
        out.append(shim)
    median = series.median
    target = Target(
        "help_median",
        median,
        HELP_LIMIT_S,
        f"gaoxin --help median = {median * 1000:.0f} ms (limit {HELP_LIMIT_S * 1000:.0f} ms)",
    )
    return out, target


# --- output --------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(series: list[Series]) -> str:
    rows = [("benchmark", "reps", "median", "min", "max", "peak RSS", "")]
    for s in series:
        rss = "-" if s.rss_kb is None else f"{s.rss_kb / 1024:.0f} MiB"
        if s.rss_method.startswith("wait4"):
            rss = "<= " + rss
        rows.append(
            (
                s.name,
                str(len(s.times)),
                fmt_s(s.median),
                fmt_s(min(s.times)),
                fmt_s(max(s.times)),
                rss,
                s.note,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:-1], widths[1:-1], strict=True)
        ]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
        if n == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke run: 1,000 tasks, fewer reps")
    p.add_argument("--only", choices=BENCHMARKS, help="run one benchmark")
    p.add_argument("--reps", type=int, help="repetitions (default 5; --quick 3)")
    p.add_argument(
        "--slow-reps",
        type=int,
        help="check-jsonschema reps (default --reps; fewer when a run is slow)",
    )
    p.add_argument("--help-reps", type=int, help="gaoxin --help reps (default 20; --quick 10)")
    p.add_argument("--tasks", type=int, help="tasks (default 10000; --quick 1000)")
    p.add_argument("--files", type=int, help="plan files (default 100; --quick 10)")
    p.add_argument("--units", type=int, default=40, help="units (default 40)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print results as JSON on stdout")
    p.add_argument("--keep", action="store_true", help="keep the generated workspace")
    p.add_argument(
        "--via-path", action="store_true", help="use the commands found on PATH (shims included)"
    )
    a = p.parse_args(argv)

    def default(value: int | None, full: int, quick: int) -> int:
        return value if value is not None else (quick if a.quick else full)

    a.reps = default(a.reps, 5, 3)
    a.help_reps = default(a.help_reps, 20, 10)
    a.tasks = default(a.tasks, 10_000, 1_000)
    a.files = default(a.files, 100, 10)
    counts = (a.reps, a.help_reps, a.files, a.units, 1 if a.slow_reps is None else a.slow_reps)
    if min(counts) < 1 or a.tasks < 0:
        p.error("repetitions, files and units must be at least 1")
    return a


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    series: list[Series] = []
    targets: list[Target] = []
    work = Path(tempfile.mkdtemp(prefix="gaoxin-bench-"))
    started = time.perf_counter()
    try:
        gaoxin = find_command("gaoxin", args.via_path)
        log(f"gaoxin: {gaoxin}")
        if args.only in (None, "validate"):
            s, t = bench_validate(args, gaoxin, work)
            series += s
            targets.append(t)
        if args.only in (None, "help"):
            s, t = bench_help(args, gaoxin)
            series += s
            targets.append(t)
    except BenchError as e:
        log(f"benchmark failed: {e}")
        return 2
    finally:
        if args.keep:
            log(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    passed = all(t.passed for t in targets if t.enforced)
    if args.json:
        result = {
            "machine": machine(),
            "quick": args.quick,
            "total_s": total,
            "series": [s.summary() for s in series],
            "targets": [{**asdict(t), "passed": t.passed, "verdict": t.verdict} for t in targets],
            "passed": passed,
        }
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        m = machine()
        print(f"\n{m['processor']}, {m['cpus']} CPUs, Python {m['python']}; took {total:.0f} s")
        print(table(series))
        print()
        for t in targets:
            print(f"{t.verdict}  {t.text}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
