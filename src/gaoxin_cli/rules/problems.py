"""问题提报 closed loop, research/domain.md §3.2. Pure: no SQL, no clock.

::

    reported ──accept──▶ accepted ──assign──▶ assigned ──answer──▶ answered ──verify ok──▶ closed
        │                                        ▲                    │      (satisfied)
        └──reject (reason)──▶ rejected           └──── reopen ────────┘
                                          (verify --reopen, or verified but not satisfied:
                                           不满意的重办)

Stage limits in working days (``rules.problems``; 枣庄 1/2/10/25, domain.md §3.2), each
counted from the day its stage began ("N WD from D" = the N-th working day after D):

==========  ==========================  ===================  =====================
state       the clock starts            limit                whose move
==========  ==========================  ===================  =====================
reported    the report                  ``accept_wd`` (1)    the office: accept/reject
accepted    the acceptance              ``accept_wd`` (1)    the office: assign
assigned    the assignment (or reopen)  ``answer_wd`` (2)    the assigned unit: answer
answered    the assignment (or reopen)  ``resolve_wd`` (10), the office: verify
                                        ``hard_resolve_wd``
                                        (25) with ``--hard``
==========  ==========================  ===================  =====================

A problem past its stage deadline carries a card with the task thresholds
(``rules.cards``): blue on the last day (or past it with no working day since), yellow
1–5 WD late, red more than 5, accountability when the red card's response time has run
out too. Closed and rejected problems carry none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Final, NamedTuple, Protocol

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import CardRules, Plan, ProblemRules
from gaoxin_cli.models.state import Card, Event, Level
from gaoxin_cli.rules.feedback import check_text, find_task
from gaoxin_cli.rules.machine import Machine
from gaoxin_cli.strings import did_you_mean

REPORTED: Final = "reported"
ACCEPTED: Final = "accepted"
ASSIGNED: Final = "assigned"
ANSWERED: Final = "answered"
CLOSED: Final = "closed"
REJECTED: Final = "rejected"

STATES: tuple[str, ...] = (REPORTED, ACCEPTED, ASSIGNED, ANSWERED, CLOSED, REJECTED)
OPEN_STATES: frozenset[str] = frozenset({REPORTED, ACCEPTED, ASSIGNED, ANSWERED})
ACTIONS: tuple[str, ...] = ("accept", "reject", "assign", "answer", "verify", "reopen")

TRANSITIONS: MappingProxyType[tuple[str, str], str] = MappingProxyType(
    {
        (REPORTED, "accept"): ACCEPTED,
        (REPORTED, "reject"): REJECTED,
        (ACCEPTED, "assign"): ASSIGNED,
        (ASSIGNED, "answer"): ANSWERED,
        (ANSWERED, "verify"): CLOSED,
        (ANSWERED, "reopen"): ASSIGNED,
    }
)

MAX_TEXT = 2000
_NUMBER_RE = re.compile(r"^\s*(?:问题)?\s*[〔\[(（]?\s*(\d{4})\s*[〕\])）/\-_.]\s*(\d+)\s*号?\s*$")


class ProblemLike(Protocol):
    """What the rules need of a stored problem (``store.problems.ProblemRow`` is one)."""

    @property
    def number(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def reported_on(self) -> date: ...
    @property
    def reporter(self) -> str: ...
    @property
    def task(self) -> str | None: ...
    @property
    def text(self) -> str: ...


MACHINE = Machine(
    STATES,
    ACTIONS,
    TRANSITIONS,
    "pstate",
    "paction",
    "error.problem_illegal",
    "hint.problem_final",
)


def allowed(current: str) -> tuple[str, ...]:
    return MACHINE.allowed(current)


def transition(current: str, action: str, *, number: str = "") -> str:
    """The state *action* leads to; a GaoxinError naming the state and the allowed steps."""
    return MACHINE.step(current, action, number=number)


def parse_number(text: str, year: int) -> tuple[int, int] | None:
    """``问题〔2020〕3号``, ``2020-3``, ``2020/3`` → (2020, 3); a bare ``3`` means *year*."""
    bare = text.strip().removesuffix("号")
    if bare.isascii() and bare.isdigit() and len(bare) < 7:
        return year, int(bare)
    m = _NUMBER_RE.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def unknown_number(text: str, known: Sequence[str]) -> GaoxinError:
    hint = did_you_mean(text, known) or Msg("hint.problem_number")
    return GaoxinError("error.unknown_problem", number=text, hint=hint)


# --- replaying the steps ---------------------------------------------------------------


class ProblemStatus(NamedTuple):
    """A problem as of one day: its state and the clocks that run on it."""

    number: str
    year: int
    seq: int
    text: str
    reporter: str
    task: str | None
    reported_on: date
    state: str
    since: date  # the day the current state began
    unit: str | None = None  # the unit it is assigned to (once assigned)
    hard: bool = False  # assigned with --hard: the longer resolve limit
    round_start: date | None = None  # the latest assignment or reopen
    answer: str | None = None  # the latest answer
    satisfied: bool | None = None  # the latest verification's satisfaction answer
    reason: str | None = None  # why rejected, or why reopened the last time
    reopened: int = 0
    ended: date | None = None  # closed or rejected on
    last_step: date | None = None
    steps: tuple[Event, ...] = ()

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.year, self.seq)


def replay(problem: ProblemLike, steps: Sequence[Event]) -> ProblemStatus:
    """Fold the ``problem`` events (by ``(at, id)``) into a :class:`ProblemStatus`.

    Steps were checked against the machine when recorded; one whose target is not a
    known state (a database edited by hand) is skipped.
    """
    state, since = REPORTED, problem.reported_on
    unit: str | None = None
    hard = False
    round_start: date | None = None
    answer: str | None = None
    satisfied: bool | None = None
    reason: str | None = None
    reopened = 0
    last: date | None = None
    for e in steps:
        if e.kind != "problem" or e.task != problem.number:
            continue
        data = e.data or {}
        action, to = data.get("action"), data.get("to")
        last = e.at
        if action == "report" or not isinstance(to, str) or to not in STATES:
            continue
        state, since = to, e.at
        if action == "assign":
            unit = data.get("unit") if isinstance(data.get("unit"), str) else unit
            hard = data.get("hard") is True
            round_start = e.at
        elif action == "answer":
            answer = e.note
        elif action in ("verify", "reopen"):
            sat = data.get("satisfied")
            satisfied = sat if isinstance(sat, bool) else None
            if action == "reopen":
                reopened += 1
                round_start = e.at
                reason = e.reason
        elif action == "reject":
            reason = e.reason
    return ProblemStatus(
        number=problem.number,
        year=problem.year,
        seq=problem.seq,
        text=problem.text,
        reporter=problem.reporter,
        task=problem.task,
        reported_on=problem.reported_on,
        state=state,
        since=since,
        unit=unit,
        hard=hard,
        round_start=round_start,
        answer=answer,
        satisfied=satisfied,
        reason=reason,
        reopened=reopened,
        ended=since if state in (CLOSED, REJECTED) else None,
        last_step=last,
        steps=tuple(e for e in steps if e.kind == "problem" and e.task == problem.number),
    )


# --- deadlines and cards -----------------------------------------------------------------


def stage_due(status: ProblemStatus, rules: ProblemRules, calendar: WorkCalendar) -> date | None:
    """The deadline of the current stage (None once closed or rejected)."""
    if status.state in (REPORTED, ACCEPTED):
        return calendar.add_workdays(status.since, rules.accept_wd)
    start = status.round_start or status.since
    if status.state == ASSIGNED:
        return calendar.add_workdays(start, rules.answer_wd)
    if status.state == ANSWERED:
        return calendar.add_workdays(start, resolve_limit(status, rules))
    return None


def resolve_limit(status: ProblemStatus, rules: ProblemRules) -> int:
    return rules.hard_resolve_wd if status.hard else rules.resolve_wd


def resolve_due(status: ProblemStatus, rules: ProblemRules, calendar: WorkCalendar) -> date | None:
    """When the assigned round must be resolved (verified), once assigned."""
    if status.round_start is None or status.state in (CLOSED, REJECTED):
        return None
    return calendar.add_workdays(status.round_start, resolve_limit(status, rules))


def responsible(status: ProblemStatus, office: str) -> str:
    """Whose move it is: the assigned unit while it owes an answer, else the office."""
    if status.state == ASSIGNED and status.unit:
        return status.unit
    return office


class ProblemCard(NamedTuple):
    """An open problem's card as of a day, with the numbers behind it."""

    status: ProblemStatus
    card: Card
    due: date
    late_wd: int  # working days past the stage deadline (0 when not late)
    unit: str  # whose move it is
    age_wd: int  # working days since the report

    @property
    def number(self) -> str:
        return self.status.number


