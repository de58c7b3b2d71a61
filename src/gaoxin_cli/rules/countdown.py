"""开工倒计时 (start countdown), deadlines and milestones coming up, in working days."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Task
from gaoxin_cli.models.state import TaskState

_EMPTY = TaskState()


class Countdown(NamedTuple):
    task: Task
    target: date
    workdays: int  # working days from today to target; negative once it has passed
    days: int  # calendar days, likewise
    milestone: str | None = None

    @property
    def missed(self) -> bool:
        """The target day has passed."""
        return self.days < 0


class _Rows:
    """Countdown rows for one day: the working days to each target date counted once
    (thousands of tasks share a few hundred dates), sorted soonest first, then by id."""

    __slots__ = ("_cal", "_counts", "_rows", "_today")

    def __init__(self, today: date, cal: WorkCalendar) -> None:
        self._today = today
        self._cal = cal
        self._counts: dict[date, tuple[int, int]] = {}
        self._rows: list[tuple[int, str, int, Countdown]] = []

    def add(self, task: Task, target: date, milestone: str | None = None) -> None:
        counts = self._counts.get(target)
        if counts is None:
            today = self._today
            counts = self._counts[target] = (
                self._cal.workdays_between(today, target),
                (target - today).days,
            )
        workdays, days = counts
        row = Countdown(task, target, workdays, days, milestone)
        self._rows.append((workdays, task.id, len(self._rows), row))

    def sorted(self) -> list[Countdown]:
        self._rows.sort()  # (workdays, id), then the order found: a stable sort
        return [r[-1] for r in self._rows]


def starts(
    tasks: Iterable[Task], states: Mapping[str, TaskState], today: date, cal: WorkCalendar
) -> list[Countdown]:
    """Projects with a planned start that have not started, soonest (or most missed) first."""
    rows = _Rows(today, cal)
    state_of = states.get
    for t in tasks:
        if t.start is None:
            continue
        st = state_of(t.id, _EMPTY)
        if st.started is None and not st.done:
            rows.add(t, t.start)
    return rows.sorted()


def deadlines(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    today: date,
    cal: WorkCalendar,
    dues: Mapping[str, date] | None = None,
) -> list[Countdown]:
    """Open tasks by working days to their due date (extended dates in *dues*)."""
    dues = dues or {}
    rows = _Rows(today, cal)
    state_of = states.get
    for t in tasks:
        if not state_of(t.id, _EMPTY).done:
            rows.add(t, dues.get(t.id, t.due) if dues else t.due)
    return rows.sorted()


def milestones_within(
    tasks: Iterable[Task], states: Mapping[str, TaskState], today: date, cal: WorkCalendar, n: int
) -> list[Countdown]:
    """Milestones not yet reached that fall due from today to *n* working days ahead."""
    horizon = cal.add_workdays(today, n)
    rows = _Rows(today, cal)
    state_of = states.get
    for t in tasks:
        st = state_of(t.id, _EMPTY)
        if st.done:
            continue
        for m in t.milestones:
            if today <= m.due <= horizon and m.name not in st.milestones_done:
                rows.add(t, m.due, m.name)
    return rows.sorted()
