"""Recording a 问题提报 and its steps: who may take each, what the text may hold, the
event written. Pure."""

from __future__ import annotations

from datetime import date

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan
from gaoxin_cli.models.names import unit_id
from gaoxin_cli.models.state import Event
from gaoxin_cli.rules.feedback import check_text, find_task
from gaoxin_cli.rules.problems import MAX_TEXT, REPORTED, ProblemStatus, transition


def check_unit(plan: Plan, unit: str) -> str:
    """The id of the unit *unit* names (id, short or full name), or a GaoxinError."""
    return unit_id(plan.config, unit)


def check_problem_text(text: str) -> str:
    cleaned = check_text("TEXT", text)
    if cleaned is None:
        raise UsageError("error.problem_empty")
    if len(cleaned) > MAX_TEXT:
        raise UsageError("error.problem_too_long", n=len(cleaned), max=MAX_TEXT)
    return cleaned


def report_event(
    number: str,
    day: date,
    reporter: str,
    task: str | None,
    *,
    recorded_at: str | None = None,
) -> Event:
    """The first step of a problem (the row holds the text)."""
    return Event(
        task=number,
        kind="problem",
        at=day,
        unit=reporter,
        data={
            "action": "report",
            "from": None,
            "to": REPORTED,
            "task": task,
            "unit": reporter,
            "satisfied": None,
        },
        source="cli",
        recorded_at=recorded_at,
    )


def check_report(plan: Plan, reporter: str, task: str | None, text: str) -> tuple[str, str | None]:
    """Validate a report; returns the cleaned text and the task id."""
    check_unit(plan, reporter)
    if task is not None:
        task = find_task(plan, task).id
    return check_problem_text(text), task


def step(
    plan: Plan,
    status: ProblemStatus,
    action: str,
    today: date,
    *,
    unit: str | None = None,
    hard: bool = False,
    satisfied: bool | None = None,
    note: str | None = None,
    reason: str | None = None,
    recorded_at: str | None = None,
) -> Event:
    """Check one step on a problem and return its event (a GaoxinError says what is wrong).

    * ``assign`` needs the unit (``--to``); ``hard`` picks the longer resolve limit;
    * ``answer`` is given by the assigned unit (default) or the office, with the answer;
    * ``verify`` needs ``satisfied``: satisfied closes it; not satisfied reopens it
      (不满意的重办) — the event is then a ``reopen``;
    * ``reopen`` and ``reject`` need a reason.
    """
    office = plan.config.org.office
    note = check_text("--note", note)
    reason = check_text("--reason", reason)
    if action == "verify":
        if satisfied is None:
            raise UsageError("error.problem_needs_satisfied")
        if not satisfied:
            action = "reopen"
    elif action == "reopen" and reason is None:
        raise UsageError("error.problem_needs_reason", action=Msg("pverb.reopen"))
    if action == "reject" and reason is None:
        raise UsageError("error.problem_needs_reason", action=Msg("pverb.reject"))
    if action == "answer" and note is None:
        raise UsageError("error.problem_needs_answer")
    if status.last_step is not None and today < status.last_step:
        raise GaoxinError(
            "error.problem_before_last",
            number=status.number,
            today=today.isoformat(),
            last=status.last_step.isoformat(),
        )
    if today < status.reported_on:
        raise GaoxinError(
            "error.problem_before_last",
            number=status.number,
            today=today.isoformat(),
            last=status.reported_on.isoformat(),
        )
    nxt = transition(status.state, action, number=status.number)
    actor = office
    to_unit = status.unit
    if action == "assign":
        if not unit:
            raise UsageError("error.problem_needs_unit")
        to_unit = check_unit(plan, unit)
        actor = office
    elif action == "answer":
        actor = check_unit(plan, unit or status.unit or office)
        if actor not in (status.unit, office):
            raise GaoxinError(
                "error.problem_wrong_unit", unit=actor, number=status.number, assigned=status.unit
            )
    elif unit is not None:
        actor = check_unit(plan, unit)
    data: dict[str, object] = {
        "action": action,
        "from": status.state,
        "to": nxt,
        "task": status.task,
        "unit": to_unit,
        "satisfied": satisfied if action in ("verify", "reopen") else None,
    }
    if action == "assign":
        data["hard"] = hard
    return Event(
        task=status.number,
        kind="problem",
        at=today,
        unit=actor,
        note=note,
        reason=reason if action in ("reopen", "reject") else None,
        data=data,
        source="cli",
        recorded_at=recorded_at,
    )
