"""One run's context: the workspace, its plan and calendar, "today", and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.loading.plancache import Unchecked, Verdict
    from gaoxin_cli.models import Config, Plan
    from gaoxin_cli.service.forked import Pending
    from gaoxin_cli.store import Store


# Plans of fewer tasks are checked before the command starts (``Session.open``): a fork
# costs ~5-20 ms, the checks of 5,000 tasks about 50 ms.
CHECKS_ASIDE_MIN = 5000


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
    # A plan read from its files whose checks across tasks and files are still running
    # (``open(..., checks_aside=True)``), and the child running them.
    unchecked: Unchecked | None = None
    checking: Pending[Verdict] | None = None

    @classmethod
    def open(
        cls,
        root: Path,
        today: date,
        *,
        db: Path | None = None,
        cache: Path | None = None,
        checks_aside: bool = False,
    ) -> Session:
        """The session of the workspace at *root* (plan read through the plan cache).

        *checks_aside*: for a command that only reads and that calls :meth:`confirm`
        before it shows anything. When the plan must be read from its files (after a
        plan change), the checks across tasks and files — ~1 s of one core at 100,000
        tasks — and the writing of the plan cache run in a forked child while the
        command reads the store and assesses the tasks; :meth:`confirm` waits for them
        and raises the plan's errors as :func:`~gaoxin_cli.loading.plancache.load_plan`
        would have. A plan that came from the cache was checked before it was cached.
        """
        from gaoxin_cli.loading.plancache import Unchecked, open_plan

        db = db or root / "data" / "gaoxin.db"
        got = open_plan(root, cache, defer_checks=checks_aside)
        if not isinstance(got, Unchecked):
            return cls(root, got, today, db, cache=cache)
        from gaoxin_cli.service import forked

        # A small plan, or no second process to be had: checked here and now, as always.
        checking = forked.start(got.check) if len(got.plan.tasks) >= CHECKS_ASIDE_MIN else None
        if checking is None:
            return cls(root, got.check().apply(got.plan), today, db, cache=cache)
        return cls(root, got.plan, today, db, cache=cache, unchecked=got, checking=checking)

    def confirm(self) -> None:
        """Wait for the plan's checks started by ``open(..., checks_aside=True)``, if
        any: GaoxinError when the plan has errors. A no-op afterwards, and for a plan
        that was checked when it was opened. A child that died or failed costs time,
        not the checks: they are run here."""
        unchecked, self.unchecked = self.unchecked, None
        if unchecked is None:
            return
        checking, self.checking = self.checking, None
        verdict = checking.result() if checking is not None else None
        if verdict is None:
            verdict = unchecked.check()
        verdict.apply(self.plan)

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

        if write:
            self.confirm()  # nothing is written from a plan not known to be valid
        return Store.open(self.db, write=write)

    def estimated_years(self) -> list[int]:
        """Years this session counted on a weekends-only estimate, sorted."""
        return sorted({y for cal in self.calendars for y in cal.estimated})
