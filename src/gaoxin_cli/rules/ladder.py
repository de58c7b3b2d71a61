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

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Config, LadderRules, Person, Task
from gaoxin_cli.models.state import Level, TaskState
from gaoxin_cli.rules.cards import PAST_DUE, Assessment, CardClock, no_card
from gaoxin_cli.rules.feedback import opened
from gaoxin_cli.rules.lifecycle import STOPPED_STATES, stopped
from gaoxin_cli.rules.problems import ProblemStatus, ProblemSubject

KINDS: tuple[str, ...] = ("assign", "remind", "urge", "supervise", "report")
ASSIGN, REMIND, URGE, SUPERVISE, REPORT = range(5)
LABELS: dict[str, str] = {
    "assign": "交办",
    "remind": "提醒",
    "urge": "催办",
    "supervise": "督办",
    "report": "通报",
}
# A task without a 督办单 has no red-notice deadline: it cannot reach L4 on the ladder.
NO_RED_NOTICE = date.max
_EMPTY = TaskState()

_NUMBER_ZH = re.compile(
    r"^\s*(交办|提醒|催办|督办|通报)单?\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*0*(\d{1,6})\s*号?\s*$"
)
_NUMBER_EN = re.compile(
    r"^\s*(assign|remind|urge|supervise|report)[-/ _]?(\d{4})[-/ _]0*(\d{1,6})\s*$", re.IGNORECASE
)


def number(kind: str, year: int, seq: int) -> str:
    """The notice number: 督办〔2020〕12号."""
    return f"{LABELS[kind]}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int] | None:
    """``(kind, year, seq)`` from 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12."""
    m = _NUMBER_ZH.match(text)
    if m:
        kind = next(k for k, v in LABELS.items() if v == m.group(1))
        return kind, int(m.group(2)), int(m.group(3))
    m = _NUMBER_EN.match(text)
    if m:
        return m.group(1).lower(), int(m.group(2)), int(m.group(3))
    return None


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
    or cancelled."""
    card = CardClock(today, calendar, config.rules.cards).assess
    rules = config.rules.ladder
    state_of, issued_of, life_of = states.get, issued.get, (lifecycle or {}).get
    # A card, lateness, a lag or a notice filed: sorted by severity_key, -rung and the id,
    # then the place found (equal keys keep their order; standings are never compared).
    urgent: list[tuple[int, int, float, int, str, int, Standing]] = []
    quiet: list[tuple[str, Standing]] = []  # none of these: they sort last, by id
    for t in tasks:
        tid = t.id
        st = state_of(tid, _EMPTY)
        due = dues.get(tid, t.due) if dues else t.due
        notices = issued_of(tid)
        life = life_of(tid)
        if notices:
            notices = tuple(notices)
            rung = max((n.rung for n in notices if n.rung >= REMIND), default=0)
            red_due = red_notice_due(notices)
        else:
            notices, rung, red_due = (), 0, NO_RED_NOTICE
        if st.done or (life is not None and life in STOPPED_STATES):
            # Done, closed or cancelled: no card, no notice, whatever the numbers say.
            a = PAST_DUE if today >= due else no_card(t, today, due)
            target = 0
        else:
            a = card(t, st, due, red_due)
            target = target_rung(a.card.level, t, rules, today) if a.card.level else 0
        s = Standing(t, st, a, due, notices, rung, target, life)
        level = a.card.level
        if level or a.overdue_wd or a.lag or rung:
            urgent.append((-level, -a.overdue_wd, -a.lag, -rung, tid, len(urgent), s))
        else:
            quiet.append((tid, s))
    urgent.sort()
    quiet.sort(key=_FIRST)
    return [u[-1] for u in urgent] + [q[1] for q in quiet]


_FIRST = itemgetter(0)


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
    return _unique(out)


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
        "reasons": [_msg_json(m) for m in a.card.reasons],
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
        for rung in wanted:
            out.append(
                Draft(
                    task=s.task.id,
                    kind=KINDS[rung],
                    rung=rung,
                    unit=s.task.lead,
                    issued_on=today,
                    response_due=response,
                    recipients=recipients(s.task, rung, config),
                    body=snapshot(s),
                )
            )
    return out


# --- problems (问题提报) on the ladder -------------------------------------------------


def problem_recipients(unit: str, rung: int, config: Config) -> tuple[Recipient, ...]:
    """A late problem's addressees: the responsible unit's contact (rung 1) → + its head
    (rung 2) → + the office's contact and head (rungs 3–4). One entry per person."""
    units = config.units
    out: list[Recipient] = []
    u = units.get(unit)
    if u is not None:
        out.append(Recipient("contact", u.contact.name, u.contact.email, unit))
        if rung >= URGE:
            out.append(Recipient("head", u.head.name, u.head.email, unit))
    office_id = config.org.office
    office = units.get(office_id)
    if rung >= SUPERVISE and office is not None:
        out.append(
            Recipient("office_contact", office.contact.name, office.contact.email, office_id)
        )
        out.append(Recipient("office_head", office.head.name, office.head.email, office_id))
    return _unique(out)


