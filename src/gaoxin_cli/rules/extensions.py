"""延期 (extensions): what a request, an approval or a refusal may say. Pure.

Rules (research/domain.md §3.1 rule 4, §1 延期): a unit requests an extension **before**
the due date, with a reason and a new date; a leader approves it (``--approve --by``) or
refuses it (``--reject``). The approved date drives the cards and the ladder; the plan's
date stays what scoring counts. After the due date a request is refused, unless a leader
grants it there and then as late (``--approve --by L --late``).

A leader may also take back an approved extension: ``--withdraw`` records a
``withdraw`` event and the due date falls back to the approval before it (else the plan's);
``--replace --to DATE`` records a ``withdraw`` and an ``approve`` of the new date in one
step. Both need ``--by`` and ``--reason``; events are never edited, so the history keeps
the mistake and its correction. Approved extensions stack: each approval goes on top,
each withdrawal takes the top one off.

A date typed with ``--to`` may reach no further than the horizon: the end of the year
``calendar.horizon_years`` after today (a 9999-12-31 typo would make every working-day
count fail). A withdrawal checks no horizon, so a far-future extension can be undone.

Extensions are ``extension`` events (models/state.py):
``data = {"action": "request" | "approve" | "reject" | "withdraw", "to": "YYYY-MM-DD",
"by": leader or None, "late": bool}`` and ``reason``; a ``withdraw`` names the date it
takes back, and the ``approve`` of a replacement also has ``"replaces": "YYYY-MM-DD"``.
"""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan, Task
from gaoxin_cli.models.names import leader_id
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.rules.feedback import check_text


class Extensions(NamedTuple):
    """A task's extension history as of a day."""

    due: date  # the latest approved date still standing, else the plan's
    pending: Event | None  # a request not yet approved or refused
    events: tuple[Event, ...]
    standing: tuple[Event, ...] = ()  # approvals not withdrawn, oldest first

    @property
    def extended(self) -> bool:
        return bool(self.standing)


def _action(e: Event) -> str:
    return str((e.data or {}).get("action", ""))


def _to(e: Event) -> date | None:
    raw = (e.data or {}).get("to")
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def summarize(task: Task, events: Iterable[Event]) -> Extensions:
    """Fold a task's ``extension`` events (in ``(at, id)`` order).

    Approvals stack; a withdrawal takes the latest standing one off (store/extensions.py
    folds the same way for every task at once).
    """
    pending: Event | None = None
    kept = []
    standing: list[Event] = []
    for e in events:
        if e.kind != "extension":
            continue
        kept.append(e)
        action = _action(e)
        if action == "request":
            pending = e
        elif action == "approve":
            if _to(e) is not None:
                standing.append(e)
            pending = None
        elif action == "reject":
            pending = None
        elif action == "withdraw" and standing:
            standing.pop()
    due = _to(standing[-1]) if standing else None
    return Extensions(due or task.due, pending, tuple(kept), tuple(standing))


def horizon(today: date, years: int) -> date:
    """The latest date ``--to`` may name: 31 December, *years* years after *today*'s year."""
    return date(min(today.year + years, date.max.year), 12, 31)


def check_leader(plan: Plan, leader: str) -> str:
    """The id of the leader *leader* names (id or name), or a GaoxinError."""
    return leader_id(plan.config, leader)


class Request(NamedTuple):
    """``gaoxin extend`` as given on the command line."""

    task: str
    to: date | None = None
    reason: str | None = None
    approve: bool = False
    reject: bool = False
    by: str | None = None
    late: bool = False
    withdraw: bool = False
    replace: bool = False


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
    if req.withdraw or req.replace:
        return _take_back(plan, task, req, reason, current, today, recorded_at)
    if req.approve and req.reject:
        raise UsageError("error.extend_approve_and_reject")
    if req.late and not req.approve:
        raise UsageError("error.extend_late_needs_approve")
    if (req.approve or req.reject) and req.by is None:
        raise UsageError("error.extend_needs_by")
    if req.by is not None and not (req.approve or req.reject):
        raise UsageError("error.extend_by_without_decision")
    if req.by is not None:
        req = req._replace(by=check_leader(plan, req.by))
    if state.done:
        raise GaoxinError("error.extend_done", task=task.id)

    def event(action: str, to: date | None, why: str | None, late: bool = False) -> Event:
        return _event(task, req, today, recorded_at, action, to, why, late)

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
        _check_horizon(plan, to, today)
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
    _check_horizon(plan, req.to, today)
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


