"""反馈 cadence (missed reports) and the countdowns, against hand-worked dates."""

from __future__ import annotations

from datetime import date

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import TaskState
from gaoxin_cli.rules import countdown
from gaoxin_cli.rules.reports import last_deadline, missed_report

D = date.fromisoformat
CAL = WorkCalendar()


def task(**kw: object) -> Task:
    base: dict[str, object] = {
        "id": "T-1",
        "title": "任务",
        "lead": "u",
        "measures": ["做"],
        "due": "2020-12-31",
    }
    base.update(kw)
    return to_record(spec.TaskSpec.model_validate(base))


def test_weekly_deadline_is_the_last_friday_before_today() -> None:
    rules = to_record(spec.FeedbackRulesSpec())
    # Wed 2020-06-10 → the deadline was Fri 6/5; its period is Sat 5/30 … Fri 6/5
    assert last_deadline("weekly", rules, D("2020-06-10")) == (D("2020-06-05"), D("2020-05-30"))
    # on a Friday the week's report is not late yet: the deadline is last Friday
    assert last_deadline("weekly", rules, D("2020-06-05"))[0] == D("2020-05-29")
    assert last_deadline("weekly", rules, D("2020-06-06"))[0] == D("2020-06-05")


def test_monthly_and_biweekly_deadlines() -> None:
    rules = to_record(spec.FeedbackRulesSpec(monthly_day=25))
    assert last_deadline("monthly", rules, D("2020-06-26")) == (D("2020-06-25"), D("2020-05-26"))
    assert last_deadline("monthly", rules, D("2020-01-10")) == (D("2019-12-25"), D("2019-11-26"))
    deadline, start = last_deadline(
        "biweekly", to_record(spec.FeedbackRulesSpec()), D("2020-06-10")
    )
    assert deadline.isocalendar().week % 2 == 0 and deadline.isoweekday() == 5
    assert (deadline - start).days == 13


def test_missed_report() -> None:
    t = task(start="2020-03-02")
    rules = to_record(spec.FeedbackRulesSpec())
    today = D("2020-06-10")
    assert missed_report(t, TaskState(), today, "weekly", rules) == D("2020-06-05")
    on_time = TaskState(progress=30, last_report=D("2020-06-04"))
    assert missed_report(t, on_time, today, "weekly", rules) is None
    late = TaskState(progress=30, last_report=D("2020-05-29"))
    assert missed_report(t, late, today, "weekly", rules) == D("2020-06-05")
    # not yet in its window, or done: nothing is owed
    assert missed_report(task(start="2020-07-01"), TaskState(), today, "weekly", rules) is None
    assert missed_report(t, TaskState(progress=100), today, "weekly", rules) is None


def test_start_countdown_in_working_days_with_calendar_days_alongside() -> None:
    a = task(id="A", start="2020-06-29")  # Mon after the Dragon Boat holiday
    b = task(id="B", start="2020-06-01")  # already missed
    c = task(id="C", start="2020-06-15")
    started = task(id="S", start="2020-06-20")
    states = {"S": TaskState(started=D("2020-06-19"))}
    rows = countdown.starts([a, b, c, started], states, D("2020-06-22"), CAL)
    assert [r.task.id for r in rows] == ["B", "C", "A"]
    # 6/22 → 6/29: 6/23, 6/24, 6/28 (Sun, make-up day), 6/29 = 4 WD; 7 calendar days
    assert (rows[2].workdays, rows[2].days, rows[2].missed) == (4, 7, False)
    assert rows[0].missed and rows[0].workdays < 0


def test_milestones_within_n_working_days() -> None:
    t = task(
        milestones=[
            {"name": "甲", "due": "2020-06-24"},
            {"name": "乙", "due": "2020-06-30"},
            {"name": "丙", "due": "2020-06-19"},
        ]
    )
    rows = countdown.milestones_within([t], {}, D("2020-06-22"), CAL, 2)
    assert [r.milestone for r in rows] == ["甲"]  # 2 WD: 6/23, 6/24
    done = {"T-1": TaskState(milestones_done={"甲": D("2020-06-23")})}
    assert countdown.milestones_within([t], done, D("2020-06-22"), CAL, 2) == []
