"""Daily commands: ``status``, ``countdown``, ``feedback``, ``history``, ``import``, ``sweep``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, parse_date_option, settings
from gaoxin_cli.cli.choices import known, task_filters
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg, t

if TYPE_CHECKING:
    from gaoxin_cli.models import Plan
    from gaoxin_cli.store import Store


def _red_notice_dues(st: Store, plan: Plan, today: date) -> dict[str, date]:
    """Response deadlines of the 督办单s filed so far. Once notify is in use, a task
    without one cannot be L4 yet (as in ``overdue``); before that, L4 is estimated."""
    from gaoxin_cli.rules.ladder import NO_RED_NOTICE
    from gaoxin_cli.store.notices import red_notice_dues

    filed = red_notice_dues(st, today)
    if not st.query("SELECT 1 FROM notices LIMIT 1"):
        return filed
    return {t.id: filed.get(t.id, NO_RED_NOTICE) for t in plan.tasks}


@app.command(help=H("status"))
def status(
    ctx: typer.Context,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help=H("opt.unit"), show_default=False)
    ] = None,
    pillar: Annotated[
        str | None, typer.Option("--pillar", "-p", help=H("opt.pillar"), show_default=False)
    ] = None,
    card: Annotated[
        list[str] | None, typer.Option("--card", help=H("opt.card"), show_default=False)
    ] = None,
    leader: Annotated[
        list[str] | None, typer.Option("--leader", help=H("opt.leader"), show_default=False)
    ] = None,
    listed: Annotated[bool, typer.Option("--listed", help=H("opt.listed"))] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help=H("opt.limit"))] = 15,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.dashboard import build
    from gaoxin_cli.rules.problems import problem_lines, replay
    from gaoxin_cli.store.extensions import effective_dues
    from gaoxin_cli.store.lifecycle import lifecycle_states
    from gaoxin_cli.store.problems import all_problems

    s = settings(ctx)
    root, plan = context.plan(s)
    cfg = plan.config
    filters = task_filters(plan, unit, pillar, card, leader, listed)
    today = s.today()
    cal = context.calendar(plan)
    with context.store(s, root, write=False) as st, st.transaction():
        states = st.states(today)
        life = lifecycle_states(st, list(plan.by_id), today)
        problems = all_problems(st, today)
        dues = effective_dues(st, today)
        red_dues = _red_notice_dues(st, plan, today)
    dash = build(plan.tasks, states, cfg, today, cal, filters, dues, life, red_dues)
    lines = problem_lines([replay(r, e) for r, e in problems], today, cal, plan)
    from gaoxin_cli.render import status as view
    from gaoxin_cli.render.lifecycle import problem_json, problems_section

    if as_json:
        doc = view.as_json(dash, cfg, s.lang)
        doc["problems"] = [problem_json(ln, s.lang) for ln in lines if ln.status.open]
        emit_json(doc)
    else:
        console = context.console()
        view.render(console, dash, cfg, s.lang, limit, context.estimated_years())
        problems_section(console, lines, cfg, s.lang, limit)


@app.command(help=H("countdown"))
def countdown(
    ctx: typer.Context,
    due: Annotated[bool, typer.Option("--due", help=H("opt.due"))] = False,
    within: Annotated[
        int | None,
        typer.Option(
            "--within", metavar="N", help=H("opt.within"), min=1, max=250, show_default=False
        ),
    ] = None,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help=H("opt.unit"), show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules import countdown as rules
    from gaoxin_cli.store.extensions import effective_dues

    s = settings(ctx)
    root, plan = context.plan(s)
    for u in unit or []:
        known("unit", u, plan.config.units)
    tasks = [tk for tk in plan.tasks if not unit or tk.lead in unit]
    today = s.today()
    cal = context.calendar(plan)
    with context.store(s, root, write=False) as st:
        states = st.states(today)
        dues = effective_dues(st, today) if due else {}
    if within is not None:
        mode, rows = "milestones", rules.milestones_within(tasks, states, today, cal, within)
    elif due:
        mode, rows = "due", rules.deadlines(tasks, states, today, cal, dues)
    else:
        mode, rows = "start", rules.starts(tasks, states, today, cal)
    from gaoxin_cli.render import daily as view

    if as_json:
        emit_json(
            {"as_of": today.isoformat(), "kind": mode, "items": view.countdown_json(rows, mode)}
        )
    else:
        view.countdown(
            context.console(),
            rows,
            plan.config,
            s.lang,
            mode,
            today,
            within or 0,
            context.estimated_years(),
        )


@app.command(help=H("feedback"))
def feedback(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)],
    progress: Annotated[
        float | None,
        typer.Option(
            "--progress", "-p", metavar="0-100", help=H("opt.progress"), show_default=False
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-m", help=H("opt.note"), show_default=False)
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="UNIT", help=H("opt.by"), show_default=False)
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATE", help=H("opt.at"), show_default=False)
    ] = None,
    milestone: Annotated[
        str | None,
        typer.Option("--milestone", metavar="NAME", help=H("opt.milestone"), show_default=False),
    ] = None,
    started: Annotated[bool, typer.Option("--started", help=H("opt.started"))] = False,
    correct: Annotated[bool, typer.Option("--correct", help=H("opt.correct"))] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help=H("opt.reason"), show_default=False)
    ] = None,
) -> None:
    from gaoxin_cli.models.state import Report
    from gaoxin_cli.rules.feedback import feedback_events, find_task
    from gaoxin_cli.store.lifecycle import task_lifecycle

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    day = parse_date_option(at, "--at") if at is not None else today
    find_task(plan, task)  # a clear error before the database is touched
    report = Report(
        task=task,
        at=day,
        progress=progress,
        note=note,
        unit=by,
        milestone=milestone,
        started=started,
        correct=correct,
        reason=reason,
    )
    with context.store(s, root, write=True) as st, st.transaction():
        life = task_lifecycle(st, task, day).state
        if life in ("closed", "cancelled"):
            raise GaoxinError("error.feedback_task_over", task=task, state=Msg(f"lstate.{life}"))
        state = st.state(task, day)
        events = feedback_events(
            plan, report, state, today, source="cli", recorded_at=context.now_stamp()
        )
        st.add(events)
    what = []
    for e in events:
        if e.kind == "feedback" and e.progress is not None:
            what.append(t("feedback.what_progress", s.lang, progress=f"{e.progress:g}"))
        elif e.kind == "feedback":
            what.append(t("feedback.what_note", s.lang))
        elif e.kind == "correction":
            what.append(t("feedback.what_correction", s.lang, progress=f"{e.progress:g}"))
        elif e.kind == "milestone":
            what.append(t("feedback.what_milestone", s.lang, name=e.milestone))
        elif e.kind == "start":
            what.append(t("feedback.what_started", s.lang, date=e.at.isoformat()))
    sep = "，" if s.lang == "zh" else ", "
    from gaoxin_cli.render.text import safe

    sys.stdout.write(safe(t("feedback.recorded", s.lang, task=task, what=sep.join(what))) + "\n")


@app.command(help=H("history"))
def history(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.feedback import find_task

    s = settings(ctx)
    root, plan = context.plan(s)
    found = find_task(plan, task)
    with context.store(s, root, write=False) as st:
        events = st.history(task, until=s.today())
    from gaoxin_cli.render import daily as view

    if as_json:
        emit_json({"task": task, "events": view.history_json(events, s.lang)})
    else:
        view.history(context.console(), found, events, plan.config, s.lang)


@app.command(name="import", help=H("import"))
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help=H("arg.import_file"), exists=True, dir_okay=False, show_default=False),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=H("opt.dry_run"))] = False,
) -> None:
    from gaoxin_cli.loading.events_file import read_rows
    from gaoxin_cli.models.state import TaskState, event_key
    from gaoxin_cli.rules.feedback import feedback_events, progress_runs

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    rows, problems = read_rows(file)
    events = []
    keys = []
    stamp = context.now_stamp()
    source = f"import:{file.name}"
    empty = TaskState()
    for line, report in rows:
        try:
            made = feedback_events(plan, report, empty, today, source=source, recorded_at=stamp)
        except GaoxinError as e:
            problems.append((line, e.msg))
            continue
        for ev in made:
            events.append(ev)
            keys.append(event_key(ev))
    # One transaction: the progress check reads what the write will build on.
    with context.store(s, root, write=not dry_run) as st, st.transaction():
        if rows:
            latest = max(r.at for _, r in rows)
            tasks = {r.task for _, r in rows}
            bad = {line for line, _ in problems}
            good = [(line, r) for line, r in rows if line not in bad]
            problems += progress_runs(good, st.states(latest, tasks))
        if problems:
            problems.sort(key=lambda p: p[0])
            listed = [
                t("import.row", s.lang, line=line, problem=msg.render(s.lang))
                for line, msg in problems[:20]
            ]
            if len(problems) > 20:
                listed.append(t("import.more", s.lang, n=len(problems) - 20))
            raise GaoxinError(
                "error.import_bad_rows", file=str(file), count=len(problems), rows="\n".join(listed)
            )
        added = 0 if dry_run else st.add_unique(events, keys)
    sys.stdout.write(
        t(
            "import.done",
            s.lang,
            file=file.name,
            rows=len(rows),
            added=added,
            skipped=len(events) - added,
        )
        + "\n"
    )


@app.command(help=H("sweep"))
def sweep(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.rules.dashboard import assess_all
    from gaoxin_cli.rules.sweep import card_changes
    from gaoxin_cli.store.extensions import effective_dues
    from gaoxin_cli.store.lifecycle import lifecycle_states

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    cal = context.calendar(plan)
    with context.store(s, root, write=True) as st, st.transaction():
        states = st.states(today)
        life = lifecycle_states(st, list(plan.by_id), today)
        dues = effective_dues(st, today)
        red_dues = _red_notice_dues(st, plan, today)
        rows = assess_all(plan.tasks, states, plan.config, today, cal, dues, life, red_dues)
        changes = card_changes(rows, today, context.now_stamp())
        st.add(changes)
    if as_json:
        emit_json(
            {
                "as_of": today.isoformat(),
                "tasks": len(rows),
                "changes": [
                    {"task": e.task, "level": (e.data or {}).get("level")} for e in changes
                ],
            }
        )
    else:
        sys.stdout.write(
            t("sweep.done", s.lang, date=today.isoformat(), tasks=len(rows), changed=len(changes))
            + "\n"
        )
