"""State checkpoints: every task's aggregates up to some event, so state reads fast.

One cohesive thing of some length: writing, choosing and reading a checkpoint share
its column format, and splitting them would spread one format over three files.

Events stay the only truth. A checkpoint is a cache of :class:`~derive.Partial` for
every task over the events with ``id <= upto`` (``max_at``: the greatest day among
them). As every state field is an aggregate that merges (derive.py), the state of all
tasks on a day ``as_of >= max_at`` is the checkpoint merged with the events written
after it (``id > upto``, read by the primary key: few, as a new checkpoint is written
once :data:`EVERY` events have piled up). An earlier day is served by a day checkpoint
(a past month end) of that day or of the month end before it, with the events it lacks
(:func:`states`). With no usable checkpoint, the store derives state by its queries
instead — the same result.

Tables (m006): ``checkpoints`` (``id``, ``format``, ``upto``, ``max_at``) and
``checkpoint_columns`` (``checkpoint``, ``name``, ``data``): one column of values per
row, every task at the same position in each, because 10,000 tasks read from a handful
of packed columns in ~1 ms, where 10,000 rows take ~11 ms and one JSON document ~12 ms
(measured; building the ``TaskState`` objects then costs 5–10 ms). A new checkpoint
rewrites only the positions of the tasks that have new events.

Format 1, ``n`` tasks (``m`` pairs of task and milestone name):

====================  ======  =================================================
column                length  values
====================  ======  =================================================
``task``              n       JSON array of task ids (distinct)
``shown``             n       int8: 1 if the task has something to show (a report,
                              a start, a named milestone or a readable card)
``reports``           n       int32: number of reports
``progress``          n       float64: latest reported progress (0.0: none)
``progress_at``       n       day of that report …
``latest_id``         n       int64: … and its id (0: none)
``last_report``       n       day of the latest report
``first_progress``    n       day of the first report with progress > 0
``start``             n       day of the first start event
``started``           n       ``start``, else ``first_progress``
``active``            n       day of the first report, start or milestone event
``card_at``           n       day of the latest card event, readable or not …
``card_id``           n       int64: … its id …
``card_level``        n       JSON array: … and its integer level, or null
``card_since``        n       ``card_at`` when its level is readable
``milestone_task``    m       int32: position in ``task`` …
``milestone_name``    m       JSON array: … a milestone's name …
``milestone_at``      m       … and the first day it was reached
``below_at``          n       day of the latest report below 100 % …
``below_id``          n       int64: … and its id (0: none)
``done_at``           n       day of the first report at 100 % or more after
                              it (-1: not known, see derive.UNKNOWN)
``report_months``     2       JSON array: the month of ``max_at`` and the one
                              before ("YYYY-MM"), oldest first …
``report_days_0``     n       int32: … the days of the first with a report, as
                              bits (bit d-1 for day d) …
``report_days_1``     n       … and of the second
====================  ======  =================================================

The last six (the scoring columns, read by :class:`Scoring`) are all there or all
missing: a checkpoint written before them serves states, and the next write adds them.

A day is an int32 proleptic Gregorian ordinal (``date.toordinal``), 0 for none; numbers
are little-endian. Nothing in it is executable (no pickle): a file from elsewhere can at
worst hold a wrong cache, as it could hold wrong events. A checkpoint of another format
number, or one that does not decode, is ignored; a writer replaces the checkpoints of
its own and older formats and leaves newer ones alone.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, MutableSequence, Sequence
from contextlib import suppress
from datetime import date, timedelta
from itertools import compress, repeat
from operator import and_, ge, gt, not_
from typing import Any, NamedTuple, TypeVar

from gaoxin_cli.models.state import DONE_AT, TaskState
from gaoxin_cli.store import derive
from gaoxin_cli.store.derive import EVER, Partial

# (at, id, …): a report's or a card's key and value
_Keyed = TypeVar("_Keyed", tuple[str, int, float], tuple[str, int, int | None])

FORMAT = 1
# A write transaction that appended events ends by writing a checkpoint once this many
# came after the last one. Reading merges those events in at ~20 µs each (the states of
# the tasks they touch are rebuilt): ≤ 5 ms at 250, on ~11 ms for 10,000 tasks. Writing
# one costs ~12 ms plus ~7 µs an event since the last: < 0.1 ms an event.
EVERY = 250
# Past this many events since the checkpoint, the queries are as fast as merging them.
READ_TAIL_MAX = 20_000
# A day checkpoint: the columns of format FORMAT for the events with ``at <= max_at``
# (its day, a month's last) among those with ``id <= upto``. Another format number, so
# that readers and writers of the rolling checkpoint never take one for theirs.
DAY_FORMAT = 1000 + FORMAT
# Month ends a rolling checkpoint leaves behind that get a day checkpoint, at most.
DAY_SNAPSHOTS_MAX = 3
# Reading a day checkpoint scans the events written after it (by the primary key, in
# SQLite: ~0.2 s a million) for the few dated on or before its day; past this many, the
# queries instead.
DAY_SCAN_MAX = 5_000_000
# A past day between month ends is served by the day checkpoint of a day before it, at
# most this many days before (the month end before): the events dated after that day
# and on or before the one asked about are folded in, found by one scan of the events
# (no index on ``at``: ~2 s at 10,000,000, and ~2 µs an event folded). Further back, more
# than a month of events to fold: the queries then.
DAY_BEFORE_MAX_DAYS = 31
# Events dated on or before a day checkpoint's day but written after it (a backlog
# imported late) are folded in by every read of it, at ~20 µs each; past this many a
# write that adds more derives the day checkpoint again (by the queries: ~0.4 s at
# 1,000,000 events, ~4 s at 10,000,000), so a month's ranking stays a read.
DAY_TAIL_MAX = 20_000

_JSON = "json"  # a column of JSON text; the others are arrays (typecode below)


def _typecode(candidates: str, size: int) -> str:
    return next(c for c in candidates if array(c).itemsize == size)


_I32 = _typecode("ilh", 4)
_I64 = _typecode("ql", 8)
# Every column of format 1, in the order they are written. Days are int32 ordinals.
_COLUMNS: dict[str, str] = {
    "task": _JSON,
    "shown": "b",
    "reports": _I32,
    "progress": "d",
    "progress_at": _I32,
    "latest_id": _I64,
    "last_report": _I32,
    "first_progress": _I32,
    "start": _I32,
    "started": _I32,
    "active": _I32,
    "card_at": _I32,
    "card_id": _I64,
    "card_level": _JSON,
    "card_since": _I32,
    "milestone_task": _I32,
    "milestone_name": _JSON,
    "milestone_at": _I32,
    # What scoring reads (optional: a checkpoint written before them lacks them all).
    "below_at": _I32,
    "below_id": _I64,
    "done_at": _I32,
    "report_months": _JSON,
    "report_days_0": _I32,
    "report_days_1": _I32,
}
_MILESTONES = ("milestone_task", "milestone_name", "milestone_at")
_EXTRAS = ("below_at", "below_id", "done_at", "report_months", "report_days_0", "report_days_1")
_REPORT_DAYS = ("report_days_0", "report_days_1")
_PER_TASK = tuple(name for name in _COLUMNS if name not in (*_MILESTONES, "report_months"))
# done_at of a task whose done day the fold could not tell (derive.UNKNOWN).
_UNKNOWN_DAY = -1
# Up to this many tasks are found in the columns one by one, more through a map of all.
_FEW_POSITIONS = 16
# What reading every task's state needs; merging events into it needs all of them.
_FOR_STATES = (
    "shown",
    "reports",
    "progress",
    "progress_at",
    "last_report",
    "started",
    "card_level",
    "card_since",
    *_MILESTONES,
)
_ALL = tuple(name for name in _COLUMNS if name != "task" and name not in _EXTRAS)
# What scoring reads (Scoring) when no event came after the checkpoint.
_FOR_SCORING = ("progress", "progress_at", "card_at", "card_id", "card_level")
_SWAP = sys.byteorder == "big"

_SELECT_TAIL_ACTIVE = """
SELECT DISTINCT task FROM events NOT INDEXED
WHERE id > ? AND at <= ? AND kind IN ('feedback', 'correction', 'start', 'milestone')
"""

Column = MutableSequence[Any]
# Decoded columns a store keeps between its reads while nothing is written (``Store``),
# by checkpoint id: the task ids and the first active days, which ``states`` and then
# ``active_tasks`` (the lifecycle) both read. Only these two: the task ids are held by
# the states anyway, the active days are 4 bytes a task; the other columns are let go.
Kept = dict[int, dict[str, Column]]
_KEPT = ("task", "active")


class Header(NamedTuple):
    """A ``checkpoints`` row: it covers the events with ``id <= upto``."""

    id: int
    upto: int
    max_at: str | None


class OpenStates(NamedTuple):
    """The states of the tasks not done by the numbers (below 100 %), and the ids of the
    tasks that are: what a reader that leaves the done ones out needs."""

    states: dict[str, TaskState]
    done: set[str]


class Unreadable(ValueError):
    """A checkpoint that does not decode as its format says (it is then ignored)."""


def _top(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])


def header(conn: sqlite3.Connection) -> Header | None:
    """The newest checkpoint of this format that still fits the history, if any."""
    found = conn.execute(
        "SELECT id, upto, max_at FROM checkpoints WHERE format = ? ORDER BY upto DESC, id DESC"
        " LIMIT 1",
        (FORMAT,),
    ).fetchone()
    if found is None:
        return None
    id_, upto, max_at = found
    if not isinstance(upto, int) or upto < 0 or not (max_at is None or isinstance(max_at, str)):
        return None
    # Events are never deleted: the last one it covers must still be there.
    if upto and conn.execute("SELECT 1 FROM events WHERE id = ?", (upto,)).fetchone() is None:
        return None
    return Header(int(id_), upto, max_at)


# --- decoding --------------------------------------------------------------------------


def _decode(name: str, blob: object) -> Column:
    if not isinstance(blob, bytes):
        raise Unreadable(f"column {name} is not a blob")
    code = _COLUMNS[name]
    if code == _JSON:
        values = json.loads(blob)
        if not isinstance(values, list):
            raise Unreadable(f"column {name} is not a JSON array")
        return values
    numbers = array(code)
    numbers.frombytes(blob)  # ValueError unless a whole number of items
    if _SWAP:
        numbers.byteswap()
    return numbers


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


class _Days(dict[int, date | None]):
    """Day number → date (0 → None), converted once per distinct day."""

    def __init__(self) -> None:
        super().__init__({0: None})
        self.texts: dict[int, str | None] = {0: None}

    def __missing__(self, n: int) -> date:
        day = self[n] = date.fromordinal(n)  # ValueError when out of range
        return day

    def text(self, n: int) -> str | None:
        """The day as ISO text (what :class:`Partial` holds), or ``None`` for 0."""
        if n not in self.texts:
            day = self[n]
            self.texts[n] = None if day is None else day.isoformat()
        return self.texts[n]


class _Columns:
    """A checkpoint's columns, decoded (all or some), their shapes checked."""

    __slots__ = ("cols", "days")

    def __init__(self, cols: dict[str, Column], days: _Days) -> None:
        self.cols = cols
        self.days = days

    @property
    def tasks(self) -> list[str]:
        return self.cols["task"]  # type: ignore[return-value]  # JSON: a list

    @property
    def has_extras(self) -> bool:
        """Whether it holds what scoring reads (:data:`_EXTRAS`)."""
        return "done_at" in self.cols

    @property
    def months(self) -> list[str]:
        """The months whose report days it holds (``report_days_0``, ``_1``)."""
        return self.cols["report_months"]  # type: ignore[return-value]  # JSON: a list

    @classmethod
    def empty(cls, months: list[str] | None = None) -> _Columns:
        """No tasks; with *months*, the scoring columns too (report days of *months*)."""
        cols: dict[str, Column] = {
            name: [] if code == _JSON else array(code)
            for name, code in _COLUMNS.items()
            if months is not None or name not in _EXTRAS
        }
        if months is not None:
            cols["report_months"] = list(months)
        return cls(cols, _Days())

    @classmethod
    def read(
        cls,
        conn: sqlite3.Connection,
        ck: Header,
        names: Collection[str],
        extras: bool = False,
        kept: Kept | None = None,
    ) -> _Columns:
        """Decode ``task`` and *names* (with *extras*, the scoring columns too when it has
        them all); :class:`Unreadable` (a ValueError) if it fails. The columns *kept*
        holds for this checkpoint are taken from it (they were checked when decoded),
        and the ones it keeps (:data:`_KEPT`) left there."""
        wanted = ["task", *names, *(_EXTRAS if extras else ())]
        known = kept.setdefault(ck.id, {}) if kept is not None else {}
        cols = {name: known[name] for name in wanted if name in known}
        asked = [name for name in wanted if name not in cols]
        found = (
            conn.execute(
                "SELECT name, data FROM checkpoint_columns WHERE checkpoint = ?"
                f" AND name IN ({', '.join('?' for _ in asked)})",
                (ck.id, *asked),
            ).fetchall()
            if asked
            else []
        )
        cols.update((str(name), _decode(str(name), data)) for name, data in found)
        if extras and not set(_EXTRAS) <= cols.keys():
            for name in _EXTRAS:  # a checkpoint written before them: without
                cols.pop(name, None)
            wanted = wanted[: -len(_EXTRAS)]
        if len(cols) != len(wanted):
            raise Unreadable(f"columns missing: {sorted(set(wanted) - cols.keys())}")
        # The checks run at C speed (set, map, min): 10,000 tasks in well under 1 ms.
        n = len(cols["task"])
        if "task" not in known and not _types(cols["task"]) <= {str}:
            raise Unreadable("task ids must be text")
        for name in cols:
            if name in _PER_TASK and len(cols[name]) != n:
                raise Unreadable(f"column {name} has {len(cols[name])} values, not {n}")
        if "report_months" in cols:
            months = cols["report_months"]
            if len(months) != len(_REPORT_DAYS) or not _types(months) <= {str}:
                raise Unreadable("report_months must name two months")
            if cols["done_at"] and min(cols["done_at"]) < _UNKNOWN_DAY:
                raise Unreadable("done_at out of range")
        if "shown" in cols and not set(cols["shown"]) <= {0, 1}:
            raise Unreadable("shown must be 0 or 1")
        if "card_level" in cols and not _types(cols["card_level"]) <= {int, type(None)}:
            raise Unreadable("card levels must be integers or null")
        if "milestone_task" in cols:
            at = cols["milestone_task"]
            if not len(at) == len(cols["milestone_name"]) == len(cols["milestone_at"]):
                raise Unreadable("milestone columns differ in length")
            if at and (min(at) < 0 or max(at) >= n):
                raise Unreadable("milestone_task out of range")
            if 0 in cols["milestone_at"]:
                raise Unreadable("a milestone without a day")
            if not _types(cols["milestone_name"]) <= {str}:
                raise Unreadable("milestone names must be text")
        # Days become dates as met (_Days): one out of range is a ValueError then.
        known.update((name, cols[name]) for name in _KEPT if name in cols)
        return cls(cols, _Days())

    def positions(self, only: Iterable[str]) -> dict[str, int]:
        """The position of each of *only* that it holds. The events after a checkpoint
        touch a few tasks (two on the city bench): each is found by a scan at C speed,
        where a map of all 100,000 positions took 30 ms."""
        tasks = self.tasks
        wanted = only if isinstance(only, (set, frozenset, dict)) else set(only)
        if len(wanted) > _FEW_POSITIONS:
            index = _index(tasks)
            return {t: index[t] for t in wanted if t in index}
        out = {}
        for t in wanted:
            with suppress(ValueError):
                out[t] = tasks.index(t)
        return out

    def copy(self) -> _Columns:
        """Another set of the same columns (arrays copied at C speed)."""
        cols: dict[str, Column] = {
            name: list(values) if _COLUMNS[name] == _JSON else array(_COLUMNS[name], values)
            for name, values in self.cols.items()
        }
        return _Columns(cols, _Days())

    def states(self) -> dict[str, TaskState]:
        """The state of every task that has something to show, straight from the columns."""
        c = self.cols
        return self._states(c["shown"] if 0 in c["shown"] else None)

    def open_states(self) -> OpenStates:
        """:meth:`states` of the tasks not done by the numbers (below 100 %), and the ids
        of those done: the done ones (most of a year's plan by autumn) get no state made."""
        c = self.cols
        shown = c["shown"]
        done = list(map(ge, c["progress"], repeat(DONE_AT)))
        if 0 in shown:
            done = list(map(and_, done, shown))
            kept = list(map(gt, shown, done))  # shown and not done
        else:
            kept = list(map(not_, done))
        return OpenStates(self._states(kept), set(compress(self.tasks, done)))

    def _states(self, kept: Sequence[Any] | None) -> dict[str, TaskState]:
        """The states of the tasks at the positions *kept* marks (``None``: all)."""
        c = self.cols
        get = self.days.__getitem__
        # A task without a milestone done shares TaskState's empty (read-only) mapping:
        # an empty dict for each of them took ~6 ms at 100,000 tasks.
        none = TaskState._field_defaults["milestones_done"]
        milestones: list[Mapping[str, date]] = [none] * len(self.tasks)
        for i, name, at in zip(
            c["milestone_task"], c["milestone_name"], c["milestone_at"], strict=True
        ):
            done = milestones[i]
            if done is none:
                done = milestones[i] = {}
            done[name] = get(at)

        def col(values: Iterable[Any]) -> Iterable[Any]:
            return values if kept is None else compress(values, kept)

        made = _task_states(
            col(c["progress"]),
            map(get, col(c["progress_at"])),
            map(get, col(c["last_report"])),
            col(c["reports"]),
            map(get, col(c["started"])),
            col(milestones),
            col(c["card_level"]),
            map(get, col(c["card_since"])),
        )
        return dict(zip(col(self.tasks), made, strict=True))

    def partials(self, only: Iterable[str]) -> dict[str, Partial]:
        """:class:`Partial` of each task in *only* that the checkpoint has (what scoring
        reads too, when it holds that)."""
        c, text = self.cols, self.days.text
        extras = self.has_extras
        months = list(zip(self.months, _REPORT_DAYS, strict=True)) if extras else []
        picked = set(self.positions(only).values())
        names: dict[int, dict[str, str]] = {}
        for i, name, at in zip(
            c["milestone_task"], c["milestone_name"], c["milestone_at"], strict=True
        ):
            if i in picked:
                names.setdefault(i, {})[name] = text(at) or ""  # at > 0: checked in read()
        out: dict[str, Partial] = {}
        for i in picked:
            at = text(c["progress_at"][i])
            card_at = text(c["card_at"][i])
            out[self.tasks[i]] = Partial(
                reports=c["reports"][i],
                last_report=text(c["last_report"][i]),
                latest=None if at is None else (at, c["latest_id"][i], c["progress"][i]),
                first_progress=text(c["first_progress"][i]),
                start=text(c["start"][i]),
                active=text(c["active"][i]),
                milestones=names.get(i, {}),
                card=None if card_at is None else (card_at, c["card_id"][i], c["card_level"][i]),
            )
            if extras:
                p = out[self.tasks[i]]
                below = text(c["below_at"][i])
                p.below = None if below is None else (below, c["below_id"][i])
                done = c["done_at"][i]
                p.done = derive.UNKNOWN if done == _UNKNOWN_DAY else text(done)
                p.report_days = {m: c[name][i] for m, name in months if c[name][i]}
        return out

    def add_extras(self, months: list[str]) -> None:
        """Add the scoring columns, zero (for :meth:`update` to fill in)."""
        n = len(self.tasks)
        for name in _EXTRAS:
            code = _COLUMNS[name]
            if name != "report_months":
                self.cols[name] = array(code, bytes(array(code).itemsize * n))
        self.cols["report_months"] = list(months)

    def retrack(self, months: list[str]) -> None:
        """Hold the report days of *months* (later ones than it holds, or the same): a
        month it did not hold starts with none, as no event it covers is dated there."""
        c = self.cols
        old = dict(zip(self.months, (c[name] for name in _REPORT_DAYS), strict=True))
        n = len(self.tasks)
        for month, name in zip(months, _REPORT_DAYS, strict=True):
            kept = old.get(month)
            c[name] = array(_I32, kept) if kept is not None else array(_I32, bytes(4 * n))
        c["report_months"] = list(months)

    def update(self, parts: Mapping[str, Partial]) -> None:
        """Put *parts* in (replacing those tasks' figures, adding new tasks)."""
        c, tasks = self.cols, self.tasks
        index = _index(tasks)
        ordinals: dict[str | None, int] = {None: 0}

        def day(text: str | None) -> int:
            found = ordinals.get(text)
            if found is None:
                found = ordinals[text] = date.fromisoformat(str(text)).toordinal()
            return found

        extras = self.has_extras
        months = list(zip(self.months, _REPORT_DAYS, strict=True)) if extras else []
        per_task = [name for name in _PER_TASK[1:] if name in c]
        changed: set[int] = set()
        for task, p in parts.items():
            i = index.get(task)
            if i is None:
                i = index[task] = len(tasks)
                tasks.append(task)
                for name in per_task:
                    code = _COLUMNS[name]
                    c[name].append(None if code == _JSON else 0.0 if code == "d" else 0)
            changed.add(i)
            at, id_, progress = p.latest or (None, 0, 0.0)
            card_at, card_id, level = p.card or (None, 0, None)
            c["shown"][i] = int(p.shown())
            c["reports"][i] = p.reports
            c["progress"][i] = progress
            c["progress_at"][i] = day(at)
            c["latest_id"][i] = id_
            c["last_report"][i] = day(p.last_report)
            c["first_progress"][i] = day(p.first_progress)
            c["start"][i] = day(p.start)
            c["started"][i] = day(p.start or p.first_progress)
            c["active"][i] = day(p.active)
            c["card_at"][i] = day(card_at)
            c["card_id"][i] = card_id
            c["card_level"][i] = level
            c["card_since"][i] = day(card_at) if level is not None else 0
            if extras:
                below_at, below_id = p.below or (None, 0)
                c["below_at"][i] = day(below_at)
                c["below_id"][i] = below_id
                c["done_at"][i] = _UNKNOWN_DAY if p.done == derive.UNKNOWN else day(p.done)
                for month, name in months:
                    c[name][i] = p.report_days.get(month, 0)
        # The changed tasks' milestones: dropped, then written anew.
        kept = [k for k, i in enumerate(c["milestone_task"]) if i not in changed]
        new = [  # by name within a task, as the queries read them
            (index[task], name, day(p.milestones[name]))
            for task, p in parts.items()
            for name in sorted(p.milestones)
        ]
        for j, name in enumerate(_MILESTONES):
            old = c[name]
            values = [old[k] for k in kept] + [row[j] for row in new]
            c[name] = values if _COLUMNS[name] == _JSON else array(_COLUMNS[name], values)

    def encode(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for name, code in _COLUMNS.items():
            if name not in self.cols:
                continue  # the scoring columns, in a checkpoint without them
            values = self.cols[name]
            if code == _JSON:
                out[name] = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
            else:
                numbers = array(code, values)  # a copy: OverflowError past the type (a bug)
                if _SWAP:
                    numbers.byteswap()
                out[name] = numbers.tobytes()
        return out


def _index(tasks: list[str]) -> dict[str, int]:
    """Task id → its position in the columns."""
    return dict(zip(tasks, range(len(tasks)), strict=True))


# The columns in TaskState's field order: a state is built from its row by one C call
# (tuple.__new__ on the NamedTuple), ~0.2 µs each.
_FIELDS = (
    "progress",
    "progress_at",
    "last_report",
    "reports",
    "started",
    "milestones_done",
    "card_level",
    "card_since",
)
assert TaskState._fields == _FIELDS, "checkpoint columns must follow TaskState's fields"


def _task_states(first: Iterable[Any], *rest: Iterable[Any]) -> list[TaskState]:
    """One :class:`TaskState` per position, the columns given in :data:`_FIELDS` order."""
    return list(map(tuple.__new__, repeat(TaskState), zip(first, *rest, strict=True)))


def _load(
    conn: sqlite3.Connection,
    ck: Header,
    names: Collection[str],
    extras: bool = False,
    kept: Kept | None = None,
) -> _Columns | None:
    try:
        return _Columns.read(conn, ck, names, extras, kept)
    except (ValueError, TypeError, OverflowError):
        return None  # Unreadable, json.JSONDecodeError and array's complaints


# --- reading ----------------------------------------------------------------------------


def _usable(conn: sqlite3.Connection) -> Header | None:
    ck = header(conn)
    if ck is None or _top(conn) - ck.upto > READ_TAIL_MAX:
        return None
    return ck


def _day_header(conn: sqlite3.Connection, day: str) -> Header | None:
    """The newest day checkpoint of *day* that still fits the history, if any."""
    found = conn.execute(
        "SELECT id, upto, max_at FROM checkpoints WHERE format = ? AND max_at = ?"
        " ORDER BY upto DESC, id DESC LIMIT 1",
        (DAY_FORMAT, day),
    ).fetchone()
    return _fitting(conn, found)


def _day_before(conn: sqlite3.Connection, day: str) -> Header | None:
    """The newest day checkpoint of a day before *day*, at most
    :data:`DAY_BEFORE_MAX_DAYS` earlier, that still fits the history, if any."""
    earliest = (date.fromisoformat(day) - timedelta(days=DAY_BEFORE_MAX_DAYS)).isoformat()
    found = conn.execute(
        "SELECT id, upto, max_at FROM checkpoints WHERE format = ? AND max_at < ?"
        " AND max_at >= ? ORDER BY max_at DESC, upto DESC, id DESC LIMIT 1",
        (DAY_FORMAT, day, earliest),
    ).fetchone()
    return _fitting(conn, found)


def _fitting(conn: sqlite3.Connection, found: tuple[Any, ...] | None) -> Header | None:
    """The day checkpoint *found* (id, upto, day) when its last event is still there and
    not too many came after it."""
    if found is None or not isinstance(found[1], int) or found[1] <= 0:
        return None
    id_, upto, max_at = found
    if conn.execute("SELECT 1 FROM events WHERE id = ?", (upto,)).fetchone() is None:
        return None
    if _top(conn) - upto > DAY_SCAN_MAX:
        return None
    return Header(int(id_), upto, str(max_at))


def states(
    conn: sqlite3.Connection, as_of: date, *, between: bool = False, kept: Kept | None = None
) -> dict[str, TaskState] | None:
    """Every task's state on *as_of* from the checkpoint and the events after it — the
    rolling one when *as_of* is on or after its ``max_at``, else a day checkpoint of
    *as_of* (a past month's end), else (*between*: for a caller that wants every task's
    state, which the queries take seconds to derive) the day checkpoint of the month end
    before *as_of* with the events dated after it, found by a scan of all the events
    (:data:`DAY_BEFORE_MAX_DAYS`); ``None`` when none serves."""
    found = _read_states(conn, as_of, between=between, done_apart=False, kept=kept)
    return None if found is None else found.states


def open_states(
    conn: sqlite3.Connection, as_of: date, *, between: bool = False, kept: Kept | None = None
) -> OpenStates | None:
    """:func:`states` split in two: the states of the tasks below 100 %, and the ids of
    those at 100 % (for whom no state is made)."""
    return _read_states(conn, as_of, between=between, done_apart=True, kept=kept)


def _read_states(
    conn: sqlite3.Connection,
    as_of: date,
    *,
    between: bool,
    done_apart: bool,
    kept: Kept | None = None,
) -> OpenStates | None:
    ck = rolling = _usable(conn)
    day = as_of.isoformat()
    since: str | None = None  # the day of a day checkpoint before *as_of*, when one serves
    if ck is None or (ck.max_at is not None and ck.max_at > day):
        ck = _day_header(conn, day)
        if ck is None and rolling is not None and between:  # a day between month ends
            ck = _day_before(conn, day)
            since = ck.max_at if ck is not None else None
        if ck is None:
            return None
    # The events the checkpoint lacks, folded a row at a time (a day between month ends
    # at 100,000 tasks: ~490,000 of them, ~150 MB held as rows), then merged with the
    # checkpoint's aggregates of the tasks they touch.
    if since is None:
        rows = conn.execute(derive.TAIL_SQL, {"upto": ck.upto, "as_of": day})
    else:
        params = {"upto": ck.upto, "since": since, "as_of": day}
        rows = conn.execute(derive.TAIL_SINCE_SQL, params)
    tail: dict[str, Partial] = {}
    derive.fold(tail, rows)
    loaded = _load(conn, ck, _ALL if tail else _FOR_STATES, kept=kept)
    if loaded is None:
        return None
    try:
        out, done = loaded.open_states() if done_apart else (loaded.states(), set())
        before = loaded.partials(tail.keys()) if tail else {}
    except ValueError:
        return None  # a day out of range: not a checkpoint this gaoxin wrote
    parts = {task: _with_state(before.get(task), p) for task, p in tail.items()}
    merged = derive.finish(parts)  # the touched tasks that have something to show
    for task in parts:
        now = merged.get(task)
        done.discard(task)
        if now is None:
            out.pop(task, None)
        elif done_apart and now.progress >= DONE_AT:
            out.pop(task, None)
            done.add(task)
        else:
            out[task] = now
    return OpenStates(out, done)


def _with_state(a: Partial | None, b: Partial) -> Partial:
    """*b* (a task's events after a checkpoint) with the state aggregates of *a* (the
    checkpoint's, of the events before) merged in: what :func:`derive.fold` of those
    events into *a* gives for every field a :class:`TaskState` is made from (each is a
    count, a least or a greatest). The scoring fields are not merged: not for scoring."""
    if a is None:
        return b
    milestones = dict(a.milestones)
    for name, at in b.milestones.items():
        seen = milestones.get(name)
        if seen is None or at < seen:
            milestones[name] = at
    return Partial(
        reports=a.reports + b.reports,
        last_report=derive.later(a.last_report, b.last_report),
        latest=_greatest(a.latest, b.latest),
        first_progress=derive.earlier(a.first_progress, b.first_progress),
        start=derive.earlier(a.start, b.start),
        active=derive.earlier(a.active, b.active),
        milestones=milestones,
        card=_greatest(a.card, b.card),
    )


def _greatest(a: _Keyed | None, b: _Keyed | None) -> _Keyed | None:
    """The one of *a* and *b* with the greater ``(at, id)``, either may be missing."""
    if a is None:
        return b
    return b if b is not None and b[:2] > a[:2] else a


class Scoring:
    """What scoring reads of every task on one day, from a checkpoint that holds the
    scoring columns and the events after it (:func:`scoring`): the latest reported
    progress, the day a task at 100 % got there, the days with a report in the months
    the checkpoint holds, and the latest card's level and event id."""

    __slots__ = ("_cols", "_days", "_parts", "_pos", "months")

    def __init__(self, cols: _Columns, parts: dict[str, Partial]) -> None:
        self._cols = cols
        self._pos: dict[str, int] | None = None
        self._parts = parts  # the tasks the events after the checkpoint touched
        self._days = cols.days
        self.months: tuple[str, ...] = tuple(cols.months)

    def _positions(self) -> dict[str, int]:
        """Task id → position in the columns (made when first needed)."""
        if self._pos is None:
            tasks = self._cols.tasks
            self._pos = _index(tasks)
        return self._pos

    def progress(self, tasks: Iterable[str]) -> dict[str, float]:
        """The latest reported progress of each of *tasks* that has one."""
        c, index, parts = self._cols.cols, self._positions(), self._parts
        progress, at = c["progress"], c["progress_at"]
        out: dict[str, float] = {}
        for task in tasks:
            p = parts.get(task)
            if p is not None:
                if p.latest is not None:
                    out[task] = p.latest[2]
                continue
            i = index.get(task)
            if i is not None and at[i]:
                out[task] = progress[i]
        return out

    def done(self, tasks: Iterable[str]) -> tuple[dict[str, date], list[str]]:
        """Of *tasks*, those whose latest reported progress is 100 % or more, with the
        day they got there — and those of them the checkpoint cannot tell it of."""
        c, parts, days = self._cols.cols, self._parts, self._days
        progress, at, done_at = c["progress"], c["progress_at"], c["done_at"]
        out: dict[str, date] = {}
        unknown: list[str] = []
        wanted = tasks if isinstance(tasks, (set, frozenset, dict)) else set(tasks)
        names = self._cols.tasks
        # Every task from the columns but those the events after the checkpoint touched
        # (a few: read from their partials below). At 100 %: a progress of 100 or more
        # is a reported one (0.0 when none).
        for pos in [pos for pos, value in enumerate(progress) if value >= 100]:
            task = names[pos]
            if task in wanted and at[pos] and task not in parts:
                day = done_at[pos]
                if day > 0:
                    out[task] = days[day]  # type: ignore[assignment]  # > 0: a date
                else:
                    unknown.append(task)
        for task, p in parts.items():
            if task in wanted and p.latest is not None and p.latest[2] >= 100:
                if p.done is None or p.done == derive.UNKNOWN:
                    unknown.append(task)
                else:
                    out[task] = date.fromisoformat(p.done)
        return out, unknown

    def missed(
        self, checks: Iterable[tuple[str, date, date]]
    ) -> tuple[dict[str, list[date]], list[tuple[str, date, date]]]:
        """Of the *checks* ``(task, window start, deadline)`` (deadlines on or before the
        day it serves), those with no report dated in ``[window start, deadline]``: the
        deadlines per task, in the order met; and the checks reaching back before the
        months it holds (for the queries)."""
        c, index, parts = self._cols.cols, self._positions(), self._parts
        months = self.months
        first, second = months
        col0, col1 = c[_REPORT_DAYS[0]], c[_REPORT_DAYS[1]]
        spans: dict[tuple[date, date], tuple[int, int, tuple[tuple[str, int], ...]] | None] = {}
        out: dict[str, list[date]] = {}
        rest: list[tuple[str, date, date]] = []
        last: str | None = None
        bits0 = bits1 = 0
        later: dict[str, int] = {}
        for check in checks:
            task, since, due = check
            span = spans.get((since, due), ())
            if span == ():
                span = spans[(since, due)] = _span(since, due, months)
            if span is None:
                rest.append(check)
                continue
            if task != last:
                last = task
                p = parts.get(task)
                if p is None:
                    i = index.get(task)
                    bits0, bits1 = (col0[i], col1[i]) if i is not None else (0, 0)
                    later = {}  # no event it covers is dated after its months
                else:
                    later = p.report_days
                    bits0, bits1 = later.get(first, 0), later.get(second, 0)
            mask0, mask1, after = span  # type: ignore[misc]  # not (): just set
            if bits0 & mask0 or bits1 & mask1:
                continue
            if after and any(later.get(m, 0) & mask for m, mask in after):
                continue
            found = out.get(task)
            if found is None:
                out[task] = [due]
            else:
                found.append(due)
        return out, rest

    def card_levels(self) -> dict[str, int]:
        """The level of each task's latest card, when it has one with a level."""
        c = self._cols.cols
        levels = c["card_level"]
        out = dict(compress(zip(self._cols.tasks, levels, strict=True), map(_is_level, levels)))
        for task, p in self._parts.items():
            level = p.card[2] if p.card is not None else None
            if level is not None:
                out[task] = level
            else:
                out.pop(task, None)
        return out

    def card_ids(self, min_level: int) -> list[int]:
        """The event ids of the latest cards whose level is *min_level* or more, or not
        an integer (for a reader with other ideas of a level to judge)."""
        c = self._cols.cols
        parts = self._parts
        ids = [
            id_
            for task, level, id_, at in zip(
                self._cols.tasks, c["card_level"], c["card_id"], c["card_at"], strict=True
            )
            if at and (level is None or level >= min_level) and task not in parts
        ]
        for p in parts.values():
            if p.card is not None and (p.card[2] is None or p.card[2] >= min_level):
                ids.append(p.card[1])
        return ids


def _is_level(level: int | None) -> bool:
    return level is not None


def _span(
    since: date, due: date, months: tuple[str, ...]
) -> tuple[int, int, tuple[tuple[str, int], ...]] | None:
    """``[since, due]`` as bits of the days in each of the two *months* and (month, bits)
    of later months; ``None`` when it begins before them (or is empty)."""
    if since > due or since.isoformat()[:7] < months[0]:
        return None
    masks: dict[str, int] = {}
    day = since
    while day <= due:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        last = min(due, following - timedelta(days=1))
        masks[day.isoformat()[:7]] = ((1 << last.day) - 1) & ~((1 << (day.day - 1)) - 1)
        day = last + timedelta(days=1)
    after = tuple((m, bits) for m, bits in masks.items() if m > months[1])
    return masks.pop(months[0], 0), masks.pop(months[1], 0), after


def scoring(conn: sqlite3.Connection, as_of: date) -> Scoring | None:
    """What scoring reads on *as_of*, from the checkpoint that serves that day (as for
    :func:`states`) when it holds the scoring columns; else ``None``."""
    ck = _usable(conn)
    day = as_of.isoformat()
    if ck is None or (ck.max_at is not None and ck.max_at > day):
        ck = _day_header(conn, day)
        if ck is None:
            return None
    if not _has_extras(conn, ck):
        return None  # before the events after it are read: the caller asks elsewhere
    tail = conn.execute(derive.TAIL_SQL, {"upto": ck.upto, "as_of": day}).fetchall()
    loaded = _load(conn, ck, _ALL if tail else _FOR_SCORING, extras=True)
    if loaded is None or not loaded.has_extras:
        return None
    try:
        parts = loaded.partials({row[1] for row in tail}) if tail else {}
        derive.fold(parts, tail)
        # Every day in it a date (ValueError when one is out of range, as states()).
        c = loaded.cols
        for name in ("progress_at", "done_at", "card_at"):
            if c[name]:
                loaded.days[max(c[name])]
                loaded.days[max(1, min(c[name]))]
    except ValueError:
        return None
    return Scoring(loaded, parts)


def active_tasks(
    conn: sqlite3.Connection, as_of: date, kept: Kept | None = None
) -> set[str] | None:
    """Tasks with a report, start or milestone event on or before *as_of* (any day: a
    least day is exact for every day); ``None`` without a usable checkpoint."""
    ck = _usable(conn)
    if ck is None:
        return None
    loaded = _load(conn, ck, ("active",), kept=kept)
    if loaded is None:
        return None
    limit = as_of.toordinal()
    found = {t for t, a in zip(loaded.tasks, loaded.cols["active"], strict=True) if 0 < a <= limit}
    found.update(r[0] for r in conn.execute(_SELECT_TAIL_ACTIVE, (ck.upto, as_of.isoformat())))
    return found


# --- writing ----------------------------------------------------------------------------


def write(conn: sqlite3.Connection, *, min_tail: int = EVERY) -> bool:
    """Write a checkpoint of every event so far when at least *min_tail* came after the
    last one (or it does not decode), replacing the older ones. Call it inside the write
    transaction (the store does, at the end of one that appended events). Returns
    whether it wrote one."""
    top = _top(conn)
    ck = header(conn)
    since = ck.upto if ck else 0
    tail = top - since
    # A checkpoint written before the scoring columns gets them with the next write.
    upgrade = ck is not None and not _has_extras(conn, ck)
    if top == 0 or (tail < min_tail and not upgrade):
        return False
    days: list[tuple[str, dict[str, bytes]]] = []
    try:
        made = _extended(conn, ck, days) if ck is not None else None
        if made is not None and tail == 0 and not upgrade:
            return False  # up to date
        if made is None:  # none yet, or unreadable: derive everything by the queries
            parts = derive.partials(conn, EVER, active=True)
            max_day = _max_day(conn, parts)
            derive.extras(conn, EVER, parts, _months(max_day))
            cols = _Columns.empty(_months(max_day))
            cols.update(parts)
            made = cols, max_day
        cols, max_at = made
        if not cols.has_extras:  # every event is in it: the queries' EVER is its day
            everything = cols.partials(cols.tasks)
            derive.extras(conn, EVER, everything, _months(max_at))
            cols.add_extras(_months(max_at))
            cols.update(everything)
        data = cols.encode()
    except ValueError:
        return False  # a day that is no date (written around gaoxin): no checkpoint then
    cur = conn.execute(
        "INSERT INTO checkpoints (format, upto, max_at) VALUES (?, ?, ?)", (FORMAT, top, max_at)
    )
    new = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO checkpoint_columns (checkpoint, name, data) VALUES (?, ?, ?)",
        [(new, name, blob) for name, blob in data.items()],
    )
    # Its columns go with each (trigger checkpoints_drop_columns).
    conn.execute("DELETE FROM checkpoints WHERE format <= ? AND id != ?", (FORMAT, new))
    for day, blobs in days:
        conn.execute("DELETE FROM checkpoints WHERE format = ? AND max_at = ?", (DAY_FORMAT, day))
        cur = conn.execute(
            "INSERT INTO checkpoints (format, upto, max_at) VALUES (?, ?, ?)",
            (DAY_FORMAT, top, day),
        )
        conn.executemany(
            "INSERT INTO checkpoint_columns (checkpoint, name, data) VALUES (?, ?, ?)",
            [(cur.lastrowid, name, blob) for name, blob in blobs.items()],
        )
    _refresh_days(conn, since)
    _upgrade_days(conn)
    return True


