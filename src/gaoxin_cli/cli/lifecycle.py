"""Task lifecycle commands: ``submit``, ``review``, ``close``, ``cancel``.

Each parses its options, calls :mod:`gaoxin_cli.service.lifecycle` (which checks and
records the step in one transaction) and prints the line
:func:`gaoxin_cli.render.lifecycle.step_message` makes of the recorded event.
"""

import sys
from typing import Annotated

import typer

# The ``problem`` group registers here, after ``notice`` and before ``flag``: where
# ``gaoxin --help`` has always listed it.
from gaoxin_cli.cli import (
    context,
    problems,  # noqa: F401
)
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.root import app, settings
from gaoxin_cli.errors import UsageError

TaskArg = Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help=H("lifecycle.opt.reason"), show_default=False)
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", "-m", help=H("lifecycle.opt.note"), show_default=False)
]
LeaderOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="LEADER", help=H("lifecycle.opt.leader"), show_default=False),
]


def _said(line: str) -> None:
    sys.stdout.write(line + "\n")


@app.command(help=H("submit"))
def submit(
    ctx: typer.Context,
    task: TaskArg,
    result: Annotated[
        str | None, typer.Option("--result", "-m", help=H("opt.result"), show_default=False)
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="UNIT", help=H("opt.submit_by"), show_default=False),
    ] = None,
) -> None:
    from gaoxin_cli.render import lifecycle as view
    from gaoxin_cli.service import lifecycle as service

    s = settings(ctx)
    sess = context.session(s)
    event = service.submit(sess, task, result=result, by=by, recorded_at=context.now_stamp())
    _said(view.step_message(event, s.lang))


@app.command(help=H("review"))
def review(
    ctx: typer.Context,
    task: TaskArg,
    accept: Annotated[bool, typer.Option("--accept", help=H("opt.accept"))] = False,
    return_: Annotated[bool, typer.Option("--return", help=H("opt.return"))] = False,
    by: LeaderOpt = None,
    reason: ReasonOpt = None,
    note: NoteOpt = None,
) -> None:
    from gaoxin_cli.render import lifecycle as view
    from gaoxin_cli.service import lifecycle as service

    if accept == return_:
        raise UsageError("error.review_one_of")
    s = settings(ctx)
    sess = context.session(s)
    event = service.review(
        sess,
        task,
        accept=accept,
        by=by,
        reason=reason,
        note=note,
        recorded_at=context.now_stamp(),
    )
    _said(view.step_message(event, s.lang))


@app.command(help=H("close"))
def close(ctx: typer.Context, task: TaskArg, note: NoteOpt = None) -> None:
    from gaoxin_cli.render import lifecycle as view
    from gaoxin_cli.service import lifecycle as service

    s = settings(ctx)
    sess = context.session(s)
    event = service.close(sess, task, note=note, recorded_at=context.now_stamp())
    _said(view.step_message(event, s.lang))


@app.command(help=H("cancel"))
def cancel(
    ctx: typer.Context, task: TaskArg, reason: ReasonOpt = None, by: LeaderOpt = None
) -> None:
    from gaoxin_cli.render import lifecycle as view
    from gaoxin_cli.service import lifecycle as service

    s = settings(ctx)
    sess = context.session(s)
    event = service.cancel(sess, task, reason=reason, by=by, recorded_at=context.now_stamp())
    _said(view.step_message(event, s.lang))
