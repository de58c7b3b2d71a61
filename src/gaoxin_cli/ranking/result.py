"""A period's whole result, and its JSON form (what ``flag award`` freezes in the store).

The JSON holds everything needed to print the period again — scores, every line item
with task ids and titles, ranks, tie-breaks, holders, 末位, unit names — so a frozen
period reads the same whatever happens to the plan or the rules later.
:func:`to_json` / :func:`from_json` round-trip exactly; keys are stable (new ones may
be added, none renamed), and ``ranking --json`` prints the same document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gaoxin_cli.i18n import Msg
from gaoxin_cli.ranking.flag import Standing, TieBreak
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.scores import Line, Stats, UnitScore

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Frozen:
    """Which award a printed result comes from (``flag award``'s row in the store)."""

    id: int
    awarded_on: date
    force_reason: str | None = None
    supersedes: int | None = None


@dataclass(frozen=True, slots=True)
class RankingResult:
    period: Period
    end: date  # the last day counted: the period's end, or "today" while it runs
    org: str
    rows: tuple[Standing, ...]
    threshold: int  # hundredths
    top_n: int
    bottom_n: int
    previous: str | None = None  # the period the change column compares with
    previous_frozen: bool = False
    warnings: tuple[Msg, ...] = ()
    rules: Mapping[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.end >= self.period.end

    @property
    def holders(self) -> tuple[str, ...]:
        return tuple(r.unit for r in self.rows if r.holder)

    @property
    def holder(self) -> str | None:
        """The 擂主: the first flag holder (rank 1), or None when the flag stays vacant."""
        return self.holders[0] if self.holders else None

    @property
    def bottom(self) -> tuple[str, ...]:
        return tuple(r.unit for r in self.rows if r.bottom)

    @property
    def exempt(self) -> tuple[str, ...]:
        return tuple(r.unit for r in self.rows if r.exempt)

    def row(self, unit: str) -> Standing | None:
        return next((r for r in self.rows if r.unit == unit), None)

    def red_cards(self) -> dict[str, int]:
        """Red cards counted per task, from the month-level ``red_card`` lines: a quarter
        or year adds up its months (as its ``red_cards`` stat does)."""
        out: dict[str, int] = {}
        for r in self.rows:
            for line in month_lines(r.score):
                if line.rule == "red_card" and line.task:
                    out[line.task] = out.get(line.task, 0) + int(line.detail.get("count", 1))
        return out


def month_lines(score: UnitScore) -> list[Line]:
    """Every month-level line of a score (a quarter's or year's, through its parts)."""
    if not score.parts:
        return list(score.lines)
    return [line for part in score.parts for line in month_lines(part)]


# --- to JSON ----------------------------------------------------------------------------


def _pts(hundredths: int | None) -> float | None:
    return None if hundredths is None else hundredths / 100


def line_json(line: Line) -> dict[str, Any]:
    return {
        "rule": line.rule,
        "points": _pts(line.points),
        "task": line.task,
        "title": line.title,
        "detail": dict(line.detail),
    }


def stats_json(s: Stats) -> dict[str, Any]:
    rate = s.rate
    return {
        "tasks": s.tasks,
        "due": s.due,
        "done": s.done,
        "completion_rate": None if rate is None else round(rate, 4),
        "due_in_period": s.due_in_period,
        "on_time_in_period": s.on_time_in_period,
        "target_met": s.target_met,
        "red_cards": s.red,
        "yellow_cards": s.yellow,
        "overdue_tasks": s.overdue,
        "overdue_workdays": s.overdue_wd,
        "returned_feedback": s.returned,
        "missed_reports": s.missed,
        "early_finishes": s.early,
    }


def score_json(s: UnitScore) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "period": s.period,
        "score": _pts(s.points),
        "stats": stats_json(s.stats),
        "items": [line_json(x) for x in s.lines],
    }
    if s.parts:
        doc["parts"] = [score_json(p) for p in s.parts]
    return doc


def tie_json(t: TieBreak | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {"above": t.above, "by": t.by, "above_value": t.above_value, "value": t.value}


def row_json(r: Standing) -> dict[str, Any]:
    change = r.change
    return {
        "rank": r.rank,
        "unit": r.unit,
        "name": r.name,
        "score": _pts(r.score.points),
        "previous_rank": r.previous_rank,
        "previous_score": _pts(r.previous_points),
        "change": change,
        "flag": r.holder,
        "bottom": r.bottom,
        "exempt": r.exempt,
        "tie_break": tie_json(r.tie_break),
        **score_json(r.score),
    }


def to_json(result: RankingResult) -> dict[str, Any]:
    p = result.period
    return {
        "format": FORMAT,
        "period": p.key,
        "kind": p.kind,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "counted_to": result.end.isoformat(),
        "complete": result.complete,
        "org": result.org,
        "flag_threshold": _pts(result.threshold),
        "top_n": result.top_n,
        "bottom_n": result.bottom_n,
        "holder": result.holder,
        "holders": list(result.holders),
        "bottom": list(result.bottom),
        "exempt": list(result.exempt),
        "previous": result.previous,
        "previous_frozen": result.previous_frozen,
        "warnings": [{"key": m.key, "params": dict(m.params)} for m in result.warnings],
        "rules": dict(result.rules),
        "units": [row_json(r) for r in result.rows],
    }


# --- from JSON --------------------------------------------------------------------------


def _hundredths(value: Any) -> int:
    return round(float(value) * 100)


def _line(doc: Mapping[str, Any]) -> Line:
    return Line(
        rule=doc["rule"],
        points=_hundredths(doc["points"]),
        task=doc.get("task"),
        title=doc.get("title"),
        detail=dict(doc.get("detail") or {}),
    )


def _stats(doc: Mapping[str, Any]) -> Stats:
    return Stats(
        tasks=doc["tasks"],
        due=doc["due"],
        done=doc["done"],
        due_in_period=doc["due_in_period"],
        on_time_in_period=doc["on_time_in_period"],
        yellow=doc["yellow_cards"],
        red=doc["red_cards"],
        overdue=doc["overdue_tasks"],
        overdue_wd=doc["overdue_workdays"],
        returned=doc["returned_feedback"],
        missed=doc["missed_reports"],
        early=doc["early_finishes"],
    )


def _score(unit: str, doc: Mapping[str, Any]) -> UnitScore:
    return UnitScore(
        unit=unit,
        period=doc["period"],
        points=_hundredths(doc["score"]),
        lines=tuple(_line(x) for x in doc["items"]),
        stats=_stats(doc["stats"]),
        parts=tuple(_score(unit, p) for p in doc.get("parts", ())),
    )


def _tie(doc: Mapping[str, Any] | None) -> TieBreak | None:
    if doc is None:
        return None
    return TieBreak(doc["above"], doc["by"], doc.get("above_value"), doc.get("value"))


def from_json(doc: Mapping[str, Any]) -> RankingResult:
    rows = tuple(
        Standing(
            unit=u["unit"],
            name=u["name"],
            score=_score(u["unit"], u),
            rank=u["rank"],
            tie_break=_tie(u.get("tie_break")),
            holder=u["flag"],
            bottom=u["bottom"],
            exempt=u["exempt"],
            previous_rank=u.get("previous_rank"),
            previous_points=None
            if u.get("previous_score") is None
            else _hundredths(u["previous_score"]),
        )
        for u in doc["units"]
    )
    return RankingResult(
        period=Period.parse(doc["period"]),
        end=date.fromisoformat(doc["counted_to"]),
        org=doc["org"],
        rows=rows,
        threshold=_hundredths(doc["flag_threshold"]),
        top_n=doc["top_n"],
        bottom_n=doc["bottom_n"],
        previous=doc.get("previous"),
        previous_frozen=bool(doc.get("previous_frozen")),
        warnings=tuple(Msg(w["key"], **w.get("params", {})) for w in doc.get("warnings", ())),
        rules=dict(doc.get("rules") or {}),
    )
