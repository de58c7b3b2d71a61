"""反馈 cadence: when a report was due and whether it came (DESIGN.md "反馈 cadence").

Weekly reports are due by the configured weekday (Friday by default); biweekly ones on
that weekday of even ISO weeks; monthly ones on the configured day of the month. A report
is missed when the latest deadline before today passed with no report in its period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from gaoxin_cli.models import Cadence, Config, FeedbackRules, Task
from gaoxin_cli.models.state import TaskState
from gaoxin_cli.rules.progress import window_start


def cadence_of(task: Task, config: Config) -> Cadence:
    unit = config.units.get(task.lead)
    return task.cadence or (unit.cadence if unit else None) or config.rules.feedback.cadence


def last_deadline(cadence: Cadence, rules: FeedbackRules, today: date) -> tuple[date, date]:
    """The latest reporting deadline strictly before *today*, and the start of its period."""
    if cadence == "monthly":
        day = rules.monthly_day
        this = date(today.year, today.month, day)
        deadline = this if this < today else _month_back(this)
        return deadline, _month_back(deadline) + timedelta(days=1)
    back = (today.isoweekday() - rules.weekday) % 7 or 7
    deadline = today - timedelta(days=back)
    if cadence == "biweekly":
        if deadline.isocalendar().week % 2:
            deadline -= timedelta(days=7)
        return deadline, deadline - timedelta(days=13)
    return deadline, deadline - timedelta(days=6)


CADENCES: tuple[Cadence, ...] = ("weekly", "biweekly", "monthly")


def deadlines_between(
    rules: FeedbackRules, start: date, last: date, end: date
) -> dict[str, list[tuple[date, date]]]:
    """Per cadence, the reporting deadlines from *start* to *end*, oldest first, each with
    the start of its period (what a report must fall in to meet it).

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
            deadline, since = last_deadline(cadence, rules, day)
            if deadline < start:
                break
            found.append((deadline, since))
            day = deadline
        out[cadence] = found[::-1]
    return out


def reporting_windows(tasks: Iterable[Task], config: Config) -> list[tuple[str, date, date, str]]:
    """Per task: (id, first day it reports for, due, cadence)."""
    return [(task.id, window_start(task), task.due, cadence_of(task, config)) for task in tasks]


def _month_back(day: date) -> date:
    return (
        date(day.year - 1, 12, day.day)
        if day.month == 1
        else date(day.year, day.month - 1, day.day)
    )


def missed_report(
    task: Task, state: TaskState, today: date, cadence: Cadence, rules: FeedbackRules
) -> date | None:
    """The deadline of a missed report, or None when reporting is up to date."""
    if state.done:
        return None
    deadline, period_start = last_deadline(cadence, rules, today)
    if deadline < window_start(task) or deadline > task.due:
        return None
    if state.last_report is not None and state.last_report >= period_start:
        return None
    return deadline


def missed_reports(config: Config, today: date) -> Callable[[Task, TaskState], date | None]:
    """``missed_report(task, state, today, cadence_of(task, config), …)`` for many tasks
    on one day: each unit's cadence and each cadence's deadline are looked up once."""
    rules = config.rules.feedback
    default = rules.cadence
    by_unit = {uid: u.cadence or default for uid, u in config.units.items()}
    periods: dict[str, tuple[date, date]] = {}

    def missed(task: Task, state: TaskState) -> date | None:
        if state.done:
            return None
        cadence = task.cadence or by_unit.get(task.lead, default)
        period = periods.get(cadence)
        if period is None:
            period = periods[cadence] = last_deadline(cadence, rules, today)
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