def _event(
    task: Task,
    req: Request,
    today: date,
    recorded_at: str | None,
    action: str,
    to: date | None,
    why: str | None,
    late: bool = False,
    replaces: date | None = None,
) -> Event:
    data: dict[str, object] = {
        "action": action,
        "to": to.isoformat() if to else None,
        "by": req.by if action != "request" else None,
        "late": late,
    }
    if replaces is not None:
        data["replaces"] = replaces.isoformat()
    return Event(
        task=task.id,
        kind="extension",
        at=today,
        unit=task.lead,
        reason=why,
        data=data,
        source="cli",
        recorded_at=recorded_at,
    )


def _take_back(
    plan: Plan,
    task: Task,
    req: Request,
    reason: str | None,
    current: Extensions,
    today: date,
    recorded_at: str | None,
) -> list[Event]:
    """``--withdraw`` (one ``withdraw`` event) or ``--replace --to`` (``withdraw`` then
    ``approve``) of the latest approved extension still standing.

    No horizon check on what is taken back: a 9999-12-31 typo must be undoable. A
    replacement is a leader's decision, so it needs no ``--late`` after the due date.
    """
    first = "--withdraw" if req.withdraw else "--replace"
    clashes = (  # --replace --to DATE may say --approve too: a replacement is one
        ("--replace", req.withdraw and req.replace),
        ("--to", req.withdraw and req.to is not None),
        ("--approve", req.withdraw and req.approve),
        ("--reject", req.reject),
        ("--late", req.late),
    )
    for option, clash in clashes:
        if clash:
            raise UsageError(
                "error.extend_options_conflict",
                a=first,
                b=option,
                hint=Msg("hint.extend_replace") if option == "--to" else None,
            )
    if req.replace and req.to is None:
        raise UsageError("error.extend_needs_to")
    if req.by is None:
        raise UsageError("error.extend_needs_by")
    if reason is None:
        raise UsageError("error.extend_take_back_needs_reason", option=first)
    req = req._replace(by=check_leader(plan, req.by))
    pending = current.pending
    if pending is not None:  # decide it first: a request waits on the standing due date
        raise GaoxinError(
            "error.extend_already_pending",
            task=task.id,
            to=(_to(pending) or current.due).isoformat(),
            at=pending.at.isoformat(),
        )
    if not current.standing:
        raise GaoxinError(
            "error.extend_nothing_to_withdraw",
            task=task.id,
            due=current.due.isoformat(),
            hint=Msg("hint.extend_grant") if req.replace else None,
        )
    old = current.due  # the top of the stack (summarize skips approvals without a date)
    below = _to(current.standing[-2]) if len(current.standing) > 1 else None
    base = below or task.due  # the due date once *old* is taken back
    out = [_event(task, req, today, recorded_at, "withdraw", old, reason)]
    if req.to is None:
        return out
    if req.to == old:
        raise GaoxinError("error.extend_replace_same", task=task.id, to=old.isoformat())
    _check_horizon(plan, req.to, today)
    _check_after(req.to, base)
    out.append(_event(task, req, today, recorded_at, "approve", req.to, reason, today > base, old))
    return out


def _check_horizon(plan: Plan, to: date, today: date) -> None:
    years = plan.config.calendar.horizon_years
    last = horizon(today, years)
    if to > last:
        raise GaoxinError(
            "error.extend_beyond_horizon",
            to=to.isoformat(),
            horizon=last.isoformat(),
            today=today.isoformat(),
            years=years,
            hint=Msg("hint.extend_horizon", years=years),
        )