def _has_extras(conn: sqlite3.Connection, ck: Header) -> bool:
    found = conn.execute(
        "SELECT 1 FROM checkpoint_columns WHERE checkpoint = ? AND name = 'done_at'", (ck.id,)
    ).fetchone()
    return found is not None


def _months(day: str | None) -> list[str]:
    """The months whose report days a checkpoint of *day* holds: its month and the one
    before (a month's reporting deadlines look back into the month before at most,
    for the cadences there are; a check further back asks the queries)."""
    if day is None:
        return ["0000-01", "0000-02"]  # no event: no report anywhere
    this = date.fromisoformat(day).replace(day=1)
    before = (this - timedelta(days=1)).replace(day=1)
    return [before.isoformat()[:7], this.isoformat()[:7]]


def _upgrade_days(conn: sqlite3.Connection) -> None:
    """Give the last :data:`DAY_SNAPSHOTS_MAX` day checkpoints the scoring columns when
    they were written before them (by the queries, ~1–2 s each at 10,000,000 events);
    older ones keep serving states, and scoring asks the queries on those days."""
    rows = conn.execute(
        "SELECT id, upto, max_at FROM checkpoints WHERE format = ? ORDER BY max_at DESC, id DESC",
        (DAY_FORMAT,),
    ).fetchall()
    seen: set[str] = set()
    for id_, upto, day in rows:
        if day in seen or len(seen) >= DAY_SNAPSHOTS_MAX:
            continue
        seen.add(day)
        ck = Header(int(id_), int(upto), str(day))
        if _has_extras(conn, ck):
            continue
        cols = _load(conn, ck, _ALL)
        if cols is None:
            continue
        try:
            parts = cols.partials(cols.tasks)
        except ValueError:
            continue
        # The queries read the events dated up to the day, those written after it too:
        # every read of it folds those in again, and folding in what a part holds
        # already changes none of these aggregates.
        derive.extras(conn, str(day), parts, _months(str(day)))
        fresh = _Columns.empty(_months(str(day)))
        fresh.update(parts)
        _replace(conn, ck, fresh)


