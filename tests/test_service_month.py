"""The month services without the CLI, and the pure rules they were taken apart into.

``service.ranking`` and ``service.bulletin`` run on a :class:`Session` opened on a tmp
copy of tests/data/ranking (the hand-computed workspace of tests/test_ranking.py, with
its history loaded). The pure pieces — the month's reporting deadlines, reporting
windows, the plan's first day, a manual item's points, the periods a score flows into,
red cards per task and the live result — are tested on plain values.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Task, spec
from gaoxin_cli.models.records import FeedbackRules
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Event
from gaoxin_cli.ranking.inputs import TaskFacts, item_points
from gaoxin_cli.ranking.live import award_ranks, cardless_warnings, live_result
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import month_lines, to_json
from gaoxin_cli.rules.progress import first_window
from gaoxin_cli.rules.reports import deadlines_between, reporting_windows
from gaoxin_cli.service import bulletin as bulletins
from gaoxin_cli.service import ranking as service
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store

DATA = Path(__file__).parent / "data" / "ranking"
P = Period.parse


def _workspace(root: Path) -> Path:
    shutil.copytree(DATA, root)
    events = []
    for line in (root / "history.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc["at"] = date.fromisoformat(doc["at"])
        events.append(Event(**doc))
    with Store.open(root / "data" / "gaoxin.db", write=True) as store:
        store.add(events)
    return root


def _session(root: Path, today: str) -> Session:
    return Session.open(root, date.fromisoformat(today), cache=root.parent / "cache")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read-only tests share one workspace."""
    return _workspace(tmp_path_factory.mktemp("svc-month") / "ws")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """Tests that write get their own."""
    return _workspace(tmp_path / "ws")


def _scores(result: service.RankingResult) -> list[tuple[int, str, int]]:
    return [(r.rank, r.unit, r.score.points) for r in result.rows]


# --- service.ranking: the result of a period ---------------------------------------------


def test_ranking_of_april_is_the_hand_computed_one(shared: Path) -> None:
    # tests/test_ranking.py works April out: C1 89, J 88, E 88 (more red cards), W 86.
    result, frozen = service.ranking(_session(shared, "2020-07-01"), P("2020-04"))
    assert frozen is None
    assert _scores(result) == [
        (1, "caizheng", 8900),
        (2, "jianshe", 8800),
        (3, "jiaoyu", 8800),
        (4, "weijian", 8600),
    ]
    assert result.holder is None  # 89 < the 90 the flag needs
    assert result.bottom == ("jiaoyu", "weijian")
    # The plan begins on 2 March: March is scored now for the change column.
    assert result.previous == "2020-03" and not result.previous_frozen


def test_ranking_defaults_to_the_month_containing_today(shared: Path) -> None:
    sess = _session(shared, "2020-05-20")
    result, _ = service.ranking(sess, None)
    assert result.period == P("2020-05") and result.end == date(2020, 5, 20)
    assert not result.complete
    assert service.period_or_default(sess, None, ended=True) == P("2020-04")
    assert service.period_or_default(sess, P("2020Q1"), ended=True) == P("2020Q1")


def test_ranking_refuses_a_period_not_begun_and_an_unranked_unit(shared: Path) -> None:
    sess = _session(shared, "2020-07-01")
    with pytest.raises(GaoxinError) as e:
        service.ranking(sess, P("2020-08"))
    assert e.value.msg.key == "error.period_not_begun"
    with pytest.raises(GaoxinError) as e:
        service.ranking(sess, P("2020-04"), explain="duchashi")  # the office is not scored
    assert e.value.msg.key == "error.explain_unranked"
    result, _ = service.ranking(sess, P("2020-04"), explain="jiaoyu")
    assert result.row("jiaoyu") is not None


def test_a_month_without_any_recorded_card_is_warned_about(shared: Path) -> None:
    sess = _session(shared, "2020-07-01")
    march, _ = service.ranking(sess, P("2020-03"))  # the first card is of 8 April
    assert Msg("rank.warn_no_cards", day="2020-03-31") in march.warnings
    april, _ = service.ranking(sess, P("2020-04"))
    assert not [m for m in april.warnings if m.key == "rank.warn_no_cards"]


