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

import re
from collections.abc import Sequence
from datetime import date
from types import MappingProxyType
from typing import Final, NamedTuple, Protocol

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import ProblemRules
from gaoxin_cli.models.state import Event
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
# A pattern, compiled (and cached by ``re``) when a typed number is first read.
_NUMBER_RE = r"^\s*(?:问题)?\s*[〔\[(（]?\s*(\d{4})\s*[〕\])）/\-_.]\s*(\d+)\s*号?\s*$"


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
    m = re.match(_NUMBER_RE, text)
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


# --- listing ----------------------------------------------------------------------------


# --- the events a step becomes ------------------------------------------------------------
