"""``gaoxin site``: everything the static site shows, as one plain value.

The site is a read of the same services the commands use: the dashboard of ``status``,
the ladder of ``overdue`` and ``listed``, the 问题提报 of ``problem list``, the notices of
``notice list``, the 流动红旗 of ``ranking`` and ``flag history``, the monthly bulletins,
and each task's whole history. ``render/site`` turns it into pages.

With *unit*, the value holds only what that unit may see: the tasks it leads, the
notices about them or addressed to it, the problems it reported or was assigned, and its
own lines of the ranking (never another unit's score, task or name).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.models.notice import Delivery, StoredNotice
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.ranking.result import Frozen, RankingResult
    from gaoxin_cli.rules.outlook import ListedRow
    from gaoxin_cli.rules.problem_cards import ProblemLine
    from gaoxin_cli.service.bulletin import Bulletin
    from gaoxin_cli.service.daily import Status
    from gaoxin_cli.service.escalation import Overdue
    from gaoxin_cli.service.ranking import FlagHistory


@dataclass(frozen=True, slots=True)
class RankedPeriod:
    """One period of the ranking: its result, and the award it was read from (if any)."""

    result: RankingResult
    frozen: Frozen | None


@dataclass(frozen=True, slots=True)
class TaskHistories:
    """The visible tasks' histories: each one's signature now (to tell a changed history
    from an unchanged one), and their events read a batch at a time when asked."""

    session: Session
    tasks: frozenset[str]
    signatures: Mapping[str, tuple[int, int]]  # (events, latest id); absent: none

    def __contains__(self, task: object) -> bool:
        return task in self.tasks

    def stream(self, tasks: Collection[str]) -> Iterator[tuple[str, list[Event]]]:
        """Each of *tasks* (visible ones) with its events, oldest first; every one of
        them is yielded, those without events with an empty list."""
        from gaoxin_cli.store import histories

        wanted = [t for t in tasks if t in self.tasks]
        quiet = [t for t in wanted if t not in self.signatures]
        with self.session.store(write=False) as st:
            yield from histories.stream(
                st, [t for t in wanted if t in self.signatures], self.session.today
            )
        for task in quiet:
            yield task, []


@dataclass(frozen=True, slots=True)
class Site:
    today: date
    unit: str | None  # the one unit the site is built for; None: the whole office
    status: Status
    overdue: Overdue
    listed: list[ListedRow]
    problems: list[ProblemLine]  # every problem, open ones most severe first
    notices: list[StoredNotice]  # filed up to today, oldest first
    deliveries: Mapping[int, list[Delivery]]
    histories: TaskHistories  # the visible tasks' events up to today, read when asked
    rankings: list[RankedPeriod]  # newest first: the running period, then ended ones
    flag: FlagHistory | None  # None on a one-unit site (it names the holders)
    bulletins: list[Bulletin] = field(default_factory=list)  # newest first; office only
    estimated: tuple[int, ...] = ()
    # task → the deadline of the next report it owes (on or after today); unfinished
    # tasks that owe one
    next_reports: Mapping[str, date] = field(default_factory=dict)


def site(session: Session, unit: str | None = None) -> Site:
    """The whole state as of the session's today (for *unit* alone, when given)."""
    from gaoxin_cli.rules.filters import Filters
    from gaoxin_cli.rules.reports import next_reports
    from gaoxin_cli.service import daily, escalation, problems

    plan = session.plan
    units = frozenset({unit}) if unit else frozenset()
    filters = Filters(units=units)
    visible = {task.id for task in plan.tasks if filters.keep_task(task)}
    status = daily.status(session, filters)
    overdue = escalation.overdue(session, filters)
    listed = escalation.listed(session, units=units)
    found = problems.list_problems(session, everything=True).lines
    if unit:
        found = [ln for ln in found if _problem_of(ln, unit)]
        status = status._replace(problems=[ln for ln in status.problems if _problem_of(ln, unit)])
    register = escalation.register(session)
    filed = [n for n in register.notices if not unit or _notice_of(n, unit, visible)]
    with session.store(write=False) as st:
        from gaoxin_cli.store.histories import signatures

        signed = signatures(st, session.today)
    histories = TaskHistories(
        session, frozenset(visible), {t: signed[t] for t in visible if t in signed}
    )
    rankings, flag, archive = _month(session, unit)
    upcoming = next_reports(plan.config, session.today, session.calendar)
    owed = {
        r.task.id: day
        for r in status.dashboard.rows
        if not r.finished and (day := upcoming(r.task, r.state, r.due)) is not None
    }
    return Site(
        today=session.today,
        unit=unit,
        status=status,
        overdue=overdue,
        listed=listed,
        problems=found,
        notices=filed,
        deliveries={n.id: register.deliveries.get(n.id, []) for n in filed if n.id is not None},
        histories=histories,
        rankings=rankings,
        flag=flag,
        bulletins=archive,
        estimated=tuple(session.estimated_years()),
        next_reports=owed,
    )


def _problem_of(line: ProblemLine, unit: str) -> bool:
    st = line.status
    return unit in (st.reporter, st.unit) or (line.card is not None and line.card.unit == unit)


def _notice_of(notice: StoredNotice, unit: str, tasks: set[str]) -> bool:
    if notice.subject_kind == "task":
        return notice.subject in tasks
    return notice.unit == unit


def _month(
    session: Session, unit: str | None
) -> tuple[list[RankedPeriod], FlagHistory | None, list[Bulletin]]:
    """The ranking of the running period and of every awarded one (newest first), the
    flag's history, and the awarded periods' bulletins (the office's site only)."""
    from dataclasses import replace

    from gaoxin_cli.ranking.period import Period
    from gaoxin_cli.service import bulletin as bl
    from gaoxin_cli.service import ranking as rk

    current = rk.ranking(session, None)
    out = [RankedPeriod(current.result, current.frozen)]
    flag = rk.flag_history(session)
    # The awarded periods: a bulletin follows the award, and their results are frozen (read,
    # not scored again). A period not awarded yet is in `gaoxin bulletin`, not archived.
    ended = {e.award.period for e in flag.entries}
    ended.discard(current.result.period.key)
    archive: list[Bulletin] = []
    for key in sorted(ended, key=lambda k: Period.parse(k).sort_key(), reverse=True):
        doc = bl.bulletin(session, Period.parse(key))
        if doc.frozen is not None:  # archived as issued on its award: the page stays put
            doc = replace(doc, issued=doc.frozen.awarded_on)
        out.append(RankedPeriod(doc.result, doc.frozen))
        archive.append(doc)
    if unit is None:
        return out, flag, archive
    mine = [RankedPeriod(_only(r.result, unit), r.frozen) for r in out]
    return mine, None, []


def _only(result: RankingResult, unit: str) -> RankingResult:
    """*result* with *unit*'s row alone (its rank and score stay as ranked among all)."""
    from dataclasses import replace

    return replace(result, rows=tuple(r for r in result.rows if r.unit == unit))
