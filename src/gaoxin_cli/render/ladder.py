"""Screens of the escalation ladder: ``overdue`` and ``listed``, and their JSON (stable
keys: added, never renamed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Level
from gaoxin_cli.render.console import LEVEL_STYLES, Styled, estimate_note, styled, text
from gaoxin_cli.render.grid import Cell, cell, grid, level_cell
from gaoxin_cli.rules.ladder import KINDS, Standing
from gaoxin_cli.rules.outlook import ListedRow, OverdueRow

if TYPE_CHECKING:
    from rich.console import Console

    from gaoxin_cli.service.escalation import Overdue


def reasons(s: Standing, lang: Lang) -> list[str]:
    return [m.render(lang) for m in s.assessment.card.reasons]


def kind_short(rung: int, lang: Lang) -> str:
    return t(f"notice.short.{KINDS[rung]}", lang)


def _day(day: date, today: date) -> str:
    """MM-DD within today's year, else the full date."""
    return day.isoformat()[5:] if day.year == today.year else day.isoformat()


def _when(day: date, today: date, lang: Lang) -> str:
    return t("overdue.today", lang) if day == today else f"{day.month}/{day.day}"


# --- overdue ------------------------------------------------------------------------


# The unsigned notices under the overdue list (all of them in --json and notice list).
_UNSIGNED_SHOWN = 15


def overdue(
    console: Console,
    result: Overdue,
    config: Config,
    lang: Lang,
    today: date,
    estimated: Sequence[int] = (),
) -> None:
    """The late and warned tasks, then the late 问题提报 and the notices not signed
    (when there are any)."""
    from gaoxin_cli.render.notices import unsigned_section

    _tasks(console, result.tasks, config, lang, today, estimated)
    if result.problems:
        from gaoxin_cli.render.lifecycle import problems_section

        problems_section(console, result.problems, config, lang, limit=0)
    unsigned_section(console, result.unsigned, config, lang, limit=_UNSIGNED_SHOWN)


def overdue_json(result: Overdue, lang: Lang, today: date) -> dict[str, Any]:
    from gaoxin_cli.render.notices import unsigned_json

    doc = _tasks_json(result.tasks, lang, today)
    doc["problems"] = []
    if result.problems:
        from gaoxin_cli.render.lifecycle import problem_json

        doc["problems"] = [problem_json(ln, lang) for ln in result.problems]
    doc["unsigned"] = unsigned_json(result.unsigned)
    return doc


def _tasks(
    console: Console,
    rows: Sequence[OverdueRow],
    config: Config,
    lang: Lang,
    today: date,
    estimated: Sequence[int] = (),
) -> None:
    weekday = t(f"weekday.{today.weekday()}", lang)
    console.print(styled(t("overdue.title", lang, date=today.isoformat(), weekday=weekday), "bold"))
    if estimated:
        estimate_note(console, list(estimated), lang)
    if not rows:
        console.print(styled(t("overdue.none", lang)))
        return
    counts = [0] * 5
    for r in rows:
        counts[r.standing.assessment.card.level] += 1
    parts = [
        (f"{t(f'level.{lv}', lang)} {counts[lv]}", LEVEL_STYLES[lv])
        for lv in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE)
        if counts[lv] or lv != Level.ACCOUNTABILITY
    ]
    today_n = sum(1 for r in rows if r.next is not None and r.next[1] == today)
    parts.append((t("overdue.issue_today", lang, n=today_n), ""))
    joined = [pair for part in parts for pair in ((" · ", ""), part)]
    console.print(Styled((t("overdue.counts", lang, total=len(rows)), ""), *joined[1:]))
    # Thousands of rows, a few hundred distinct dates and counts: each worded once.
    lates: dict[tuple[int, int | None], Cell] = {}
    nexts: dict[tuple[int, date] | None, Cell] = {}
    dues: dict[tuple[date, bool], str] = {}
    leads: dict[str, Cell] = {}
    levels = [level_cell(level, lang) for level in range(5)]
    rungs = [(kind_short(rung, lang), "") if rung else ("—", "dim") for rung in range(5)]
    cells = []
    for r in rows:
        s = r.standing
        a = s.assessment
        task = s.task
        late = lates.get((a.overdue_wd, a.left_wd))
        if late is None:
            late = lates[a.overdue_wd, a.left_wd] = _late(a.overdue_wd, a.left_wd, lang)
        nxt = nexts.get(r.next)
        if nxt is None:
            nxt = nexts[r.next] = (
                (f"{kind_short(r.next[0], lang)} {_when(r.next[1], today, lang)}", "")
                if r.next
                else ("—", "dim")
            )
        extended = s.due != task.due
        due = dues.get((s.due, extended))
        if due is None:
            due = dues[s.due, extended] = _day(s.due, today) + ("*" if extended else "")
        lead = leads.get(task.lead)
        if lead is None:
            lead = leads[task.lead] = cell(config.unit_name(task.lead, short=True))
        cells.append(
            [
                levels[a.card.level],
                cell(task.id),
                cell(task.title),
                lead,
                (due, ""),
                late,
                rungs[s.rung],
                nxt,
            ]
        )
    columns = [
        (t("col.card", lang), "left", 0),
        (t("col.task", lang), "left", 0),
        (t("col.title", lang), "left", 0),
        (t("col.lead", lang), "left", 8),
        (t("overdue.col.due", lang), "left", 0),
        (t("overdue.col.late", lang), "right", 0),
        (t("overdue.col.rung", lang), "left", 0),
        (t("overdue.col.next", lang), "left", 0),
    ]
    grid(console, columns, cells, flex=2)


