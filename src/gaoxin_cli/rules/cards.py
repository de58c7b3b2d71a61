"""Warning cards (红黄蓝牌) for tasks: research/domain.md §4.2 with the config thresholds.

L0 none · L1 blue: due within N WD · L2 yellow: 1–5 WD overdue, lag ≥ 10 pp, or the planned
start passed without a start · L3 red: > 5 WD overdue, lag > 30 pp, or not started N months
after the planned start · L4 accountability: a red card whose notice went unanswered past
its response deadline (N WD after the card turned red).

A card is recomputed from the plan and history each day, so it falls as soon as its cause
is gone; ``gaoxin sweep`` records every change as an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import CardRules, Task
from gaoxin_cli.models.state import Card, Level, TaskState
from gaoxin_cli.rules.progress import planned_progress


@dataclass(frozen=True, slots=True)
class Assessment:
    """A task's card with the numbers behind it (for sorting and the dashboard)."""

    card: Card
    planned: float  # 序时进度, percent
    lag: float  # percentage points behind plan (≥ 0)
    overdue_wd: int  # working days past due (0 when not late)
    left_wd: int | None  # working days left until due (None once past due)
    red_since: date | None = None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def assess(
    task: Task,
    state: TaskState,
    today: date,
    calendar: WorkCalendar,
    rules: CardRules,
    *,
    due: date | None = None,
    red_notice_due: date | None = None,
) -> Assessment:
    """The card *task* carries on *today*. *due* overrides the plan's date (extensions).

    *red_notice_due* is the response deadline of the task's real 督办单 (red notice): when
    given, a red task is L4 iff *today* is after it. Without it, the deadline is estimated
    as N WD after the day the card turned red.
    """
    due = due or task.due
    planned = planned_progress(task, today, due)
    behind = max(0.0, planned - state.progress)
    if state.done:
        return Assessment(Card(Level.NONE), planned, 0.0, 0, None)
    found: list[tuple[int, Msg]] = []
    overdue = 0
    left: int | None = None
    if today > due:
        overdue = calendar.workdays_between(due, today)
        if overdue > rules.red_overdue_wd:
            found.append((Level.RED, Msg("card.overdue", wd=overdue, due=due.isoformat())))
        elif overdue >= rules.yellow_overdue_wd:
            found.append((Level.YELLOW, Msg("card.overdue", wd=overdue, due=due.isoformat())))
        else:
            found.append((Level.BLUE, Msg("card.due_passed", due=due.isoformat())))
    else:
        left = calendar.workdays_between(today, due)
        if left <= rules.blue_within_wd:
            key = "card.due_today" if left == 0 else "card.due_soon"
            found.append((Level.BLUE, Msg(key, wd=left, due=due.isoformat())))
    if behind > rules.red_lag_pp:
        found.append((Level.RED, Msg("card.lag", pp=round(behind), planned=round(planned))))
    elif behind >= rules.yellow_lag_pp:
        found.append((Level.YELLOW, Msg("card.lag", pp=round(behind), planned=round(planned))))
    if task.start is not None and state.started is None and today > task.start:
        months = rules.red_not_started_months
        if today >= add_months(task.start, months):
            msg = Msg("card.not_started_long", m=task.start.month, d=task.start.day, months=months)
            found.append((Level.RED, msg))
        else:
            msg = Msg("card.not_started", m=task.start.month, d=task.start.day)
            found.append((Level.YELLOW, msg))
    level = max((lvl for lvl, _ in found), default=Level.NONE)
    reasons = [m for lvl, m in sorted(found, key=lambda f: -f[0])]
    red_since = None
    if level == Level.RED:
        red_since = _red_since(state, due, overdue, calendar, rules, today)
        if red_notice_due is not None:
            deadline = red_notice_due
        else:
            deadline = calendar.add_workdays(red_since, rules.accountability_response_wd)
        if today > deadline:
            level = Level.ACCOUNTABILITY
            reasons.insert(
                0,
                Msg(
                    "card.accountability",
                    since=red_since.isoformat(),
                    deadline=deadline.isoformat(),
                ),
            )
    return Assessment(Card(level, tuple(reasons)), planned, behind, overdue, left, red_since)


def _red_since(
    state: TaskState,
    due: date,
    overdue: int,
    calendar: WorkCalendar,
    rules: CardRules,
    today: date,
) -> date:
    """The day the task turned red: from recorded card history when sweep has run,
    else, for lateness, the first day it was more than N WD late."""
    if state.card_level is not None and state.card_level >= Level.RED and state.card_since:
        return state.card_since
    if overdue > rules.red_overdue_wd:
        return calendar.add_workdays(due, rules.red_overdue_wd + 1)
    return today


def severity_key(a: Assessment) -> tuple[float, ...]:
    """Most urgent first: level, then working days late, then lag."""
    return (-a.card.level, -a.overdue_wd, -a.lag)
