"""The 流动红旗's own screens: an award frozen, the flag's history with streaks, a
recorded score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.ranking.flag import TimelineEntry
from gaoxin_cli.ranking.result import RankingResult
from gaoxin_cli.render.console import text
from gaoxin_cli.render.ranking import joined, names_of, period_label, points
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from gaoxin_cli.service.ranking import Scored


def award_message(
    result: RankingResult, award_id: int, lang: Lang, reason: str | None, old: int | None
) -> str:
    holder = joined(names_of(result, result.holders), lang) or t("flag.nobody", lang)
    bottom = joined(names_of(result, result.bottom), lang) or t("flag.none", lang)
    label = period_label(result.period, lang)
    if old is not None:
        return t(
            "flag.awarded_again",
            lang,
            period=label,
            reason=reason or "",
            old=old,
            holder=holder,
            bottom=bottom,
            id=award_id,
        )
    return t("flag.awarded", lang, period=label, holder=holder, bottom=bottom, id=award_id)


def _move(entry: TimelineEntry, names: Mapping[str, str], lang: Lang) -> str:
    a = entry.award
    if entry.move == "vacant":
        if a.top_points is None:
            return t("flag.move.vacant_empty", lang)
        return t("flag.move.vacant", lang, score=points(a.top_points))
    if entry.move == "kept":
        return t("flag.move.kept", lang, n=entry.streak)
    if entry.move == "moved":
        return t(
            "flag.move.moved",
            lang,
            from_=joined([names.get(u, u) for u in entry.moved_from], lang),
        )
    return t(f"flag.move.{entry.move}", lang)


def history(
    console: Console,
    entries: Sequence[TimelineEntry],
    names: Mapping[str, str],
    org: str,
    lang: Lang,
) -> None:
    console.print(text(t("flag.history_title", lang, org=org), "bold"))
    if not entries:
        console.print(text(t("flag.history_empty", lang)))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column(t("flag.col.period", lang), no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(t("flag.col.holder", lang), overflow="ellipsis", no_wrap=True, max_width=16)
    table.add_column(t("flag.col.score", lang), justify="right", no_wrap=True)
    table.add_column(t("flag.col.move", lang), overflow="fold", ratio=1)
    table.add_column(t("flag.col.bottom", lang), overflow="fold", ratio=1)
    table.add_column(t("flag.col.awarded", lang), no_wrap=True)

    def who(units: Sequence[str]) -> str:
        return joined([names.get(u, u) for u in units], lang)

    footnotes: list[str] = []
    for e in entries:
        a = e.award
        marker = Text("■" * min(e.streak, 6), style="bold red") if a.holders else Text("□", "dim")
        label = period_label(a.period, lang)
        for old in e.earlier:
            footnotes.append(f"* {label}：" if lang == "zh" else f"* {label}: ")
            footnotes[-1] += t(
                "flag.superseded",
                lang,
                day=old.awarded_on.isoformat(),
                holder=who(old.holders) or t("flag.nobody", lang),
                later=a.awarded_on.isoformat(),
                reason=a.force_reason or "",
            )
        table.add_row(
            text(label + ("*" if e.earlier else "")),
            marker,
            text(who(a.holders) or t("flag.nobody", lang), "bold red" if a.holders else "dim"),
            points(a.holder_points if a.holders else a.top_points),
            text(_move(e, names, lang)),
            text(who(a.bottom) or "—"),
            a.awarded_on.isoformat(),
        )
    console.print(table)
    for note in footnotes:
        console.print(text(note, "dim"))
    best = longest_streak(entries)
    if best is not None and best[1] > 1:
        unit, n = best
        console.print(text(t("flag.streaks", lang, unit=names.get(unit, unit), n=n)))


def longest_streak(entries: Sequence[TimelineEntry]) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for e in entries:
        for u in e.award.holders:
            if best is None or e.streak > best[1]:
                best = (u, e.streak)
    return best


def history_json(
    entries: Sequence[TimelineEntry], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    def award(a: Any) -> dict[str, Any]:
        return {
            "award": a.id,
            "awarded_on": a.awarded_on.isoformat(),
            "holders": list(a.holders),
            "holder_score": None if a.holder_points is None else a.holder_points / 100,
            "top_unit": a.top_unit,
            "top_score": None if a.top_points is None else a.top_points / 100,
            "bottom": list(a.bottom),
            "force_reason": a.force_reason,
            "supersedes": a.supersedes,
        }

    return [
        {
            "period": e.award.period,
            **award(e.award),
            "holder_names": [names.get(u, u) for u in e.award.holders],
            "move": e.move,
            "streak": e.streak,
            "moved_from": list(e.moved_from),
            "superseded": [award(a) for a in e.earlier],
        }
        for e in entries
    ]


def score_message(scored: Scored, lang: Lang) -> str:
    """What ``flag score`` recorded, one line (user text made safe)."""
    shown = f"{scored.points:g}" if scored.kind == "inspection" else f"{scored.points:+g}"
    msg = t(
        "flag.scored",
        lang,
        unit=scored.unit,
        period=period_label(scored.period, lang),
        kind=t(f"flag.kind.{scored.kind}", lang),
        points=shown,
        reason=scored.reason,
        by=scored.by,
        id=scored.id,
    )
    return safe(msg) + "\n"


def frozen_warnings(scored: Scored, lang: Lang) -> list[str]:
    """The awarded periods a new item does not change (they stay as frozen)."""
    return [t("flag.warn_frozen", lang, period=q.key) for q in scored.frozen]
