"""Ranks, the 流动红旗, the 末位 list, unit rank cards and the flag's history. Pure.

Order: score, then (ties) higher completion rate, fewer red cards, fewer overdue working
days. Rank = 1 + the number of units strictly ahead, so units equal on every key share
a rank. The flag goes to the units ranked within ``top_n`` whose score reaches
``flag_threshold``; 末位 are the units ranked within the last ``bottom_n``, except those
that met their period target (exempt) and flag holders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from gaoxin_cli.models import RankingRules
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.scores import UnitScore, cents

TIE_KEYS: tuple[str, ...] = ("completion_rate", "red_cards", "overdue_wd")
TIED = "tied"


@dataclass(frozen=True, slots=True)
class TieBreak:
    """Why a unit is ranked below the unit directly above it with the same score."""

    above: str
    by: str  # a TIE_KEYS entry, or "tied" when every key is equal (a shared rank)
    above_value: float | int | None
    value: float | int | None


@dataclass(frozen=True, slots=True)
class Standing:
    unit: str
    name: str
    score: UnitScore
    rank: int
    tie_break: TieBreak | None = None
    holder: bool = False
    bottom: bool = False
    exempt: bool = False
    previous_rank: int | None = None
    previous_points: int | None = None

    @property
    def change(self) -> int | None:
        """Places gained since the previous period (negative: lost); None if unranked then."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def _rate(s: UnitScore) -> Fraction:
    st = s.stats
    return Fraction(st.done, st.due) if st.due else Fraction(0)


def _key(s: UnitScore) -> tuple[int, Fraction, int, int]:
    return (-s.points, -_rate(s), s.stats.red, s.stats.overdue_wd)


def _tie_values(s: UnitScore) -> tuple[float | None, int, int]:
    return (s.stats.rate, s.stats.red, s.stats.overdue_wd)


def rank(
    scores: Mapping[str, UnitScore],
    rules: RankingRules,
    names: Mapping[str, str],
    previous: Mapping[str, tuple[int, int]] | None = None,
) -> tuple[Standing, ...]:
    """Rank every scored unit. *previous* maps a unit to its (rank, points) last period."""
    previous = previous or {}
    ordered = sorted(scores.values(), key=lambda s: (_key(s), s.unit))
    keys = [_key(s) for s in ordered]
    n = len(ordered)
    threshold = cents(rules.flag_threshold)
    rows: list[Standing] = []
    for i, s in enumerate(ordered):
        r = 1 + sum(1 for k in keys if k < keys[i])
        tie = None
        if i and ordered[i - 1].points == s.points:
            above = ordered[i - 1]
            by, a_val, b_val = TIED, None, None
            for j, name in enumerate(TIE_KEYS):
                if keys[i - 1][j + 1] != keys[i][j + 1]:
                    by = name
                    a_val, b_val = _tie_values(above)[j], _tie_values(s)[j]
                    break
            tie = TieBreak(above.unit, by, a_val, b_val)
        holder = r <= rules.top_n and s.points >= threshold
        last = n - r < rules.bottom_n and not holder
        exempt = last and s.stats.target_met is True
        prev = previous.get(s.unit)
        rows.append(
            Standing(
                unit=s.unit,
                name=names.get(s.unit, s.unit),
                score=s,
                rank=r,
                tie_break=tie,
                holder=holder,
                bottom=last and not exempt,
                exempt=exempt,
                previous_rank=prev[0] if prev else None,
                previous_points=prev[1] if prev else None,
            )
        )
    return tuple(rows)


# --- 双亮牌: unit rank cards ------------------------------------------------------------


def rank_cards(rows: Sequence[Standing]) -> dict[str, tuple[str, str]]:
    """Two cards per unit (枣庄-style 双亮牌, domain.md §7.2; blue = good):

    * by standing: the top third of the ranks blue, the bottom third red, the rest yellow;
    * by change: up blue, down 1–2 places yellow, down 3 or more red, else none.
    """
    n = len(rows)
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        if 3 * row.rank <= n:
            band = "blue"
        elif 3 * (row.rank - 1) >= 2 * n:
            band = "red"
        else:
            band = "yellow"
        ch = row.change
        if ch is None or ch == 0:
            move = "none"
        elif ch > 0:
            move = "blue"
        else:
            move = "yellow" if ch >= -2 else "red"
        out[row.unit] = (band, move)
    return out


# --- the flag's history ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwardSummary:
    """One row of the ``awards`` table, with what the timeline shows of its result."""

    id: int
    period: str
    awarded_on: date
    holders: tuple[str, ...]
    holder_points: int | None
    top_unit: str | None  # rank 1, also when below the threshold
    top_points: int | None
    bottom: tuple[str, ...] = ()
    force_reason: str | None = None
    supersedes: int | None = None

    @classmethod
    def of(
        cls,
        id: int,
        period: str,
        awarded_on: date,
        result: Mapping[str, Any],
        force_reason: str | None = None,
        supersedes: int | None = None,
    ) -> AwardSummary:
        """The summary of an award from its frozen ``result`` (``result.to_json``)."""
        units: list[Mapping[str, Any]] = list(result.get("units") or ())
        score = {u["unit"]: round(float(u["score"]) * 100) for u in units}
        holders = tuple(result.get("holders") or ())
        top = units[0]["unit"] if units else None
        return cls(
            id=id,
            period=period,
            awarded_on=awarded_on,
            holders=holders,
            holder_points=score.get(holders[0]) if holders else None,
            top_unit=top,
            top_points=score.get(top) if top else None,
            bottom=tuple(result.get("bottom") or ()),
            force_reason=force_reason,
            supersedes=supersedes,
        )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    award: AwardSummary
    move: str  # "new" (first holder), "kept", "moved", "vacant", "regained"
    streak: int  # periods in a row the holder has held the flag (0 when vacant)
    moved_from: tuple[str, ...] = ()
    earlier: tuple[AwardSummary, ...] = ()  # superseded awards of the same period


def timeline(awards: Sequence[AwardSummary]) -> list[TimelineEntry]:
    """Who held the flag each awarded period, oldest first, with streaks and moves.

    The latest award of a period counts; earlier ones (re-awarded with ``--force``) are
    kept in ``earlier``. A streak counts consecutive periods of one kind; a period that
    was not awarded breaks it.
    """
    by_period: dict[str, list[AwardSummary]] = {}
    for a in sorted(awards, key=lambda a: a.id):
        by_period.setdefault(a.period, []).append(a)
    periods = sorted(by_period, key=lambda p: Period.parse(p).sort_key())
    out: list[TimelineEntry] = []
    last: dict[str, tuple[Period, tuple[str, ...], int]] = {}  # kind → (period, holders, streak)
    seen: dict[str, set[str]] = {}
    for key in periods:
        chain = by_period[key]
        award = chain[-1]
        period = Period.parse(key)
        prev = last.get(period.kind)
        adjacent = prev is not None and prev[0] == period.previous()
        holders = award.holders
        ever = seen.setdefault(period.kind, set())
        moved_from: tuple[str, ...] = ()
        if not holders:
            move, streak = "vacant", 0
        elif adjacent and prev is not None and set(holders) & set(prev[1]):
            move, streak = "kept", prev[2] + 1
        else:
            before = prev[1] if adjacent and prev is not None else ()
            if before:
                move = "moved"
            elif set(holders) & ever:
                move = "regained"
            else:
                move = "new"
            streak, moved_from = 1, before
        ever.update(holders)
        last[period.kind] = (period, holders, streak)
        out.append(TimelineEntry(award, move, streak, moved_from, tuple(chain[:-1])))
    return out
