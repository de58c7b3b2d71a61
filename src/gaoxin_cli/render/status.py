"""`gaoxin status`: the office dashboard on one screen, or JSON with stable keys."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Level
from gaoxin_cli.render.console import (
    LEVEL_STYLES,
    bar,
    card_width,
    fixed,
    level_text,
    pct,
    text,
)
from gaoxin_cli.rules.dashboard import Dashboard, TaskRow


def reasons(row: TaskRow, lang: Lang) -> list[str]:
    out = [m.render(lang) for m in row.assessment.card.reasons]
    if row.missed_report is not None:
        d = row.missed_report
        out.append(Msg("card.missed_report", m=d.month, d=d.day).render(lang))
    return out


def unit_name(config: Config, unit: str) -> str:
    u = config.units.get(unit)
    return (u.short or u.name) if u else unit


def leader_name(config: Config, leader: str | None) -> str:
    if leader is None:
        return ""
    p = config.leaders.get(leader)
    return p.name if p else leader


def render(console: Console, dash: Dashboard, config: Config, lang: Lang, limit: int) -> None:
    weekday = t(f"weekday.{dash.today.weekday()}", lang)
    console.print(text(t("status.title", lang, org=config.org.name), "bold"))
    console.print(
        text(
            t(
                "status.asof",
                lang,
                date=dash.today.isoformat(),
                weekday=weekday,
                left=dash.workdays_left,
            )
        )
    )
    line = Text(t("status.counts", lang, total=len(dash.rows)))
    parts: list[Text] = []
    for level in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE):
        if dash.counts[level] or level != Level.ACCOUNTABILITY:
            parts.append(
                Text(f"{t(f'level.{level}', lang)} {dash.counts[level]}", style=LEVEL_STYLES[level])
            )
    parts.append(Text(f"{t('status.done', lang)} {dash.done}"))
    parts.append(Text(f"{t('status.missed', lang)} {dash.missed}"))
    line.append_text(Text(" · ").join(parts))
    console.print(line)
    if not dash.rows:
        console.print(text(t("status.nothing", lang)))
        return
    _pillars(console, dash, lang)
    _units(console, dash, config, lang)
    _attention(console, dash, config, lang, limit)


def _pillars(console: Console, dash: Dashboard, lang: Lang) -> None:
    nodes = [p for p in dash.pillars if p.tasks]
    if not nodes:
        return
    table = Table(
        title=t("status.pillars", lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column(
        t("col.pillar", lang),
        overflow="ellipsis",
        no_wrap=True,
        max_width=max(12, console.width - 46),
    )
    table.add_column(
        t("col.tasks", lang),
        justify="right",
        no_wrap=True,
        min_width=fixed(t("col.tasks", lang), 4),
    )
    table.add_column(
        t("col.progress", lang), no_wrap=True, min_width=fixed(t("col.progress", lang), 15)
    )
    table.add_column(
        t("col.planned", lang),
        justify="right",
        no_wrap=True,
        min_width=fixed(t("col.planned", lang), 4),
    )
    table.add_column(
        t("col.card", lang),
        no_wrap=True,
        min_width=max(fixed(t("col.card", lang)), card_width(lang)),
    )
    for p in nodes:
        name = Text("  " * p.depth) + text(p.name, "bold" if p.depth == 0 else "")
        style = "green" if p.progress >= p.planned - 1e-9 else "yellow"
        table.add_row(
            name,
            str(p.tasks),
            bar(p.progress, style=style),
            pct(p.planned),
            level_text(p.worst, lang),
        )
    console.print(table)


def _units(console: Console, dash: Dashboard, config: Config, lang: Lang) -> None:
    table = Table(
        title=t("status.units", lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column(t("col.unit", lang), overflow="ellipsis", no_wrap=True, ratio=1)
    for key, style in (("col.tasks", ""), ("col.done", "")):
        table.add_column(t(key, lang), justify="right", no_wrap=True, style=style)
    for level in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE):
        table.add_column(
            t(f"levelshort.{level}", lang),
            justify="right",
            no_wrap=True,
            header_style=LEVEL_STYLES[level],
        )
    table.add_column(t("col.progress", lang), no_wrap=True)
    table.add_column(t("col.missed", lang), justify="right", no_wrap=True)
    for u in dash.units:
        cells: list[Text | str] = [text(unit_name(config, u.unit)), str(u.tasks), str(u.done)]
        for level in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE):
            n = u.levels[level]
            cells.append(Text(str(n) if n else "·", style=LEVEL_STYLES[level] if n else "dim"))
        cells.append(bar(u.progress, width=8))
        cells.append(Text(str(u.missed) if u.missed else "·", style="" if u.missed else "dim"))
        table.add_row(*cells)
    console.print(table)


def _attention(console: Console, dash: Dashboard, config: Config, lang: Lang, limit: int) -> None:
    rows = [r for r in dash.rows if r.assessment.card.level or r.missed_report]
    if not rows:
        console.print(text(t("status.all_clear", lang)))
        return
    shown = rows if limit <= 0 else rows[:limit]
    table = Table(
        title=t("status.attention", lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column(
        t("col.card", lang),
        no_wrap=True,
        min_width=max(fixed(t("col.card", lang)), card_width(lang)),
    )
    table.add_column(t("col.task", lang), no_wrap=True, min_width=fixed(t("col.task", lang), 5))
    table.add_column(
        t("col.title", lang),
        overflow="ellipsis",
        no_wrap=True,
        max_width=max(8, (console.width - 40) // 3),
    )
    table.add_column(t("col.lead", lang), overflow="ellipsis", no_wrap=True, max_width=6)
    table.add_column(
        t("col.progress", lang),
        justify="right",
        no_wrap=True,
        min_width=fixed(t("col.progress", lang), 4),
    )
    table.add_column(
        t("col.planned", lang),
        justify="right",
        no_wrap=True,
        min_width=fixed(t("col.planned", lang), 4),
    )
    table.add_column(t("col.why", lang), overflow="fold", min_width=fixed(t("col.why", lang), 12))
    for r in shown:
        table.add_row(
            level_text(r.assessment.card.level, lang),
            text(r.task.id),
            text(r.task.title),
            text(unit_name(config, r.task.lead)),
            pct(r.state.progress),
            pct(r.assessment.planned),
            text("\n".join(reasons(r, lang)), multiline=True),
        )
    console.print(table)
    if len(shown) < len(rows):
        console.print(text(t("status.more", lang, n=len(rows) - len(shown)), "dim"))


def as_json(dash: Dashboard, config: Config, lang: Lang) -> dict[str, Any]:
    """Stable keys: add new ones, never rename (scripts read them)."""
    return {
        "as_of": dash.today.isoformat(),
        "org": config.org.name,
        "workdays_left_in_year": dash.workdays_left,
        "counts": {name: dash.counts[i] for i, name in enumerate(Level.NAMES)},
        "done": dash.done,
        "missed_reports": dash.missed,
        "tasks": [task_json(r, lang) for r in dash.rows],
        "units": [
            {
                "unit": u.unit,
                "name": unit_name(config, u.unit),
                "tasks": u.tasks,
                "done": u.done,
                "cards": {name: u.levels[i] for i, name in enumerate(Level.NAMES)},
                "progress": round(u.progress, 1),
                "missed_reports": u.missed,
            }
            for u in dash.units
        ],
        "pillars": [
            {
                "path": p.path,
                "name": p.name,
                "tasks": p.tasks,
                "progress": round(p.progress, 1),
                "planned": round(p.planned, 1),
                "worst_card": Level.NAMES[p.worst],
            }
            for p in dash.pillars
        ],
    }


def task_json(r: TaskRow, lang: Lang) -> dict[str, Any]:
    a = r.assessment
    t_ = r.task
    return {
        "id": t_.id,
        "title": t_.title,
        "pillar": t_.pillar,
        "lead": t_.lead,
        "leader": t_.leader,
        "listed": t_.listed is not None,
        "card": a.card.name,
        "level": a.card.level,
        "reasons": reasons(r, lang),
        "progress": r.state.progress,
        "planned": round(a.planned, 1),
        "lag": round(a.lag, 1),
        "overdue_workdays": a.overdue_wd,
        "workdays_left": a.left_wd,
        "due": r.due.isoformat(),
        "start": t_.start.isoformat() if t_.start else None,
        "started": r.state.started.isoformat() if r.state.started else None,
        "last_report": r.state.last_report.isoformat() if r.state.last_report else None,
        "lifecycle": r.lifecycle,
        "missed_report": r.missed_report.isoformat() if r.missed_report else None,
    }
