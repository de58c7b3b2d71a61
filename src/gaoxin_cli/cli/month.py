"""Month-end commands: ``ranking``, ``flag award|history|score``, ``bulletin``.

The composition root for scoring: it reads the store (``store.awards``), takes the
reporting deadlines from ``rules.reports``, hands plain facts to the pure ``ranking``
package, and renders. docs/ranking.md describes every rule.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import Settings, app, settings
from gaoxin_cli.cli.choices import known
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Lang, Msg, t

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.models import Plan
    from gaoxin_cli.ranking import FactsFor, Period, RankingResult
    from gaoxin_cli.ranking.inputs import ScoreItem, TaskFacts
    from gaoxin_cli.ranking.scores import UnitScore
    from gaoxin_cli.render.ranking import Frozen
    from gaoxin_cli.store import Store

HELP: dict[str, tuple[str, str]] = {
    "ranking": (
        "流动红旗评比：各牵头单位的得分、名次及变化、红黄牌、完成率，流动红旗和末位，附得分条形图。\n\n"
        "得分 = 100 − 扣分 + 加分（规则见 docs/ranking.md，权重在 gaoxin.yaml 的 rules.ranking）。"
        "默认是今天所在的月份（rules.ranking.period 为 quarter/year 时是季度/年度）；"
        "已评定的期间显示冻结结果。",
        "The 流动红旗 ranking: each lead unit's score, rank and change, red and yellow cards, "
        "completion rate, the flag holder and the bottom units, with a bar chart.\n\n"
        "Score = 100 − deductions + bonuses (docs/ranking.md; weights in rules.ranking of "
        "gaoxin.yaml). Default: the month containing today (the quarter or year when "
        "rules.ranking.period says so). An awarded period prints its frozen result.",
    ),
    "opt.period": (
        "评比期：2020-05（月）、2020Q2（季度）或 2020（年）。",
        "The period: 2020-05 (month), 2020Q2 (quarter) or 2020 (year).",
    ),
    "opt.live": (
        "忽略已冻结的评定结果，按当前计划、记录和规则重新计算。",
        "Ignore frozen awards: recompute from today's plan, history and rules.",
    ),
    "opt.explain": (
        "列出这个单位的每一项扣分和加分（任务和依据的规则），合计即得分。",
        "List every deduction and bonus of this unit, with its task and rule; they sum to "
        "the score.",
    ),
    "opt.cards": (
        "显示单位双亮牌（位次牌 / 进退牌）。",
        "Show unit rank cards (双亮牌: standing / change).",
    ),
    "opt.csv": ("输出 CSV（每个单位一行）。", "Print CSV, one row per unit."),
    "flag": (
        "流动红旗：评定并冻结某一期的结果（award），查看历史（history），记录领导督查评分和加减分（score）。",
        "The 流动红旗: freeze a period's result (award), show who held it (history), record "
        "a leader's inspection score or points with a reason (score).",
    ),
    "award": (
        "评定一期：把得分、名次、流动红旗和末位写入数据库并冻结，"
        "此后计划或规则的改变都不会改变它。默认评定刚结束的一期。"
        "已评定的期间只有加 --force --reason 才能重新评定，原评定保留在历史中。",
        "Award a period: scores, ranks, the flag holder and the bottom units are written to "
        "the store and frozen; later plan or rule changes never alter them. Default: the "
        "period that ended last. A period already awarded is awarded again only with "
        "--force --reason; the history keeps both.",
    ),
    "award.short": (
        "评定一期并冻结结果：得分、名次、流动红旗和末位。",
        "Freeze a period's result: scores, ranks, the flag holder, the bottom units.",
    ),
    "opt.force": (
        "重新评定已评定的期间（须给出 --reason）。",
        "Award an awarded period again (needs --reason).",
    ),
    "opt.force_reason": ("重新评定的原因。", "Why the period is awarded again."),
    "history": (
        "流动红旗历史：每期由谁获得、连续获得的期数、如何转移，以及末位。",
        "Who held the flag each awarded period, streaks, how it moved, and the bottom units.",
    ),
    "score": (
        "记录一项评分：领导督查评分（inspection，按季度，0–100，季度得分 = 各月 90% + 督查 10%），"
        "或加分（bonus）、扣分（deduction），须说明原因和记录领导。记录只增不改；"
        "督查评分以最后一次为准。",
        "Record a score item: a leader's inspection score (inspection, per quarter, 0–100; "
        "quarter = months 90% + inspection 10%), or a bonus or deduction with a reason and "
        "the leader who gave it. Items are only ever added; the latest inspection score counts.",
    ),
    "score.short": (
        "记录领导督查评分（按季度），或有理由的加分、扣分。",
        "Record a leader's inspection score (per quarter), or points with a reason.",
    ),
    "arg.unit": ("单位编号。", "Unit id."),
    "opt.points": (
        "分值：督查评分 0–100；加分、扣分为正数（扣分时自动取负）。",
        "Points: inspection 0–100; bonus and deduction positive (a deduction is subtracted).",
    ),
    "opt.item_reason": ("原因（必填）。", "The reason (required)."),
    "opt.kind": (
        "inspection（领导督查评分）、bonus（加分，默认）或 deduction（扣分）。",
        "inspection (a leader's score), bonus (default) or deduction.",
    ),
    "opt.by_leader": (
        "评分或批准的领导（领导编号）。",
        "The leader who scored or approved it (leader id).",
    ),
    "bulletin": (
        "月度督查通报：总体情况、排名和得分图、流动红旗和末位、红牌和挂牌督办事项、本期发出的督办文书。"
        "--format html 生成单个自包含的 HTML 文件（无需网络，可按 A4 打印）。默认是刚结束的一期。",
        "The monthly 督查通报: summary figures, the ranking with a chart, the flag holder and "
        "bottom units, red-card and listed tasks with reasons, notices issued in the period. "
        "--format html writes one self-contained file (no network needed; prints on A4). "
        "Default: the period that ended last.",
    ),
    "opt.format": ("md（Markdown，默认）或 html。", "md (Markdown, default) or html."),
    "opt.output": (
        "写入这个文件，而不是标准输出。",
        "Write to this file instead of standard output.",
    ),
}

H = help_table(HELP)

flag_app = typer.Typer(
    name="flag",
    help=H("flag"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(flag_app, name="flag")


class Format(StrEnum):
    md = "md"
    html = "html"


class ItemKindOpt(StrEnum):
    inspection = "inspection"
    bonus = "bonus"
    deduction = "deduction"


PeriodOpt = Annotated[
    str | None,
    typer.Option("--period", "-p", metavar="PERIOD", help=H("opt.period"), show_default=False),
]


# --- shared steps -----------------------------------------------------------------------


def _emit(textual: str) -> None:
    sys.stdout.write(textual)


def _warn(lines: list[str], lang: Lang) -> None:
    from gaoxin_cli.render.text import safe

    sep = "：" if lang == "zh" else ": "
    for line in lines:
        sys.stderr.write(f"{t('rank.warning', lang)}{sep}{safe(line)}\n")


def _period(value: str | None, plan: Plan, today: date, *, ended: bool) -> Period:
    from gaoxin_cli.ranking import Period

    if value is not None:
        return Period.parse(value)
    kind = plan.config.rules.ranking.period
    return Period.last_ended(today, kind) if ended else Period.containing(today, kind)


def _known_unit(plan: Plan, unit: str) -> None:
    known("unit", unit, plan.config.units)


def _deadlines(plan: Plan, month: Period, end: date) -> dict[str, list[tuple[date, date]]]:
    """Reporting deadlines in the month per cadence, each with the start of its window
    (rules.reports). While the month runs, a deadline falling today is not yet due."""
    from gaoxin_cli.models import Cadence
    from gaoxin_cli.rules.reports import last_deadline

    rules = plan.config.rules.feedback
    first = end + timedelta(days=1) if end >= month.end else end
    out: dict[str, list[tuple[date, date]]] = {}
    cadences: tuple[Cadence, ...] = ("weekly", "biweekly", "monthly")
    for cadence in cadences:
        found: list[tuple[date, date]] = []
        day = first
        while True:
            deadline, since = last_deadline(cadence, rules, day)
            if deadline < month.start:
                break
            found.append((deadline, since))
            day = deadline
        out[cadence] = found[::-1]
    return out


def _reporting(plan: Plan) -> list[tuple[str, date, date, str]]:
    """Per task: (id, first day it reports for, due, cadence) — rules.progress/reports."""
    from gaoxin_cli.rules.progress import window_start
    from gaoxin_cli.rules.reports import cadence_of

    cfg = plan.config
    return [(task.id, window_start(task), task.due, cadence_of(task, cfg)) for task in plan.tasks]


def _facts_provider(plan: Plan, st: Store, cal: WorkCalendar, no_cards: list[date]) -> FactsFor:
    """``facts_for(month, last day)``: the task facts of a month, read from the store."""
    from gaoxin_cli.ranking import facts as fx
    from gaoxin_cli.store import awards as aw

    ids = [task.id for task in plan.tasks]
    reporting = _reporting(plan)

    def facts_for(month: Period, end: date) -> list[TaskFacts]:
        life = fx.lifecycle(aw.lifecycle_rows(st, end), month.start, end)
        done = fx.done_days(aw.done_days(st, ids, end), life)
        deadlines = _deadlines(plan, month, end)
        checks = fx.report_checks(reporting, deadlines, month, done, life.cancelled)
        history = fx.MonthHistory(
            start=month.start,
            end=end,
            cards_before=aw.card_levels(st, month.start - timedelta(days=1)),
            card_changes=aw.card_changes(st, month.start, end),
            done_on=done,
            returned=life.returned,
            cancelled=life.cancelled,
            extended_to=fx.extensions(aw.extension_rows(st, end), end),
            missed=aw.missed_reports(st, checks),
        )
        if not history.cards_before and not history.card_changes:
            no_cards.append(end)
        return fx.build(plan.tasks, history, cal)

    return facts_for


def _items(st: Store, keys: set[str]) -> list[ScoreItem]:
    from gaoxin_cli.ranking.inputs import ScoreItem
    from gaoxin_cli.store import awards as aw

    return [
        ScoreItem(r.period, r.unit, r.kind, r.points, r.reason, r.by, r.recorded_on, r.id)
        for r in aw.score_items(st, keys)
    ]


def _frozen_scores(st: Store, period: Period) -> dict[str, UnitScore] | None:
    from gaoxin_cli.ranking.result import from_json
    from gaoxin_cli.store import awards as aw

    award = aw.latest_award(st, period.key)
    if award is None:
        return None
    return {r.unit: r.score for r in from_json(award.result).rows}


def _plan_begins(plan: Plan) -> date | None:
    from gaoxin_cli.rules.progress import window_start

    return min((window_start(task) for task in plan.tasks), default=None)


def _live(plan: Plan, st: Store, period: Period, today: date, *, use_frozen: bool) -> RankingResult:
    """The period's result computed now (frozen parts and previous period when awarded)."""
    from gaoxin_cli import ranking
    from gaoxin_cli.ranking.flag import rank
    from gaoxin_cli.ranking.period import Period as P
    from gaoxin_cli.store import awards as aw

    if today < period.start:
        raise GaoxinError("error.period_not_begun", period=period.key, today=today.isoformat())
    cfg = plan.config
    rules = cfg.rules.ranking
    no_cards: list[date] = []
    facts_for = _facts_provider(plan, st, context.calendar(plan), no_cards)
    keys = {p.key for q in (period, period.previous()) for p in (q, *q.parts(), *q.months())}
    items = _items(st, keys)

    def frozen_for(p: P) -> dict[str, UnitScore] | None:
        return _frozen_scores(st, p) if use_frozen else None

    end = min(today, period.end)
    scores = ranking.period_scores(period, end, facts_for, rules, items, frozen_for=frozen_for)
    begins = _plan_begins(plan)
    # Without any recorded card, red and yellow cannot be told from their absence; say
    # so once the plan has begun.
    no_history = [day for day in no_cards if begins is not None and begins <= day]
    warnings = [Msg("rank.warn_no_cards", day=no_history[-1].isoformat())] if no_history else []
    names = {uid: u.name for uid, u in cfg.units.items()}
    warnings += ranking.item_warnings(period, scores, items, names)
    # The change column: the previous period's award, else its score now — unless it
    # lies wholly before the plan begins.
    prev: P | None = period.previous()
    prev_ranks: dict[str, tuple[int, int]] | None = None
    prev_frozen = False
    award = aw.latest_award(st, period.previous().key) if use_frozen else None
    if award is not None:
        prev_ranks = {
            u["unit"]: (u["rank"], round(float(u["score"]) * 100)) for u in award.result["units"]
        }
        prev_frozen = True
    elif begins is not None and period.previous().end >= begins:
        before = period.previous()
        prev_scores = ranking.period_scores(
            before, before.end, facts_for, rules, items, frozen_for=frozen_for
        )
        prev_ranks = {r.unit: (r.rank, r.score.points) for r in rank(prev_scores, rules, names)}
    else:
        prev = None
    return ranking.evaluate(
        period,
        end,
        scores,
        rules,
        names,
        cfg.org.name,
        previous=prev,
        previous_ranks=prev_ranks,
        previous_frozen=prev_frozen,
        warnings=warnings,
    )