def _late(overdue_wd: int, left_wd: int | None, lang: Lang) -> Cell:
    """Working days late, or left: each cell says which (the column holds both)."""
    if overdue_wd > 0:
        return t("overdue.late", lang, wd=overdue_wd), "bold"
    if left_wd == 0:
        return t("overdue.today", lang), "bold"
    if left_wd is not None:
        return t("overdue.left", lang, wd=left_wd), "dim"
    return "0", ""


def _latest_number(s: Standing, rung: int) -> str | None:
    for n in s.notices:
        if n.rung == rung and n.kind == KINDS[rung]:
            return n.number
    return None


def _tasks_json(rows: Sequence[OverdueRow], lang: Lang, today: date) -> dict[str, Any]:
    # Rows share their dates and reasons (one reason object serves every task late since
    # the same day): each is written out once.
    days: dict[date, str] = {}
    why: dict[int, str] = {}  # id(Msg) → text; the rows keep the Msgs alive

    def day(d: date) -> str:
        text = days.get(d)
        if text is None:
            text = days[d] = d.isoformat()
        return text

    def reasons_of(s: Standing) -> list[str]:  # reasons(s, lang)
        out = []
        for m in s.assessment.card.reasons:
            text = why.get(id(m))
            if text is None:
                text = why[id(m)] = m.render(lang)
            out.append(text)
        return out

    tasks = []
    for r in rows:
        s = r.standing
        t_, a = s.task, s.assessment
        tasks.append(
            {
                "id": t_.id,
                "title": t_.title,
                "lead": t_.lead,
                "leader": t_.leader,
                "listed": t_.listed is not None,
                "urgency": t_.urgency,
                "card": a.card.name,
                "level": a.card.level,
                "reasons": reasons_of(s),
                "due": day(s.due),
                "planned_due": day(t_.due),
                "overdue_workdays": a.overdue_wd,
                "workdays_left": a.left_wd,
                "progress": s.state.progress,
                "rung": s.rung,
                "rung_kind": KINDS[s.rung] if s.rung else None,
                "rung_number": _latest_number(s, s.rung) if s.rung else None,
                "assigned": s.assigned,
                "next_rung": r.next[0] if r.next else None,
                "next_kind": KINDS[r.next[0]] if r.next else None,
                "next_on": day(r.next[1]) if r.next else None,
            }
        )
    return {"as_of": today.isoformat(), "tasks": tasks}


# --- listed ---------------------------------------------------------------------------


def listed(
    console: Console, rows: Sequence[ListedRow], config: Config, lang: Lang, today: date
) -> None:
    console.print(text(t("listed.title", lang, date=today.isoformat()), "bold"))
    if not rows:
        console.print(text(t("listed.none", lang)))
        return
    delisted = sum(r.delisted is not None for r in rows)
    console.print(
        text(
            t(
                "listed.counts",
                lang,
                total=len(rows),
                active=len(rows) - delisted,
                delisted=delisted,
            )
        )
    )
    cells = []
    for r in rows:
        s = r.standing
        if r.delisted is not None:
            status: Cell = (t("listed.delisted", lang, date=_day(r.delisted, today)), "green")
        elif r.since > today:
            status = (t("listed.pending", lang, date=_day(r.since, today)), "dim")
        else:
            status = (t("listed.active", lang), "")
        cells.append(
            [
                cell(s.task.id),
                cell(s.task.title),
                cell(config.unit_name(s.task.lead, short=True)),
                cell(config.leader_name(r.by)),
                (_day(r.since, today), ""),
                (str(r.days), ""),
                level_cell(s.assessment.card.level, lang),
                (f"{s.state.progress:.0f}%", ""),
                status,
            ]
        )
    columns = [
        (t("col.task", lang), "left", 0),
        (t("col.title", lang), "left", 0),
        (t("col.lead", lang), "left", 8),
        (t("listed.col.supervisor", lang), "left", 8),
        (t("listed.col.since", lang), "left", 0),
        (t("listed.col.days_listed", lang), "right", 0),
        (t("col.card", lang), "left", 0),
        (t("col.progress", lang), "right", 0),
        (t("listed.col.status", lang), "left", 0),
    ]
    grid(console, columns, cells, flex=1)


def listed_json(
    rows: Sequence[ListedRow], config: Config, lang: Lang, today: date
) -> dict[str, Any]:
    return {
        "as_of": today.isoformat(),
        "tasks": [
            {
                "id": r.standing.task.id,
                "title": r.standing.task.title,
                "lead": r.standing.task.lead,
                "supervisor": r.by,
                "supervisor_name": config.leader_name(r.by) if r.by else None,
                "since": r.since.isoformat(),
                "days_listed": r.days,
                "workdays_listed": r.workdays,
                "status": "delisted" if r.delisted else ("listed" if r.active else "pending"),
                "delisted_on": r.delisted.isoformat() if r.delisted else None,
                "card": r.standing.assessment.card.name,
                "reasons": reasons(r.standing, lang),
                "progress": r.standing.state.progress,
                "due": r.standing.due.isoformat(),
                "rung": r.standing.rung,
            }
            for r in rows
        ],
    }