# --- flag award, score, history -----------------------------------------------------------


def test_award_freezes_and_a_forced_award_supersedes(ws: Path) -> None:
    sess = _session(ws, "2020-06-02")
    with pytest.raises(GaoxinError) as e:
        service.award(sess, P("2020-06"), reason=None, recorded_at="t")
    assert e.value.msg.key == "error.award_not_over"

    first = service.award(sess, None, reason=None, recorded_at="t")  # the last month over
    assert first.result.period == P("2020-05")
    assert first.frozen.awarded_on == date(2020, 6, 2) and first.frozen.supersedes is None
    live_may = _scores(first.result)

    # An item recorded after the award leaves the frozen result alone…
    scored = service.score(
        sess, "weijian", P("2020-05"), "bonus", 4, reason="表彰", by="L-wang", recorded_at="t"
    )
    assert scored.points == 4 and scored.frozen == [P("2020-05")]
    result, frozen = service.ranking(sess, P("2020-05"))
    assert frozen == first.frozen and _scores(result) == live_may
    # …and counts live.
    result, frozen = service.ranking(sess, P("2020-05"), live=True)
    assert frozen is None and _scores(result) != live_may
    # A quarter counts its awarded month as frozen: without the bonus, unless live.
    july = _session(ws, "2020-07-01")
    q2 = service.ranking(july, P("2020Q2")).result.row("weijian")
    q2_live = service.ranking(july, P("2020Q2"), live=True).result.row("weijian")
    assert q2 is not None and q2_live is not None
    assert q2.score.points < q2_live.score.points

    with pytest.raises(GaoxinError) as e:
        service.award(sess, P("2020-05"), reason=None, recorded_at="t")
    assert e.value.msg.key == "error.award_exists"
    assert first.result.holder == "caizheng" and e.value.msg.params["holder"] == "财政局"
    vacant = service.award(sess, P("2020-04"), reason=None, recorded_at="t")
    assert vacant.result.holder is None  # nobody reached 90 in April
    with pytest.raises(GaoxinError) as e:
        service.award(sess, P("2020-04"), reason=None, recorded_at="t")
    assert e.value.msg.params["holder"] == Msg("flag.nobody")

    again = service.award(sess, P("2020-05"), reason="补记加分", recorded_at="t")
    assert again.frozen.supersedes == first.frozen.id and again.frozen.force_reason == "补记加分"
    assert _scores(again.result) != live_may
    assert service.ranking(sess, P("2020-05")).frozen == again.frozen

    history = service.flag_history(_session(ws, "2020-07-01"))
    assert [e.award.period for e in history.entries] == ["2020-04", "2020-05"]
    may = history.entries[1]
    assert may.award.id == again.frozen.id and may.move == "new"
    assert [a.id for a in may.earlier] == [first.frozen.id]
    assert history.names["caizheng"] == "财政局" and history.org == "测试区"


def test_the_previous_award_is_what_the_change_column_reads(ws: Path) -> None:
    sess = _session(ws, "2020-06-02")
    service.award(sess, P("2020-05"), reason=None, recorded_at="t")
    june, _ = service.ranking(_session(ws, "2020-07-01"), P("2020-06"))
    assert june.previous == "2020-05" and june.previous_frozen
    live, _ = service.ranking(_session(ws, "2020-07-01"), P("2020-06"), live=True)
    assert live.previous == "2020-05" and not live.previous_frozen


def test_score_stores_signed_points_and_names(ws: Path) -> None:
    sess = _session(ws, "2020-07-01")
    cut = service.score(
        sess, "jianshe", P("2020-06"), "deduction", 1.234, reason="迟报", by="L-li", recorded_at="t"
    )
    assert (cut.points, cut.unit, cut.by, cut.frozen) == (-1.23, "建设局", "李副主任", [])
    quarter = service.score(
        sess, "jianshe", P("2020Q2"), "inspection", 95, reason="督查", by="L-li", recorded_at="t"
    )
    assert quarter.points == 95 and quarter.id > cut.id
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        rows = st.query("SELECT period, kind, points FROM score_items ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("2020-06", "deduction", -1.23),
        ("2020Q2", "inspection", 95),
    ]


