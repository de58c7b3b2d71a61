"""Scores, ranks and the flag: pure rules, and hand-computed scores of a small workspace.

The workspace in tests/data/ranking (gaoxin.yaml says which weights differ from the
defaults) has four lead units over April–June 2020; history.jsonl holds its reports,
the cards ``gaoxin sweep`` would have recorded, reviews, a return, a cancellation and an
extension. Every expected figure below was worked out by hand first (docs/ranking.md
shows the rules); the comments give the arithmetic. Cards count as ``rules.ranking.cards:
in_force`` (the default) says: every card held in a month, at the highest level it
reached there; ``test_new_cards_reproduce_the_figures_of_before`` runs the same workspace
with ``new`` (only cards raised in the month), the only rule before it was configurable.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.cli import app
from gaoxin_cli.errors import UsageError
from gaoxin_cli.models import Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Event
from gaoxin_cli.ranking import evaluate, facts, period_scores
from gaoxin_cli.ranking.flag import AwardSummary, rank, rank_cards, timeline
from gaoxin_cli.ranking.inputs import ScoreItem, TaskFacts
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import from_json, to_json
from gaoxin_cli.ranking.scores import combine, score_month
from gaoxin_cli.store import Store
from helpers import examples

DATA = Path(__file__).parent / "data" / "ranking"


# --- the workspace ----------------------------------------------------------------------


def load_history(root: Path) -> None:
    events = []
    for line in (root / "history.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc["at"] = date.fromisoformat(doc["at"])
        events.append(Event(**doc))
    with Store.open(root / "data" / "gaoxin.db", write=True) as store:
        store.add(events)


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-C", str(ws), *args], env={"COLUMNS": "80"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ranking") / "ws"
    shutil.copytree(DATA, root)
    load_history(root)
    items = [
        ("weijian", "2020-05", "bonus", "2", "疫情防控表现突出"),
        ("jianshe", "2020Q2", "inspection", "95", "二季度现场督查"),
        ("caizheng", "2020Q2", "inspection", "85", "二季度现场督查"),
        ("jiaoyu", "2020Q2", "inspection", "90", "二季度现场督查"),
    ]
    for unit, period, kind, points, reason in items:
        code, _, err = run(
            root,
            "--as-of",
            "2020-07-01",
            "flag",
            "score",
            unit,
            "--period",
            period,
            "--kind",
            kind,
            "--points",
            points,
            "--reason",
            reason,
            "--by",
            "L-wang",
        )
        assert code == 0, err
    return root


def ranking_json(ws: Path, period: str, *extra: str) -> dict[str, Any]:
    code, out, err = run(
        ws, "--as-of", "2020-07-01", "ranking", "--period", period, "--json", *extra
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def scores(doc: dict[str, Any]) -> list[tuple[int, str, float]]:
    return [(u["rank"], u["unit"], u["score"]) for u in doc["units"]]


def items(doc: dict[str, Any], unit: str) -> list[tuple[str, str | None, float]]:
    return [(i["rule"], i["task"], i["points"]) for i in items_of(doc, unit)]


def items_of(doc: dict[str, Any], unit: str) -> list[dict[str, Any]]:
    found = next(u for u in doc["units"] if u["unit"] == unit)
    return list(found["items"])


# --- hand-computed months ---------------------------------------------------------------


def test_april_nobody_reaches_90_and_a_tie_on_red_cards(ws: Path) -> None:
    doc = ranking_json(ws, "2020-04")
    # 财政局 C1: overdue 9 WD −5, red −5, returned −1, completion 0/1 → 89
    # 建设局 J1: overdue 12 WD −5, red −5; J3 missed 4-25 −2; 0/1 → 88
    # 教育局 E1: two reds −10, missed −2 (X1 is cancelled: not scored) → 88
    # 卫健局 W1: three yellows −2; W2 missed −2; W3 overdue −5, red −5; 0/1 → 86
    assert scores(doc) == [
        (1, "caizheng", 89.0),
        (2, "jianshe", 88.0),
        (3, "jiaoyu", 88.0),
        (4, "weijian", 86.0),
    ]
    assert doc["holder"] is None and doc["holders"] == []  # 89 < 90: vacant
    assert doc["bottom"] == ["jiaoyu", "weijian"] and doc["exempt"] == []
    jiaoyu = doc["units"][2]
    # equal completion rate (none due counts as 0), 1 red card against 2
    assert jiaoyu["tie_break"] == {
        "above": "jianshe",
        "by": "red_cards",
        "above_value": 1,
        "value": 2,
    }
    assert items(doc, "caizheng") == [
        ("base", None, 100.0),
        ("red_card", "C1", -5.0),
        ("overdue_task", "C1", -5.0),
        ("returned_feedback", "C1", -1.0),
        ("completion_rate", None, 0.0),
    ]
    assert items(doc, "weijian") == [
        ("base", None, 100.0),
        ("red_card", "W3", -5.0),
        ("yellow_card", "W1", -2.0),
        ("overdue_task", "W3", -5.0),
        ("missed_report", "W2", -2.0),
        ("completion_rate", None, 0.0),
    ]
    stats = {u["unit"]: u["stats"] for u in doc["units"]}
    # W1's three yellows; W3's yellow of 4-13 is the card that reached red on 4-20 (in_force
    # counts it once, at red: ``new`` counted a yellow and a red)
    assert stats["weijian"]["yellow_cards"] == 3 and stats["weijian"]["overdue_workdays"] == 15
    assert stats["jianshe"]["overdue_workdays"] == 12
    assert stats["jiaoyu"]["completion_rate"] is None and stats["jiaoyu"]["target_met"] is None
    # March: every task reported by the 25th except the cancelled X1 (cancelled in April)
    assert [(u["unit"], u["previous_rank"], u["change"]) for u in doc["units"]] == [
        ("caizheng", 1, 0),
        ("jianshe", 1, -1),
        ("jiaoyu", 4, 1),
        ("weijian", 1, -3),
    ]


def test_may_flag_and_an_exempt_bottom_unit(ws: Path) -> None:
    doc = ranking_json(ws, "2020-05")
    # Every red card of April is still held on 1 May (in_force): −5 each.
    # 财政局: C1 red since 4-28 (back to none 5-15) −5, C2 early +1, 2/2 done +5 (C1
    #         done 5-15 by review: submitted, returned, submitted again, accepted
    #         5-18)                                                           → 101
    # 建设局: J1 red since 4-23 (none 5-08) −5, J2 yellow twice −1, 1/1 +5     → 99
    # 教育局: E1 red since 4-24 (none 5-06) −5 and red again 5-11 −5, E2 done on
    #         its due day 1/1 +5                                               → 95
    # 卫健局: W3 red since 4-20 (none 5-12) −5, W1 5 WD late at the end of May
    #         (extended to 6-15, scored on the original date) −5, bonus +2, 1/2
    #         done +2.50                                                       → 94.50
    assert scores(doc) == [
        (1, "caizheng", 101.0),
        (2, "jianshe", 99.0),
        (3, "jiaoyu", 95.0),
        (4, "weijian", 94.5),
    ]
    e1 = next(i for i in items_of(doc, "jiaoyu") if i["rule"] == "red_card")
    assert e1["detail"] == {"count": 2, "since": ["2020-04-24", "2020-05-11"]}
    assert doc["holder"] == "caizheng"
    assert doc["bottom"] == ["weijian"] and doc["exempt"] == ["jiaoyu"]
    weijian = next(u for u in doc["units"] if u["unit"] == "weijian")
    overdue = next(i for i in weijian["items"] if i["rule"] == "overdue_task")
    assert overdue["detail"] == {"due": "2020-05-22", "wd": 5, "extended_to": "2020-06-15"}
    bonus = next(i for i in weijian["items"] if i["rule"] == "bonus")
    assert (bonus["points"], bonus["detail"]["reason"], bonus["detail"]["by"]) == (
        2.0,
        "疫情防控表现突出",
        "L-wang",
    )
    assert weijian["stats"]["target_met"] is False
    assert next(u for u in doc["units"] if u["unit"] == "jiaoyu")["stats"]["target_met"] is True


def test_june_tie_decided_by_overdue_working_days(ws: Path) -> None:
    doc = ranking_json(ws, "2020-06")
    # 教育局: E1 done 6-29 before 6-30 +1, 2/2 +5                               → 106
    # 卫健局: 3/3 +5                                                             → 105
    # 财政局: C3 two reds −10, 11 WD late −5, 2/3 +3.33                          → 88.33
    # 建设局: J2 returned −1, early +1 (accepted 6-30, submitted 6-29); J3 two reds
    #         −10 (the fall to yellow between is no new card), 16 WD late −5, 2/3
    #         +3.33                                                              → 88.33
    assert scores(doc) == [
        (1, "jiaoyu", 106.0),
        (2, "weijian", 105.0),
        (3, "caizheng", 88.33),
        (4, "jianshe", 88.33),
    ]
    jianshe = doc["units"][3]
    assert jianshe["tie_break"] == {
        "above": "caizheng",
        "by": "overdue_wd",
        "above_value": 11,
        "value": 16,
    }
    assert doc["holder"] == "jiaoyu" and doc["bottom"] == ["caizheng", "jianshe"]
    assert items(doc, "jianshe") == [
        ("base", None, 100.0),
        ("red_card", "J3", -10.0),
        ("overdue_task", "J3", -5.0),
        ("returned_feedback", "J2", -1.0),
        ("early_finish", "J2", 1.0),
        ("completion_rate", None, 3.33),
    ]
    assert [(u["unit"], u["change"]) for u in doc["units"]] == [
        ("jiaoyu", 2),
        ("weijian", 2),
        ("caizheng", -2),
        ("jianshe", -2),
    ]


def test_every_deduction_and_bonus_type_occurs(ws: Path) -> None:
    rules = set()
    for period in ("2020-04", "2020-05", "2020-06"):
        for unit in ranking_json(ws, period)["units"]:
            rules |= {i["rule"] for i in unit["items"]}
    assert rules == {
        "base",
        "red_card",
        "yellow_card",
        "overdue_task",
        "returned_feedback",
        "missed_report",
        "early_finish",
        "completion_rate",
        "bonus",
    }


def test_quarter_weights_inspection_and_means_months_without_it(ws: Path) -> None:
    doc = ranking_json(ws, "2020Q2")
    # 教育局 0.3 × (88 + 95 + 106) + 0.1 × 90                     = 95.70
    # 卫健局 no inspection score: (86 + 94.50 + 105) / 3 = 95.1667 → 95.17
    # 建设局 0.3 × (88 + 99 + 88.33) + 0.1 × 95 = 92.099          → 92.10
    # 财政局 0.3 × (89 + 101 + 88.33) + 0.1 × 85 = 91.999         → 92.00
    assert scores(doc) == [
        (1, "jiaoyu", 95.7),
        (2, "weijian", 95.17),
        (3, "jianshe", 92.1),
        (4, "caizheng", 92.0),
    ]
    assert items(doc, "weijian") == [
        ("month", None, 28.67),
        ("month", None, 31.5),
        ("month", None, 35.0),
    ]
    assert items(doc, "jianshe") == [
        ("month", None, 26.4),
        ("month", None, 29.7),
        ("month", None, 26.5),
        ("inspection", None, 9.5),
    ]
    assert doc["warnings"] == [
        {"key": "rank.warn_no_inspection", "params": {"period": "2020Q2", "units": "卫生健康局"}}
    ]
    jianshe = next(u for u in doc["units"] if u["unit"] == "jianshe")
    assert [p["score"] for p in jianshe["parts"]] == [88.0, 99.0, 88.33]
    # A quarter's red cards add up its months: E1 2 in April, 2 in May (one held from April)
    assert next(u for u in doc["units"] if u["unit"] == "jiaoyu")["stats"]["red_cards"] == 4
    assert jianshe["stats"]["target_met"] is False  # J1 was late in April
    assert doc["holder"] == "jiaoyu" and doc["bottom"] == ["jianshe", "caizheng"]


def _sum_items(unit: dict[str, Any]) -> None:
    total = sum(Fraction(str(i["points"])) for i in unit["items"])
    assert total == Fraction(str(unit["score"])), unit["unit"]
    for part in unit.get("parts", ()):
        _sum_items(part)


@pytest.mark.parametrize("period", ["2020-04", "2020-05", "2020-06", "2020Q2", "2020"])
def test_explain_sums_to_the_score(ws: Path, period: str) -> None:
    for unit in ranking_json(ws, period)["units"]:
        _sum_items(unit)


def test_explain_output_totals(ws: Path) -> None:
    code, out, err = run(
        ws, "--as-of", "2020-07-01", "ranking", "--period", "2020-06", "--explain", "jianshe"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "建设局 · 2020年6月 得分明细"
    assert lines[-1].split() == ["合计", "88.33"]


def test_a_running_period_counts_to_today(ws: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-10", "ranking", "--period", "2020-06", "--json")
    doc = json.loads(out)
    assert (doc["counted_to"], doc["complete"]) == ("2020-06-10", False)
    # by 6-10 only C3 has turned red (6-08); J3 turns red on 6-12
    assert items(doc, "caizheng")[:2] == [("base", None, 100.0), ("red_card", "C3", -5.0)]
    code, _, err = run(ws, "--as-of", "2020-03-31", "ranking", "--period", "2020-04")
    assert code == 1 and "还没有开始" in err


def test_new_cards_reproduce_the_figures_of_before(ws: Path, tmp_path: Path) -> None:
    """``rules.ranking.cards: new`` scores only the cards raised in a month: the figures
    this workspace had before ``in_force`` (and the quarter's red cards add up)."""
    old = tmp_path / "ws"
    shutil.copytree(ws, old)
    cfg = old / "gaoxin.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "    cards: new\n", encoding="utf-8")
    assert scores(ranking_json(old, "2020-04")) == scores(ranking_json(ws, "2020-04"))
    may = ranking_json(old, "2020-05")
    assert scores(may) == [
        (1, "caizheng", 106.0),
        (2, "jianshe", 104.0),
        (3, "jiaoyu", 100.0),
        (4, "weijian", 99.5),
    ]
    e1 = next(i for i in items_of(may, "jiaoyu") if i["rule"] == "red_card")
    assert e1["detail"] == {"count": 1}  # no days: the card was raised in May
    quarter = ranking_json(old, "2020Q2")
    assert scores(quarter) == [
        (1, "jiaoyu", 97.2),
        (2, "weijian", 96.83),
        (3, "jianshe", 93.6),
        (4, "caizheng", 93.5),
    ]
    assert items(quarter, "weijian") == [
        ("month", None, 28.67),
        ("month", None, 33.17),
        ("month", None, 35.0),
        ("rounding", None, -0.01),
    ]
    stats = {u["unit"]: u["stats"] for u in ranking_json(old, "2020-04")["units"]}
    assert stats["weijian"]["yellow_cards"] == 4  # W3's yellow before its red counts too
    # E1: two red cards raised in April, one in May
    assert next(u for u in quarter["units"] if u["unit"] == "jiaoyu")["stats"]["red_cards"] == 3


# --- the worked example of docs/ranking.md (default weights) ----------------------------


def _task(tid: str, due: str) -> Task:
    return to_record(
        spec.TaskSpec(
            id=tid,
            title=f"任务{tid}",
            lead="jianshe",
            measures=["推进"],
            due=date.fromisoformat(due),
        )
    )


def test_worked_example_of_the_docs() -> None:
    may = Period.parse("2020-05")
    tasks = [
        _task("A", "2020-04-30"),
        _task("B", "2020-05-20"),
        _task("C", "2020-06-30"),
        _task("D", "2020-12-31"),
    ]
    history = facts.MonthHistory(
        start=may.start,
        end=may.end,
        cards_before={"C": 0},
        card_changes={
            "A": [(date(2020, 5, 8), 3)],
            "C": [(date(2020, 5, 6), 2), (date(2020, 5, 12), 0), (date(2020, 5, 19), 2)],
        },
        done_on={"B": date(2020, 5, 18)},
        returned={"D": 1},
        missed={"D": [date(2020, 5, 22)]},
    )
    built = facts.build(tasks, history, WorkCalendar())
    assert [(f.task, f.overdue_wd, f.red, f.yellow) for f in built] == [
        ("A", 19, 1, 0),  # May 1–5 are holidays, Saturday May 9 a working day
        ("B", 0, 0, 0),
        ("C", 0, 0, 2),
        ("D", 0, 0, 0),
    ]
    # Nothing was held on 1 May: ``new`` counts the same cards (without their days).
    counted = [(f.task, f.red, f.yellow) for f in built]
    assert counted == [
        (f.task, f.red, f.yellow) for f in facts.build(tasks, history, WorkCalendar(), "new")
    ]
    result = score_month(may, built, to_record(spec.RankingRulesSpec()))["jianshe"]
    assert [(x.rule, x.task, x.points) for x in result.lines] == [
        ("base", None, 10000),
        ("red_card", "A", -200),
        ("yellow_card", "C", -100),
        ("overdue_task", "A", -100),
        ("returned_feedback", "D", -50),
        ("missed_report", "D", -50),
        ("early_finish", "B", 100),
        ("completion_rate", None, 250),
    ]
    assert result.score == 98.5
    assert (result.stats.rate, result.stats.target_met) == (0.5, True)


# --- pure pieces ------------------------------------------------------------------------


def test_periods() -> None:
    assert Period.parse("2020-05") == Period(2020, "month", 5)
    assert Period.parse(" 2020-5 ").key == "2020-05"
    assert Period.parse("2020q2") == Period.parse("2020-Q2") == Period(2020, "quarter", 2)
    assert Period.parse("2020").kind == "year"
    assert Period.parse("2020-01").previous().key == "2019-12"
    assert Period.parse("2020Q1").previous().key == "2019Q4"
    assert Period.parse("2020-12").next().key == "2021-01"
    q = Period.parse("2020Q2")
    assert (q.start, q.end) == (date(2020, 4, 1), date(2020, 6, 30))
    assert [m.key for m in q.parts()] == ["2020-04", "2020-05", "2020-06"]
    assert len(Period.parse("2020").months()) == 12
    assert Period.last_ended(date(2020, 7, 1), "month").key == "2020-06"
    assert Period.last_ended(date(2020, 7, 1), "quarter").key == "2020Q2"
    for bad in ("2020-13", "20-05", "May", "2020Q5", "2020-05-01", ""):
        with pytest.raises(UsageError):
            Period.parse(bad)


def test_one_period_grammar() -> None:
    """``Span.parse`` reads every --period: what ranking and notice list each took."""
    from gaoxin_cli.ranking.period import Span

    june = Span(date(2020, 6, 1), date(2020, 6, 30), Period(2020, "month", 6))
    assert Span.parse("2020-06") == Span.parse("2020-6") == june
    assert Span.parse("2020q2") == Span(
        date(2020, 4, 1), date(2020, 6, 30), Period(2020, "quarter", 2)
    )
    assert Span.parse("2020").last == date(2020, 12, 31)
    assert Span.parse("2020-06-24") == Span(date(2020, 6, 24), date(2020, 6, 24))
    assert Span.parse("2020-06-01..2020-06-30") == Span(date(2020, 6, 1), date(2020, 6, 30))
    assert Span.parse(" 2020Q1 .. 2020-05 ") == Span(date(2020, 1, 1), date(2020, 5, 31))
    for bad in ("June", "2020-06-31", "2020-06-30..2020-06-01", "2020..", "1999", "2020Q5", ""):
        with pytest.raises(UsageError) as e:
            Span.parse(bad)
        assert e.value.msg.key == "error.bad_period"
    for unscored in ("2020-06-01", "2020-05..2020-06"):
        with pytest.raises(UsageError) as e:
            Period.parse(unscored)
        assert e.value.msg.key == "error.period_not_scoring"


def test_held_cards() -> None:
    """in_force: each card held at any time from the 1st on, with the day it was raised
    and the highest level it reached from the 1st on."""
    d = date.fromisoformat
    may = d("2020-05-01")

    def held(*rows: tuple[str, int], start: date = may) -> list[tuple[str, int]]:
        found = facts.held_cards([(d(day), level) for day, level in rows], start)
        return [(c.since.isoformat(), c.level) for c in found]

    # red since April, 问责 since 4-20: held all May, at 问责 (a red card)
    assert held(("2020-04-10", 3), ("2020-04-20", 4)) == [("2020-04-10", 4)]
    # a yellow of April reaching red in May is one card, at red (since it became red)
    assert held(("2020-04-20", 2), ("2020-05-06", 3)) == [("2020-05-06", 3)]
    assert held(("2020-04-13", 2), ("2020-04-20", 3), ("2020-05-12", 0)) == [("2020-04-20", 3)]
    # red in April, back to yellow by May: yellow in May; red again is a new red card
    assert held(("2020-04-10", 3), ("2020-04-25", 2), ("2020-05-06", 3)) == [
        ("2020-04-10", 2),
        ("2020-05-06", 3),
    ]
    # gone before May: nothing; gone on 3 May: held two days, at red
    assert held(("2020-04-10", 3), ("2020-04-25", 0)) == []
    assert held(("2020-04-10", 3), ("2020-05-03", 1)) == [("2020-04-10", 3)]
    assert held(("2020-03-01", 2)) == [("2020-03-01", 2)]
    # within the month, as ``new`` counts them: yellow twice; blue is no card
    assert held(("2020-05-06", 2), ("2020-05-12", 0), ("2020-05-19", 2)) == [
        ("2020-05-06", 2),
        ("2020-05-19", 2),
    ]
    assert held(("2020-05-06", 1)) == []
    # J3 in June: yellow reaching red (one card), a fall to yellow, red again (a new one)
    june = d("2020-06-01")
    rows = (("2020-06-08", 2), ("2020-06-12", 3), ("2020-06-16", 2), ("2020-06-19", 3))
    assert held(*rows, start=june) == [("2020-06-12", 3), ("2020-06-19", 3)]


def _default_weights_workspace(root: Path, counting: str | None) -> Path:
    """Three units, one task each, every report in; A (建设局) red since 10 April and at
    问责 since 20 April, never lowered. The weights are the defaults of docs/ranking.md."""
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("history.jsonl", "plans"))
    cfg = root / "gaoxin.yaml"
    text = cfg.read_text(encoding="utf-8")
    kept = [x for x in text.splitlines() if "deductions:" not in x and "bonuses:" not in x]
    if counting is not None:
        kept.append(f"    cards: {counting}")
    cfg.write_text("\n".join(kept) + "\n", encoding="utf-8")
    (root / "plans").mkdir()
    (root / "plans" / "tasks.yaml").write_text(
        "tasks:\n"
        + "".join(
            f"  - {{id: {tid}, title: 任务{tid}, lead: {unit}, measures: [推进],"
            " start: 2020-03-02, due: 2020-12-31}\n"
            for tid, unit in (("A", "jianshe"), ("B", "caizheng"), ("C", "jiaoyu"))
        ),
        encoding="utf-8",
    )
    d = date.fromisoformat
    events = [
        Event(tid, "feedback", d(day), progress=progress)
        for tid in ("A", "B", "C")
        for day, progress in (
            ("2020-03-20", 10),
            ("2020-04-20", 20),
            ("2020-05-20", 30),
            ("2020-06-20", 40),
        )
    ]
    events += [
        Event("A", "card", d("2020-04-10"), data={"level": 3}),
        Event("A", "card", d("2020-04-20"), data={"level": 4}),
    ]
    with Store.open(root / "data" / "gaoxin.db", write=True) as store:
        store.add(events)
    return root


