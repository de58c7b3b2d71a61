"""Reporting deadlines on rest days (遇节假日顺延), through the CLI: status, ranking and the
bulletin see the same deadlines (docs/daily.md "应报未报", docs/ranking.md).

The example workspace (the repository's 2020 plan and its ledger): the weekly report of
Friday 2020-06-26, 端午, is due on Sunday 6/28, the holiday's 调休 working day."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO, run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example workspace with its ledger imported."""
    ws = tmp_path / "example"
    ws.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", ws / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", ws / "plans")
    code, _, err = run(
        ws, "--as-of", "2020-06-30", "import", str(REPO / "data/example-history.csv")
    )
    assert (code, err) == (0, "")
    return ws


def _missed(ws: Path, day: str) -> dict[str, str]:
    """``status --json`` as of *day*: task → the deadline of its missed report."""
    code, out, _ = run(ws, "--as-of", day, "status", "--json", "--limit", "0")
    assert code == 0
    return {t["id"]: t["missed_report"] for t in json.loads(out)["tasks"] if t["missed_report"]}


def _ranking(ws: Path, period: str, day: str) -> dict[str, Any]:
    code, out, _ = run(ws, "--as-of", day, "ranking", "--period", period, "--json")
    assert code == 0
    doc: dict[str, Any] = json.loads(out)
    return doc


def _ranked_misses(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Deadline → the tasks the ranking deducted a missed report for."""
    out: dict[str, list[str]] = defaultdict(list)
    for unit in doc["units"]:
        for item in unit["items"]:
            if item["rule"] == "missed_report":
                for day in item["detail"]["dates"]:
                    out[day].append(item["task"])
    return {day: sorted(tasks) for day, tasks in sorted(out.items())}


def test_the_dragon_boat_friday_is_not_a_deadline(example: Path) -> None:
    # 6/28 itself: the moved deadline is today, not yet missed; 6/26 was a holiday.
    code, out, _ = run(example, "--as-of", "2020-06-28", "status", "--limit", "0")
    assert code == 0
    assert "6月26日应报未报" not in out and "6月28日应报未报" not in out
    assert set(_missed(example, "2020-06-28").values()) <= {"2020-06-19", "2020-05-25"}
    # 6/29: the tasks with no report from 6/20 to 6/28 missed the 6/28 deadline (most
    # units reported on Wednesday 6/24, before the holiday).
    code, out, _ = run(example, "--as-of", "2020-06-29", "status", "--limit", "0")
    assert "6月26日应报未报" not in out and "6月25日应报未报" not in out
    assert "6月28日应报未报" in out
    missed = _missed(example, "2020-06-29")
    assert set(missed.values()) == {"2020-06-28"}
    assert "XC-01" in missed  # 王因街道's task; FX-03 reports monthly (the 25th, moved too)
    assert missed["FX-03"] == "2020-06-28"
    # The ranking deducts the moved deadline, and only where no report came.
    code, out, _ = run(
        example, "--as-of", "2020-07-01", "ranking", "--period", "2020-06", "--explain", "wangyin"
    )
    assert code == 0
    assert "2020-06-26" not in out
    assert re.search(r"2020-06-05、2020-06-19、2020-06-28\s+-1\.50", out), out


def test_previous_moves_the_deadline_before_the_holiday(example: Path) -> None:
    ws = example
    config = ws / "gaoxin.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nrules:\n  feedback: {on_rest_day: previous}\n",
        encoding="utf-8",
    )
    # Wednesday 6/24, the last working day before 端午: late from 6/25 on.
    assert "2020-06-24" not in _missed(ws, "2020-06-24").values()
    missed = _missed(ws, "2020-06-29")
    assert set(missed.values()) == {"2020-06-24"}
    assert "XC-01" in missed
    ranked = _ranked_misses(_ranking(ws, "2020-06", "2020-07-01"))
    assert list(ranked) == ["2020-06-05", "2020-06-12", "2020-06-19", "2020-06-24"]
    assert sorted(missed) == ranked["2020-06-24"]


def test_status_ranking_and_bulletin_see_the_same_deadlines(example: Path) -> None:
    """For each deadline of June 2020, the tasks ``status`` shows as missed the day after
    are the ones ``ranking`` deducts (no report in the ledger is dated the day after a
    deadline, so a late report cannot tell them apart); the bulletin counts them all."""
    doc = _ranking(example, "2020-06", "2020-07-01")
    ranked = _ranked_misses(doc)
    assert list(ranked) == ["2020-06-05", "2020-06-12", "2020-06-19", "2020-06-28"]
    for day, tasks in ranked.items():
        after = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        shown = sorted(t for t, d in _missed(example, after).items() if d == day)
        assert shown == tasks, day
    total = sum(u["stats"]["missed_reports"] for u in doc["units"])
    assert total == sum(len(tasks) for tasks in ranked.values())
    code, out, _ = run(example, "--as-of", "2020-07-02", "bulletin", "--period", "2020-06")
    assert code == 0
    assert f"应报未报 {total} 次" in out


MINI_2027_PLAN = """\
tasks:
  - id: JC-01
    title: 济宁大道东延建成通车
    pillar: battles.infrastructure
    lead: jianshe
    leader: L-wang
    measures: [完成征地拆迁, 主体工程施工, 验收通车]
    start: 2027-01-04
    due: 2027-12-31
"""


@pytest.mark.parametrize(
    ("shift", "moved", "explained"),
    [
        ("next", "2027-02-15", "2027-02-15、2027-02-19、2027-02-26"),
        ("previous", "2027-02-04", "2027-02-04、2027-02-19、2027-02-26"),
    ],
    ids=["next", "previous"],
)
def test_two_spring_festival_fridays_are_one_deadline(
    ws: Path, shift: str, moved: str, explained: str
) -> None:
    """2027 has no holiday table yet: an estimated year, with 春节 written as a rest range
    covering two Fridays (2/5 and 2/12). They are one deadline, on the day they move to
    (``next`` is the default and not written)."""
    (ws / "plans" / "roads.yaml").write_text(MINI_2027_PLAN, encoding="utf-8")
    config = ws / "gaoxin.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + ("" if shift == "next" else f"rules:\n  feedback: {{on_rest_day: {shift}}}\n")
        + "calendar:\n  rest: [2027-02-05..2027-02-12]\n",
        encoding="utf-8",
    )
    code, _, err = run(ws, "--as-of", "2027-01-29", "feedback", "JC-01", "--progress", "5")
    assert (code, err) == (0, "")
    assert _missed(ws, "2027-02-16") == {"JC-01": moved}
    code, out, _ = run(
        ws, "--as-of", "2027-03-01", "ranking", "--period", "2027-02", "--explain", "jianshe"
    )
    assert code == 0
    assert "2027-02-05" not in out and "2027-02-12" not in out
    assert re.search(explained + r"\s+-1\.50", out), out
