"""Month-end commands: ``ranking``, ``flag award|history|score``, ``bulletin``.

Each parses its options, calls one function of ``service.ranking`` or
``service.bulletin`` and renders the result (``render.ranking``, ``render.bulletin``).
docs/ranking.md describes every rule.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaoxin_cli.cli import choices, context
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.options import JsonOpt, XlsxOpt, emit_json, emit_written, xlsx_alone
from gaoxin_cli.cli.root import app, command_group, settings
from gaoxin_cli.errors import GaoxinError, UsageError

if TYPE_CHECKING:
    from gaoxin_cli.ranking import Period
    from gaoxin_cli.ranking.inputs import ItemKind


flag_app = command_group("flag", H("flag"))


class Format(StrEnum):
    md = "md"
    html = "html"


class ItemKindOpt(StrEnum):
    inspection = "inspection"
    bonus = "bonus"
    deduction = "deduction"


_ITEM_KINDS: "dict[ItemKindOpt, ItemKind]" = {
    ItemKindOpt.inspection: "inspection",
    ItemKindOpt.bonus: "bonus",
    ItemKindOpt.deduction: "deduction",
}

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period", "-p", metavar="PERIOD", help=H("month.opt.period"), show_default=False
    ),
]


# --- parsing ----------------------------------------------------------------------------


def _period(value: str | None) -> "Period | None":
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
    excel: Annotated[bool, typer.Option("--excel", help=H("opt.excel"))] = False,
    xlsx: XlsxOpt = None,
) -> None:
    from gaoxin_cli.service import ranking as service

    if as_json and as_csv:
        raise UsageError("error.json_and_csv")
    if excel and not as_csv:
        raise UsageError("error.excel_without_csv")
    xlsx_alone(xlsx, json=as_json, csv=as_csv, explain=explain is not None, cards=cards)
    s = settings(ctx)
    sess = context.session(s)
    p = _period(period)
    explain = choices.unit(sess.config, explain)
    result, frozen = service.ranking(sess, p, live=live, explain=explain)
    from gaoxin_cli.render import ranking as view
    from gaoxin_cli.render import ranking_explain
    from gaoxin_cli.render import ranking_export as export

    if xlsx is not None:
        from gaoxin_cli.render import xlsx_views

        people = {lid: leader.name for lid, leader in sess.config.leaders.items()}
        sys.stderr.write(view.warned(view.warnings(result, s.lang), s.lang))
        emit_written(xlsx_views.ranking(xlsx, result, s.lang, people), s.lang)
    elif as_json:
        emit_json(export.as_json(result, frozen, s.lang, only=explain))
    elif as_csv and excel:
        sys.stdout.flush()  # the bytes below go past the text layer
        sys.stdout.buffer.write(export.as_csv(result, excel=s.lang).encode("utf-8"))
    elif as_csv:
        sys.stdout.write(export.as_csv(result))
    else:
        sys.stderr.write(view.warned(view.warnings(result, s.lang), s.lang))
        if explain is not None:
            people = {lid: leader.name for lid, leader in sess.config.leaders.items()}
            ranking_explain.explain(context.console(), result, explain, s.lang, people)
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
    from gaoxin_cli.render import ranking_export as export

    if as_json:
        emit_json(export.as_json(result, frozen, s.lang))
        return
    sys.stderr.write(view.warned(view.warnings(result, s.lang), s.lang))
    from gaoxin_cli.render import flag
    from gaoxin_cli.render.text import safe

    msg = flag.award_message(result, frozen.id, s.lang, reason, frozen.supersedes)
    sys.stdout.write(safe(msg) + "\n")


@flag_app.command("history", help=H("month.history"))
def history(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from gaoxin_cli.service import ranking as service

    s = settings(ctx)
    found = service.flag_history(context.session(s))
    from gaoxin_cli.render import flag as view

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
        typer.Option(
            "--period", "-p", metavar="PERIOD", help=H("month.opt.period"), show_default=False
        ),
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
    kind: Annotated[
        ItemKindOpt, typer.Option("--kind", help=H("month.opt.kind"))
    ] = ItemKindOpt.bonus,
) -> None:
    from gaoxin_cli.models.names import leader_id, unit_id
    from gaoxin_cli.ranking import Period
    from gaoxin_cli.service import ranking as service

    s = settings(ctx)
    p = Period.parse(period)
    reason = _checked_reason(reason)
    sess = context.session(s)
    unit = unit_id(sess.config, unit)
    by = leader_id(sess.config, by)
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
    from gaoxin_cli.render import flag
    from gaoxin_cli.render import ranking as view

    sys.stdout.write(flag.score_message(scored, s.lang))
    sys.stderr.write(view.warned(flag.frozen_warnings(scored, s.lang), s.lang))


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
