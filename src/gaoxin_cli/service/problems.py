"""问题提报: ``problem report|accept|reject|assign|answer|verify|list|show``.

A write (report, or one step) is one write transaction: the number is taken, or the
problem's steps read and the next one checked against them, under the write lock that
records it, so two people cannot act on the same stale state and a refused step writes
nothing. Reads as of today come from :mod:`gaoxin_cli.service.snapshot`. Deadlines are
counted on the session's calendar (what it had to estimate is reported with the result).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from gaoxin_cli.errors import UsageError
from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.rules.problem_cards import ProblemLine
    from gaoxin_cli.store import Store
    from gaoxin_cli.store.problems import ProblemRow

StepAction = Literal["accept", "reject", "assign", "answer", "verify", "reopen"]

# What --satisfied accepts, in either language.
YES = frozenset({"yes", "y", "true", "1", "是", "满意"})
NO = frozenset({"no", "n", "false", "0", "否", "不满意"})


class Reported(NamedTuple):
    row: ProblemRow
    accept_due: date  # the office accepts (or rejects) it by this day


class NextDue(NamedTuple):
    stage: str  # the state the step led to
    due: date  # that stage's deadline


class Stepped(NamedTuple):
    event: Event  # the step recorded
    next_due: NextDue | None  # None once closed or rejected


class ProblemList(NamedTuple):
    today: date
    lines: list[ProblemLine]  # the problems the filter keeps, most severe first
    open: int  # every open problem, whatever the filter
    late: int  # of them, past a stage deadline


class ProblemDetail(NamedTuple):
    line: ProblemLine  # the problem as of today, with its card and age
    resolve_due: date | None  # when the assigned round must be resolved
    resolve_wd: int  # the resolve limit that applies (hard or not)


# --- writes ------------------------------------------------------------------------------


def report(
    session: Session,
    text: str,
    *,
    task: str | None = None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Reported:
    """Register a problem reported today by *by* (default: the office) and number it."""
    from gaoxin_cli.rules.problem_steps import check_report, check_unit, report_event
    from gaoxin_cli.store import problems as stored

    plan, today = session.plan, session.today
    reporter = check_unit(plan, by or plan.config.org.office)
    cleaned, task_id = check_report(plan, reporter, task, text)
    with session.store(write=True) as st, st.transaction():
        seq = stored.next_seq(st, today.year)
        row = stored.ProblemRow(
            number=stored.number_for(today.year, seq),
            year=today.year,
            seq=seq,
            reported_on=today,
            reporter=reporter,
            task=task_id,
            text=cleaned,
            recorded_at=recorded_at,
        )
        first = report_event(row.number, today, reporter, task_id, recorded_at=recorded_at)
        stored.insert(st, row, [first])
    due = session.calendar.add_workdays(today, plan.config.rules.problems.accept_wd)
    return Reported(row, due)


def accept(
    session: Session,
    number: str,
    *,
    by: str | None = None,
    note: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """The office (or unit *by*) accepts a reported problem."""
    return step(session, number, "accept", unit=by, note=note, recorded_at=recorded_at)


def reject(
    session: Session,
    number: str,
    *,
    reason: str | None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """不予受理, for *reason* (only before it is accepted)."""
    return step(session, number, "reject", unit=by, reason=reason, recorded_at=recorded_at)


def assign(
    session: Session,
    number: str,
    *,
    to: str | None,
    hard: bool = False,
    note: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """交办 an accepted problem to unit *to*; *hard* picks the longer resolve limit."""
    return step(session, number, "assign", unit=to, hard=hard, note=note, recorded_at=recorded_at)


def answer(
    session: Session,
    number: str,
    *,
    note: str | None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """The assigned unit (or the office, *by*) answers with *note*."""
    return step(session, number, "answer", unit=by, note=note, recorded_at=recorded_at)


def verify(
    session: Session,
    number: str,
    *,
    satisfied: bool | None,
    reason: str | None = None,
    note: str | None = None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """The answer checks out: closed when the reporter is *satisfied*, else reopened
    (不满意的重办, with *reason* kept)."""
    return step(
        session,
        number,
        "verify",
        satisfied=satisfied,
        reason=reason,
        note=note,
        unit=by,
        recorded_at=recorded_at,
    )


def reopen(
    session: Session,
    number: str,
    *,
    reason: str | None,
    satisfied: bool | None = None,
    note: str | None = None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """The answer does not check out: back to the assigned unit, for *reason*."""
    return step(
        session,
        number,
        "reopen",
        satisfied=satisfied,
        reason=reason,
        note=note,
        unit=by,
        recorded_at=recorded_at,
    )


def step(
    session: Session,
    number: str,
    action: StepAction,
    *,
    unit: str | None = None,
    hard: bool = False,
    satisfied: bool | None = None,
    note: str | None = None,
    reason: str | None = None,
    recorded_at: str | None = None,
) -> Stepped:
    """Find the problem, check the step against all its steps and record it — one write
    transaction; then the deadline of the stage it led to."""
    from gaoxin_cli.rules import problems as rules
    from gaoxin_cli.rules.problem_steps import step as check_step
    from gaoxin_cli.store import problems as stored

    plan, today = session.plan, session.today
    with session.store(write=True) as st, st.transaction():
        row = _find(st, number, today.year)
        status = rules.replay(row, stored.steps(st, row.number))
        event = check_step(
            plan,
            status,
            action,
            today,
            unit=unit,
            hard=hard,
            satisfied=satisfied,
            note=note,
            reason=reason,
            recorded_at=recorded_at,
        )
        st.add([event])
    after = rules.replay(status, [*status.steps, event])
    due = rules.stage_due(after, plan.config.rules.problems, session.calendar)
    return Stepped(event, NextDue(after.state, due) if due is not None else None)


# --- reads -------------------------------------------------------------------------------


def list_problems(
    session: Session,
    *,
    states: Iterable[str] = (),
    units: Collection[str] = (),
    task: str | None = None,
    late: bool = False,
    everything: bool = False,
) -> ProblemList:
    """The problems as of today that the filter keeps (open ones unless *states* or
    *everything* say otherwise), with the open and late counts of all of them.

    *states* are words as typed: ``reported`` … or their zh / en names."""
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.rules.problem_cards import ProblemFilter, problem_lines
    from gaoxin_cli.rules.problem_steps import check_unit
    from gaoxin_cli.rules.problems import replay
    from gaoxin_cli.service.snapshot import problem_red_dues, problems_as_of

    plan, today = session.plan, session.today
    units = [check_unit(plan, u) for u in units]
    if task is not None:
        find_task(plan, task)
    chosen = ProblemFilter(
        states=states_named(states),
        units=frozenset(units),
        task=task,
        late=late,
        everything=everything,
    )
    with session.store(write=False) as st, st.transaction():
        statuses = [replay(row, steps) for row, steps in problems_as_of(st, today)]
        red = problem_red_dues(st, today)
    cal = session.calendar
    lines = problem_lines(statuses, today, cal, plan, chosen, red)
    every_open = problem_lines(statuses, today, cal, plan, red_notice_dues=red)
    late_count = sum(1 for ln in every_open if ln.card is not None and ln.card.late_wd > 0)
    return ProblemList(today, lines, len(every_open), late_count)


def show(session: Session, number: str) -> ProblemDetail:
    """One problem as of today (any spelling of its number), with its deadlines."""
    from gaoxin_cli.rules.problem_cards import ProblemFilter, problem_lines
    from gaoxin_cli.rules.problems import replay, resolve_due, resolve_limit
    from gaoxin_cli.service.snapshot import problem_red_dues
    from gaoxin_cli.store import problems as stored

    plan, today = session.plan, session.today
    with session.store(write=False) as st, st.transaction():
        row = _find(st, number, today.year)
        status = replay(row, stored.steps(st, row.number, until=today))
        red = problem_red_dues(st, today)
    cal = session.calendar
    rules = plan.config.rules.problems
    everything = ProblemFilter(everything=True)
    (line,) = problem_lines([status], today, cal, plan, everything, red)
    return ProblemDetail(line, resolve_due(status, rules, cal), resolve_limit(status, rules))


# --- words as typed ----------------------------------------------------------------------


def satisfied_from(word: str | None) -> bool | None:
    """``--satisfied``: yes / no in either language (None when not given)."""
    if word is None:
        return None
    key = word.strip().lower()
    if key not in YES | NO:
        raise UsageError("error.bad_satisfied", value=word)
    return key in YES


def states_named(values: Iterable[str]) -> frozenset[str]:
    """``--state`` words (``reported``, ``不予受理``, ``under-review`` …) as states."""
    from gaoxin_cli.i18n import t
    from gaoxin_cli.rules.problems import STATES

    words = {s: s for s in STATES}
    for lang in ("zh", "en"):
        for s in STATES:
            words[t(f"pstate.{s}", lang)] = s
    out = set()
    for v in values:
        key = v.strip().lower().replace("-", "_")
        if key not in words:
            raise UsageError("error.bad_problem_state", value=v, names=", ".join(STATES))
        out.add(words[key])
    return frozenset(out)


def _find(st: Store, text: str, year: int) -> ProblemRow:
    """A problem by its number in any accepted spelling (问题〔2020〕3号, 2020-3, 3)."""
    from gaoxin_cli.rules.problems import parse_number, unknown_number
    from gaoxin_cli.store import problems as stored

    row = stored.get(st, text.strip())
    if row is None:
        parsed = parse_number(text, year)
        if parsed is not None:
            row = stored.get(st, stored.number_for(*parsed))
    if row is None:
        raise unknown_number(text, stored.numbers(st))
    return row
