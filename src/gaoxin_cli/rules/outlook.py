"""Looking ahead on the ladder: the next rung each task will reach and when (``overdue``),
and the listed (挂牌) tasks with their days listed (``listed``). Pure."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Level
from gaoxin_cli.rules.cards import NO_RED_NOTICE, CardClock
from gaoxin_cli.rules.ladder import (
    REPORT,
    SUPERVISE,
    Standing,
    red_notice_due,
    target_rung,
)
from gaoxin_cli.rules.signing import overdue_unsigned


def next_step(
    s: Standing, config: Config, today: date, calendar: WorkCalendar
) -> tuple[int, date] | None:
    """The next rung the task will reach and the day, if nothing is reported: today when
    the card already calls for more than has been filed, else the first working day on
    which it would.

    With nothing reported a card never falls — lateness and the lag behind 序时进度 only
    grow, a listing only starts — so the rung a day calls for never decreases with the
    day. The lateness thresholds (and the 督办单's reply deadline) give a day by which the
    rung has risen; a binary search over the working days before it finds the first.
    """
    return _Lookahead(config, today, calendar).next_step(s)


class _Lookahead:
    """:func:`next_step` for many tasks: the cards of each day looked at are worked out
    by one :class:`CardClock` per day, shared by all the tasks."""

    __slots__ = ("_calendar", "_clocks", "_config", "_today")

    def __init__(self, config: Config, today: date, calendar: WorkCalendar) -> None:
        self._config = config
        self._today = today
        self._calendar = calendar
        self._clocks: dict[date, CardClock] = {}

    def _rung_on(self, s: Standing, day: date, red_due: date) -> int:
        clock = self._clocks.get(day)
        if clock is None:
            clock = self._clocks[day] = CardClock(day, self._calendar, self._config.rules.cards)
        unsigned = overdue_unsigned(s.notices, day) if s.notices else None
        a = clock.assess(s.task, s.state, s.due, red_due, unsigned)
        return target_rung(a.card.level, s.task, self._config.rules.ladder, day)

    def next_step(self, s: Standing) -> tuple[int, date] | None:
        if not s.open:
            return None
        today, calendar = self._today, self._calendar
        if s.target > s.rung:
            return s.target, today
        if s.rung >= REPORT:
            return None
        red_due = red_notice_due(s.notices)
        if (
            s.rung == SUPERVISE
            and red_due != NO_RED_NOTICE
            and s.assessment.card.level >= Level.RED
        ):
            # red holding its 督办单: 通报 the first working day after the reply deadline
            return REPORT, max(calendar.add_workdays(red_due, 1), calendar.next_workday(today))
        cards = self._config.rules.cards
        candidates = [
            calendar.add_workdays(s.due, -cards.blue_within_wd),
            calendar.add_workdays(s.due, cards.yellow_overdue_wd),
            calendar.add_workdays(s.due, cards.red_overdue_wd + 1),
        ]
        if red_due != NO_RED_NOTICE:
            candidates.append(calendar.add_workdays(red_due, 1))
        # a notice left unsigned turns the card blue the working day after its deadline
        candidates += [
            calendar.add_workdays(n.response_due, 1)
            for n in s.notices
            if n.response_due is not None and n.signed_on is None
        ]
        bound = next(
            (c for c in sorted(candidates) if c > today and self._rung_on(s, c, red_due) > s.rung),
            None,
        )
        if bound is None:
            return None
        lo, hi = 1, calendar.workdays_between(today, bound)  # bound is the hi-th working day
        while lo < hi:
            mid = (lo + hi) // 2
            if self._rung_on(s, calendar.add_workdays(today, mid), red_due) > s.rung:
                hi = mid
            else:
                lo = mid + 1
        day = calendar.add_workdays(today, lo)
        return self._rung_on(s, day, red_due), day


class OverdueRow(NamedTuple):
    """A late or warned task for ``gaoxin overdue``."""

    standing: Standing
    next: tuple[int, date] | None  # the next rung and the day it falls due


def overdue(
    items: Iterable[Standing],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    levels: frozenset[int] = frozenset(),
) -> list[OverdueRow]:
    """Open tasks carrying a card (only *levels*, when given), in the order of *items*."""
    ahead = _Lookahead(config, today, calendar).next_step
    return [
        OverdueRow(s, ahead(s))
        for s in items
        if s.assessment.card.level > Level.NONE
        and (not levels or s.assessment.card.level in levels)
        and s.open
    ]


class ListedRow(NamedTuple):
    """A listed (挂牌督办) task: who supervises it, for how long, and whether 摘牌."""

    standing: Standing
    since: date
    by: str | None
    delisted: date | None  # the day it was done (摘牌), else None
    days: int  # calendar days listed, up to today or the delisting
    workdays: int
    today: date

    @property
    def active(self) -> bool:
        return self.delisted is None and self.since <= self.today


def listing(
    items: Iterable[Standing],
    done_on: Mapping[str, date],
    today: date,
    calendar: WorkCalendar,
) -> list[ListedRow]:
    """The listed tasks, still listed first (longest first), then the delisted."""
    out = []
    for s in items:
        lst = s.task.listed
        if lst is None:
            continue
        delisted = done_on.get(s.task.id) if s.state.done else None
        end = delisted or today
        days = max(0, (end - lst.since).days)
        wd = max(0, calendar.workdays_between(lst.since, end)) if end > lst.since else 0
        out.append(ListedRow(s, lst.since, lst.by, delisted, days, wd, today))
    out.sort(key=lambda r: (r.delisted is not None, r.since, r.standing.task.id))
    return out
