"""Current state from the event log, by a few queries over two indexes, never a row loop.

``events_task_kind_at`` holds ``(task, kind, at, id, progress)``: reports are counted in
one scan of it, and per task a handful of seeks read the latest report, the latest with a
progress value and the first with progress > 0 (its entries for one task and kind run in
``(at, id)`` order, so each seek is one step). ``events_kind_task`` holds
``(kind, task, milestone, at)`` and covers start, milestone and card dates. Every query
names its index (``INDEXED BY``), so the plan cannot drift to a table scan.

"Latest" means the greatest ``(at, id)``: the id breaks ties between events of one day.
A task appears only if it has something to show: a report, a start, a named milestone
or a readable card as of the day asked about.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from gaoxin_cli.models.state import TaskState

REPORT_KINDS = ("feedback", "correction")
_CHUNK = 500  # task ids per query when the caller names tasks (SQLite variable limit)
_FEW = 2000  # naming more tasks than this, reading all of them and filtering is faster


def _seek(kind: str, column: str, where: str, order: str) -> str:
    # One index seek per task: (task, kind) is a prefix of events_task_kind_at, whose
    # entries run in (at, id) order; walking it forwards or backwards needs no sort.
    return (
        f"(SELECT e.{column} FROM events AS e INDEXED BY events_task_kind_at"
        f" WHERE e.task = r.task AND e.kind = '{kind}' AND e.at <= :as_of{where}"
        f" ORDER BY e.at {order}, e.id {order} LIMIT 1)"
    )


def _report_sql() -> str:
    """Per task: how many reports; then, per report kind, the latest report's day, the
    latest report with a progress value (day, id, value) and the first with progress > 0.

    Counting is one scan of the covering index; the rest are seeks per task, far cheaper
    than aggregating text columns over every row.
    """
    cols = []
    for kind in REPORT_KINDS:
        valued = " AND e.progress IS NOT NULL"
        cols += [
            _seek(kind, "at", "", "DESC"),
            _seek(kind, "at", valued, "DESC"),
            _seek(kind, "id", valued, "DESC"),
            _seek(kind, "progress", valued, "DESC"),
            _seek(kind, "at", " AND e.progress > 0", "ASC"),
        ]
    kinds = ", ".join(f"'{k}'" for k in REPORT_KINDS)
    return (
        "SELECT r.task, r.reports,\n  "
        + ",\n  ".join(cols)
        + "\nFROM (SELECT task, count(*) AS reports FROM events INDEXED BY events_task_kind_at"
        + f" WHERE kind IN ({kinds}) AND at <= :as_of {{tasks}} GROUP BY task) AS r"
    )


_REPORT_SQL = _report_sql()

_START_SQL = """
SELECT task, min(at) FROM events INDEXED BY events_kind_task
WHERE kind = 'start' AND at <= :as_of {tasks}
GROUP BY task
"""

_MILESTONE_SQL = """
SELECT task, milestone, min(at) FROM events INDEXED BY events_kind_task
WHERE kind = 'milestone' AND milestone IS NOT NULL AND at <= :as_of {tasks}
GROUP BY task, milestone
"""

_CARD_SQL = """
SELECT c.task, c.at,
  (SELECT e.data FROM events AS e INDEXED BY events_task_kind_at
    WHERE e.task = c.task AND e.kind = 'card' AND e.at = c.at
    ORDER BY e.id DESC LIMIT 1)
