"""Escalation commands: ``overdue``, ``notify``, ``notice``, ``listed``, ``extend``."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import choices, context
from gaoxin_cli.cli.choices import task_filters
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, XlsxOpt, emit_json, emit_written, xlsx_alone
from gaoxin_cli.cli.root import app, command_group, parse_date_option, settings
from gaoxin_cli.errors import GaoxinError, UsageError

if TYPE_CHECKING:
    from gaoxin_cli.models import Config
    from gaoxin_cli.service.channels import ChannelRun

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
    list[str] | None,
    typer.Option("--unit", "-u", help=H("escalation.opt.unit"), show_default=False),
]


# --- overdue ------------------------------------------------------------------------


@app.command(help=H("overdue"))
def overdue(
    ctx: typer.Context,
    unit: UnitOpt = None,
    pillar: Annotated[
        str | None,
        typer.Option("--pillar", "-p", help=H("escalation.opt.pillar"), show_default=False),
    ] = None,
    card: Annotated[
        list[str] | None, typer.Option("--card", help=H("escalation.opt.card"), show_default=False)
    ] = None,
    leader: Annotated[
        list[str] | None,
        typer.Option("--leader", help=H("escalation.opt.leader"), show_default=False),
    ] = None,
    listed: Annotated[bool, typer.Option("--listed", help=H("opt.listed"))] = False,
    as_json: JsonOpt = False,
    xlsx: XlsxOpt = None,
) -> None:
    from gaoxin_cli.service import escalation as service

    xlsx_alone(xlsx, json=as_json)
    s = settings(ctx)
    sess = context.session(s, checks_aside=True)
    with context.checked(sess):  # after a plan change: its checks beside the reading
        filters = task_filters(sess.plan, unit, pillar, card, leader, listed)
        result = service.overdue(sess, filters)
    context.keep(result)
    from gaoxin_cli.render import ladder as view

    if xlsx is not None:
        from gaoxin_cli.render import xlsx_views

        emit_written(xlsx_views.overdue(xlsx, result, sess.config, s.lang, sess.today), s.lang)
    elif as_json:
        emit_json(view.overdue_json(result, s.lang, sess.today))
    else:
        view.overdue(
            context.console(), result, sess.config, s.lang, sess.today, sess.estimated_years()
        )


# --- notify -------------------------------------------------------------------------


@app.command(help=H("notify"))
def notify(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=H("escalation.opt.dry_run"))] = False,
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
    from gaoxin_cli.render import notify as view

    now = datetime.now().astimezone()
    robots = _robot_run(sess.config)
    done = service.run(
        sess,
        transport,
        now,
        context.now_stamp,
        any_day=any_day,
        lang=s.lang,
        robots=robots,
        waiting=lambda m: view.waiting(sys.stderr, m, s.lang),
    )

    context.keep(done)  # its notices and mails let go with the process, not one by one
    if done.rest_day:
        sys.stdout.write(view.rest_day(done.today, s.lang) + "\n")
        return
    view.report(sys.stdout, sys.stderr, done, s.lang)
    failures = view.failure_lines(done, s.lang)
    robot_failures = view.robot_failure_lines(done, s.lang)
    if failures:
        lines = "\n".join([*failures, *robot_failures])
        raise GaoxinError("error.notify_failed", count=done.undelivered, lines=lines)
    if robot_failures:
        count = len(robot_failures)
        raise GaoxinError("error.robots_failed", count=count, lines="\n".join(robot_failures))


def _robot_run(config: "Config") -> "ChannelRun":
    """The group robots' signing secrets, read from the environment variables gaoxin.yaml
    names (never from the file itself)."""
    from gaoxin_cli.service.channels import ChannelRun

    robots = [r for u in config.units.values() for r in u.robots.values()]
    robots += [r for p in config.leaders.values() for r in p.robots.values()]
    names = {r.secret_env for r in robots if r.secret_env}
    return ChannelRun({n: os.environ[n] for n in names if os.environ.get(n)})


# --- notice show / list -------------------------------------------------------------

notice_app = command_group("notice", H("notice"))


@notice_app.command("show", help=H("notice.show"))
def notice_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help=H("notice.number"), show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.notice_record import parse_number
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    parsed = parse_number(number)
    if parsed is None:
        raise UsageError("error.notice_bad_number", value=number)
    sess = context.session(s)
    found = service.notice(sess, *parsed)
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.notice_json(found.notice, found.deliveries, found.waiting_wd))
    else:
        view.notice_sheet(
            context.console(),
            found.notice,
            found.deliveries,
            sess.config,
            s.lang,
            found.waiting_wd,
        )


@notice_app.command("list", help=H("notice.list"))
def notice_list(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help=H("escalation.opt.kind"), show_default=False),
    ] = None,
    unit: UnitOpt = None,
    task: Annotated[
        list[str] | None, typer.Option("--task", help=H("opt.task"), show_default=False)
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", metavar="PERIOD", help=H("escalation.opt.period"), show_default=False
        ),
    ] = None,
    unsigned: Annotated[bool, typer.Option("--unsigned", help=H("notice.opt.unsigned"))] = False,
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
    found = service.register(
        sess,
        kinds=kinds,
        units=choices.units(sess.config, unit),
        tasks=task or (),
        since=span.first if span else None,
        until=span.last if span else None,
        unsigned=unsigned,
    )
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.register_json(found, sess.today))
    else:
        view.notice_list(context.console(), found, sess.config, s.lang, sess.today)


@notice_app.command("sign", help=H("notice.sign"))
def notice_sign(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help=H("notice.number"), show_default=False)],
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="UNIT", help=H("notice.opt.sign_by"), show_default=False),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="DATE", help=H("notice.opt.sign_at"), show_default=False),
    ] = None,
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help=H("notice.opt.sign_withdraw"))
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help=H("notice.opt.sign_reason"), show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules.notice_record import parse_number
    from gaoxin_cli.service import escalation as service

    s = settings(ctx)
    parsed = parse_number(number)
    if parsed is None:
        raise UsageError("error.notice_bad_number", value=number)
    if withdraw and at is not None:
        raise UsageError("error.sign_withdraw_at")
    if not withdraw and by is None:
        raise UsageError("error.sign_needs_by")
    if reason is not None and not withdraw:
        raise UsageError("error.sign_reason_alone")
    day = parse_date_option(at, "--at") if at is not None else None
    sess = context.session(s)
    unit = choices.unit(sess.config, by)
    done = service.sign(
        sess,
        *parsed,
        unit=unit,
        at=day,
        recorded_at=context.now_stamp(),
        withdraw=withdraw,
        reason=reason,
    )
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.sign_json(done, sess.today))
    else:
        sys.stdout.write(view.sign_text(done, sess.config, s.lang) + "\n")


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
    rows = service.listed(sess, choices.units(cfg, unit), choices.leaders(cfg, by))
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
        str | None,
        typer.Option("--to", metavar="DATE", help=H("escalation.opt.to"), show_default=False),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help=H("escalation.opt.reason"), show_default=False)
    ] = None,
    approve: Annotated[bool, typer.Option("--approve", help=H("opt.approve"))] = False,
    reject: Annotated[bool, typer.Option("--reject", help=H("opt.reject"))] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="LEADER", help=H("escalation.opt.by"), show_default=False),
    ] = None,
    late: Annotated[bool, typer.Option("--late", help=H("escalation.opt.late"))] = False,
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
