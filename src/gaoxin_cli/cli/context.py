"""What a command needs from the outside world, read in one place: the :class:`Session`
(workspace from -C or the current directory, its plan, "today" from --as-of,
GAOXIN_TODAY or the clock, the database), the console, the wall-clock stamp of a write,
and the years this run had to estimate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from gaoxin_cli.cli.root import Settings, log_dir

if TYPE_CHECKING:
    from rich.console import Console

    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.service.session import Session


# The sessions (and stray calendars) of this run: what they had to estimate is reported
# with the results (``calendar_estimated`` in every --json).
_SESSIONS: list[Session] = []
_CALENDARS: list[WorkCalendar] = []
# Results kept to the end of the run: the process ends with os._exit (cli/__init__.py), so
# what is still referenced is never freed one object at a time. `status` at 100,000
# tasks: freeing its result on return took ~0.08 s.
_KEPT: list[object] = []


def keep(result: object) -> None:
    """Keep *result* until the process ends instead of freeing it on return."""
    _KEPT.append(result)


def session(s: Settings, *, checks_aside: bool = False) -> Session:
    """The run's :class:`Session`. *checks_aside*: the command only reads, and shows
    nothing before the end of a :func:`checked` block (``Session.open``)."""
    from gaoxin_cli.loading.paths import require_workspace
    from gaoxin_cli.service.session import Session

    root = require_workspace(s.workspace or s.cwd)
    db = s.db if s.db is not None else root / "data" / "gaoxin.db"
    sess = Session.open(
        root, s.today(), db=db, cache=log_dir() / "cache", checks_aside=checks_aside
    )
    _SESSIONS.append(sess)
    return sess


@contextmanager
def checked(sess: Session) -> Iterator[None]:
    """The block's work done while the plan's checks may still run on the other core
    (``session(..., checks_aside=True)``); they are waited for when it ends. When the
    block fails, the plan's errors, if it has any, are what is reported."""
    try:
        yield
    except Exception:
        sess.confirm()
        raise
    sess.confirm()


def reset_run() -> None:
    """Forget the sessions of an earlier run in this process (tests invoke many)."""
    _SESSIONS.clear()
    _CALENDARS.clear()
    _KEPT.clear()


def register(cal: WorkCalendar) -> WorkCalendar:
    """Count the estimates of a calendar made outside a session (``calendar show`` with
    no workspace)."""
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


def console() -> Console:
    from gaoxin_cli.render.console import make_console

    return make_console()


def now_stamp() -> str:
    """Wall-clock time of a write (informational; rules never read it)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
