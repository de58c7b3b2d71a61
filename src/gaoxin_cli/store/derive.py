"""Current state from the event log: by queries over two indexes, or by folding events.

Every :class:`TaskState` field is an aggregate over the task's events with ``at`` on or
before the day asked about, and none depends on the order the events are met in: a
count, a greatest or least day, the greatest ``(at, id)`` of some kind. So a task's
figures can be computed in parts and merged (:class:`Partial`): the state checkpoints
(``store/checkpoint.py``) keep the parts for the events up to some id, and :func:`fold`
adds the events written since.

The query path, for any day: ``events_task_kind_at`` holds ``(task, kind, at, id,
progress)``: reports are counted in one scan of it, and per task a handful of seeks read
the latest report, the latest with a progress value and the first with progress > 0 (its
entries for one task and kind run in ``(at, id)`` order, so each seek is one step).
``events_kind_task`` holds ``(kind, task, milestone, at)`` and covers start, milestone and
card dates. Every query names its index (``INDEXED BY``), so the plan cannot drift to a
table scan.

"Latest" means the greatest ``(at, id)``: the id breaks ties between events of one day.
A task appears only if it has something to show: a report, a start, a named milestone
or a readable card as of the day asked about.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from gaoxin_cli.models.state import TaskState

REPORT_KINDS = ("feedback", "correction")
# The kinds a TaskState is made of; the other kinds (extension, lifecycle, problem …)
# never change it.
STATE_KINDS = (*REPORT_KINDS, "start", "milestone", "card")
# A day after every day the events table can hold (its CHECK wants digits and dashes).
EVER = "9999-99-99"
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


_REPORT_COLUMNS = 5  # per report kind, as _report_sql lists them (6 with first=True)


def _report_sql(*, first: bool) -> str:
    """Per task: how many reports; then, per report kind, the latest report's day, the
    latest report with a progress value (day, id, value), the first with progress > 0 and,
    with *first*, the first report of all.

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
        if first:
            cols.append(_seek(kind, "at", "", "ASC"))
    kinds = ", ".join(f"'{k}'" for k in REPORT_KINDS)
    return (
        "SELECT r.task, r.reports,\n  "
        + ",\n  ".join(cols)
        + "\nFROM (SELECT task, count(*) AS reports FROM events INDEXED BY events_task_kind_at"
        + f" WHERE kind IN ({kinds}) AND at <= :as_of {{tasks}} GROUP BY task) AS r"
    )


_REPORT_SQL = _report_sql(first=False)
_REPORT_FIRST_SQL = _report_sql(first=True)

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

# Any milestone event, named or not, makes a task active (store/lifecycle.py).
_MILESTONE_ANY_SQL = """
SELECT task, min(at) FROM events INDEXED BY events_kind_task
WHERE kind = 'milestone' AND at <= :as_of {tasks}
GROUP BY task
"""

# The latest card per task: its day, id and data (readable or not).
_CARD_SQL = """
SELECT c.task, c.at, c.id, (SELECT d.data FROM events AS d WHERE d.id = c.id)
FROM (
  SELECT m.task, m.at,
    (SELECT e.id FROM events AS e INDEXED BY events_task_kind_at
      WHERE e.task = m.task AND e.kind = 'card' AND e.at = m.at
      ORDER BY e.id DESC LIMIT 1) AS id
  FROM (
    SELECT task, max(at) AS at FROM events INDEXED BY events_kind_task
    WHERE kind = 'card' AND at <= :as_of {tasks}
    GROUP BY task
  ) AS m
) AS c
"""

# The state-making events written after event *upto*, read along the primary key (NOT
# INDEXED keeps SQLite from walking a kind index instead); their order does not matter
# to fold(). A card's data is read only for cards.
_TAIL_SELECT = f"""
SELECT id, task, kind, at, progress, milestone, CASE WHEN kind = 'card' THEN data END
FROM events NOT INDEXED
WHERE kind IN ({", ".join(f"'{k}'" for k in STATE_KINDS)}) AND at <= :as_of"""
TAIL_SQL = _TAIL_SELECT + " AND id > :upto\n"
# What a day checkpoint of the day *since* (a month end before *as_of*) lacks: the events
# dated after it, and those written after it (``id > upto``), up to *as_of* — one scan of
# the table (no index on ``at``).
TAIL_SINCE_SQL = _TAIL_SELECT + " AND (id > :upto OR at > :since)\n"


