"""序时进度 (planned progress) and lag, research/domain.md §1 and DESIGN.md "Rules"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gaoxin_cli.models import Task


def window_start(task: Task) -> date:
    """When the task's clock starts: its planned start, else 1 January of its due year."""
    return task.start or date(task.due.year, 1, 1)


def first_window(tasks: Iterable[Task]) -> date | None:
    """The day the earliest task's clock starts (the plan begins), None without tasks."""
    return min((window_start(task) for task in tasks), default=None)


def planned_progress(task: Task, today: date, due: date | None = None) -> float:
    """Percent of the task that should be done by *today*.

    With weighted milestones: the weights of milestones due by today (100 once the task
    is due). Otherwise linear in calendar days from the window start to the due date.
    *due* overrides the plan's date (an approved extension stretches the window).
    """
    due = due or task.due
    if today >= due:
        return 100.0
    milestones = task.milestones
    if milestones:
        done = 0.0
        for m in milestones:
            weight = m.weight
            if weight is None:
                break  # not every milestone weighted: linear
            if m.due <= today:
                done += weight
        else:
            return float(done)
    start = task.start or date(task.due.year, 1, 1)  # window_start(task)
    if today <= start or due <= start:
        return 0.0
    return 100.0 * (today - start).days / (due - start).days


def lag(task: Task, reported: float, today: date) -> float:
    """Planned minus reported progress, in percentage points (never negative)."""
    return max(0.0, planned_progress(task, today) - reported)