def test_a_card_held_all_month_counts_in_it(tmp_path: Path) -> None:
    """Issue 12: a unit whose task sat at 问责 all of May ranked with the units without a
    card, because a card deducted only in the month it first appeared."""
    ws = _default_weights_workspace(tmp_path / "ws", None)  # in_force, the default
    doc = ranking_json(ws, "2020-05")
    # 建设局: A red since 4-10 (问责 since 4-20), held all May: 100 − 2 (红牌) = 98.00;
    # nothing is due by 31 May, so no completion bonus; every report is in.
    assert scores(doc) == [(1, "caizheng", 100.0), (1, "jiaoyu", 100.0), (3, "jianshe", 98.0)]
    assert doc["holders"] == ["caizheng", "jiaoyu"]
    assert items_of(doc, "jianshe")[1] == {
        "rule": "red_card",
        "points": -2.0,
        "task": "A",
        "title": "任务A",
        "detail": {"count": 1, "since": ["2020-04-10"]},
    }
    # and in June again, and in the quarter: one red card a month
    assert scores(ranking_json(ws, "2020-06"))[-1] == (3, "jianshe", 98.0)
    quarter = ranking_json(ws, "2020Q2")
    assert [u["stats"]["red_cards"] for u in quarter["units"] if u["unit"] == "jianshe"] == [3]
    # ``new``: the card was raised in April, so May does not see it (the rule before)
    old = _default_weights_workspace(tmp_path / "old", "new")
    assert scores(ranking_json(old, "2020-05")) == [
        (1, "caizheng", 100.0),
        (1, "jianshe", 100.0),
        (1, "jiaoyu", 100.0),
    ]
    assert scores(ranking_json(old, "2020-04"))[-1] == (3, "jianshe", 98.0)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "红牌 A 任务A 本期亮红牌 1 次；自 2020-04-10 起持有 -2.00"),
        ("en", "red card A 任务A 1 red card(s) this period; held since 2020-04-10 -2.00"),
    ],
)
def test_explain_says_since_when_a_card_is_held(tmp_path: Path, lang: str, line: str) -> None:
    ws = _default_weights_workspace(tmp_path / "ws", None)
    args = ["--lang", lang, "--as-of", "2020-07-01", "ranking", "-p", "2020-05"]
    result = CliRunner().invoke(
        app, ["-C", str(ws), *args, "--explain", "jianshe"], env={"COLUMNS": "120"}
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert line.split() in [x.split() for x in result.stdout.splitlines()], result.stdout


def test_card_counts() -> None:
    assert facts.card_counts(0, [2, 0, 2, 0, 2]) == (3, 0)
    assert facts.card_counts(2, [2, 3]) == (0, 1)  # already yellow: no new yellow
    assert facts.card_counts(3, [4, 3, 2, 3]) == (0, 1)  # L4 is the same red; a fall, then red
    assert facts.card_counts(0, [1, 2, 3, 0, 3]) == (1, 2)
    assert facts.card_counts(3, [0]) == (0, 0)


def test_lifecycle_summary() -> None:
    d = date.fromisoformat
    rows = [
        ("T", d("2020-04-24"), "submit", "under_review"),
        ("T", d("2020-04-27"), "return", "in_progress"),
        ("T", d("2020-05-15"), "submit", "under_review"),
        ("T", d("2020-05-18"), "accept", "done"),
        ("U", d("2020-05-02"), "return", "in_progress"),
        ("X", d("2020-04-02"), "cancel", "cancelled"),
        ("Y", d("2020-06-02"), "cancel", "cancelled"),
    ]
    life = facts.lifecycle(rows, d("2020-05-01"), d("2020-05-31"))
    assert life.returned == {"U": 1}
    assert life.cancelled == {"X"}
    assert life.done == {"T": d("2020-05-15")}
    assert facts.done_days(
        {"T": d("2020-05-01"), "V": d("2020-05-03"), "U": d("2020-05-01")}, life
    ) == {
        "T": d("2020-05-15"),  # reviewed: lifecycle decides
        "V": d("2020-05-03"),  # never reviewed: 100 % counts
    }
    ext = [
        ("W", d("2020-04-27"), "request", d("2020-06-15")),
        ("W", d("2020-04-28"), "approve", d("2020-06-15")),
    ]
    assert facts.extensions(ext, d("2020-04-27")) == {}
    assert facts.extensions(ext, d("2020-05-31")) == {"W": d("2020-06-15")}


def _unit_score(unit: str, done: bool, red: int = 0) -> Any:
    task = TaskFacts(
        unit, "t", unit, date(2020, 5, 10), date(2020, 5, 10) if done else None, red=red
    )
    return score_month(Period.parse("2020-05"), [task], to_record(spec.RankingRulesSpec()))[unit]


def test_rank_shared_and_bottom_and_cards() -> None:
    rules = to_record(spec.RankingRulesSpec(top_n=1, bottom_n=2))
    s = {
        u.unit: u
        for u in (
            _unit_score("a", done=True),
            _unit_score("b", done=True),
            _unit_score("c", done=False),
            _unit_score("d", done=False, red=1),
        )
    }
    rows = rank(s, rules, {}, {"a": (2, 0), "b": (1, 0), "c": (3, 0)})
    assert [(r.unit, r.rank, r.holder, r.bottom, r.exempt) for r in rows] == [
        ("a", 1, True, False, False),
        ("b", 1, True, False, False),  # equal on every key: a shared rank, both hold it
        ("c", 3, False, True, False),
        ("d", 4, False, True, False),
    ]
    assert rows[1].tie_break is not None and rows[1].tie_break.by == "tied"
    assert rank_cards(rows) == {
        "a": ("blue", "blue"),
        "b": ("blue", "none"),
        "c": ("yellow", "none"),
        "d": ("red", "none"),
    }


def test_timeline_streaks_and_moves() -> None:
    def award(i: int, period: str, holder: str | None, **kw: Any) -> AwardSummary:
        return AwardSummary(
            i, period, date(2020, 12, 1), (holder,) if holder else (), 9500, holder, 9500, **kw
        )

    entries = timeline(
        [
            award(1, "2020-01", "a"),
            award(2, "2020-02", "a"),
            award(3, "2020-03", None),
            award(4, "2020-04", "b"),
            award(5, "2020-05", "a"),
            award(6, "2020-07", "a"),
            award(7, "2020-04", "c", force_reason="更正", supersedes=4),
        ]
    )
    assert [(e.award.period, e.move, e.streak, e.moved_from) for e in entries] == [
        ("2020-01", "new", 1, ()),
        ("2020-02", "kept", 2, ()),
        ("2020-03", "vacant", 0, ()),
        ("2020-04", "new", 1, ()),
        ("2020-05", "moved", 1, ("c",)),
        ("2020-07", "regained", 1, ()),  # June was not awarded: the streak starts again
    ]
    assert [a.id for a in entries[3].earlier] == [4]


def test_result_json_round_trips(ws: Path) -> None:
    for period in ("2020-06", "2020Q2"):
        doc = ranking_json(ws, period)
        doc.pop("frozen")
        doc.pop("warning_texts")
        assert doc.pop("calendar_estimated") == []  # 2020 is in chinesecalendar
        assert to_json(from_json(doc)) == doc


# --- properties ---------------------------------------------------------------------------

_facts = st.builds(
    TaskFacts,
    task=st.sampled_from([f"T{i}" for i in range(12)]),
    title=st.just("t"),
    unit=st.sampled_from(["a", "b", "c"]),
    due=st.dates(date(2020, 3, 1), date(2020, 7, 31)),
    done_on=st.none() | st.dates(date(2020, 3, 1), date(2020, 7, 31)),
    yellow=st.integers(0, 4),
    red=st.integers(0, 3),
    returned=st.integers(0, 3),
    missed=st.lists(st.dates(date(2020, 5, 1), date(2020, 5, 31)), max_size=3).map(tuple),
    overdue_wd=st.integers(0, 30),
)
_weights = st.floats(0, 10).map(lambda x: round(x, 2))


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(_facts, max_size=25, unique_by=lambda f: f.task),
    _weights,
    _weights,
    _weights,
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.floats(50, 100).map(lambda x: round(x, 1))),
        max_size=3,
    ),
)
def test_lines_always_sum_to_the_score(
    tasks: list[TaskFacts],
    red: float,
    rate: float,
    early: float,
    inspections: list[tuple[str, float]],
) -> None:
    rules = to_record(
        spec.RankingRulesSpec.model_validate(
            {
                "deductions": {"red_card": red},
                "bonuses": {"completion_rate": rate, "early_finish": early},
            }
        )
    )
    months = [Period.parse(m) for m in ("2020-04", "2020-05", "2020-06")]
    parts = [score_month(m, tasks, rules) for m in months]
    items = [
        ScoreItem("2020Q2", u, "inspection", p, "督查", id=i)
        for i, (u, p) in enumerate(inspections)
    ]
    quarter = combine(Period.parse("2020Q2"), parts, items)
    for result in [*parts, quarter]:
        for s in result.values():
            assert s.points == sum(x.points for x in s.lines)
        rows = rank(result, rules, {})
        assert [r.rank for r in rows] == sorted(r.rank for r in rows)
        assert all(
            r.rank == 1 + sum(o.score.points > r.score.points for o in rows) or r.tie_break
            for r in rows
        )


