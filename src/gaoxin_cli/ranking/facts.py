"""Per-task facts of one month, from what the store recorded (plain values in, no I/O).

``service/ranking.py`` reads the store (``gaoxin_cli.store.awards``) and the reporting
deadlines (``gaoxin_cli.rules.reports.deadlines_between``) and hands them over as a
:class:`MonthHistory`; this module turns them into
:class:`~gaoxin_cli.ranking.inputs.TaskFacts`, one per scored task.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import CardCounting, Task
from gaoxin_cli.ranking.inputs import TaskFacts
from gaoxin_cli.ranking.period import Period

YELLOW = 2
RED = 3

# (task, day, action, to-state) of a ``lifecycle`` event; (task, day, action, to-date) of
# an ``extension`` event.
LifecycleRow = tuple[str, date, str | None, str | None]
ExtensionRow = tuple[str, date, str | None, date | None]
# (day, level) of a ``card`` event.
CardRow = tuple[date, int]

DONE_STATES = frozenset({"done", "closed"})
CANCELLED_STATES = frozenset({"cancelled", "canceled"})


@dataclass(frozen=True, slots=True)
class MonthHistory:
    """What the store recorded, read for one month.

    ``end`` is the last day counted: the month's last day, or today while it runs.
    """

    start: date
    end: date
    cards_before: Mapping[str, int] = field(default_factory=dict)  # last level before start
    # (day, level) of the card events in the month, in order
    card_changes: Mapping[str, Sequence[CardRow]] = field(default_factory=dict)
    # (day, level) of every card event before the month, of the tasks that held a card
    # (yellow or above) on its eve: the day that card was raised (``in_force`` only)
    held_before: Mapping[str, Sequence[CardRow]] = field(default_factory=dict)
    done_on: Mapping[str, date] = field(default_factory=dict)  # done on or before end
    returned: Mapping[str, int] = field(default_factory=dict)  # returns in the month
    cancelled: frozenset[str] = frozenset()  # cancelled on or before end
    extended_to: Mapping[str, date] = field(default_factory=dict)
    missed: Mapping[str, Sequence[date]] = field(default_factory=dict)

    @property
    def has_cards(self) -> bool:
        """Whether any card change was recorded in the month (``gaoxin sweep`` ran)."""
        return any(self.card_changes.values())


def card_counts(before: int, levels: Iterable[int]) -> tuple[int, int]:
    """(yellow, red) cards raised, given the level before and the levels recorded after.

    A yellow card is raised when the level goes to yellow from blue or none; a red card
    when it goes to red or accountability from anything below red. A card that falls and
    is raised again counts again; red → accountability is the same red card.
    """
    yellow = red = 0
    prev = before
    for level in levels:
        if level >= RED > prev:
            red += 1
        elif level == YELLOW and prev < YELLOW:
            yellow += 1
        prev = level
    return yellow, red


class HeldCard(NamedTuple):
    """A card a task held in a month: the highest level it reached in the month (2
    yellow, 3 red, 4 问责) and the day it was raised to that colour — the day it became
    red for a red card, else the day it was raised — perhaps in an earlier month."""

    since: date
    level: int


def held_cards(rows: Iterable[CardRow], start: date) -> list[HeldCard]:
    """Every card a task held at any time from *start* on (``rules.ranking.cards:
    in_force``), given its card events in order (those before *start* included, as far
    back as the card it held on the eve of *start* was raised).

    A card is raised when the level goes to yellow or above from blue or none, and held
    until the level falls back below yellow. Rising from yellow to red or 问责 is the same
    card reaching a higher level, but a card that was red, fell back to yellow and rises
    to red again is a new red card (so ``new`` and ``in_force`` count the same red cards
    in a month that begins without a card). Each card counts at the highest level it
    reached from *start* on; a card held on *start* counts at least at its level then.
    """
    out: list[HeldCard] = []
    raised: date | None = None  # the open card's day raised (None: no card)
    red_on: date | None = None  # … and the day it first became red or 问责
    top = 0  # its highest level from start on (0: not in force from start on yet)
    level = 0
    entered = False

    def close() -> None:
        if raised is not None and top:
            out.append(HeldCard(red_on if top >= RED and red_on else raised, top))

    for day, new in rows:
        if not entered and day >= start:
            entered = True
            top = level if raised is not None else 0
        if new < YELLOW:
            close()
            raised, red_on, top = None, None, 0
        elif raised is None or (new >= RED and red_on is not None and level < RED):
            close()
            raised, red_on, top = day, day if new >= RED else None, new if entered else 0
        else:
            if new >= RED and red_on is None:
                red_on = day
            if entered:
                top = max(top, new)
        level = new
    if not entered and raised is not None:
        top = level
    close()
    return out


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Lifecycle events up to a month's end, summed up for scoring."""

    returned: dict[str, int]  # returned feedback in [start, end]
    cancelled: frozenset[str]  # cancelled on or before end
    reviewed: frozenset[str]  # tasks with a submit, accept or return: lifecycle decides done
    done: dict[str, date]  # accepted tasks: the day of the submission that was accepted


REVIEW_ACTIONS = frozenset({"submit", "accept", "return"})


