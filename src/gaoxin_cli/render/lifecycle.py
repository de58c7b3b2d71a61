"""Screens and JSON of the task lifecycle and 问题提报 (``problem list`` / ``show``), and
the pieces other screens borrow: a state cell, an event's words for ``history``, and an
"open problems" section for ``status``, ``overdue`` and the bulletin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console, JustifyMethod
from rich.text import Text

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Event
from gaoxin_cli.render.console import (
    LEVEL_STYLES,
    card_width,
    fixed,
    leader_name,
    level_text,
    text,
    unit_name,
)
from gaoxin_cli.rules.problems import ProblemCard, ProblemLine, ProblemStatus

if TYPE_CHECKING:  # rich.table is imported where a table is drawn (~5 ms of start-up)
    from rich.table import Table

STATE_STYLES: Mapping[str, str] = {
    "registered": "dim",
    "assigned": "",
    "in_progress": "",
    "extension_pending": "yellow",
    "under_review": "cyan",
    "done": "green",
    "closed": "dim green",
    "cancelled": "dim",
}
PROBLEM_STYLES: Mapping[str, str] = {
    "reported": "",
    "accepted": "",
    "assigned": "",
    "answered": "cyan",
    "closed": "dim green",
    "rejected": "dim",
}


# --- task lifecycle ----------------------------------------------------------------------


def state_label(state: str, lang: Lang) -> str:
    """A lifecycle state in words (办理中 / in progress)."""
    return t(f"lstate.{state}", lang)


def state_text(state: str, lang: Lang) -> Text:
    """A lifecycle state as a table cell."""
    return Text(state_label(state, lang), style=STATE_STYLES.get(state, ""))


def step_message(event: Event, lang: Lang) -> str:
    """What ``submit`` / ``review`` / ``close`` / ``cancel`` print once recorded."""
    data = event.data or {}
    action = str(data.get("action"))
    return t(
        f"lifecycle.done.{action}",
        lang,
        task=event.task,
        old=state_label(str(data.get("from")), lang),
        new=state_label(str(data.get("to")), lang),
        reason=event.reason or "",
    )


def describe(event: Event, lang: Lang, config: Config | None = None) -> str | None:
    """A ``lifecycle`` or ``problem`` event in words for ``history``; None for other kinds.

    ``render/daily.describe`` calls this first (one line), so ``gaoxin history`` reads
    "提交结果：办理中 → 审核中 · 审核领导 王主任 · 结果 …".
    """
    data = event.data or {}
    if event.kind == "lifecycle":
        action = str(data.get("action"))
        key = f"lifecycle.step.{action}"
        parts = [
            t(
                "lifecycle.history",
                lang,
                action=t(key, lang) if _has(key) else action,
                old=_label("lstate", data.get("from"), lang),
                new=_label("lstate", data.get("to"), lang),
            )
        ]
        by = data.get("by")
        if isinstance(by, str) and by:
            name = leader_name(config, by) if config is not None else by
            parts.append(t("lifecycle.by", lang, name=name))
    elif event.kind == "problem":
        action = str(data.get("action"))
        key = f"pstep.{action}"
        parts = [t(key, lang) if _has(key) else action]
        if data.get("to") and action != "report":
            parts[0] = t(
                "lifecycle.history",
                lang,
                action=parts[0],
                old=_label("pstate", data.get("from"), lang),
                new=_label("pstate", data.get("to"), lang),
            )
        unit = data.get("unit")
        if action == "assign" and isinstance(unit, str):
            parts.append(unit_name(config, unit) if config is not None else unit)
        sat = data.get("satisfied")
        if isinstance(sat, bool):
            parts.append(t(f"problem.satisfied.{'yes' if sat else 'no'}", lang))
    else:
        return None
    if event.note:
        parts.append(event.note)
    if event.reason:
        parts.append(f"({event.reason})")
    return " · ".join(parts)


def event_label(kind: str, lang: Lang) -> str | None:
    """The column word for ``lifecycle`` / ``problem`` events (None for other kinds)."""
    return t(f"event.{kind}", lang) if kind in ("lifecycle", "problem") else None


def _has(key: str) -> bool:
    from gaoxin_cli.i18n import has

    return has(key)


def _label(prefix: str, value: object, lang: Lang) -> str:
    key = f"{prefix}.{value}"
    return t(key, lang) if isinstance(value, str) and _has(key) else str(value or "—")


# --- problems ------------------------------------------------------------------------------


def problem_state_text(state: str, lang: Lang) -> Text:
    return Text(t(f"pstate.{state}", lang), style=PROBLEM_STYLES.get(state, ""))


def short_number(status: ProblemStatus) -> str:
    """问题〔2020〕3号 → 2020-3, what to type on the command line."""
    return f"{status.year}-{status.seq}"


def _late_text(card: ProblemCard | None, lang: Lang) -> Text:
    if card is None or card.late_wd <= 0:
        return Text("·", style="dim")
    return Text(str(card.late_wd), style=LEVEL_STYLES[card.card.level])


def _table(console: Console, lines: Sequence[ProblemLine], config: Config, lang: Lang) -> Table:
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    office = config.org.office
    rows: list[list[Text]] = []
    for line in lines:
        st, card = line.status, line.card
        whose = card.unit if card is not None else (st.unit or office)
        rows.append(
            [
                level_text(card.card.level if card else 0, lang),
                text(short_number(st)),
                problem_state_text(st.state, lang),
                Text(str(line.age_wd)),
                Text(card.due.isoformat() if card else ""),
                _late_text(card, lang),
                text(unit_name(config, whose) if card is not None else ""),
                text(" ".join(st.text.split())),
            ]
        )
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        caption=t("pcol.wd_note", lang),
        caption_justify="left",
        caption_style="dim",
    )
    fixed_cols: list[tuple[str, JustifyMethod]] = [
        ("col.card", "left"),
        ("pcol.number", "left"),
        ("lcol.state", "left"),
        ("pcol.age", "right"),
        ("pcol.due", "left"),
        ("pcol.late", "right"),
    ]
    for i, (key, justify) in enumerate(fixed_cols):
        header = t(key, lang)
        widest = max([cell_len(header), *(r[i].cell_len for r in rows)])
        if key == "col.card":
            widest = max(widest, card_width(lang))
        table.add_column(header, justify=justify, no_wrap=True, min_width=widest)
    whose_width = max([cell_len(t("pcol.whose", lang)), *(r[6].cell_len for r in rows)])
    table.add_column(
        t("pcol.whose", lang),
        overflow="ellipsis",
        no_wrap=True,
        min_width=min(8, whose_width),
        max_width=8,
    )
    table.add_column(
        t("pcol.text", lang),
        overflow="ellipsis",
        no_wrap=True,
        ratio=1,
        min_width=fixed(t("pcol.text", lang), 8),
    )
    for r in rows:
        table.add_row(*r)
    return table


def problem_list(
    console: Console,
    lines: Sequence[ProblemLine],
    config: Config,
    lang: Lang,
    today: date,
    open_count: int,
    late_count: int,
) -> None:
    console.print(
        text(
            t("problem.list_title", lang, date=today.isoformat(), open=open_count, late=late_count),
            "bold",
        )
    )
    if not lines:
        console.print(text(t("problem.none", lang)))
        return
    console.print(_table(console, lines, config, lang))


def problems_section(
    console: Console,
    lines: Sequence[ProblemLine],
    config: Config,
    lang: Lang,
    limit: int = 10,
) -> None:
    """The open problems, most severe first, under a one-line summary — for ``status``,
    ``overdue`` and the bulletin. Prints nothing when no problem is open."""
    open_lines = [ln for ln in lines if ln.status.open]
    if not open_lines:
        return
    late = sum(1 for ln in open_lines if ln.card is not None and ln.card.late_wd > 0)
    console.print(text(t("problem.section", lang, open=len(open_lines), late=late), "bold"))
    shown = open_lines if limit <= 0 else open_lines[:limit]
    console.print(_table(console, shown, config, lang))
    if len(shown) < len(open_lines):
        console.print(text(t("problem.more", lang, n=len(open_lines) - len(shown)), "dim"))


def problem_json(line: ProblemLine, lang: Lang) -> dict[str, Any]:
    """One problem with stable keys (new keys may be added, none renamed)."""
    st, card = line.status, line.card
    return {
        "number": st.number,
        "short": short_number(st),
        "state": st.state,
        "state_text": t(f"pstate.{st.state}", lang),
        "text": st.text,
        "reporter": st.reporter,
        "reported_on": st.reported_on.isoformat(),
        "task": st.task,
        "unit": st.unit,
        "hard": st.hard,
        "whose_move": card.unit if card else None,
        "due": card.due.isoformat() if card else None,
        "late_wd": card.late_wd if card else 0,
        "age_wd": line.age_wd,
        "card": card.card.name if card else "none",
        "reasons": [m.render(lang) for m in card.card.reasons] if card else [],
        "reopened": st.reopened,
        "satisfied": st.satisfied,
        "answer": st.answer,
        "reason": st.reason,
        "ended_on": st.ended.isoformat() if st.ended else None,
    }


def steps_json(status: ProblemStatus, lang: Lang, config: Config) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "action": (e.data or {}).get("action"),
            "from": (e.data or {}).get("from"),
            "to": (e.data or {}).get("to"),
            "unit": e.unit,
            "note": e.note,
            "reason": e.reason,
            "data": dict(e.data) if e.data else None,
            "text": describe(e, lang, config),
        }
        for e in status.steps
    ]


def problem_show(
    console: Console,
    line: ProblemLine,
    resolve_due: date | None,
    resolve_wd: int,
    config: Config,
    lang: Lang,
) -> None:
    from rich import box
    from rich.table import Table

    st, card = line.status, line.card
    console.print(
        text(
            t("problem.show_title", lang, number=st.number, state=t(f"pstate.{st.state}", lang)),
            "bold",
        )
    )
    fields: list[tuple[str, Text]] = [
        ("problem.field.text", text(st.text, multiline=True)),
        ("problem.field.reporter", text(unit_name(config, st.reporter))),
        ("problem.field.reported_on", Text(st.reported_on.isoformat())),
    ]
    if st.task:
        fields.append(("problem.field.task", text(st.task)))
    if st.unit:
        fields.append(("problem.field.unit", text(unit_name(config, st.unit))))
    if card is not None:
        due = Text(card.due.isoformat())
        due.append(f" · {t(f'pstage.{st.state}', lang)}")
        if st.hard and st.state == "answered":
            due.append(t("problem.hard", lang, wd=resolve_wd))
        fields.append(("problem.field.due", due))
        if resolve_due is not None and resolve_due != card.due:
            rd = Text(resolve_due.isoformat())
            if st.hard:
                rd.append(t("problem.hard", lang, wd=resolve_wd))
            fields.append(("problem.field.resolve_due", rd))
        if card.card.level:
            sep = "；" if lang == "zh" else "; "
            why = sep.join(m.render(lang) for m in card.card.reasons)
            cell = Text(t(f"level.{card.card.level}", lang), style=LEVEL_STYLES[card.card.level])
            cell.append(f" {why}")
            fields.append(("problem.field.card", cell))
    fields.append(("problem.field.age", Text(t("problem.wd", lang, wd=line.age_wd))))
    if st.answer:
        fields.append(("problem.field.answer", text(st.answer, multiline=True)))
    if st.satisfied is not None:
        key = "problem.satisfied.yes" if st.satisfied else "problem.satisfied.no"
        fields.append(("problem.field.satisfied", Text(t(key, lang))))
    if st.state == "rejected" and st.reason:
        fields.append(("problem.field.reason", text(st.reason)))
    elif st.reopened:
        fields.append(
            (
                "problem.field.reopened",
                text(t("problem.reopened", lang, n=st.reopened, reason=st.reason or "—")),
            )
        )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for key, value in fields:
        grid.add_row(Text(t(key, lang)), value)
    console.print(grid)
    steps = Table(
        title=t("problem.steps", lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    steps.add_column(t("col.date", lang), no_wrap=True)
    steps.add_column(t("col.by", lang), overflow="ellipsis", no_wrap=True, max_width=8)
    steps.add_column(
        t("pcol.step", lang), overflow="fold", min_width=fixed(t("pcol.step", lang), 12)
    )
    for e in st.steps:
        steps.add_row(
            Text(e.at.isoformat()),
            text(unit_name(config, e.unit) if e.unit else ""),
            text(describe(e, lang, config) or ""),
        )
    console.print(steps)


def problem_message(event: Event, lang: Lang, next_due: tuple[str, date] | None) -> str:
    """What a ``problem`` step prints once recorded."""
    data = event.data or {}
    line = t(
        "problem.stepped",
        lang,
        number=event.task,
        old=_label("pstate", data.get("from"), lang),
        new=_label("pstate", data.get("to"), lang),
    )
    if next_due is not None:
        stage, due = next_due
        sep = "；" if lang == "zh" else "; "
        line += sep + t("problem.next_due", lang, stage=Msg(f"pstage.{stage}"), due=due.isoformat())
    return line