def _result(
    plan: Plan, st: Store, period: Period, today: date, *, live: bool
) -> tuple[RankingResult, Frozen | None]:
    """The frozen result of an awarded period (unless *live*), else the live one."""
    from gaoxin_cli.ranking.result import from_json
    from gaoxin_cli.render.ranking import Frozen
    from gaoxin_cli.store import awards as aw

    award = None if live else aw.latest_award(st, period.key)
    if award is not None:
        frozen = Frozen(award.id, award.awarded_on, award.force_reason, award.supersedes)
        return from_json(award.result), frozen
    return _live(plan, st, period, today, use_frozen=not live), None


def _people(plan: Plan) -> dict[str, str]:
    return {lid: p.name for lid, p in plan.config.leaders.items()}


def _open(s: Settings) -> tuple[Path, Plan, date]:
    import gc

    # The plan is tens of thousands of long-lived objects: keep the cyclic collector off
    # while it loads, then move them out of its way, or every collection while scoring
    # walks all of them again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        root, plan = context.plan(s)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return root, plan, s.today()


# --- ranking ------------------------------------------------------------------------------


@app.command(help=H("ranking"))
def ranking(
    ctx: typer.Context,
    period: PeriodOpt = None,
    live: Annotated[bool, typer.Option("--live", help=H("opt.live"))] = False,
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="UNIT", help=H("opt.explain"), show_default=False),
    ] = None,
    cards: Annotated[bool, typer.Option("--cards", help=H("opt.cards"))] = False,
    as_json: JsonOpt = False,
    as_csv: Annotated[bool, typer.Option("--csv", help=H("opt.csv"))] = False,
) -> None:
    if as_json and as_csv:
        raise UsageError("error.json_and_csv")
    s = settings(ctx)
    root, plan, today = _open(s)
    p = _period(period, plan, today, ended=False)
    if explain is not None:
        _known_unit(plan, explain)
    with context.store(s, root, write=False) as st, st.transaction(lock=False):
        result, frozen = _result(plan, st, p, today, live=live)
    from gaoxin_cli.render import ranking as view

    if explain is not None and result.row(explain) is None:
        raise GaoxinError("error.explain_unranked", unit=explain, period=p.key)
    if as_json:
        doc = view.as_json(result, frozen, s.lang)
        if explain is not None:
            doc["units"] = [u for u in doc["units"] if u["unit"] == explain]
        emit_json(doc)
        return
    if as_csv:
        _emit(view.as_csv(result))
        return
    _warn(view.warnings(result, s.lang), s.lang)
    if explain is not None:
        view.explain(context.console(), result, explain, s.lang, _people(plan))
    else:
        view.render(context.console(), result, s.lang, frozen=frozen, cards=cards)


