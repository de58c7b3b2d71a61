"""The office dashboard (`gaoxin status`): every open task assessed, rolled up by unit
and by the pillar tree, with the tasks that need attention first."""

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import compress, repeat
from operator import itemgetter, not_
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Config, Pillar, Task
from gaoxin_cli.models.state import DONE_AT, Level, TaskState
from gaoxin_cli.rules.cards import Assessment, CardClock
from gaoxin_cli.rules.columns import columns, finished_cards
from gaoxin_cli.rules.filters import EVERYTHING, Filters
from gaoxin_cli.rules.lifecycle import STOPPED_STATES, stopped
from gaoxin_cli.rules.reports import missed_reports
from gaoxin_cli.rules.signing import SignedNotice, overdue_unsigned

_ID = itemgetter(0)  # of (id, row)
_LAST = itemgetter(-1)


class TaskRow(NamedTuple):
    """One task on the dashboard (a named tuple: one is made per task, and fast)."""

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


class Dashboard(NamedTuple):
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
    unsigned: Mapping[str, Sequence[SignedNotice]] | None = None,
) -> list[TaskRow]:
    """Every task assessed, most urgent first: :func:`~gaoxin_cli.rules.cards.severity_key`,
    then a missed report first, then the id (tasks with none of these, by id).
    *unsigned*: each task's notices not yet signed (签收), for the card.

    Finished tasks (most of a year's plan by autumn) are placed by ``map`` and ``zip``
    over the whole plan at once; the loop runs for the open tasks only.
    (tests/test_daily_paths.py holds this equal to the plain loop over every task.)"""
    tasks, ids, sts, lifes, due_list, finished = columns(tasks, states, dues, lifecycle)
    row_of = partial(tuple.__new__, TaskRow)  # TaskRow(...) without its Python __new__
    quiet: list[tuple[str, TaskRow]] = []  # no card, lag or missed report: last, by id
    if any(finished):
        f_tasks, f_dues = list(compress(tasks, finished)), list(compress(due_list, finished))
        made = finished_cards(f_tasks, f_dues, today)
        f_rows = zip(
            f_tasks, compress(sts, finished), made, f_dues, repeat(None), compress(lifes, finished)
        )
        quiet += zip(compress(ids, finished), map(row_of, f_rows), strict=True)
    if all(finished):
        quiet.sort(key=_ID)
        return list(map(_LAST, quiet))
    red_notice_dues = red_notice_dues or {}
    unsigned_of = (unsigned or {}).get
    card = CardClock(today, calendar, config.rules.cards).assess
    missed_report = missed_reports(config, today, calendar)
    red_due_of = red_notice_dues.get
    # A card, a lag or a missed report: sorted by urgency (the key, then the place found,
    # so that equal keys keep their order and rows are never compared).
    urgent: list[tuple[int, int, float, bool, str, int, TaskRow]] = []
    opened = list(map(not_, finished))
    for t, tid, st, due, life in zip(
        compress(tasks, opened),
        compress(ids, opened),
        compress(sts, opened),
        compress(due_list, opened),
        compress(lifes, opened),
        strict=True,
    ):
        waiting = unsigned_of(tid)
        a = card(t, st, due, red_due_of(tid), overdue_unsigned(waiting, today) if waiting else None)
        missed = missed_report(t, st)
        row = row_of((t, st, a, due, missed, life))
        level = a.card.level
        if level or a.overdue_wd or a.lag or missed is not None:
            # severity_key(a), a missed report first, the id
            urgent.append((-level, -a.overdue_wd, -a.lag, missed is None, tid, len(urgent), row))
        else:
            quiet.append((tid, row))
    urgent.sort()
    quiet.sort(key=_ID)
    rows = list(map(_LAST, urgent))
    rows += map(_LAST, quiet)
    return rows


