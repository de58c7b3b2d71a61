"""The escalation commands: overdue, listed, extend, notice show and notice list.

(The daily ``notify`` run is :mod:`gaoxin_cli.service.notify`.)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from itertools import compress
from typing import TYPE_CHECKING, NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.service.session import Session
from gaoxin_cli.service.snapshot import Snapshot

if TYPE_CHECKING:
    from gaoxin_cli.models import Task
    from gaoxin_cli.models.notice import Delivery, StoredNotice
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.rules.extensions import Extensions, Request
    from gaoxin_cli.rules.filters import Filters
    from gaoxin_cli.rules.ladder import Standing
    from gaoxin_cli.rules.outlook import ListedRow, OverdueRow
    from gaoxin_cli.rules.problem_cards import ProblemLine
    from gaoxin_cli.rules.signing import SignOutcome, Waiting


def _standings(
    session: Session, snap: Snapshot, tasks: Sequence[Task], *, open_only: bool = False
) -> list[Standing]:
    """Standings of *tasks*, most severe first; *open_only* leaves out the tasks that are
    done, closed or cancelled (``overdue`` never shows them)."""
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.rules.columns import without
    from gaoxin_cli.rules.lifecycle import STOPPED_STATES

    chosen = tasks
    if open_only:
        # A snapshot read open_only names the done tasks; else their states tell. Each
        # pass at C speed: at 100,000 tasks the loops over every task took ~25 ms.
        done = snap.done or {tid for tid, state in snap.states.items() if state.done}
        life = snap.lifecycle
        stopped = set(compress(life.keys(), map(STOPPED_STATES.__contains__, life.values())))
        chosen = without(tasks, done, stopped)
    return ladder.standings(
        chosen,
        snap.states,
        snap.dues,
        snap.issued,
        session.config,
        session.today,
        session.calendar,
        snap.lifecycle,
    )


# --- overdue ------------------------------------------------------------------------


class Overdue(NamedTuple):
    tasks: list[OverdueRow]  # late or warned open tasks, most severe first
    problems: list[ProblemLine]  # 问题提报 past a stage deadline, most severe first
    unsigned: list[Waiting]  # notices of the open tasks kept, not yet signed (签收)


def overdue(session: Session, filters: Filters) -> Overdue:
    """The open tasks *filters* keeps that carry a card, with their rung on the ladder and
    the next one. Late 问题提报 climb the same ladder (docs/lifecycle.md) and are listed
    too, kept by unit and card; pillar, leader and listed describe tasks only, so with one
    of those only tasks are listed."""
    from gaoxin_cli.rules import outlook
    from gaoxin_cli.rules.signing import waiting

    plan, today = session.plan, session.today
    tasks: Sequence[Task] = plan.tasks
    if filters.by_task:
        tasks = [tk for tk in tasks if filters.keep_task(tk)]
    with_problems = not (filters.pillar or filters.leaders or filters.listed)
    with session.store(write=False) as st:
        snap = Snapshot.read(
            st,
            plan,
            today,
            tasks=[tk.id for tk in tasks],
            notices="brief",
            problems=with_problems,
            open_only=True,  # done tasks are never shown: no state made for them
        )
    items = _standings(session, snap, tasks, open_only=True)
    rows = outlook.overdue(items, session.config, today, session.calendar, filters.levels)
    problems = _late_problems(session, snap, filters) if with_problems else []
    if not snap.issued:  # no notice filed: none waits for its 签收
        return Overdue(rows, problems, [])
    shown = {r.standing.task.id for r in rows} if filters.levels else {s.task.id for s in items}
    notices = [n for tid in shown for n in snap.issued.get(tid, ())]
    return Overdue(rows, problems, waiting(notices, today, session.calendar))


def _late_problems(session: Session, snap: Snapshot, filters: Filters) -> list[ProblemLine]:
    if not snap.problems:
        return []
    from gaoxin_cli.rules.problem_cards import ProblemFilter, problem_lines
    from gaoxin_cli.rules.problems import replay

    chosen = ProblemFilter(units=filters.units, late=True)
    statuses = [replay(r, e) for r, e in snap.problems]
    lines = problem_lines(
        statuses, session.today, session.calendar, session.plan, chosen, snap.problem_red_dues
    )
    levels = filters.levels
    return [
        ln for ln in lines if ln.card is not None and (not levels or ln.card.card.level in levels)
    ]


# --- listed -------------------------------------------------------------------------


def listed(
    session: Session, units: Collection[str] = (), by: Collection[str] = ()
) -> list[ListedRow]:
    """The listed tasks (of lead *units*, supervised by leaders *by*; default all), still
    listed first, then the delisted (done) with the day they reached 100 % (摘牌): the
    first report at 100 % after the last one below, read as ranking reads it — from the
    checkpoint's scoring columns when one serves the day, not a walk of every report
    (7,888 listed tasks of a city's plan: ~790,000 reports, 1.3 s)."""
    from gaoxin_cli.rules import outlook
    from gaoxin_cli.store.awards import done_days

    plan, today = session.plan, session.today
    tasks = [
        tk
        for tk in plan.tasks
        if tk.listed is not None
        and (not units or tk.lead in units)
        and (not by or tk.listed.by in by)
    ]
    ids = [tk.id for tk in tasks]
    with session.store(write=False) as st, st.transaction(lock=False):
        snap = Snapshot.read(st, plan, today, tasks=ids, notices="brief")
        done_on = done_days(st, ids, today)
    return outlook.listing(_standings(session, snap, tasks), done_on, today, session.calendar)


# --- extend -------------------------------------------------------------------------


class Extended(NamedTuple):
    task: Task
    request: Request
    before: Extensions  # the task's extensions before the request
    after: Extensions  # … and after it (the same when nothing was asked)
    events: list[Event]  # written (none: the history was only shown)


def asks(request: Request) -> bool:
    """Whether *request* asks for anything (else ``extend`` shows the history)."""
    r = request
    return (
        r.to is not None
        or r.reason is not None
        or r.approve
        or r.reject
        or bool(r.by)
        or r.late
        or r.withdraw
        or r.replace
    )


def extend(session: Session, request: Request, recorded_at: str) -> Extended:
    """Request, approve, reject, withdraw or replace an extension of a task, in one
    transaction; or, when *request* asks for nothing, read its extension history."""
    from gaoxin_cli.rules import extensions as rules
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.store.extensions import extension_history
    from gaoxin_cli.store.lifecycle import task_lifecycle

    plan, today, task = session.plan, session.today, request.task
    found = find_task(plan, task)
    if request.by:  # a leader's name or id as typed → the id (an unknown one fails below)
        from gaoxin_cli.models.names import find_leader

        request = request._replace(by=find_leader(plan.config, request.by) or request.by)
    if not asks(request):
        with session.store(write=False) as st:
            current = rules.summarize(found, extension_history(st, task, today))
        return Extended(found, request, current, current, [])
    with session.store(write=True) as st, st.transaction():
        life = task_lifecycle(st, task, today).state
        # nothing left to extend; a withdrawal (an undo) is always possible
        if life in ("done", "closed", "cancelled") and not request.withdraw:
            raise GaoxinError("error.extend_task_over", task=task, state=Msg(f"lstate.{life}"))
        current = rules.summarize(found, extension_history(st, task, today))
        state = st.state(task, today)
        events = rules.extension_events(
            plan, found, request, current, state, today, recorded_at=recorded_at
        )
        st.add(events)
        after = rules.summarize(found, [*current.events, *events])
    return Extended(found, request, current, after, events)


# --- notice show / list -------------------------------------------------------------


class Notice(NamedTuple):
    notice: StoredNotice  # ``signed_on`` as of today
    deliveries: list[Delivery]
    waiting_wd: int = 0  # working days it has waited for its 签收 (0 once signed)


def notice(session: Session, kind: str, year: int, seq: int) -> Notice:
    """Notice (*kind*, *year*, *seq*) as filed, with its deliveries; an error when it was
    not filed (or not yet, as of the session's today)."""
    from gaoxin_cli.store import notices as store_notices
    from gaoxin_cli.store.signatures import signed

    with session.store(write=False) as st:
        found = store_notices.by_number(st, kind, year, seq)
        if found is None or found.issued_on > session.today:
            from gaoxin_cli.rules.notice_record import number

            raise GaoxinError("error.notice_not_found", number=number(kind, year, seq))
        sent = store_notices.deliveries(st, notice_ids=[found.id or 0]).get(found.id or 0, [])
        found = replace(found, signed_on=signed(st, session.today).get(found.id or 0))
    from gaoxin_cli.rules.signing import waiting_wd

    waited = 0 if found.signed_on else waiting_wd(found.issued_on, session.today, session.calendar)
    return Notice(found, sent, waited)


class Register(NamedTuple):
    notices: list[StoredNotice]  # oldest first; ``signed_on`` as of today
    deliveries: dict[int, list[Delivery]]  # by notice id
    waiting: dict[int, int]  # working days each unsigned notice has waited, by id


def register(
    session: Session,
    *,
    kinds: Collection[str] = (),
    units: Collection[str] = (),
    tasks: Collection[str] = (),
    since: date | None = None,
    until: date | None = None,
    unsigned: bool = False,
) -> Register:
    """The notices filed from *since* to *until* (default: up to today, never later),
    of *kinds*, lead *units* and *tasks* (default: all); *unsigned*: only those not
    signed (签收) by today."""
    from gaoxin_cli.rules.signing import waiting_wd
    from gaoxin_cli.store import notices as store_notices

    today = session.today
    with session.store(write=False) as st:
        found = store_notices.notices(
            st,
            as_of=min(until, today) if until else today,
            kinds=kinds,
            units=units,
            subjects=tasks,
            since=since,
            signed_as_of=today,
            unsigned_only=unsigned,
        )
        sent = store_notices.deliveries(st, as_of=today)
    cal = session.calendar
    waits = {n.id or 0: waiting_wd(n.issued_on, today, cal) for n in found if n.signed_on is None}
    return Register(found, sent, waits)


# --- notice sign (签收) ---------------------------------------------------------------


class Signed(NamedTuple):
    notice: StoredNotice  # as filed, with ``signed_on`` after the request
    outcome: SignOutcome  # what was recorded (``row`` None: nothing, it was already so)
    waiting_wd: int  # working days it has waited unsigned (0 once signed)


def sign(
    session: Session,
    kind: str,
    year: int,
    seq: int,
    *,
    unit: str | None,
    at: date | None,
    recorded_at: str,
    withdraw: bool = False,
    reason: str | None = None,
) -> Signed:
    """Record that the addressed unit acknowledged notice (*kind*, *year*, *seq*) on *at*
    (default today), or withdraw that record; one transaction. Signing twice records
    nothing the second time and says so."""
    from gaoxin_cli.rules import signing
    from gaoxin_cli.rules.notice_record import number
    from gaoxin_cli.store import notices as store_notices
    from gaoxin_cli.store import signatures

    today = session.today
    with session.store(write=True) as st, st.transaction():
        found = store_notices.by_number(st, kind, year, seq)
        if found is None or found.issued_on > today:
            raise GaoxinError("error.notice_not_found", number=number(kind, year, seq))
        nid = found.id or 0
        rows = signatures.sign_rows(st, notice_ids=[nid])
        outcome = signing.sign(
            nid,
            found.number,
            found.unit,
            found.issued_on,
            rows,
            unit=unit,
            at=at or today,
            today=today,
            withdraw=withdraw,
            reason=reason,
            unit_name=session.config.unit_name,
        )
        if outcome.row is not None:
            signatures.record(st, outcome.row, recorded_at)
    after = replace(found, signed_on=outcome.signed_on)
    waited = (
        0 if outcome.signed_on else signing.waiting_wd(found.issued_on, today, session.calendar)
    )
    return Signed(after, outcome, waited)
