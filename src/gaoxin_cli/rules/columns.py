"""The tasks of a pass over the whole plan, as columns for one day.

``dashboard.assess_all`` (status) and ``ladder.standings`` (overdue, notify, site) both
walk every task with its state, lifecycle state and effective due date, and place the
finished ones (most of a year's plan by autumn) by ``map`` and ``zip`` instead of a
Python loop. This module makes those columns once per pass, each in C.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, ge, lt, not_, or_
from typing import NamedTuple

from gaoxin_cli.models import Task
from gaoxin_cli.models.state import DONE_AT, TaskState
from gaoxin_cli.rules.cards import PAST_DUE, Assessment, no_card
from gaoxin_cli.rules.lifecycle import STOPPED_STATES

_EMPTY = TaskState()
_TASK_ID, _TASK_DUE, _PROGRESS = attrgetter("id"), attrgetter("due"), attrgetter("progress")


class Columns(NamedTuple):
    """Per task, in the plan's order."""

    tasks: Sequence[Task]
    ids: list[str]
    states: list[TaskState]  # an empty state for a task nothing was reported on
    lifecycle: list[str | None]  # None when not known
    dues: list[date]  # an approved extension's date, else the plan's
    # Done (100 %: TaskState.done), or done, closed or cancelled by the lifecycle: no
    # card and no reminder, whatever the numbers say.
    finished: list[bool]


def columns(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    dues: Mapping[str, date] | None = None,
    lifecycle: Mapping[str, str] | None = None,
) -> Columns:
    tasks = tasks if isinstance(tasks, (list, tuple)) else list(tasks)
    ids = list(map(_TASK_ID, tasks))
    sts = list(map(states.get, ids, repeat(_EMPTY)))
    lifes: list[str | None] = list(map(lifecycle.get, ids)) if lifecycle else [None] * len(ids)
    if dues:
        due_list = list(map(dues.get, ids, map(_TASK_DUE, tasks)))
    else:
        due_list = list(map(_TASK_DUE, tasks))
    # progress >= DONE_AT, not the done property: no Python call per task
    done = map(ge, map(_PROGRESS, sts), repeat(DONE_AT))
    finished = list(map(or_, done, map(STOPPED_STATES.__contains__, lifes)))
    return Columns(tasks, ids, sts, lifes, due_list, finished)


def finished_cards(tasks: Sequence[Task], dues: Sequence[date], today: date) -> list[Assessment]:
    """The assessment of each finished task (:func:`~gaoxin_cli.rules.cards.no_card`),
    with *dues* its effective due dates: ``PAST_DUE`` shared by all past their date."""
    made = [PAST_DUE] * len(tasks)
    for i in compress(range(len(dues)), map(lt, repeat(today), dues)):
        made[i] = no_card(tasks[i], today, dues[i])  # finished before its due date
    return made


def without(tasks: Sequence[Task], *left_out: Collection[str]) -> list[Task]:
    """*tasks* in order but those whose id is in any of *left_out* (sets), at C speed:
    a comprehension over 100,000 tasks took ~12 ms."""
    ids = list(map(_TASK_ID, tasks))
    found: Iterable[bool] = repeat(False)
    for ids_out in left_out:
        if ids_out:
            found = map(or_, found, map(ids_out.__contains__, ids))
    return list(compress(tasks, map(not_, found)))