def _unique(out: Iterable[Recipient]) -> tuple[Recipient, ...]:
    """One entry per person: by address when there is one, else by name, unit and role."""
    seen: set[tuple[str, ...]] = set()
    unique = []
    for r in out:
        key = ("@", r.email.lower()) if r.email else (r.name, r.unit or "", r.role)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return tuple(unique)


def problem_snapshot(
    p: ProblemSubject, status: ProblemStatus | None, today: date, calendar: WorkCalendar
) -> dict[str, Any]:
    """What a problem's notice says about it on the day it is issued (kept as filed)."""
    late = calendar.workdays_between(p.due, today) if today > p.due else 0
    return {
        "subject_kind": "problem",
        "problem": p.number,
        "title": p.title,
        "text": status.text if status is not None else p.title,
        "unit": p.unit,
        "assigned_to": status.unit if status is not None else None,
        "task": status.task if status is not None else None,
        "stage": status.state if status is not None else None,
        "reported_on": status.reported_on.isoformat() if status is not None else None,
        "due": p.due.isoformat(),
        "card": p.card.level,
        "reasons": [_msg_json(m) for m in p.card.reasons],
        "late_wd": late,
    }


def problem_due_notices(
    subjects: Iterable[ProblemSubject],
    statuses: Mapping[str, ProblemStatus],
    issued: Mapping[str, Sequence[IssuedNotice]],
    config: Config,
    today: date,
    calendar: WorkCalendar,
) -> list[Draft]:
    """The notices to file today for late problems (``rules.problems.problem_subjects``):
    a card of level L calls for rung L, filed when above the highest rung filed for the
    problem and of a kind not filed yet. No 交办单: the problem's assignment is its
    dispatch. Subjects are the problems carrying a card; closed or rejected ones never
    are."""
    response = calendar.add_workdays(today, config.rules.ladder.response_wd)
    out: list[Draft] = []
    for p in subjects:
        st = statuses.get(p.number)
        if st is not None and not st.open:
            continue
        target = min(REPORT, int(p.card.level))
        filed = issued.get(p.number, ())
        rung = max((n.rung for n in filed if n.rung >= REMIND), default=0)
        if target < REMIND or target <= rung or KINDS[target] in {n.kind for n in filed}:
            continue
        out.append(
            Draft(
                task=p.number,
                kind=KINDS[target],
                rung=target,
                unit=p.unit,
                issued_on=today,
                response_due=response,
                recipients=problem_recipients(p.unit, target, config),
                body=problem_snapshot(p, st, today, calendar),
                subject_kind="problem",
            )
        )
    return out


def problem_repeat_due(
    notice: IssuedNotice,
    latest: IssuedNotice | None,
    last_step: date | None,
    last_sent: date,
    today: date,
    calendar: WorkCalendar,
    rules: LadderRules,
) -> bool:
    """Mail a late problem's unanswered notice again? As :func:`repeat_due`: *notice* is
    the problem's highest warning, no step was taken on the problem since it was issued
    (*last_step*), and ``repeat_reminder_wd`` working days have passed since it was last
    mailed. The caller checks the problem still carries a card."""
    return _repeat(notice, latest, last_step, last_sent, today, calendar, rules)


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
    return _repeat(notice, latest, s.state.last_report, last_sent, today, calendar, rules)


