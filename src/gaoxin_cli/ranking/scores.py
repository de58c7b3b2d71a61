"""Unit scores (正负激励): 100 − deductions + bonuses per month; quarters and years from
their parts. Pure; every weight comes from ``rules.ranking`` (docs/ranking.md).

Points are kept in hundredths (int) so that an explanation — the list of :class:`Line`
— sums *exactly* to the score: ``score == sum(line.points for line in lines)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from operator import attrgetter
from typing import Any

from gaoxin_cli.models import RankingRules
from gaoxin_cli.ranking.inputs import ScoreItem, TaskFacts
from gaoxin_cli.ranking.period import Period

# Rule keys of explanation lines, in the order they are listed.
RULES: tuple[str, ...] = (
    "base",
    "month",
    "quarter",
    "inspection",
    "rounding",
    "red_card",
    "yellow_card",
    "overdue_task",
    "returned_feedback",
    "missed_report",
    "early_finish",
    "completion_rate",
    "bonus",
    "deduction",
)
_ORDER = {r: i for i, r in enumerate(RULES)}

# Quarter weights with a leader's inspection score (禹州, domain.md §7.1): the months share
# 90 %, the inspection 10 %. (Not yet in gaoxin.yaml: see docs/ranking.md.)
MONTHS_SHARE = Fraction(9, 10)
INSPECTION_SHARE = Fraction(1, 10)


def cents(points: float) -> int:
    """Points → hundredths, rounded half away from zero."""
    return round_half(Fraction(str(points)) * 100)


def round_half(value: Fraction) -> int:
    """Round half away from zero (2.5 → 3, −2.5 → −3), unlike Python's banker's round."""
    n = abs(value)
    whole = int(n + Fraction(1, 2))
    return whole if value >= 0 else -whole


@dataclass(frozen=True, slots=True)
class Line:
    """One item of a score: the rule behind it, the task (or manual item), the points
    (hundredths, signed) and the figures it was computed from."""

    rule: str
    points: int
    task: str | None = None
    title: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stats:
    """The figures a unit's row shows, and the tie-breaks use."""

    tasks: int = 0  # scored tasks the unit leads
    due: int = 0  # … due (original date) on or before the period's end
    done: int = 0  # … of those, done by the period's end
    due_in_period: int = 0  # due within the period
    on_time_in_period: int = 0  # … of those, done on or before the original due date
    yellow: int = 0
    red: int = 0
    overdue: int = 0  # tasks overdue at the period's end
    overdue_wd: int = 0  # their working days past due, summed
    returned: int = 0
    missed: int = 0
    early: int = 0

    @property
    def rate(self) -> float | None:
        """Completion rate: done / due, None when nothing was due yet."""
        return self.done / self.due if self.due else None

    @property
    def target_met(self) -> bool | None:
        """Every task due in the period done on time; None when none was due."""
        if not self.due_in_period:
            return None
        return self.on_time_in_period == self.due_in_period


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    period: str
    points: int  # hundredths
    lines: tuple[Line, ...]
    stats: Stats
    parts: tuple[UnitScore, ...] = ()  # a quarter's months, a year's quarters

    @property
    def score(self) -> float:
        return self.points / 100


_STAT_FIELDS = tuple(f.name for f in fields(Stats))
_by_task = attrgetter("task")


def _div_round(num: int, den: int) -> int:
    return round_half(Fraction(num, den))


def score_month(
    period: Period,
    facts: Iterable[TaskFacts],
    rules: RankingRules,
    items: Sequence[ScoreItem] = (),
    *,
    end: date | None = None,
) -> dict[str, UnitScore]:
    """Each lead unit's score for one month: base − deductions + bonuses (+ manual items).

    Scored units are the lead units of the given tasks (cancelled tasks are not given).
    *end* is the last day counted when the month is still running (default: its end).
    """
    start, end = period.start, end or period.end
    d, b = rules.deductions, rules.bonuses
    w_yellow, w_red, w_overdue = cents(d.yellow_card), cents(d.red_card), cents(d.overdue_task)
    w_return, w_missed = cents(d.returned_feedback), cents(d.missed_report)
    w_early, w_rate = cents(b.early_finish), cents(b.completion_rate)
    lines: dict[str, list[Line]] = {}
    counts: dict[str, dict[str, int]] = {}
    for f in sorted(facts, key=_by_task):
        if f.unit not in counts:
            lines[f.unit] = []
            counts[f.unit] = dict.fromkeys(_STAT_FIELDS, 0)
        ls, c = lines[f.unit], counts[f.unit]
        c["tasks"] += 1
        done = f.done_on is not None
        if f.due <= end:
            c["due"] += 1
            c["done"] += done
        if start <= f.due <= end:
            c["due_in_period"] += 1
            c["on_time_in_period"] += f.done_on is not None and f.done_on <= f.due
        if f.red:
            c["red"] += f.red
            detail = {"count": f.red, **_since(f.red_since)}
            ls.append(Line("red_card", -w_red * f.red, f.task, f.title, detail))
        if f.yellow:
            c["yellow"] += f.yellow
            if f.yellow >= 2:
                counted = f.yellow - 1
                detail = {"count": f.yellow, "counted": counted, **_since(f.yellow_since)}
                ls.append(Line("yellow_card", -w_yellow * counted, f.task, f.title, detail))
        if f.overdue_wd > 0:  # f.overdue
            c["overdue"] += 1
            c["overdue_wd"] += f.overdue_wd
            detail = {"due": f.due.isoformat(), "wd": f.overdue_wd}
            if f.extended_to:
                detail["extended_to"] = f.extended_to.isoformat()
            ls.append(Line("overdue_task", -w_overdue, f.task, f.title, detail))
        if f.returned:
            c["returned"] += f.returned
            ls.append(
                Line(
                    "returned_feedback",
                    -w_return * f.returned,
                    f.task,
                    f.title,
                    {"count": f.returned},
                )
            )
        if f.missed:
            c["missed"] += len(f.missed)
            dates = [day.isoformat() for day in f.missed]
            ls.append(
                Line("missed_report", -w_missed * len(f.missed), f.task, f.title, {"dates": dates})
            )
        if f.done_on is not None and start <= f.done_on <= end and f.done_on < f.due:
            c["early"] += 1
            detail = {"done": f.done_on.isoformat(), "due": f.due.isoformat()}
            ls.append(Line("early_finish", w_early, f.task, f.title, detail))
    out: dict[str, UnitScore] = {}
    for unit in sorted(lines):
        stats = Stats(**counts[unit])
        ls = [Line("base", cents(rules.base))]
        if stats.due:
            ls.append(
                Line(
                    "completion_rate",
                    _div_round(w_rate * stats.done, stats.due),
                    detail={"done": stats.done, "due": stats.due},
                )
            )
        ls += lines[unit]
        ls += _manual(items, period, unit)
        ls.sort(key=lambda line: (_ORDER.get(line.rule, 99), line.task or ""))
        out[unit] = UnitScore(unit, period.key, sum(x.points for x in ls), tuple(ls), stats)
    return out