def _replace(conn: sqlite3.Connection, ck: Header, cols: _Columns) -> None:
    """Write *cols* as a checkpoint like *ck* (its format, upto and day), dropping *ck*."""
    (fmt,) = conn.execute("SELECT format FROM checkpoints WHERE id = ?", (ck.id,)).fetchone()
    data = cols.encode()
    conn.execute("DELETE FROM checkpoints WHERE id = ?", (ck.id,))
    cur = conn.execute(
        "INSERT INTO checkpoints (format, upto, max_at) VALUES (?, ?, ?)",
        (fmt, ck.upto, ck.max_at),
    )
    conn.executemany(
        "INSERT INTO checkpoint_columns (checkpoint, name, data) VALUES (?, ?, ?)",
        [(cur.lastrowid, name, blob) for name, blob in data.items()],
    )


def _refresh_days(conn: sqlite3.Connection, since: int) -> None:
    """Derive again each day checkpoint that the events written after *since* (this
    write's) left with more than :data:`DAY_TAIL_MAX` events dated on or before its day
    and written after it. A write of events dated after every day checkpoint (the daily
    case) costs one look at its own events' first day."""
    first = conn.execute("SELECT min(at) FROM events WHERE id > ?", (since,)).fetchone()[0]
    if first is None:
        return
    stale = conn.execute(
        "SELECT upto, max_at FROM checkpoints WHERE format = ? AND max_at >= ?",
        (DAY_FORMAT, first),
    ).fetchall()
    for upto, day in stale:
        (late,) = conn.execute(
            "SELECT count(*) FROM events WHERE id > ? AND at <= ?", (upto, day)
        ).fetchone()
        if late > DAY_TAIL_MAX:
            write_day(conn, date.fromisoformat(day))


