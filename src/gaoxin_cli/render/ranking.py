"""`gaoxin ranking` and `gaoxin flag history`: tables, a bar chart, explanations, JSON, CSV.

Shared by the bulletin (labels, numbers, detail texts), so a figure reads the same in the
terminal, in Markdown and in HTML. ``--explain`` is in ``render/ranking_explain.py``,
``--json`` / ``--csv`` in ``render/ranking_export.py``, the flag's screens in
``render/flag.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.ranking.flag import Standing, rank_cards
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import Frozen, RankingResult
from gaoxin_cli.ranking.scores import Line
from gaoxin_cli.render.console import fixed, text
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    pass

CARD_STYLES = {"blue": "bold blue", "yellow": "bold yellow", "red": "bold red", "none": "dim"}
CARD_LEVEL = {"blue": 1, "yellow": 2, "red": 3}


# --- numbers and words ------------------------------------------------------------------


def period_label(period: Period | str, lang: Lang) -> str:
    p = Period.parse(period) if isinstance(period, str) else period
    return t(f"period.{p.kind}", lang, year=p.year, month=p.number, number=p.number)


def points(hundredths: int | None) -> str:
    """A score: two decimals."""
    return "—" if hundredths is None else f"{hundredths / 100:.2f}"


def signed(hundredths: int) -> str:
    return f"{'+' if hundredths >= 0 else '-'}{abs(hundredths) / 100:.2f}"


def rate(value: float | None) -> str:
    if value is None:
        return "—"
    pct = value * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


def change(row: Standing, lang: Lang, compared: bool = True) -> str:
    """↑2 / ↓1 / – against the previous period; 新 for a unit not ranked then."""
    ch = row.change
    if ch is None:
        return t("rank.new", lang) if compared else ""
    if ch > 0:
        return f"↑{ch}"
    if ch < 0:
        return f"↓{-ch}"
    return "–"


def weight(w: float) -> str:
    pct = w * 100
    return f"{round(pct)}%" if abs(pct - round(pct)) < 1e-6 else f"{pct:.2f}%"


def names_of(result: RankingResult, units: Sequence[str]) -> list[str]:
    found = {r.unit: r.name for r in result.rows}
    return [found.get(u, u) for u in units]


def joined(items: Sequence[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def rule_label(rule: str, lang: Lang) -> str:
    key = f"rule.{rule}"
    from gaoxin_cli.i18n import has

    return t(key, lang) if has(key) else rule


def _held(out: str, detail: Mapping[str, object], lang: Lang) -> str:
    """A card line's text, with the days its cards were raised (``in_force``)."""
    since = detail.get("since")
    if not isinstance(since, list) or not since:
        return out
    sep = "；" if lang == "zh" else "; "
    return out + sep + t("detail.held_since", lang, days=joined([str(d) for d in since], lang))


def detail_text(line: Line, lang: Lang, people: Mapping[str, str] | None = None) -> str:
    """The figures behind a line, in words."""
    d = dict(line.detail)
    people = people or {}
    by = people.get(str(d.get("by")), d.get("by") or "—")
    r = line.rule
    if r == "red_card":
        return _held(t("detail.red_card", lang, count=d.get("count", 0)), d, lang)
    if r == "yellow_card":
        out = t("detail.yellow_card", lang, count=d.get("count", 0), counted=d.get("counted", 0))
        return _held(out, d, lang)
    if r == "overdue_task":
        out = t("detail.overdue_task", lang, due=d.get("due"), wd=d.get("wd"))
        if d.get("extended_to"):
            sep = "；" if lang == "zh" else "; "
            out += sep + t("detail.extended", lang, to=d["extended_to"])
        return out
    if r == "returned_feedback":
        return t("detail.returned_feedback", lang, count=d.get("count", 0))
    if r == "missed_report":
        return t("detail.missed_report", lang, dates=joined(list(d.get("dates", ())), lang))
    if r == "early_finish":
        return t("detail.early_finish", lang, done=d.get("done"), due=d.get("due"))
    if r == "completion_rate":
        return t("detail.completion_rate", lang, done=d.get("done"), due=d.get("due"))
    if r in ("bonus", "deduction"):
        return t("detail.manual", lang, reason=d.get("reason", ""), by=by, item=d.get("item"))
    if r in ("month", "quarter"):
        return t(
            "detail.part",
            lang,
            period=period_label(str(d.get("period")), lang),
            score=f"{float(d.get('score', 0)):.2f}",
            weight=weight(float(d.get("weight", 0))),
        )
    if r == "inspection":
        return t(
            "detail.inspection",
            lang,
            score=f"{float(d.get('score', 0)):g}",
            weight=weight(float(d.get("weight", 0))),
            reason=d.get("reason", ""),
            by=by,
        )
    return ""


