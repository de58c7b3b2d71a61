"""A closed pipe ends a command quietly with exit 0 (issue 13 item 11), as ``cat`` or
``grep`` do under ``| head -1``: real processes and real pipes, no captured streams."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import REPO, run

AS_OF = "2020-06-24"
COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["overdue"],
    ["countdown"],
    ["notice", "list"],
    ["ranking", "--json"],
    ["history", "JC-01"],
]


def command(ws: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gaoxin_cli", "-C", str(ws), "--as-of", AS_OF, *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "80"}


@pytest.fixture
def filled(ws: Path) -> Path:
    for args in (
        ["feedback", "JC-01", "-p", "20", "--note", "征地", "--at", "2020-04-10"],
        ["sweep"],
        ["notify", "--outbox", str(ws / "outbox")],
    ):
        code, _, err = run(ws, "--as-of", AS_OF, *args)
        assert code == 0, err
    return ws


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_pipe_closed_before_the_first_line(filled: Path, args: list[str]) -> None:
    """The reader is gone before anything is written (the end of ``| head -0``): the
    first write fails, whatever the size of the output."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            command(filled, *args),
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env(),
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (0, "")


def test_head_on_long_outputs(filled: Path) -> None:
    """``history | head -1`` and ``--json | head -c 50`` on a history far longer than a
    pipe's buffer: head gets its line, gaoxin ends with 0 and says nothing."""
    lines = ["date,task,kind,progress,milestone,note"]
    day = date(2020, 1, 2)
    for i in range(6000):
        lines.append(f"{day + timedelta(days=i % 170)},JC-01,,20,,第{i}次反馈：按计划推进")
    csv = filled / "many.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(filled, "import", str(csv))
    assert code == 0, err
    for args, head in (
        (["history", "JC-01"], ["head", "-1"]),
        (["history", "JC-01", "--json"], ["head", "-c", "50"]),
        (["status", "--json"], ["head", "-c", "1"]),
    ):
        writer = subprocess.Popen(
            command(filled, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env()
        )
        assert writer.stdout is not None and writer.stderr is not None
        reader = subprocess.run(head, stdin=writer.stdout, capture_output=True, check=False)
        writer.stdout.close()
        err = writer.stderr.read().decode()
        writer.stderr.close()
        assert (args, writer.wait(), err) == (args, 0, "")
        assert reader.returncode == 0 and reader.stdout
