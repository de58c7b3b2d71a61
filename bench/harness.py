"""What the benchmarks share: running a command, timing it, its peak RSS, the table.

Every figure is the wall time of one real subprocess (``time.perf_counter()`` around
``subprocess.run``). One untimed warm-up run precedes every series and must succeed
(exit 0), so a broken setup never produces a number; that run also gives the peak RSS,
through ``/usr/bin/time -f %M``. (``getrusage(RUSAGE_CHILDREN)`` / ``os.wait4`` are only
the fallback: on Linux a child's ``ru_maxrss`` includes the size of the harness process
at fork time, which inflates small commands like ``--help`` by the harness's own memory.)
Children run without ``PYTHONDONTWRITEBYTECODE`` so the warm-up leaves ``.pyc`` files
(gitignored) and the timed runs see the start-up an ordinary installation has.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)  # added to CHILD_ENV
    label: str = ""  # a short name for target lines (default: the name)
    # CPU seconds (user + system) of each timed run: what a busy machine inflates least.
    cpu: list[float] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.label or self.name

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cmd": self.cmd,
            "env": self.env,
            "times": self.times,
            "reps": len(self.times),
            "median_s": self.median,
            "min_s": min(self.times),
            "max_s": max(self.times),
            "rss_kb": self.rss_kb,
            "rss_method": self.rss_method,
            "note": self.note,
            "cpu": self.cpu,
            "cpu_median_s": statistics.median(self.cpu) if self.cpu else None,
        }


@dataclass(slots=True)
class Target:
    name: str
    value: float
    limit: float
    text: str
    enforced: bool = True  # False: reported only (sizes other than the target's)
    # How to profile the command behind it (bench/profile_cmd.py): gaoxin's arguments,
    # and what to do before (e.g. a fresh copy of a database it writes).
    profile_args: list[str] | None = None
    profile_setup: Callable[[], None] | None = None

    @property
    def passed(self) -> bool:
        return self.value <= self.limit

    @property
    def verdict(self) -> str:
        if not self.enforced:
            return "INFO"
        return "PASS" if self.passed else "FAIL"

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "limit": self.limit,
            "text": self.text,
            "enforced": self.enforced,
            "passed": self.passed,
            "verdict": self.verdict,
        }


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


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**CHILD_ENV, **(extra or {})}


def run_once(
    cmd: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[float, int, str]:
    """Run *cmd* once: (seconds, exit code, the first 2000 characters of its output)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=child_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read(2000).decode("utf-8", "replace")
    return elapsed, proc.returncode, text


def run_with_rss(
    cmd: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[int, str, int, str]:
    """Run *cmd* once for its peak RSS: (KiB, how it was measured, exit code, output)."""
    if Path(GNU_TIME).is_file():
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "rss"
            _, rc, text = run_once([GNU_TIME, "-f", "%M", "-o", str(report), *cmd], cwd, env)
            last = report.read_text().split() if report.exists() else []
        if last and last[-1].isdigit():
            return int(last[-1]), GNU_TIME, rc, text
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=child_env(env), stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read(2000).decode("utf-8", "replace")
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes there
    return rss, "wait4 (upper bound)", proc.returncode, text


def warm_up(series: Series, cwd: Path | None = None) -> float:
    """The untimed first run: must succeed; records the peak RSS. Returns its duration."""
    start = time.perf_counter()
    rss, method, rc, text = run_with_rss(series.cmd, cwd or series.cwd, series.env)
    elapsed = time.perf_counter() - start
    if rc != 0:
        raise BenchError(f"{series.name}: exit {rc} on the warm-up run\n{text}")
    series.rss_kb, series.rss_method = rss, method
    return elapsed


def measure(series: Series, cwd: Path | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed, rc, text = run_once(series.cmd, cwd or series.cwd, series.env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc != 0:
        raise BenchError(f"{series.name}: exit {rc}\n{text}")
    series.times.append(elapsed)
    series.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def check_run(cmd: Sequence[str], what: str, env: Mapping[str, str] | None = None) -> str:
    """Run a setup command; its output, or BenchError when it fails."""
    _, rc, text = run_once(cmd, env=env)
    if rc != 0:
        raise BenchError(f"{what}: exit {rc}\n{text}")
    return text


# --- output --------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(series: list[Series]) -> str:
    rows = [("benchmark", "reps", "median", "min", "max", "cpu", "peak RSS", "")]
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
                fmt_s(statistics.median(s.cpu)) if s.cpu else "-",
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
        "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