class _Days(dict[str, date]):
    """ISO text → date, parsed once per distinct day (a history spans few of them)."""

    def __missing__(self, text: str) -> date:
        day = self[text] = date.fromisoformat(text)
        return day

    def get_day(self, text: str | None) -> date | None:
        return None if text is None else self[text]


@dataclass(slots=True)
class Partial:
    """One task's aggregates over some of its events (days as ISO text), with the keys
    needed to add more: :func:`fold` of the events B into ``agg(A)`` is ``agg(A ∪ B)``."""

    reports: int = 0
    last_report: str | None = None  # greatest day of a report
    latest: tuple[str, int, float] | None = None  # (at, id, progress): greatest valued report
    first_progress: str | None = None  # least day of a report with progress > 0
    start: str | None = None  # least day of a start event
    active: str | None = None  # least day of a report, start or milestone (named or not)
    milestones: dict[str, str] = field(default_factory=dict)  # name → least day
    card: tuple[str, int, int | None] | None = None  # (at, id, level): greatest card
    # For scoring (kept by checkpoints, see :func:`extras`): the greatest (at, id) of a
    # valued report below 100 %, the least day of a report at 100 % or more after it
    # (UNKNOWN when a report below 100 % came in among earlier parts' later reports), and
    # per month ("YYYY-MM") the days with a report, as bits (bit d-1 for day d).
    below: tuple[str, int] | None = None
    done: str | None = None
    report_days: dict[str, int] = field(default_factory=dict)

    def shown(self) -> bool:
        """Has the task something to show (is it in :func:`states`)?"""
        return bool(
            self.reports
            or self.start is not None
            or self.milestones
            or (self.card is not None and self.card[2] is not None)
        )

    def state(self, days: _Days) -> TaskState:
        at, _, progress = self.latest or (None, 0, 0.0)
        card = self.card if self.card is not None and self.card[2] is not None else None
        milestones = self.milestones
        return TaskState(
            progress=progress,
            progress_at=days.get_day(at),
            last_report=days.get_day(self.last_report),
            reports=self.reports,
            started=days.get_day(self.start or self.first_progress),
            # By name, as the milestone query returns them, whatever the order merged in.
            milestones_done={name: days[milestones[name]] for name in sorted(milestones)},
            card_level=card[2] if card else None,
            card_since=days[card[0]] if card else None,
        )


# Partial.done when the parts merged cannot tell it (a late report below 100 % dated
# before a report of earlier parts): the queries then (awards.done_days).
UNKNOWN = "?"


def earlier(a: str | None, b: str | None) -> str | None:
    """The lesser of two ISO days, either of which may be missing."""
    return b if a is None or (b is not None and b < a) else a


def later(a: str | None, b: str | None) -> str | None:
    """The greater of two ISO days, either of which may be missing."""
    return b if a is None or (b is not None and b > a) else a


def card_level(data: object) -> int | None:
    """A card's ``data["level"]`` when it is an integer (JSON text in, ``None`` if not)."""
    try:
        level = json.loads(data)["level"] if isinstance(data, str) else None
    except (ValueError, TypeError, KeyError):
        return None
    return level if isinstance(level, int) and not isinstance(level, bool) else None


TailRow = tuple[int, str, str, str, Any, str | None, str | None]


