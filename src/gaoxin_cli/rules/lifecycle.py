"""The lifecycle of a task (督办事项), research/domain.md §3.1. Pure: no SQL, no clock.

State is derived, never stored::

                 交办单               first report
    registered ─────────▶ assigned ───────────────▶ in_progress ⇄ extension_pending
        └──────────── first report ──────────────▶     │   ▲      (request / decision)
                                                submit  │   │ return (退回, reason kept)
                                                        ▼   │
                                                   under_review
                                                        │ accept (办结, a leader)
                                                        ▼
                                                       done ──close (销号)──▶ closed
    any open state ──cancel (reason, a leader)──▶ cancelled

:data:`TRANSITIONS` is the whole machine; :func:`transition` refuses anything else with
the current state and the steps allowed from it.

*registered* → *assigned* when a 交办单 (notice of kind ``assign``) exists; → *in_progress*
with the first report, correction, start or milestone (a report proves the unit has the
task, so it counts even when no 交办单 was recorded). *extension_pending* overlays the
open states before review while the latest ``extension`` event is a request. The steps a
person takes — submit, accept, return, close, cancel — are ``lifecycle`` events whose
``data["to"]`` is the state they led to.

A task reporting 100 % is not done by itself: *done* needs a leader's ``review --accept``
(domain.md §3.1 rule 6). A multi-unit task is done when its lead unit's result is accepted;
support units report progress but do not submit (rule 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import MappingProxyType
from typing import Final

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan, Task
from gaoxin_cli.models.names import find_leader, leader_hint, unit_id
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.rules.feedback import check_text, find_task
from gaoxin_cli.rules.machine import Machine

REGISTERED: Final = "registered"
ASSIGNED: Final = "assigned"
IN_PROGRESS: Final = "in_progress"
EXTENSION_PENDING: Final = "extension_pending"
UNDER_REVIEW: Final = "under_review"
DONE: Final = "done"
CLOSED: Final = "closed"
CANCELLED: Final = "cancelled"

STATES: tuple[str, ...] = (
    REGISTERED,
    ASSIGNED,
    IN_PROGRESS,
    EXTENSION_PENDING,
    UNDER_REVIEW,
    DONE,
    CLOSED,
    CANCELLED,
)
OPEN_STATES: frozenset[str] = frozenset(
    {REGISTERED, ASSIGNED, IN_PROGRESS, EXTENSION_PENDING, UNDER_REVIEW}
)
STOPPED_STATES: frozenset[str] = frozenset({DONE, CLOSED, CANCELLED})

# The steps recorded as ``lifecycle`` events by gaoxin submit / review / close / cancel.
RECORDED_ACTIONS: tuple[str, ...] = ("submit", "accept", "return", "close", "cancel")
# Every action, in the order the allowed steps are listed in messages.
ACTIONS: tuple[str, ...] = (
    "assign",
    "report",
    "request_extension",
    "approve_extension",
    "reject_extension",
    "submit",
    "accept",
    "return",
    "close",
    "cancel",
)

_TABLE: dict[tuple[str, str], str] = {
    (REGISTERED, "assign"): ASSIGNED,
    (REGISTERED, "report"): IN_PROGRESS,  # a report proves the unit has the task
    (ASSIGNED, "report"): IN_PROGRESS,
    (IN_PROGRESS, "request_extension"): EXTENSION_PENDING,
    (EXTENSION_PENDING, "approve_extension"): IN_PROGRESS,
    (EXTENSION_PENDING, "reject_extension"): IN_PROGRESS,
    (IN_PROGRESS, "submit"): UNDER_REVIEW,
    (UNDER_REVIEW, "accept"): DONE,
    (UNDER_REVIEW, "return"): IN_PROGRESS,
    (DONE, "close"): CLOSED,
}
for _state in sorted(OPEN_STATES):
    _TABLE[(_state, "cancel")] = CANCELLED
# (state, action) → next state; every pair not in it is illegal.
TRANSITIONS: MappingProxyType[tuple[str, str], str] = MappingProxyType(_TABLE)
del _state, _TABLE


MACHINE = Machine(
    STATES,
    ACTIONS,
    TRANSITIONS,
    "lstate",
    "laction",
    "error.lifecycle_illegal",
    "hint.lifecycle_final",
)


def allowed(current: str) -> tuple[str, ...]:
    """The actions that may follow *current*, in :data:`ACTIONS` order."""
    return MACHINE.allowed(current)


def stopped(state: str) -> bool:
    """True for done, closed and cancelled: no card, no notice, no reminder."""
    return state in STOPPED_STATES


def transition(current: str, action: str, *, subject: str = "") -> str:
    """The state *action* leads to from *current*; a :class:`GaoxinError` naming the
    current state and the allowed next steps when the step is not allowed."""
    return MACHINE.step(current, action, task=subject)


def active(state: TaskState) -> bool:
    """Has the unit done anything on the task (report, correction, start, milestone)?"""
    return bool(state.reports or state.started or state.milestones_done)


def base_state(
    last_to: str | None, has_assign_notice: bool, is_active: bool, extension_pending: bool
) -> str:
    """The state from the facts: the last recorded step's target, else registered /
    assigned / in_progress; a pending extension request overlays the states before review.

    ``store.lifecycle.lifecycle_states`` applies the same rule in bulk (a test keeps the
    two in step).
    """
    if last_to in STATES and last_to != IN_PROGRESS:
        return last_to
    if last_to == IN_PROGRESS or is_active:
        state = IN_PROGRESS
    elif has_assign_notice:
        state = ASSIGNED
    else:
        state = REGISTERED
    return EXTENSION_PENDING if extension_pending else state


def derive_state(
    task: Task | str,
    lifecycle_events: Sequence[Event],
    has_assign_notice: bool,
    state: TaskState,
    extension_pending: bool,
) -> str:
    """*task*'s lifecycle state from its ``lifecycle`` events (ordered by ``(at, id)``,
    only those up to the day asked about), whether a 交办单 exists, its :class:`TaskState`
    and whether an extension request is undecided."""
    task_id = task if isinstance(task, str) else task.id
    last_to: str | None = None
    for e in lifecycle_events:
        if e.kind != "lifecycle" or e.task != task_id:
            continue
        to = (e.data or {}).get("to")
        if isinstance(to, str) and to in STATES:
            last_to = to
    return base_state(last_to, has_assign_notice, active(state), extension_pending)


def extension_pending(extension_events: Sequence[Event]) -> bool:
    """True while the latest ``extension`` event (by ``(at, id)``) is a request."""
    last = None
    for e in extension_events:
        if e.kind == "extension":
            last = (e.data or {}).get("action")
    return last == "request"


def step_event(
    task: Task,
    current: str,
    action: str,
    day: date,
    *,
    by: str | None = None,
    unit: str | None = None,
    note: str | None = None,
    reason: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """The ``lifecycle`` event for *action* on *task* (checked against the machine)."""
    if action not in RECORDED_ACTIONS:
        raise ValueError(f"{action!r} is not recorded as a lifecycle event")
    nxt = transition(current, action, subject=task.id)
    return Event(
        task=task.id,
        kind="lifecycle",
        at=day,
        unit=unit,
        note=note,
        reason=reason,
        data={"action": action, "from": current, "to": nxt, "by": by},
        source="cli",
        recorded_at=recorded_at,
    )


# --- who may take a step, and the event it becomes -------------------------------------

_NEEDS_LEADER = frozenset({"accept", "return", "cancel"})
_NEEDS_REASON = frozenset({"return", "cancel"})


def check_leader(plan: Plan, by: str | None, action: str) -> str:
    """*by* must be a leader of the workspace (accept, return and cancel are theirs)."""
    leaders = plan.config.leaders
    if not by:
        raise UsageError("error.lifecycle_needs_by", action=Msg(f"lverb.{action}"))
    found = find_leader(plan.config, by)
    if found is None:
        names = "、".join(leaders) or "—"
        hint = leader_hint(plan.config, by) or Msg("hint.lifecycle_leaders", names=names)
        raise GaoxinError("error.lifecycle_not_leader", by=by, hint=hint)
    return found


def check_submitter(plan: Plan, task: Task, unit: str | None) -> str:
    """The lead unit submits the result (the office may on its behalf); a support unit's
    part is reported with feedback and never gates 办结 (domain.md §3.1 rule 7)."""
    unit = unit_id(plan.config, unit or task.lead)
    if unit in (task.lead, plan.config.org.office):
        return unit
    if unit in task.support:
        raise GaoxinError(
            "error.lifecycle_support_submits", unit=unit, task=task.id, lead=task.lead
        )
    raise GaoxinError("error.unit_not_on_task", unit=unit, task=task.id)


def lifecycle_step(
    plan: Plan,
    task_id: str,
    action: str,
    current: str,
    today: date,
    *,
    last_step: date | None = None,
    by: str | None = None,
    unit: str | None = None,
    note: str | None = None,
    reason: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """Check everything about one step and return its event; raise a GaoxinError that
    says what is wrong. *last_step* is the day of the task's latest lifecycle event: a
    step is never recorded before it (the timeline would read out of order)."""
    task = find_task(plan, task_id)
    note = check_text("--result" if action == "submit" else "--note", note)
    reason = check_text("--reason", reason)
    if action == "submit" and note is None:
        raise UsageError("error.lifecycle_needs_result")
    if action in _NEEDS_REASON and reason is None:
        raise UsageError("error.lifecycle_needs_reason", action=Msg(f"lverb.{action}"))
    if action in _NEEDS_LEADER:
        by = check_leader(plan, by, action)
    if action == "submit":
        unit = check_submitter(plan, task, unit)
    elif action == "close":
        unit = plan.config.org.office
    if last_step is not None and today < last_step:
        raise GaoxinError(
            "error.lifecycle_before_last",
            task=task.id,
            today=today.isoformat(),
            last=last_step.isoformat(),
        )
    return step_event(
        task,
        current,
        action,
        today,
        by=by,
        unit=unit,
        note=note,
        reason=reason if action in _NEEDS_REASON else None,
        recorded_at=recorded_at,
    )
