"""Words of the task lifecycle and 问题提报, and the pieces other screens borrow: a state
cell, an event's words for ``history``, the problem table and one problem's JSON, and an
"open problems" section for ``status``, ``overdue`` and the bulletin. The ``problem``
group's own screens are in :mod:`gaoxin_cli.render.problems`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Event
from gaoxin_cli.render.console import (
    LEVEL_STYLES,
    card_width,
    fixed,
    level_text,
    text,
)
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.problem_cards import ProblemCard, ProblemLine
from gaoxin_cli.rules.problems import ProblemStatus

if TYPE_CHECKING:  # rich.table is imported where a table is drawn (~5 ms of start-up)
    from rich.console import Console, JustifyMethod
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
    line = t(
        f"lifecycle.done.{action}",
        lang,
        task=event.task,
        old=state_label(str(data.get("from")), lang),
        new=state_label(str(data.get("to")), lang),
        reason=event.reason or "",
    )
    return safe(line)


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
                old=state_word("lstate", data.get("from"), lang),
                new=state_word("lstate", data.get("to"), lang),
            )
        ]
        by = data.get("by")
        if isinstance(by, str) and by:
            name = config.leader_name(by) if config is not None else by
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
                old=state_word("pstate", data.get("from"), lang),
                new=state_word("pstate", data.get("to"), lang),
            )
        unit = data.get("unit")
        if action == "assign" and isinstance(unit, str):
            parts.append(config.unit_name(unit, short=True) if config is not None else unit)
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


def state_word(prefix: str, value: object, lang: Lang) -> str:
    """A state by its catalogue *prefix* (``lstate`` / ``pstate``); as is when unknown."""
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


def problem_table(lines: Sequence[ProblemLine], config: Config, lang: Lang) -> Table:
    """Problems as table rows: card, number, state, age, due, late, whose move, text."""
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
                text(config.unit_name(whose, short=True) if card is not None else ""),
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
    console.print(problem_table(shown, config, lang))
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
