"""反馈 cadence: when a report was due and whether it came (DESIGN.md "反馈 cadence").

Weekly reports are due by the configured weekday (Friday by default); biweekly ones on
that weekday of even ISO weeks; monthly ones on the configured day of the month. A report
is missed when the latest deadline before today passed with no report in its period.
"""

from __future__ import annotations

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
