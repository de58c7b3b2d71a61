"""`countdown` and `history` screens, and their JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.models.state import Event, Level
from gaoxin_cli.render.console import LEVEL_STYLES, fixed, text
from gaoxin_cli.render.status import unit_name
from gaoxin_cli.rules.countdown import Countdown

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


def when(row: Countdown, lang: Lang) -> Text:
    if row.missed:
        return Text(t("countdown.missed", lang, wd=-row.workdays), style="bold red")
    if row.days == 0:
        return Text(t("countdown.today", lang), style="bold yellow")
    style = "bold yellow" if row.workdays <= 3 else ""
    return Text(t("countdown.in", lang, wd=row.workdays), style=style)


def countdown(
    console: Console,
    rows: Sequence[Countdown],
    config: Config,
    lang: Lang,
    mode: str,
    today: date,
    within: int,
) -> None:
    console.print(text(t(_TITLES[mode], lang, date=today.isoformat(), n=within), "bold"))
    if not rows:
        console.print(text(t(_EMPTY[mode], lang)))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(t("col.task", lang), no_wrap=True)
    table.add_column(
        t("col.title", lang),
        overflow="ellipsis",
        no_wrap=True,
        max_width=max(10, (console.width - 44) * 3 // 5),
    )
    if mode == "milestones":
        table.add_column(
            t("col.milestone", lang),
            overflow="ellipsis",
            no_wrap=True,
            max_width=max(8, (console.width - 44) * 2 // 5),
        )
    table.add_column(t("col.lead", lang), overflow="ellipsis", no_wrap=True, max_width=8)
    table.add_column(t("col.target", lang), no_wrap=True)
    table.add_column(t("col.wd", lang), no_wrap=True)
    table.add_column(t("col.days", lang), justify="right", no_wrap=True)
    for r in rows:
        cells: list[Text] = [text(r.task.id), text(r.task.title)]
        if mode == "milestones":
            cells.append(text(r.milestone or ""))
        cells += [
            text(unit_name(config, r.task.lead)),
            Text(r.target.isoformat()),
            when(r, lang),
            Text(str(r.days)),
        ]
        table.add_row(*cells)
    console.print(table)


def countdown_json(rows: Sequence[Countdown], mode: str) -> list[dict[str, Any]]:
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


def describe(event: Event, lang: Lang) -> str:
    """One event in words."""
    if event.kind in ("lifecycle", "problem"):
        from gaoxin_cli.render import lifecycle

        return lifecycle.describe(event, lang) or ""
    if event.kind == "extension":
        from gaoxin_cli.render.notices import describe_extension

        return describe_extension(event, lang)
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
    console: Console, task: Task, events: Sequence[Event], config: Config, lang: Lang
) -> None:
    console.print(text(t("history.title", lang, task=task.id, title=task.title), "bold"))
    console.print(
        text(
            t(
                "history.plan",
                lang,
                start=task.start.isoformat() if task.start else "—",
                due=task.due.isoformat(),
                lead=unit_name(config, task.lead),
            )
        )
    )
    if not events:
        console.print(text(t("history.none", lang)))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(t("col.date", lang), no_wrap=True)
    table.add_column(t("col.event", lang), no_wrap=True)
    table.add_column(t("col.by", lang), overflow="ellipsis", no_wrap=True, max_width=8)
    table.add_column(t("col.note", lang), overflow="fold", min_width=fixed(t("col.note", lang), 12))
    for e in events:
        style = ""
        if e.kind == "card":
            style = LEVEL_STYLES[int((e.data or {}).get("level", 0)) % len(Level.NAMES)]
        table.add_row(
            Text(e.at.isoformat()),
            Text(t(f"event.{e.kind}", lang), style=style) if _known(e.kind) else text(e.kind),
            text(unit_name(config, e.unit) if e.unit else ""),
            text(describe(e, lang)),
        )
    console.print(table)


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


def history_json(events: Sequence[Event], lang: Lang) -> list[dict[str, Any]]:
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
            "text": describe(e, lang),
            "source": e.source,
        }
        for e in events
    ]
