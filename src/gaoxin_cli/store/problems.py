"""问题提报 in the store: one ``problems`` row per problem (m004), its steps as events.

A problem's number is 问题〔YEAR〕N号, N counting up per year of the report day. The
number is taken inside the write transaction that inserts the row (``max(seq) + 1``),
and ``UNIQUE (year, seq)`` makes a clash fail loudly rather than share a number. Every
step (report, accept, assign, answer, verify, reopen, reject) is a ``problem`` event whose
``task`` is the problem number; the rules replay them (``rules/problems.py``).
"""

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import rows
from gaoxin_cli.store.core import Store

NUMBER_FORMAT = "问题〔{year}〕{seq}号"


def number_for(year: int, seq: int) -> str:
    return NUMBER_FORMAT.format(year=year, seq=seq)


class ProblemRow(NamedTuple):
    """A ``problems`` row: what was reported, by whom, when."""

    number: str
    year: int
    seq: int
    reported_on: date
    reporter: str
    task: str | None
    text: str
    recorded_at: str | None = None


_COLUMNS = "number, year, seq, reported_on, reporter, task, text, recorded_at"


def _row(r: Sequence[object]) -> ProblemRow:
    number, year, seq, reported_on, reporter, task, text, recorded_at = r
    return ProblemRow(
        number=str(number),
        year=int(str(year)),
        seq=int(str(seq)),
        reported_on=date.fromisoformat(str(reported_on)),
        reporter=str(reporter),
        task=None if task is None else str(task),
        text=str(text),
        recorded_at=None if recorded_at is None else str(recorded_at),
    )


def next_seq(store: Store, year: int) -> int:
    """The next free number of *year*. Call it inside the transaction that inserts."""
    found = store.query("SELECT coalesce(max(seq), 0) + 1 FROM problems WHERE year = ?", (year,))
    return int(found[0][0])


def insert(store: Store, problem: ProblemRow, events: Sequence[Event]) -> None:
    """Insert the row and its first events (one transaction, nested if already in one)."""
    with store.transaction():
        store.insert(
            f"INSERT INTO problems ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                problem.number,
                problem.year,
                problem.seq,
                problem.reported_on.isoformat(),
                problem.reporter,
                problem.task,
                problem.text,
                problem.recorded_at,
            ),
        )
        store.add(events)


def get(store: Store, number: str) -> ProblemRow | None:
    found = store.query(f"SELECT {_COLUMNS} FROM problems WHERE number = ?", (number,))
    return _row(found[0]) if found else None


def numbers(store: Store) -> list[str]:
    """Every problem number, oldest first (for "did you mean")."""
    return [str(r[0]) for r in store.query("SELECT number FROM problems ORDER BY year, seq")]


def steps(store: Store, number: str, *, until: date | None = None) -> list[Event]:
    """The ``problem`` events of *number* (up to *until*), by ``(at, id)``."""
    sql = rows.SELECT + " WHERE task = ? AND kind = 'problem'"
    params: list[object] = [number]
    if until is not None:
        sql += " AND at <= ?"
        params.append(until.isoformat())
    return [rows.from_row(r) for r in store.query(sql + " ORDER BY at, id", params)]


def all_problems(store: Store, as_of: date) -> list[tuple[ProblemRow, list[Event]]]:
    """Every problem reported on or before *as_of* with its steps up to that day, in
    number order. Two queries, whatever the number of problems."""
    day = as_of.isoformat()
    with store.transaction(lock=False):
        found = store.query(
            f"SELECT {_COLUMNS} FROM problems WHERE reported_on <= ? ORDER BY year, seq", (day,)
        )
        events = store.query(
            rows.SELECT + " INDEXED BY events_kind_task"
            " WHERE kind = 'problem' AND at <= ? ORDER BY task, at, id",
            (day,),
        )
    by_number: dict[str, list[Event]] = {}
    for r in events:
        e = rows.from_row(r)
        by_number.setdefault(e.task, []).append(e)
    return [(p, by_number.get(p.number, [])) for p in map(_row, found)]
