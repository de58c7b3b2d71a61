"""``calendar check``: local calendar entries measured against chinesecalendar's data.

When a new chinesecalendar release knows a year, what the office typed for that year —
a ``calendar/YYYY.yaml`` from the notice, single days in ``calendar.rest`` / ``work``, a
year in ``calendar.years`` — either repeats the package (remove it) or contradicts it
(check which is right: a local holiday is a legitimate override). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gaoxin_cli.calendar import WorkCalendar


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to tell: *kind* names the message (calendar.check.*, calendar.fix.*)."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CalendarFileDays:
    """What one calendar/YYYY.yaml says."""

    path: str
    year: int
    rest: frozenset[date]
    work: frozenset[date]


def _package_says(package: WorkCalendar, day: date) -> bool | None:
    """True/False = working/rest day in the package's data; None = the package lacks the year."""
    if not package.has_year(day.year):
        return None
    return package.is_workday(day)


def check(
    files: Iterable[CalendarFileDays],
    rest: Iterable[date],
    work: Iterable[date],
    years: Iterable[int],
    package: WorkCalendar | None = None,
) -> list[Finding]:
    """Findings for every local entry in a year the package now knows.

    *rest*, *work*, *years* are gaoxin.yaml's own ``calendar:`` entries (not the files').
    """
    package = package or WorkCalendar()
    out: list[Finding] = []
    for f in sorted(files, key=lambda f: f.year):
        if not package.has_year(f.year):
            continue
        local = WorkCalendar(f.rest, f.work, [f.year])
        first, last = date(f.year, 1, 1).toordinal(), date(f.year, 12, 31).toordinal()
        differ = [
            d
            for d in map(date.fromordinal, range(first, last + 1))
            if local.is_workday(d) != package.is_workday(d)
        ]
        if not differ:
            out.append(Finding("file_repeats", {"path": f.path, "year": f.year}))
        else:
            days = "、".join(d.isoformat() for d in differ[:10])
            more = len(differ) - 10
            out.append(
                Finding(
                    "file_differs",
                    {
                        "path": f.path,
                        "year": f.year,
                        "n": len(differ),
                        "days": days + (f" …(+{more})" if more > 0 else ""),
                    },
                )
            )
    out += _entries(rest, False, package) + _entries(work, True, package)
    for year in sorted(set(years)):
        if package.has_year(year):
            out.append(Finding("year_known", {"year": year}))
    return out


def _entries(days: Iterable[date], works: bool, package: WorkCalendar) -> list[Finding]:
    kind = "work" if works else "rest"
    out = []
    for day in sorted(set(days)):
        says = _package_says(package, day)
        if says is None:
            continue
        verdict = "entry_repeats" if says == works else "entry_contradicts"
        out.append(Finding(verdict, {"day": day, "entry": kind, "list": f"calendar.{kind}"}))
    return out


def file_days(path: str, year: int, rest: Iterable[date], work: Iterable[date]) -> CalendarFileDays:
    return CalendarFileDays(path, year, frozenset(rest), frozenset(work))


def own_entries(merged: Iterable[date], files: Iterable[CalendarFileDays], attr: str) -> list[date]:
    """gaoxin.yaml's own entries: the merged ones less those that came from the files."""
    from_files: set[date] = set()
    for f in files:
        from_files |= getattr(f, attr)
    return sorted(set(merged) - from_files)


def years_of(files: Iterable[CalendarFileDays]) -> Mapping[int, str]:
    return {f.year: f.path for f in files}
