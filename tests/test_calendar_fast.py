"""The table-driven working-day arithmetic equals counting day by day.

:class:`WorkCalendar` answers from per-year tables of cumulative working-day counts.
The reference below walks the calendar one day at a time from the same inputs — the
chinesecalendar tables and the ``calendar:`` overrides of gaoxin.yaml — and says which
year is missing the way the documented rule does: every year a question touches must
have data. Dates run from 2001 to 2029, so the years on either side of the library's
data (2004–2026) and their boundaries are exercised, and a denser strategy covers the
2020 Spring Festival extended by the State Council (1/31–2/2 rest, 1/19 worked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import CalendarYearMissing
from helpers import examples

D = date.fromisoformat
ONE = timedelta(days=1)
_LIB_YEARS = {d.year for d in chinese_calendar.holidays} | {
    d.year for d in chinese_calendar.workdays
}
LIB_SPAN = (min(_LIB_YEARS), max(_LIB_YEARS))
T = TypeVar("T")
# 全国年节及纪念日放假办法 art. 2: 元旦 1/1, 劳动节 5/1–5/2, 国庆节 10/1–10/3 (written out
# here, not imported, so the reference does not share a mistake with the code).
STATUTORY = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


class Missing(Exception):
    def __init__(self, year: int) -> None:
        self.year = year


@dataclass(frozen=True)
class Reference:
    """Working days counted one day at a time."""

    rest: frozenset[date]
    work: frozenset[date]
    years: frozenset[int]
    assume: bool

    def check_year(self, year: int) -> None:
        known = year in self.years or LIB_SPAN[0] <= year <= LIB_SPAN[1]
        if not (self.assume or known):
            raise Missing(year)

    def works(self, day: date) -> bool:
        self.check_year(day.year)
        if day in self.work:
            return True
        if day in self.rest:
            return False
        if day.year not in self.years and LIB_SPAN[0] <= day.year <= LIB_SPAN[1]:
            if day in chinese_calendar.workdays:
                return True
            if day in chinese_calendar.holidays:
                return False
        elif day.year not in self.years and (day.month, day.day) in STATUTORY:
            return False  # an estimated year still rests on the fixed-date holidays
        return day.weekday() < 5

    def between(self, start: date, end: date) -> int:
        if start == end:
            return 0
        lo, hi = min(start, end), max(start, end)
        for year in range(lo.year, hi.year + 1):
            self.check_year(year)
        count = 0
        day = lo
        while day < hi:
            day += ONE
            count += self.works(day)
        return count if end > start else -count

    def add(self, day: date, n: int) -> date:
        if n == 0:
            return day
        self.check_year(day.year)
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            day += step
            left -= self.works(day)
        return day

    def next_workday(self, day: date, include: bool) -> date:
        if include and self.works(day):
            return day
        return self.add(day, 1)


def outcome(fn: Callable[[], T]) -> T | tuple[str, int]:
    """The answer, or which year was missing."""
    try:
        return fn()
    except (Missing, CalendarYearMissing) as e:
        return ("missing", e.year)


WIDE = st.dates(min_value=D("2001-01-01"), max_value=D("2029-12-31"))
DATA = st.dates(min_value=D("2004-01-01"), max_value=D("2026-12-31"))
SPRING_2020 = st.dates(min_value=D("2019-12-20"), max_value=D("2020-02-20"))
EDGES = st.sampled_from(
    [D(f"{y}-12-31") for y in (2002, 2003, 2019, 2020, 2025, 2026, 2027)]
    + [D(f"{y}-01-01") for y in (2003, 2004, 2020, 2021, 2026, 2027)]
)
DAYS = st.one_of(DATA, SPRING_2020, EDGES, WIDE)
COUNTS = st.one_of(st.integers(-30, 30), st.integers(-400, 400), st.integers(-800, 800))


@st.composite
def calendars(draw: st.DrawFn) -> tuple[WorkCalendar, Reference]:
    rest = frozenset(draw(st.lists(DAYS, max_size=12)))
    work = frozenset(draw(st.lists(DAYS, max_size=12)))
    years = frozenset(draw(st.lists(st.integers(2001, 2029), max_size=3)))
    assume = draw(st.booleans())
    return WorkCalendar(rest, work, years, assume), Reference(rest, work, years, assume)


@settings(max_examples=examples(300), deadline=None)
@given(calendars(), DAYS, DAYS)
def test_workdays_between_matches_counting(
    cals: tuple[WorkCalendar, Reference], a: date, b: date
) -> None:
    cal, ref = cals
    assert outcome(lambda: cal.workdays_between(a, b)) == outcome(lambda: ref.between(a, b))
    # the tables built on the way do not change a second answer
    assert outcome(lambda: cal.workdays_between(b, a)) == outcome(lambda: ref.between(b, a))


@settings(max_examples=examples(300), deadline=None)
@given(calendars(), DAYS, COUNTS)
def test_add_workdays_matches_stepping(
    cals: tuple[WorkCalendar, Reference], day: date, n: int
) -> None:
    cal, ref = cals
    assert outcome(lambda: cal.add_workdays(day, n)) == outcome(lambda: ref.add(day, n))


@settings(max_examples=examples(300), deadline=None)
@given(calendars(), st.lists(DAYS, min_size=1, max_size=8), st.booleans())
def test_is_and_next_workday_match(
    cals: tuple[WorkCalendar, Reference], days: list[date], include: bool
) -> None:
    cal, ref = cals
    for day in days:
        assert outcome(lambda d=day: cal.is_workday(d)) == outcome(lambda d=day: ref.works(d))
        assert outcome(lambda d=day: cal.next_workday(d, include=include)) == outcome(
            lambda d=day: ref.next_workday(d, include)
        )
        assert outcome(lambda d=day: cal.workdays_left_in_year(d)) == outcome(
            lambda d=day: ref.between(d, date(d.year, 12, 31))
        )


@settings(max_examples=examples(200), deadline=None)
@given(calendars(), st.lists(st.tuples(DAYS, COUNTS), min_size=2, max_size=10))
def test_answers_do_not_depend_on_the_order_of_questions(
    cals: tuple[WorkCalendar, Reference], questions: list[tuple[date, int]]
) -> None:
    """Years are built lazily: whatever was asked before, the answer is the same."""
    cal, ref = cals
    for day, n in questions:
        assert outcome(lambda d=day, k=n: cal.add_workdays(d, k)) == outcome(
            lambda d=day, k=n: ref.add(d, k)
        )
        other = day + timedelta(days=n)
        assert outcome(lambda d=day, e=other: cal.workdays_between(d, e)) == outcome(
            lambda d=day, e=other: ref.between(d, e)
        )


def test_spring_festival_2020_extension() -> None:
    cal, ref = WorkCalendar(), Reference(frozenset(), frozenset(), frozenset(), False)
    start = D("2020-01-10")
    for i in range(45):
        day = start + timedelta(days=i)
        assert cal.is_workday(day) == ref.works(day), day
        for n in (-12, -3, -1, 1, 2, 5, 12):
            assert cal.add_workdays(day, n) == ref.add(day, n), (day, n)
        assert cal.workdays_between(D("2020-01-17"), day) == ref.between(D("2020-01-17"), day)
    # 1/23 + 1 WD skips the extended holiday: 1/31 (Fri) and 2/1 (Sat) are rest.
    assert cal.add_workdays(D("2020-01-23"), 1) == D("2020-02-03")
    assert cal.workdays_between(D("2020-01-23"), D("2020-02-03")) == 1


def test_a_missing_year_in_the_middle_is_named() -> None:
    cal = WorkCalendar(years=[2027, 2029])
    assert outcome(lambda: cal.workdays_between(D("2026-12-30"), D("2029-01-05"))) == (
        "missing",
        2028,
    )
    assert outcome(lambda: cal.add_workdays(D("2027-12-30"), 5)) == ("missing", 2028)
    assert outcome(lambda: cal.add_workdays(D("2029-01-03"), -5)) == ("missing", 2028)
    # after the failure the calendar still answers what it can
    assert cal.add_workdays(D("2027-12-29"), 2) == D("2027-12-31")
    assert cal.workdays_between(D("2026-12-31"), D("2027-01-04")) == 2