def _repeat(
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


# --- looking ahead ---------------------------------------------------------------


def next_step(
    s: Standing, config: Config, today: date, calendar: WorkCalendar
) -> tuple[int, date] | None:
    """The next rung the task will reach and the day, if nothing is reported: today when
    the card already calls for more than has been filed, else the first working day on
    which it would.

    With nothing reported a card never falls — lateness and the lag behind 序时进度 only
    grow, a listing only starts — so the rung a day calls for never decreases with the
    day. The lateness thresholds (and the 督办单's reply deadline) give a day by which the
    rung has risen; a binary search over the working days before it finds the first.
    """
    return _Lookahead(config, today, calendar).next_step(s)


class _Lookahead:
    """:func:`next_step` for many tasks: the cards of each day looked at are worked out
    by one :class:`CardClock` per day, shared by all the tasks."""

    __slots__ = ("_calendar", "_clocks", "_config", "_today")

    def __init__(self, config: Config, today: date, calendar: WorkCalendar) -> None:
        self._config = config
        self._today = today
        self._calendar = calendar
        self._clocks: dict[date, CardClock] = {}

    def _rung_on(self, s: Standing, day: date, red_due: date) -> int:
        clock = self._clocks.get(day)
        if clock is None:
            clock = self._clocks[day] = CardClock(day, self._calendar, self._config.rules.cards)
        a = clock.assess(s.task, s.state, s.due, red_due)
        return target_rung(a.card.level, s.task, self._config.rules.ladder, day)

    def next_step(self, s: Standing) -> tuple[int, date] | None:
        if not s.open:
            return None
        today, calendar = self._today, self._calendar
        if s.target > s.rung:
            return s.target, today
        if s.rung >= REPORT:
            return None
        red_due = red_notice_due(s.notices)
        if (
            s.rung == SUPERVISE
            and red_due != NO_RED_NOTICE
            and s.assessment.card.level >= Level.RED
        ):
            # red holding its 督办单: 通报 the first working day after the reply deadline
            return REPORT, max(calendar.add_workdays(red_due, 1), calendar.next_workday(today))
        cards = self._config.rules.cards
        candidates = [
            calendar.add_workdays(s.due, -cards.blue_within_wd),
            calendar.add_workdays(s.due, cards.yellow_overdue_wd),
            calendar.add_workdays(s.due, cards.red_overdue_wd + 1),
        ]
        if red_due != NO_RED_NOTICE:
            candidates.append(calendar.add_workdays(red_due, 1))
        bound = next(
            (c for c in sorted(candidates) if c > today and self._rung_on(s, c, red_due) > s.rung),
            None,
        )
        if bound is None:
            return None
        lo, hi = 1, calendar.workdays_between(today, bound)  # bound is the hi-th working day
        while lo < hi:
            mid = (lo + hi) // 2
            if self._rung_on(s, calendar.add_workdays(today, mid), red_due) > s.rung:
                hi = mid
            else:
                lo = mid + 1
        day = calendar.add_workdays(today, lo)
        return self._rung_on(s, day, red_due), day


class OverdueRow(NamedTuple):
    """A late or warned task for ``gaoxin overdue``."""

    standing: Standing
    next: tuple[int, date] | None  # the next rung and the day it falls due


def overdue(
    items: Iterable[Standing],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    levels: frozenset[int] = frozenset(),
) -> list[OverdueRow]:
    """Open tasks carrying a card (only *levels*, when given), in the order of *items*."""
    ahead = _Lookahead(config, today, calendar).next_step
    return [
        OverdueRow(s, ahead(s))
        for s in items
        if s.assessment.card.level > Level.NONE
        and (not levels or s.assessment.card.level in levels)
        and s.open
    ]


class ListedRow(NamedTuple):
    """A listed (挂牌督办) task: who supervises it, for how long, and whether 摘牌."""

    standing: Standing
    since: date
    by: str | None
    delisted: date | None  # the day it was done (摘牌), else None
    days: int  # calendar days listed, up to today or the delisting
    workdays: int
    today: date

    @property
    def active(self) -> bool:
        return self.delisted is None and self.since <= self.today


def listing(
    items: Iterable[Standing],
    done_on: Mapping[str, date],
    today: date,
    calendar: WorkCalendar,
) -> list[ListedRow]:
    """The listed tasks, still listed first (longest first), then the delisted."""
    out = []
    for s in items:
        lst = s.task.listed
        if lst is None:
            continue
        delisted = done_on.get(s.task.id) if s.state.done else None
        end = delisted or today
        days = max(0, (end - lst.since).days)
        wd = max(0, calendar.workdays_between(lst.since, end)) if end > lst.since else 0
        out.append(ListedRow(s, lst.since, lst.by, delisted, days, wd, today))
    out.sort(key=lambda r: (r.delisted is not None, r.since, r.standing.task.id))
    return out


def stored_reasons(body: Mapping[str, Any]) -> list[Msg]:
    """The card reasons a filed notice recorded (its ``body["reasons"]``), as messages;
    entries that are not ``{"key": …, "params": {…}}`` are left out."""
    out = []
    for r in body.get("reasons") or []:
        if not isinstance(r, Mapping) or not isinstance(r.get("key"), str):
            continue
        out.append(_msg_from(r))
    return out


def _msg_json(m: Msg) -> dict[str, Any]:
    """A message as JSON, nested messages (a problem's stage) included."""
    params = {k: _msg_json(v) if isinstance(v, Msg) else v for k, v in m.params.items()}
    return {"key": m.key, "params": params}


def _msg_from(r: Mapping[str, Any]) -> Msg:
    params = r.get("params")
    found = dict(params) if isinstance(params, Mapping) else {}
    for k, v in found.items():
        if isinstance(v, Mapping) and isinstance(v.get("key"), str):
            found[k] = _msg_from(v)
    return Msg(r["key"], **found)