def test_period_scores_uses_frozen_parts() -> None:
    rules = to_record(spec.RankingRulesSpec())
    q = Period.parse("2020Q2")
    frozen = score_month(
        Period.parse("2020-04"), [TaskFacts("T", "t", "a", date(2020, 4, 1))], rules
    )

    def facts_for(month: Period, end: date) -> list[TaskFacts]:
        return [TaskFacts("T", "t", "a", date(2020, 4, 1), date(2020, 4, 1))]

    live = period_scores(q, date(2020, 6, 30), facts_for, rules)
    mixed = period_scores(
        q,
        date(2020, 6, 30),
        facts_for,
        rules,
        frozen_for=lambda p: frozen if p.number == 4 else None,
    )
    assert live["a"].parts[0].points == 10500 and mixed["a"].parts[0].points == 10000
    result = evaluate(q, date(2020, 6, 30), mixed, rules, {"a": "甲"}, "测试区")
    assert result.holder == "a" and result.rows[0].name == "甲"


def test_done_days_follow_the_latest_report(tmp_path: Path) -> None:
    from gaoxin_cli.store import awards

    d = date.fromisoformat

    def report(task: str, at: str, progress: float | None, kind: str = "feedback") -> Event:
        return Event(
            task, kind, d(at), progress=progress, reason="更正" if kind == "correction" else None
        )

    with Store.open(tmp_path / "s.db", write=True) as store:
        store.add(
            [
                report("T", "2020-03-01", 50),
                report("T", "2020-03-05", 100),
                report("T", "2020-03-10", 90, "correction"),
                report("T", "2020-03-20", 100),
                report("U", "2020-03-05", 100),
                report("U", "2020-03-05", 80, "correction"),  # the same day, written later
                report("V", "2020-03-03", 100),
                report("V", "2020-03-04", None),  # a note without a figure
            ]
        )
        ids = ["T", "U", "V", "W"]
        assert awards.done_days(store, ids, d("2020-03-08")) == {
            "T": d("2020-03-05"),
            "V": d("2020-03-03"),
        }
        assert awards.done_days(store, ids, d("2020-03-15")) == {"V": d("2020-03-03")}
        assert awards.done_days(store, ids, d("2020-03-31")) == {
            "T": d("2020-03-20"),
            "V": d("2020-03-03"),
        }