def fold(parts: dict[str, Partial], rows: Iterable[TailRow]) -> str | None:
    """Add event *rows* (as :data:`TAIL_SQL` reads them) to *parts*, in place; return the
    greatest day among them (``None`` for no rows)."""
    latest_day: str | None = None
    for id_, task, kind, at, progress, milestone, data in rows:
        p = parts.get(task)
        if p is None:
            p = parts[task] = Partial()
        if latest_day is None or at > latest_day:
            latest_day = at
        if kind == "card":
            if p.card is None or (at, id_) > p.card[:2]:
                p.card = (at, id_, card_level(data))
            continue
        if p.active is None or at < p.active:
            p.active = at
        if kind == "start":
            if p.start is None or at < p.start:
                p.start = at
        elif kind == "milestone":
            if milestone is not None:
                seen = p.milestones.get(milestone)
                if seen is None or at < seen:
                    p.milestones[milestone] = at
        else:  # a report
            p.reports += 1
            if p.last_report is None or at > p.last_report:
                p.last_report = at
            month, bit = at[:7], 1 << (int(at[8:10]) - 1)
            p.report_days[month] = p.report_days.get(month, 0) | bit
            if progress is not None:
                key = (at, id_)
                if p.below is None or key > p.below:
                    if progress < 100:
                        # A later report of the parts so far is at 100 % (any below 100
                        # would be p.below): when it was reached again is not known here.
                        later_known = p.latest is not None and p.latest[:2] > key
                        p.done = UNKNOWN if later_known else None
                        p.below = key
                    elif p.done is None or (p.done != UNKNOWN and at < p.done):
                        p.done = at
                if p.latest is None or (at, id_) > p.latest[:2]:
                    p.latest = (at, id_, float(progress))
                if progress > 0 and (p.first_progress is None or at < p.first_progress):
                    p.first_progress = at
    return latest_day


def _rows(
    conn: sqlite3.Connection, sql: str, as_of: str, tasks: Collection[str] | None
) -> Iterator[Any]:
    """Run *sql* (with a ``{tasks}`` slot) for all tasks, or for *tasks* in chunks."""
    params: dict[str, str] = {"as_of": as_of}
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


def partials(
    conn: sqlite3.Connection,
    as_of: str,
    tasks: Collection[str] | None = None,
    *,
    active: bool = False,
) -> dict[str, Partial]:
    """:class:`Partial` per task from its state-making events on or before *as_of* (ISO
    text; :data:`EVER` for all), by queries. With *active*, also the first active day —
    and tasks whose events show nothing (an unreadable card, an unnamed milestone) —
    which a checkpoint keeps; without, those may be missing."""
    parts: dict[str, Partial] = {}

    def part(task: str) -> Partial:
        found = parts.get(task)
        if found is None:
            found = parts[task] = Partial()
        return found

    width = _REPORT_COLUMNS + active
    for task, reports, *per_kind in _rows(
        conn, _REPORT_FIRST_SQL if active else _REPORT_SQL, as_of, tasks
    ):
        p = parts[task] = Partial(reports=reports)
        for i in range(0, len(per_kind), width):
            last, valued_at, valued_id, progress, first, *earliest = per_kind[i : i + width]
            p.last_report = later(p.last_report, last)
            if valued_at is not None and (
                p.latest is None or (valued_at, valued_id) > p.latest[:2]
            ):
                p.latest = (valued_at, valued_id, float(progress))
            p.first_progress = earlier(p.first_progress, first)
            if earliest:
                p.active = earlier(p.active, earliest[0])
    for task, start in _rows(conn, _START_SQL, as_of, tasks):
        p = part(task)
        p.start = start
        if active:
            p.active = earlier(p.active, start)
    for task, name, at in _rows(conn, _MILESTONE_SQL, as_of, tasks):
        part(task).milestones[name] = at
    if active:
        for task, at in _rows(conn, _MILESTONE_ANY_SQL, as_of, tasks):
            p = part(task)
            p.active = earlier(p.active, at)
    for task, at, id_, data in _rows(conn, _CARD_SQL, as_of, tasks):
        level = card_level(data)
        if level is not None or active:
            part(task).card = (at, id_, level)
    return parts


def finish(parts: dict[str, Partial]) -> dict[str, TaskState]:
    """The :class:`TaskState` of each task in *parts* that has something to show."""
    days = _Days()
    return {task: p.state(days) for task, p in parts.items() if p.shown()}


