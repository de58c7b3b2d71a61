"""Smoke test of the benchmark generator (bench/gen.py): its workspaces validate clean."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gaoxin_cli.cli import app
from helpers import bench_module


def test_generated_workspace_validates_clean(tmp_path: Path) -> None:
    gen = bench_module("gen")
    ws = tmp_path / "ws"
    gen.write_workspace(ws, gen.Spec(tasks=50, files=3, units=5, seed=7))

    result = CliRunner().invoke(app, ["-C", str(ws), "validate", "--strict"])
    assert result.exit_code == 0, result.output

    plans = sorted((ws / "plans").glob("*.yaml"))
    assert len(plans) == 3
    ids = sum(p.read_text(encoding="utf-8").count("\n  - id: ") for p in plans)
    assert ids == 50


def test_generated_history_imports_clean(tmp_path: Path) -> None:
    """The ledger bench/gen.py writes for the store benchmarks: every row is accepted by
    ``gaoxin import`` and becomes one event; the follow-ups import on top of it."""
    import sqlite3
    from datetime import date

    gen = bench_module("gen")
    ws = gen.write_workspace(tmp_path / "ws", gen.Spec(tasks=60, files=2, units=6, seed=3))
    espec = gen.EventSpec(events=3000, as_of=date(2020, 11, 16), followups=400)
    history = gen.make_events(ws, espec)
    assert len(history.rows) == 3000
    assert len(history.followups) == 400
    kinds = {row[2] for row in history.rows}
    assert {"feedback", "milestone", "start", "correction"} <= kinds
    assert all(row[0] <= "2020-11-16" for row in history.rows)
    assert all("2020-11-16" < row[0] <= "2020-11-30" for row in history.followups)
    assert gen.make_events(ws, espec).rows == history.rows  # reproducible

    base, new, db = tmp_path / "base.jsonl", tmp_path / "new.csv", tmp_path / "g.db"
    gen.write_events(base, history.rows)
    gen.write_events(new, history.followups)
    runner = CliRunner()
    for day, path in (("2020-11-16", base), ("2020-11-30", new)):
        args = ["-C", str(ws.root), "--as-of", day, "--db", str(db), "import", str(path)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 3400
    finally:
        conn.close()


def test_taskwarrior_export_shifts_dates() -> None:
    from datetime import date

    gen = bench_module("gen")
    spec = gen.Spec(tasks=20, files=1, units=4, seed=2)
    config = gen.make_config(spec)
    task = next(t for t in gen.make_tasks(spec, config) if t.get("depends"))
    as_of = date(2020, 11, 16)
    shift = gen.taskwarrior_shift(as_of, today=date(2020, 11, 26))
    assert shift == 10
    out = gen.to_taskwarrior(task, as_of=as_of, shift_days=shift)
    assert out["description"] == task["title"]
    assert out["status"] == "pending"
    assert out["due"] == (task["due"] + (date(2020, 11, 26) - as_of)).strftime("%Y%m%dT235959Z")
    assert "depends" not in out
    with_deps = gen.to_taskwarrior(task, as_of=as_of, depends=True)
    assert with_deps["depends"] == [gen.task_uuid(d) for d in task["depends"]]
