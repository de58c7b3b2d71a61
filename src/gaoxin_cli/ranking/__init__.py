"""流动红旗 and 正负激励: unit scores, ranks, the flag, 末位 (pure; docs/ranking.md).

    facts = ranking.facts.build(plan.tasks, month_history, calendar)   # per month
    scores = ranking.period_scores(period, end, facts_for, rules, items)
    result = ranking.evaluate(period, end, scores, rules, names, org)

``service/ranking.py`` reads the store and the rules' reporting deadlines and hands
plain values in (``ranking.live`` puts a period's result together from them); nothing
here reads a file, the database or the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Protocol

from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import RankingRules, dump
from gaoxin_cli.ranking.flag import rank
from gaoxin_cli.ranking.inputs import ScoreItem, TaskFacts
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import RankingResult
from gaoxin_cli.ranking.scores import UnitScore, cents, combine, score_month

FactsFor = Callable[[Period, date], Sequence[TaskFacts]]
FrozenFor = Callable[[Period], Mapping[str, UnitScore] | None]


class MonthMemo(Protocol):
    """Scores of months kept from an earlier run (the service keeps them for months
    that are over, and knows when they still hold)."""

    def recall(
        self, month: Period, end: date, items: Sequence[ScoreItem]
    ) -> dict[str, UnitScore] | None:
        """The scores of *month* counted up to *end* with *items*, if kept and valid."""
        ...

    def keep(
        self,
        month: Period,
        end: date,
        items: Sequence[ScoreItem],
        scores: Mapping[str, UnitScore],
    ) -> None:
        """Remember what :meth:`recall` would give next time (or nothing)."""
        ...


__all__ = [
    "FactsFor",
    "FrozenFor",
    "MonthMemo",
    "Period",
    "RankingResult",
    "evaluate",
    "period_scores",
]


def period_scores(
    period: Period,
    end: date,
    facts_for: FactsFor,
    rules: RankingRules,
    items: Sequence[ScoreItem] = (),
    *,
    frozen_for: FrozenFor | None = None,
    memo: MonthMemo | None = None,
) -> dict[str, UnitScore]:
    """Every scored unit's score for *period*, counting days up to *end*.

    ``facts_for(month, last_day)`` gives the task facts of a month. A quarter or year
    still running is scored on its parts begun by *end*. ``frozen_for(part)`` gives the
    frozen scores of an awarded part (a quarter's month, a year's quarter), which then
    count as they were awarded. *memo* gives a month's scores kept from an earlier run
    instead of scoring its facts again, and keeps the ones scored here.
    """
    if period.kind == "month":
        last = min(end, period.end)
        if memo is None:
            return score_month(period, facts_for(period, last), rules, items, end=last)
        kept = memo.recall(period, last, items)
        if kept is None:
            kept = score_month(period, facts_for(period, last), rules, items, end=last)
            memo.keep(period, last, items, kept)
        return kept
    parts: list[Mapping[str, UnitScore]] = []
    for part in period.parts():
        if part.start > end:
            continue
        frozen = frozen_for(part) if frozen_for is not None and part.end <= end else None
        if frozen is None:
            frozen = period_scores(
                part, end, facts_for, rules, items, frozen_for=frozen_for, memo=memo
            )
        parts.append(frozen)
    return combine(period, parts, items)


def item_warnings(
    period: Period,
    scores: Mapping[str, UnitScore],
    items: Sequence[ScoreItem],
    names: Mapping[str, str] | None = None,
) -> list[Msg]:
    """Manual items that did not count, and quarters scored without every inspection."""
    names = names or {}
    out: list[Msg] = []
    keys = {p.key for p in (period, *period.parts(), *period.months())}
    for it in items:
        if it.period in keys and it.unit not in scores:
            unit = names.get(it.unit, it.unit)
            out.append(Msg("rank.warn_item_unscored", unit=unit, period=it.period))
    quarters = [period] if period.kind == "quarter" else list(period.parts())
    for q in quarters:
        if q.kind != "quarter":
            continue
        have = {it.unit for it in items if it.kind == "inspection" and it.period == q.key}
        missing = [names.get(u, u) for u in sorted(set(scores) - have)]
        if have and missing:
            out.append(Msg("rank.warn_no_inspection", period=q.key, units="、".join(missing)))
    return out


def evaluate(
    period: Period,
    end: date,
    scores: Mapping[str, UnitScore],
    rules: RankingRules,
    names: Mapping[str, str],
    org: str,
    *,
    previous: Period | None = None,
    previous_ranks: Mapping[str, tuple[int, int]] | None = None,
    previous_frozen: bool = False,
    warnings: Sequence[Msg] = (),
) -> RankingResult:
    """Rank the scores and decide the flag and 末位: the whole result of a period."""
    rows = rank(scores, rules, names, previous_ranks)
    return RankingResult(
        period=period,
        end=min(end, period.end),
        org=org,
        rows=rows,
        threshold=cents(rules.flag_threshold),
        top_n=rules.top_n,
        bottom_n=rules.bottom_n,
        previous=previous.key if previous is not None else None,
        previous_frozen=previous_frozen,
        warnings=tuple(warnings),
        rules=dump(rules),
    )
