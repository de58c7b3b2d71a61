"""`countdown` and `history` screens, and their JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.models.state import Event, Level
from gaoxin_cli.render.console import LEVEL_STYLES, estimate_note, fixed, text
from gaoxin_cli.render.table import Column, TableCell, print_table
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.countdown import Countdown
from gaoxin_cli.rules.feedback import Start
from gaoxin_cli.service.daily import CountdownResult, Imported, SweepResult

if TYPE_CHECKING:
    from rich.console import Console

_TITLES = {
    "start": "countdown.title_start",
    "due": "countdown.title_due",
    "milestones": "countdown.title_milestones",
}
_EMPTY = {
    "start": "countdown.none",
    "due": "countdown.none_due",
    "milestones": "countdown.none_milestones",
}


def when_cell(row: Countdown, lang: Lang) -> tuple[str, str]:
    """How far off the target is, as a table cell (text, style)."""
    if row.missed:
        return t("countdown.missed", lang, wd=-row.workdays), "bold red"
    if row.days == 0:
        return t("countdown.today", lang), "bold yellow"
    return t("countdown.in", lang, wd=row.workdays), "bold yellow" if row.workdays <= 3 else ""


def countdown(
    console: Console,
    result: CountdownResult,
    config: Config,
    lang: Lang,
    today: date,
    within: int,
    estimated: Sequence[int] = (),
) -> None:
    mode, rows = result.mode, result.rows
    console.print(text(t(_TITLES[mode], lang, date=today.isoformat(), n=within), "bold"))
    if estimated:
        estimate_note(console, list(estimated), lang)
    if not rows:
        console.print(text(t(_EMPTY[mode], lang)))
        return
    milestones = mode == "milestones"
    columns = [
        Column(t("col.task", lang), no_wrap=True),
        Column(
            t("col.title", lang),
            overflow="ellipsis",
            no_wrap=True,
            max_width=max(10, (console.width - 44) * 3 // 5),
        ),
    ]
    if milestones:
        columns.append(
            Column(
                t("col.milestone", lang),
                overflow="ellipsis",
                no_wrap=True,
                max_width=max(8, (console.width - 44) * 2 // 5),
            )
        )
    columns += [
        Column(t("col.lead", lang), overflow="ellipsis", no_wrap=True, max_width=8),
        Column(t("col.target", lang), no_wrap=True),
        Column(t("col.wd", lang), no_wrap=True),
        Column(t("col.days", lang), justify="right", no_wrap=True),
    ]
    # The same words come back row after row: a lead's name, a date and its counts.
    leads: dict[str, tuple[str, str]] = {}
    targets: dict[date, tuple[TableCell, TableCell, TableCell]] = {}
    table: list[list[TableCell]] = []
    for r in rows:
        task = r.task
        lead = leads.get(task.lead)
        if lead is None:
            lead = leads[task.lead] = (safe(config.unit_name(task.lead, short=True)), "")
        when_ = targets.get(r.target)  # workdays and days follow from the date
        if when_ is None:
            when_ = targets[r.target] = (
                (r.target.isoformat(), ""),
                when_cell(r, lang),
                (str(r.days), ""),
            )
        cells: list[TableCell] = [(safe(task.id), ""), (safe(task.title), "")]
        if milestones:
            cells.append((safe(r.milestone or ""), ""))
        cells += [lead, *when_]
        table.append(cells)
    print_table(console, columns, table)


def countdown_json(result: CountdownResult, today: date) -> dict[str, Any]:
    items = _countdown_items(result.rows, result.mode)
    return {"as_of": today.isoformat(), "kind": result.mode, "items": items}


def _countdown_items(rows: Sequence[Countdown], mode: str) -> list[dict[str, Any]]:
    return [
        {
            "id": r.task.id,
            "title": r.task.title,
            "lead": r.task.lead,
            "kind": mode,
            "milestone": r.milestone,
            "date": r.target.isoformat(),
            "workdays": r.workdays,
            "days": r.days,
            "missed": r.missed,
        }
        for r in rows
    ]


def describe(event: Event, lang: Lang, config: Config | None = None) -> str:
    """One event in words; with *config*, leaders and units by name, not id."""
    if event.kind in ("lifecycle", "problem"):
        from gaoxin_cli.render import lifecycle

        return lifecycle.describe(event, lang, config) or ""
    if event.kind == "extension":
        from gaoxin_cli.render.notices import describe_extension

        return describe_extension(event, lang, config)
    parts: list[str] = []
    if event.kind in ("feedback", "correction") and event.progress is not None:
        parts.append(f"{event.progress:g}%")
    if event.kind == "milestone" and event.milestone:
        parts.append(event.milestone)
    if event.kind == "card":
        data = event.data or {}
        level = int(data.get("level", 0))
        if level == 0:
            parts.append(t("history.card_clear", lang))
        else:
            sep = "；" if lang == "zh" else "; "
            why = sep.join(_reason(r, lang) for r in data.get("reasons", []))
            parts.append(
                t("history.card_change", lang, level=t(f"level.{level}", lang), reasons=why)
            )
    if event.note:
        parts.append(event.note)
    if event.reason:
        parts.append(f"({event.reason})")
    return " · ".join(parts)


def _reason(raw: Any, lang: Lang) -> str:
    try:
        return Msg(str(raw["key"]), **dict(raw.get("params", {}))).render(lang)
    except (KeyError, TypeError, ValueError, IndexError):
        return str(raw)


def history(
    console: Console,
    task: Task,
    events: Sequence[Event],
    config: Config,
    lang: Lang,
    *,
    start: Start | None = None,
) -> None:
    """Every event of *task*, oldest first; a start inferred from a report (no start
    event) gets a row of its own right after that report, saying so."""
    console.print(text(t("history.title", lang, task=task.id, title=task.title), "bold"))
    console.print(
        text(
            t(
                "history.plan",
                lang,
                start=task.start.isoformat() if task.start else "—",
                due=task.due.isoformat(),
                lead=config.unit_name(task.lead, short=True),
            )
        )
    )
    if not events:
        console.print(text(t("history.none", lang)))
        return
    columns = [
        Column(t("col.date", lang), no_wrap=True),
        Column(t("col.event", lang), no_wrap=True),
        Column(t("col.by", lang), overflow="ellipsis", no_wrap=True, max_width=8),
        Column(t("col.note", lang), overflow="fold", min_width=fixed(t("col.note", lang), 12)),
    ]
    table: list[list[TableCell]] = []
    inferred = start.event if start is not None and start.inferred else None
    for e in events:
        style = ""
        if e.kind == "card":
            style = LEVEL_STYLES[int((e.data or {}).get("level", 0)) % len(Level.NAMES)]
        table.append(
            [
                (e.at.isoformat(), ""),
                (t(f"event.{e.kind}", lang), style) if _known(e.kind) else (safe(e.kind), ""),
                (safe(config.unit_name(e.unit, short=True) if e.unit else ""), ""),
                (safe(describe(e, lang, config)), ""),
            ]
        )
        if inferred is not None and e == inferred:
            assert e.progress is not None
            table.append(
                [
                    (e.at.isoformat(), ""),
                    (t("event.start_inferred", lang), "dim"),
                    ("", ""),
                    (t("history.start_inferred", lang, progress=f"{e.progress:g}"), "dim"),
                ]
            )
    print_table(console, columns, table)


def start_json(start: Start | None) -> dict[str, Any] | None:
    """``history --json``'s ``started``: the day, whether inferred, and the id of the
    start event or of the report it was inferred from."""
    if start is None:
        return None
    return {"at": start.at.isoformat(), "inferred": start.inferred, "event": start.event.id}


def _known(kind: str) -> bool:
    return kind in (
        "feedback",
        "correction",
        "milestone",
        "start",
        "card",
        "lifecycle",
        "extension",
    )


def history_json(
    events: Sequence[Event], lang: Lang, config: Config | None = None
) -> list[dict[str, Any]]:
    """``history --json``'s events: ids as stored, ``text`` in words (names with *config*)."""
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "kind": e.kind,
            "unit": e.unit,
            "progress": e.progress,
            "milestone": e.milestone,
            "note": e.note,
            "reason": e.reason,
            "data": dict(e.data) if e.data else None,
            "text": describe(e, lang, config),
            "source": e.source,
        }
        for e in events
    ]


