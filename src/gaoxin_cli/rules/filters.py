"""The task filters shared by ``status`` and ``overdue`` (kept apart from the dashboard
so that ``overdue`` does not import it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gaoxin_cli.models import Task

if TYPE_CHECKING:
    from gaoxin_cli.rules.dashboard import TaskRow


class Filters(NamedTuple):
    """What ``status`` and ``overdue`` keep: --unit, --pillar, --card, --leader, --listed."""

    units: frozenset[str] = frozenset()
    pillar: str | None = None
    levels: frozenset[int] = frozenset()
    leaders: frozenset[str] = frozenset()
    listed: bool = False

    def keep_task(self, t: Task) -> bool:
        if self.units and t.lead not in self.units:
            return False
        if self.pillar and not (
            t.pillar == self.pillar or (t.pillar or "").startswith(self.pillar + ".")
        ):
            return False
        if self.leaders and t.leader not in self.leaders:
            return False
        return not (self.listed and t.listed is None)

    @property
    def by_task(self) -> bool:
        """Some filter that :meth:`keep_task` applies."""
        return bool(self.units or self.pillar or self.leaders or self.listed)

    def keep_row(self, row: TaskRow) -> bool:
        return not self.levels or row.assessment.card.level in self.levels


EVERYTHING = Filters()  # no filter