def status_line(result: RankingResult, frozen: Frozen | None, lang: Lang) -> str:
    if frozen is not None:
        day = frozen.awarded_on.isoformat()
        if frozen.force_reason:
            return t("rank.frozen_forced", lang, day=day, reason=frozen.force_reason)
        return t("rank.frozen", lang, day=day)
    return t("rank.live", lang)


def rule_line(result: RankingResult, lang: Lang) -> str:
    base = float(result.rules.get("base", 100))
    return t(
        f"rank.rule_{result.period.kind}",
        lang,
        base=f"{base:g}",
        top=result.top_n,
        threshold=points(result.threshold).removesuffix(".00"),
        bottom=result.bottom_n,
    )


def holder_line(result: RankingResult, lang: Lang) -> str:
    if result.holders:
        named = [
            f"{r.name}（{points(r.score.points)}）"
            if lang == "zh"
            else f"{r.name} ({points(r.score.points)})"
            for r in result.rows
            if r.holder
        ]
        return t("rank.holder", lang, units=joined(named, lang))
    if not result.rows:
        return t("rank.vacant_empty", lang)
    return t(
        "rank.vacant",
        lang,
        score=points(result.rows[0].score.points),
        threshold=points(result.threshold).removesuffix(".00"),
    )


def bottom_lines(result: RankingResult, lang: Lang) -> list[str]:
    out = []
    if result.bottom:
        out.append(t("rank.bottom_list", lang, units=joined(names_of(result, result.bottom), lang)))
    else:
        out.append(t("rank.bottom_none", lang))
    if result.exempt:
        out.append(t("rank.exempt_list", lang, units=joined(names_of(result, result.exempt), lang)))
    return out


def tie_lines(result: RankingResult, lang: Lang) -> list[str]:
    out = []
    names = {r.unit: r.name for r in result.rows}
    for r in result.rows:
        tb = r.tie_break
        if tb is None:
            continue
        if tb.by == "completion_rate":
            a = rate(float(tb.above_value) if tb.above_value is not None else None)
            b = rate(float(tb.value) if tb.value is not None else None)
            why = t("rank.tie.completion_rate", lang, a=a, b=b)
        elif tb.by in ("red_cards", "overdue_wd"):
            why = t(f"rank.tie.{tb.by}", lang, a=tb.above_value, b=tb.value)
        else:
            out.append(
                t(
                    "rank.tie_shared",
                    lang,
                    score=points(r.score.points),
                    above=names.get(tb.above, tb.above),
                    below=r.name,
                    rank=r.rank,
                )
            )
            continue
        out.append(
            t(
                "rank.tie",
                lang,
                score=points(r.score.points),
                above=names.get(tb.above, tb.above),
                below=r.name,
                why=why,
            )
        )
    return out


def compare_line(result: RankingResult, lang: Lang) -> str | None:
    if result.previous is None:
        return None
    key = "rank.compare_frozen" if result.previous_frozen else "rank.compare"
    return t(key, lang, period=period_label(result.previous, lang))


def notes(row: Standing, lang: Lang) -> str:
    out = []
    if row.holder:
        out.append(t("rank.flag", lang))
    if row.bottom:
        out.append(t("rank.bottom", lang))
    if row.exempt:
        out.append(t("rank.exempt", lang))
    return " ".join(out)


def header_lines(result: RankingResult, frozen: Frozen | None, lang: Lang) -> list[str]:
    p = result.period
    out = [t("rank.span", lang, start=p.start.isoformat(), end=p.end.isoformat())]
    if not result.complete:
        out[0] += ("；" if lang == "zh" else "; ") + t(
            "rank.running", lang, day=result.end.isoformat()
        )
    out.append(status_line(result, frozen, lang))
    out.append(rule_line(result, lang))
    cmp = compare_line(result, lang)
    if cmp:
        out.append(cmp)
    return out


# --- the ranking on a terminal ----------------------------------------------------------


def render(
    console: Console,
    result: RankingResult,
    lang: Lang,
    *,
    frozen: Frozen | None = None,
    cards: bool = False,
) -> None:
    title = t("rank.title", lang, org=result.org, period=period_label(result.period, lang))
    console.print(text(title, "bold"))
    for line in header_lines(result, frozen, lang):
        console.print(text(line, "dim"))
    if not result.rows:
        console.print(text(t("rank.no_units", lang)))
        return
    console.print(_table(console, result, lang, cards))
    chart(console, result, lang)
    console.print(text(holder_line(result, lang), "bold red" if result.holders else "bold"))
    for line in bottom_lines(result, lang):
        console.print(text(line))
    for line in tie_lines(result, lang):
        console.print(text(line))
    if cards:
        console.print(text(t("rank.cards_legend", lang), "dim"))


