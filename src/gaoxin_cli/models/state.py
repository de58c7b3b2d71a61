"""What happened (events) and what it amounts to (derived state). Plain values, no I/O.

Events are append-only facts kept by the store. "Current state" is never stored: the store
derives :class:`TaskState` from events up to a date, and the rules turn plan + state +
today into cards, countdowns and reminders.
"""

import json
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from gaoxin_cli.i18n import Msg

# Plain immutable values: NamedTuples, which cost a seventh of a frozen dataclass to
# define (start-up of every command) and nothing more to use.
_NO_MILESTONES: Mapping[str, date] = MappingProxyType({})

# Kinds of event. Later features add theirs (lifecycle, notice, extension, award, …);
# a kind is never renamed, because old databases keep it.
EventKind = Literal[
    "feedback", "correction", "milestone", "start", "card", "extension", "lifecycle", "problem"
]
EVENT_KINDS: tuple[str, ...] = (
    "feedback",
    "correction",
    "milestone",
    "start",
    "card",
    "extension",
    "lifecycle",
    "problem",
)


class Event(NamedTuple):
    """One fact about a task, as recorded.

    * ``feedback``   — a progress report (反馈): ``progress`` 0–100 and/or a ``note``.
    * ``correction`` — a report that lowers progress; ``reason`` is required.
    * ``milestone``  — milestone ``milestone`` was reached on ``at``.
    * ``start``      — the project actually started (开工) on ``at``.
    * ``card``       — the warning card changed to ``data["level"]`` (recorded by sweep),
      with ``data["reasons"]`` as a list of ``{"key": …, "params": {…}}``.
    * ``extension``  — 延期: ``data = {"action": "request" | "approve" | "reject",
      "to": "YYYY-MM-DD", "by": leader id or None, "late": bool}``, ``reason``.
    * ``lifecycle``  — a step of the task's life: ``data = {"action": …, "from": state,
      "to": state, "by": leader id or None}``; ``note`` (e.g. the submitted result) and
      ``reason`` (a return or cancel reason).
    * ``problem``    — a step of a 问题提报; ``task`` holds the problem number, and
      ``data = {"action": …, "from": …, "to": …, "task": related task or None,
      "unit": unit or None, "satisfied": bool or None}``.
    """

    task: str
    kind: str
    at: date
    unit: str | None = None
    progress: float | None = None
    note: str | None = None
    milestone: str | None = None
    reason: str | None = None
    data: Mapping[str, Any] | None = None
    source: str | None = None  # "cli", "import:<file name>", "sweep"
    recorded_at: str | None = None  # wall-clock time of writing, ISO 8601 (informational)
    id: int | None = None


# Progress (percent) at which a task is done. Hot loops over every task test
# ``state.progress >= DONE_AT`` rather than call the ``done`` property (a Python call
# for each of 100,000 tasks, several times a run).
DONE_AT = 100


class TaskState(NamedTuple):
    """A task's history condensed as of one day (only events with ``at`` ≤ that day)."""

    progress: float = 0.0  # latest reported progress (feedback or correction)
    progress_at: date | None = None  # the day of that report
    last_report: date | None = None  # latest feedback or correction of any kind
    reports: int = 0  # number of feedback/correction events
    started: date | None = None  # first "start" event, else first report with progress > 0
    milestones_done: Mapping[str, date] = _NO_MILESTONES
    card_level: int | None = None  # last card recorded by sweep
    card_since: date | None = None  # the day that card was recorded

    @property
    def done(self) -> bool:
        return self.progress >= DONE_AT


class Level:
    """Warning-card levels (红黄蓝牌), research/domain.md §4.2."""

    NONE = 0
    BLUE = 1
    YELLOW = 2
    RED = 3
    ACCOUNTABILITY = 4
    NAMES: tuple[str, ...] = ("none", "blue", "yellow", "red", "accountability")


class Card(NamedTuple):
    """A task's card as of a day, with every reason in words."""

    level: int
    reasons: tuple[Msg, ...] = ()

    @property
    def name(self) -> str:
        return Level.NAMES[self.level]


class Report(NamedTuple):
    """One report as given on the command line or in an imported row."""

    task: str
    at: date
    progress: float | None = None
    note: str | None = None
    unit: str | None = None
    milestone: str | None = None
    started: bool = False
    correct: bool = False
    reason: str | None = None


def event_key(event: Event) -> str:
    """A stable identity for an imported event: the same row imported twice is one event."""
    doc = [
        event.task,
        event.kind,
        event.at.isoformat(),
        event.unit,
        event.progress,
        event.note,
        event.milestone,
        event.reason,
    ]
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    from hashlib import sha256  # here: OpenSSL's start-up (~2.5 ms) only for imports

    return sha256(raw.encode()).hexdigest()[:32]  # 128 bits: ample, half the index