# --- service.bulletin: which tasks and notices it names --------------------------------------


def test_bulletin_of_june_names_red_and_listed_tasks(shared: Path) -> None:
    b = bulletins.bulletin(_session(shared, "2020-07-02"), P("2020-06"))
    assert b.result.period == P("2020-06") and b.frozen is None and b.office == "督查室"
    assert b.issued == date(2020, 7, 2) and b.estimated == ()
    # J3: listed by 李副主任 and red twice in June; C3 red twice; plan order.
    assert [(t.task, t.red_raised, t.listed_by) for t in b.tasks] == [
        ("J3", 2, "李副主任"),
        ("C3", 2, None),
    ]
    j3, c3 = b.tasks
    assert j3.listed_since == date(2020, 4, 1) and j3.progress == 80.0 and j3.unit == "建设局"
    assert j3.card is not None and j3.card.since == date(2020, 6, 19)
    assert c3.card is not None and c3.card.level == 3 and c3.listed_since is None


def test_bulletin_of_may_names_a_listed_task_without_a_card(shared: Path) -> None:
    b = bulletins.bulletin(_session(shared, "2020-06-02"), None)  # the month over: May
    assert b.result.period == P("2020-05")
    # J3 is listed and not done (60 %), without a card. J1, C1 and W3 were red on 1 May
    # (raised in April, lowered in May): one red card each (in_force); E1 was red on
    # 1 May too, lowered on 6 May and raised to red again on 11 May: two.
    assert [(t.task, t.red_raised, t.card) for t in b.tasks] == [
        ("J1", 1, None),
        ("J3", 0, None),
        ("C1", 1, None),
        ("E1", 2, None),
        ("W3", 1, None),
    ]


def test_a_listed_task_done_is_named_only_while_red(ws: Path) -> None:
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event(task="J3", kind="feedback", at=date(2020, 6, 25), progress=100)])
    b = bulletins.bulletin(_session(ws, "2020-07-02"), P("2020-06"))
    j3 = b.tasks[0]
    assert j3.task == "J3" and j3.listed_since is None and j3.card is not None


def test_bulletin_lists_the_notices_issued_in_the_period(ws: Path) -> None:
    with Store.open(ws / "data" / "gaoxin.db", write=True) as store, store.transaction():
        for seq, day in enumerate(("2020-05-31", "2020-06-15", "2020-07-01"), 1):
            store.insert(
                "INSERT INTO notices (number, kind, year, seq, subject, rung, issued_on, unit,"
                " recipients, body) VALUES (?, 'supervise', 2020, ?, 'J3', 3, ?, 'jianshe',"
                " '[]', '')",
                (f"督办〔2020〕{seq}号", seq, day),
            )
    b = bulletins.bulletin(_session(ws, "2020-07-02"), P("2020-06"))
    assert [(n.number, n.issued_on) for n in b.notices] == [("督办〔2020〕2号", date(2020, 6, 15))]
    assert b.subject(b.notices[0]) == "J3 海川路北延"


def test_bulletin_of_an_awarded_period_is_the_frozen_result(ws: Path) -> None:
    awarded = service.award(_session(ws, "2020-07-01"), P("2020-06"), reason=None, recorded_at="t")
    b = bulletins.bulletin(_session(ws, "2020-07-02"), P("2020-06"))
    assert b.frozen == awarded.frozen and to_json(b.result) == to_json(awarded.result)


# --- rules.reports / rules.progress: the month's deadlines and windows ----------------------


