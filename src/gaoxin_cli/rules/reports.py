"""反馈 cadence: when a report was due and whether it came (DESIGN.md "反馈 cadence").

Weekly reports are due by the configured weekday (Friday by default); biweekly ones on
that weekday of even ISO weeks; monthly ones on the configured day of the month. These
are the *regular* days. A regular day that is a rest day moves to the next working day
(遇节假日顺延, ``rules.feedback.on_rest_day: next``, the default) or to the previous one
(``previous``), by the session's :class:`~gaoxin_cli.calendar.WorkCalendar`; regular
days that move onto the same working day are one deadline. A make-up working day
(调休上班) is a working day a deadline may move to, never a deadline of its own.

A report meets a deadline when it is dated from the start of the deadline's period to
the deadline. The period starts the day after the previous deadline — the earlier of that
deadline's regular and moved days, so that no day between two deadlines belongs to
neither. A report is missed when the latest deadline before today passed with no report
in its period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Cadence, Config, FeedbackRules, Task
from gaoxin_cli.models.state import DONE_AT, TaskState
from gaoxin_cli.rules.progress import window_start

_DAY = timedelta(days=1)


def cadence_of(task: Task, config: Config) -> Cadence:
    unit = config.units.get(task.lead)
    return task.cadence or (unit.cadence if unit else None) or config.rules.feedback.cadence


def cadences(config: Config) -> Callable[[Task], Cadence]:
    """:func:`cadence_of` for many tasks: each unit's cadence looked up once."""
    default = config.rules.feedback.cadence
    by_unit = {uid: u.cadence or default for uid, u in config.units.items()}

    def of(task: Task) -> Cadence:
        return task.cadence or by_unit.get(task.lead, default)

    return of


def regular_before(cadence: Cadence, rules: FeedbackRules, day: date) -> date:
    """The latest regular reporting day (before any move off a rest day) before *day*."""
    if cadence == "monthly":
        this = date(day.year, day.month, rules.monthly_day)
        return this if this < day else _month_back(this)
    back = (day.isoweekday() - rules.weekday) % 7 or 7
    deadline = day - timedelta(days=back)
    if cadence == "biweekly" and deadline.isocalendar().week % 2:
        deadline -= timedelta(days=7)
    return deadline


def _regular_after(cadence: Cadence, rules: FeedbackRules, day: date) -> date:
    """The first regular reporting day after *day*."""
    if cadence == "monthly":
        this = date(day.year, day.month, rules.monthly_day)
        if this > day:
            return this
        return (
            date(day.year + 1, 1, this.day)
            if day.month == 12
            else this.replace(month=day.month + 1)
        )
    ahead = (rules.weekday - day.isoweekday()) % 7 or 7
    deadline = day + timedelta(days=ahead)
    while cadence == "biweekly" and deadline.isocalendar().week % 2:
        deadline += timedelta(days=7)
    return deadline


def moved(day: date, rules: FeedbackRules, calendar: WorkCalendar) -> date:
    """*day* itself when it is a working day, else the next working day after it (or, with
    ``on_rest_day: previous``, the last one before it)."""
    if calendar.is_workday(day):
        return day
    if rules.on_rest_day == "previous":
        return calendar.add_workdays(day, -1)
    return calendar.add_workdays(day, 1)


def last_deadline(
    cadence: Cadence, rules: FeedbackRules, today: date, calendar: WorkCalendar
) -> tuple[date, date]:
    """The latest reporting deadline strictly before *today* (moved off a rest day), and
    the start of its period."""
    regular = regular_before(cadence, rules, today)
    if rules.on_rest_day == "previous":
        # A regular day on or after today may have moved back before it.
        while moved(after := _regular_after(cadence, rules, regular), rules, calendar) < today:
            regular = after
    deadline = moved(regular, rules, calendar)
    while deadline >= today:  # moved forward onto or past today: not yet due
        regular = regular_before(cadence, rules, regular)
        deadline = moved(regular, rules, calendar)
    # Regular days that moved onto the same day are one deadline with one period.
    earlier = regular_before(cadence, rules, regular)
    while (previous := moved(earlier, rules, calendar)) == deadline:
        earlier = regular_before(cadence, rules, earlier)
    return deadline, min(earlier, previous) + _DAY


