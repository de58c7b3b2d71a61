"""A period's result computed now: its scores, what to warn about, what to compare with.

``ranking`` prints it for a period not awarded (or with ``--live``), ``flag award``
freezes it. The month facts come from a :class:`MonthSource` (the service reads them
from the store); everything else is passed in, so the rules here are pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import RankingRules
from gaoxin_cli.ranking import FrozenFor, MonthMemo, evaluate, item_warnings, period_scores
from gaoxin_cli.ranking.flag import rank
from gaoxin_cli.ranking.inputs import ScoreItem, TaskFacts
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import RankingResult
from gaoxin_cli.ranking.scores import UnitScore


class MonthSource(Protocol):
    """``facts_for(month, last day)``, remembering the months it found no card in."""

    def __call__(self, month: Period, end: date, /) -> Sequence[TaskFacts]: ...

    @property
    def cardless(self) -> Sequence[date]:
        """The last counted day of each month read so far with no card recorded (none
        before the month, none changed in it): red and yellow could not be scored."""
        ...


def score_ranks(
    scores: Mapping[str, UnitScore], rules: RankingRules, names: Mapping[str, str]
) -> dict[str, tuple[int, int]]:
    """Each unit's (rank, score in hundredths) among *scores*: what the change column
    reads of the previous period."""
    return {r.unit: (r.rank, r.score.points) for r in rank(scores, rules, names)}


def award_ranks(result: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Each unit's (rank, score in hundredths) in a frozen result (``to_json``'s form)."""
    return {u["unit"]: (u["rank"], round(float(u["score"]) * 100)) for u in result["units"]}


def cardless_warnings(cardless: Sequence[date], begins: date | None) -> list[Msg]:
    """One warning naming the latest month-end scored without any recorded card, once
    the plan has begun (before it, no card is what one expects)."""
    late = [day for day in cardless if begins is not None and begins <= day]
    return [Msg("rank.warn_no_cards", day=late[-1].isoformat())] if late else []


def live_result(
    period: Period,
    today: date,
    source: MonthSource,
    rules: RankingRules,
    items: Sequence[ScoreItem],
    names: Mapping[str, str],
    org: str,
    *,
    begins: date | None,
    frozen_for: FrozenFor | None = None,
    previous_award: Mapping[str, Any] | None = None,
    earlier: Callable[[], dict[str, tuple[int, int]] | None] | None = None,
    memo: MonthMemo | None = None,
) -> RankingResult:
    """The result of *period* counting days up to *today*.

    *begins* is the day the plan begins (its earliest task window). *frozen_for* gives
    the frozen scores of awarded parts; *previous_award* the frozen result of the
    previous period, whose ranks the change column then reads. Without it the previous
    period is scored now — unless it lies wholly before the plan begins, when there is
    nothing to compare with. *earlier*, when given, is asked for its :func:`score_ranks`
    first (the service has them computed by a second process); ``None``: scored here.
    *memo*: months scored in an earlier run (:func:`~gaoxin_cli.ranking.period_scores`).
    """
    if today < period.start:
        raise GaoxinError("error.period_not_begun", period=period.key, today=today.isoformat())
    end = min(today, period.end)
    scores = period_scores(period, end, source, rules, items, frozen_for=frozen_for, memo=memo)
    # Said of this period's months only: the previous period is read after this.
    warnings = cardless_warnings(source.cardless, begins)
    warnings += item_warnings(period, scores, items, names)
    before = period.previous()
    compared: Period | None = before
    ranks: dict[str, tuple[int, int]] | None = None
    if previous_award is not None:
        ranks = award_ranks(previous_award)
    elif begins is not None and before.end >= begins:
        ranks = earlier() if earlier is not None else None
        if ranks is None:
            found = period_scores(
                before, before.end, source, rules, items, frozen_for=frozen_for, memo=memo
            )
            ranks = score_ranks(found, rules, names)
    else:
        compared = None
    return evaluate(
        period,
        end,
        scores,
        rules,
        names,
        org,
        previous=compared,
        previous_ranks=ranks,
        previous_frozen=previous_award is not None,
        warnings=warnings,
    )
