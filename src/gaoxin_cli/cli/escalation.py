"""Escalation commands: ``overdue``, ``notify``, ``notice``, ``listed``, ``extend``."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, parse_date_option, settings
from gaoxin_cli.cli.choices import known, task_filters
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Lang, Msg, t

if TYPE_CHECKING:
    from gaoxin_cli.models import Plan
    from gaoxin_cli.rules.ladder import Standing
    from gaoxin_cli.store import Store

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
P = ParamSpec("P")
R = TypeVar("R")

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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while a command works: the plan and the
    notices are tens of thousands of long-lived objects and the work makes hardly any
    cycles, yet each collection walks them all (a third of a 10,000-task notify)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Run the command with the collector paused (see :func:`_gc_paused`)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with _gc_paused():
            return fn(*args, **kwargs)

    return run


def _standings(
    st: Store, plan: Plan, today: date, tasks: Any = None, *, open_only: bool = False
) -> list[Standing]:
    """Standings of *tasks* (all), most severe first; *open_only* leaves out the tasks
    that are done, closed or cancelled (``overdue`` never shows them)."""
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.rules.lifecycle import STOPPED_STATES
    from gaoxin_cli.store.extensions import effective_dues
    from gaoxin_cli.store.lifecycle import lifecycle_states
    from gaoxin_cli.store.notices import by_subject

    chosen = plan.tasks if tasks is None else tasks
    with st.transaction(lock=False):
        states = st.states(today)
        dues = effective_dues(st, today)
        issued = by_subject(st, today, full=False)
        life = lifecycle_states(st, [tk.id for tk in chosen], today)
    if open_only:
        done = {tid for tid, state in states.items() if state.done}
        done.update(tid for tid, state in life.items() if state in STOPPED_STATES)
        chosen = [tk for tk in chosen if tk.id not in done]
    return ladder.standings(
        chosen, states, dues, issued, plan.config, today, context.calendar(plan), life
    )


# --- overdue ------------------------------------------------------------------------


@app.command(help=H("overdue"))
@_paused
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
    from gaoxin_cli.rules import ladder

    s = settings(ctx)
    root, plan = context.plan(s)
    cfg = plan.config
    filters = task_filters(plan, unit, pillar, card, leader, listed)
    today = s.today()
    tasks = [tk for tk in plan.tasks if filters.keep_task(tk)]
    # Late 问题提报 climb the same ladder (docs/lifecycle.md); pillar, leader and listed
    # describe tasks only, so with one of them only tasks are listed.
    with context.store(s, root, write=False) as st:
        items = _standings(st, plan, today, tasks, open_only=True)
        with_problems = not (pillar or leader or listed) and st.has_kind("problem")
        late = _late_problems(st, plan, today, unit, filters.levels) if with_problems else []
    rows = ladder.overdue(items, cfg, today, context.calendar(plan), filters.levels)
    from gaoxin_cli.render import notices as view

    if as_json:
        doc = view.overdue_json(rows, s.lang, today)
        doc["problems"] = _problems_json(late, s.lang)
        emit_json(doc)
    else:
        console = context.console()
        view.overdue(console, rows, cfg, s.lang, today, context.estimated_years())
        if late:
            from gaoxin_cli.render.lifecycle import problems_section

            problems_section(console, late, cfg, s.lang, limit=0)


def _late_problems(
    st: Store, plan: Plan, today: date, units: list[str] | None, levels: frozenset[int]
) -> list[Any]:
    """The 问题提报 past a stage deadline, most severe first, for ``overdue``."""
    from gaoxin_cli.rules.problems import ProblemFilter, problem_lines, replay
    from gaoxin_cli.store.problems import all_problems

    chosen = ProblemFilter(units=frozenset(units or ()), late=True)
    statuses = [replay(r, e) for r, e in all_problems(st, today)]
    lines = problem_lines(statuses, today, context.calendar(plan), plan, chosen)
    return [
        ln for ln in lines if ln.card is not None and (not levels or ln.card.card.level in levels)
    ]


def _problems_json(lines: list[Any], lang: Lang) -> list[dict[str, Any]]:
    if not lines:
        return []
    from gaoxin_cli.render.lifecycle import problem_json

    return [problem_json(ln, lang) for ln in lines]


# --- notify -------------------------------------------------------------------------


@app.command(help=H("notify"))
@_paused
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

    from gaoxin_cli.notify import lock, runner

    s = settings(ctx)
    lang = s.lang
    if dry_run and outbox is not None:
        raise UsageError("error.notify_dry_and_outbox")
    root, plan = context.plan(s)
    cfg = plan.config
    today = s.today()
    cal = context.calendar(plan)
    if not any_day and not cal.is_workday(today):
        weekday = t(f"weekday.{today.weekday()}", lang)
        sys.stdout.write(t("notify.rest_day", lang, date=today.isoformat(), weekday=weekday) + "\n")
        return
    mail = cfg.mail
    password: str | None = None
    if mail is None:
        if not dry_run and outbox is None:
            raise GaoxinError("error.mail_not_configured")
        from gaoxin_cli.models import spec

        mail = spec.to_record(spec.MailConfigSpec(host="localhost", sender="notify@gaoxin.invalid"))
    elif not dry_run and outbox is None and mail.username:
        password = os.environ.get(mail.password_env)
        if not password:
            raise GaoxinError("error.mail_no_password", env=mail.password_env)
    now = datetime.now().astimezone()
    stamp = context.now_stamp()
    from gaoxin_cli.render.text import safe

    def out(line: str) -> None:
        sys.stdout.write(safe(line, multiline=True) + "\n")

    if dry_run:
        with context.store(s, root, write=False) as st:
            prepared = runner.prepare(st, plan, today, cal, dry_run=True)
        built, bad = _build(prepared.digests, cfg, mail, today, now)
        for line in _summary(prepared, lang, dry=True):
            out(line)
        for i, m in enumerate(built, 1):
            out(t("notify.dry_header", lang, i=i, n=len(built)))
            out(t("notify.dry_to", lang, to=str(m.headers["To"])))
            out(t("notify.dry_subject", lang, subject=str(m.headers["Subject"])))
            out("")
            out(m.text.rstrip("\n"))
        _warnings(prepared, bad, lang)
        _estimate_line(out, lang)
        return

    db = context.db_path(s, root)
    failures: list[str] = []
    undelivered = 0
    with lock.exclusive(lock.lock_path(db)), context.store(s, root, write=True) as st:
        prepared = runner.prepare(st, plan, today, cal, dry_run=False, recorded_at=stamp)
        built, bad = _build(prepared.digests, cfg, mail, today, now)
        sent = 0
        if outbox is not None:
            from gaoxin_cli.notify import outbox as box

            for i, m in enumerate(built, 1):
                name = box.write(outbox, today, m, i)
                runner.record(st, m, today, context.now_stamp(), f"outbox:{name}")
                sent += 1
        else:
            from gaoxin_cli.notify.smtp import send

            result = send(
                built,
                mail,
                password,
                lambda m: runner.record(st, m, today, context.now_stamp(), m.message_id),
                still_due=lambda m: runner.still_due(st, m, today),
            )
            sent = len(result.sent)
            undelivered = len(result.failed) + len(result.unsent)
            failures += [
                t("notify.fail_line", lang, email=f.recipient, why=f.why.render(lang))
                for f in result.failed
            ]
            failures += [t("notify.unsent_line", lang, email=e) for e in result.unsent]
            if result.fatal is not None:
                failures.insert(0, "  " + result.fatal.render(lang))
    for line in _summary(prepared, lang, dry=False):
        out(line)
    if outbox is not None:
        out(t("notify.mails_outbox", lang, sent=sent, dir=str(outbox)))
    else:
        out(t("notify.mails", lang, due=len(built), sent=sent))
    _warnings(prepared, bad, lang)
    _estimate_line(out, lang)
    failures += [
        t("notify.fail_line", lang, email=e, why=t("notify.bad_address", lang, email=e))
        for e in bad
    ]
    if failures:
        count = undelivered + len(bad)
        raise GaoxinError("error.notify_failed", count=count, lines="\n".join(failures))


def _estimate_line(out: Callable[[str], None], lang: Lang) -> None:
    """The run's summary says when its deadlines used an estimated year (cron mails it)."""
    years = context.estimated_years()
    if years:
        from gaoxin_cli.calendar import year_spans

        out(t("calendar.estimated", lang, years=year_spans(years)))


