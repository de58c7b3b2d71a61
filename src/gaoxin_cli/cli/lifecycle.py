"""Lifecycle commands: ``submit``, ``review``, ``close``, ``cancel``, ``problem …``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import Settings, app, settings
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from gaoxin_cli.models import Plan
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.rules.problems import ProblemStatus
    from gaoxin_cli.store import Store

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

TaskArg = Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)]
NumberArg = Annotated[str, typer.Argument(help=H("arg.number"), show_default=False)]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help=H("opt.reason"), show_default=False)
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", "-m", help=H("opt.note"), show_default=False)
]
LeaderOpt = Annotated[
    str | None, typer.Option("--by", metavar="LEADER", help=H("opt.leader"), show_default=False)
]


def _say(line: str) -> None:
    from gaoxin_cli.render.text import safe

    sys.stdout.write(safe(line) + "\n")


# --- task lifecycle -----------------------------------------------------------------------


def _step(ctx: typer.Context, task: str, action: str, **fields: str | None) -> None:
    """Read the task's state, check the step and record it — one write transaction, so
    two people cannot both act on the same stale state."""
    from gaoxin_cli.render.lifecycle import step_message
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.rules.lifecycle import lifecycle_step
    from gaoxin_cli.store.lifecycle import task_lifecycle

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    find_task(plan, task)  # a clear error before the database is touched
    with context.store(s, root, write=True) as st, st.transaction():
        now = task_lifecycle(st, task, today)
        event = lifecycle_step(
            plan,
            task,
            action,
            now.state,
            today,
            last_step=now.last_step,
            recorded_at=context.now_stamp(),
            **fields,
        )
        st.add([event])
    _say(step_message(event, s.lang))


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
    _step(ctx, task, "submit", note=result, unit=by)


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
    if accept == return_:
        raise UsageError("error.review_one_of")
    action = "accept" if accept else "return"
    _step(ctx, task, action, by=by, reason=reason, note=note)


@app.command(help=H("close"))
def close(ctx: typer.Context, task: TaskArg, note: NoteOpt = None) -> None:
    _step(ctx, task, "close", note=note)


@app.command(help=H("cancel"))
def cancel(
    ctx: typer.Context, task: TaskArg, reason: ReasonOpt = None, by: LeaderOpt = None
) -> None:
    _step(ctx, task, "cancel", by=by, reason=reason)


# --- 问题提报 -----------------------------------------------------------------------------

problem_app = typer.Typer(
    name="problem",
    help=H("problem"),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(problem_app, name="problem")


def _find(st: Store, text: str, year: int) -> tuple[str, ProblemStatus]:
    """A problem by its number (any accepted spelling), replayed from all its steps."""
    from gaoxin_cli.rules.problems import parse_number, replay, unknown_number
    from gaoxin_cli.store import problems as stored

    row = stored.get(st, text.strip())
    if row is None:
        parsed = parse_number(text, year)
        if parsed is not None:
            row = stored.get(st, stored.number_for(*parsed))
    if row is None:
        raise unknown_number(text, stored.numbers(st))
    return row.number, replay(row, stored.steps(st, row.number))


def _next_due(plan: Plan, event: Event, status: ProblemStatus) -> tuple[str, date] | None:
    """The stage the step led to and its deadline (None once closed or rejected)."""
    from gaoxin_cli.rules.problems import replay, stage_due

    after = replay(status, [*status.steps, event])
    due = stage_due(after, plan.config.rules.problems, context.calendar(plan))
    return (after.state, due) if due is not None else None


def _problem_step(s: Settings, number: str, action: str, **fields: Any) -> None:
    from gaoxin_cli.render.lifecycle import problem_message
    from gaoxin_cli.rules.problems import step

    root, plan = context.plan(s)
    today = s.today()
    with context.store(s, root, write=True) as st, st.transaction():
        _, status = _find(st, number, today.year)
        event = step(plan, status, action, today, recorded_at=context.now_stamp(), **fields)
        st.add([event])
    _say(problem_message(event, s.lang, _next_due(plan, event, status)))


@problem_app.command(help=H("problem.report"))
def report(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=H("arg.text"), show_default=False)],
    task: Annotated[
        str | None,
        typer.Option(
            "--task", "-t", metavar="TASK", help=H("opt.problem_task"), show_default=False
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="UNIT", help=H("opt.reporter"), show_default=False)
    ] = None,
) -> None:
    from gaoxin_cli.i18n import t
    from gaoxin_cli.rules.problems import check_report, report_event
    from gaoxin_cli.store import problems as stored

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    reporter = by or plan.config.org.office
    cleaned, task_id = check_report(plan, reporter, task, text)
    stamp = context.now_stamp()
    with context.store(s, root, write=True) as st, st.transaction():
        seq = stored.next_seq(st, today.year)
        row = stored.ProblemRow(
            number=stored.number_for(today.year, seq),
            year=today.year,
            seq=seq,
            reported_on=today,
            reporter=reporter,
            task=task_id,
            text=cleaned,
            recorded_at=stamp,
        )
        stored.insert(
            st, row, [report_event(row.number, today, reporter, task_id, recorded_at=stamp)]
        )
    due = context.calendar(plan).add_workdays(today, plan.config.rules.problems.accept_wd)
    _say(
        t(
            "problem.reported",
            s.lang,
            number=row.number,
            short=f"{row.year}-{row.seq}",
            due=due.isoformat(),
        )
    )


ActorOpt = Annotated[
    str | None, typer.Option("--by", metavar="UNIT", help=H("opt.actor"), show_default=False)
]


@problem_app.command(help=H("problem.accept"))
def accept(
    ctx: typer.Context, number: NumberArg, by: ActorOpt = None, note: NoteOpt = None
) -> None:
    _problem_step(settings(ctx), number, "accept", unit=by, note=note)


@problem_app.command(help=H("problem.reject"))
def reject(
    ctx: typer.Context, number: NumberArg, reason: ReasonOpt = None, by: ActorOpt = None
) -> None:
    _problem_step(settings(ctx), number, "reject", unit=by, reason=reason)


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
    _problem_step(settings(ctx), number, "assign", unit=to, hard=hard, note=note)


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
    _problem_step(settings(ctx), number, "answer", unit=by, note=note)


_YES = {"yes", "y", "true", "1", "是", "满意"}
_NO = {"no", "n", "false", "0", "否", "不满意"}


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
    if ok == reopen:
        raise UsageError("error.verify_one_of")
    answer_: bool | None = None
    if satisfied is not None:
        word = satisfied.strip().lower()
        if word not in _YES | _NO:
            raise UsageError("error.bad_satisfied", value=satisfied)
        answer_ = word in _YES
    action = "verify" if ok else "reopen"
    _problem_step(
        settings(ctx), number, action, satisfied=answer_, reason=reason, note=note, unit=by
    )


def _states(values: list[str]) -> frozenset[str]:
    from gaoxin_cli.i18n import t
    from gaoxin_cli.rules.problems import STATES

    words = {s: s for s in STATES}
    for lang in ("zh", "en"):
        for s in STATES:
            words[t(f"pstate.{s}", lang)] = s
    out = set()
    for v in values:
        key = v.strip().lower().replace("-", "_")
        if key not in words:
            raise UsageError("error.bad_problem_state", value=v, names=", ".join(STATES))
        out.add(words[key])
    return frozenset(out)


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
    task: Annotated[
        str | None,
        typer.Option(
            "--task", "-t", metavar="TASK", help=H("opt.problem_task"), show_default=False
        ),
    ] = None,
    late: Annotated[bool, typer.Option("--late", help=H("opt.late"))] = False,
    everything: Annotated[bool, typer.Option("--all", help=H("opt.all"))] = False,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.rules.problems import ProblemFilter, check_unit, problem_lines, replay
    from gaoxin_cli.store.problems import all_problems

    s = settings(ctx)
    root, plan = context.plan(s)
    for u in unit or []:
        check_unit(plan, u)
    if task is not None:
        find_task(plan, task)
    chosen = ProblemFilter(
        states=_states(state or []),
        units=frozenset(unit or ()),
        task=task,
        late=late,
        everything=everything,
    )
    today = s.today()
    with context.store(s, root, write=False) as st:
        statuses = [replay(row, steps) for row, steps in all_problems(st, today)]
    cal = context.calendar(plan)
    lines = problem_lines(statuses, today, cal, plan, chosen)
    every_open = problem_lines(statuses, today, cal, plan)
    late_count = sum(1 for ln in every_open if ln.card is not None and ln.card.late_wd > 0)
    from gaoxin_cli.render import lifecycle as view

    if as_json:
        emit_json(
            {
                "as_of": today.isoformat(),
                "open": len(every_open),
                "late": late_count,
                "problems": [view.problem_json(ln, s.lang) for ln in lines],
            }
        )
    else:
        view.problem_list(
            context.console(), lines, plan.config, s.lang, today, len(every_open), late_count
        )


@problem_app.command(help=H("problem.show"))
def show(ctx: typer.Context, number: NumberArg, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.rules.problems import (
        ProblemFilter,
        problem_lines,
        replay,
        resolve_due,
        resolve_limit,
    )
    from gaoxin_cli.store import problems as stored

    s = settings(ctx)
    root, plan = context.plan(s)
    today = s.today()
    with context.store(s, root, write=False) as st:
        found, _ = _find(st, number, today.year)
        row = stored.get(st, found)
        assert row is not None
        status = replay(row, stored.steps(st, found, until=today))
    cal = context.calendar(plan)
    rules = plan.config.rules.problems
    (line,) = problem_lines([status], today, cal, plan, ProblemFilter(everything=True))
    from gaoxin_cli.render import lifecycle as view

    if as_json:
        doc = view.problem_json(line, s.lang)
        doc["steps"] = view.steps_json(status, s.lang, plan.config)
        emit_json(doc)
    else:
        view.problem_show(
            context.console(),
            line,
            resolve_due(status, rules, cal),
            resolve_limit(status, rules),
            plan.config,
            s.lang,
        )
