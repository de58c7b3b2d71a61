"""流动红旗 in the store: frozen awards, manual score items, and the reads scoring needs.

Tables (migration ``m005_awards``, append-only like ``events``):

* ``awards`` — one row per ``gaoxin flag award``: the period, the day, the holder, the
  whole result as JSON (``result``) and a snapshot of ``rules.ranking`` (``rules``). A
  re-award (``--force --reason``) is a new row whose ``supersedes`` names the row it
  replaces; both stay.
* ``score_items`` — manual items: a leader's inspection score, 加分 or 扣分 with a reason.

The reads for scoring walk the ``events`` indexes per task (``json_each`` over the task
ids), never the whole table, so a month of a 1,000,000-event history reads in
milliseconds. Days are ISO text in SQL and :class:`datetime.date` outside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gaoxin_cli.store.core import Store
from gaoxin_cli.store.derive import DONE_SQL

_REPORTS = "('feedback', 'correction')"


# --- reads for scoring ------------------------------------------------------------------


def scoring_mark(store: Store) -> tuple[int, int, int]:
    """The last row of each table scoring reads: ``events``, ``awards``, ``score_items``.
    All three are append-only (and the checkpoints are derived from the events), so two
    snapshots with equal marks give equal scores; a second process scoring on its own
    connection is checked with it."""
    row = store.query(
        "SELECT (SELECT max(id) FROM events), (SELECT max(id) FROM awards),"
        " (SELECT max(id) FROM score_items)"
    )[0]
    return (row[0] or 0, row[1] or 0, row[2] or 0)


def _level(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def card_levels(store: Store, day: date) -> dict[str, int]:
    """The level of the latest card recorded per task on or before *day*."""
    view = store.scoring(day)
    if view is not None:
        return view.card_levels()
    return {task: level for task, (level, _) in store.cards(day).items()}


def card_changes(store: Store, start: date, end: date) -> dict[str, list[tuple[date, int]]]:
    """``(day, level)`` of the cards ``gaoxin sweep`` recorded per task in ``[start, end]``,
    in order."""
    rows = store.query(
        "SELECT task, at, json_extract(data, '$.level') FROM events INDEXED BY events_kind_task"
        " WHERE kind = 'card' AND at BETWEEN ? AND ? AND json_valid(data)"
        " ORDER BY task, at, id",
        (start.isoformat(), end.isoformat()),
    )
    return _card_rows(rows)


def card_events(store: Store, tasks: Iterable[str], day: date) -> dict[str, list[tuple[date, int]]]:
    """``(day, level)`` of every card recorded for *tasks* on or before *day*, in order
    (per-task seeks of the ``(task, kind, at)`` index)."""
    rows = store.query(
        "SELECT e.task, e.at, json_extract(e.data, '$.level')"
        " FROM json_each(?1) AS j JOIN events AS e INDEXED BY events_task_kind_at"
        " ON e.task = j.value AND e.kind = 'card' AND e.at <= ?2"
        " WHERE json_valid(e.data) ORDER BY e.task, e.at, e.id",
        (json.dumps(sorted(tasks)), day.isoformat()),
    )
    return _card_rows(rows)


def _card_rows(rows: Iterable[tuple[Any, ...]]) -> dict[str, list[tuple[date, int]]]:
    days: dict[str, date] = {}
    out: dict[str, list[tuple[date, int]]] = {}
    for task, at, raw in rows:
        level = _level(raw)
        if level is not None:
            day = days.get(at)
            if day is None:
                day = days[at] = date.fromisoformat(at)
            out.setdefault(task, []).append((day, level))
    return out


def _latest(kind: str, where: str, value: str) -> str:
    # The latest matching report of one kind: one seek from the end of the task's
    # (task, kind) run in events_task_kind_at, as "at id[ progress]" text that sorts
    # by (at, id).
    return (
        f"(SELECT e.at || ' ' || printf('%012d', e.id){value}"
        " FROM events AS e INDEXED BY events_task_kind_at"
        f" WHERE e.task = j.value AND e.kind = '{kind}' AND {where} AND e.at <= ?2"
        " ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    )


_VALUED = " || ' ' || e.progress"
_LATEST_SQL = (
    f"SELECT j.value, {_latest('feedback', 'e.progress IS NOT NULL', _VALUED)},"
    f" {_latest('correction', 'e.progress IS NOT NULL', _VALUED)} FROM json_each(?1) AS j"
)


def latest_progress(store: Store, tasks: Iterable[str], end: date) -> dict[str, float]:
    """The latest reported progress (greatest ``(at, id)`` report with a value) of each of
    *tasks* that has one on or before *end* — ``TaskState.progress`` without the rest.

    From the checkpoint's scoring columns or its states when one serves *end* (no query
    per task), else two index seeks per task (the latest valued report of each kind).
    """
    wanted = list(tasks)
    view = store.scoring(end)
    if view is not None:
        return view.progress(wanted)
    served = store.checkpoint_states(end)
    if served is not None:
        out: dict[str, float] = {}
        for task in wanted:
            state = served.get(task)
            if state is not None and state.progress_at is not None:
                out[task] = state.progress
        return out
    found = {}
    for task, fb, corr in store.query(_LATEST_SQL, (json.dumps(wanted), end.isoformat())):
        latest = max(fb or "", corr or "")
        if latest:
            found[task] = float(latest.rsplit(" ", 1)[1])
    return found


def done_days(store: Store, tasks: Iterable[str], end: date) -> dict[str, date]:
    """Tasks done as of *end* — their latest reported progress (greatest ``(at, id)``)
    is 100 — and the day they got there: the first report at 100 after the last below.

    From the checkpoint's scoring columns when one serves *end* (the queries below only
    for a task a late report below 100 % left it unable to tell). Else two passes, never
    a scan of a task's reports: the latest progress (:func:`latest_progress`: the
    checkpoint, or a few index seeks per task), then, for the tasks at 100, the last
    report below 100 and the first at 100 after it.
    """
    view = store.scoring(end)
    if view is not None:
        found, done = view.done(tasks)
    else:
        found = {}
        done = [task for task, p in latest_progress(store, tasks, end).items() if p >= 100]
    if not done:
        return found
    rows = store.query(DONE_SQL, (json.dumps(done), end.isoformat()))
    found.update((task, date.fromisoformat(day)) for task, _, day in rows if day is not None)
    return found


def lifecycle_rows(store: Store, end: date) -> list[tuple[str, date, str | None, str | None]]:
    """``lifecycle`` events up to *end*: (task, day, action, to-state)."""
    rows = store.query(
        "SELECT task, at, json_extract(data, '$.action'), json_extract(data, '$.to')"
        " FROM events INDEXED BY events_kind_task"
        " WHERE kind = 'lifecycle' AND at <= ? AND json_valid(data) ORDER BY at, id",
        (end.isoformat(),),
    )
    return [(t, date.fromisoformat(at), _text(a), _text(to)) for t, at, a, to in rows]


def extension_rows(store: Store, end: date) -> list[tuple[str, date, str | None, date | None]]:
    """``extension`` events up to *end*: (task, day, action, new due date)."""
    rows = store.query(
        "SELECT task, at, json_extract(data, '$.action'), json_extract(data, '$.to')"
        " FROM events INDEXED BY events_kind_task"
        " WHERE kind = 'extension' AND at <= ? AND json_valid(data) ORDER BY at, id",
        (end.isoformat(),),
    )
    return [(t, date.fromisoformat(at), _text(a), _day(to)) for t, at, a, to in rows]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _no_report(kind: str) -> str:
    # One seek per check and kind: (task, kind, at) is a prefix of events_task_kind_at.
    return (
        "NOT EXISTS (SELECT 1 FROM events AS e INDEXED BY events_task_kind_at"
        f" WHERE e.task = c.task AND e.kind = '{kind}' AND e.at BETWEEN c.since AND c.due)"
    )


_MISSED_SQL = f"""
WITH c AS MATERIALIZED (
  SELECT json_extract(value, '$[0]') AS task, json_extract(value, '$[1]') AS since,
         json_extract(value, '$[2]') AS due
  FROM json_each(?1))