def build(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    filters: Filters = EVERYTHING,
    dues: Mapping[str, date] | None = None,
    lifecycle: Mapping[str, str] | None = None,
    red_notice_dues: Mapping[str, date] | None = None,
    unsigned: Mapping[str, Sequence[SignedNotice]] | None = None,
) -> Dashboard:
    kept = [t for t in tasks if filters.keep_task(t)] if filters.by_task else tasks
    rows = assess_all(
        kept, states, config, today, calendar, dues, lifecycle, red_notice_dues, unsigned
    )
    levels = filters.levels
    if levels:  # Filters.keep_row
        rows = [r for r in rows if r.assessment.card.level in levels]
    counts = [0] * 5
    units: dict[str, UnitRow] = {}
    pillars, chain_of = _pillar_tree(config.pillars)
    chains: dict[str, list[PillarRow]] = {}
    done = missed = 0
    # One pass in row order (the float sums depend on the order of the additions).
    for task, state, a, _, missed_on, life in rows:
        level, progress = a.card.level, state.progress
        counts[level] += 1
        lead = task.lead
        u = units.get(lead)
        if u is None:
            u = units[lead] = UnitRow(lead)
        u.tasks += 1
        if progress >= DONE_AT or life in STOPPED_STATES:  # TaskRow.finished
            u.done += 1
            done += 1
        u.levels[level] += 1
        u.progress_sum += progress
        if missed_on is not None:
            u.missed += 1
            missed += 1
        path = task.pillar
        if path:
            chain = chains.get(path)
            if chain is None:
                chain = chains[path] = chain_of(path)
            planned = a.planned
            for node in chain:
                node.tasks += 1
                node.progress_sum += progress
                node.planned_sum += planned
                if level > node.worst:
                    node.worst = level
    unit_rows = sorted(
        units.values(),
        key=lambda u: (-u.levels[4], -u.levels[3], -u.levels[2], -u.missed, u.unit),
    )
    return Dashboard(
        today=today,
        workdays_left=calendar.workdays_left_in_year(today),
        rows=rows,
        counts=tuple(counts),
        done=done,
        missed=missed,
        units=unit_rows,
        pillars=pillars,
    )


def attention(rows: Sequence[TaskRow]) -> list[TaskRow]:
    """The rows with a card or a missed report, in their order.

    *rows* in the dashboard's order (:func:`assess_all`, then any filter): the carded
    rows first, most severe first; then the other urgent rows (late, behind or a missed
    report, without a card); the quiet rows last. Both borders are found by bisection,
    so the quiet rows (most of a year's plan by autumn) are never looked at: at 100,000
    tasks the plain filter over every row took 26 ms. (tests/test_daily_paths.py holds
    it equal to that filter.)"""
    carded = bisect_left(rows, True, key=_no_card)
    quiet = bisect_left(rows, True, lo=carded, key=_quiet)
    out = list(rows[:carded])
    out += [r for r in rows[carded:quiet] if r.missed_report is not None]
    return out


def _no_card(row: TaskRow) -> bool:
    return not row.assessment.card.level


def _quiet(row: TaskRow) -> bool:
    """Of a row without a card: neither late, behind nor missing a report."""
    a = row.assessment
    return not (a.overdue_wd or a.lag or row.missed_report is not None)


def _pillar_tree(
    pillars: Mapping[str, Pillar],
) -> tuple[list[PillarRow], Callable[[str], list[PillarRow]]]:
    """The pillar tree in order as empty rows, and for a task's pillar path the rows it
    counts in: the node and its ancestors, root first (unknown segments skipped)."""
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

    def chain(path: str) -> list[PillarRow]:
        parts = path.split(".")
        found = (index.get(".".join(parts[:i])) for i in range(1, len(parts) + 1))
        return [node for node in found if node is not None]

    return out, chain


def pillar_rollup(pillars: Mapping[str, Pillar], rows: Iterable[TaskRow]) -> list[PillarRow]:
    """The pillar tree in order, each node summing the tasks at or below it."""
    out, chain_of = _pillar_tree(pillars)
    chains: dict[str, list[PillarRow]] = {}
    for r in rows:
        path = r.task.pillar
        if not path:
            continue
        chain = chains.get(path)
        if chain is None:
            chain = chains[path] = chain_of(path)
        progress = r.state.progress
        a = r.assessment
        for node in chain:
            node.tasks += 1
            node.progress_sum += progress
            node.planned_sum += a.planned
            node.worst = max(node.worst, a.card.level)
    return out


LEVELS = Level.NAMES
