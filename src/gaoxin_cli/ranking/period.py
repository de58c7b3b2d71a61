"""Scoring periods: a month (``2020-05``), a quarter (``2020Q2``) or a year (``2020``)."""

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


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One scoring period. ``number`` is the month (1–12), the quarter (1–4) or 0."""

    year: int
    kind: PeriodKind
    number: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2020-05`` → May 2020, ``2020Q2`` / ``2020-Q2`` → a quarter, ``2020`` → a year."""
        s = text.strip()
        if m := _MONTH.fullmatch(s):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return cls(year, "month", month)
        elif m := _QUARTER.fullmatch(s):
            if 2000 <= int(m[1]) <= 2100:
                return cls(int(m[1]), "quarter", int(m[2]))
        elif (m := _YEAR.fullmatch(s)) and 2000 <= int(m[1]) <= 2100:
            return cls(int(m[1]), "year", 0)
        raise UsageError("error.bad_period", value=text)

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

    def months(self) -> tuple[Period, ...]:
        if self.kind == "month":
            return (self,)
        return tuple(m for p in self.parts() for m in p.months())

    def sort_key(self) -> tuple[date, int]:
        """Chronological, longer periods after the months they contain."""
        return (self.end, KINDS.index(self.kind))
