"""Warning cards against hand-worked cases: one per threshold edge, rest-day boundaries,
the 2020 Spring Festival extension. Working days counted by hand from the 2020 tables
(research/domain.md §6.3)."""

from __future__ import annotations

from datetime import date

import pytest

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Level, TaskState
from gaoxin_cli.rules.cards import Assessment, add_months, assess
from gaoxin_cli.rules.progress import planned_progress

D = date.fromisoformat
CAL = WorkCalendar()
RULES = to_record(spec.CardRulesSpec())


def task(**kw: object) -> Task:
    base: dict[str, object] = {
        "id": "T-1",
        "title": "测试任务",
        "lead": "jianshe",
        "measures": ["做"],
        "due": "2020-06-30",
    }
    base.update(kw)
    return to_record(spec.TaskSpec.model_validate(base))


def card(t: Task, today: str, **state: object) -> Assessment:
    """As the store derives it: a task that reported progress has started."""
    if state.get("progress") and "started" not in state:
        state["started"] = t.start or D("2020-01-02")
    return assess(t, TaskState(**state), D(today), CAL, RULES)  # type: ignore[arg-type]


def reasons(a: Assessment) -> list[str]:
    return [m.render("zh") for m in a.card.reasons]


# --- blue: due within 3 working days ---------------------------------------------------


def test_blue_exactly_three_working_days_across_the_dragon_boat_holiday() -> None:
    t = task(start="2020-03-16")
    # 6/24 Wed → due 6/30 Tue: 6/25–6/27 rest, 6/28 (Sun) works, 6/29, 6/30 = 3 WD
    a = card(t, "2020-06-24", progress=99)
    assert a.card.level == Level.BLUE
    assert reasons(a) == ["还剩 3 个工作日到期"]
    # 6/23 Tue: 6/24 + the three above = 4 WD → no card
    assert card(t, "2020-06-23", progress=99).card.level == Level.NONE


def test_blue_on_the_due_day() -> None:
    a = card(task(start="2020-03-16"), "2020-06-30", progress=99)
    assert (a.card.level, reasons(a)) == (Level.BLUE, ["今天到期"])


def test_due_passed_with_no_working_day_since_is_still_blue() -> None:
    # due Wed 6/24; Sat 6/27 is inside the holiday: 0 WD late
    a = card(task(due="2020-06-24", start="2020-03-16"), "2020-06-27", progress=99)
    assert (a.card.level, reasons(a)) == (Level.BLUE, ["已过完成时限 2020-06-24（此后尚无工作日）"])


# --- yellow / red: overdue -----------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "level", "wd"),
    [
        ("2020-07-01", Level.YELLOW, 1),
        ("2020-07-07", Level.YELLOW, 5),  # 7/1, 7/2, 7/3, 7/6, 7/7
        ("2020-07-08", Level.RED, 6),
    ],
)
def test_overdue_edges(today: str, level: int, wd: int) -> None:
    a = card(task(start="2020-03-16"), today, progress=99)
    assert a.card.level == level
    assert a.overdue_wd == wd
    assert reasons(a)[0] == f"逾期 {wd} 个工作日"


def test_spring_festival_extension_counts_no_working_days() -> None:
    t = task(due="2020-01-23")
    # 1/24–2/2 are rest days after the national extension: Mon 2/3 is the first WD late
    a = card(t, "2020-02-03", progress=100 - 1e-9)
    assert (a.card.level, a.overdue_wd) == (Level.YELLOW, 1)
    # 2/3 … 2/10 = 6 working days → red
    assert card(t, "2020-02-10", progress=99).card.level >= Level.RED
    # before the holiday, one working day (1/23 → 2/3) left: blue
    assert card(task(due="2020-02-03"), "2020-01-23", progress=99).card.level == Level.BLUE


# --- lag behind 序时进度 ---------------------------------------------------------------

LAGGING = {
    "due": "2020-09-30",
    "milestones": [
        {"name": "甲", "due": "2020-04-30", "weight": 40},
        {"name": "乙", "due": "2020-06-15", "weight": 50},
    ],
}


@pytest.mark.parametrize(
    ("progress", "level"),
    [(31, Level.NONE), (30, Level.YELLOW), (10, Level.YELLOW), (9, Level.RED)],
)
def test_lag_edges(progress: float, level: int) -> None:
    t = task(**LAGGING)
    assert planned_progress(t, D("2020-05-06")) == 40
    assert card(t, "2020-05-06", progress=progress).card.level == level


def test_lag_reason_in_words() -> None:
    a = card(task(**LAGGING), "2020-05-06", progress=5)
    assert reasons(a) == ["滞后序时进度 35 个百分点"]
    assert [m.render("en") for m in a.card.reasons] == ["35 pts behind plan"]