def _since(days: Sequence[date]) -> dict[str, list[str]]:
    """``{"since": [...]}``: the days the cards of a line were raised (``in_force``)."""
    return {"since": [day.isoformat() for day in days]} if days else {}


def _manual(items: Sequence[ScoreItem], period: Period, unit: str) -> list[Line]:
    """The manual 加分/扣分 items of *unit* recorded for exactly this period."""
    out = []
    for it in items:
        if it.unit == unit and it.period == period.key and it.kind in ("bonus", "deduction"):
            detail = {"reason": it.reason, "by": it.by, "item": it.id}
            out.append(Line(it.kind, cents(it.points), detail=detail))
    return out


def inspection(items: Sequence[ScoreItem], period: Period, unit: str) -> ScoreItem | None:
    """The unit's inspection score for the period: the latest one recorded counts."""
    found = [
        it
        for it in items
        if it.unit == unit and it.period == period.key and it.kind == "inspection"
    ]
    return max(found, key=lambda it: it.id) if found else None


def _sum_stats(parts: Sequence[UnitScore]) -> Stats:
    """A quarter's (year's) figures: card, return, missed and early counts add up; the
    standing at the end (due, done, overdue) is the last part's."""
    last = parts[-1].stats
    return Stats(
        tasks=last.tasks,
        due=last.due,
        done=last.done,
        due_in_period=sum(p.stats.due_in_period for p in parts),
        on_time_in_period=sum(p.stats.on_time_in_period for p in parts),
        yellow=sum(p.stats.yellow for p in parts),
        red=sum(p.stats.red for p in parts),
        overdue=last.overdue,
        overdue_wd=last.overdue_wd,
        returned=sum(p.stats.returned for p in parts),
        missed=sum(p.stats.missed for p in parts),
        early=sum(p.stats.early for p in parts),
    )


def combine(
    period: Period,
    parts: Sequence[Mapping[str, UnitScore]],
    items: Sequence[ScoreItem] = (),
) -> dict[str, UnitScore]:
    """A quarter from its months, a year from its quarters: the mean of the parts scored
    so far. A quarter with the unit's inspection score weighs the months 90 % together
    (30 % each when all three are in) and the inspection 10 %. Then the period's own
    加分/扣分 items. A ``rounding`` line keeps the explanation exact."""
    units = sorted({u for part in parts for u in part})
    out: dict[str, UnitScore] = {}
    for unit in units:
        mine = [part[unit] for part in parts if unit in part]
        insp = inspection(items, period, unit) if period.kind == "quarter" else None
        if insp is not None:
            weights = [MONTHS_SHARE / len(mine)] * len(mine)
        else:
            weights = [Fraction(1, len(mine))] * len(mine)
        rule = "month" if period.kind == "quarter" else "quarter"
        exact = Fraction(0)
        lines: list[Line] = []
        for w, p in zip(weights, mine, strict=True):
            value = w * p.points
            exact += value
            detail = {"period": p.period, "score": p.points / 100, "weight": float(w)}
            lines.append(Line(rule, round_half(value), detail=detail))
        if insp is not None:
            value = INSPECTION_SHARE * cents(insp.points)
            exact += value
            detail = {
                "score": insp.points,
                "weight": float(INSPECTION_SHARE),
                "reason": insp.reason,
                "by": insp.by,
                "item": insp.id,
            }
            lines.append(Line("inspection", round_half(value), detail=detail))
        gap = round_half(exact) - sum(x.points for x in lines)
        if gap:
            lines.append(Line("rounding", gap))
        lines += _manual(items, period, unit)
        out[unit] = UnitScore(
            unit,
            period.key,
            sum(x.points for x in lines),
            tuple(lines),
            _sum_stats(mine),
            tuple(mine),
        )
    return out
