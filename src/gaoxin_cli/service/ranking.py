"""The 流动红旗 commands: ranking, flag award, flag history, flag score.

The composition root for scoring: the store's reads (``store.awards``) and the
reporting deadlines (``rules.reports``) become the plain month facts of the pure
``ranking`` package, whose result is returned (or frozen). docs/ranking.md describes
every rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import Frozen, RankingResult
from gaoxin_cli.service import forked
from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.models import Config, Plan
    from gaoxin_cli.ranking.flag import TimelineEntry
    from gaoxin_cli.ranking.inputs import ItemKind, ScoreItem, TaskFacts
    from gaoxin_cli.ranking.scores import UnitScore
    from gaoxin_cli.service.month_scores import MonthScores
    from gaoxin_cli.store import Store


# The previous month is scored by a second process from this many tasks: below, a fork
# and a second store connection cost more than the half of the work they take over.
PARALLEL_MIN_TASKS = 5000

# Per task: (id, first day it reports for, due, cadence) (rules.reports.reporting_windows).
Reporting = list[tuple[str, date, date, str]]
# What the second process sends back: the store's scoring mark it read at, each unit's
# (rank, points) (not the scores: their lines would take longer to unpickle than to
# rank), and the years its calendar estimated (told in the output like this process's).
Earlier = tuple[tuple[int, int, int], dict[str, tuple[int, int]], list[int]]


class PreviousMonth(NamedTuple):
    """:func:`previous_month`'s second process (None: no fork now), and the reporting
    windows made before it for both processes."""

    pending: forked.Pending[Earlier | None] | None
    reporting: Reporting


class Ranked(NamedTuple):
    result: RankingResult
    frozen: Frozen | None  # the award it was read from; None when computed now


class Awarded(NamedTuple):
    result: RankingResult
    frozen: Frozen  # the award just made


def period_or_default(session: Session, period: Period | None, *, ended: bool) -> Period:
    """*period*, else the one containing today (*ended*: the last one over) of the kind
    ``rules.ranking.period`` names."""
    if period is not None:
        return period
    kind = session.config.rules.ranking.period
    today = session.today
    return Period.last_ended(today, kind) if ended else Period.containing(today, kind)


def ranking(
    session: Session, period: Period | None, *, live: bool = False, explain: str | None = None
) -> Ranked:
    """The period's frozen result when awarded (unless *live*), else computed now.

    With *explain* (a unit of the plan), GaoxinError when that unit is not ranked."""
    p = period_or_default(session, period, ended=False)
    with (
        previous_month(session, p, live=live) as earlier,
        session.store(write=False) as st,
        st.transaction(lock=False),
    ):
        ranked = read_result(session, st, p, live=live, earlier=earlier)
    if explain is not None and ranked.result.row(explain) is None:
        raise GaoxinError("error.explain_unranked", unit=explain, period=p.key)
    return ranked


@contextmanager
def previous_month(
    session: Session, period: Period, *, live: bool
) -> Iterator[PreviousMonth | None]:
    """The scores of the month before *period* started in a second process, when a
    live result of *period* will compare with them (a month's ranking on a big plan)
    and a fork is safe now (:func:`forked.can_fork`: enter it before opening the store).

    The child reads on a connection of its own, so it sends back the store's
    :func:`~gaoxin_cli.store.awards.scoring_mark` with the scores: they are used only
    when the caller's snapshot has the same mark (a write committed in between: they
    are scored again there). It sends ``None`` when they are not needed after all
    (*period* or its previous month awarded)."""
    from gaoxin_cli.rules.progress import first_window

    plan, cal = session.plan, session.calendar
    before = period.previous()
    begins = first_window(plan.tasks) if len(plan.tasks) >= PARALLEL_MIN_TASKS else None
    if (
        period.kind != "month"
        or begins is None
        or before.end < begins
        or session.today < period.start
    ):
        yield None
        return
    reporting = _reporting(plan)  # made once, before the fork: both processes use it
    if _kept(session, before):  # read here at once: no second process needed
        yield PreviousMonth(None, reporting)
        return

    def work() -> Earlier | None:
        from gaoxin_cli.ranking import period_scores
        from gaoxin_cli.ranking.live import score_ranks
        from gaoxin_cli.store import awards as aw

        cfg = plan.config
        with session.store(write=False) as st, st.transaction(lock=False):
            if not live and any(aw.latest_award(st, p.key) for p in (period, before)):
                return None
            items = _items(st, {before.key})
            facts = StoreFacts(plan, st, cal, reporting)
            memo = _memo(session, st, facts.cardless, facts.cal)
            scores = period_scores(before, before.end, facts, cfg.rules.ranking, items, memo=memo)
            ranks = score_ranks(scores, cfg.rules.ranking, _names(cfg))
            return aw.scoring_mark(st), ranks, cal.estimated_years()

    with forked.started(work, db=session.db) as pending:
        yield PreviousMonth(pending, reporting)


def read_result(
    session: Session,
    st: Store,
    period: Period,
    *,
    live: bool,
    earlier: PreviousMonth | None = None,
) -> Ranked:
    """Within the caller's transaction: the award of *period* (unless *live*), else the
    result computed now (on the frozen parts and previous period, unless *live*).
    *earlier*: :func:`previous_month`'s second process, when one was started."""
    from gaoxin_cli.ranking.result import from_json
    from gaoxin_cli.store import awards as aw

    award = None if live else aw.latest_award(st, period.key)
    if award is not None:
        frozen = Frozen(award.id, award.awarded_on, award.force_reason, award.supersedes)
        return Ranked(from_json(award.result), frozen)
    return Ranked(_live(session, st, period, use_frozen=not live, earlier=earlier), None)