def test_deadlines_of_a_month_over_and_of_one_running() -> None:
    rules = FeedbackRules("weekly", 5, 25, "next")  # Fridays; the 25th; off rest days forward
    cal = WorkCalendar()
    start, last = date(2020, 5, 1), date(2020, 5, 31)
    over = deadlines_between(rules, start, last, last, cal)
    fridays = [date(2020, 5, d) for d in (1, 8, 15, 22, 29)]
    # Friday 1 May (劳动节, 1–5 May) moves to Wednesday 6 May; its period still starts a
    # week before the Friday.
    due = [date(2020, 5, 6), *fridays[1:]]
    assert [d for d, _ in over["weekly"]] == due
    assert over["weekly"][0] == (date(2020, 5, 6), date(2020, 4, 25))
    assert over["weekly"][1] == (date(2020, 5, 8), date(2020, 5, 2))
    # Even ISO weeks: 1 May is week 18; a fortnight's period.
    assert over["biweekly"] == [
        (d, date.fromordinal(f.toordinal() - 13))
        for d, f in zip(due[::2], fridays[::2], strict=True)
    ]
    assert over["monthly"] == [(date(2020, 5, 25), date(2020, 4, 26))]
    # While the month runs, a deadline on the last day counted is not yet due.
    running = deadlines_between(rules, start, last, date(2020, 5, 29), cal)
    assert [d for d, _ in running["weekly"]] == due[:-1]
    assert deadlines_between(rules, start, last, date(2020, 5, 6), cal)["weekly"] == []
    assert deadlines_between(rules, start, last, date(2020, 5, 25), cal)["monthly"] == []
    assert deadlines_between(rules, start, last, date(2020, 5, 26), cal)["monthly"] != []


def _task(tid: str, due: str, start: str | None = None, cadence: str | None = None) -> Task:
    return to_record(
        spec.TaskSpec(
            id=tid,
            title=f"任务{tid}",
            lead="jianshe",
            measures=["推进"],
            due=date.fromisoformat(due),
            start=date.fromisoformat(start) if start else None,
            cadence=cadence,
        )
    )


def test_reporting_windows_and_the_first_day_of_the_plan(shared: Path) -> None:
    config = _session(shared, "2020-07-01").config  # monthly reporting by default
    tasks = [_task("A", "2020-06-30", "2020-03-02"), _task("B", "2021-02-01", cadence="weekly")]
    assert reporting_windows(tasks, config) == [
        ("A", date(2020, 3, 2), date(2020, 6, 30), "monthly"),
        ("B", date(2021, 1, 1), date(2021, 2, 1), "weekly"),  # no start: 1 January
    ]
    assert first_window(tasks) == date(2020, 3, 2)
    assert first_window(tasks[1:]) == date(2021, 1, 1)
    assert first_window([]) is None


# --- ranking: items, periods, red cards, the live result ----------------------------------


def test_item_points() -> None:
    q2, may = P("2020Q2"), P("2020-05")
    assert item_points("inspection", 95, q2) == 95
    assert item_points("bonus", 2.345, may) == 2.35  # hundredths, as stored
    assert item_points("deduction", 3, may) == -3
    for kind, points, period, key in (
        ("inspection", 95, may, "error.inspection_quarter"),
        ("inspection", 100.5, q2, "error.points_range"),
        ("bonus", -1, may, "error.points_sign"),
        ("deduction", 0, may, "error.points_range"),
        ("bonus", 0.001, may, "error.points_range"),  # would be stored as 0
        ("deduction", 0.004, may, "error.points_range"),
        ("bonus", float("nan"), may, "error.points_range"),
        ("bonus", 101, may, "error.points_range"),
    ):
        with pytest.raises(UsageError) as e:
            item_points(kind, points, period)  # type: ignore[arg-type]
        assert e.value.msg.key == key, (kind, points)


def test_enclosing_periods() -> None:
    assert P("2020-05").enclosing() == (P("2020Q2"), P("2020"))
    assert P("2020Q4").enclosing() == (P("2020"),)
    assert P("2020").enclosing() == ()