SELECT c.task, c.due FROM c WHERE {_no_report("feedback")} AND {_no_report("correction")}
"""


def missed_reports(
    store: Store, checks: Sequence[tuple[str, date, date]], end: date | None = None
) -> dict[str, list[date]]:
    """Of the *checks* ``(task, window start, deadline)``, those with no report (feedback or
    correction) dated in ``[window start, deadline]``: the deadlines per task, in order.

    With *end* (on or after every deadline), the days with a report come from the
    checkpoint's scoring columns when one serves *end* (the months it holds); a check
    reaching further back asks the queries (a seek each)."""
    if not checks:
        return {}
    view = store.scoring(end) if end is not None else None
    out: dict[str, list[date]] = {}
    if view is not None:
        out, checks = view.missed(checks)
    if checks:
        _missed_by_queries(store, checks, out)
    for days in out.values():
        days.sort()
    return out


def _missed_by_queries(
    store: Store, checks: Sequence[tuple[str, date, date]], out: dict[str, list[date]]
) -> None:
    iso: dict[date, str] = {}
    for _, a, b in checks:
        if a not in iso:
            iso[a] = a.isoformat()
        if b not in iso:
            iso[b] = b.isoformat()
    doc = json.dumps([(t, iso[a], iso[b]) for t, a, b in checks])
    for task, day in store.query(_MISSED_SQL, (doc,)):
        out.setdefault(task, []).append(date.fromisoformat(day))


@dataclass(frozen=True, slots=True)
class CardNow:
    """The latest card of a task on a day, with its recorded reasons."""

    level: int
    since: date
    reasons: tuple[tuple[str, dict[str, Any]], ...]


# The latest card event per task that has one on or before the day: its day from one
# pass over the card events of events_kind_task, then per such task one seek for the
# greatest id that day (as derive's card query). Tasks that never had a card cost
# nothing, where a seek per task of the plan did (100,000 of them in a city).
_LATEST_CARD_SQL = """
SELECT m.task, m.at || char(31) || (
  SELECT e.data FROM events AS e INDEXED BY events_task_kind_at
  WHERE e.task = m.task AND e.kind = 'card' AND e.at = m.at ORDER BY e.id DESC LIMIT 1)
