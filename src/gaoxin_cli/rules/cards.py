"""Warning cards (红黄蓝牌) for tasks: research/domain.md §4.2 with the config thresholds.

L0 none · L1 blue: due within N WD · L2 yellow: 1–5 WD overdue, lag ≥ 10 pp, or the planned
start passed without a start · L3 red: > 5 WD overdue, lag > 30 pp, or not started N months
after the planned start · L4 accountability: a red card whose real 督办单 (red notice, filed
by ``gaoxin notify``) is past its reply deadline. Nothing here estimates that deadline: a
task that was never sent a 督办单 is red, not L4, however long it has been red.

A card is recomputed from the plan and history each day, so it falls as soon as its cause
is gone; ``gaoxin sweep`` records every change as an event.
"""

from datetime import date
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import CardRules, Task
from gaoxin_cli.models.state import DONE_AT, Card, Level, TaskState
from gaoxin_cli.rules.progress import planned_progress
from gaoxin_cli.rules.signing import Unsigned, unsigned_reason

_RED, _YELLOW, _BLUE = Level.RED, Level.YELLOW, Level.BLUE
NO_CARD = Card(Level.NONE)
_LEVEL = itemgetter(0)
# A task without a 督办单 has no red-notice deadline: it cannot reach L4 on the ladder.
# (Defined here, not in rules/ladder.py, so that ``status`` reads the deadlines without
# importing the ladder.)
NO_RED_NOTICE = date.max


class Assessment(NamedTuple):
    """A task's card with the numbers behind it (for sorting and the dashboard).

    A named tuple rather than a dataclass: one is made per task on every dashboard,
    ladder and sweep, and a tuple is made several times faster than a frozen dataclass.
    """

    card: Card
    planned: float  # 序时进度, percent
    lag: float  # percentage points behind plan (≥ 0)
    overdue_wd: int  # working days past due (0 when not late)
    left_wd: int | None  # working days left until due (None once past due)
    red_since: date | None = None


# A finished task on or after its due date (immutable: one serves every such task).
PAST_DUE = Assessment(NO_CARD, 100.0, 0.0, 0, None)
# Assessment(...) and Card(...) with every field given, without their Python __new__
# (one or two per open task of every dashboard, ladder and sweep).
_assessment = partial(tuple.__new__, Assessment)
_card = partial(tuple.__new__, Card)


def no_card(task: Task, today: date, due: date) -> Assessment:
    """The assessment of a task that is finished (100 %, or done, closed or cancelled):
    no card, whatever the numbers say; the planned progress still counts."""
    if today >= due:
        return PAST_DUE
    return _assessment((NO_CARD, planned_progress(task, today, due), 0.0, 0, None, None))


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
    unsigned: Unsigned | None = None,
) -> Assessment:
    """The card *task* carries on *today*. *due* overrides the plan's date (extensions).

    *red_notice_due* is the reply deadline of the task's filed 督办单 (red notice): a red
    task is L4 iff *today* is after it. None (or ``date.max``): no 督办单 was filed, and
    the task cannot be L4. *unsigned*: its notices still unsigned past their reply
    deadline (``rules.signing.overdue_unsigned``), a reason for at least a blue card.
    """
    return CardClock(today, calendar, rules).assess(
        task, state, due or task.due, red_notice_due, unsigned
    )


