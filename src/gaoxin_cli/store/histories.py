"""Many tasks' histories at once, without holding every event in memory: a signature of
each task's events (how many, the latest id) to tell whether it changed, and the events
themselves streamed a batch of tasks at a time (``gaoxin site``)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import rows

if TYPE_CHECKING:
    from gaoxin_cli.store import Store

# Tasks per query: a few hundred tasks' events (~100 each at the bench's size) per batch.
BATCH = 400

_AT_ID = attrgetter("at", "id")


def signatures(store: Store, until: date) -> dict[str, tuple[int, int]]:
    """``(count, latest id)`` of each task's events up to *until* (events are never
    edited, so an unchanged signature is an unchanged history)."""
    found = store.query(
        "SELECT task, count(*), max(id) FROM events WHERE at <= ? GROUP BY task",
        (until.isoformat(),),
    )
    return {str(task): (int(n), int(last)) for task, n, last in found}


def stream(store: Store, tasks: Collection[str], until: date) -> Iterator[tuple[str, list[Event]]]:
    """Each of *tasks* with its events up to *until*, oldest first (``(at, id)``); tasks
    without events are not yielded. Batches of :data:`BATCH` tasks per query."""
    ordered = sorted(tasks)
    for i in range(0, len(ordered), BATCH):
        batch = ordered[i : i + BATCH]
        marks = ", ".join("?" for _ in batch)
        found = store.query(
            f"{rows.SELECT} WHERE task IN ({marks}) AND at <= ? ORDER BY task",
            (*batch, until.isoformat()),
        )
        events = [rows.from_row(r) for r in found]
        del found
        for task, group in groupby(events, key=attrgetter("task")):
            yield task, sorted(group, key=_AT_ID)