def _build(digests: Any, cfg: Any, mail: Any, today: date, now: Any) -> tuple[list[Any], list[str]]:
    from gaoxin_cli.notify import message

    built, bad = [], []
    cache: dict[Any, Any] = {}
    for d in digests:
        try:
            built.append(message.build(cfg, mail, today, d, now, cache=cache))
        except ValueError:
            bad.append(d.email)
    return built, bad


def _summary(prepared: Any, lang: Any, *, dry: bool) -> list[str]:
    from collections import Counter

    from gaoxin_cli.rules.ladder import KINDS

    counts = Counter(n.kind for n in prepared.filed)
    sep = "、" if lang == "zh" else ", "
    listed = sep.join(f"{t(f'notice.short.{k}', lang)} {counts[k]}" for k in KINDS if counts[k])
    kinds = t("notify.kinds", lang, list=listed) if listed else ""
    key = "notify.filed_dry" if dry else "notify.filed"
    lines = [t(key, lang, date=prepared.today.isoformat(), n=len(prepared.filed), kinds=kinds)]
    if dry:
        lines.append(t("notify.mails_dry", lang, due=len(prepared.digests)))
    return lines


def _warnings(prepared: Any, bad: list[str], lang: Any) -> None:
    from gaoxin_cli.render.text import safe

    if not prepared.unmailed:
        return
    people: dict[str, None] = {}
    for _, p in prepared.unmailed:
        role = str(p.get("role") or "")
        label = t(f"notice.role.{role}", lang)
        people[t("notice.person", lang, name=str(p.get("name") or ""), role=label)] = None
    sep = "、" if lang == "zh" else ", "
    notices = len({n.number for n, _ in prepared.unmailed})
    line = t("notify.no_email", lang, n=notices, who=sep.join(people))
    sys.stderr.write(safe(line) + "\n")


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
    from gaoxin_cli.store import notices as store_notices

    s = settings(ctx)
    parsed = parse_number(number)
    if parsed is None:
        raise UsageError("error.notice_bad_number", value=number)
    root, plan = context.plan(s)
    with context.store(s, root, write=False) as st:
        found = store_notices.by_number(st, *parsed)
        if found is None or found.issued_on > s.today():
            from gaoxin_cli.rules.ladder import number as fmt

            raise GaoxinError("error.notice_not_found", number=fmt(*parsed))
        sent = store_notices.deliveries(st, notice_ids=[found.id or 0]).get(found.id or 0, [])
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.notice_json(found, sent))
    else:
        view.notice_sheet(context.console(), found, sent, plan.config, s.lang)