def _live(
    session: Session,
    st: Store,
    period: Period,
    *,
    use_frozen: bool,
    earlier: PreviousMonth | None = None,
) -> RankingResult:
    from gaoxin_cli.ranking.live import live_result
    from gaoxin_cli.rules.progress import first_window
    from gaoxin_cli.store import awards as aw

    plan, today = session.plan, session.today
    cfg = plan.config
    keys = {p.key for q in (period, period.previous()) for p in (q, *q.parts(), *q.months())}

    def frozen_for(p: Period) -> Mapping[str, UnitScore] | None:
        return _frozen_scores(st, p)

    def earlier_ranks() -> dict[str, tuple[int, int]] | None:
        got = earlier.pending.result() if earlier and earlier.pending else None
        if got is None or got[0] != aw.scoring_mark(st):
            return None
        session.calendar.estimated.update(got[2])
        return got[1]

    previous = aw.latest_award(st, period.previous().key) if use_frozen else None
    facts = StoreFacts(plan, st, session.calendar, earlier.reporting if earlier else None)
    return live_result(
        period,
        today,
        facts,
        cfg.rules.ranking,
        _items(st, keys),
        _names(cfg),
        cfg.org.name,
        begins=first_window(plan.tasks),
        frozen_for=frozen_for if use_frozen else None,
        previous_award=previous.result if previous is not None else None,
        earlier=earlier_ranks if earlier and earlier.pending else None,
        memo=_memo(session, st, facts.cardless, facts.cal),
    )


def _memo(
    session: Session, st: Store, cardless: list[date], cal: WorkCalendar
) -> MonthScores | None:
    """The months kept from earlier runs, for scoring on *st* (what a recalled month
    adds to the source's *cardless* and the calendar *cal*: service/month_scores.py)."""
    from gaoxin_cli.service.month_scores import memo_for

    plan = session.plan
    return memo_for(session.cache, st, session.db, plan.digest, session.today, cardless, cal)


def _kept(session: Session, month: Period) -> bool:
    """Whether the scores of *month* are kept from an earlier run and still hold (read
    on a connection closed again before any fork; none opened when nothing can be)."""
    if session.cache is None or session.plan.digest is None or not session.db.is_file():
        return False
    with session.store(write=False) as st, st.transaction(lock=False):
        memo = _memo(session, st, [], session.calendar)
        return memo is not None and memo.holds(month, month.end, _items(st, {month.key}))


class StoreFacts:
    """The task facts of a month, read from the store (a ``ranking.live.MonthSource``)."""

    def __init__(
        self, plan: Plan, st: Store, cal: WorkCalendar, reporting: Reporting | None = None
    ) -> None:
        self.plan, self.st, self.cal = plan, st, cal
        self.ids = frozenset(task.id for task in plan.tasks)
        self.reporting = _reporting(plan) if reporting is None else reporting
        self.cardless: list[date] = []

    def __call__(self, month: Period, end: date, /) -> list[TaskFacts]:
        from gaoxin_cli.ranking import facts as fx
        from gaoxin_cli.rules.reports import deadlines_between
        from gaoxin_cli.store import awards as aw

        st = self.st
        life = fx.lifecycle(aw.lifecycle_rows(st, end), month.start, end)
        done = fx.done_days(aw.done_days(st, self.ids, end), life)
        rules = self.plan.config.rules.feedback
        deadlines = deadlines_between(rules, month.start, month.end, end, self.cal)
        checks = fx.report_checks(self.reporting, deadlines, month, done, life.cancelled)
        counting = self.plan.config.rules.ranking.cards
        eve = month.start - timedelta(days=1)
        before = aw.card_levels(st, eve)
        held = [tid for tid, level in before.items() if level >= fx.YELLOW]
        history = fx.MonthHistory(
            start=month.start,
            end=end,
            cards_before=before,
            card_changes=aw.card_changes(st, month.start, end),
            held_before=aw.card_events(st, held, eve) if counting == "in_force" and held else {},
            done_on=done,
            returned=life.returned,
            cancelled=life.cancelled,
            extended_to=fx.extensions(aw.extension_rows(st, end), end),
            missed=aw.missed_reports(st, checks, end),
        )
        if not history.cards_before and not history.card_changes:
            self.cardless.append(end)
        return fx.build(self.plan.tasks, history, self.cal, counting)