def feedback_recorded(task: str, events: Sequence[Event], lang: Lang) -> str:
    """``feedback``: one line saying what was recorded."""
    what = []
    for e in events:
        if e.kind == "feedback" and e.progress is not None:
            what.append(t("feedback.what_progress", lang, progress=f"{e.progress:g}"))
        elif e.kind == "feedback":
            what.append(t("feedback.what_note", lang))
        elif e.kind == "correction" and e.progress is not None:
            what.append(t("feedback.what_correction", lang, progress=f"{e.progress:g}"))
        elif e.kind == "milestone":
            what.append(t("feedback.what_milestone", lang, name=e.milestone))
        elif e.kind == "start":
            what.append(t("feedback.what_started", lang, date=e.at.isoformat()))
    sep = "，" if lang == "zh" else ", "
    return safe(t("feedback.recorded", lang, task=task, what=sep.join(what)))


def imported(name: str, done: Imported, lang: Lang) -> str:
    key = "import.dry_run" if done.dry_run else "import.done"
    return t(key, lang, file=name, rows=done.rows, added=done.added, skipped=done.skipped)


def swept(result: SweepResult, today: date, lang: Lang) -> str:
    return t(
        "sweep.done", lang, date=today.isoformat(), tasks=result.tasks, changed=len(result.changes)
    )


def sweep_json(result: SweepResult, today: date) -> dict[str, Any]:
    return {
        "as_of": today.isoformat(),
        "tasks": result.tasks,
        "changes": [{"task": e.task, "level": (e.data or {}).get("level")} for e in result.changes],
    }