def test_red_cards_per_task_through_the_parts(shared: Path) -> None:
    sess = _session(shared, "2020-07-01")
    june, _ = service.ranking(sess, P("2020-06"))
    assert june.red_cards() == {"C3": 2, "J3": 2}
    quarter, _ = service.ranking(sess, P("2020Q2"))
    lines = [ln for r in quarter.rows for ln in month_lines(r.score)]
    assert lines and all(not ln.rule.startswith("quarter") for ln in lines)
    assert set(quarter.red_cards()) == {"C1", "C3", "E1", "J1", "J3", "W3"}
    # the quarter adds up its months: E1 2 in April, 2 in May (one held from April)
    assert quarter.red_cards()["E1"] == 4


def test_red_cards_of_a_quarter_add_up_its_months_with_new_cards(ws: Path) -> None:
    """``cards: new`` (red cards raised in the month): E1 turned red twice in April and
    once in May, so three in the quarter, not the last month's one."""
    cfg = ws / "gaoxin.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "    cards: new\n", encoding="utf-8")
    quarter, _ = service.ranking(_session(ws, "2020-07-01"), P("2020Q2"))
    assert quarter.red_cards() == {"C1": 1, "C3": 2, "E1": 3, "J1": 1, "J3": 2, "W3": 1}
    b = bulletins.bulletin(_session(ws, "2020-07-02"), P("2020Q2"))
    assert [(t.task, t.red_raised) for t in b.tasks if t.task == "E1"] == [("E1", 3)]


def test_award_ranks_and_the_no_card_warning() -> None:
    doc = {
        "units": [{"unit": "a", "rank": 2, "score": 88.5}, {"unit": "b", "rank": 1, "score": 91}]
    }
    assert award_ranks(doc) == {"a": (2, 8850), "b": (1, 9100)}
    days = [date(2020, 2, 29), date(2020, 3, 31), date(2020, 4, 30)]
    assert cardless_warnings(days, date(2020, 3, 2)) == [
        Msg("rank.warn_no_cards", day="2020-04-30")
    ]
    assert cardless_warnings(days[:1], date(2020, 3, 2)) == []  # before the plan begins
    assert cardless_warnings(days, None) == []


class _Source:
    """A MonthSource over fixed facts, every month without a recorded card."""

    def __init__(self, facts: Sequence[TaskFacts]) -> None:
        self.facts = facts
        self.cardless: list[date] = []
        self.read: list[str] = []

    def __call__(self, month: Period, end: date, /) -> Sequence[TaskFacts]:
        self.read.append(month.key)
        self.cardless.append(end)
        return self.facts


def test_live_result_compares_with_what_it_can(shared: Path) -> None:
    cfg = _session(shared, "2020-07-01").config
    rules, names = cfg.rules.ranking, {"jianshe": "建设局"}
    facts = [TaskFacts("A", "任务A", "jianshe", date(2020, 5, 20), done_on=date(2020, 5, 10))]
    may, today = P("2020-05"), date(2020, 6, 1)

    src = _Source(facts)
    r = live_result(may, today, src, rules, [], names, "测试区", begins=date(2020, 3, 2))
    assert src.read == ["2020-05", "2020-04"]  # April scored for the change column
    assert r.previous == "2020-04" and not r.previous_frozen
    # Only May's missing cards are warned about (April is read after).
    assert r.warnings == (Msg("rank.warn_no_cards", day="2020-05-31"),)

    src = _Source(facts)
    r = live_result(may, today, src, rules, [], names, "测试区", begins=date(2020, 5, 1))
    assert src.read == ["2020-05"] and r.previous is None  # April is before the plan

    src = _Source(facts)
    frozen_april = {"units": [{"unit": "jianshe", "rank": 3, "score": 80}]}
    r = live_result(
        may,
        today,
        src,
        rules,
        [],
        names,
        "测试区",
        begins=date(2020, 3, 2),
        previous_award=frozen_april,
    )
    assert src.read == ["2020-05"] and r.previous == "2020-04" and r.previous_frozen
    assert r.rows[0].rank == 1 and r.rows[0].change == 2  # from 3rd to 1st

    with pytest.raises(GaoxinError) as e:
        live_result(may, date(2020, 4, 30), src, rules, [], names, "测试区", begins=None)
    assert e.value.msg.key == "error.period_not_begun"
