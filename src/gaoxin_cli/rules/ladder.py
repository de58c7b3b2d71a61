"""The 三单 escalation ladder (research/domain.md §5): which formal notice a task is due on
a day, its number, response deadline and recipients. Pure: plan, history, the notices
already filed and *today* in, values out.

Rungs follow the card clock, so a notice and the card never disagree:

====  ==========  ==========  ================================================
rung  kind        number      issued when
====  ==========  ==========  ================================================
0     assign      交办〔Y〕N号  the task is open (today ≥ its opening day) and has none
1     remind      提醒〔Y〕N号  the card is blue (due within N WD)
2     urge        催办〔Y〕N号  the card is yellow (first WD overdue, lag, no start)
3     supervise   督办〔Y〕N号  the card is red
4     report      通报〔Y〕N号  red, and the 督办单's response deadline has passed
====  ==========  ==========  ================================================

A listed (挂牌) or urgent/special task's first warning is at least
``rules.ladder.listed_start_rung`` / ``urgent_start_rung``. Each kind is issued once per
task; the rung never goes down. L4 follows the real 督办单: a task without one is never
L4 here (``assess(..., red_notice_due=NO_RED_NOTICE)``).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import partial
from itertools import compress, repeat
from operator import itemgetter, not_, or_
from typing import Any, NamedTuple, Protocol

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Config, LadderRules, Person, Task
from gaoxin_cli.models.state import DONE_AT, Level, TaskState
from gaoxin_cli.rules.cards import NO_RED_NOTICE, PAST_DUE, Assessment, CardClock, no_card
from gaoxin_cli.rules.columns import columns, finished_cards
from gaoxin_cli.rules.feedback import opened
from gaoxin_cli.rules.lifecycle import STOPPED_STATES, stopped
from gaoxin_cli.rules.notice_record import msg_json
from gaoxin_cli.rules.signing import overdue_unsigned

KINDS: tuple[str, ...] = ("assign", "remind", "urge", "supervise", "report")
ASSIGN, REMIND, URGE, SUPERVISE, REPORT = range(5)


class IssuedNotice(Protocol):
    """What the ladder needs to know about a notice already filed."""

    @property
    def kind(self) -> str: ...
    @property
    def rung(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def response_due(self) -> date | None: ...
    @property
    def signed_on(self) -> date | None: ...


class Recipient(NamedTuple):
    """One addressee of a notice. ``role``: contact, support, head, leader,
    office_contact, office_head, supervisor. No ``email``: listed, but not mailed."""

    role: str
    name: str
    email: str | None
    unit: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"role": self.role, "name": self.name, "email": self.email, "unit": self.unit}


class Draft(NamedTuple):
    """A notice due today, not yet filed (the store gives it a number)."""

    task: str
    kind: str
    rung: int
    unit: str
    issued_on: date
    response_due: date
    recipients: tuple[Recipient, ...]
    body: dict[str, Any]
    subject_kind: str = "task"  # 'task' (``task`` is its id) or 'problem' (its number)


class Standing(NamedTuple):
    """Where a task stands on the ladder on a day (a named tuple: one per task)."""

    task: Task
    state: TaskState
    assessment: Assessment
    due: date  # the date that drives the card (an approved extension, else the plan's)
    notices: tuple[IssuedNotice, ...]  # filed for this task, oldest first
    rung: int  # highest warning rung filed (1–4); 0 when none
    target: int  # the rung the card calls for today (0: none)
    lifecycle: str | None = None  # registered … closed (rules.lifecycle); None: not known

    @property
    def assigned(self) -> bool:
        return any(n.kind == "assign" for n in self.notices)

    @property
    def latest(self) -> IssuedNotice | None:
        """The highest-rung warning notice (the one a reminder repeats)."""
        warnings = [n for n in self.notices if n.rung >= REMIND]
        return max(warnings, key=lambda n: n.rung) if warnings else None

    @property
    def open(self) -> bool:
        """Not done by the numbers (100 %) nor by the lifecycle (done, closed, cancelled)."""
        return not self.state.done and not (self.lifecycle is not None and stopped(self.lifecycle))


def start_rung(task: Task, rules: LadderRules, today: date) -> int:
    """The lowest rung of the task's first warning: 1, or higher when listed or urgent."""
    rung = REMIND
    if task.listed is not None and task.listed.since <= today:
        rung = max(rung, rules.listed_start_rung)
    if task.urgency in ("urgent", "special"):
        rung = max(rung, rules.urgent_start_rung)
    return rung


def target_rung(level: int, task: Task, rules: LadderRules, today: date) -> int:
    """The rung a card of *level* calls for (0 for no card)."""
    if level <= Level.NONE:
        return 0
    return min(REPORT, max(level, start_rung(task, rules, today)))


def red_notice_due(notices: Iterable[IssuedNotice]) -> date:
    """The response deadline of the task's 督办单, or :data:`NO_RED_NOTICE`."""
    for n in notices:
        if n.kind == "supervise" and n.response_due is not None:
            return n.response_due
    return NO_RED_NOTICE