def _table(console: Console, result: RankingResult, lang: Lang, cards: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    used = 0

    def number(key: str, minimum: int) -> None:
        nonlocal used
        label = t(f"rank.col.{key}", lang)
        width = fixed(label, minimum)
        used += width + 2
        table.add_column(label, justify="right", no_wrap=True, min_width=width)

    number("rank", 2)
    number("change", 3)
    for key, minimum in (("score", 6), ("red", 2), ("yellow", 2), ("overdue", 2), ("rate", 6)):
        number(key, minimum)
    widest = max(
        [cell_len(notes(r, lang)) for r in result.rows] + [fixed(t("rank.col.note", lang))]
    )
    colours = rank_cards(result.rows) if cards else {}
    card_cells = {u: _card_cell(c, lang) for u, c in colours.items()}
    card_w = max([cell_len(c.plain) for c in card_cells.values()] + [0])
    used += widest + 2
    if cards:
        card_w = max(card_w, fixed(t("rank.col.cards", lang)))
        used += card_w + 2
    table.add_column(
        t("rank.col.unit", lang),
        overflow="ellipsis",
        no_wrap=True,
        max_width=max(8, console.width - used),
    )
    table.columns.insert(2, table.columns.pop())
    table.add_column(t("rank.col.note", lang), no_wrap=True, min_width=widest)
    if cards:
        table.add_column(t("rank.col.cards", lang), no_wrap=True, min_width=card_w)
    for r in result.rows:
        st = r.score.stats
        style = "bold red" if r.holder else ("yellow" if r.bottom else "")
        cells: list[Text | str] = [
            str(r.rank),
            change(r, lang, result.previous is not None),
            text(r.name, style),
            Text(points(r.score.points), style=style),
            Text(str(st.red) if st.red else "·", style="red" if st.red else "dim"),
            Text(str(st.yellow) if st.yellow else "·", style="yellow" if st.yellow else "dim"),
            Text(str(st.overdue) if st.overdue else "·", style="" if st.overdue else "dim"),
            rate(st.rate),
            Text(notes(r, lang), style=style),
        ]
        if cards:
            cells.append(card_cells[r.unit])
        table.add_row(*cells)
    return table


def _card_cell(colours: tuple[str, str], lang: Lang) -> Text:
    band, move = colours
    cell = Text(t(f"level.{CARD_LEVEL[band]}", lang), style=CARD_STYLES[band])
    cell.append(" / ")
    if move == "none":
        cell.append("—", style="dim")
    else:
        cell.append(t(f"level.{CARD_LEVEL[move]}", lang), style=CARD_STYLES[move])
    return cell


def chart_scale(result: RankingResult) -> tuple[int, int]:
    """The axis of the bar chart, in whole points: from a round number below the lowest
    score (never below 0) to one at or above the highest score and the flag line."""
    scores = [r.score.points for r in result.rows]
    low = min(scores) / 100
    high = max(max(scores), result.threshold) / 100
    lo = max(0, int(math.floor((low - 5) / 10) * 10))
    hi = int(math.ceil(high / 10) * 10)
    if hi <= lo:
        hi = lo + 10
    return lo, hi


def chart(console: Console, result: RankingResult, lang: Lang) -> None:
    """Scores as horizontal bars, with the flag line marked on the axis."""
    lo, hi = chart_scale(result)
    name_w = min(16, max(cell_len(r.name) for r in result.rows))
    width = max(10, min(50, console.width - name_w - 9))
    threshold = result.threshold / 100
    console.print(text(t("rank.chart", lang, lo=lo, hi=hi, threshold=f"{threshold:g}"), "dim"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, overflow="ellipsis", max_width=name_w)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for r in result.rows:
        score = r.score.points / 100
        eighths = round(max(0.0, min(1.0, (score - lo) / (hi - lo))) * width * 8)
        full, rest = divmod(eighths, 8)
        bar = "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")
        style = "bold red" if r.holder else ("green" if score >= threshold else "yellow")
        grid.add_row(text(r.name), Text(bar.ljust(width), style=style), points(r.score.points))
    pos = round((threshold - lo) / (hi - lo) * width)
    axis = [" "] * (width + 1)
    if 0 <= pos <= width:
        axis[pos] = "┃"
    grid.add_row("", Text("".join(axis).rstrip() + f" {threshold:g}", style="dim"), "")
    console.print(grid)


# --- --explain ----------------------------------------------------------------------------


# --- machine formats --------------------------------------------------------------------


# --- flag award / history ---------------------------------------------------------------


def warnings(result: RankingResult, lang: Lang) -> list[str]:
    return [m.render(lang) for m in result.warnings]


def warned(lines: Sequence[str], lang: Lang) -> str:
    """Warning lines for stderr, each "警告：…" / "Warning: …" (empty when none)."""
    sep = "：" if lang == "zh" else ": "
    head = t("rank.warning", lang)
    return "".join(f"{head}{sep}{safe(line)}\n" for line in lines)


# --- flag score -------------------------------------------------------------------------