def next_deadline(
    cadence: Cadence, rules: FeedbackRules, today: date, calendar: WorkCalendar
) -> date:
    """The first reporting deadline on or after *today* (moved off a rest day): the
    next report a task of this cadence owes. A deadline falling on *today* is still
    open (its report may come today)."""
    regular = regular_before(cadence, rules, today)
    while (deadline := moved(regular, rules, calendar)) < today:
        regular = _regular_after(cadence, rules, regular)
    return deadline


def next_reports(
    config: Config, today: date, calendar: WorkCalendar
) -> Callable[[Task, TaskState, date | None], date | None]:
    """Per task, the deadline of the next report it owes (on or after *today*), or None
    when it owes none: finished, or due (*due*: an approved extension's date, else the
    plan's) before that deadline. Each cadence's deadline is worked out once."""
    rules = config.rules.feedback
    cadence_of_task = cadences(config)
    found: dict[str, date] = {}

    def upcoming(task: Task, state: TaskState, due: date | None = None) -> date | None:
        if state.done:
            return None
        cadence = cadence_of_task(task)
        deadline = found.get(cadence)
        if deadline is None:
            deadline = found[cadence] = next_deadline(cadence, rules, today, calendar)
        return None if deadline > (due or task.due) else deadline

    return upcoming


CADENCES: tuple[Cadence, ...] = ("weekly", "biweekly", "monthly")


def deadlines_between(
    rules: FeedbackRules, start: date, last: date, end: date, calendar: WorkCalendar
) -> dict[str, list[tuple[date, date]]]:
    """Per cadence, the reporting deadlines (moved off rest days) from *start* to *end*,
    oldest first, each with the start of its period (what a report must fall in to meet
    it).

    *last* is the last day of the span being scored (a month's), *end* the last day
    counted: *last* once the span is over, "today" while it runs. While it runs a
    deadline falling on *end* is not yet due (its report may still come today).
    """
    first = end + timedelta(days=1) if end >= last else end
    out: dict[str, list[tuple[date, date]]] = {}
    for cadence in CADENCES:
        found: list[tuple[date, date]] = []
        day = first
        while True:
            deadline, since = last_deadline(cadence, rules, day, calendar)
            if deadline < start:
                break
            found.append((deadline, since))
            day = deadline
        out[cadence] = found[::-1]
    return out


def reporting_windows(tasks: Iterable[Task], config: Config) -> list[tuple[str, date, date, str]]:
    """Per task: (id, first day it reports for, due, cadence)."""
    of = cadences(config)
    return [(task.id, window_start(task), task.due, of(task)) for task in tasks]


def _month_back(day: date) -> date:
    return (
        date(day.year - 1, 12, day.day)
        if day.month == 1
        else date(day.year, day.month - 1, day.day)
    )


def missed_report(
    task: Task,
    state: TaskState,
    today: date,
    cadence: Cadence,
    rules: FeedbackRules,
    calendar: WorkCalendar,
) -> date | None:
    """The deadline of a missed report, or None when reporting is up to date."""
    if state.done:
        return None
    deadline, period_start = last_deadline(cadence, rules, today, calendar)
    if deadline < window_start(task) or deadline > task.due:
        return None
    if state.last_report is not None and state.last_report >= period_start:
        return None
    return deadline


def missed_reports(
    config: Config, today: date, calendar: WorkCalendar
) -> Callable[[Task, TaskState], date | None]:
    """``missed_report(task, state, today, cadence_of(task, config), …)`` for many tasks
    on one day: each unit's cadence and each cadence's deadline are looked up once."""
    rules = config.rules.feedback
    cadence_of_task = cadences(config)
    periods: dict[str, tuple[date, date]] = {}

    def missed(task: Task, state: TaskState) -> date | None:
        if state.progress >= DONE_AT:  # state.done
            return None
        cadence = cadence_of_task(task)
        period = periods.get(cadence)
        if period is None:
            period = periods[cadence] = last_deadline(cadence, rules, today, calendar)
        deadline, period_start = period
        start = task.start
        if start is None:
            start = date(task.due.year, 1, 1)  # window_start(task)
        if deadline < start or deadline > task.due:
            return None
        last = state.last_report
        if last is not None and last >= period_start:
            return None
        return deadline

    return missed