def _names(cfg: Config) -> dict[str, str]:
    return {uid: u.name for uid, u in cfg.units.items()}


def _reporting(plan: Plan) -> Reporting:
    from gaoxin_cli.rules.reports import reporting_windows

    return reporting_windows(plan.tasks, plan.config)


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


# --- flag award ---------------------------------------------------------------------------


def award(
    session: Session,
    period: Period | None,
    *,
    reason: str | None,
    recorded_at: str,
) -> Awarded:
    """Freeze the result of *period* (default: the last one over) as of today.

    A period already awarded is awarded again only with a *reason* (``--force``); the
    new award supersedes the old, which stays in the history."""
    from gaoxin_cli import models
    from gaoxin_cli.ranking.result import to_json
    from gaoxin_cli.store import awards as aw

    plan, today = session.plan, session.today
    p = period_or_default(session, period, ended=True)
    if today <= p.end:
        raise GaoxinError("error.award_not_over", period=p.key, end=p.end.isoformat())
    with session.store(write=True) as st, st.transaction():
        old = aw.latest_award(st, p.key)
        if old is not None and reason is None:
            holders = old.result.get("holders") or []
            names = {u["unit"]: u["name"] for u in old.result.get("units", [])}
            raise GaoxinError(
                "error.award_exists",
                period=p.key,
                day=old.awarded_on.isoformat(),
                holder="、".join(names.get(h, h) for h in holders) or Msg("flag.nobody"),
                hint=Msg("error.award_exists_hint"),
            )
        result = _live(session, st, p, use_frozen=True)
        supersedes = old.id if old is not None else None
        award_id = aw.add_award(
            st,
            period=p.key,
            awarded_on=today,
            holder=result.holder,
            result=to_json(result),
            rules=models.dump(plan.config.rules.ranking),
            force_reason=reason,
            supersedes=supersedes,
            recorded_at=recorded_at,
        )
    return Awarded(result, Frozen(award_id, today, reason, supersedes))


# --- flag history -------------------------------------------------------------------------


class FlagHistory(NamedTuple):
    entries: list[TimelineEntry]
    names: dict[str, str]  # unit names: the plan's, else as the award froze them
    org: str


def flag_history(session: Session) -> FlagHistory:
    """Every award in order, the flag's moves and streaks (superseded awards folded in)."""
    from gaoxin_cli.ranking.flag import AwardSummary, timeline
    from gaoxin_cli.store import awards as aw

    cfg = session.config
    with session.store(write=False) as st:
        rows = aw.awards(st)
    names = {uid: u.name for uid, u in cfg.units.items()}
    summaries = []
    for row in rows:
        units = row.result.get("units", [])
        names.update({u["unit"]: u["name"] for u in units if u["unit"] not in names})
        summaries.append(
            AwardSummary.of(
                row.id, row.period, row.awarded_on, row.result, row.force_reason, row.supersedes
            )
        )
    return FlagHistory(timeline(summaries), names, cfg.org.name)


# --- flag score ---------------------------------------------------------------------------


class Scored(NamedTuple):
    id: int
    period: Period
    unit: str  # the unit's name
    kind: ItemKind
    points: float  # as stored: signed for a bonus or deduction
    reason: str
    by: str  # the leader's name
    frozen: Sequence[Period]  # awarded periods the item does not change


def score(
    session: Session,
    unit: str,
    period: Period,
    kind: ItemKind,
    points: float,
    *,
    reason: str,
    by: str,
    recorded_at: str,
) -> Scored:
    """Record a manual score item (*unit* and the leader *by* known to the plan)."""
    from gaoxin_cli.ranking.inputs import item_points
    from gaoxin_cli.store import awards as aw

    stored = item_points(kind, points, period)
    with session.store(write=True) as st, st.transaction():
        item_id = aw.add_score_item(
            st,
            period=period.key,
            unit=unit,
            kind=kind,
            points=stored,
            reason=reason,
            by=by,
            recorded_on=session.today,
            recorded_at=recorded_at,
        )
        frozen = [
            q for q in (period, *period.enclosing()) if aw.latest_award(st, q.key) is not None
        ]
    cfg = session.config
    return Scored(
        item_id, period, cfg.units[unit].name, kind, stored, reason, cfg.leaders[by].name, frozen
    )
