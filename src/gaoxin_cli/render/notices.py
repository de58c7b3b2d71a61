"""The formal notices (三单): ``notice show`` (the sheet for print and filing), ``notice
list`` (the register), their JSON (stable keys: added, never renamed), and how ``history``
words an extension event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from gaoxin_cli.i18n import Lang, has, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.notice import Delivery, StoredNotice
from gaoxin_cli.models.state import Event
from gaoxin_cli.render.console import styled, text
from gaoxin_cli.render.grid import Cell, cell, grid
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.notice_record import stored_reasons

if TYPE_CHECKING:
    from rich.console import Console

    from gaoxin_cli.rules.signing import Waiting
    from gaoxin_cli.service.escalation import Register, Signed


# --- the formal notice (单) ------------------------------------------------------------


def _person(config: Config, p: Mapping[str, Any], lang: Lang) -> str:
    role = str(p.get("role") or "")
    label = t(f"notice.role.{role}", lang) if has(f"notice.role.{role}") else role
    return t("notice.person", lang, name=str(p.get("name") or ""), role=label)


def _grouped(config: Config, people: Sequence[Mapping[str, Any]], lang: Lang) -> str:
    """建设局 赵联络（联络员）、王局长（主要负责人）；王主任（责任领导）: a formal notice
    addresses units by their full name, never the short one of the tables."""
    groups: dict[str, list[str]] = {}
    for p in people:
        unit = p.get("unit")
        key = config.unit_name(unit) if unit else ""
        groups.setdefault(key, []).append(_person(config, p, lang))
    sep, gsep = ("、", "；") if lang == "zh" else (", ", "; ")
    return gsep.join((f"{k} " if k else "") + sep.join(v) for k, v in groups.items())


_TO_ROLES = ("contact", "support", "head")


def sheet_lines(
    notice: StoredNotice,
    sent: Sequence[Delivery],
    config: Config,
    lang: Lang,
    waiting_wd: int | None = None,
) -> list[tuple[str, str]]:
    """The notice as ``(line, align)`` pairs: align is "center", "right" or "". Its 签收
    ends it when *waiting_wd* (how long an unsigned notice has waited) is given."""
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
        (
            t(
                "notice.lead",
                lang,
                lead=config.unit_name(body.get("lead") or notice.unit),
            ),
            "",
        )
    )
    support = [config.unit_name(u) for u in body.get("support") or []]
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
        out.append((t("notice.leader", lang, name=config.leader_name(body["leader"])), ""))
    if body.get("listed_by"):
        out.append((t("notice.listed", lang, name=config.leader_name(body["listed_by"])), ""))
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
    if notice.signed_on is not None:
        unit = config.unit_name(notice.unit or "")
        out.append((t("notice.signed_on", lang, unit=unit, date=notice.signed_on.isoformat()), ""))
    elif waiting_wd is not None:
        out.append((t("notice.unsigned", lang, wd=waiting_wd), ""))
    return out


def notice_sheet(
    console: Console,
    notice: StoredNotice,
    sent: Sequence[Delivery],
    config: Config,
    lang: Lang,
    waiting_wd: int | None = None,
) -> None:
    """The sheet for print and filing: long lines are left whole (the terminal or the
    printer wraps them), titles centred and the issuer set right by hand."""
    from rich.cells import cell_len
    from rich.text import Text

    width = console.width
    for line, align in sheet_lines(notice, sent, config, lang, waiting_wd):
        pad = max(0, width - cell_len(line))
        if align == "center":
            console.print(Text(" " * (pad // 2)) + text(line, "bold"), soft_wrap=True)
        elif align == "right":
            console.print(Text(" " * pad) + text(line), soft_wrap=True)
        else:
            console.print(text(line), soft_wrap=True)


def notice_json(
    notice: StoredNotice, sent: Sequence[Delivery], waiting_wd: int | None = None
) -> dict[str, Any]:
    """One notice with stable keys; ``signed`` / ``signed_on`` (签收 as of the day asked
    about) and, when unsigned, ``waiting_wd`` (working days since it was filed)."""
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
        "signed": notice.signed_on is not None,
        "signed_on": notice.signed_on.isoformat() if notice.signed_on else None,
        "waiting_wd": None if notice.signed_on else waiting_wd,
    }


def register_json(register: Register, today: date) -> dict[str, Any]:
    sent, waits = register.deliveries, register.waiting
    return {
        "as_of": today.isoformat(),
        "notices": [
            notice_json(n, sent.get(n.id or -1, []), waits.get(n.id or 0)) for n in register.notices
        ],
    }


def notice_list(
    console: Console, register: Register, config: Config, lang: Lang, today: date | None = None
) -> None:
    notices, sent = register.notices, register.deliveries
    if not notices:
        console.print(text(t("notice.list_none", lang)))
        return
    cells = []
    for n in notices:
        mailable = {str(p.get("email")).lower() for p in n.recipients if p.get("email")}
        got = {d.recipient for d in sent.get(n.id or -1, ())}
        cells.append(
            [
                cell(n.number),
                (n.issued_on.isoformat(), ""),
                cell(n.subject),
                cell(n.body.get("title") or ""),
                cell(config.unit_name(n.unit or "", short=True)),
                (n.response_due.isoformat() if n.response_due else "", ""),
                (f"{len(got & mailable)}/{len(n.recipients)}", ""),
                _signed_cell(n, register.waiting.get(n.id or 0, 0), lang, today),
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
        (t("sign.col.signed", lang), "left", 0),
    ]
    title = t("notice.list_title", lang, n=len(notices))
    grid(console, columns, cells, flex=3, title=title)


def _signed_cell(n: StoredNotice, waited: int, lang: Lang, today: date | None) -> Cell:
    """签收 in a listing: the day (MM-DD), else 未签 and the working days waited, in
    yellow once the reply deadline has passed."""
    if n.signed_on is not None:
        return n.signed_on.strftime("%m-%d"), ""
    late = n.response_due is not None and today is not None and n.response_due < today
    return t("sign.unsigned_cell", lang, wd=waited), "yellow" if late else ""


# --- 签收: notice sign, and the unsigned notices of status and overdue ------------------


def sign_text(done: Signed, config: Config, lang: Lang) -> str:
    n, outcome = done.notice, done.outcome
    unit = config.unit_name(n.unit or "")
    if outcome.row is not None and outcome.row.action == "withdraw":
        reason = outcome.row.reason or ""
        return safe(t("sign.withdrawn", lang, number=n.number, reason=reason, wd=done.waiting_wd))
    if outcome.already:
        if outcome.signed_on is None:
            return safe(t("sign.not_signed", lang, number=n.number))
        return safe(t("sign.already", lang, number=n.number, at=outcome.signed_on.isoformat()))
    at = outcome.signed_on.isoformat() if outcome.signed_on else ""
    return safe(t("sign.done", lang, number=n.number, unit=unit, at=at))


def sign_json(done: Signed, today: date) -> dict[str, Any]:
    n, row = done.notice, done.outcome.row
    return {
        "as_of": today.isoformat(),
        "number": n.number,
        "task": n.subject,
        "unit": n.unit,
        "action": row.action if row is not None else None,  # what was recorded (None: nothing)
        "already": done.outcome.already,
        "signed": n.signed_on is not None,
        "signed_on": n.signed_on.isoformat() if n.signed_on else None,
        "waiting_wd": None if n.signed_on else done.waiting_wd,
        "reason": row.reason if row is not None else None,
    }


def unsigned_section(
    console: Console, waits: Sequence[Waiting], config: Config, lang: Lang, limit: int = 10
) -> None:
    """The notices waiting for their 签收, longest first, under a one-line summary (for
    ``status`` and ``overdue``). Prints nothing when every notice is signed."""
    if not waits:
        return
    late = sum(1 for w in waits if w.late)
    console.print()
    title = t("sign.section", lang, n=len(waits), late=late)
    shown = waits if limit <= 0 else waits[:limit]
    cells = [
        [
            cell(w.notice.number),
            cell(w.notice.subject),
            cell(config.unit_name(w.notice.unit or "", short=True)),
            (w.notice.issued_on.isoformat(), ""),
            (w.notice.response_due.isoformat() if w.notice.response_due else "", ""),
            (
                t("sign.waited", lang, wd=w.waited_wd) + (t("sign.late", lang) if w.late else ""),
                "yellow" if w.late else "",
            ),
        ]
        for w in shown
    ]
    columns = [
        (t("notice.col.number", lang), "left", 0),
        (t("col.task", lang), "left", 0),
        (t("col.lead", lang), "left", 8),
        (t("notice.col.issued", lang), "left", 0),
        (t("notice.col.response_due", lang), "left", 0),
        (t("sign.col.waited", lang), "left", 0),
    ]
    grid(console, columns, cells, flex=1, title=title)
    if len(shown) < len(waits):
        console.print(styled(t("sign.section_more", lang, n=len(waits) - len(shown)), "dim"))


def unsigned_json(waits: Sequence[Waiting]) -> list[dict[str, Any]]:
    return [
        {
            "number": w.notice.number,
            "kind": w.notice.kind,
            "task": w.notice.subject,
            "unit": w.notice.unit,
            "issued_on": w.notice.issued_on.isoformat(),
            "response_due": (w.notice.response_due.isoformat() if w.notice.response_due else None),
            "waiting_wd": w.waited_wd,
            "late": w.late,
        }
        for w in waits
    ]


# --- history --------------------------------------------------------------------------


def describe_extension(event: Event, lang: Lang, config: Config | None = None) -> str:
    """What an ``extension`` event says, for ``gaoxin history`` (render/daily.describe):
    the deciding leader by name when *config* is given."""
    data = event.data or {}
    action = str(data.get("action") or "")
    if action not in ("request", "approve", "reject", "withdraw"):
        return safe(event.reason or "")
    key = f"extend.event.{action}"
    if action == "request" and data.get("late"):
        key = "extend.event.request_late"
    by = str(data.get("by") or "")
    if config is not None:
        by = config.leader_name(by)
    params = {"to": data.get("to") or "", "by": by, "reason": event.reason or ""}
    return safe(t(key, lang, **params))
