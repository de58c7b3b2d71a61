"""`gaoxin status`: the office dashboard on one screen, or JSON with stable keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Level
from gaoxin_cli.render.console import (
    LEVEL_STYLES,
    bar,
    card_width,
    estimate_note,
    fixed,
    level_cell,
    pct_cell,
    text,
)
from gaoxin_cli.render.table import Column, TableCell, print_table
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.dashboard import Dashboard, TaskRow, attention
from gaoxin_cli.service.daily import Status

if TYPE_CHECKING:
    from rich.console import Console


def reasons(row: TaskRow, lang: Lang) -> list[str]:
    out = [m.render(lang) for m in row.assessment.card.reasons]
    if row.missed_report is not None:
        d = row.missed_report
        out.append(Msg("card.missed_report", m=d.month, d=d.day).render(lang))
    return out


def render(
    console: Console,
    dash: Dashboard,
    config: Config,
    lang: Lang,
    limit: int,
    estimated: Sequence[int] = (),
) -> None:
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
    if estimated:
        estimate_note(console, list(estimated), lang)
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
    _pillars(console, dash, config, lang)
    _units(console, dash, config, lang)
    _attention(console, dash, config, lang, limit)


def _pillars(console: Console, dash: Dashboard, config: Config, lang: Lang) -> None:
    nodes = [p for p in dash.pillars if p.tasks]
    if not nodes:
        return
    columns = [
        Column(
            t("col.pillar", lang),
            overflow="ellipsis",
            no_wrap=True,
            max_width=max(12, console.width - 46),
        ),
        Column(
            t("col.tasks", lang),
            justify="right",
            no_wrap=True,
            min_width=fixed(t("col.tasks", lang), 4),
        ),
        Column(t("col.progress", lang), no_wrap=True, min_width=fixed(t("col.progress", lang), 15)),
        Column(
            t("col.planned", lang),
            justify="right",
            no_wrap=True,
            min_width=fixed(t("col.planned", lang), 4),
        ),
        Column(
            t("col.card", lang),
            no_wrap=True,
            min_width=max(fixed(t("col.card", lang)), card_width(lang)),
        ),
    ]
    rows: list[list[TableCell]] = []
    for p in nodes:
        name = Text("  " * p.depth) + text(p.name, "bold" if p.depth == 0 else "")
        style = "green" if p.progress >= p.planned - 1e-9 else "yellow"
        rows.append(
            [
                name,
                str(p.tasks),
                bar(p.progress, style=style),
                pct_cell(p.planned),
                level_cell(p.worst, lang),
            ]
        )
    # The organisation's own name for its system (org.system, e.g. 工作体系（1+235）),
    # shown as written in either language; else the plain word.
    print_table(console, columns, rows, config.org.system or t("status.pillars", lang))


_CARD_LEVELS = (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE)


def _units(console: Console, dash: Dashboard, config: Config, lang: Lang) -> None:
    columns = [
        Column(t("col.unit", lang), overflow="ellipsis", no_wrap=True, ratio=1),
        Column(t("col.tasks", lang), justify="right", no_wrap=True),
        Column(t("col.done", lang), justify="right", no_wrap=True),
        *(
            Column(
                t(f"levelshort.{level}", lang),
                justify="right",
                no_wrap=True,
                header_style=LEVEL_STYLES[level],
            )
            for level in _CARD_LEVELS
        ),
        Column(t("col.progress", lang), no_wrap=True),
        Column(t("col.missed", lang), justify="right", no_wrap=True),
    ]
    rows: list[list[TableCell]] = []
    for u in dash.units:
        cells: list[TableCell] = [
            (safe(config.unit_name(u.unit, short=True)), ""),
            str(u.tasks),
            str(u.done),
        ]
        for level in _CARD_LEVELS:
            n = u.levels[level]
            cells.append((str(n), LEVEL_STYLES[level]) if n else ("·", "dim"))
        cells.append(bar(u.progress, width=8))
        cells.append((str(u.missed), "") if u.missed else ("·", "dim"))
        rows.append(cells)
    print_table(console, columns, rows, t("status.units", lang))


def _attention(console: Console, dash: Dashboard, config: Config, lang: Lang, limit: int) -> None:
    rows = attention(dash.rows)
    if not rows:
        console.print(text(t("status.all_clear", lang)))
        return
    shown = rows if limit <= 0 else rows[:limit]
    columns = [
        Column(
            t("col.card", lang),
            no_wrap=True,
            min_width=max(fixed(t("col.card", lang)), card_width(lang)),
        ),
        Column(t("col.task", lang), no_wrap=True, min_width=fixed(t("col.task", lang), 5)),
        Column(
            t("col.title", lang),
            overflow="ellipsis",
            no_wrap=True,
            max_width=max(8, (console.width - 40) // 3),
        ),
        # 6 cells at 80 columns; a wider terminal shows longer unit names whole.
        Column(
            t("col.lead", lang),
            overflow="ellipsis",
            no_wrap=True,
            max_width=max(6, (console.width - 56) // 4),
        ),
        Column(
            t("col.progress", lang),
            justify="right",
            no_wrap=True,
            min_width=fixed(t("col.progress", lang), 4),
        ),
        Column(
            t("col.planned", lang),
            justify="right",
            no_wrap=True,
            min_width=fixed(t("col.planned", lang), 4),
        ),
        Column(t("col.why", lang), overflow="fold", min_width=fixed(t("col.why", lang), 12)),
    ]
    table: list[list[TableCell]] = [
        [
            level_cell(r.assessment.card.level, lang),
            (safe(r.task.id), ""),
            (safe(r.task.title), ""),
            (safe(config.unit_name(r.task.lead, short=True)), ""),
            pct_cell(r.state.progress),
            pct_cell(r.assessment.planned),
            (safe("\n".join(reasons(r, lang)), multiline=True), ""),
        ]
        for r in shown
    ]
    print_table(console, columns, table, t("status.attention", lang))
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
        "tasks": list(map(_TaskJson(lang), dash.rows)),
        "units": [
            {
                "unit": u.unit,
                "name": config.unit_name(u.unit, short=True),
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
    return _TaskJson(lang)(r)


class _TaskJson:
    """:func:`task_json` for every row of a dashboard. Rows share their dates, numbers
    and reasons (one reason object serves every task late since the same day), so each
    is written out once."""

    __slots__ = ("_days", "_lang", "_numbers", "_reasons")

    def __init__(self, lang: Lang) -> None:
        self._lang = lang
        self._days: dict[date, str] = {}
        self._numbers: dict[float, float] = {}
        self._reasons: dict[int, str] = {}  # id(Msg) → text; the rows keep the Msgs alive

    def _day(self, day: date | None) -> str | None:
        if day is None:
            return None
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = day.isoformat()
        return text

    def _round(self, value: float) -> float:
        if not value:
            return value  # round(±0.0, 1) is itself; and 0.0, -0.0 would share a key
        rounded = self._numbers.get(value)
        if rounded is None:
            rounded = self._numbers[value] = round(value, 1)
        return rounded

    def _why(self, r: TaskRow) -> list[str]:
        """:func:`reasons`."""
        out = []
        for m in r.assessment.card.reasons:
            text = self._reasons.get(id(m))
            if text is None:
                text = self._reasons[id(m)] = m.render(self._lang)
            out.append(text)
        if r.missed_report is not None:
            d = r.missed_report
            out.append(Msg("card.missed_report", m=d.month, d=d.day).render(self._lang))
        return out

    def __call__(self, r: TaskRow) -> dict[str, Any]:
        a = r.assessment
        t_ = r.task
        st = r.state
        day = self._day
        return {
            "id": t_.id,
            "title": t_.title,
            "pillar": t_.pillar,
            "lead": t_.lead,
            "leader": t_.leader,
            "listed": t_.listed is not None,
            "card": a.card.name,
            "level": a.card.level,
            "reasons": self._why(r),
            "progress": st.progress,
            "planned": self._round(a.planned),
            "lag": self._round(a.lag),
            "overdue_workdays": a.overdue_wd,
            "workdays_left": a.left_wd,
            "due": day(r.due),
            "start": day(t_.start) if t_.start else None,
            "started": day(st.started) if st.started else None,
            "last_report": day(st.last_report) if st.last_report else None,
            "lifecycle": r.lifecycle,
            "missed_report": day(r.missed_report) if r.missed_report else None,
        }


def status(
    console: Console,
    result: Status,
    config: Config,
    lang: Lang,
    limit: int,
    estimated: Sequence[int] = (),
) -> None:
    """``status``: the dashboard, then the open 问题提报, then the notices not signed."""
    from gaoxin_cli.render.lifecycle import problems_section
    from gaoxin_cli.render.notices import unsigned_section

    render(console, result.dashboard, config, lang, limit, estimated)
    problems_section(console, result.problems, config, lang, limit)
    unsigned_section(console, result.unsigned, config, lang, limit)


def status_json(result: Status, config: Config, lang: Lang) -> dict[str, Any]:
    from gaoxin_cli.render.lifecycle import problem_json
    from gaoxin_cli.render.notices import unsigned_json

    doc = as_json(result.dashboard, config, lang)
    doc["problems"] = [problem_json(ln, lang) for ln in result.problems if ln.status.open]
    doc["unsigned"] = unsigned_json(result.unsigned)
    return doc
