"""`gaoxin ranking` and `gaoxin flag history`: tables, a bar chart, explanations, JSON, CSV.

Shared by the bulletin (labels, numbers, detail texts), so a figure reads the same in the
terminal, in Markdown and in HTML. Longer than most modules because it is one thing:
every word and number a ranking or an award is printed with (table, chart, --explain,
JSON, CSV, the flag's history and the messages of ``flag award|score``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.ranking.flag import Standing, TimelineEntry, rank_cards
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import Frozen, RankingResult, to_json
from gaoxin_cli.ranking.scores import Line, UnitScore
from gaoxin_cli.render.console import fixed, text
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from gaoxin_cli.service.ranking import Scored

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


def detail_text(line: Line, lang: Lang, people: Mapping[str, str] | None = None) -> str:
    """The figures behind a line, in words."""
    d = dict(line.detail)
    people = people or {}
    by = people.get(str(d.get("by")), d.get("by") or "—")
    r = line.rule
    if r == "red_card":
        return t("detail.red_card", lang, count=d.get("count", 0))
    if r == "yellow_card":
        return t("detail.yellow_card", lang, count=d.get("count", 0), counted=d.get("counted", 0))
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


# --- machine formats --------------------------------------------------------------------


def frozen_json(frozen: Frozen | None) -> dict[str, Any] | None:
    if frozen is None:
        return None
    return {
        "award": frozen.id,
        "awarded_on": frozen.awarded_on.isoformat(),
        "force_reason": frozen.force_reason,
        "supersedes": frozen.supersedes,
    }


def as_json(
    result: RankingResult, frozen: Frozen | None, lang: Lang, *, only: str | None = None
) -> dict[str, Any]:
    """``to_json`` (what an award freezes) plus where it came from and rendered warnings;
    with *only*, the units list has that unit alone (``ranking --explain UNIT --json``)."""
    doc = to_json(result)
    doc["frozen"] = frozen_json(frozen)
    doc["warning_texts"] = [m.render(lang) for m in result.warnings]
    if only is not None:
        doc["units"] = [u for u in doc["units"] if u["unit"] == only]
    return doc


CSV_FIELDS = (
    "rank",
    "unit",
    "name",
    "score",
    "previous_rank",
    "change",
    "red_cards",
    "yellow_cards",
    "overdue_tasks",
    "overdue_workdays",
    "returned_feedback",
    "missed_reports",
    "early_finishes",
    "completion_rate",
    "target_met",
    "flag",
    "bottom",
    "exempt",
    "tie_break",
)


def spreadsheet_text(value: str) -> str:
    """Text a spreadsheet will show, not run: a leading = + - @ starts a formula in
    Excel and WPS, so such a cell gets a leading apostrophe (OWASP's CSV-injection rule)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def as_csv(result: RankingResult) -> str:
    """One row per unit; English column names, plain numbers (for spreadsheets)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for r in result.rows:
        st = r.score.stats
        w.writerow(
            [
                r.rank,
                r.unit,
                spreadsheet_text(r.name),
                f"{r.score.points / 100:.2f}",
                "" if r.previous_rank is None else r.previous_rank,
                "" if r.change is None else r.change,
                st.red,
                st.yellow,
                st.overdue,
                st.overdue_wd,
                st.returned,
                st.missed,
                st.early,
                "" if st.rate is None else f"{st.rate:.4f}",
                "" if st.target_met is None else str(st.target_met).lower(),
                str(r.holder).lower(),
                str(r.bottom).lower(),
                str(r.exempt).lower(),
                r.tie_break.by if r.tie_break else "",
            ]
        )
    return buf.getvalue()


# --- flag award / history ---------------------------------------------------------------


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


def warnings(result: RankingResult, lang: Lang) -> list[str]:
    return [m.render(lang) for m in result.warnings]


def warned(lines: Sequence[str], lang: Lang) -> str:
    """Warning lines for stderr, each "警告：…" / "Warning: …" (empty when none)."""
    sep = "：" if lang == "zh" else ": "
    head = t("rank.warning", lang)
    return "".join(f"{head}{sep}{safe(line)}\n" for line in lines)


# --- flag score -------------------------------------------------------------------------


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
