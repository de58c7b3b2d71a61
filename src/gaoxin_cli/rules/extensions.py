"""延期 (extensions): what a request, an approval or a refusal may say. Pure.

Rules (research/domain.md §3.1 rule 4, §1 延期): a unit requests an extension **before**
the due date, with a reason and a new date; a leader approves it (``--approve --by``) or
refuses it (``--reject``). The approved date drives the cards and the ladder; the plan's
date stays what scoring counts. After the due date a request is refused, unless a leader
grants it there and then as late (``--approve --by L --late``).

Extensions are ``extension`` events (models/state.py):
``data = {"action": "request" | "approve" | "reject", "to": "YYYY-MM-DD", "by": leader or
None, "late": bool}`` and ``reason``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan, Task
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.rules.feedback import check_text
from gaoxin_cli.strings import did_you_mean


class Extensions(NamedTuple):
    """A task's extension history as of a day."""

    due: date  # the latest approved date, else the plan's
    pending: Event | None  # a request not yet approved or refused
    events: tuple[Event, ...]

    @property
    def extended(self) -> bool:
        return any(_action(e) == "approve" for e in self.events)


def _action(e: Event) -> str:
    return str((e.data or {}).get("action", ""))


def _to(e: Event) -> date | None:
    raw = (e.data or {}).get("to")
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def summarize(task: Task, events: Iterable[Event]) -> Extensions:
    """Fold a task's ``extension`` events (in ``(at, id)`` order)."""
    due = task.due
    pending: Event | None = None
    kept = []
    for e in events:
        if e.kind != "extension":
            continue
        kept.append(e)
        action = _action(e)
        if action == "request":
            pending = e
        elif action == "approve":
            to = _to(e)
            if to is not None:
                due = to
            pending = None
        elif action == "reject":
            pending = None
    return Extensions(due, pending, tuple(kept))


def check_leader(plan: Plan, leader: str) -> None:
    leaders = plan.config.leaders
    if leader not in leaders:
        raise GaoxinError("error.unknown_leader", leader=leader, hint=did_you_mean(leader, leaders))


class Request(NamedTuple):
    """``gaoxin extend`` as given on the command line."""

    task: str
    to: date | None = None
    reason: str | None = None
    approve: bool = False
    reject: bool = False
    by: str | None = None
    late: bool = False


def extension_events(
    plan: Plan,
    task: Task,
    req: Request,
    current: Extensions,
    state: TaskState,
    today: date,
    *,
    recorded_at: str | None = None,
) -> list[Event]:
    """The events ``gaoxin extend`` records; raises a GaoxinError saying what is wrong."""
    reason = check_text("--reason", req.reason)
    if req.approve and req.reject:
        raise UsageError("error.extend_approve_and_reject")
    if req.late and not req.approve:
        raise UsageError("error.extend_late_needs_approve")
    if (req.approve or req.reject) and req.by is None:
        raise UsageError("error.extend_needs_by")
    if req.by is not None and not (req.approve or req.reject):
        raise UsageError("error.extend_by_without_decision")
    if req.by is not None:
        check_leader(plan, req.by)
    if state.done:
        raise GaoxinError("error.extend_done", task=task.id)

    def event(action: str, to: date | None, why: str | None, late: bool = False) -> Event:
        return Event(
            task=task.id,
            kind="extension",
            at=today,
            unit=task.lead,
            reason=why,
            data={
                "action": action,
                "to": to.isoformat() if to else None,
                "by": req.by if action != "request" else None,
                "late": late,
            },
            source="cli",
            recorded_at=recorded_at,
        )

    pending = current.pending
    if req.reject:
        if pending is None:
            raise GaoxinError("error.extend_nothing_pending", task=task.id)
        if reason is None:
            raise UsageError("error.extend_needs_reason")
        return [event("reject", _to(pending), reason)]

    late = today > current.due
    if req.approve and pending is not None:
        to = req.to or _to(pending)
        if to is None:  # a request always names a date; only a damaged event lacks one
            raise UsageError("error.extend_needs_to")
        _check_after(to, current.due)
        return [
            event(
                "approve",
                to,
                reason or pending.reason,
                late=bool(pending.data and pending.data.get("late")),
            )
        ]

    # A new request (by the unit), or a leader's direct grant (request + approve).
    if pending is not None:
        raise GaoxinError(
            "error.extend_already_pending",
            task=task.id,
            to=(_to(pending) or current.due).isoformat(),
            at=pending.at.isoformat(),
        )
    if req.to is None:
        raise UsageError("error.extend_needs_to")
    if reason is None:
        raise UsageError("error.extend_needs_reason")
    _check_after(req.to, current.due)
    if late and not (req.approve and req.late):
        raise GaoxinError(
            "error.extend_after_due",
            task=task.id,
            due=current.due.isoformat(),
            today=today.isoformat(),
            hint=Msg("hint.extend_late"),
        )
    events = [event("request", req.to, reason, late=late)]
    if req.approve:
        events.append(event("approve", req.to, reason, late=late))
    return events


def _check_after(to: date, due: date) -> None:
    if to <= due:
        raise GaoxinError("error.extend_not_later", to=to.isoformat(), due=due.isoformat())
