"""Cards on 问题提报 (a late stage is a card, like a late task) and the lines that show
them. Pure."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import CardRules, Plan, ProblemRules
from gaoxin_cli.models.state import Card, Level
from gaoxin_cli.rules.problems import ProblemStatus, responsible, stage_due


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

    *red_notice_due* is the reply deadline of the problem's filed 督办单: a red problem
    is L4 iff *today* is after it. None (or ``date.max``): no 督办单 was filed, and the
    problem cannot be L4 — the deadline is never estimated, as for tasks.
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
    if level == Level.RED and red_notice_due is not None and today > red_notice_due:
        level = Level.ACCOUNTABILITY
        reasons.insert(0, Msg("card.accountability", deadline=red_notice_due.isoformat()))
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
    (a problem without one is never L4; see :func:`problem_card`).
    """
    red_of = (red_notice_dues or {}).get
    out = []
    for s in statuses:
        c = problem_card(s, today, calendar, rules, cards, office, red_notice_due=red_of(s.number))
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
    red_notice_dues: Mapping[str, date] | None = None,
) -> list[ProblemLine]:
    """The problems *chosen* keeps: open ones most severe first, then the rest by number.
    *red_notice_dues*: as for :func:`problem_cards` (none given: no problem is L4)."""
    cfg = plan.config
    office = cfg.org.office
    red_of = (red_notice_dues or {}).get
    out = []
    for st in statuses:
        card = problem_card(
            st,
            today,
            calendar,
            cfg.rules.problems,
            cfg.rules.cards,
            office,
            red_notice_due=red_of(st.number),
        )
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