class CardClock:
    """:func:`assess` for many tasks on one day.

    The thresholds are read once, and what depends only on a date — the working days to
    or past a due date and the reason that states them, the day a late task turned red,
    a planned start's "N months later" — is worked out once per date
    and shared: thousands of tasks fall due on a few hundred days. The reasons
    (:class:`Msg`) are values, so tasks may share one.
    """

    __slots__ = (
        "_accountable",
        "_calendar",
        "_lag",
        "_late",
        "_red_lag",
        "_red_since",
        "_rules",
        "_starts",
        "_today",
        "_yellow_lag",
    )

    def __init__(self, today: date, calendar: WorkCalendar, rules: CardRules) -> None:
        self._today = today
        self._calendar = calendar
        self._rules = rules
        self._red_lag = rules.red_lag_pp
        self._yellow_lag = rules.yellow_lag_pp
        # due date → (WD overdue, WD left, level, reason) as of today
        self._late: dict[date, tuple[int, int | None, int, Msg | None]] = {}
        self._red_since: dict[date, date] = {}  # due → the day lateness turned red
        self._lag: dict[tuple[int, int], Msg] = {}
        self._starts: dict[date, tuple[int, Msg]] = {}  # planned start → level, reason
        self._accountable: dict[tuple[date, date], Msg] = {}

    def assess(
        self,
        task: Task,
        state: TaskState,
        due: date,
        red_notice_due: date | None,
        unsigned: Unsigned | None = None,
    ) -> Assessment:
        """The card of *task* with *due* the date that drives it (see :func:`assess`)."""
        today = self._today
        if state.progress >= DONE_AT:  # state.done
            return no_card(task, today, due)
        planned = planned_progress(task, today, due)
        behind = planned - state.progress
        if not behind > 0.0:  # max(0.0, behind)
            behind = 0.0
        late = self._late.get(due)
        if late is None:
            late = self._late[due] = self._lateness(due)
        overdue, left, level, reason = late
        lag_level = 0
        if behind > self._red_lag:
            lag_level = _RED
        elif behind >= self._yellow_lag:
            lag_level = _YELLOW
        start = task.start
        not_started = None
        if start is not None and state.started is None and today > start:
            not_started = self._not_started(start)
        if not (level or lag_level or not_started or unsigned):
            return _assessment((NO_CARD, planned, behind, overdue, left, None))
        found: list[tuple[int, Msg]] = []
        if reason is not None:
            found.append((level, reason))
        if unsigned is not None and today > unsigned.response_due:
            found.append((_BLUE, unsigned_reason(unsigned, today, self._calendar)))
            level = max(level, _BLUE)
        if not (level or lag_level or not_started):
            return _assessment((NO_CARD, planned, behind, overdue, left, None))
        if lag_level:
            found.append((lag_level, self._lag_reason(behind, planned)))
            level = max(level, lag_level)
        if not_started is not None:
            found.append(not_started)
            level = max(level, not_started[0])
        if len(found) > 1:
            found.sort(key=_LEVEL, reverse=True)  # most severe first; stable: ties keep order
        reasons = [m for _, m in found]
        red_since = None
        if level == _RED:
            red_since = self._since(state, due, overdue)
            # L4 only from a filed 督办单 whose reply deadline has passed: never estimated,
            # so status, sweep, overdue and notify see the same card whatever ran first.
            if red_notice_due is not None and today > red_notice_due:
                level = Level.ACCOUNTABILITY
                reasons.insert(0, self._accountability(red_since, red_notice_due))
        card = _card((level, tuple(reasons)))
        return _assessment((card, planned, behind, overdue, left, red_since))

    def _lateness(self, due: date) -> tuple[int, int | None, int, Msg | None]:
        today, rules = self._today, self._rules
        if today > due:
            overdue = self._calendar.workdays_between(due, today)
            if overdue > rules.red_overdue_wd:
                return overdue, None, _RED, Msg("card.overdue", wd=overdue, due=due.isoformat())
            if overdue >= rules.yellow_overdue_wd:
                msg = Msg("card.overdue", wd=overdue, due=due.isoformat())
                return overdue, None, _YELLOW, msg
            return overdue, None, _BLUE, Msg("card.due_passed", due=due.isoformat())
        left = self._calendar.workdays_between(today, due)
        if left <= rules.blue_within_wd:
            key = "card.due_today" if left == 0 else "card.due_soon"
            return 0, left, _BLUE, Msg(key, wd=left, due=due.isoformat())
        return 0, left, Level.NONE, None

    def _lag_reason(self, behind: float, planned: float) -> Msg:
        key = (round(behind), round(planned))
        msg = self._lag.get(key)
        if msg is None:
            msg = self._lag[key] = Msg("card.lag", pp=key[0], planned=key[1])
        return msg

    def _not_started(self, start: date) -> tuple[int, Msg]:
        found = self._starts.get(start)
        if found is None:
            months = self._rules.red_not_started_months
            if self._today >= add_months(start, months):
                msg = Msg("card.not_started_long", m=start.month, d=start.day, months=months)
                found = (_RED, msg)
            else:
                found = (_YELLOW, Msg("card.not_started", m=start.month, d=start.day))
            self._starts[start] = found
        return found

    def _since(self, state: TaskState, due: date, overdue: int) -> date:
        """The day the task turned red: the earlier of the recorded card history (when
        sweep has run) and, for lateness, the first day it was more than N WD late."""
        recorded = None
        if state.card_level is not None and state.card_level >= Level.RED and state.card_since:
            recorded = state.card_since
        if overdue > self._rules.red_overdue_wd:
            since = self._red_since.get(due)
            if since is None:
                since = self._red_since[due] = self._calendar.add_workdays(
                    due, self._rules.red_overdue_wd + 1
                )
            # The earlier of the two: a first sweep long after the task turned red
            # records the day it ran, not the day lateness made it red.
            return since if recorded is None or since < recorded else recorded
        return recorded or self._today

    def _accountability(self, since: date, deadline: date) -> Msg:
        msg = self._accountable.get((since, deadline))
        if msg is None:
            msg = self._accountable[since, deadline] = Msg(
                "card.accountability", since=since.isoformat(), deadline=deadline.isoformat()
            )
        return msg


def severity_key(a: Assessment) -> tuple[float, ...]:
    """Most urgent first: level, then working days late, then lag."""
    return (-a.card.level, -a.overdue_wd, -a.lag)
