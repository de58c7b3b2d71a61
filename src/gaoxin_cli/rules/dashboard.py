"""The office dashboard (`gaoxin status`): every open task assessed, rolled up by unit
and by the pillar tree, with the tasks that need attention first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Config, Pillar, Task
from gaoxin_cli.models.state import Card, Level, TaskState
from gaoxin_cli.rules.cards import Assessment, assess, severity_key
from gaoxin_cli.rules.lifecycle import stopped
from gaoxin_cli.rules.progress import planned_progress
from gaoxin_cli.rules.reports import cadence_of, missed_report

_EMPTY = TaskState()


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: Task
    state: TaskState
    assessment: Assessment
    due: date  # the date that drives the card (an approved extension, else the plan's)
    missed_report: date | None  # deadline of a missed report, if any
    lifecycle: str | None = None  # registered … closed; None when not known

    @property
    def finished(self) -> bool:
        """Done by the numbers (100%) or by the lifecycle (done, closed, cancelled)."""
        return self.state.done or (self.lifecycle is not None and stopped(self.lifecycle))


@dataclass(slots=True)
class UnitRow:
    unit: str
    tasks: int = 0
    done: int = 0
    levels: list[int] = field(default_factory=lambda: [0] * 5)
    progress_sum: float = 0.0
    missed: int = 0

    @property
    def progress(self) -> float:
        return self.progress_sum / self.tasks if self.tasks else 0.0


@dataclass(slots=True)
class PillarRow:
    path: str
    name: str
    depth: int
    tasks: int = 0
    progress_sum: float = 0.0
    planned_sum: float = 0.0
    worst: int = 0

    @property
    def progress(self) -> float:
        return self.progress_sum / self.tasks if self.tasks else 0.0

    @property
    def planned(self) -> float:
        return self.planned_sum / self.tasks if self.tasks else 0.0


@dataclass(frozen=True, slots=True)
class Filters:
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

    def keep_row(self, row: TaskRow) -> bool:
        return not self.levels or row.assessment.card.level in self.levels


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    workdays_left: int
    rows: list[TaskRow]  # every task kept by the filters, most urgent first
    counts: tuple[int, ...]  # tasks per level 0..4
    done: int
    missed: int
    units: list[UnitRow]
    pillars: list[PillarRow]


def assess_all(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    dues: Mapping[str, date] | None = None,
    lifecycle: Mapping[str, str] | None = None,
    red_notice_dues: Mapping[str, date] | None = None,
) -> list[TaskRow]:
    dues = dues or {}
    lifecycle = lifecycle or {}
    red_notice_dues = red_notice_dues or {}
    rules = config.rules
    rows = []
    for t in tasks:
        st = states.get(t.id, _EMPTY)
        due = dues.get(t.id, t.due)
        life = lifecycle.get(t.id)
        if life is not None and stopped(life):
            # Done, closed or cancelled: no card and no reminder, whatever the numbers say.
            a = Assessment(Card(Level.NONE), planned_progress(t, today, due), 0.0, 0, None)
            rows.append(TaskRow(t, st, a, due, None, life))
            continue
        a = assess(
            t, st, today, calendar, rules.cards, due=due, red_notice_due=red_notice_dues.get(t.id)
        )
        missed = missed_report(t, st, today, cadence_of(t, config), rules.feedback)
        rows.append(TaskRow(t, st, a, due, missed, life))
    rows.sort(key=lambda r: (*severity_key(r.assessment), r.missed_report is None, r.task.id))
    return rows


def build(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    filters: Filters = Filters(),
    dues: Mapping[str, date] | None = None,
    lifecycle: Mapping[str, str] | None = None,
    red_notice_dues: Mapping[str, date] | None = None,
) -> Dashboard:
    kept = [t for t in tasks if filters.keep_task(t)]
    assessed = assess_all(kept, states, config, today, calendar, dues, lifecycle, red_notice_dues)
    rows = [r for r in assessed if filters.keep_row(r)]
    counts = [0] * 5
    units: dict[str, UnitRow] = {}
    for r in rows:
        level = r.assessment.card.level
        counts[level] += 1
        u = units.setdefault(r.task.lead, UnitRow(r.task.lead))
        u.tasks += 1
        u.done += r.finished
        u.levels[level] += 1
        u.progress_sum += r.state.progress
        u.missed += r.missed_report is not None
    unit_rows = sorted(
        units.values(),
        key=lambda u: (-u.levels[4], -u.levels[3], -u.levels[2], -u.missed, u.unit),
    )
    return Dashboard(
        today=today,
        workdays_left=calendar.workdays_left_in_year(today),
        rows=rows,
        counts=tuple(counts),
        done=sum(r.finished for r in rows),
        missed=sum(r.missed_report is not None for r in rows),
        units=unit_rows,
        pillars=pillar_rollup(config.pillars, rows),
    )


def pillar_rollup(pillars: Mapping[str, Pillar], rows: Iterable[TaskRow]) -> list[PillarRow]:
    """The pillar tree in order, each node summing the tasks at or below it."""
    out: list[PillarRow] = []
    index: dict[str, PillarRow] = {}

    def walk(nodes: Mapping[str, Pillar], prefix: str, depth: int) -> None:
        for pid, node in nodes.items():
            path = prefix + pid
            row = PillarRow(path, node.name, depth)
            out.append(row)
            index[path] = row
            walk(node.children, path + ".", depth + 1)

    walk(pillars, "", 0)
    for r in rows:
        path = r.task.pillar
        if not path:
            continue
        parts = path.split(".")
        for i in range(1, len(parts) + 1):
            node = index.get(".".join(parts[:i]))
            if node is None:
                continue
            node.tasks += 1
            node.progress_sum += r.state.progress
            node.planned_sum += r.assessment.planned
            node.worst = max(node.worst, r.assessment.card.level)
    return out


LEVELS = Level.NAMES
