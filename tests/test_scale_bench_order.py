"""The city benchmark's loop (bench/scale_bench.py): with ``--scale-before``, each gaoxin
command runs beside its before twin, and every other round the twin goes first, so an
order effect falls on both trees alike. Nothing here runs a benchmark."""

from __future__ import annotations

from pathlib import Path

from helpers import bench_module


def _steps() -> list[object]:
    sb = bench_module("scale_bench")
    series = sb.Series  # bench/harness.py's
    tw = series("task overdue", ["task", "overdue"], label="task overdue")
    status = series("status", ["gaoxin", "status"], label="status")
    notify = series("notify", ["gaoxin", "notify"], label="notify")
    made: list[str] = []
    steps = [sb.Step(tw), sb.Step(status), sb.Step(notify, lambda: made.append("copy"))]
    return sb._with_before(steps, Path("/old/src"), Path("/old/home"))


def test_the_twins_swap_every_other_round() -> None:
    sb = bench_module("scale_bench")
    steps = _steps()
    plain = [s.series.label for s in sb._in_order(steps, swapped=False)]
    swapped = [s.series.label for s in sb._in_order(steps, swapped=True)]
    assert plain == [
        "task overdue",
        "status",
        "status (before)",
        "notify",
        "notify (before)",
    ]
    assert swapped == [
        "task overdue",
        "status (before)",
        "status",
        "notify (before)",
        "notify",
    ]
    # Each twin keeps what runs before it (a fresh database copy for notify).
    by = {s.series.label: s for s in sb._in_order(steps, swapped=True)}
    assert by["notify (before)"].before is by["notify"].before is not None
    assert [s.series.label for s in steps] == plain  # the list itself is left as it was


def test_the_twin_keeps_no_cache_when_the_older_tree_has_the_option(tmp_path: Path) -> None:
    sb = bench_module("scale_bench")
    cold = sb.Series("validate --no-cache", ["gaoxin", "validate", "--no-cache"], label="v")
    old, new = tmp_path / "old" / "src", tmp_path / "new" / "src"
    (new / "gaoxin_cli" / "loading").mkdir(parents=True)
    (new / "gaoxin_cli" / "loading" / "parsed.py").write_text("")
    old.mkdir(parents=True)
    before_it = sb._with_before([sb.Step(cold)], old, tmp_path / "home")
    after_it = sb._with_before([sb.Step(cold)], new, tmp_path / "home")
    assert before_it[1].series.cmd == ["gaoxin", "validate"]  # a tree without the option
    assert after_it[1].series.cmd == ["gaoxin", "validate", "--no-cache"]
    assert after_it[1].series.env["PYTHONPATH"] == str(new)