FROM (
  SELECT task, max(at) AS at FROM events INDEXED BY events_kind_task
  WHERE kind = 'card' AND at <= ?1 GROUP BY task
) AS m
"""


# The data of the card events named by id in ?1 (a JSON array).
_CARD_DATA_SQL = """
SELECT e.task, e.at || char(31) || e.data FROM json_each(?1) AS j JOIN events AS e
  ON e.id = j.value
"""


def latest_cards(
    store: Store, tasks: Iterable[str], day: date, min_level: int = 0
) -> dict[str, CardNow]:
    """For *tasks*: the latest card event on or before *day* (for the bulletin), in the
    order of *tasks*; only those at *min_level* or above.

    With a checkpoint's scoring columns serving *day*, the latest card's level and id
    come from them and only the events of the cards at *min_level* or above (or of no
    integer level there) are read."""
    view = store.scoring(day)
    if view is not None:
        ids = view.card_ids(min_level)
        found = dict(store.query(_CARD_DATA_SQL, (json.dumps(ids),)))
    else:
        found = dict(store.query(_LATEST_CARD_SQL, (day.isoformat(),)))
    out: dict[str, CardNow] = {}
    for task in tasks:
        raw = found.get(task)
        if not isinstance(raw, str):
            continue
        at, _, data = raw.partition("\x1f")
        try:
            doc = json.loads(data)
        except ValueError:
            continue
        level = _level(doc.get("level")) if isinstance(doc, dict) else None
        if level is None or level < min_level:
            continue
        reasons = tuple(
            (r["key"], dict(r.get("params") or {}))
            for r in doc.get("reasons") or ()
            if isinstance(r, dict) and isinstance(r.get("key"), str)
        )
        out[task] = CardNow(level, date.fromisoformat(at), reasons)
    return out


# --- awards -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwardRow:
    id: int
    period: str
    awarded_on: date
    holder: str | None
    result: dict[str, Any]
    rules: dict[str, Any]
    force_reason: str | None
    supersedes: int | None
    recorded_at: str | None


_AWARD_COLS = "id, period, awarded_on, holder, result, rules, force_reason, supersedes, recorded_at"


def _award(row: tuple[Any, ...]) -> AwardRow:
    id_, period, on, holder, result, rules, reason, supersedes, rec = row
    return AwardRow(
        id_,
        period,
        date.fromisoformat(on),
        holder,
        json.loads(result),
        json.loads(rules),
        reason,
        supersedes,
        rec,
    )


def awards(store: Store, period: str | None = None) -> list[AwardRow]:
    """Every award (of *period*), oldest first."""
    if period is None:
        rows = store.query(f"SELECT {_AWARD_COLS} FROM awards ORDER BY id")
    else:
        rows = store.query(
            f"SELECT {_AWARD_COLS} FROM awards INDEXED BY awards_period WHERE period = ?"
            " ORDER BY id",
            (period,),
        )
    return [_award(r) for r in rows]


def award_heads(store: Store) -> list[tuple[int, str, date, str | None, str | None, int | None]]:
    """Every award without its JSON: (id, period, day, holder, force reason, supersedes)."""
    rows = store.query(
        "SELECT id, period, awarded_on, holder, force_reason, supersedes FROM awards ORDER BY id"
    )
    return [(i, p, date.fromisoformat(d), h, r, s) for i, p, d, h, r, s in rows]


def latest_award(store: Store, period: str) -> AwardRow | None:
    """The award that counts for *period*: its latest row."""
    rows = store.query(
        f"SELECT {_AWARD_COLS} FROM awards INDEXED BY awards_period WHERE period = ?"
        " ORDER BY id DESC LIMIT 1",
        (period,),
    )
    return _award(rows[0]) if rows else None


def add_award(
    store: Store,
    *,
    period: str,
    awarded_on: date,
    holder: str | None,
    result: dict[str, Any],
    rules: dict[str, Any],
    force_reason: str | None,
    supersedes: int | None,
    recorded_at: str | None,
) -> int:
    """Append an award row; call inside ``store.transaction()`` after checking the period."""
    return store.insert(
        "INSERT INTO awards (period, awarded_on, holder, result, rules, force_reason,"
        " supersedes, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            period,
            awarded_on.isoformat(),
            holder,
            json.dumps(result, ensure_ascii=False, sort_keys=True),
            json.dumps(rules, ensure_ascii=False, sort_keys=True),
            force_reason,
            supersedes,
            recorded_at,
        ),
    )


# --- manual score items -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    period: str
    unit: str
    kind: str
    points: float
    reason: str
    by: str | None
    recorded_on: date


def score_items(store: Store, periods: Iterable[str]) -> list[ItemRow]:
    """Manual score items recorded for any of *periods*, oldest first."""
    wanted = sorted(set(periods))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = store.query(
        "SELECT id, period, unit, kind, points, reason, by, recorded_on FROM score_items"
        f" WHERE period IN ({marks}) ORDER BY id",
        wanted,
    )
    return [
        ItemRow(i, p, u, k, float(pts), r, b, date.fromisoformat(on))
        for i, p, u, k, pts, r, b, on in rows
    ]


def add_score_item(
    store: Store,
    *,
    period: str,
    unit: str,
    kind: str,
    points: float,
    reason: str,
    by: str | None,
    recorded_on: date,
    recorded_at: str | None,
) -> int:
    return store.insert(
        "INSERT INTO score_items (period, unit, kind, points, reason, by, recorded_on,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (period, unit, kind, points, reason, by, recorded_on.isoformat(), recorded_at),
    )


# --- notices (issued by ``gaoxin notify`` / ``notice``) for the bulletin ----------------


@dataclass(frozen=True, slots=True)
class NoticeRow:
    number: str
    kind: str
    subject: str
    issued_on: date
    unit: str | None


def notices_between(store: Store, start: date, end: date) -> list[NoticeRow]:
    """Notices issued in ``[start, end]``, in order of issue."""
    rows = store.query(
        "SELECT number, kind, subject, issued_on, unit FROM notices"
        " WHERE issued_on BETWEEN ? AND ? ORDER BY issued_on, kind, seq",
        (start.isoformat(), end.isoformat()),
    )
    return [NoticeRow(n, k, s, date.fromisoformat(d), u) for n, k, s, d, u in rows]
