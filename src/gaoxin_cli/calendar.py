"""Working days (工作日): the State Council holiday tables plus local overrides. Pure.

Data comes from ``chinesecalendar`` (holidays and 调休 working days, 2004 onwards); the
``calendar:`` block of gaoxin.yaml and the ``calendar/*.yaml`` files add rest days, working
days and whole years. A year that has no data anywhere is either *estimated* — Monday to
Friday less the fixed-date statutory holidays (:data:`FIXED_HOLIDAYS`), local entries
applied — and recorded in :attr:`WorkCalendar.estimated` so that every
result built on it can say so, or, with ``estimate=False``, raises
:class:`CalendarYearMissing`. The daily commands never stop for a missing year: at the end
of December a reply deadline three working days away already needs next year.

Counting rule (research/domain.md §6.1): "N working days from D" is the N-th working day
strictly after D; the day D itself is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from typing import Literal

from gaoxin_cli.errors import CalendarOutOfRange, CalendarYearMissing

#: Where a day's working/rest status comes from (``calendar show``).
Source = Literal["package", "local", "estimate"]
#: The statutory holidays on fixed dates (全国年节及纪念日放假办法, 2024 revision, art. 2):
#: 元旦 1/1, 劳动节 5/1–5/2, 国庆节 10/1–10/3. An estimated year rests on these as well as
#: on weekends; the lunar holidays (春节, 清明, 端午, 中秋) and the 调休 swaps are known only
#: from the State Council notice.
FIXED_HOLIDAYS: tuple[tuple[int, int], ...] = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))

#: What a day is: a working day, a rest day, or a make-up working day on a weekend (调休上班).
DayKind = Literal["work", "rest", "makeup"]


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


@cache
def _library_ordinals() -> tuple[frozenset[int], frozenset[int]]:
    """chinesecalendar's (working days, rest days) as ordinals, for the year tables."""
    import chinese_calendar

    return (
        frozenset(d.toordinal() for d in chinese_calendar.workdays),
        frozenset(d.toordinal() for d in chinese_calendar.holidays),
    )


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
    the first time a question touches it, then kept.

    ``estimate`` decides what a year without data does: True counts it Monday–Friday
    (local entries still apply) and adds it to :attr:`estimated`; False raises
    :class:`CalendarYearMissing`.
    """

    def __init__(
        self,
        rest: Iterable[date] = (),
        work: Iterable[date] = (),
        years: Iterable[int] = (),
        estimate: bool = False,
    ) -> None:
        self._rest = frozenset(rest)
        self._work = frozenset(work)
        self._rest_ord = frozenset(d.toordinal() for d in self._rest)
        self._work_ord = frozenset(d.toordinal() for d in self._work)
        self._years = frozenset(years)
        self._estimate = estimate
        self._tables: dict[int, _Year] = {}
        #: Years whose tables were estimated (weekends only) because no data knows them.
        self.estimated: set[int] = set()

    @property
    def known_years(self) -> tuple[int, int] | None:
        return _library_years()

    @property
    def estimates(self) -> bool:
        return self._estimate

    def has_year(self, year: int) -> bool:
        """True when the year's holidays are known (package data or a local full year)."""
        span = _library_years()
        return year in self._years or (span is not None and span[0] <= year <= span[1])

    def estimated_years(self) -> list[int]:
        """The estimated years touched so far, sorted (for ``calendar_estimated``)."""
        return sorted(self.estimated)

    def source(self, year: int) -> Source:
        """Where the year's holidays come from (local entries on single days aside)."""
        if year in self._years:
            return "local"
        span = _library_years()
        return "package" if span is not None and span[0] <= year <= span[1] else "estimate"

    def day_kind(self, day: date) -> DayKind:
        """work, rest, or makeup (a weekend day that is a working day)."""
        if not self.is_workday(day):
            return "rest"
        return "makeup" if day.weekday() >= 5 else "work"

    def day_source(self, day: date) -> Source:
        """Where this day's status comes from: a local entry, the package, or an estimate."""
        if day in self._rest or day in self._work:
            return "local"
        return self.source(day.year)

    def _year(self, year: int) -> _Year:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _Year:
        if not 1 <= year <= 9999:
            raise CalendarOutOfRange(year)
        known = year in self._years
        lib_work: frozenset[int] = frozenset()
        lib_rest: frozenset[int] = frozenset()
        if not known:
            if self.has_year(year):
                lib_work, lib_rest = _library_ordinals()
            elif self._estimate:
                self.estimated.add(year)
                lib_rest = frozenset(date(year, m, d).toordinal() for m, d in FIXED_HOLIDAYS)
            else:
                raise CalendarYearMissing(year, _library_years())
        first = date(year, 1, 1)
        start, weekday = first.toordinal(), first.weekday()
        length = date(year, 12, 31).toordinal() - start + 1
        work, rest = self._work_ord, self._rest_ord
        cum = [0]
        days: list[int] = []
        for i in range(length):
            n = start + i
            if n in work:
                works = True
            elif n in rest:
                works = False
            elif n in lib_work:
                works = True
            elif n in lib_rest:
                works = False
            else:
                works = (weekday + i) % 7 < 5
            if works:
                days.append(n)
            cum.append(len(days))
        return _Year(start, cum, days)

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


def year_spans(years: Iterable[int]) -> str:
    """2027, 2029–2031: consecutive years folded into ranges, for one-line notes."""
    out: list[str] = []
    ys = sorted(set(years))
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return ", ".join(out)
