"""The ``problem`` group (问题提报): ``report``, ``accept``, ``reject``, ``assign``,
``answer``, ``verify``, ``list``, ``show``.

Each parses its options, calls one function of :mod:`gaoxin_cli.service.problems` and
prints what :mod:`gaoxin_cli.render.problems` makes of the result.
"""

import sys
from typing import Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, XlsxOpt, emit_json, emit_written, xlsx_alone
from gaoxin_cli.cli.root import command_group, settings
from gaoxin_cli.errors import UsageError

NumberArg = Annotated[str, typer.Argument(help=H("arg.number"), show_default=False)]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help=H("problem.opt.reason"), show_default=False)
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", "-m", help=H("problem.opt.note"), show_default=False)
]
ActorOpt = Annotated[
    str | None, typer.Option("--by", metavar="UNIT", help=H("opt.actor"), show_default=False)
]
TaskOpt = Annotated[
    str | None,
    typer.Option("--task", "-t", metavar="TASK", help=H("opt.problem_task"), show_default=False),
]

problem_app = command_group("problem", H("problem"))


def _said(line: str) -> None:
    sys.stdout.write(line + "\n")


@problem_app.command(help=H("problem.report"))
def report(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=H("arg.text"), show_default=False)],
    task: TaskOpt = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="UNIT", help=H("opt.reporter"), show_default=False)
    ] = None,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.report(sess, text, task=task, by=by, recorded_at=context.now_stamp())
    _said(view.reported(done, s.lang))


@problem_app.command(help=H("problem.accept"))
def accept(
    ctx: typer.Context, number: NumberArg, by: ActorOpt = None, note: NoteOpt = None
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.accept(sess, number, by=by, note=note, recorded_at=context.now_stamp())
    _said(view.stepped(done, s.lang))


@problem_app.command(help=H("problem.reject"))
def reject(
    ctx: typer.Context, number: NumberArg, reason: ReasonOpt = None, by: ActorOpt = None
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.reject(sess, number, reason=reason, by=by, recorded_at=context.now_stamp())
    _said(view.stepped(done, s.lang))


@problem_app.command(help=H("problem.assign"))
def assign(
    ctx: typer.Context,
    number: NumberArg,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="UNIT", help=H("problem.opt.to"), show_default=False),
    ] = None,
    hard: Annotated[bool, typer.Option("--hard", help=H("opt.hard"))] = False,
    note: NoteOpt = None,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.assign(
        sess, number, to=to, hard=hard, note=note, recorded_at=context.now_stamp()
    )
    _said(view.stepped(done, s.lang))


@problem_app.command(help=H("problem.answer"))
def answer(
    ctx: typer.Context,
    number: NumberArg,
    note: Annotated[
        str | None, typer.Option("--note", "-m", help=H("opt.answer"), show_default=False)
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="UNIT", help=H("opt.answer_by"), show_default=False),
    ] = None,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    done = service.answer(sess, number, note=note, by=by, recorded_at=context.now_stamp())
    _said(view.stepped(done, s.lang))


@problem_app.command(help=H("problem.verify"))
def verify(
    ctx: typer.Context,
    number: NumberArg,
    ok: Annotated[bool, typer.Option("--ok", help=H("opt.ok"))] = False,
    satisfied: Annotated[
        str | None,
        typer.Option("--satisfied", metavar="yes|no", help=H("opt.satisfied"), show_default=False),
    ] = None,
    reopen: Annotated[bool, typer.Option("--reopen", help=H("opt.reopen"))] = False,
    reason: ReasonOpt = None,
    note: NoteOpt = None,
    by: ActorOpt = None,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    if ok == reopen:
        raise UsageError("error.verify_one_of")
    answer_ = service.satisfied_from(satisfied)
    s = settings(ctx)
    sess = context.session(s)
    step = service.verify if ok else service.reopen
    done = step(
        sess,
        number,
        satisfied=answer_,
        reason=reason,
        note=note,
        by=by,
        recorded_at=context.now_stamp(),
    )
    _said(view.stepped(done, s.lang))


@problem_app.command(name="list", help=H("problem.list"))
def list_(
    ctx: typer.Context,
    state: Annotated[
        list[str] | None, typer.Option("--state", help=H("opt.state"), show_default=False)
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit", "-u", metavar="UNIT", help=H("problem.opt.unit"), show_default=False
        ),
    ] = None,
    task: TaskOpt = None,
    late: Annotated[bool, typer.Option("--late", help=H("problem.opt.late"))] = False,
    everything: Annotated[bool, typer.Option("--all", help=H("opt.all"))] = False,
    as_json: JsonOpt = False,
    xlsx: XlsxOpt = None,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    xlsx_alone(xlsx, json=as_json)
    s = settings(ctx)
    sess = context.session(s)
    found = service.list_problems(
        sess,
        states=state or (),
        units=unit or (),
        task=task,
        late=late,
        everything=everything,
    )
    if xlsx is not None:
        from gaoxin_cli.render import xlsx_views

        emit_written(xlsx_views.problem_list(xlsx, found, sess.config, s.lang), s.lang)
    elif as_json:
        emit_json(view.problem_list_json(found, s.lang))
    else:
        view.problem_list(context.console(), found, sess.config, s.lang)


@problem_app.command(help=H("problem.show"))
def show(ctx: typer.Context, number: NumberArg, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

    s = settings(ctx)
    sess = context.session(s)
    detail = service.show(sess, number)
    if as_json:
        emit_json(view.problem_show_json(detail, sess.config, s.lang))
    else:
        view.problem_show(context.console(), detail, sess.config, s.lang)
