"""Periods: the one ``--period`` grammar, and the scoring periods it names.

Every ``--period`` (``ranking``, ``flag``, ``bulletin``, ``notice list``) is read by
:meth:`Span.parse`::

    2020            a year           2020Q2, 2020-Q2, 2020q2   a quarter
    2020-05, 2020-5 a month          2020-06-01                a day
    FROM..TO        from the first day of FROM to the last day of TO (any two of the above)

Years are 2000–2100. Scoring (:class:`Period`) needs a month, a quarter or a year; a day
or a range only selects (``notice list``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from gaoxin_cli.errors import UsageError

PeriodKind = Literal["month", "quarter", "year"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year")

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")
_YEAR = re.compile(r"(\d{4})")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEARS = range(2000, 2101)


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One scoring period. ``number`` is the month (1–12), the quarter (1–4) or 0."""

    year: int
    kind: PeriodKind
    number: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2020-05`` → May 2020, ``2020Q2`` / ``2020-Q2`` → a quarter, ``2020`` → a year;
        the grammar of :meth:`Span.parse`, refusing a day or a range (not scorable)."""
        span = Span.parse(text)
        if span.period is None:
            raise UsageError("error.period_not_scoring", value=text)
        return span.period

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        if kind == "month":
            return cls(day.year, "month", day.month)
        if kind == "quarter":
            return cls(day.year, "quarter", (day.month - 1) // 3 + 1)
        return cls(day.year, "year", 0)

    @classmethod
    def last_ended(cls, day: date, kind: PeriodKind) -> Period:
        """The latest period of *kind* whose last day is before *day*."""
        return cls.containing(day, kind).previous()

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return str(self.year)

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.kind == "month":
            y, m = divmod(self.year * 12 + self.number, 12)
            return Period(y, "month", m + 1)
        if self.kind == "quarter":
            y, q = divmod(self.year * 4 + self.number, 4)
            return Period(y, "quarter", q + 1)
        return Period(self.year + 1, "year", 0)

    def previous(self) -> Period:
        if self.kind == "month":
            y, m = divmod(self.year * 12 + self.number - 2, 12)
            return Period(y, "month", m + 1)
        if self.kind == "quarter":
            y, q = divmod(self.year * 4 + self.number - 2, 4)
            return Period(y, "quarter", q + 1)
        return Period(self.year - 1, "year", 0)

    def parts(self) -> tuple[Period, ...]:
        """What the period's score is made of: a quarter's months, a year's quarters."""
        if self.kind == "quarter":
            return tuple(Period(self.year, "month", 3 * self.number - 2 + i) for i in range(3))
        if self.kind == "year":
            return tuple(Period(self.year, "quarter", q) for q in range(1, 5))
        return ()

    def enclosing(self) -> tuple[Period, ...]:
        """The longer periods this one's score flows into: a month's quarter and year,
        a quarter's year."""
        out = []
        if self.kind == "month":
            out.append(Period.containing(self.start, "quarter"))
        if self.kind in ("month", "quarter"):
            out.append(Period.containing(self.start, "year"))
        return tuple(out)

    def months(self) -> tuple[Period, ...]:
        if self.kind == "month":
            return (self,)
        return tuple(m for p in self.parts() for m in p.months())

    def sort_key(self) -> tuple[date, int]:
        """Chronological, longer periods after the months they contain."""
        return (self.end, KINDS.index(self.kind))


@dataclass(frozen=True, slots=True)
class Span:
    """What a ``--period`` names: the days *first*..*last*, and the scoring period when
    it is exactly one month, quarter or year."""

    first: date
    last: date
    period: Period | None = None

    @classmethod
    def parse(cls, text: str) -> Span:
        """The one ``--period`` grammar (see the module docstring); UsageError
        ``error.bad_period`` for anything else, an empty range included."""
        s = text.strip()
        if ".." in s:
            a, b = s.split("..", 1)
            lo, hi = _single(a.strip(), text), _single(b.strip(), text)
            if hi.last < lo.first:
                raise UsageError("error.bad_period", value=text)
            return cls(lo.first, hi.last)
        return _single(s, text)


def _single(s: str, text: str) -> Span:
    """One year, quarter, month or day; *text* (the whole value) for the error."""
    p: Period | None = None
    if m := _MONTH.fullmatch(s):
        if 1 <= int(m[2]) <= 12:
            p = Period(int(m[1]), "month", int(m[2]))
    elif m := _QUARTER.fullmatch(s):
        p = Period(int(m[1]), "quarter", int(m[2]))
    elif m := _YEAR.fullmatch(s):
        p = Period(int(m[1]), "year", 0)
    elif m := _DAY.fullmatch(s):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            day = None
        if day is not None and day.year in _YEARS:
            return Span(day, day)
    if p is not None and p.year in _YEARS:
        return Span(p.start, p.end, p)
    raise UsageError("error.bad_period", value=text)