FROM (
  SELECT task, max(at) AS at FROM events INDEXED BY events_kind_task
  WHERE kind = 'card' AND at <= :as_of {tasks}
  GROUP BY task
) AS c
"""


class _Days(dict[str, date]):
    """ISO text → date, parsed once per distinct day (a history spans few of them)."""

    def __missing__(self, text: str) -> date:
        day = self[text] = date.fromisoformat(text)
        return day

    def get_day(self, text: str | None) -> date | None:
        return None if text is None else self[text]


@dataclass(slots=True)
class _Partial:
    """One task's figures as read (days still ISO text), before they become a TaskState."""

    reports: int = 0
    last_report: str | None = None
    latest: tuple[str, int, float] | None = None  # (at, id, progress) of the latest value
    first_progress: str | None = None
    start: str | None = None
    milestones: dict[str, date] = field(default_factory=dict)
    card: tuple[int, date] | None = None

    def state(self, days: _Days) -> TaskState:
        at, _, progress = self.latest or (None, 0, 0.0)
        return TaskState(
            progress=progress,
            progress_at=days.get_day(at),
            last_report=days.get_day(self.last_report),
            reports=self.reports,
            started=days.get_day(self.start or self.first_progress),
            milestones_done=self.milestones,
            card_level=self.card[0] if self.card else None,
            card_since=self.card[1] if self.card else None,
        )


def _rows(
    conn: sqlite3.Connection, sql: str, as_of: date, tasks: Collection[str] | None
) -> Iterator[Any]:
    """Run *sql* (with a ``{tasks}`` slot) for all tasks, or for *tasks* in chunks."""
    params: dict[str, str] = {"as_of": as_of.isoformat()}
    if tasks is None:
        yield from conn.execute(sql.format(tasks=""), params)
        return
    it = iter(sorted(set(tasks)))
    while chunk := list(islice(it, _CHUNK)):
        names = [f"t{i}" for i in range(len(chunk))]
        marks = ", ".join(f":{n}" for n in names)
        yield from conn.execute(
            sql.format(tasks=f"AND task IN ({marks})"),
            params | dict(zip(names, chunk, strict=True)),
        )


def _card_level(data: object) -> int | None:
    try:
        level = json.loads(data)["level"] if isinstance(data, str) else None
    except (ValueError, TypeError, KeyError):
        return None
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def cards(
    conn: sqlite3.Connection,
    as_of: date,
    tasks: Collection[str] | None = None,
    days: _Days | None = None,
) -> dict[str, tuple[int, date]]:
    """Latest ``card`` event per task as of *as_of*: its level and day.

    A task whose latest card event has no integer ``data["level"]`` is left out.
    """
    if tasks is not None and len(tasks) > _FEW:
        wanted = set(tasks)
        return {t: c for t, c in cards(conn, as_of, None, days).items() if t in wanted}
    days = _Days() if days is None else days
    out: dict[str, tuple[int, date]] = {}
    for task, at, data in _rows(conn, _CARD_SQL, as_of, tasks):
        level = _card_level(data)
        if level is not None:
            out[task] = (level, days[at])
    return out


def _lower(a: str | None, b: str | None) -> str | None:
    return b if a is None or (b is not None and b < a) else a


def states(
    conn: sqlite3.Connection, as_of: date, tasks: Collection[str] | None = None
) -> dict[str, TaskState]:
    """:class:`TaskState` per task that has an event on or before *as_of*."""
    if tasks is not None and len(tasks) > _FEW:
        wanted = set(tasks)
        return {t: s for t, s in states(conn, as_of).items() if t in wanted}
    parts: dict[str, _Partial] = {}

    def part(task: str) -> _Partial:
        found = parts.get(task)
        if found is None:
            found = parts[task] = _Partial()
        return found

    for task, reports, *per_kind in _rows(conn, _REPORT_SQL, as_of, tasks):
        p = parts[task] = _Partial(reports=reports)
        for i in range(0, len(per_kind), 5):
            last, valued_at, valued_id, progress, first = per_kind[i : i + 5]
            if last is not None and (p.last_report is None or last > p.last_report):
                p.last_report = last
            if valued_at is not None and (
                p.latest is None or (valued_at, valued_id) > p.latest[:2]
            ):
                p.latest = (valued_at, valued_id, float(progress))
            p.first_progress = _lower(p.first_progress, first)
    for task, start in _rows(conn, _START_SQL, as_of, tasks):
        part(task).start = start
    days = _Days()
    for task, name, at in _rows(conn, _MILESTONE_SQL, as_of, tasks):
        part(task).milestones[name] = days[at]
    for task, card in cards(conn, as_of, tasks, days).items():
        part(task).card = card
    return {task: p.state(days) for task, p in parts.items()}
