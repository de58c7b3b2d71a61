"""反馈: what a progress report may say, and the events it becomes. Pure.

The CLI reads the task's state inside a write transaction, calls :func:`feedback_events`,
and stores what it returns; so two people reporting at once can never both pass the
"progress does not go backwards" check on stale state.
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan, Task
from gaoxin_cli.models.names import unit_id
from gaoxin_cli.models.state import Event, Report, TaskState
from gaoxin_cli.strings import CONTROL_MULTILINE, did_you_mean


def find_task(plan: Plan, task_id: str) -> Task:
    task = plan.by_id.get(task_id)
    if task is None:
        hint = did_you_mean(task_id, plan.by_id, n=3)
        raise GaoxinError("error.unknown_task", task=task_id, hint=hint)
    return task


def opened(task: Task) -> date:
    """The first day a report may carry: the source date, else 1 January of the plan year."""
    if task.source.date is not None:
        return task.source.date
    first = task.start or task.due
    return date(first.year, 1, 1)


def check_text(field: str, text: str | None) -> str | None:
    if text is None:
        return None
    if CONTROL_MULTILINE.search(text):
        raise GaoxinError("error.text_control", field=field)
    return text.strip() or None


class Start(NamedTuple):
    """When a task started, and on what ground (``TaskState.started`` explained)."""

    at: date
    inferred: bool  # no start event: the first report with progress > 0 stands for one
    event: Event  # the start event, or the report the start was inferred from


def start_of(events: Iterable[Event]) -> Start | None:
    """The task's start as the store derives it (store/derive.py): its earliest ``start``
    event, else its earliest report with progress > 0; ``None`` when neither exists."""
    recorded: Event | None = None
    first_progress: Event | None = None
    for e in events:
        if e.kind == "start":
            if recorded is None or e.at < recorded.at:
                recorded = e
        elif e.kind not in ("feedback", "correction") or not (e.progress or 0) > 0:
            continue
        elif first_progress is None or e.at < first_progress.at:
            first_progress = e
    if recorded is not None:
        return Start(recorded.at, False, recorded)
    if first_progress is not None:
        return Start(first_progress.at, True, first_progress)
    return None


def _already_started(task: Task, report: Report, started: date, start: Start | None) -> GaoxinError:
    """``--started`` on a started task: when and why it counts as started, and that the
    rest of the report (its note, progress, milestone) was not recorded either."""
    basis: object = ""
    if start is not None and start.inferred and start.at == started:
        assert start.event.progress is not None
        basis = Msg("feedback.start_inferred", progress=f"{start.event.progress:g}")
    given = [
        opt
        for opt, value in (
            ("--progress", report.progress),
            ("--milestone", report.milestone),
            ("--note", report.note),
        )
        if value is not None
    ]
    lost: object = Msg("feedback.start_refused_rest", what="/".join(given)) if given else ""
    return GaoxinError(
        "error.already_started", task=task.id, date=started.isoformat(), basis=basis, lost=lost
    )


def feedback_events(
    plan: Plan,
    report: Report,
    state: TaskState,
    today: date,
    *,
    source: str,
    recorded_at: str | None = None,
    start: Start | None = None,
) -> list[Event]:
    """The events a report becomes; raises a GaoxinError saying what is wrong.

    *start* (from :func:`start_of` over the task's history) lets a refused ``--started``
    say whether the start was recorded or inferred from a report."""
    task = find_task(plan, report.task)
    note = check_text("--note", report.note)
    reason = check_text("--reason", report.reason)
    if report.progress is None and note is None and report.milestone is None and not report.started:
        raise UsageError("error.feedback_empty")
    if report.progress is not None and not 0 <= report.progress <= 100:
        raise UsageError("error.progress_range", value=f"{report.progress:g}")
    if report.correct and reason is None:
        raise UsageError("error.correct_needs_reason")
    if report.at > today:
        raise GaoxinError("error.future_date", at=report.at.isoformat(), today=today.isoformat())
    if report.at < opened(task):
        raise GaoxinError(
            "error.before_task",
            at=report.at.isoformat(),
            task=task.id,
            opened=opened(task).isoformat(),
        )
    unit = check_unit(plan, task, report.unit or task.lead)

    def event(kind: str, **fields: Any) -> Event:
        return Event(
            task=task.id,
            kind=kind,
            at=report.at,
            unit=unit,
            source=source,
            recorded_at=recorded_at,
            **fields,
        )

    events: list[Event] = []
    # A note alone travels with the milestone or start it explains.
    note_alone = report.progress is None and (report.milestone is not None or report.started)
    if report.progress is not None or (note is not None and not note_alone):
        going_back = report.progress is not None and report.progress < state.progress
        if going_back and not report.correct:
            raise GaoxinError(
                "error.progress_backwards",
                old=f"{state.progress:g}",
                old_at=state.progress_at.isoformat() if state.progress_at else "?",
                new=f"{report.progress:g}",
            )
        kind = "correction" if report.correct else "feedback"
        events.append(
            event(
                kind, progress=report.progress, note=note, reason=reason if report.correct else None
            )
        )
    if report.milestone is not None:
        name = check_milestone(task, report.milestone)
        if name in state.milestones_done:
            raise GaoxinError(
                "error.milestone_done", name=name, date=state.milestones_done[name].isoformat()
            )
        events.append(event("milestone", milestone=name, note=note if note_alone else None))
    if report.started:
        if state.started is not None:
            raise _already_started(task, report, state.started, start)
        events.append(event("start", note=note if note_alone and not events else None))
    return events


def check_unit(plan: Plan, task: Task, unit: str) -> str:
    """The id of the unit *unit* names (id, short or full name), one on *task* or the
    office; else a GaoxinError."""
    unit = unit_id(plan.config, unit)
    allowed = {task.lead, *task.support, plan.config.org.office}
    if unit not in allowed:
        raise GaoxinError("error.unit_not_on_task", unit=unit, task=task.id)
    return unit


def check_milestone(task: Task, name: str) -> str:
    names = [m.name for m in task.milestones]
    if not names:
        raise GaoxinError("error.no_milestones", task=task.id)
    if name in names:
        return name
    raise GaoxinError("error.unknown_milestone", task=task.id, name=name, names="、".join(names))


def progress_runs(
    reports: Iterable[tuple[int, Report]], existing: Mapping[str, TaskState]
) -> list[tuple[int, Msg]]:
    """For an import: rows whose progress goes backwards (per task, in date order),
    starting from what the store already holds. Returns (line, problem) pairs."""
    ordered = sorted(
        (
            (line, r.task, r.at, r.progress, r.correct)
            for line, r in reports
            if r.progress is not None
        ),
        key=lambda row: (row[1], row[2], row[0]),
    )
    return list(backwards(ordered, existing))


def backwards(
    ordered: Iterable[tuple[int, str, date, float, bool]], existing: Mapping[str, TaskState]
) -> Iterator[tuple[int, Msg]]:
    """:func:`progress_runs` over reports already sorted by task, day and line, each as
    (line, task, day, progress, correction?): one pass, so an import of any size can
    stream them (from store/staging.py)."""
    last: dict[str, tuple[float, date | None]] = {
        task: (st.progress, st.progress_at) for task, st in existing.items()
    }
    for line, task, at, progress, correct in ordered:
        old, old_at = last.get(task, (0.0, None))
        if progress < old and not correct and (old_at is None or old_at <= at):
            yield (
                line,
                Msg(
                    "import.backwards",
                    old=f"{old:g}",
                    old_at=old_at.isoformat() if old_at else "?",
                    new=f"{progress:g}",
                ),
            )
            continue
        if old_at is None or old_at <= at:
            last[task] = (progress, at)
