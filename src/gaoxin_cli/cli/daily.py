"""Daily commands: ``status``, ``countdown``, ``feedback``, ``history``, ``import``, ``sweep``."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import choices, context
from gaoxin_cli.cli.choices import task_filters
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, XlsxOpt, emit_json, emit_written, xlsx_alone
from gaoxin_cli.cli.root import app, parse_date_option, parse_progress_option, settings

if TYPE_CHECKING:
    pass


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
    xlsx: XlsxOpt = None,
) -> None:
    from gaoxin_cli.service import daily as service

    xlsx_alone(xlsx, json=as_json)
    s = settings(ctx)
    sess = context.session(s, checks_aside=True)
    with context.checked(sess):  # after a plan change: its checks beside the reading
        filters = task_filters(sess.plan, unit, pillar, card, leader, listed)
        result = service.status(sess, filters)
    context.keep(result)
    from gaoxin_cli.render import status as view

    if xlsx is not None:
        from gaoxin_cli.render import xlsx_views

        emit_written(xlsx_views.status(xlsx, result, sess.config, s.lang), s.lang)
    elif as_json:
        emit_json(view.status_json(result, sess.config, s.lang))
    else:
        view.status(context.console(), result, sess.config, s.lang, limit, sess.estimated_years())


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
    xlsx: XlsxOpt = None,
) -> None:
    from gaoxin_cli.service import daily as service

    xlsx_alone(xlsx, json=as_json)
    s = settings(ctx)
    sess = context.session(s, checks_aside=True)
    with context.checked(sess):  # after a plan change: its checks beside the reading
        units = choices.units(sess.config, unit)
        result = service.countdown(sess, due=due, within=within, units=units)
    from gaoxin_cli.render import daily as view

    if xlsx is not None:
        from gaoxin_cli.render import xlsx_views

        emit_written(
            xlsx_views.countdown(xlsx, result, sess.config, s.lang, sess.today, within or 0),
            s.lang,
        )
    elif as_json:
        emit_json(view.countdown_json(result, sess.today))
    else:
        view.countdown(
            context.console(),
            result,
            sess.config,
            s.lang,
            sess.today,
            within or 0,
            sess.estimated_years(),
        )


@app.command(help=H("feedback"))
def feedback(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)],
    progress: Annotated[
        str | None,
        typer.Option("--progress", "-p", metavar="PCT", help=H("opt.progress"), show_default=False),
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
    from gaoxin_cli.service import daily as service

    s = settings(ctx)
    sess = context.session(s)
    day = parse_date_option(at, "--at") if at is not None else sess.today
    report = Report(
        task=task,
        at=day,
        progress=parse_progress_option(progress) if progress is not None else None,
        note=note,
        unit=by,
        milestone=milestone,
        started=started,
        correct=correct,
        reason=reason,
    )
    events = service.feedback(sess, report, context.now_stamp())
    from gaoxin_cli.render import daily as view

    sys.stdout.write(view.feedback_recorded(task, events, s.lang) + "\n")


@app.command(help=H("history"))
def history(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.service import daily as service

    s = settings(ctx)
    sess = context.session(s)
    found = service.history(sess, task)
    from gaoxin_cli.render import daily as view

    if as_json:
        emit_json(
            {
                "task": task,
                "events": view.history_json(found.events, s.lang, sess.config),
                "started": view.start_json(found.start),
            }
        )
    else:
        view.history(
            context.console(), found.task, found.events, sess.config, s.lang, start=found.start
        )


@app.command(name="import", help=H("import"))
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help=H("arg.import_file"), exists=True, dir_okay=False, show_default=False),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=H("opt.dry_run"))] = False,
    accept_plan_change: Annotated[
        bool, typer.Option("--accept-plan-change", help=H("opt.accept_plan_change"))
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help=H("opt.encoding"), show_default=False),
    ] = None,
) -> None:
    from gaoxin_cli.service import daily as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.import_file(
        sess,
        file,
        dry_run=dry_run,
        recorded_at=context.now_stamp(),
        accept_plan_change=accept_plan_change,
        encoding=encoding,
    )
    from gaoxin_cli.render import daily as view

    for warning in done.warnings:
        sys.stderr.write(warning.render(s.lang) + "\n")
    sys.stdout.write(view.imported(file.name, done, s.lang) + "\n")


@app.command(help=H("sweep"))
def sweep(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.service import daily as service

    s = settings(ctx)
    sess = context.session(s)
    result = service.sweep(sess, context.now_stamp())
    from gaoxin_cli.render import daily as view

    if as_json:
        emit_json(view.sweep_json(result, sess.today))
    else:
        sys.stdout.write(view.swept(result, sess.today, s.lang) + "\n")
