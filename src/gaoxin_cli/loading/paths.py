"""Where a workspace and its files are, without reading them (cheap to import).

A workspace is a directory holding ``gaoxin.yaml``; its tasks live in ``plans/*.yaml``
(sub-directories included). Like git, gaoxin finds it by searching upward.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import WorkspaceError
from gaoxin_cli.i18n import Msg

if TYPE_CHECKING:
    from gaoxin_cli.models import Config, spec

CONFIG_NAME = "gaoxin.yaml"
PLANS_DIR = "plans"
CALENDAR_DIR = "calendar"  # calendar/2027.yaml: one year's holidays, from the notice
YAML_SUFFIXES = (".yaml", ".yml")


def find_workspace(start: Path) -> Path | None:
    """The nearest directory at or above *start* that holds gaoxin.yaml."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


def require_workspace(start: Path) -> Path:
    if start.exists() and not start.is_dir():
        raise WorkspaceError("error.workspace_not_dir", path=str(start))
    root = find_workspace(start)
    if root is None:
        raise WorkspaceError(
            "error.no_workspace", start=str(start), hint=Msg("error.no_workspace_hint")
        )
    return root


def plan_files(root: Path) -> list[Path]:
    plans = root / PLANS_DIR
    if not plans.is_dir():
        return []
    return sorted(
        p for p in plans.rglob("*") if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
    )


def calendar_files(root: Path) -> list[Path]:
    """calendar/*.yaml: each describes one year in full (``calendar add --notice``)."""
    folder = root / CALENDAR_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
    )


def workspace_files(root: Path) -> list[Path]:
    """Every file the plan is read from: gaoxin.yaml, calendar/*.yaml, plans/**/*.yaml."""
    return [root / CONFIG_NAME, *calendar_files(root), *plan_files(root)]


def calendar_for(config: Config | spec.ConfigSpec | None) -> WorkCalendar:
    if config is None:
        return WorkCalendar()
    c = config.calendar
    return WorkCalendar(
        c.rest, c.work, c.years, estimate=c.unknown_years == "estimate" or c.assume_weekends
    )