def problem_card(
    status: ProblemStatus,
    today: date,
    calendar: WorkCalendar,
    rules: ProblemRules,
    cards: CardRules,
    office: str,
    *,
    red_notice_due: date | None = None,
) -> ProblemCard | None:
    """The card of an open problem (None for a closed or rejected one).

    *red_notice_due* is the response deadline of the problem's real 督办单: when given,
    a red problem is L4 iff *today* is after it (``date.max``: never). Without it, the
    deadline is estimated as N WD after the day the card turned red, as for tasks.
    """
    due = stage_due(status, rules, calendar)
    if due is None:
        return None
    stage = Msg(f"pstage.{status.state}")
    late = calendar.workdays_between(due, today) if today > due else 0
    level = Level.NONE
    reasons: list[Msg] = []
    if today > due:
        if late > cards.red_overdue_wd:
            level = Level.RED
        elif late >= cards.yellow_overdue_wd:
            level = Level.YELLOW
        else:
            level = Level.BLUE
        if late:
            reasons.append(Msg("problem.card_late", stage=stage, wd=late, due=due.isoformat()))
        else:
            reasons.append(Msg("problem.card_passed", stage=stage, due=due.isoformat()))
    elif today == due:
        level = Level.BLUE
        reasons.append(Msg("problem.card_today", stage=stage))
    if level == Level.RED:
        if red_notice_due is not None:
            deadline = red_notice_due
        else:
            red_since = calendar.add_workdays(due, cards.red_overdue_wd + 1)
            deadline = calendar.add_workdays(red_since, cards.accountability_response_wd)
        if today > deadline:
            level = Level.ACCOUNTABILITY
            reasons.insert(0, Msg("card.accountability", deadline=deadline.isoformat()))
    return ProblemCard(
        status=status,
        card=Card(level, tuple(reasons)),
        due=due,
        late_wd=late,
        unit=responsible(status, office),
        age_wd=max(0, calendar.workdays_between(status.reported_on, today)),
    )


