"""Working days (工作日): the State Council holiday tables plus local overrides. Pure.

Data comes from ``chinesecalendar`` (holidays and 调休 working days, 2004 onwards); the
``calendar:`` block of gaoxin.yaml adds rest days, working days and whole years. A year
with no data raises :class:`CalendarYearMissing` — never a silent weekend-only guess,
unless the workspace opts in with ``assume_weekends``.

Counting rule (research/domain.md §6.1): "N working days from D" is the N-th working day
strictly after D; the day D itself is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from gaoxin_cli.errors import CalendarYearMissing


@cache
def _library_years() -> tuple[int, int] | None:
    """The span of years chinesecalendar has data for."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a hard dependency, but fail softly
        return None
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return (min(years), max(years)) if years else None


def _library_day(day: date) -> bool | None:
    """True = working day, False = rest day, None = no data for the year."""
    span = _library_years()
    if span is None or not span[0] <= day.year <= span[1]:
        return None
    import chinese_calendar

    if day in chinese_calendar.workdays:
        return True
    if day in chinese_calendar.holidays:
        return False
    return day.weekday() < 5


class _Year:
    """One year's working days as lookup tables, indexed by ``ordinal - first``.

    ``cum[i]`` is the number of working days among the year's first *i* days, so the
    working days in ``(a, b]`` are ``cum[b - first + 1] - cum[a - first + 1]``; ``days``
    lists the ordinals of the working days, so the k-th working day after *a* is
    ``days[cum[a - first + 1] + k - 1]``.
    """

    __slots__ = ("cum", "days", "first", "total")

    def __init__(self, first: int, cum: list[int], days: list[int]) -> None:
        self.first = first
        self.cum = cum
        self.days = days
        self.total = len(days)


class WorkCalendar:
    """Answers working-day questions in constant time; each year's tables are built
    the first time a question touches it, then kept."""

    def __init__(
        self,
        rest: Iterable[date] = (),
        work: Iterable[date] = (),
        years: Iterable[int] = (),
        assume_weekends: bool = False,
    ) -> None:
        self._rest = frozenset(rest)
        self._work = frozenset(work)
        self._years = frozenset(years)
        self._assume = assume_weekends
        self._tables: dict[int, _Year] = {}

    @property
    def known_years(self) -> tuple[int, int] | None:
        return _library_years()

    def has_year(self, year: int) -> bool:
        span = _library_years()
        return (
            self._assume or year in self._years or (span is not None and span[0] <= year <= span[1])
        )

    def _year(self, year: int) -> _Year:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _Year:
        if not self.has_year(year):
            raise CalendarYearMissing(year, _library_years())
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        cum = [0]
        days: list[int] = []
        for n in range(first, last + 1):
            if self._is_workday_uncached(date.fromordinal(n)):
                days.append(n)
            cum.append(len(days))
        return _Year(first, cum, days)

    def _is_workday_uncached(self, day: date) -> bool:
        if day in self._work:
            return True
        if day in self._rest:
            return False
        if day.year not in self._years:
            lib = _library_day(day)
            if lib is not None:
                return lib
        return day.weekday() < 5

    def is_workday(self, day: date) -> bool:
        y = self._tables.get(day.year) or self._year(day.year)
        i = day.toordinal() - y.first
        return y.cum[i + 1] != y.cum[i]

    def next_workday(self, day: date, *, include: bool = False) -> date:
        """The first working day after *day* (or *day* itself if ``include`` and it works)."""
        if include and self.is_workday(day):
            return day
        return self.add_workdays(day, 1)

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day strictly after *day* (before it, for negative n); n=0 → day."""
        if n == 0:
            return day
        year = day.year
        y = self._tables.get(year) or self._year(year)
        if n > 0:
            done = y.cum[day.toordinal() - y.first + 1]  # working days up to *day*
            while n > y.total - done:
                n -= y.total - done
                year += 1
                y = self._tables.get(year) or self._year(year)
                done = 0
            return date.fromordinal(y.days[done + n - 1])
        n = -n
        before = y.cum[day.toordinal() - y.first]  # working days before *day*
        while n > before:
            n -= before
            year -= 1
            y = self._tables.get(year) or self._year(year)
            before = y.total
        return date.fromordinal(y.days[before - n])

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sy, ey = start.year, end.year
        if sy == ey:
            y = self._tables.get(sy) or self._year(sy)
            cum, first = y.cum, y.first - 1
            return cum[end.toordinal() - first] - cum[start.toordinal() - first]
        if ey < sy:
            return -self.workdays_between(end, start)
        a = self._year(sy)
        total = a.total - a.cum[start.toordinal() - a.first + 1]
        for year in range(sy + 1, ey):
            total += self._year(year).total
        b = self._year(ey)
        return total + b.cum[end.toordinal() - b.first + 1]

    def workdays_left_in_year(self, day: date) -> int:
        """Working days after *day* up to 31 December of its year."""
        return self.workdays_between(day, date(day.year, 12, 31))

    def add_calendar_days(self, day: date, n: int) -> date:
        """民法典 第201/203条: count from the next day; a last day on a rest day moves to
        the first working day after the rest days."""
        end = day + timedelta(days=n)
        return self.next_workday(end, include=True)

    def years_needed(self, days: Iterable[date]) -> set[int]:
        """Years among *days* that have no data (for validation messages)."""
        return {d.year for d in days if not self.has_year(d.year)}
