"""What commands share: the workspace, the plan, the store, the console."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gaoxin_cli.cli.app import Settings, log_dir

if TYPE_CHECKING:
    from rich.console import Console

    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.i18n import Lang
    from gaoxin_cli.models import Plan
    from gaoxin_cli.service.session import Session
    from gaoxin_cli.store import Store


def root(s: Settings) -> Path:
    from gaoxin_cli.loading.paths import require_workspace

    return require_workspace(s.workspace or s.cwd)


def session(s: Settings) -> Session:
    """The run's :class:`Session`: the workspace found from -C or the current directory,
    its plan (through the plan cache), today (--as-of, GAOXIN_TODAY or the clock), the
    database (--db or data/gaoxin.db)."""
    from gaoxin_cli.service.session import Session

    r = root(s)
    sess = Session.open(r, s.today(), db=db_path(s, r), cache=log_dir() / "cache")
    _SESSIONS.append(sess)
    return sess


def plan(s: Settings) -> tuple[Path, Plan]:
    from gaoxin_cli.loading.plancache import load_plan

    r = root(s)
    return r, load_plan(r, log_dir() / "cache")


# Every calendar this run handed out: what they had to estimate is reported with the
# results (a header line on screen, ``calendar_estimated`` in JSON).
_CALENDARS: list[WorkCalendar] = []
_SESSIONS: list[Session] = []


def calendar(p: Plan) -> WorkCalendar:
    from gaoxin_cli.loading.paths import calendar_for

    cal = calendar_for(p.config)
    _CALENDARS.append(cal)
    return cal


def reset_run() -> None:
    """Forget the calendars of an earlier run in this process (tests invoke many)."""
    _CALENDARS.clear()
    _SESSIONS.clear()


def register(cal: WorkCalendar) -> WorkCalendar:
    """Count *cal*'s estimates among this run's (for a calendar built another way)."""
    _CALENDARS.append(cal)
    return cal


def estimated_years() -> list[int]:
    """Years this run counted on a weekends-only estimate, sorted."""
    cals = [*_CALENDARS, *(c for sess in _SESSIONS for c in sess.calendars)]
    return sorted({y for cal in cals for y in cal.estimated})


def with_estimates(doc: object) -> object:
    """A JSON document with ``calendar_estimated`` (always present: [] when nothing was
    estimated, so scripts can rely on the key)."""
    if isinstance(doc, dict):
        doc["calendar_estimated"] = estimated_years()
    return doc


def estimate_note(console: Console, lang: Lang) -> None:
    """The header line saying which years were estimated (nothing when none)."""
    years = estimated_years()
    if years:
        from gaoxin_cli.render.console import estimate_note as note

        note(console, years, lang)


def db_path(s: Settings, workspace: Path) -> Path:
    return s.db if s.db is not None else workspace / "data" / "gaoxin.db"


def store(s: Settings, workspace: Path, *, write: bool) -> Store:
    from gaoxin_cli.store import Store

    return Store.open(db_path(s, workspace), write=write)


def console() -> Console:
    from gaoxin_cli.render.console import make_console

    return make_console()


def now_stamp() -> str:
    """Wall-clock time of a write (informational; rules never read it)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