# --- flag award / history / score ---------------------------------------------------------


@flag_app.command("award", help=H("award"), short_help=H("award.short"))
def award(
    ctx: typer.Context,
    period: PeriodOpt = None,
    force: Annotated[bool, typer.Option("--force", help=H("opt.force"))] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help=H("opt.force_reason"), show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from gaoxin_cli import models
    from gaoxin_cli.ranking.result import to_json
    from gaoxin_cli.render import ranking as view
    from gaoxin_cli.store import awards as aw

    s = settings(ctx)
    if force and not (reason and reason.strip()):
        raise UsageError("error.force_needs_reason")
    if reason is not None and not force:
        raise UsageError("error.reason_without_force")
    if reason is not None:
        reason = _checked_reason(reason)
    root, plan, today = _open(s)
    p = _period(period, plan, today, ended=True)
    if today <= p.end:
        raise GaoxinError("error.award_not_over", period=p.key, end=p.end.isoformat())
    with context.store(s, root, write=True) as st, st.transaction():
        old = aw.latest_award(st, p.key)
        if old is not None and not force:
            holders = old.result.get("holders") or []
            names = {u["unit"]: u["name"] for u in old.result.get("units", [])}
            raise GaoxinError(
                "error.award_exists",
                period=p.key,
                day=old.awarded_on.isoformat(),
                holder="、".join(names.get(h, h) for h in holders) or t("flag.nobody", s.lang),
                hint=Msg("error.award_exists_hint"),
            )
        result = _live(plan, st, p, today, use_frozen=True)
        award_id = aw.add_award(
            st,
            period=p.key,
            awarded_on=today,
            holder=result.holder,
            result=to_json(result),
            rules=models.dump(plan.config.rules.ranking),
            force_reason=reason,
            supersedes=old.id if old is not None else None,
            recorded_at=context.now_stamp(),
        )
    if as_json:
        from gaoxin_cli.render.ranking import Frozen

        frozen = Frozen(award_id, today, reason, old.id if old else None)
        emit_json(view.as_json(result, frozen, s.lang))
        return
    _warn(view.warnings(result, s.lang), s.lang)
    from gaoxin_cli.render.text import safe

    msg = view.award_message(result, award_id, s.lang, reason, old.id if old else None)
    _emit(safe(msg) + "\n")


def _checked_reason(reason: str) -> str:
    import re

    from gaoxin_cli.models import TEXT_PATTERN

    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 500 or not re.fullmatch(TEXT_PATTERN, cleaned):
        raise UsageError("error.bad_reason")
    return cleaned


@flag_app.command("history", help=H("history"))
def history(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.ranking.flag import AwardSummary, timeline
    from gaoxin_cli.render import ranking as view
    from gaoxin_cli.store import awards as aw

    s = settings(ctx)
    root, plan, _ = _open(s)
    with context.store(s, root, write=False) as st:
        rows = aw.awards(st)
    names = {uid: u.name for uid, u in plan.config.units.items()}
    summaries = []
    for row in rows:
        units = row.result.get("units", [])
        names.update({u["unit"]: u["name"] for u in units if u["unit"] not in names})
        summaries.append(
            AwardSummary.of(
                row.id, row.period, row.awarded_on, row.result, row.force_reason, row.supersedes
            )
        )
    entries = timeline(summaries)
    if as_json:
        doc = {"awards": view.history_json(entries, names)}
        emit_json(doc)
        return
    view.history(context.console(), entries, names, plan.config.org.name, s.lang)


@flag_app.command("score", help=H("score"), short_help=H("score.short"))
def score(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help=H("arg.unit"), show_default=False)],
    period: Annotated[
        str,
        typer.Option("--period", "-p", metavar="PERIOD", help=H("opt.period"), show_default=False),
    ],
    points: Annotated[
        float, typer.Option("--points", metavar="N", help=H("opt.points"), show_default=False)
    ],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help=H("opt.item_reason"), show_default=False)
    ],
    by: Annotated[
        str, typer.Option("--by", metavar="LEADER", help=H("opt.by_leader"), show_default=False)
    ],
    kind: Annotated[ItemKindOpt, typer.Option("--kind", help=H("opt.kind"))] = ItemKindOpt.bonus,
) -> None:
    from gaoxin_cli.ranking import Period
    from gaoxin_cli.render.text import safe
    from gaoxin_cli.store import awards as aw

    s = settings(ctx)
    p = Period.parse(period)
    reason = _checked_reason(reason)
    root, plan, today = _open(s)
    _known_unit(plan, unit)
    known("leader", by, plan.config.leaders)
    k = kind.value
    label = t(f"flag.kind.{k}", s.lang)
    if k == "inspection":
        if p.kind != "quarter":
            raise UsageError("error.inspection_quarter", year=p.year)
        if not 0 <= points <= 100:
            raise UsageError("error.points_range", kind=label, lo=0, hi=100, points=f"{points:g}")
        stored = points
    else:
        if points < 0:
            raise UsageError("error.points_sign")
        if not 0 < points <= 100:
            raise UsageError(
                "error.points_range", kind=label, lo="0.01", hi=100, points=f"{points:g}"
            )
        stored = round(points, 2) if k == "bonus" else -round(points, 2)
    with context.store(s, root, write=True) as st, st.transaction():
        item_id = aw.add_score_item(
            st,
            period=p.key,
            unit=unit,
            kind=k,
            points=stored,
            reason=reason,
            by=by,
            recorded_on=today,
            recorded_at=context.now_stamp(),
        )
        frozen = [q for q in (p, *_containing(p)) if aw.latest_award(st, q.key) is not None]
    from gaoxin_cli.render.ranking import period_label

    shown = f"{stored:+g}" if k != "inspection" else f"{stored:g}"
    msg = t(
        "flag.scored",
        s.lang,
        unit=plan.config.units[unit].name,
        period=period_label(p, s.lang),
        kind=label,
        points=shown,
        reason=reason,
        by=plan.config.leaders[by].name,
        id=item_id,
    )
    _emit(safe(msg) + "\n")
    _warn([t("flag.warn_frozen", s.lang, period=q.key) for q in frozen], s.lang)


