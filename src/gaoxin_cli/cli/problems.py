"""The ``problem`` group (问题提报): ``report``, ``accept``, ``reject``, ``assign``,
``answer``, ``verify``, ``list``, ``show``.

Each parses its options, calls one function of :mod:`gaoxin_cli.service.problems` and
prints what :mod:`gaoxin_cli.render.problems` makes of the result.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, settings
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import UsageError

HELP: dict[str, tuple[str, str]] = {
    "opt.reason": (
        "原因（退回、撤销、重办、不予受理时必填）。",
        "Why (required to return, cancel, reopen or reject).",
    ),
    "opt.note": ("说明。", "A note."),
    "problem": (
        "问题提报闭环：提报 → 受理 → 交办 → 答复 → 核实销号（或重办、不予受理）。"
        "各环节时限按工作日计算（rules.problems，默认 1/1/2/10 个工作日，难度大的 25 个），"
        "逾期亮牌并进入同一督办流程。",
        "问题提报 closed loop: report → accept → assign → answer → verify and close (or "
        "reopen, or reject). Each stage has a limit in working days (rules.problems; "
        "defaults 1/1/2/10, 25 when hard); a late problem gets a card and enters the same "
        "notice ladder as tasks.",
    ),
    "problem.report": (
        "提报一个问题，得到编号（问题〔年〕N号），1 个工作日内应受理。",
        "Report a problem and get its number (问题〔YEAR〕N号); accept it within 1 working day.",
    ),
    "problem.accept": ("受理问题（已提报 → 已受理）。", "Accept a problem (reported → accepted)."),
    "problem.reject": (
        "不予受理（须 --reason，只能在受理前）。",
        "Reject a problem (needs --reason; only before it is accepted).",
    ),
    "problem.assign": (
        "把已受理的问题交办给承办单位（--to）；--hard 表示难度大或涉及多部门，办结时限放宽。",
        "Assign an accepted problem to a unit (--to); --hard for a difficult or multi-unit "
        "problem: the longer resolve limit.",
    ),
    "problem.answer": (
        "承办单位答复问题（--note 写明答复内容）。",
        "The assigned unit answers the problem (--note: the answer).",
    ),
    "problem.verify": (
        "核实答复：--ok --satisfied yes 销号；"
        "回访不满意（--satisfied no）或 --reopen --reason 重办。",
        "Verify the answer: --ok --satisfied yes closes it; an unsatisfied reporter "
        "(--satisfied no) or --reopen --reason sends it back to the unit.",
    ),
    "problem.list": (
        "列出问题：状态、已历工作日、当前时限、逾期和待办单位。默认只列未办结的。",
        "List problems with state, age in working days, stage deadline, lateness and whose "
        "move it is. Open ones by default.",
    ),
    "problem.show": ("一个问题的详情和办理过程。", "One problem in full, with every step."),
    "arg.text": ("问题内容。", "What the problem is."),
    "arg.number": (
        "问题编号：问题〔2020〕3号、2020-3，或本年的 3。",
        "Problem number: 问题〔2020〕3号, 2020-3, or 3 for this year.",
    ),
    "opt.problem_task": ("相关任务编号。", "The related task id."),
    "opt.reporter": (
        "提报单位（默认督查室）。",
        "Reporting unit (default: the supervision office).",
    ),
    "opt.actor": ("办理单位（默认督查室）。", "Acting unit (default: the supervision office)."),
    "opt.to": ("承办单位编号。", "The unit to handle it."),
    "opt.hard": (
        "难度大或涉及多部门：办结时限用 hard_resolve_wd（默认 25 个工作日）。",
        "Difficult or multi-unit: resolve within hard_resolve_wd (default 25 WD).",
    ),
    "opt.answer": ("答复内容。", "The answer."),
    "opt.answer_by": ("答复单位（默认承办单位）。", "Answering unit (default: the assigned unit)."),
    "opt.ok": ("核实无误（须 --satisfied）。", "The answer checks out (needs --satisfied)."),
    "opt.satisfied": (
        "回访提报人是否满意：yes 或 no（不满意的重办）。",
        "Was the reporter satisfied: yes or no (if not, it is reopened).",
    ),
    "opt.reopen": (
        "核实不通过，退回承办单位重办（须 --reason）。",
        "Send it back to the unit (needs --reason).",
    ),
    "opt.state": (
        "只看这些状态：reported、accepted、assigned、answered、closed、rejected（可重复）。",
        "Only these states: reported, accepted, assigned, answered, closed, rejected (repeatable).",
    ),
    "opt.unit": (
        "只看交办给这个单位或轮到它办理的问题（可重复）。",
        "Only problems assigned to this unit or waiting on it (repeatable).",
    ),
    "opt.late": ("只看逾期的。", "Only late problems."),
    "opt.all": ("包括已销号和不予受理的。", "Include closed and rejected problems."),
}
H = help_table(HELP)

NumberArg = Annotated[str, typer.Argument(help=H("arg.number"), show_default=False)]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help=H("opt.reason"), show_default=False)
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", "-m", help=H("opt.note"), show_default=False)
]
ActorOpt = Annotated[
    str | None, typer.Option("--by", metavar="UNIT", help=H("opt.actor"), show_default=False)
]
TaskOpt = Annotated[
    str | None,
    typer.Option("--task", "-t", metavar="TASK", help=H("opt.problem_task"), show_default=False),
]

problem_app = typer.Typer(
    name="problem",
    help=H("problem"),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(problem_app, name="problem")


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
        str | None, typer.Option("--to", metavar="UNIT", help=H("opt.to"), show_default=False)
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
        typer.Option("--unit", "-u", metavar="UNIT", help=H("opt.unit"), show_default=False),
    ] = None,
    task: TaskOpt = None,
    late: Annotated[bool, typer.Option("--late", help=H("opt.late"))] = False,
    everything: Annotated[bool, typer.Option("--all", help=H("opt.all"))] = False,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.render import problems as view
    from gaoxin_cli.service import problems as service

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
    if as_json:
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