def test_linear_planned_progress_without_weights() -> None:
    t = task(start="2020-03-01", due="2020-03-31")
    assert planned_progress(t, D("2020-03-01")) == 0
    assert planned_progress(t, D("2020-03-16")) == pytest.approx(50)
    assert planned_progress(t, D("2020-03-31")) == 100
    # no start: the clock starts on 1 January of the due year
    assert planned_progress(task(due="2020-12-31"), D("2020-07-01")) == pytest.approx(
        100 * 182 / 365
    )


# --- not started -----------------------------------------------------------------------

NOT_STARTED = {
    "start": "2020-03-16",
    "due": "2020-12-31",
    "milestones": [{"name": "主体", "due": "2020-09-30", "weight": 60}],
}


def test_start_passed_without_start_is_yellow_then_red_after_three_months() -> None:
    t = task(**NOT_STARTED)
    assert card(t, "2020-03-16").card.level == Level.NONE  # the day itself is not late
    a = card(t, "2020-03-17")
    assert (a.card.level, reasons(a)) == (Level.YELLOW, ["计划3月16日开工，尚未开工"])
    assert add_months(D("2020-03-16"), 3) == D("2020-06-16")
    assert card(t, "2020-06-15").card.level == Level.YELLOW
    a = card(t, "2020-06-16")
    assert a.card.level >= Level.RED
    assert "计划3月16日开工，3 个月后仍未开工" in reasons(a)
    # started: no card
    assert card(t, "2020-06-16", started=D("2020-03-20")).card.level == Level.NONE


# --- accountability (L4) and done ------------------------------------------------------


def test_red_turns_to_accountability_when_the_response_deadline_passes() -> None:
    t = task(start="2020-03-16")
    state = TaskState(progress=99, started=D("2020-03-16"))
    # red from 7/8 (6th WD late); its 督办单, filed 7/8, asks for a reply by 7/13 (Mon)
    filed = D("2020-07-13")
    a = assess(t, state, D("2020-07-13"), CAL, RULES, red_notice_due=filed)
    assert (a.card.level, a.red_since) == (Level.RED, D("2020-07-08"))
    a = assess(t, state, D("2020-07-14"), CAL, RULES, red_notice_due=filed)
    assert a.card.level == Level.ACCOUNTABILITY
    assert reasons(a)[0] == "红牌督办回复期限 2020-07-13 已过"


def test_no_accountability_without_a_filed_supervise_notice() -> None:
    """The reply deadline is never estimated: red for months, no 督办单, still red."""
    t = task(start="2020-03-16")
    for day in ("2020-07-14", "2020-12-31"):
        assert card(t, day, progress=99).card.level == Level.RED
    # not even when an older sweep recorded 问责 (from the estimate gaoxin once made)
    state = {"progress": 99, "card_level": Level.ACCOUNTABILITY, "card_since": D("2020-07-14")}
    assert card(t, "2020-07-20", **state).card.level == Level.RED


def test_recorded_red_card_history_sets_the_red_date() -> None:
    t = task(**LAGGING)
    state = {"progress": 5, "card_level": Level.RED, "card_since": D("2020-05-06")}
    assert card(t, "2020-05-11", **state).red_since == D("2020-05-06")
    # 问责 still waits for the 督办单's own deadline (5/7, 5/8 and the 调休 Saturday 5/9)
    filed = TaskState(**state, started=D("2020-01-02"))  # type: ignore[arg-type]
    a = assess(t, filed, D("2020-05-09"), CAL, RULES, red_notice_due=D("2020-05-09"))
    assert a.card.level == Level.RED
    a = assess(t, filed, D("2020-05-11"), CAL, RULES, red_notice_due=D("2020-05-09"))
    assert a.card.level == Level.ACCOUNTABILITY
    assert reasons(a)[0] == "红牌督办回复期限 2020-05-09 已过"


def test_done_task_carries_no_card() -> None:
    a = card(task(start="2020-03-16"), "2020-08-31", progress=100)
    assert (a.card.level, a.card.reasons) == (Level.NONE, ())


def test_extension_moves_the_date_that_drives_the_card() -> None:
    t = task(start="2020-03-16")
    state = TaskState(progress=99, started=D("2020-03-16"))
    a = assess(t, state, D("2020-07-08"), CAL, RULES, due=D("2020-07-31"))
    assert a.card.level == Level.NONE


def test_thresholds_come_from_config() -> None:
    strict = to_record(spec.CardRulesSpec(red_overdue_wd=1))
    state = TaskState(progress=99, started=D("2020-03-16"))
    a = assess(task(start="2020-03-16"), state, D("2020-07-02"), CAL, strict)
    assert a.card.level == Level.RED