def lifecycle(rows: Iterable[LifecycleRow], start: date, end: date) -> Lifecycle:
    """Sum up ``lifecycle`` events (in order) up to *end*.

    * action ``return`` is a returned feedback (退回), counted in ``[start, end]``;
    * ``cancel`` (or ``to`` = cancelled) takes the task out of scoring;
    * a task that went through review (submit / accept / return) is done when a step led
      to done or closed; its done day is that of the submission accepted (the latest
      ``submit`` before the acceptance), else of the acceptance itself.
    """
    returned: dict[str, int] = {}
    cancelled: set[str] = set()
    reviewed: set[str] = set()
    submitted: dict[str, date] = {}
    done: dict[str, date] = {}
    for task, at, action, to in rows:
        if at > end:
            continue
        if action == "return" and at >= start:
            returned[task] = returned.get(task, 0) + 1
        if action == "cancel" or to in CANCELLED_STATES:
            cancelled.add(task)
        if action in REVIEW_ACTIONS:
            reviewed.add(task)
        if action == "submit":
            submitted[task] = at
        elif action == "return":
            submitted.pop(task, None)
        if to in DONE_STATES and task not in done:
            done[task] = submitted.get(task, at)
    return Lifecycle(returned, frozenset(cancelled), frozenset(reviewed), done)


def extensions(rows: Iterable[ExtensionRow], end: date) -> dict[str, date]:
    """The latest approved extension per task on or before *end* (its new due date)."""
    out: dict[str, tuple[date, date]] = {}
    for task, at, action, to in rows:
        if (
            action == "approve"
            and to is not None
            and at <= end
            and (task not in out or at >= out[task][0])
        ):
            out[task] = (at, to)
    return {task: to for task, (_, to) in out.items()}


def done_days(progress: Mapping[str, date], life: Lifecycle) -> dict[str, date]:
    """The day each task was done: by review where the task went through review
    (``gaoxin submit`` / ``review``), else the day its reported progress reached 100 %."""
    out = {task: day for task, day in progress.items() if task not in life.reviewed}
    out.update(life.done)
    return out


def report_checks(
    reporting: Iterable[tuple[str, date, date, str]],
    deadlines: Mapping[str, Sequence[tuple[date, date]]],
    month: Period,
    done: Mapping[str, date],
    cancelled: frozenset[str],
) -> list[tuple[str, date, date]]:
    """The reporting deadlines of the month each task had to meet.

    *reporting* gives per task ``(id, first day it reports for, due, cadence)`` and
    *deadlines* per cadence the month's ``(deadline, start of its period)``, both from
    the feedback rules (``gaoxin_cli.rules.reports``). A deadline counts for a task when
    it lies in the task's reporting window and the task was not done by then. Returns
    ``(task, start of the deadline's period, deadline)``: the store says which of them
    have no report.
    """
    out = []
    start, last = month.start, month.end
    for tid, opens, due, cadence in reporting:
        if due < start or opens > last or tid in cancelled:
            continue
        finished = done.get(tid)
        if finished is not None and finished < start:
            continue
        for deadline, since in deadlines[cadence]:
            if opens <= deadline <= due and (finished is None or finished > deadline):
                out.append((tid, since, deadline))
    return out


def month_cards(
    tid: str, history: MonthHistory, counting: CardCounting
) -> tuple[int, int, tuple[date, ...], tuple[date, ...]]:
    """(yellow, red, days the yellow cards were raised, days the red ones were) of a task
    in the month. ``new``: the cards raised in it (:func:`card_counts`, no days);
    ``in_force``: every card held in it, at the highest level it reached there
    (:func:`held_cards`)."""
    h = history
    changes = h.card_changes.get(tid, ())
    if counting == "new":
        if not changes:
            return 0, 0, (), ()
        yellow, red = card_counts(h.cards_before.get(tid, 0), [lvl for _, lvl in changes])
        return yellow, red, (), ()
    before = h.held_before.get(tid, ())
    if not changes and not before:
        return 0, 0, (), ()
    held = held_cards([*before, *changes], h.start)
    reds = tuple(c.since for c in held if c.level >= RED)
    yellows = tuple(c.since for c in held if c.level < RED)
    return len(yellows), len(reds), yellows, reds


def build(
    tasks: Iterable[Task],
    history: MonthHistory,
    calendar: WorkCalendar,
    counting: CardCounting = "in_force",
) -> list[TaskFacts]:
    """One :class:`TaskFacts` per task of the plan that is not cancelled by the month's end.

    *counting* is ``rules.ranking.cards``: which cards a month counts. (One pass of
    dictionary look-ups per task: 100,000 tasks a month, twice for a ranking. The cards
    are worked out only for the tasks that have any; tests/test_ranking.py holds it to
    the plain rules.)"""
    h = history
    end = h.end
    cancelled, done_map = h.cancelled, h.done_on
    changes, held = h.card_changes, h.held_before if counting != "new" else {}
    carded = changes.keys() | held.keys()
    returned, missed, extended = h.returned.get, h.missed.get, h.extended_to.get
    done_of = done_map.get
    between = calendar.workdays_between
    new = tuple.__new__
    no_cards = (0, 0, (), ())
    out: list[TaskFacts] = []
    append = out.append
    for task in tasks:
        tid = task.id
        if tid in cancelled:
            continue
        done_on = done_of(tid)
        yellow, red, yellow_since, red_since = (
            month_cards(tid, h, counting) if tid in carded else no_cards
        )
        due = task.due
        overdue_wd = max(0, between(due, end)) if done_on is None and due < end else 0
        late = missed(tid)
        # Positional, in TaskFacts' field order: task, title, unit, due, done_on, yellow,
        # red, returned, missed, overdue_wd, extended_to, yellow_since, red_since.
        append(
            new(
                TaskFacts,
                (
                    tid,
                    task.title,
                    task.lead,
                    due,
                    done_on,
                    yellow,
                    red,
                    returned(tid, 0),
                    tuple(late) if late else (),
                    overdue_wd,
                    extended(tid),
                    yellow_since,
                    red_since,
                ),
            )
        )
    return out


assert TaskFacts._fields == (
    "task",
    "title",
    "unit",
    "due",
    "done_on",
    "yellow",
    "red",
    "returned",
    "missed",
    "overdue_wd",
    "extended_to",
    "yellow_since",
    "red_since",
), "build() makes TaskFacts positionally"
