"""One run's context: the workspace, its plan and calendar, "today", and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.models import Config, Plan
    from gaoxin_cli.store import Store


@dataclass(slots=True)
class Session:
    """Everything a service function needs, fixed for the run.

    Built by ``cli/context.session`` (the only place that reads the clock, argv and the
    environment); tests build one directly with :meth:`open`.
    """

    root: Path
    plan: Plan
    today: date
    db: Path
    calendars: list[WorkCalendar] = field(default_factory=list)
    # The user's cache folder (GAOXIN_HOME/cache): results worth keeping between runs,
    # such as the scores of a month that is over (service/month_scores.py). None: none.
    cache: Path | None = None

    @classmethod
    def open(
        cls, root: Path, today: date, *, db: Path | None = None, cache: Path | None = None
    ) -> Session:
        """The session of the workspace at *root* (plan read through the plan cache)."""
        from gaoxin_cli.loading.plancache import load_plan

        db = db or root / "data" / "gaoxin.db"
        return cls(root, load_plan(root, cache), today, db, cache=cache)

    @property
    def config(self) -> Config:
        return self.plan.config

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar (one per session; what it estimates is remembered)."""
        if not self.calendars:
            from gaoxin_cli.loading.paths import calendar_for

            self.calendars.append(calendar_for(self.plan.config))
        return self.calendars[0]

    def store(self, *, write: bool) -> Store:
        from gaoxin_cli.store import Store

        return Store.open(self.db, write=write)

    def estimated_years(self) -> list[int]:
        """Years this session counted on a weekends-only estimate, sorted."""
        return sorted({y for cal in self.calendars for y in cal.estimated})
