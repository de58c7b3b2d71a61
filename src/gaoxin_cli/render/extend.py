"""``gaoxin extend``: what was done (one line), a task's extension history, and the JSON
of both (stable keys: added, never renamed)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from gaoxin_cli.models import Config
    from gaoxin_cli.rules.extensions import Extensions
    from gaoxin_cli.service.escalation import Extended


def extension_json(result: Extended) -> dict[str, Any]:
    """The task's extensions after the command (as they stand when only shown)."""
    return _json(result.task.id, result.task.due, result.after)


def _json(task: str, planned: date, ext: Extensions) -> dict[str, Any]:
    return {
        "task": task,
        "planned_due": planned.isoformat(),
        "due": ext.due.isoformat(),
        "pending": None
        if ext.pending is None
        else {
            "at": ext.pending.at.isoformat(),
            "to": (ext.pending.data or {}).get("to"),
            "reason": ext.pending.reason,
        },
        "events": [
            {
                "at": e.at.isoformat(),
                "action": (e.data or {}).get("action"),
                "to": (e.data or {}).get("to"),
                "by": (e.data or {}).get("by"),
                "late": bool((e.data or {}).get("late")),
                "replaces": (e.data or {}).get("replaces"),
                "reason": e.reason,
            }
            for e in ext.events
        ],
    }


def extension_text(result: Extended, config: Config, lang: Lang) -> str:
    """The line saying what was recorded, or (nothing asked) the history; safe text."""
    if result.events:
        return safe(_done(result, config, lang))
    return "\n".join(safe(x) for x in _history(result, config, lang))


def _done(result: Extended, config: Config, lang: Lang) -> str:
    task, found, after = result.request.task, result.task, result.after
    data = result.events[-1].data or {}
    who = _leader(config, result.request.by)
    if data.get("action") == "withdraw":
        return t(
            "extend.withdrawn",
            lang,
            task=task,
            to=data.get("to"),
            by=who,
            due=after.due.isoformat(),
        )
    if data.get("replaces"):
        return t(
            "extend.replaced",
            lang,
            task=task,
            old=data.get("replaces"),
            to=data.get("to"),
            by=who,
            planned=found.due.isoformat(),
        )
    if data.get("action") == "approve":
        return t(
            "extend.approved",
            lang,
            task=task,
            to=data.get("to"),
            by=who,
            planned=found.due.isoformat(),
        )
    if data.get("action") == "reject":
        return t("extend.rejected", lang, task=task, by=who)
    return t(
        "extend.requested",
        lang,
        task=task,
        due=result.before.due.isoformat(),
        to=data.get("to"),
    )


def _history(result: Extended, config: Config, lang: Lang) -> list[str]:
    found, ext = result.task, result.after
    lines = [
        t(
            "extend.show",
            lang,
            task=found.id,
            title=found.title,
            planned=found.due.isoformat(),
            due=ext.due.isoformat(),
        )
    ]
    if not ext.events:
        lines.append(t("extend.none", lang))
    for e in ext.events:
        d = e.data or {}
        action = str(d.get("action"))
        key = f"extend.line.{action}"
        if action == "request" and d.get("late"):
            key = "extend.line.request_late"
        if action == "approve" and d.get("replaces"):
            key = "extend.line.replace"
        if action not in ("request", "approve", "reject", "withdraw"):
            continue
        lines.append(
            "  "
            + t(
                key,
                lang,
                at=e.at.isoformat(),
                to=d.get("to"),
                by=_leader(config, d.get("by")),
                reason=e.reason or "",
                old=d.get("replaces") or "",
            )
        )
    if ext.pending is not None:
        p = ext.pending
        lines.append(
            t(
                "extend.pending",
                lang,
                at=p.at.isoformat(),
                to=(p.data or {}).get("to"),
                reason=p.reason or "",
            )
        )
    return lines


def _leader(config: Config, leader: object) -> str:
    p = config.leaders.get(str(leader)) if leader else None
    return str(p.name if p else (leader or ""))