def write_day(conn: sqlite3.Connection, day: date) -> bool:
    """Derive the day checkpoint of *day* by the queries and write it (inside the write
    transaction), replacing one of the same day: for a store written before day
    checkpoints existed (the next month end past gets one by itself). Returns whether
    it wrote one (not for a day after the events' last)."""
    top = _top(conn)
    ck = header(conn)
    text = day.isoformat()
    if top == 0 or ck is None or ck.max_at is None or ck.max_at <= text:
        return False
    parts = derive.partials(conn, text, active=True)
    derive.extras(conn, text, parts, _months(text))
    cols = _Columns.empty(_months(text))
    cols.update(parts)
    conn.execute("DELETE FROM checkpoints WHERE format = ? AND max_at = ?", (DAY_FORMAT, text))
    cur = conn.execute(
        "INSERT INTO checkpoints (format, upto, max_at) VALUES (?, ?, ?)", (DAY_FORMAT, top, text)
    )
    conn.executemany(
        "INSERT INTO checkpoint_columns (checkpoint, name, data) VALUES (?, ?, ?)",
        [(cur.lastrowid, name, blob) for name, blob in cols.encode().items()],
    )
    return True


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _extended(
    conn: sqlite3.Connection, ck: Header, days: list[tuple[str, dict[str, bytes]]]
) -> tuple[_Columns, str | None] | None:
    """Checkpoint *ck* with the events after it folded in, and its new ``max_at``;
    ``None`` when *ck* does not decode.

    When the events after it pass the end of the month of its ``max_at``, the state at
    that month's end (and the next ones', the last :data:`DAY_SNAPSHOTS_MAX`) is *ck*
    with the events dated up to it: the events are folded in day order, and at each such
    month end the columns so far are appended to *days` as a day checkpoint to write
    (one pass over the events as before, plus a copy of the columns per month end).
    """
    cols = _load(conn, ck, _ALL, extras=True)
    if cols is None:
        return None
    tail = conn.execute(derive.TAIL_SQL, {"upto": ck.upto, "as_of": EVER}).fetchall()
    try:
        parts = cols.partials({row[1] for row in tail})
        ends = _month_ends(ck.max_at, tail)
        if ends:
            tail.sort(key=_day_of)  # stable: the fold does not depend on the order anyway
            done = 0
            for day in ends:
                upto = bisect_right(tail, day, key=_day_of)
                derive.fold(parts, tail[done:upto])
                done = upto
                copy = cols.copy()
                if copy.has_extras:
                    copy.retrack(_months(day))
                copy.update(parts)
                days.append((day, copy.encode()))
            tail = tail[done:]
    except ValueError:
        return None
    latest = derive.fold(parts, tail)
    max_at = derive.later(ck.max_at, latest)  # the remaining events are the latest
    if cols.has_extras:
        cols.retrack(_months(max_at))
    cols.update(parts)
    return cols, max_at


def _day_of(row: Any) -> str:
    return row[3]  # type: ignore[no-any-return]


def _month_ends(max_at: str | None, tail: list[Any]) -> list[str]:
    """The month ends from *max_at*'s to the last before the latest day of *tail* (the
    events after a checkpoint that covers none dated after *max_at*): the last
    :data:`DAY_SNAPSHOTS_MAX` of them."""
    if max_at is None or not tail:
        return []
    latest = max(map(_day_of, tail))
    ends: list[str] = []
    end = _month_end(date.fromisoformat(max_at))
    while end.isoformat() < latest:
        ends.append(end.isoformat())
        end = _month_end(end + timedelta(days=1))
    return ends[-DAY_SNAPSHOTS_MAX:]


def _max_day(conn: sqlite3.Connection, parts: Mapping[str, Partial]) -> str | None:
    """The greatest day among the events aggregated in *parts* (all of them)."""
    found = conn.execute(
        "SELECT max(at) FROM events INDEXED BY events_kind_task"
        " WHERE kind IN ('start', 'milestone')"
    ).fetchone()[0]
    for p in parts.values():
        found = derive.later(found, p.last_report)
        if p.card is not None:
            found = derive.later(found, p.card[0])
    return None if found is None else str(found)
