"""The task lifecycle: ``submit``, ``review``, ``close``, ``cancel`` (docs/lifecycle.md).

Each step reads the task's lifecycle state, checks the step against it and records one
``lifecycle`` event, all in one write transaction: the write lock is taken before the
read, so two people cannot both act on the same stale state. Each function returns the
event it recorded; a refused step raises the :class:`~gaoxin_cli.errors.GaoxinError`
that says why, and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.models.state import Event

Action = Literal["submit", "accept", "return", "close", "cancel"]


def submit(
    session: Session,
    task: str,
    *,
    result: str | None,
    by: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """The lead unit (or the office on its behalf, *by*) submits *result* for review."""
    return _step(session, task, "submit", recorded_at, note=result, unit=by)


def review(
    session: Session,
    task: str,
    *,
    accept: bool,
    by: str | None,
    reason: str | None = None,
    note: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """Leader *by* accepts the submitted result (done) or returns it (with *reason*)."""
    action: Action = "accept" if accept else "return"
    return _step(session, task, action, recorded_at, by=by, reason=reason, note=note)


def close(
    session: Session, task: str, *, note: str | None = None, recorded_at: str | None = None
) -> Event:
    """销号: a done task leaves the ledger (recorded by the office)."""
    return _step(session, task, "close", recorded_at, note=note)


def cancel(
    session: Session,
    task: str,
    *,
    reason: str | None,
    by: str | None,
    recorded_at: str | None = None,
) -> Event:
    """Leader *by* cancels an open task, for *reason*."""
    return _step(session, task, "cancel", recorded_at, by=by, reason=reason)


def _step(
    session: Session,
    task: str,
    action: Action,
    recorded_at: str | None,
    *,
    by: str | None = None,
    unit: str | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> Event:
    """Read the task's state, check the step and record it — one write transaction."""
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.rules.lifecycle import lifecycle_step
    from gaoxin_cli.store import lifecycle as stored

    plan, today = session.plan, session.today
    find_task(plan, task)  # a clear error before the database is touched
    with session.store(write=True) as st, st.transaction():
        now = stored.task_lifecycle(st, task, today)
        event = lifecycle_step(
            plan,
            task,
            action,
            now.state,
            today,
            last_step=now.last_step,
            by=by,
            unit=unit,
            note=note,
            reason=reason,
            recorded_at=recorded_at,
        )
        st.add([event])
    return event
