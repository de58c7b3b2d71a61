"""What commands share: the workspace, the plan, the store, the console."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gaoxin_cli.cli.app import Settings, log_dir

if TYPE_CHECKING:
    from rich.console import Console

    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.models import Plan
    from gaoxin_cli.store import Store


def root(s: Settings) -> Path:
    from gaoxin_cli.loading.paths import require_workspace

    return require_workspace(s.workspace or s.cwd)


def plan(s: Settings) -> tuple[Path, Plan]:
    from gaoxin_cli.loading.plancache import load_plan

    r = root(s)
    return r, load_plan(r, log_dir() / "cache")


def calendar(p: Plan) -> WorkCalendar:
    from gaoxin_cli.loading.paths import calendar_for

    return calendar_for(p.config)


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
