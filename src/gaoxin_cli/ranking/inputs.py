"""What scoring takes in: per-task facts of one month, and manual score items.

``service/ranking.py`` computes :class:`TaskFacts` from the plan, the recorded history
and the rules (:func:`gaoxin_cli.ranking.facts.build`); scoring itself never sees the
store or YAML.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from gaoxin_cli.errors import UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.ranking.period import Period

ItemKind = Literal["inspection", "bonus", "deduction"]
ITEM_KINDS: tuple[ItemKind, ...] = ("inspection", "bonus", "deduction")


class TaskFacts(NamedTuple):
    """One task in one month, as far as its lead unit's score is concerned.

    ``due`` is the plan's (original) due date: an approved extension changes the cards,
    never the score. ``done_on`` is the day the task was done, if on or before the month's
    last counted day. Card counts come from the card events ``gaoxin sweep`` recorded
    (``rules.ranking.cards``): with ``in_force``, every card held at any time in the month,
    counted at the highest level it reached there (``yellow`` / ``red``, and the days
    they were raised in ``yellow_since`` / ``red_since``); with ``new``, the transitions
    within the month: ``yellow`` = raised to yellow from blue or none, ``red`` = raised to
    red (or accountability) from anything below red (no days). (A named tuple: 10,000 of
    them per month are made in a few milliseconds.)
    """

    task: str
    title: str
    unit: str  # the lead unit: only the lead is scored for a task
    due: date
    done_on: date | None = None
    yellow: int = 0
    red: int = 0
    returned: int = 0
    missed: tuple[date, ...] = ()  # reporting deadlines of the month without a report
    overdue_wd: int = 0  # working days past the original due at the month's end (0 = not)
    extended_to: date | None = None  # an approved extension (shown, not scored)
    yellow_since: tuple[date, ...] = ()  # in_force: the day each yellow card was raised
    red_since: tuple[date, ...] = ()  # in_force: the day each red card was raised

    @property
    def overdue(self) -> bool:
        return self.overdue_wd > 0


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """A manual score item (table ``score_items``): a leader's inspection score for a
    quarter, or points added or taken off with a reason. ``points`` is signed as stored:
    an inspection score 0–100, a bonus > 0, a deduction < 0."""

    period: str
    unit: str
    kind: str
    points: float
    reason: str
    by: str | None = None
    recorded_on: date | None = None
    id: int = 0


def item_points(kind: ItemKind, points: float, period: Period) -> float:
    """The points of a manual item as stored, or UsageError.

    An inspection score is for a quarter, 0–100, stored as given; a bonus or deduction
    is 0.01–100 points (less would round to nothing), rounded to hundredths and stored
    signed (a deduction negative).
    """
    label = Msg(f"flag.kind.{kind}")
    if kind == "inspection":
        if period.kind != "quarter":
            raise UsageError("error.inspection_quarter", year=period.year)
        if not 0 <= points <= 100:
            raise UsageError("error.points_range", kind=label, lo=0, hi=100, points=f"{points:g}")
        return points
    if points < 0:
        raise UsageError("error.points_sign")
    if not 0.01 <= points <= 100:
        raise UsageError("error.points_range", kind=label, lo="0.01", hi=100, points=f"{points:g}")
    return round(points, 2) if kind == "bonus" else -round(points, 2)
