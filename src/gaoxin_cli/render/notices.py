"""Screens of the escalation ladder: ``overdue``, ``notice show`` (the formal 单),
``notice list``, ``listed``, and their JSON (stable keys: added, never renamed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.text import Text

from gaoxin_cli.i18n import Lang, has, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.state import Event, Level
from gaoxin_cli.render.console import LEVEL_STYLES, estimate_note, leader_name, text, unit_name
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.ladder import KINDS, ListedRow, OverdueRow, Standing, stored_reasons
from gaoxin_cli.store.notices import Delivery, StoredNotice

Cell = tuple[str, str]  # (text, style): text already made safe


def _c(value: object, style: str = "") -> Cell:
    return safe(value), style


def _level(level: int, lang: Lang) -> Cell:
    return (t(f"levelshort.{level}", lang) if level else ""), LEVEL_STYLES[level]


def _fit(value: str, width: int) -> str:
    """*value* cut to *width* cells with "…" (a double-width character that would
    straddle the edge becomes a space, as Rich does)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(value) <= width:
        return value
    return set_cell_size(value, width - 1) + "…"


def _grid(
    console: Console,
    columns: Sequence[tuple[str, str, int]],
    rows: Sequence[Sequence[Cell]],
    flex: int,
    title: str | None = None,
) -> None:
    """Print a table that fits the console: every column as wide as its widest cell (up
    to its cap, 0 = none), the *flex* column (the title) gets what is left, long cells
    cut with "…". *columns* are ``(header, justify, cap)``; cells ``(text, style)`` with
    the text already made safe.

    Drawn by hand rather than with ``rich.table.Table``: a listing can run to thousands
    of rows (every late task of a big plan), where Table's measuring and wrapping took
    seconds; the layout is that of the other screens (header, a rule, rows). Styled on a
    colour terminal; else (a pipe, cron mail, NO_COLOR) written straight through as
    plain text. A listing repeats itself (dates, units, rungs): each distinct text of a
    column is measured and cut once."""
    from rich.cells import cell_len

    header = [(name, "bold") for name, _, _ in columns]
    texts = [[name, *(r[i][0] for r in rows)] for i, (name, _, _) in enumerate(columns)]
    sizes = [{v: cell_len(v) for v in set(col)} for col in texts]
    widths = []
    for (_, _, cap), size in zip(columns, sizes, strict=True):
        w = max(size.values())
        widths.append(min(w, cap) if cap else w)
    used = sum(w for i, w in enumerate(widths) if i != flex) + 3 * (len(columns) - 1)
    widths[flex] = max(4, min(widths[flex], console.width - used))
    last = len(columns) - 1
    # per column: text → (the text as shown, the padding that follows or precedes it)
    shown: list[dict[str, tuple[str, str]]] = []
    for size, width in zip(sizes, widths, strict=True):
        cut = {}
        for value, n in size.items():
            fitted = _fit(value, width) if n > width else value
            cut[value] = fitted, " " * (width - (n if n <= width else cell_len(fitted)))
        shown.append(cut)
    rule = "─" * min(console.width, sum(widths) + 3 * last)
    if console.color_system is None:
        plain = []
        for i, ((_, justify, _), cut) in enumerate(zip(columns, shown, strict=True)):
            if justify == "right":
                cells = {v: pad + fitted for v, (fitted, pad) in cut.items()}
            elif i < last:
                cells = {v: fitted + pad for v, (fitted, pad) in cut.items()}
            else:
                cells = {v: fitted for v, (fitted, _) in cut.items()}
            plain.append(list(map(cells.__getitem__, texts[i])))
        lines = list(map("   ".join, zip(*plain, strict=True)))
        head = [title] if title else []
        console.file.write("\n".join([*head, lines[0], rule, *lines[1:]]) + "\n")
        console.file.flush()
        return
    out: list[Cell] = []
    add = out.append

    def line(cells: Sequence[Cell]) -> None:
        for i, ((_, justify, _), (value, style), cut) in enumerate(
            zip(columns, cells, shown, strict=True)
        ):
            value, pad = cut[value]
            if i:
                add(("   ", ""))
            if justify == "right":
                add((pad, ""))
                add((value, style))
            else:
                add((value, style))
                if i < last:
                    add((pad, ""))

    if title:
        add((title + "\n", "italic"))
    line(header)
    add(("\n" + rule, ""))
    for r in rows:
        add(("\n", ""))
        line(r)
    console.print(Text.assemble(*out), soft_wrap=True)


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


