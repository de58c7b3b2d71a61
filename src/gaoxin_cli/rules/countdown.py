"""开工倒计时 (start countdown), deadlines and milestones coming up, in working days."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Task
from gaoxin_cli.models.state import TaskState

_EMPTY = TaskState()


@dataclass(frozen=True, slots=True)
class Countdown:
    task: Task
    target: date
    workdays: int  # working days from today to target; negative once it has passed
    days: int  # calendar days, likewise
    milestone: str | None = None

    @property
    def missed(self) -> bool:
        """The target day has passed."""
        return self.days < 0


def _row(
    task: Task, target: date, today: date, cal: WorkCalendar, milestone: str | None = None
) -> Countdown:
    return Countdown(
        task, target, cal.workdays_between(today, target), (target - today).days, milestone
    )


def starts(
    tasks: Iterable[Task], states: Mapping[str, TaskState], today: date, cal: WorkCalendar
) -> list[Countdown]:
    """Projects with a planned start that have not started, soonest (or most missed) first."""
    rows = [
        _row(t, t.start, today, cal)
        for t in tasks
        if t.start is not None
        and states.get(t.id, _EMPTY).started is None
        and not states.get(t.id, _EMPTY).done
    ]
    return sorted(rows, key=lambda r: (r.workdays, r.task.id))


def deadlines(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    today: date,
    cal: WorkCalendar,
    dues: Mapping[str, date] | None = None,
) -> list[Countdown]:
    """Open tasks by working days to their due date (extended dates in *dues*)."""
    dues = dues or {}
    rows = [
        _row(t, dues.get(t.id, t.due), today, cal)
        for t in tasks
        if not states.get(t.id, _EMPTY).done
    ]
    return sorted(rows, key=lambda r: (r.workdays, r.task.id))


def milestones_within(
    tasks: Iterable[Task], states: Mapping[str, TaskState], today: date, cal: WorkCalendar, n: int
) -> list[Countdown]:
    """Milestones not yet reached that fall due from today to *n* working days ahead."""
    horizon = cal.add_workdays(today, n)
    rows = []
    for t in tasks:
        st = states.get(t.id, _EMPTY)
        if st.done:
            continue
        for m in t.milestones:
            if m.name not in st.milestones_done and today <= m.due <= horizon:
                rows.append(_row(t, m.due, today, cal, m.name))
    return sorted(rows, key=lambda r: (r.workdays, r.task.id))
