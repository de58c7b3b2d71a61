"""Escalation commands: ``overdue``, ``notify``, ``notice``, ``listed``, ``extend``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, parse_date_option, settings
from gaoxin_cli.cli.choices import known, task_filters
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError, UsageError

HELP: dict[str, tuple[str, str]] = {
    "overdue": (
        "逾期和预警任务：牌、逾期工作日、已发到哪一级督办（三单）、下一级及其日期。",
        "Late and warned tasks: card, working days late, the rung of the escalation ladder "
        "(三单) reached, and the next rung with its date.",
    ),
    "notify": (
        "每日督办（供 cron 使用）：签发今天到期的交办单、提醒、催办单、督办单、通报单，"
        "给每位收件人发一封汇总邮件。同一天重复运行不会重复发送；邮件服务器接收后才记为已送达。"
        "退出码：0 全部送达；1 有邮件未送达（下次运行重发）或另一个 notify 正在运行。",
        "Daily escalation run (for cron): file today's notices (交办单, 提醒, 催办单, 督办单, "
        "通报单) and send each recipient one digest mail. Running it twice a day sends "
        "nothing new; a notice counts as delivered only once the mail server accepted it. "
        "Exit codes: 0 all delivered; 1 some mail not delivered (sent on the next run) or "
        "another notify is running.",
    ),
    "opt.dry_run": (
        "只显示将签发的通知和将发送的邮件，不写入、不发送。",
        "Show the notices that would be filed and the mail that would be sent; write and "
        "send nothing.",
    ),
    "opt.outbox": (
        "把每封邮件写成此目录下的 .eml 文件，而不是发送（送达记为 outbox:文件名）。",
        "Write each mail as an .eml file into this directory instead of sending it "
        "(recorded as delivered, message id outbox:<file>).",
    ),
    "opt.any_day": (
        "在非工作日也运行（默认非工作日什么也不做）。",
        "Run on a rest day too (by default notify does nothing on a non-working day).",
    ),
    "notice": (
        "督办通知（三单）：show 打印一份通知原件，list 查看通知台账。",
        "Formal notices (三单): show prints one as filed, list the register.",
    ),
    "notice.show": (
        "按编号打印一份通知（交办单、催办单、督办单……），供打印和归档，附送达记录。",
        "Print one notice as the formal sheet (单), for print and filing, with its "
        "deliveries. NUMBER: 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12.",
    ),
    "notice.number": (
        "通知编号，如 督办〔2020〕12号、督办[2020]12 或 supervise-2020-12。",
        "Notice number: 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12.",
    ),
    "notice.list": (
        "通知台账：按种类、单位、任务、期间筛选。",
        "The register of notices, filtered by kind, unit, task and period.",
    ),
    "opt.kind": (
        "只看这种通知：assign、remind、urge、supervise、report"
        "（或 交办、提醒、催办、督办、通报；可重复）。",
        "Only this kind: assign, remind, urge, supervise, report (or 交办 … 通报; repeatable).",
    ),
    "opt.unit": ("只看这个牵头单位（可重复）。", "Only this lead unit (repeatable)."),
    "opt.task": ("只看这项任务（可重复）。", "Only this task (repeatable)."),
    "opt.period": (
        "期间：年 2020、季度 2020Q2、月 2020-06、日 2020-06-01，或区间 2020-06-01..2020-06-30。",
        "Period: a year 2020, quarter 2020Q2, month 2020-06, day 2020-06-01, or FROM..TO "
        "(2020-06-01..2020-06-30).",
    ),
    "opt.pillar": ("只看这个工作体系节点及其下级。", "Only this pillar and below."),
    "opt.card": (
        "只看这种牌：red、yellow、blue、accountability（可重复）。",
        "Only this card: red, yellow, blue, accountability (repeatable).",
    ),
    "opt.leader": ("只看这位责任领导的任务（可重复）。", "Only tasks of this leader (repeatable)."),
    "opt.listed": ("只看挂牌督办的任务。", "Only listed (挂牌督办) tasks."),
    "listed": (
        "挂牌督办事项：督办领导、挂牌天数、牌和进度；完成即摘牌，并显示摘牌日期。",
        "Listed tasks (挂牌督办): supervising leader, days listed, card and progress; a task "
        "is delisted (摘牌) when done, and the day is shown.",
    ),
    "opt.supervisor": (
        "只看这位督办领导的挂牌事项（可重复）。",
        "Only this supervising leader (repeatable).",
    ),
    "extend": (
        "延期：到期前申请（--to 日期 --reason 理由），领导批准（--approve --by 领导）或驳回"
        "（--reject --by 领导 --reason）。批准后的时限用于亮牌和督办，原时限仍用于考核。"
        "到期后申请须领导当场批准：--approve --by 领导 --late。领导可撤回已批准的延期"
        "（--withdraw --by 领导 --reason，时限恢复为上一次批准的日期或原定时限）或改为另一日期"
        "（--replace --to 日期 --by 领导 --reason），均记入历史。--to 最晚到 calendar.horizon_years"
        " 年后的年底（默认明年年底）。不带选项时显示延期记录。",
        "Extensions (延期): request before the due date (--to DATE --reason TEXT); a leader "
        "approves (--approve --by LEADER) or refuses (--reject --by LEADER --reason). The "
        "approved date drives cards and the ladder; scoring keeps the original date. After "
        "the due date only a leader can grant one, as late: --approve --by LEADER --late. "
        "A leader can take an approved extension back (--withdraw --by LEADER --reason: the "
        "due date falls back to the approval before it, else the plan's) or change its date "
        "(--replace --to DATE --by LEADER --reason); both stay in the history. --to reaches "
        "at most the end of the year calendar.horizon_years after today (default: next "
        "year). Without options, shows the task's extensions.",
    ),
    "arg.task": ("任务编号，如 JC-01。", "Task id, e.g. JC-01."),
    "opt.to": (
        "新的完成时限（YYYY-MM-DD），最晚到 calendar.horizon_years 年后的年底。",
        "The new due date (YYYY-MM-DD), at most the end of the year calendar.horizon_years "
        "after today.",
    ),
    "opt.reason": (
        "理由（批准时可省略；撤回、替换时必填）。",
        "Why (optional when approving; required to withdraw or replace).",
    ),
    "opt.approve": ("批准（须 --by 领导）。", "Approve (needs --by LEADER)."),
    "opt.reject": (
        "驳回（须 --by 领导 和 --reason）。",
        "Refuse (needs --by LEADER and --reason).",
    ),
    "opt.by": (
        "批准、驳回、撤回或替换的领导（领导编号）。",
        "The leader who approves, refuses, withdraws or replaces (leader id).",
    ),
    "opt.withdraw": (
        "撤回最近一次已批准的延期（须 --by 领导 和 --reason）。",
        "Withdraw the latest approved extension (needs --by LEADER and --reason).",
    ),
    "opt.replace": (
        "把最近一次已批准的延期改为 --to 日期（须 --by 领导 和 --reason）。",
        "Replace the latest approved extension by --to DATE (needs --by LEADER and --reason).",
    ),
    "opt.late": (
        "到期后由领导批准的逾期延期。",
        "A late extension, granted by a leader after the due date.",
    ),
}
H = help_table(HELP)

_KINDS = {
    "assign": "assign",
    "remind": "remind",
    "urge": "urge",
    "supervise": "supervise",
    "report": "report",
    "交办": "assign",
    "交办单": "assign",
    "提醒": "remind",
    "提醒单": "remind",
    "催办": "urge",
    "催办单": "urge",
    "督办": "supervise",
    "督办单": "supervise",
    "通报": "report",
    "通报单": "report",
}

UnitOpt = Annotated[
    list[str] | None, typer.Option("--unit", "-u", help=H("opt.unit"), show_default=False)
]


# --- overdue ------------------------------------------------------------------------


@app.command(help=H("overdue"))
def overdue(
    ctx: typer.Context,
    unit: UnitOpt = None,
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
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    sess = context.session(s)
    filters = task_filters(sess.plan, unit, pillar, card, leader, listed)
    result = service.overdue(sess, filters)
    from gaoxin_cli.render import ladder as view

    if as_json:
        emit_json(view.overdue_json(result, s.lang, sess.today))
    else:
        view.overdue(
            context.console(), result, sess.config, s.lang, sess.today, sess.estimated_years()
        )


# --- notify -------------------------------------------------------------------------


@app.command(help=H("notify"))
def notify(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=H("opt.dry_run"))] = False,
    outbox: Annotated[
        Path | None,
        typer.Option(
            "--outbox", metavar="DIR", help=H("opt.outbox"), file_okay=False, show_default=False
        ),
    ] = None,
    any_day: Annotated[bool, typer.Option("--any-day", help=H("opt.any_day"))] = False,
) -> None:
    from datetime import datetime

    from gaoxin_cli.service import notify as service

    s = settings(ctx)
    if dry_run and outbox is not None:
        raise UsageError("error.notify_dry_and_outbox")
    sess = context.session(s)
    transport: service.Transport
    if dry_run:
        transport = service.DryRun()
    elif outbox is not None:
        transport = service.OutboxTransport(outbox)
    else:
        mail = sess.config.mail
        password = os.environ.get(mail.password_env) if mail and mail.username else None
        transport = service.SmtpTransport(password)
    now = datetime.now().astimezone()
    done = service.run(sess, transport, now, context.now_stamp, any_day=any_day)
    from gaoxin_cli.render import notify as view

    if done.rest_day:
        sys.stdout.write(view.rest_day(done.today, s.lang) + "\n")
        return
    view.report(sys.stdout, sys.stderr, done, s.lang)
    failures = view.failure_lines(done, s.lang)
    if failures:
        raise GaoxinError("error.notify_failed", count=done.undelivered, lines="\n".join(failures))


# --- notice show / list -------------------------------------------------------------

notice_app = typer.Typer(
    help=H("notice"), no_args_is_help=True, rich_markup_mode=None, add_completion=False
)
app.add_typer(notice_app, name="notice")


@notice_app.command("show", help=H("notice.show"))
def notice_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help=H("notice.number"), show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.ladder import parse_number
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    parsed = parse_number(number)
    if parsed is None:
        raise UsageError("error.notice_bad_number", value=number)
    sess = context.session(s)
    found = service.notice(sess, *parsed)
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.notice_json(found.notice, found.deliveries))
    else:
        view.notice_sheet(context.console(), found.notice, found.deliveries, sess.config, s.lang)


@notice_app.command("list", help=H("notice.list"))
def notice_list(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help=H("opt.kind"), show_default=False)
    ] = None,
    unit: UnitOpt = None,
    task: Annotated[
        list[str] | None, typer.Option("--task", help=H("opt.task"), show_default=False)
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help=H("opt.period"), show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.ranking.period import Span
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    span = Span.parse(period) if period is not None else None
    sess = context.session(s)
    kinds = []
    for k in kind or []:
        key = k.strip().lower()
        if key not in _KINDS:
            raise UsageError("error.notice_bad_kind", value=k)
        kinds.append(_KINDS[key])
    for u in unit or []:
        known("unit", u, sess.config.units)
    found = service.register(
        sess,
        kinds=kinds,
        units=unit or (),
        tasks=task or (),
        since=span.first if span else None,
        until=span.last if span else None,
    )
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.register_json(found, sess.today))
    else:
        view.notice_list(context.console(), found, sess.config, s.lang)


# --- listed -------------------------------------------------------------------------


@app.command(help=H("listed"))
def listed(
    ctx: typer.Context,
    unit: UnitOpt = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", metavar="LEADER", help=H("opt.supervisor"), show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    sess = context.session(s)
    cfg = sess.config
    for u in unit or []:
        known("unit", u, cfg.units)
    for lead in by or []:
        known("leader", lead, cfg.leaders)
    rows = service.listed(sess, unit or (), by or ())
    from gaoxin_cli.render import ladder as view

    if as_json:
        emit_json(view.listed_json(rows, cfg, s.lang, sess.today))
    else:
        view.listed(context.console(), rows, cfg, s.lang, sess.today)


# --- extend -------------------------------------------------------------------------


@app.command(help=H("extend"))
def extend(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help=H("arg.task"), show_default=False)],
    to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help=H("opt.to"), show_default=False)
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help=H("opt.reason"), show_default=False)
    ] = None,
    approve: Annotated[bool, typer.Option("--approve", help=H("opt.approve"))] = False,
    reject: Annotated[bool, typer.Option("--reject", help=H("opt.reject"))] = False,
    by: Annotated[
        str | None, typer.Option("--by", metavar="LEADER", help=H("opt.by"), show_default=False)
    ] = None,
    late: Annotated[bool, typer.Option("--late", help=H("opt.late"))] = False,
    withdraw: Annotated[bool, typer.Option("--withdraw", help=H("opt.withdraw"))] = False,
    replace: Annotated[bool, typer.Option("--replace", help=H("opt.replace"))] = False,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.extensions import Request
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    sess = context.session(s)
    find_task(sess.plan, task)  # an unknown task is named before a bad --to
    new_to = parse_date_option(to, "--to") if to is not None else None
    req = Request(task, new_to, reason, approve, reject, by, late, withdraw, replace)
    result = service.extend(sess, req, context.now_stamp())
    from gaoxin_cli.render import extend as view

    if as_json:
        emit_json(view.extension_json(result))
    else:
        sys.stdout.write(view.extension_text(result, sess.config, s.lang) + "\n")
