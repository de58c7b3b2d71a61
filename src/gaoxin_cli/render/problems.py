"""The ``problem`` group's own screens: the line a report or a step prints, ``problem
list`` and ``problem show`` with their JSON. The pieces other screens borrow (the problem
table, the open-problems section, one problem's JSON, an event's words) are in
:mod:`gaoxin_cli.render.lifecycle`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models import Config
from gaoxin_cli.render.console import LEVEL_STYLES, fixed, text
from gaoxin_cli.render.lifecycle import (
    describe,
    problem_json,
    problem_table,
    state_word,
)
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.problems import ProblemStatus
from gaoxin_cli.service.problems import ProblemDetail, ProblemList, Reported, Stepped

if TYPE_CHECKING:
    from rich.console import Console


def reported(done: Reported, lang: Lang) -> str:
    """What ``problem report`` prints: the number and when to accept it by."""
    row = done.row
    return safe(
        t(
            "problem.reported",
            lang,
            number=row.number,
            short=f"{row.year}-{row.seq}",
            due=done.accept_due.isoformat(),
        )
    )


def stepped(done: Stepped, lang: Lang) -> str:
    """What a ``problem`` step prints once recorded: the move and the next deadline."""
    event, next_due = done
    data = event.data or {}
    line = t(
        "problem.stepped",
        lang,
        number=event.task,
        old=state_word("pstate", data.get("from"), lang),
        new=state_word("pstate", data.get("to"), lang),
    )
    if next_due is not None:
        sep = "；" if lang == "zh" else "; "
        line += sep + t(
            "problem.next_due",
            lang,
            stage=Msg(f"pstage.{next_due.stage}"),
            due=next_due.due.isoformat(),
        )
    return safe(line)


def problem_list(console: Console, found: ProblemList, config: Config, lang: Lang) -> None:
    """``problem list``: a title with the open and late counts, then the table."""
    title = t(
        "problem.list_title", lang, date=found.today.isoformat(), open=found.open, late=found.late
    )
    console.print(text(title, "bold"))
    if not found.lines:
        console.print(text(t("problem.none", lang)))
        return
    console.print(problem_table(found.lines, config, lang))


def problem_list_json(found: ProblemList, lang: Lang) -> dict[str, Any]:
    return {
        "as_of": found.today.isoformat(),
        "open": found.open,
        "late": found.late,
        "problems": [problem_json(ln, lang) for ln in found.lines],
    }


def problem_show_json(detail: ProblemDetail, config: Config, lang: Lang) -> dict[str, Any]:
    """One problem (the keys of ``problem list --json``) and its ``steps``."""
    doc = problem_json(detail.line, lang)
    doc["steps"] = steps_json(detail.line.status, lang, config)
    return doc


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


def problem_show(console: Console, detail: ProblemDetail, config: Config, lang: Lang) -> None:
    """``problem show``: every field, then every step."""
    from rich import box
    from rich.table import Table

    line, resolve_due, resolve_wd = detail
    st, card = line.status, line.card
    console.print(
        text(
            t("problem.show_title", lang, number=st.number, state=t(f"pstate.{st.state}", lang)),
            "bold",
        )
    )
    fields: list[tuple[str, Text]] = [
        ("problem.field.text", text(st.text, multiline=True)),
        ("problem.field.reporter", text(config.unit_name(st.reporter, short=True))),
        ("problem.field.reported_on", Text(st.reported_on.isoformat())),
    ]
    if st.task:
        fields.append(("problem.field.task", text(st.task)))
    if st.unit:
        fields.append(("problem.field.unit", text(config.unit_name(st.unit, short=True))))
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
            text(config.unit_name(e.unit, short=True) if e.unit else ""),
            text(describe(e, lang, config) or ""),
        )
    console.print(steps)
