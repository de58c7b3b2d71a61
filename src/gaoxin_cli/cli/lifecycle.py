"""Task lifecycle commands: ``submit``, ``review``, ``close``, ``cancel``.

Each parses its options, calls :mod:`gaoxin_cli.service.lifecycle` (which checks and
records the step in one transaction) and prints the line
:func:`gaoxin_cli.render.lifecycle.step_message` makes of the recorded event.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

# The ``problem`` group registers here, after ``notice`` and before ``flag``: where
# ``gaoxin --help`` has always listed it.
from gaoxin_cli.cli import (
    context,
    problems,  # noqa: F401
)
from gaoxin_cli.cli.app import app, settings
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.errors import UsageError

HELP: dict[str, tuple[str, str]] = {
    "submit": (
        "牵头单位提交办理结果，任务进入“审核中”，等待领导审核（办理中 → 审核中）。",
        "The lead unit submits the result; the task goes under review until a leader "
        "decides (in progress → under review).",
    ),
    "review": (
        "领导审核办理结果：--accept 办结，或 --return --reason 退回重办（原因记入历史）。",
        "A leader reviews the submitted result: --accept makes the task done; --return "
        "--reason sends it back to in progress (the reason is kept).",
    ),
    "close": (
        "销号：办结的任务核验后从台账中销去（已办结 → 已销号）。",
        "Close (销号) a done task after verification: it leaves the ledger (done → closed).",
    ),
    "cancel": (
        "撤销一项未办结的任务（须领导决定并说明原因）。撤销后不再亮牌、不再督办。",
        "Cancel an open task (a leader decides, with a reason). No cards or notices follow.",
    ),
    "arg.task": ("任务编号，如 JC-01。", "Task id, e.g. JC-01."),
    "opt.result": ("办理结果（必填）。", "What was achieved (required)."),
    "opt.submit_by": (
        "提交单位：牵头单位（默认）或督查室代报。",
        "Submitting unit: the lead unit (default) or the office on its behalf.",
    ),
    "opt.accept": ("审核通过，任务办结。", "Accept the result: the task is done."),
    "opt.return": ("退回重办（须 --reason）。", "Return it for more work (needs --reason)."),
    "opt.leader": (
        "作出决定的领导（gaoxin.yaml 中 leaders 下的编号）。",
        "The deciding leader (an id under leaders in gaoxin.yaml).",
    ),
    "opt.reason": (
        "原因（退回、撤销、重办、不予受理时必填）。",
        "Why (required to return, cancel, reopen or reject).",
    ),
    "opt.note": ("说明。", "A note."),
}
H = help_table(HELP)

TaskArg = Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help=H("opt.reason"), show_default=False)
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", "-m", help=H("opt.note"), show_default=False)
]
LeaderOpt = Annotated[
    str | None, typer.Option("--by", metavar="LEADER", help=H("opt.leader"), show_default=False)
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