@notice_app.command("list", help=H("notice.list"))
@_paused
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
    from gaoxin_cli.store import notices as store_notices

    s = settings(ctx)
    span = Span.parse(period) if period is not None else None
    root, plan = context.plan(s)
    cfg = plan.config
    kinds = []
    for k in kind or []:
        key = k.strip().lower()
        if key not in _KINDS:
            raise UsageError("error.notice_bad_kind", value=k)
        kinds.append(_KINDS[key])
    for u in unit or []:
        known("unit", u, cfg.units)
    today = s.today()
    lo, hi = (span.first, span.last) if span else (None, today)
    with context.store(s, root, write=False) as st:
        found = store_notices.notices(
            st,
            as_of=min(hi, today) if hi else today,
            kinds=kinds,
            units=unit or (),
            subjects=task or (),
            since=lo,
        )
        sent = store_notices.deliveries(st, as_of=today)
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(
            {
                "as_of": today.isoformat(),
                "notices": [view.notice_json(n, sent.get(n.id or -1, [])) for n in found],
            }
        )
    else:
        view.notice_list(context.console(), found, sent, cfg, s.lang)


# --- listed -------------------------------------------------------------------------


@app.command(help=H("listed"))
@_paused
def listed(
    ctx: typer.Context,
    unit: UnitOpt = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", metavar="LEADER", help=H("opt.supervisor"), show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.store.notices import completions

    s = settings(ctx)
    root, plan = context.plan(s)
    cfg = plan.config
    for u in unit or []:
        known("unit", u, cfg.units)
    for lead in by or []:
        known("leader", lead, cfg.leaders)
    tasks = [
        tk
        for tk in plan.tasks
        if tk.listed is not None
        and (not unit or tk.lead in unit)
        and (not by or tk.listed.by in by)
    ]
    today = s.today()
    with context.store(s, root, write=False) as st:
        items = _standings(st, plan, today, tasks)
        done_on = completions(st, today, [tk.id for tk in tasks])
    rows = ladder.listing(items, done_on, today, context.calendar(plan))
    from gaoxin_cli.render import notices as view

    if as_json:
        emit_json(view.listed_json(rows, cfg, s.lang, today))
    else:
        view.listed(context.console(), rows, cfg, s.lang, today)


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
    from gaoxin_cli.render.text import safe
    from gaoxin_cli.rules import extensions as rules
    from gaoxin_cli.rules.feedback import find_task
    from gaoxin_cli.store.extensions import extension_history
    from gaoxin_cli.store.lifecycle import task_lifecycle

    s = settings(ctx)
    root, plan = context.plan(s)
    found = find_task(plan, task)
    today = s.today()
    lang = s.lang
    new_to = parse_date_option(to, "--to") if to is not None else None
    acting = new_to is not None or reason is not None or approve or reject or by or late
    acting = acting or withdraw or replace
    if not acting:
        with context.store(s, root, write=False) as st:
            current = rules.summarize(found, extension_history(st, task, today))
        if as_json:
            emit_json(_extension_json(found.id, found.due, current))
            return
        _show_extensions(plan, found, current, lang, safe)
        return
    req = rules.Request(task, new_to, reason, approve, reject, by, late, withdraw, replace)
    with context.store(s, root, write=True) as st, st.transaction():
        life = task_lifecycle(st, task, today).state
        # nothing left to extend; a withdrawal (an undo) is always possible
        if life in ("done", "closed", "cancelled") and not withdraw:
            raise GaoxinError("error.extend_task_over", task=task, state=Msg(f"lstate.{life}"))
        current = rules.summarize(found, extension_history(st, task, today))
        state = st.state(task, today)
        events = rules.extension_events(
            plan, found, req, current, state, today, recorded_at=context.now_stamp()
        )
        st.add(events)
        after = rules.summarize(found, [*current.events, *events])
    if as_json:
        emit_json(_extension_json(found.id, found.due, after))
        return
    last = events[-1]
    data = last.data or {}
    who = _leader(plan, by)
    if data.get("action") == "withdraw":
        line = t(
            "extend.withdrawn",
            lang,
            task=task,
            to=data.get("to"),
            by=who,
            due=after.due.isoformat(),
        )
    elif data.get("replaces"):
        line = t(
            "extend.replaced",
            lang,
            task=task,
            old=data.get("replaces"),
            to=data.get("to"),
            by=who,
            planned=found.due.isoformat(),
        )
    elif data.get("action") == "approve":
        line = t(
            "extend.approved",
            lang,
            task=task,
            to=data.get("to"),
            by=who,
            planned=found.due.isoformat(),
        )
    elif data.get("action") == "reject":
        line = t("extend.rejected", lang, task=task, by=who)
    else:
        line = t(
            "extend.requested", lang, task=task, due=current.due.isoformat(), to=data.get("to")
        )
    sys.stdout.write(safe(line) + "\n")


def _extension_json(task: str, planned: date, ext: Any) -> dict[str, Any]:
    return {
        "task": task,
        "planned_due": planned.isoformat(),
        "due": ext.due.isoformat(),
        "pending": None
        if ext.pending is None
        else {
            "at": ext.pending.at.isoformat(),
            "to": (ext.pending.data or {}).get("to"),
            "reason": ext.pending.reason,
        },
        "events": [
            {
                "at": e.at.isoformat(),
                "action": (e.data or {}).get("action"),
                "to": (e.data or {}).get("to"),
                "by": (e.data or {}).get("by"),
                "late": bool((e.data or {}).get("late")),
                "replaces": (e.data or {}).get("replaces"),
                "reason": e.reason,
            }
            for e in ext.events
        ],
    }


def _show_extensions(plan: Any, found: Any, ext: Any, lang: Any, safe: Any) -> None:
    lines = [
        t(
            "extend.show",
            lang,
            task=found.id,
            title=found.title,
            planned=found.due.isoformat(),
            due=ext.due.isoformat(),
        )
    ]
    if not ext.events:
        lines.append(t("extend.none", lang))
    for e in ext.events:
        d = e.data or {}
        action = str(d.get("action"))
        key = f"extend.line.{action}"
        if action == "request" and d.get("late"):
            key = "extend.line.request_late"
        if action == "approve" and d.get("replaces"):
            key = "extend.line.replace"
        if action not in ("request", "approve", "reject", "withdraw"):
            continue
        lines.append(
            "  "
            + t(
                key,
                lang,
                at=e.at.isoformat(),
                to=d.get("to"),
                by=_leader(plan, d.get("by")),
                reason=e.reason or "",
                old=d.get("replaces") or "",
            )
        )
    if ext.pending is not None:
        p = ext.pending
        lines.append(
            t(
                "extend.pending",
                lang,
                at=p.at.isoformat(),
                to=(p.data or {}).get("to"),
                reason=p.reason or "",
            )
        )
    sys.stdout.write("".join(safe(x) + "\n" for x in lines))


def _leader(plan: Any, leader: object) -> str:
    p = plan.config.leaders.get(str(leader)) if leader else None
    return str(p.name if p else (leader or ""))
