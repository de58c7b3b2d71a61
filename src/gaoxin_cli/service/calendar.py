"""The ``calendar`` group: a year's working days, the State Council notice turned into
calendar/YYYY.yaml, and the local entries a newer chinesecalendar makes redundant."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from gaoxin_cli.calendar import Source, WorkCalendar
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.loading.holiday_notice import HolidayNotice
    from gaoxin_cli.rules.calendar_check import Finding


class YearView(NamedTuple):
    """What ``calendar show`` draws: the year, its calendar and where its days come from."""

    year: int
    calendar: WorkCalendar
    source: Source
    # Where a local year is written: "calendar/2027.yaml" or "gaoxin.yaml"; the package's
    # version for a package year; None for an estimate.
    where: str | None
    # gaoxin.yaml's own single-day entries in the year, (day, "rest" | "work"), sorted.
    local: list[tuple[date, Literal["rest", "work"]]]


def year_view(session: Session | None, year: int) -> YearView:
    """The year as the workspace sees it (or the package alone, outside a workspace).

    Showing a year is how one looks at an estimate, so a workspace that would stop on a
    missing year (``unknown_years: error``) still gets the estimate here."""
    if session is None:
        cal = WorkCalendar(estimate=True)
        local: list[tuple[date, Literal["rest", "work"]]] = []
    else:
        c = session.config.calendar
        cal = WorkCalendar(c.rest, c.work, c.years, estimate=True)
        session.calendars.append(cal)
        local = sorted(
            [(d, "rest") for d in c.rest if d.year == year]
            + [(d, "work") for d in c.work if d.year == year]
        )
    source = cal.source(year)
    return YearView(year, cal, source, _where(session, year, source), local)


def _where(session: Session | None, year: int, source: Source) -> str | None:
    if source == "package":
        from importlib.metadata import version

        return version("chinesecalendar")
    if source == "local":
        rel = f"calendar/{year}.yaml"
        return rel if session is not None and (session.root / rel).is_file() else "gaoxin.yaml"
    return None


class NoticeRead(NamedTuple):
    """A notice read and checked, ready to be shown and written."""

    notice: HolidayNotice
    calendar: WorkCalendar  # the year as the notice describes it
    target: Path
    relative: str  # calendar/2027.yaml
    exists: bool
    # Days on which the notice and chinesecalendar disagree, when the package knows the
    # year (None when it does not).
    package_differs: list[date] | None


def read_notice(root: Path, text: str) -> NoticeRead:
    """Parse the notice (a ``NoticeError`` names the line it cannot read) and compare it
    with the package when the package knows the year. Writes nothing."""
    from gaoxin_cli.loading.holiday_notice import parse_notice
    from gaoxin_cli.loading.paths import CALENDAR_DIR

    parsed = parse_notice(text)
    year = parsed.year
    cal = WorkCalendar(parsed.rest, parsed.work, [year])
    package = WorkCalendar()
    differs = None
    if package.has_year(year):
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        days = [date.fromordinal(n) for n in range(first, last + 1)]
        differs = [d for d in days if cal.is_workday(d) != package.is_workday(d)]
    rel = f"{CALENDAR_DIR}/{year}.yaml"
    target = root / rel
    return NoticeRead(parsed, cal, target, rel, target.exists(), differs)


def write_notice(read: NoticeRead, *, force: bool) -> None:
    """Write calendar/YYYY.yaml: the whole file or nothing (a temporary file in the same
    folder, renamed); an existing file only with *force*."""
    from gaoxin_cli.loading.holiday_notice import notice_yaml

    if read.target.exists() and not force:
        raise GaoxinError("error.calendar_file_exists", path=read.relative)
    from gaoxin_cli.loading.scaffold import atomic_write

    read.target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(read.target, notice_yaml(read.notice))


def check(session: Session) -> list[Finding]:
    """Local entries that chinesecalendar now repeats or contradicts."""
    from gaoxin_cli.loading.files import load_calendar_file, shown_path
    from gaoxin_cli.loading.paths import calendar_files
    from gaoxin_cli.rules import calendar_check as rules

    root = session.root
    files = []
    for path in calendar_files(root):
        cal, _ = load_calendar_file(path, shown_path(path, root))
        if cal is not None:
            rel = path.relative_to(root).as_posix()
            files.append(rules.file_days(rel, cal.year, cal.rest, cal.work))
    c = session.config.calendar
    return rules.check(
        files,
        rules.own_entries(c.rest, files, "rest"),
        rules.own_entries(c.work, files, "work"),
        [y for y in c.years if y not in rules.years_of(files)],
    )
