"""bench/import_bench.py still runs: a small import at scale, and its all-or-nothing check
(a bad last row refused, the store untouched) -- the harness another benchmark calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO


def test_import_bench_runs_small(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "GAOXIN_HOME": str(tmp_path / "h")}
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "import_bench.py"),
            "--events",
            "2000",
            "--tasks",
            "50",
            "--ledger-dir",
            str(tmp_path / "ws"),
            "--work",
            str(tmp_path),
            "--bad-last",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    first, refused = result["series"]
    assert first["rss_kb"] > 0 and refused["note"] == "must exit 1, store untouched"
    assert [t["verdict"] for t in result["targets"]] == ["INFO", "INFO"]
    assert "refused at line 2001; store untouched" in proc.stderr