def stand(
    task: Task,
    state: TaskState,
    due: date,
    notices: Sequence[IssuedNotice],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    lifecycle: str | None = None,
) -> Standing:
    life = {task.id: lifecycle} if lifecycle is not None else None
    one = standings(
        [task], {task.id: state}, {task.id: due}, {task.id: notices}, config, today, calendar, life
    )
    return one[0]


def standings(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    dues: Mapping[str, date],
    issued: Mapping[str, Sequence[IssuedNotice]],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    lifecycle: Mapping[str, str] | None = None,
) -> list[Standing]:
    """Every task's standing, most severe first (level, WD late, lag, rung, id).
    *lifecycle* (``store.lifecycle.lifecycle_states``) stops tasks that are done, closed
    or cancelled.

    Finished tasks with no notice (most of a year's plan by autumn: no card, no rung,
    they sort last by id) are made by ``map`` and ``zip`` over the whole plan at once;
    the loop runs for the others. (tests/test_daily_paths.py holds this equal to the
    plain loop over every task.)"""
    tasks, ids, sts, lifes, due_list, finished = columns(tasks, states, dues, lifecycle)
    # Finished with no notice: the bulk. Every other task goes through the loop.
    looped = list(map(or_, map(not_, finished), map(bool, map(issued.get, ids))))
    standing = partial(tuple.__new__, Standing)  # Standing(...) without its Python __new__
    quiet: list[tuple[str, Standing]] = []  # no card, lateness, lag or notice: last, by id
    if not all(looped):
        bulk = list(map(not_, looped))
        b_tasks, b_dues = list(compress(tasks, bulk)), list(compress(due_list, bulk))
        b_rows = zip(
            b_tasks,
            compress(sts, bulk),
            finished_cards(b_tasks, b_dues, today),
            b_dues,
            repeat(()),
            repeat(0),
            repeat(0),
            compress(lifes, bulk),
        )
        quiet += zip(compress(ids, bulk), map(standing, b_rows), strict=True)
    card = CardClock(today, calendar, config.rules.cards).assess
    rules = config.rules.ladder
    issued_of = issued.get
    # A card, lateness, a lag or a notice filed: sorted by severity_key, -rung and the id,
    # then the place found (equal keys keep their order; standings are never compared).
    urgent: list[tuple[int, int, float, int, str, int, Standing]] = []
    for t, tid, st, due, life in zip(
        compress(tasks, looped),
        compress(ids, looped),
        compress(sts, looped),
        compress(due_list, looped),
        compress(lifes, looped),
        strict=True,
    ):
        notices = issued_of(tid)
        if notices:
            notices = tuple(notices)
            rung = max((n.rung for n in notices if n.rung >= REMIND), default=0)
            red_due = red_notice_due(notices)
        else:
            notices, rung, red_due = (), 0, NO_RED_NOTICE
        if st.progress >= DONE_AT or life in STOPPED_STATES:  # st.done
            # Done, closed or cancelled: no card, no notice, whatever the numbers say.
            a = PAST_DUE if today >= due else no_card(t, today, due)
            target = 0
        else:
            unsigned = overdue_unsigned(notices, today) if notices else None
            a = card(t, st, due, red_due, unsigned)
            target = target_rung(a.card.level, t, rules, today) if a.card.level else 0
        s = standing((t, st, a, due, notices, rung, target, life))
        level = a.card.level
        if level or a.overdue_wd or a.lag or rung:
            urgent.append((-level, -a.overdue_wd, -a.lag, -rung, tid, len(urgent), s))
        else:
            quiet.append((tid, s))
    urgent.sort()
    quiet.sort(key=_FIRST)
    out = list(map(_LAST, urgent))
    out += map(_LAST, quiet)
    return out


_FIRST = itemgetter(0)
_LAST = itemgetter(-1)


# --- what to issue -----------------------------------------------------------------


def recipients(task: Task, rung: int, config: Config) -> tuple[Recipient, ...]:
    """Addressees widen with the rung: the lead unit's contact (+ support contacts for
    a 交办单) → + its head and the 责任领导 (rung 2) → + the office's contact and head and
    a listed task's supervising leader (rungs 3–4). One entry per person."""
    units = config.units
    out: list[Recipient] = []

    def person(role: str, p: Person, unit: str | None) -> None:
        out.append(Recipient(role, p.name, p.email, unit))

    lead = units.get(task.lead)
    if lead is not None:
        person("contact", lead.contact, task.lead)
    if rung == ASSIGN:
        for s in task.support:
            if s in units:
                person("support", units[s].contact, s)
    if rung >= URGE:
        if lead is not None:
            person("head", lead.head, task.lead)
        leader = config.leaders.get(task.leader) if task.leader else None
        if leader is not None:
            out.append(Recipient("leader", leader.name, leader.email, None))
    if rung >= SUPERVISE:
        office = units.get(config.org.office)
        if office is not None:
            person("office_contact", office.contact, config.org.office)
            person("office_head", office.head, config.org.office)
        by = task.listed.by if task.listed is not None else None
        supervisor = config.leaders.get(by) if by else None
        if supervisor is not None:
            out.append(Recipient("supervisor", supervisor.name, supervisor.email, None))
    return unique_recipients(out)