def problem_cards(
    statuses: Iterable[ProblemStatus],
    today: date,
    calendar: WorkCalendar,
    rules: ProblemRules,
    cards: CardRules,
    office: str,
    red_notice_dues: Mapping[str, date] | None = None,
) -> list[ProblemCard]:
    """Every open problem's card, most severe first (then the oldest number).

    *red_notice_dues*: number → its 督办单's response deadline, from the notices filed
    (a problem without one is then never L4); None estimates it (see :func:`problem_card`).
    """
    out = []
    for s in statuses:
        red = None if red_notice_dues is None else red_notice_dues.get(s.number, date.max)
        c = problem_card(s, today, calendar, rules, cards, office, red_notice_due=red)
        if c is not None:
            out.append(c)
    out.sort(key=lambda c: (-c.card.level, -c.late_wd, c.status.sort_key))
    return out


class ProblemSubject(NamedTuple):
    """A late (or due-today) problem, for the notice ladder: one notice subject."""

    number: str
    unit: str  # the unit to notify: whose move it is
    card: Card
    due: date  # the stage deadline
    title: str  # the problem's text, shortened to one line


def title_of(text: str, width: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def problem_subjects(
    statuses: Iterable[ProblemStatus],
    today: date,
    calendar: WorkCalendar,
    plan: Plan,
    red_notice_dues: Mapping[str, date] | None = None,
) -> list[ProblemSubject]:
    """The open problems that carry a card today (level ≥ blue), most severe first.

    The ladder treats each like a task: the card level picks the rung (blue 提醒, yellow
    催办单, red 督办单, accountability 通报), the unit gets the notice, ``due`` is the stage
    deadline it missed (or meets today).
    """
    cfg = plan.config
    found = problem_cards(
        statuses,
        today,
        calendar,
        cfg.rules.problems,
        cfg.rules.cards,
        cfg.org.office,
        red_notice_dues,
    )
    return [
        ProblemSubject(c.number, c.unit, c.card, c.due, title_of(c.status.text))
        for c in found
        if c.card.level > Level.NONE
    ]


# --- listing ----------------------------------------------------------------------------


class ProblemLine(NamedTuple):
    """One problem for ``gaoxin problem list``: its status, card (open ones) and age."""

    status: ProblemStatus
    card: ProblemCard | None
    age_wd: int  # working days from the report to today, or to the day it ended


class ProblemFilter(NamedTuple):
    states: frozenset[str] = frozenset()  # empty: the open states (all with everything)
    units: frozenset[str] = frozenset()  # assigned to, or whose move it is
    task: str | None = None
    late: bool = False  # only problems past a stage deadline
    everything: bool = False  # closed and rejected too

    def keep(self, line: ProblemLine, office: str) -> bool:
        st = line.status
        if self.states:
            if st.state not in self.states:
                return False
        elif not self.everything and not st.open:
            return False
        if self.units:
            whose = responsible(st, office) if st.open else None
            if st.unit not in self.units and whose not in self.units:
                return False
        if self.task is not None and st.task != self.task:
            return False
        return not (self.late and (line.card is None or line.card.late_wd <= 0))


_OPEN = ProblemFilter()  # the open problems, of every unit


def problem_lines(
    statuses: Iterable[ProblemStatus],
    today: date,
    calendar: WorkCalendar,
    plan: Plan,
    chosen: ProblemFilter = _OPEN,
) -> list[ProblemLine]:
    """The problems *chosen* keeps: open ones most severe first, then the rest by number."""
    cfg = plan.config
    office = cfg.org.office
    out = []
    for st in statuses:
        card = problem_card(st, today, calendar, cfg.rules.problems, cfg.rules.cards, office)
        end = st.ended or today
        age = max(0, calendar.workdays_between(st.reported_on, end))
        line = ProblemLine(st, card, age)
        if chosen.keep(line, office):
            out.append(line)

    def key(line: ProblemLine) -> tuple[int, int, int, int, int]:
        c = line.card
        if c is None:
            return (1, 0, 0, *line.status.sort_key)
        return (0, -c.card.level, -c.late_wd, *line.status.sort_key)

    out.sort(key=key)
    return out


# --- the events a step becomes ------------------------------------------------------------


def check_unit(plan: Plan, unit: str) -> str:
    units = plan.config.units
    if unit not in units:
        raise GaoxinError("error.unknown_unit", unit=unit, hint=did_you_mean(unit, units))
    return unit


def check_problem_text(text: str) -> str:
    cleaned = check_text("TEXT", text)
    if cleaned is None:
        raise UsageError("error.problem_empty")
    if len(cleaned) > MAX_TEXT:
        raise UsageError("error.problem_too_long", n=len(cleaned), max=MAX_TEXT)
    return cleaned


def report_event(
    number: str,
    day: date,
    reporter: str,
    task: str | None,
    *,
    recorded_at: str | None = None,
) -> Event:
    """The first step of a problem (the row holds the text)."""
    return Event(
        task=number,
        kind="problem",
        at=day,
        unit=reporter,
        data={
            "action": "report",
            "from": None,
            "to": REPORTED,
            "task": task,
            "unit": reporter,
            "satisfied": None,
        },
        source="cli",
        recorded_at=recorded_at,
    )


def check_report(plan: Plan, reporter: str, task: str | None, text: str) -> tuple[str, str | None]:
    """Validate a report; returns the cleaned text and the task id."""
    check_unit(plan, reporter)
    if task is not None:
        task = find_task(plan, task).id
    return check_problem_text(text), task


def step(
    plan: Plan,
    status: ProblemStatus,
    action: str,
    today: date,
    *,
    unit: str | None = None,
    hard: bool = False,
    satisfied: bool | None = None,
    note: str | None = None,
    reason: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """Check one step on a problem and return its event (a GaoxinError says what is wrong).

    * ``assign`` needs the unit (``--to``); ``hard`` picks the longer resolve limit;
    * ``answer`` is given by the assigned unit (default) or the office, with the answer;
    * ``verify`` needs ``satisfied``: satisfied closes it; not satisfied reopens it
      (不满意的重办) — the event is then a ``reopen``;
    * ``reopen`` and ``reject`` need a reason.
    """
    office = plan.config.org.office
    note = check_text("--note", note)
    reason = check_text("--reason", reason)
    if action == "verify":
        if satisfied is None:
            raise UsageError("error.problem_needs_satisfied")
        if not satisfied:
            action = "reopen"
    elif action == "reopen" and reason is None:
        raise UsageError("error.problem_needs_reason", action=Msg("pverb.reopen"))
    if action == "reject" and reason is None:
        raise UsageError("error.problem_needs_reason", action=Msg("pverb.reject"))
    if action == "answer" and note is None:
        raise UsageError("error.problem_needs_answer")
    if status.last_step is not None and today < status.last_step:
        raise GaoxinError(
            "error.problem_before_last",
            number=status.number,
            today=today.isoformat(),
            last=status.last_step.isoformat(),
        )
    if today < status.reported_on:
        raise GaoxinError(
            "error.problem_before_last",
            number=status.number,
            today=today.isoformat(),
            last=status.reported_on.isoformat(),
        )
    nxt = transition(status.state, action, number=status.number)
    actor = office
    to_unit = status.unit
    if action == "assign":
        if not unit:
            raise UsageError("error.problem_needs_unit")
        to_unit = check_unit(plan, unit)
        actor = office
    elif action == "answer":
        actor = check_unit(plan, unit or status.unit or office)
        if actor not in (status.unit, office):
            raise GaoxinError(
                "error.problem_wrong_unit", unit=actor, number=status.number, assigned=status.unit
            )
    elif unit is not None:
        actor = check_unit(plan, unit)
    data: dict[str, object] = {
        "action": action,
        "from": status.state,
        "to": nxt,
        "task": status.task,
        "unit": to_unit,
        "satisfied": satisfied if action in ("verify", "reopen") else None,
    }
    if action == "assign":
        data["hard"] = hard
    return Event(
        task=status.number,
        kind="problem",
        at=today,
        unit=actor,
        note=note,
        reason=reason if action in ("reopen", "reject") else None,
        data=data,
        source="cli",
        recorded_at=recorded_at,
    )
