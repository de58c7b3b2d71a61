"""The monthly 督查通报 (``gaoxin bulletin``): what it says, as one plain value.

The ranking of the period (frozen when awarded), the tasks it names — red-card tasks
and those 挂牌督办 (listed) not yet done — and the notices issued in the period.
``render/bulletin`` writes it as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import Frozen, RankingResult
from gaoxin_cli.service.session import Session

if TYPE_CHECKING:
    from gaoxin_cli.models import Config, Task
    from gaoxin_cli.store.awards import CardNow, NoticeRow

# A card at this level or above is red (3 red, 4 问责).
RED = 3


@dataclass(frozen=True, slots=True)
class BulletinTask:
    """A red-card or listed task, with what the bulletin says about it."""

    task: str
    title: str
    unit: str  # the lead unit's name
    due: date
    progress: float
    red_raised: int = 0  # red cards raised in the period
    card: CardNow | None = None  # red (or worse) at the period's end
    listed_since: date | None = None
    listed_by: str | None = None  # the supervising leader's name


@dataclass(frozen=True, slots=True)
class Bulletin:
    result: RankingResult
    frozen: Frozen | None
    office: str
    issued: date
    tasks: tuple[BulletinTask, ...] = ()
    notices: tuple[NoticeRow, ...] = ()
    unit_names: Mapping[str, str] = field(default_factory=dict)
    task_titles: Mapping[str, str] = field(default_factory=dict)
    # Years whose working days the figures counted on an estimate (no holiday data).
    estimated: tuple[int, ...] = ()

    def subject(self, notice: NoticeRow) -> str:
        """A notice's subject: the task id and title when it is a task of the plan."""
        title = self.task_titles.get(notice.subject)
        return f"{notice.subject} {title}" if title else notice.subject


def bulletin(session: Session, period: Period | None) -> Bulletin:
    """The bulletin of *period* (default: the last one over), issued today."""
    from gaoxin_cli.service.ranking import period_or_default, previous_month, read_result
    from gaoxin_cli.store import awards as aw

    plan = session.plan
    p = period_or_default(session, period, ended=True)
    with (
        previous_month(session, p, live=False) as earlier,
        session.store(write=False) as st,
        st.transaction(lock=False),
    ):
        result, frozen = read_result(session, st, p, live=False, earlier=earlier)
        end = result.end
        # Only the red ones (or worse) are named: the others' reasons are not read.
        cards = aw.latest_cards(st, [task.id for task in plan.tasks], end, min_level=RED)
        listed = {
            task.id for task in plan.tasks if task.listed is not None and task.listed.since <= end
        }
        done = aw.done_days(st, listed, end)
        red_now = {tid for tid, c in cards.items() if c.level >= RED}
        # Only the progress of the tasks named: a few seeks each, where their whole
        # states on a past day would be derived for every task by the queries.
        progress = aw.latest_progress(st, [*listed, *red_now], end)
        notices = aw.notices_between(st, p.start, end)
    cfg = plan.config
    office = cfg.units[cfg.org.office].name if cfg.org.office in cfg.units else cfg.org.office
    return Bulletin(
        result=result,
        frozen=frozen,
        office=office,
        issued=session.today,
        tasks=tuple(
            named_tasks(plan.tasks, cfg, result.red_cards(), cards, listed - done.keys(), progress)
        ),
        notices=tuple(notices),
        unit_names={uid: u.name for uid, u in cfg.units.items()},
        # What subject() looks up: the titles of the tasks the notices are about.
        task_titles=_titles(plan.tasks, {n.subject for n in notices}),
        estimated=tuple(session.estimated_years()),
    )


def _titles(tasks: Collection[Task], subjects: Collection[str]) -> dict[str, str]:
    return {task.id: task.title for task in tasks if task.id in subjects}


def named_tasks(
    tasks: Collection[Task],
    cfg: Config,
    red: Mapping[str, int],
    cards: Mapping[str, CardNow],
    listed: Collection[str],
    progress: Mapping[str, float],
) -> list[BulletinTask]:
    """The tasks a bulletin names, in plan order: red cards raised in the period (*red*),
    red or worse at its end (*cards*), or *listed* (挂牌督办, not done: a set), with
    their latest reported *progress* (0 when none)."""
    out = []
    named = {tid for tid, card in cards.items() if card.level >= RED}
    named.update(red, listed)
    for task in [task for task in tasks if task.id in named]:
        card = cards.get(task.id)
        red_now = card is not None and card.level >= RED
        is_listed = task.id in listed
        leader = cfg.leaders.get(task.listed.by) if task.listed and task.listed.by else None
        out.append(
            BulletinTask(
                task=task.id,
                title=task.title,
                unit=cfg.units[task.lead].name if task.lead in cfg.units else task.lead,
                due=task.due,
                progress=progress.get(task.id, 0.0),
                red_raised=red.get(task.id, 0),
                card=card if red_now else None,
                listed_since=task.listed.since if is_listed and task.listed else None,
                listed_by=leader.name if leader else None,
            )
        )
    return out