def recipients_of(config: Config) -> Callable[[Task, int], tuple[Recipient, ...]]:
    """:func:`recipients` remembered by what it reads of the task at each rung (its lead,
    and its support units, leader or listing leader where the rung asks them): a unit's
    tasks share their addressees (57,000 notices of a 100,000-task first run, a few
    thousand different lists). Equal lists come back as one tuple."""
    made: dict[tuple[object, ...], tuple[Recipient, ...]] = {}

    def of(task: Task, rung: int) -> tuple[Recipient, ...]:
        listed_by = task.listed.by if rung >= SUPERVISE and task.listed is not None else None
        key = (
            rung,
            task.lead,
            task.support if rung == ASSIGN else (),
            task.leader if rung >= URGE else None,
            listed_by,
        )
        found = made.get(key)
        if found is None:
            found = made[key] = recipients(task, rung, config)
        return found

    return of


def unique_recipients(out: Iterable[Recipient]) -> tuple[Recipient, ...]:
    """One entry per person: by address when there is one, else by name, unit and role."""
    seen: set[tuple[str, ...]] = set()
    unique = []
    for r in out:
        key = ("@", r.email.lower()) if r.email else (r.name, r.unit or "", r.role)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return tuple(unique)


def snapshot(s: Standing) -> dict[str, Any]:
    """What the notice says about the task on the day it is issued (kept as filed)."""
    t, a = s.task, s.assessment
    return {
        "task": t.id,
        "title": t.title,
        "lead": t.lead,
        "support": list(t.support),
        "leader": t.leader,
        "listed_by": t.listed.by if t.listed is not None else None,
        "urgency": t.urgency,
        "due": s.due.isoformat(),
        "planned_due": t.due.isoformat(),
        "card": a.card.level,
        "reasons": [msg_json(m) for m in a.card.reasons],
        "overdue_wd": a.overdue_wd,
        "left_wd": a.left_wd,
        "progress": s.state.progress,
        "planned": round(a.planned, 1),
        "measures": list(t.measures),
        "source_ref": t.source.ref,
    }


def due_notices(
    items: Iterable[Standing], config: Config, today: date, calendar: WorkCalendar
) -> list[Draft]:
    """The notices to file today: a 交办单 for every open task that has none (once it
    has opened), and the warning its card calls for when that rung is above the
    highest one filed. At most one warning per task and day; each kind once."""
    response = calendar.add_workdays(today, config.rules.ladder.response_wd)
    addressees = recipients_of(config)
    out: list[Draft] = []
    for s in items:
        if not s.open or today < opened(s.task):
            continue
        kinds_filed = {n.kind for n in s.notices}
        wanted = []
        if not s.assigned:
            wanted.append(ASSIGN)
        if s.target > s.rung and KINDS[s.target] not in kinds_filed:
            wanted.append(s.target)
        if not wanted:
            continue
        # A task's notices of the day say the same of it: one snapshot, shared (a first
        # run of 100,000 tasks drafts a 交办单 and a warning for ~18,600 of them).
        body = snapshot(s)
        for rung in wanted:
            out.append(
                Draft(
                    task=s.task.id,
                    kind=KINDS[rung],
                    rung=rung,
                    unit=s.task.lead,
                    issued_on=today,
                    response_due=response,
                    recipients=addressees(s.task, rung),
                    body=body,
                )
            )
    return out


def repeat_due(
    s: Standing,
    notice: IssuedNotice,
    latest: IssuedNotice | None,
    last_sent: date,
    today: date,
    calendar: WorkCalendar,
    rules: LadderRules,
) -> bool:
    """Mail an unanswered notice again? Only when ``repeat_reminder_wd`` > 0, *notice* is
    the task's highest warning (*latest*: the rung has not risen since), the task is
    open, still carries a card, has sent no report since the notice was issued, and N
    working days have passed since it was last mailed to this recipient."""
    if not s.open or s.target == 0:
        return False
    return repeat_gate(notice, latest, s.state.last_report, last_sent, today, calendar, rules)


def repeat_gate(
    notice: IssuedNotice,
    latest: IssuedNotice | None,
    answered: date | None,
    last_sent: date,
    today: date,
    calendar: WorkCalendar,
    rules: LadderRules,
) -> bool:
    """The gate both repeats share: repeats are on, *notice* is a warning and still the
    subject's highest (*latest*), nothing answered it (*answered*: the last report or
    step, if on or after its issue), and N working days passed since it was last mailed."""
    n = rules.repeat_reminder_wd
    if n <= 0 or notice.rung < REMIND:
        return False
    if latest is None or latest.number != notice.number:
        return False
    if answered is not None and answered >= notice.issued_on:
        return False
    return calendar.workdays_between(last_sent, today) >= n