def cards(
    conn: sqlite3.Connection, as_of: date, tasks: Collection[str] | None = None
) -> dict[str, tuple[int, date]]:
    """Latest ``card`` event per task as of *as_of*: its level and day.

    A task whose latest card event has no integer ``data["level"]`` is left out.
    """
    if tasks is not None and len(tasks) > _FEW:
        wanted = set(tasks)
        return {t: c for t, c in cards(conn, as_of, None).items() if t in wanted}
    days = _Days()
    out: dict[str, tuple[int, date]] = {}
    for task, at, _, data in _rows(conn, _CARD_SQL, as_of.isoformat(), tasks):
        level = card_level(data)
        if level is not None:
            out[task] = (level, days[at])
    return out


def states(
    conn: sqlite3.Connection, as_of: date, tasks: Collection[str] | None = None
) -> dict[str, TaskState]:
    """:class:`TaskState` per task that has an event on or before *as_of*, by queries."""
    if tasks is not None and len(tasks) > _FEW:
        wanted = set(tasks)
        return {t: s for t, s in states(conn, as_of).items() if t in wanted}
    return finish(partials(conn, as_of.isoformat(), tasks))


# --- what scoring reads, by queries (for a checkpoint being derived) ---------------------


def _latest_below(kind: str) -> str:
    # The latest report of one kind below 100 %, as "at id" text that sorts by (at, id):
    # one seek from the end of the task's (task, kind) run in events_task_kind_at.
    return (
        "(SELECT e.at || ' ' || printf('%012d', e.id)"
        " FROM events AS e INDEXED BY events_task_kind_at"
        f" WHERE e.task = j.value AND e.kind = '{kind}' AND e.progress < 100 AND e.at <= ?2"
        " ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    )


# Per task named in ?1 (a JSON array): the last report below 100 % as of ?2 ("at id"
# text, '' for none), and the first day of a report at 100 % or more after it.
DONE_SQL = f"""
WITH d AS MATERIALIZED (
  SELECT j.value AS task,
    max(coalesce({_latest_below("feedback")}, ''),
        coalesce({_latest_below("correction")}, '')) AS below
  FROM json_each(?1) AS j)
SELECT d.task, d.below,
  (SELECT min(e.at) FROM events AS e INDEXED BY events_task_kind_at
   WHERE e.task = d.task AND e.kind IN ('feedback', 'correction') AND e.progress >= 100
     AND e.at <= ?2 AND e.at >= substr(d.below, 1, 10)
     AND e.at || ' ' || printf('%012d', e.id) > d.below)
FROM d
"""

# Per task named in ?1, per month: the days from ?2 to ?3 with a report, as bits.
_REPORT_DAYS_SQL = """
SELECT e.task, substr(e.at, 1, 7), sum(DISTINCT 1 << (CAST(substr(e.at, 9, 2) AS INTEGER) - 1))
FROM json_each(?1) AS j JOIN events AS e INDEXED BY events_task_kind_at
  ON e.task = j.value AND e.kind IN ('feedback', 'correction') AND e.at BETWEEN ?2 AND ?3
GROUP BY 1, 2
"""


def extras(
    conn: sqlite3.Connection, as_of: str, parts: dict[str, Partial], months: list[str]
) -> None:
    """Fill in what scoring reads — ``below``, ``done`` and the ``report_days`` of
    *months* — into *parts*, every task's :class:`Partial` on *as_of* as :func:`partials`
    derives it (``latest`` already known), by queries."""
    done = []
    for task, p in parts.items():
        p.report_days = {}
        if p.latest is None:
            p.below, p.done = None, None
        elif p.latest[2] < 100:
            p.below, p.done = p.latest[:2], None
        else:
            done.append(task)
    for task, below, day in conn.execute(DONE_SQL, (json.dumps(done), as_of)):
        p = parts[task]
        p.below = (below[:10], int(below[11:])) if below else None
        p.done = day
    if months and parts:
        first, last = f"{min(months)}-01", f"{max(months)}-31"
        reporting = json.dumps([t for t, p in parts.items() if p.reports])
        wanted = set(months)
        for task, month, bits in conn.execute(
            _REPORT_DAYS_SQL, (reporting, first, min(last, as_of))
        ):
            if month in wanted:
                parts[task].report_days[month] = bits
