"""Month-end commands: ``ranking``, ``flag award|history|score``, ``bulletin``.

Each parses its options, calls one function of ``service.ranking`` or
``service.bulletin`` and renders the result (``render.ranking``, ``render.bulletin``).
docs/ranking.md describes every rule.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import context
from gaoxin_cli.cli.app import app, settings
from gaoxin_cli.cli.choices import known
from gaoxin_cli.cli.help import help_table
from gaoxin_cli.cli.options import JsonOpt, emit_json
from gaoxin_cli.errors import GaoxinError, UsageError

if TYPE_CHECKING:
    from gaoxin_cli.ranking import Period
    from gaoxin_cli.ranking.inputs import ItemKind

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


_ITEM_KINDS: dict[ItemKindOpt, ItemKind] = {
    ItemKindOpt.inspection: "inspection",
    ItemKindOpt.bonus: "bonus",
    ItemKindOpt.deduction: "deduction",
}

PeriodOpt = Annotated[
    str | None,
    typer.Option("--period", "-p", metavar="PERIOD", help=H("opt.period"), show_default=False),
]


# --- parsing ----------------------------------------------------------------------------


def _period(value: str | None) -> Period | None:
    """A scoring period (``ranking.period.Span.parse``'s grammar), None when not given."""
    from gaoxin_cli.ranking import Period

    return None if value is None else Period.parse(value)


def _checked_reason(reason: str) -> str:
    import re

    from gaoxin_cli.models import TEXT_PATTERN

    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 500 or not re.fullmatch(TEXT_PATTERN, cleaned):
        raise UsageError("error.bad_reason")
    return cleaned


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
    from gaoxin_cli.service import ranking as service

    if as_json and as_csv:
        raise UsageError("error.json_and_csv")
    s = settings(ctx)
    sess = context.session(s)
    p = _period(period)
    if explain is not None:
        known("unit", explain, sess.config.units)
    result, frozen = service.ranking(sess, p, live=live, explain=explain)
    from gaoxin_cli.render import ranking as view

    if as_json:
        emit_json(view.as_json(result, frozen, s.lang, only=explain))
    elif as_csv:
        sys.stdout.write(view.as_csv(result))
    else:
        sys.stderr.write(view.warned(view.warnings(result, s.lang), s.lang))
        if explain is not None:
            people = {lid: leader.name for lid, leader in sess.config.leaders.items()}
            view.explain(context.console(), result, explain, s.lang, people)
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
    from gaoxin_cli.service import ranking as service

    s = settings(ctx)
    if force and not (reason and reason.strip()):
        raise UsageError("error.force_needs_reason")
    if reason is not None and not force:
        raise UsageError("error.reason_without_force")
    if reason is not None:
        reason = _checked_reason(reason)
    sess = context.session(s)
    result, frozen = service.award(
        sess, _period(period), reason=reason, recorded_at=context.now_stamp()
    )
    from gaoxin_cli.render import ranking as view

    if as_json:
        emit_json(view.as_json(result, frozen, s.lang))
        return
    sys.stderr.write(view.warned(view.warnings(result, s.lang), s.lang))
    from gaoxin_cli.render.text import safe

    msg = view.award_message(result, frozen.id, s.lang, reason, frozen.supersedes)
    sys.stdout.write(safe(msg) + "\n")


@flag_app.command("history", help=H("history"))
def history(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.service import ranking as service

    s = settings(ctx)
    found = service.flag_history(context.session(s))
    from gaoxin_cli.render import ranking as view

    if as_json:
        emit_json({"awards": view.history_json(found.entries, found.names)})
    else:
        view.history(context.console(), found.entries, found.names, found.org, s.lang)


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
    from gaoxin_cli.service import ranking as service

    s = settings(ctx)
    p = Period.parse(period)
    reason = _checked_reason(reason)
    sess = context.session(s)
    known("unit", unit, sess.config.units)
    known("leader", by, sess.config.leaders)
    scored = service.score(
        sess,
        unit,
        p,
        _ITEM_KINDS[kind],
        points,
        reason=reason,
        by=by,
        recorded_at=context.now_stamp(),
    )
    from gaoxin_cli.render import ranking as view

    sys.stdout.write(view.score_message(scored, s.lang))
    sys.stderr.write(view.warned(view.frozen_warnings(scored, s.lang), s.lang))


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
    from gaoxin_cli.service import bulletin as service

    s = settings(ctx)
    doc = service.bulletin(context.session(s), _period(period))
    from gaoxin_cli.render import bulletin as view

    rendered = view.html(doc, s.lang) if fmt is Format.html else view.markdown(doc, s.lang)
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise GaoxinError(
            "error.write_output", path=str(output), reason=exc.strerror or exc
        ) from exc
    sys.stderr.write(view.written(str(output), s.lang))