def _containing(p: Period) -> tuple[Period, ...]:
    """The longer periods a period's score flows into (a month's quarter and year)."""
    from gaoxin_cli.ranking import Period

    out = []
    if p.kind == "month":
        out.append(Period.containing(p.start, "quarter"))
    if p.kind in ("month", "quarter"):
        out.append(Period.containing(p.start, "year"))
    return tuple(out)


# --- bulletin -----------------------------------------------------------------------------


@app.command(help=H("bulletin"))
def bulletin(
    ctx: typer.Context,
    period: PeriodOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=H("opt.format"))] = Format.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help=H("opt.output"), dir_okay=False),
    ] = None,
) -> None:
    from gaoxin_cli.render import bulletin as view
    from gaoxin_cli.store import awards as aw

    s = settings(ctx)
    root, plan, today = _open(s)
    p = _period(period, plan, today, ended=True)
    cfg = plan.config
    with context.store(s, root, write=False) as st, st.transaction(lock=False):
        result, frozen = _result(plan, st, p, today, live=False)
        end = result.end
        red = {
            line.task: line.detail.get("count", 1)
            for r in result.rows
            for line in _month_lines(r.score)
            if line.rule == "red_card" and line.task
        }
        ids = [task.id for task in plan.tasks]
        cards = aw.latest_cards(st, ids, end)
        listed = [
            task.id for task in plan.tasks if task.listed is not None and task.listed.since <= end
        ]
        done = aw.done_days(st, listed, end)
        states = st.states(end, listed + [tid for tid, c in cards.items() if c.level >= 3])
        notices = aw.notices_between(st, p.start, end)
    tasks = []
    for task in plan.tasks:
        card = cards.get(task.id)
        red_now = card is not None and card.level >= 3
        is_listed = task.id in listed and task.id not in done
        if not (task.id in red or red_now or is_listed):
            continue
        state = states.get(task.id)
        leader = cfg.leaders.get(task.listed.by) if task.listed and task.listed.by else None
        tasks.append(
            view.BulletinTask(
                task=task.id,
                title=task.title,
                unit=cfg.units[task.lead].name if task.lead in cfg.units else task.lead,
                due=task.due,
                progress=state.progress if state else 0.0,
                red_raised=int(red.get(task.id, 0)),
                card=card if red_now else None,
                listed_since=task.listed.since if is_listed and task.listed else None,
                listed_by=leader.name if leader else None,
            )
        )
    office = cfg.units[cfg.org.office].name if cfg.org.office in cfg.units else cfg.org.office
    doc = view.Bulletin(
        result=result,
        frozen=frozen,
        office=office,
        issued=today,
        tasks=tuple(tasks),
        notices=tuple(notices),
        unit_names={uid: u.name for uid, u in cfg.units.items()},
        task_titles={task.id: task.title for task in plan.tasks},
        estimated=tuple(context.estimated_years()),
    )
    rendered = view.html(doc, s.lang) if fmt is Format.html else view.markdown(doc, s.lang)
    if output is None:
        _emit(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise GaoxinError(
            "error.write_output", path=str(output), reason=exc.strerror or exc
        ) from exc
    sys.stderr.write(t("bulletin.written", s.lang, path=str(output)) + "\n")


def _month_lines(score: UnitScore) -> list[Any]:
    """Every month-level line of a score (a quarter's or year's, through its parts)."""
    if not score.parts:
        return list(score.lines)
    return [line for part in score.parts for line in _month_lines(part)]
