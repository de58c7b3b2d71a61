"""反馈 cadence (missed reports) and the countdowns, against hand-worked dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Cadence, Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import TaskState
from gaoxin_cli.rules import countdown
from gaoxin_cli.rules.reports import (
    deadlines_between,
    last_deadline,
    missed_report,
    next_deadline,
    next_reports,
)

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
    assert last_deadline("weekly", rules, D("2020-06-10"), CAL) == (
        D("2020-06-05"),
        D("2020-05-30"),
    )
    # on a Friday the week's report is not late yet: the deadline is last Friday
    assert last_deadline("weekly", rules, D("2020-06-05"), CAL)[0] == D("2020-05-29")
    assert last_deadline("weekly", rules, D("2020-06-06"), CAL)[0] == D("2020-06-05")


def test_monthly_and_biweekly_deadlines() -> None:
    rules = to_record(spec.FeedbackRulesSpec(monthly_day=25))
    # 25 May is a Monday; 25 June (端午) moves: see test_a_deadline_on_a_rest_day_moves
    assert last_deadline("monthly", rules, D("2020-06-23"), CAL) == (
        D("2020-05-25"),
        D("2020-04-26"),
    )
    assert last_deadline("monthly", rules, D("2020-01-10"), CAL) == (
        D("2019-12-25"),
        D("2019-11-26"),
    )
    deadline, start = last_deadline(
        "biweekly", to_record(spec.FeedbackRulesSpec()), D("2020-06-10"), CAL
    )
    assert deadline.isocalendar().week % 2 == 0 and deadline.isoweekday() == 5
    assert (deadline - start).days == 13


def test_missed_report() -> None:
    t = task(start="2020-03-02")
    rules = to_record(spec.FeedbackRulesSpec())
    today = D("2020-06-10")
    assert missed_report(t, TaskState(), today, "weekly", rules, CAL) == D("2020-06-05")
    on_time = TaskState(progress=30, last_report=D("2020-06-04"))
    assert missed_report(t, on_time, today, "weekly", rules, CAL) is None
    late = TaskState(progress=30, last_report=D("2020-05-29"))
    assert missed_report(t, late, today, "weekly", rules, CAL) == D("2020-06-05")
    # not yet in its window, or done: nothing is owed
    assert missed_report(task(start="2020-07-01"), TaskState(), today, "weekly", rules, CAL) is None
    assert missed_report(t, TaskState(progress=100), today, "weekly", rules, CAL) is None


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


# --- deadlines on rest days (遇节假日顺延) -------------------------------------------------


def test_a_deadline_on_a_rest_day_moves_to_the_next_working_day() -> None:
    """Friday 2020-06-26 was 端午 (6/25–6/27 rest); Sunday 6/28 was its 调休 working day."""
    rules = to_record(spec.FeedbackRulesSpec())  # weekly by Friday; on_rest_day: next
    assert rules.on_rest_day == "next"
    # On 6/27 and on 6/28 itself the week's report is not late yet: the last deadline
    # that passed is 6/19.
    assert last_deadline("weekly", rules, D("2020-06-27"), CAL)[0] == D("2020-06-19")
    assert last_deadline("weekly", rules, D("2020-06-28"), CAL)[0] == D("2020-06-19")
    # From 6/29 on it is 6/28, for reports dated 6/20 … 6/28.
    assert last_deadline("weekly", rules, D("2020-06-29"), CAL) == (
        D("2020-06-28"),
        D("2020-06-20"),
    )
    # The next week's period still starts the day after Friday 6/26: a report on 6/28
    # meets both deadlines.
    assert last_deadline("weekly", rules, D("2020-07-04"), CAL) == (
        D("2020-07-03"),
        D("2020-06-27"),
    )
    # Monthly on the 25th: Thursday 6/25 was a rest day too.
    monthly = to_record(spec.FeedbackRulesSpec(monthly_day=25))
    assert last_deadline("monthly", monthly, D("2020-06-29"), CAL) == (
        D("2020-06-28"),
        D("2020-05-26"),
    )
    t = task(start="2020-03-02")
    nothing = TaskState(progress=10, last_report=D("2020-06-19"))
    assert missed_report(t, nothing, D("2020-06-28"), "weekly", rules, CAL) is None  # due today
    assert missed_report(t, nothing, D("2020-06-29"), "weekly", rules, CAL) == D("2020-06-28")
    sunday = TaskState(progress=10, last_report=D("2020-06-28"))
    assert missed_report(t, sunday, D("2020-06-29"), "weekly", rules, CAL) is None


def test_previous_moves_a_deadline_on_a_rest_day_back() -> None:
    rules = to_record(spec.FeedbackRulesSpec(on_rest_day="previous"))
    # Friday 6/26 → Wednesday 6/24, the last working day before 端午: late from 6/25 on.
    assert last_deadline("weekly", rules, D("2020-06-24"), CAL)[0] == D("2020-06-19")
    assert last_deadline("weekly", rules, D("2020-06-25"), CAL) == (
        D("2020-06-24"),
        D("2020-06-20"),
    )
    # The next period starts the day after the moved deadline: 6/25 … 7/3.
    assert last_deadline("weekly", rules, D("2020-07-04"), CAL) == (
        D("2020-07-03"),
        D("2020-06-25"),
    )
    t = task(start="2020-03-02")
    state = TaskState(progress=10, last_report=D("2020-06-19"))
    assert missed_report(t, state, D("2020-06-25"), "weekly", rules, CAL) == D("2020-06-24")


def test_two_fridays_of_a_long_holiday_are_one_deadline() -> None:
    """2027 is not in the holiday tables: an estimated year, with 春节 written as a rest
    range (2027-02-05 .. 2027-02-12, both Fridays)."""
    rest = [D("2027-02-05") + timedelta(days=i) for i in range(8)]
    cal = WorkCalendar(rest=rest, estimate=True)
    start, last = D("2027-02-01"), D("2027-02-28")
    weekly = deadlines_between(to_record(spec.FeedbackRulesSpec()), start, last, last, cal)
    assert weekly["weekly"] == [
        (D("2027-02-15"), D("2027-01-30")),  # 2/5 and 2/12 both move to Monday 2/15
        (D("2027-02-19"), D("2027-02-13")),
        (D("2027-02-26"), D("2027-02-20")),
    ]
    back = to_record(spec.FeedbackRulesSpec(on_rest_day="previous"))
    assert deadlines_between(back, start, last, last, cal)["weekly"] == [
        (D("2027-02-04"), D("2027-01-30")),  # both move back to Thursday 2/4
        (D("2027-02-19"), D("2027-02-05")),
        (D("2027-02-26"), D("2027-02-20")),
    ]
    assert cal.estimated == {2027}
    # On 2/16 the dashboard asks for a report since the last deadline's period began: one
    # written in the holiday (2/10) is enough either way.
    t = task(start="2027-01-04", due="2027-12-31")
    state = TaskState(progress=10, last_report=D("2027-02-10"))
    rules = to_record(spec.FeedbackRulesSpec())
    assert missed_report(t, state, D("2027-02-16"), "weekly", rules, cal) is None
    assert missed_report(t, state, D("2027-02-16"), "weekly", back, cal) is None


def test_a_make_up_working_day_is_no_deadline_of_its_own() -> None:
    """2020's 调休 working weekend days: Sunday 4/26, Saturday 5/9, Sunday 6/28, Saturday
    10/10. Weekly deadlines stay on Fridays; a Friday in a holiday moves once."""
    rules = to_record(spec.FeedbackRulesSpec())

    def fridays(first: str, last: str) -> list[date]:
        return [d for d, _ in deadlines_between(rules, D(first), D(last), D(last), CAL)["weekly"]]

    assert fridays("2020-05-01", "2020-05-31") == [
        D("2020-05-06"),  # Friday 5/1 (劳动节, 5/1–5/5) → Wednesday 5/6
        D("2020-05-08"),
        D("2020-05-15"),
        D("2020-05-22"),
        D("2020-05-29"),
    ]
    assert fridays("2020-06-01", "2020-06-30") == [
        D("2020-06-05"),
        D("2020-06-12"),
        D("2020-06-19"),
        D("2020-06-28"),  # Friday 6/26 → Sunday 6/28; no sixth deadline
    ]
    # 国庆 10/1–10/8: Friday 10/2 moves onto Friday 10/9, one deadline; Saturday 10/10
    # works, and is none.
    assert fridays("2020-10-01", "2020-10-31") == [
        D("2020-10-09"),
        D("2020-10-16"),
        D("2020-10-23"),
        D("2020-10-30"),
    ]
    # Saturday as the reporting day: a working Saturday keeps its deadline, a resting
    # one moves to Monday.
    saturdays = to_record(spec.FeedbackRulesSpec(weekday=6))
    assert last_deadline("weekly", saturdays, D("2020-05-10"), CAL)[0] == D("2020-05-09")
    assert last_deadline("weekly", saturdays, D("2020-05-19"), CAL)[0] == D("2020-05-18")


def test_the_next_report_is_due_on_the_deadline_the_week_moved_to() -> None:
    """端午 2020: Friday 6/26 was a rest day, its report due on Sunday 6/28 (调休)."""
    rules = to_record(spec.FeedbackRulesSpec())
    assert next_deadline("weekly", rules, D("2020-06-22"), CAL) == D("2020-06-28")
    assert next_deadline("weekly", rules, D("2020-06-28"), CAL) == D("2020-06-28")  # today
    assert next_deadline("weekly", rules, D("2020-06-29"), CAL) == D("2020-07-03")
    previous = to_record(spec.FeedbackRulesSpec(on_rest_day="previous"))
    assert next_deadline("weekly", previous, D("2020-06-22"), CAL) == D("2020-06-24")
    assert next_deadline("weekly", previous, D("2020-06-25"), CAL) == D("2020-07-03")
    monthly = to_record(spec.FeedbackRulesSpec(monthly_day=25))
    assert next_deadline("monthly", monthly, D("2020-12-26"), CAL) == D("2021-01-25")


@given(
    today=st.dates(date(2019, 1, 1), date(2026, 12, 31)),
    cadence=st.sampled_from(["weekly", "biweekly", "monthly"]),
    weekday=st.integers(1, 7),
    monthly_day=st.integers(1, 28),
    shift=st.sampled_from(["next", "previous"]),
)
def test_next_deadline_is_the_first_deadline_not_before_today(
    today: date, cadence: Cadence, weekday: int, monthly_day: int, shift: str
) -> None:
    """The next deadline is a deadline (the latest one before the day after it), is not
    before *today*, and no deadline lies between *today* and it."""
    rules = to_record(
        spec.FeedbackRulesSpec(weekday=weekday, monthly_day=monthly_day, on_rest_day=shift)
    )
    cal = WorkCalendar(estimate=True)  # the deadline after late 2026 is in an estimated year
    due = next_deadline(cadence, rules, today, cal)
    assert due >= today
    assert last_deadline(cadence, rules, due + timedelta(days=1), cal)[0] == due
    assert last_deadline(cadence, rules, due, cal)[0] < today


def test_next_reports_skip_finished_tasks_and_deadlines_past_the_due_date() -> None:
    person = {"name": "联络员"}
    unit = {"name": "单位", "head": person, "contact": person}
    config = to_record(
        spec.ConfigSpec.model_validate(
            {
                "org": {"name": "测试区", "office": "u"},
                "units": {"u": {**unit, "kind": "office"}, "m": {**unit, "cadence": "monthly"}},
            }
        )
    )
    upcoming = next_reports(config, D("2020-06-22"), CAL)
    open_ = TaskState(progress=10, last_report=D("2020-06-19"))
    assert upcoming(task(), open_) == D("2020-06-28")  # weekly (the default), 端午 moved
    later = next_reports(config, D("2020-06-29"), CAL)
    assert later(task(), open_) == D("2020-07-03")
    assert later(task(lead="m"), open_) == D("2020-07-27")  # the unit's: the 25th, a Saturday
    assert later(task(lead="m", cadence="biweekly"), open_) == D("2020-07-10")  # the task's
    assert upcoming(task(), TaskState(progress=100, last_report=D("2020-06-19"))) is None
    assert upcoming(task(due="2020-06-26"), open_) is None
    assert upcoming(task(due="2020-06-26"), open_, D("2020-07-31")) == D("2020-06-28")  # extended
