"""ranking --explain: each unit's score line by line, with the rule and the facts behind it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.ranking.result import RankingResult
from gaoxin_cli.ranking.scores import UnitScore
from gaoxin_cli.render.console import text
from gaoxin_cli.render.ranking import detail_text, period_label, points, rule_label, signed

if TYPE_CHECKING:
    pass


def explain(
    console: Console,
    result: RankingResult,
    unit: str,
    lang: Lang,
    people: Mapping[str, str] | None = None,
) -> None:
    row = result.row(unit)
    if row is None:  # the CLI checks first
        return
    title = t("rank.explain_title", lang, unit=row.name, period=period_label(result.period, lang))
    console.print(text(title, "bold"))
    console.print(
        text(
            f"{t('rank.explain_rank', lang, rank=row.rank)} · "
            f"{t('rank.col.score', lang)} {points(row.score.points)}",
            "dim",
        )
    )
    _explain(console, row.score, lang, people, depth=0)


def _explain(
    console: Console, score: UnitScore, lang: Lang, people: Mapping[str, str] | None, depth: int
) -> None:
    if depth:
        console.print(
            text(
                f"{period_label(score.period, lang)} · {t('rank.col.score', lang)} "
                f"{points(score.points)}",
                "bold",
            )
        )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(t("rank.col.rule", lang), no_wrap=True)
    table.add_column(t("rank.col.task", lang), no_wrap=True)
    table.add_column(
        t("rank.col.title", lang),
        overflow="ellipsis",
        no_wrap=True,
        max_width=max(8, (console.width - 40) // 4),
    )
    table.add_column(t("rank.col.detail", lang), overflow="fold", ratio=1)
    table.add_column(t("rank.col.points", lang), justify="right", no_wrap=True)
    for line in score.lines:
        style = "red" if line.points < 0 else ("green" if line.rule not in ("base",) else "")
        table.add_row(
            text(rule_label(line.rule, lang)),
            text(line.task or ""),
            text(line.title or ""),
            text(detail_text(line, lang, people)),
            Text(signed(line.points), style=style),
        )
    table.add_section()
    table.add_row(
        text(t("rank.explain_total", lang), "bold"), "", "", "", Text(points(score.points), "bold")
    )
    console.print(table)
    for part in score.parts:
        _explain(console, part, lang, people, depth + 1)
