"""The workspace as the commands see it: validated records, cheap to import and load.

``models/spec.py`` holds the pydantic specs that validate gaoxin.yaml and plans/*.yaml
(used by ``validate``, the loader and the JSON Schema export). Everything else works on
the records of ``models/records.py`` — the same names and fields as plain NamedTuples —
re-exported here with the shared patterns and literal types, and :class:`Plan`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter
from typing import Any, Protocol

from gaoxin_cli.models.base import (
    EMAIL_PATTERN,
    ENV_NAME_PATTERN,
    ID_PATTERN,
    LONG_TEXT_PATTERN,
    PILLAR_ID_PATTERN,
    PILLAR_PATH_PATTERN,
    TEXT_PATTERN,
    Cadence,
    CardCounting,
    Period,
    RestDayShift,
    Security,
    SourceKind,
    UnitKind,
    Urgency,
)
from gaoxin_cli.models.records import (
    Bonuses,
    CalendarConfig,
    CardRules,
    Config,
    Deductions,
    FeedbackRules,
    LadderRules,
    Leader,
    Listing,
    MailConfig,
    Milestone,
    Org,
    Person,
    Pillar,
    ProblemRules,
    RankingRules,
    Rules,
    Source,
    Task,
    Unit,
)

__all__ = [
    "EMAIL_PATTERN",
    "ENV_NAME_PATTERN",
    "ID_PATTERN",
    "LONG_TEXT_PATTERN",
    "PILLAR_ID_PATTERN",
    "PILLAR_PATH_PATTERN",
    "TEXT_PATTERN",
    "Bonuses",
    "Cadence",
    "CalendarConfig",
    "CardCounting",
    "CardRules",
    "Config",
    "Deductions",
    "FeedbackRules",
    "LadderRules",
    "Leader",
    "Listing",
    "MailConfig",
    "Milestone",
    "Org",
    "Period",
    "Person",
    "Pillar",
    "Plan",
    "ProblemRules",
    "RankingRules",
    "RestDayShift",
    "Rules",
    "Security",
    "Source",
    "SourceKind",
    "Task",
    "Unit",
    "UnitKind",
    "Urgency",
    "dump",
    "pillar_paths",
]


def dump(value: Any) -> Any:
    """A record (or nested records) as JSON-ready data: dicts, lists, ISO dates.

    The same shape as pydantic's ``model_dump(mode="json")`` of the spec.
    """
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: dump(v) for name, v in zip(value._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class PillarNode(Protocol):
    """A pillar as a spec or a record: what walking the tree needs."""

    @property
    def children(self) -> Mapping[str, PillarNode]: ...


def pillar_paths(pillars: Mapping[str, PillarNode], prefix: str = "") -> Iterator[str]:
    """Every dotted path of the pillar tree, parents before children."""
    for pid, node in pillars.items():
        path = prefix + pid
        yield path
        yield from pillar_paths(node.children, path + ".")


_ID = attrgetter("id")


class Plan:
    """A validated workspace: the config and every task, indexed by id."""

    __slots__ = ("_by_id", "config", "digest", "tasks", "warnings")

    def __init__(self, config: Config, tasks: tuple[Task, ...], warnings: int = 0) -> None:
        self.config = config
        self.tasks = tasks
        self.warnings = warnings
        self._by_id: dict[str, Task] | None = None
        # The digest of the workspace files it was read from, when known (the plan
        # cache's): what a result derived from this plan may be remembered by.
        self.digest: str | None = None

    @property
    def by_id(self) -> dict[str, Task]:
        """The tasks by id, made on first use (status and overdue at 100,000 tasks need
        none: ~20 ms)."""
        if self._by_id is None:
            self._by_id = dict(zip(map(_ID, self.tasks), self.tasks, strict=True))
        return self._by_id

    def __getstate__(self) -> tuple[Config, tuple[Task, ...], int]:
        return (self.config, self.tasks, self.warnings)

    def __setstate__(self, state: tuple[Config, tuple[Task, ...], int]) -> None:
        self.config, self.tasks, self.warnings = state
        self._by_id = None
        self.digest = None