def overdue(
    console: Console,
    rows: Sequence[OverdueRow],
    config: Config,
    lang: Lang,
    today: date,
    estimated: Sequence[int] = (),
) -> None:
    weekday = t(f"weekday.{today.weekday()}", lang)
    console.print(text(t("overdue.title", lang, date=today.isoformat(), weekday=weekday), "bold"))
    if estimated:
        estimate_note(console, list(estimated), lang)
    if not rows:
        console.print(text(t("overdue.none", lang)))
        return
    counts = [0] * 5
    for r in rows:
        counts[r.standing.assessment.card.level] += 1
    line = Text(t("overdue.counts", lang, total=len(rows)))
    parts = [
        Text(f"{t(f'level.{lv}', lang)} {counts[lv]}", style=LEVEL_STYLES[lv])
        for lv in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE)
        if counts[lv] or lv != Level.ACCOUNTABILITY
    ]
    today_n = sum(1 for r in rows if r.next is not None and r.next[1] == today)
    parts.append(Text(t("overdue.issue_today", lang, n=today_n)))
    line.append_text(Text(" · ").join(parts))
    console.print(line)
    # Thousands of rows, a few hundred distinct dates and counts: each worded once.
    lates: dict[tuple[int, int | None], Cell] = {}
    nexts: dict[tuple[int, date] | None, Cell] = {}
    dues: dict[tuple[date, bool], str] = {}
    leads: dict[str, Cell] = {}
    levels = [_level(level, lang) for level in range(5)]
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
            lead = leads[task.lead] = _c(unit_name(config, task.lead))
        cells.append(
            [
                levels[a.card.level],
                _c(task.id),
                _c(task.title),
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
    _grid(console, columns, cells, flex=2)


def _late(overdue_wd: int, left_wd: int | None, lang: Lang) -> Cell:
    """Working days late, or left."""
    if overdue_wd > 0:
        return str(overdue_wd), "bold"
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


def overdue_json(rows: Sequence[OverdueRow], lang: Lang, today: date) -> dict[str, Any]:
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


# --- the formal notice (单) ------------------------------------------------------------


def _person(config: Config, p: Mapping[str, Any], lang: Lang) -> str:
    role = str(p.get("role") or "")
    label = t(f"notice.role.{role}", lang) if has(f"notice.role.{role}") else role
    return t("notice.person", lang, name=str(p.get("name") or ""), role=label)


def _grouped(config: Config, people: Sequence[Mapping[str, Any]], lang: Lang) -> str:
    """建设局 赵联络（联络员）、王局长（主要负责人）；王主任（责任领导）."""
    groups: dict[str, list[str]] = {}
    for p in people:
        unit = p.get("unit")
        key = unit_name(config, str(unit)) if unit else ""
        groups.setdefault(key, []).append(_person(config, p, lang))
    sep, gsep = ("、", "；") if lang == "zh" else (", ", "; ")
    return gsep.join((f"{k} " if k else "") + sep.join(v) for k, v in groups.items())


_TO_ROLES = ("contact", "support", "head")


def sheet_lines(
    notice: StoredNotice, sent: Sequence[Delivery], config: Config, lang: Lang
) -> list[tuple[str, str]]:
    """The notice as ``(line, align)`` pairs: align is "center", "right" or ""."""
    body = notice.body
    kind = (
        t(f"notice.kind.{notice.kind}", lang) if has(f"notice.kind.{notice.kind}") else notice.kind
    )
    office = config.units.get(config.org.office)
    office_name = office.name if office else config.org.office
    out: list[tuple[str, str]] = [
        (t("notice.sheet_title", lang, org=config.org.name, kind=kind), "center"),
        (notice.number, "center"),
        ("", ""),
    ]
    to = [p for p in notice.recipients if p.get("role") in _TO_ROLES]
    cc = [p for p in notice.recipients if p.get("role") not in _TO_ROLES]
    if to:
        out.append((t("notice.to", lang, who=_grouped(config, to, lang)), ""))
    if cc:
        out.append((t("notice.cc", lang, who=_grouped(config, cc, lang)), ""))
    out.append(("", ""))
    out.append(
        (
            t(
                "notice.subject",
                lang,
                task=body.get("task") or notice.subject,
                title=body.get("title") or "",
            ),
            "",
        )
    )
    out.append(
        (t("notice.lead", lang, lead=unit_name(config, str(body.get("lead") or notice.unit))), "")
    )
    support = [unit_name(config, str(u)) for u in body.get("support") or []]
    if support:
        out.append(
            (
                t(
                    "notice.support",
                    lang,
                    units="、".join(support) if lang == "zh" else ", ".join(support),
                ),
                "",
            )
        )
    if body.get("leader"):
        out.append((t("notice.leader", lang, name=leader_name(config, str(body["leader"]))), ""))
    if body.get("listed_by"):
        out.append((t("notice.listed", lang, name=leader_name(config, str(body["listed_by"]))), ""))
    due, planned = str(body.get("due") or ""), str(body.get("planned_due") or "")
    if planned and due != planned:
        out.append((t("notice.due_extended", lang, due=due, planned=planned), ""))
    elif due:
        out.append((t("notice.due", lang, due=due), ""))
    level = int(body.get("card") or 0)
    why = []
    for m in stored_reasons(body):
        try:
            why.append(m.render(lang) if has(m.key) else m.key)
        except (KeyError, IndexError, ValueError):
            why.append(m.key)
    if level:
        joined = "；".join(why) if lang == "zh" else "; ".join(why)
        out.append(
            (t("notice.state", lang, card=t(f"level.{min(level, 4)}", lang), why=joined), "")
        )
    else:
        out.append(
            (t("notice.state_none", lang, progress=f"{float(body.get('progress') or 0):g}"), "")
        )
    measures = [str(m) for m in body.get("measures") or []]
    if measures:
        out.append(
            (
                t(
                    "notice.measures",
                    lang,
                    measures="；".join(measures) if lang == "zh" else "; ".join(measures),
                ),
                "",
            )
        )
    if notice.response_due is not None and has(f"notice.require.{notice.kind}"):
        out.append(
            (
                t(
                    f"notice.require.{notice.kind}",
                    lang,
                    date=notice.response_due.isoformat(),
                    office=office_name,
                ),
                "",
            )
        )
    out += [("", ""), (t("notice.issuer", lang, org=config.org.name, office=office_name), "right")]
    out.append((notice.issued_on.isoformat(), "right"))
    out += [("", ""), (t("notice.deliveries", lang), "")]
    got = {d.recipient for d in sent}
    for d in sent:
        if d.message_id and d.message_id.startswith("outbox:"):
            out.append(
                (
                    t(
                        "notice.delivered_outbox",
                        lang,
                        date=d.sent_on.isoformat(),
                        email=d.recipient,
                        file=d.message_id[7:],
                    ),
                    "",
                )
            )
        else:
            out.append(
                (t("notice.delivered", lang, date=d.sent_on.isoformat(), email=d.recipient), "")
            )
    for p in notice.recipients:
        email = str(p.get("email") or "").lower()
        if not email:
            out.append((t("notice.no_email", lang, who=_person(config, p, lang)), ""))
        elif email not in got:
            out.append(
                (t("notice.not_delivered", lang, who=f"{_person(config, p, lang)} {email}"), "")
            )
    return out


def notice_sheet(
    console: Console, notice: StoredNotice, sent: Sequence[Delivery], config: Config, lang: Lang
) -> None:
    """The sheet for print and filing: long lines are left whole (the terminal or the
    printer wraps them), titles centred and the issuer set right by hand."""
    from rich.cells import cell_len

    width = console.width
    for line, align in sheet_lines(notice, sent, config, lang):
        pad = max(0, width - cell_len(line))
        if align == "center":
            console.print(Text(" " * (pad // 2)) + text(line, "bold"), soft_wrap=True)
        elif align == "right":
            console.print(Text(" " * pad) + text(line), soft_wrap=True)
        else:
            console.print(text(line), soft_wrap=True)


def notice_json(notice: StoredNotice, sent: Sequence[Delivery]) -> dict[str, Any]:
    return {
        "number": notice.number,
        "kind": notice.kind,
        "year": notice.year,
        "seq": notice.seq,
        "task": notice.subject,
        "rung": notice.rung,
        "issued_on": notice.issued_on.isoformat(),
        "response_due": notice.response_due.isoformat() if notice.response_due else None,
        "unit": notice.unit,
        "recipients": [dict(p) for p in notice.recipients],
        "body": notice.body,
        "deliveries": [
            {
                "recipient": d.recipient,
                "sent_on": d.sent_on.isoformat(),
                "sent_at": d.sent_at,
                "message_id": d.message_id,
            }
            for d in sent
        ],
    }


def notice_list(
    console: Console,
    notices: Sequence[StoredNotice],
    sent: Mapping[int, Sequence[Delivery]],
    config: Config,
    lang: Lang,
) -> None:
    if not notices:
        console.print(text(t("notice.list_none", lang)))
        return
    cells = []
    for n in notices:
        mailable = {str(p.get("email")).lower() for p in n.recipients if p.get("email")}
        got = {d.recipient for d in sent.get(n.id or -1, ())}
        cells.append(
            [
                _c(n.number),
                (n.issued_on.isoformat(), ""),
                _c(n.subject),
                _c(n.body.get("title") or ""),
                _c(unit_name(config, n.unit or "")),
                (n.response_due.isoformat() if n.response_due else "", ""),
                (f"{len(got & mailable)}/{len(n.recipients)}", ""),
            ]
        )
    columns = [
        (t("notice.col.number", lang), "left", 0),
        (t("notice.col.issued", lang), "left", 0),
        (t("col.task", lang), "left", 0),
        (t("col.title", lang), "left", 0),
        (t("col.lead", lang), "left", 8),
        (t("notice.col.response_due", lang), "left", 0),
        (t("notice.col.sent", lang), "right", 0),
    ]
    title = t("notice.list_title", lang, n=len(notices))
    _grid(console, columns, cells, flex=3, title=title)


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
                _c(s.task.id),
                _c(s.task.title),
                _c(unit_name(config, s.task.lead)),
                _c(leader_name(config, r.by)),
                (_day(r.since, today), ""),
                (str(r.days), ""),
                _level(s.assessment.card.level, lang),
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
    _grid(console, columns, cells, flex=1)


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
                "supervisor_name": leader_name(config, r.by) if r.by else None,
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


# --- history --------------------------------------------------------------------------


def describe_extension(event: Event, lang: Lang) -> str:
    """What an ``extension`` event says, for ``gaoxin history`` (render/daily.describe)."""
    data = event.data or {}
    action = str(data.get("action") or "")
    if action not in ("request", "approve", "reject", "withdraw"):
        return safe(event.reason or "")
    key = f"extend.event.{action}"
    if action == "request" and data.get("late"):
        key = "extend.event.request_late"
    params = {"to": data.get("to") or "", "by": data.get("by") or "", "reason": event.reason or ""}
    return safe(t(key, lang, **params))
