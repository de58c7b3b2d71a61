"""The dashboard, the ladder standings and the countdowns equal their plain definitions.

``rules.dashboard``, ``rules.ladder`` and ``rules.countdown`` are written for 10,000
tasks: per-day memos shared by all tasks (:class:`~gaoxin_cli.rules.cards.CardClock`),
sort keys built in the loop, roll-ups summed from facts gathered on the way. The
references below are the straightforward versions — one task at a time, sorted by a
key function, summed row by row — and random plans, histories, extensions, lifecycles
and thresholds must give the same rows, in the same order, with the same reasons and
the same floating-point sums.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import CardRules, Config, FeedbackRules, Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Level, TaskState
from gaoxin_cli.rules import countdown, dashboard, ladder, outlook
from gaoxin_cli.rules.cards import add_months
from gaoxin_cli.rules.lifecycle import STATES, stopped
from helpers import examples

D = date.fromisoformat
CAL = WorkCalendar()
UNITS = ("jianshe", "caizheng", "fagai")


def config(rules: Mapping[str, Any]) -> Config:
    person = {"name": "某人"}
    return to_record(
        spec.ConfigSpec.model_validate(
            {
                "org": {"name": "测试区", "office": "jianshe"},
                "units": {
                    "jianshe": {"name": "建设局", "head": person, "contact": person},
                    "caizheng": {
                        "name": "财政局",
                        "head": person,
                        "contact": person,
                        "cadence": "monthly",
                    },
                    "fagai": {
                        "name": "发改局",
                        "head": person,
                        "contact": person,
                        "cadence": "biweekly",
                    },
                },
                "pillars": {
                    "a": {"name": "甲", "children": {"x": {"name": "甲一"}, "y": {"name": "甲二"}}},
                    "b": {"name": "乙"},
                },
                "rules": rules,
            }
        )
    )


CONFIGS = [
    config({}),
    config(
        {
            "cards": {
                "blue_within_wd": 5,
                "yellow_overdue_wd": 2,
                "red_overdue_wd": 3,
                "yellow_lag_pp": 5,
                "red_lag_pp": 15,
                "red_not_started_months": 1,
                "accountability_response_wd": 2,
            },
            "feedback": {"weekday": 3, "monthly_day": 10, "on_rest_day": "previous"},
            "ladder": {"listed_start_rung": 3, "urgent_start_rung": 2},
        }
    ),
]


# --- the references: the rules as first written ----------------------------------------


def ref_planned(task: Task, today: date, due: date) -> float:
    if today >= due:
        return 100.0
    weights = [m.weight for m in task.milestones]
    if weights and all(w is not None for w in weights):
        return float(sum(m.weight or 0.0 for m in task.milestones if m.due <= today))
    start = task.start or date(task.due.year, 1, 1)
    if today <= start or due <= start:
        return 0.0
    return 100.0 * (today - start).days / (due - start).days


@dataclass(frozen=True)
class RefCard:
    level: int
    reasons: tuple[tuple[str, tuple[tuple[str, object], ...]], ...]
    planned: float
    lag: float
    overdue: int
    left: int | None
    red_since: date | None = None


def msg(key: str, **params: object) -> tuple[str, tuple[tuple[str, object], ...]]:
    return key, tuple(sorted(params.items()))


def ref_assess(
    task: Task,
    state: TaskState,
    today: date,
    rules: CardRules,
    due: date,
    red_notice_due: date | None,
) -> RefCard:
    planned = ref_planned(task, today, due)
    behind = max(0.0, planned - state.progress)
    if state.done:
        return RefCard(0, (), planned, 0.0, 0, None)
    found: list[tuple[int, Any]] = []
    overdue = 0
    left: int | None = None
    if today > due:
        overdue = CAL.workdays_between(due, today)
        if overdue > rules.red_overdue_wd:
            found.append((3, msg("card.overdue", wd=overdue, due=due.isoformat())))
        elif overdue >= rules.yellow_overdue_wd:
            found.append((2, msg("card.overdue", wd=overdue, due=due.isoformat())))
        else:
            found.append((1, msg("card.due_passed", due=due.isoformat())))
    else:
        left = CAL.workdays_between(today, due)
        if left <= rules.blue_within_wd:
            key = "card.due_today" if left == 0 else "card.due_soon"
            found.append((1, msg(key, wd=left, due=due.isoformat())))
    if behind > rules.red_lag_pp:
        found.append((3, msg("card.lag", pp=round(behind), planned=round(planned))))
    elif behind >= rules.yellow_lag_pp:
        found.append((2, msg("card.lag", pp=round(behind), planned=round(planned))))
    if task.start is not None and state.started is None and today > task.start:
        months = rules.red_not_started_months
        s = task.start
        if today >= add_months(s, months):
            found.append((3, msg("card.not_started_long", m=s.month, d=s.day, months=months)))
        else:
            found.append((2, msg("card.not_started", m=s.month, d=s.day)))
    level = max((lvl for lvl, _ in found), default=0)
    reasons = [m for _, m in sorted(found, key=lambda f: -f[0])]
    red_since = None
    if level == 3:
        candidates = []
        if state.card_level is not None and state.card_level >= 3 and state.card_since:
            candidates.append(state.card_since)
        if overdue > rules.red_overdue_wd:
            candidates.append(CAL.add_workdays(due, rules.red_overdue_wd + 1))
        red_since = min(candidates, default=today)
        deadline = red_notice_due  # a filed 督办单's: never estimated
        if deadline is not None and today > deadline:
            level = 4
            reasons.insert(
                0,
                msg(
                    "card.accountability",
                    since=red_since.isoformat(),
                    deadline=deadline.isoformat(),
                ),
            )
    return RefCard(level, tuple(reasons), planned, behind, overdue, left, red_since)


def card_of(a: Any) -> RefCard:
    """An Assessment in the reference's terms."""
    reasons = tuple(msg(m.key, **m.params) for m in a.card.reasons)
    return RefCard(a.card.level, reasons, a.planned, a.lag, a.overdue_wd, a.left_wd, a.red_since)


def ref_deadline(cadence: str, rules: FeedbackRules, today: date) -> tuple[date, date]:
    """The latest reporting deadline before *today* and its period's start, by brute force:
    every regular day of the last months, each moved off a rest day by CAL."""
    regular = []
    for n in range(-150, 60):
        day = today + timedelta(days=n)
        if cadence == "monthly":
            if day.day == rules.monthly_day:
                regular.append(day)
        elif day.isoweekday() == rules.weekday and (
            cadence == "weekly" or day.isocalendar().week % 2 == 0
        ):
            regular.append(day)
    step = 1 if rules.on_rest_day == "next" else -1
    moved = [d if CAL.is_workday(d) else CAL.add_workdays(d, step) for d in regular]
    due = max(m for m in moved if m < today)
    first = moved.index(due)  # the earliest regular day that moved onto it
    return due, min(regular[first - 1], moved[first - 1]) + timedelta(days=1)


def ref_missed(task: Task, state: TaskState, today: date, cfg: Config) -> date | None:
    unit = cfg.units.get(task.lead)
    cadence = task.cadence or (unit.cadence if unit else None) or cfg.rules.feedback.cadence
    if state.done:
        return None
    deadline, period_start = ref_deadline(cadence, cfg.rules.feedback, today)
    if deadline < (task.start or date(task.due.year, 1, 1)) or deadline > task.due:
        return None
    if state.last_report is not None and state.last_report >= period_start:
        return None
    return deadline


@dataclass
class Case:
    cfg: Config
    today: date
    tasks: list[Task]
    states: dict[str, TaskState]
    dues: dict[str, date]
    life: dict[str, str]
    red: dict[str, date]
    issued: dict[str, list[Any]] = field(default_factory=dict)


def ref_rows(c: Case) -> list[tuple[Any, ...]]:
    rows = []
    for t in c.tasks:
        st = c.states.get(t.id, TaskState())
        due = c.dues.get(t.id, t.due)
        life = c.life.get(t.id)
        if life is not None and stopped(life):
            a = RefCard(0, (), ref_planned(t, c.today, due), 0.0, 0, None)
            rows.append((t.id, st, a, due, None, life))
            continue
        a = ref_assess(t, st, c.today, c.cfg.rules.cards, due, c.red.get(t.id))
        rows.append((t.id, st, a, due, ref_missed(t, st, c.today, c.cfg), life))
    rows.sort(key=lambda r: (-r[2].level, -r[2].overdue, -r[2].lag, r[4] is None, r[0]))
    return rows


def row_of(r: dashboard.TaskRow) -> tuple[Any, ...]:
    return (r.task.id, r.state, card_of(r.assessment), r.due, r.missed_report, r.lifecycle)


# --- the strategies ------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn) -> Case:
    today = draw(st.dates(D("2020-01-02"), D("2020-12-28")))
    n = draw(st.integers(1, 25))
    tasks, states, dues, life, red = [], {}, {}, {}, {}
    for i in range(n):
        tid = f"T-{draw(st.integers(0, 999)):03d}-{i}"  # ids in no particular order
        due = draw(st.dates(D("2019-11-01"), D("2021-03-31")))
        start = draw(st.none() | st.dates(due - timedelta(days=400), due))
        mode = draw(st.sampled_from(["none", "weighted", "some", "plain"]))
        milestones = []
        for k in range(draw(st.integers(1, 3)) if mode != "none" else 0):
            weight = None
            if mode == "weighted" or (mode == "some" and k % 2):
                weight = draw(st.sampled_from([10, 25, 33.3, 40]))
            m_due = draw(st.dates(due - timedelta(days=200), due))
            milestones.append({"name": f"节点{k}", "due": m_due.isoformat(), "weight": weight})
        doc: dict[str, Any] = {
            "id": tid,
            "title": f"任务{i}",
            "lead": draw(st.sampled_from(UNITS)),
            "measures": ["做"],
            "due": due.isoformat(),
            "milestones": milestones,
            "urgency": draw(st.sampled_from(["normal", "urgent"])),
        }
        if start is not None:
            doc["start"] = start.isoformat()
        pillar = draw(st.sampled_from([None, "a", "a.x", "a.y", "b", "a.zz", "c"]))
        if pillar is not None:
            doc["pillar"] = pillar
        cadence = draw(st.sampled_from([None, "weekly", "biweekly", "monthly"]))
        if cadence is not None:
            doc["cadence"] = cadence
        if draw(st.booleans()):
            doc["listed"] = {"since": draw(st.dates(D("2020-01-01"), D("2020-12-31"))).isoformat()}
        tasks.append(to_record(spec.TaskSpec.model_validate(doc)))
        if draw(st.integers(0, 4)):
            progress = draw(st.sampled_from([0.0, 5.0, 20.0, 55.5, 90.0, 99.0, 100.0]))
            day = today - timedelta(days=draw(st.integers(0, 60)))
            card = draw(st.sampled_from([None, 0, 2, 3, 4]))
            states[tid] = TaskState(
                progress=progress,
                progress_at=day,
                last_report=day if draw(st.booleans()) else None,
                reports=1,
                started=day if progress and draw(st.booleans()) else None,
                card_level=card,
                card_since=day if card is not None else None,
            )
        if draw(st.integers(0, 3)) == 0:
            dues[tid] = due + timedelta(days=draw(st.integers(1, 60)))
        if draw(st.booleans()):
            life[tid] = draw(st.sampled_from(STATES))
        if draw(st.integers(0, 3)) == 0:
            red[tid] = draw(st.sampled_from([ladder.NO_RED_NOTICE, today, D("2020-06-01")]))
    return Case(draw(st.sampled_from(CONFIGS)), today, tasks, states, dues, life, red)


# --- the tests -----------------------------------------------------------------------


@settings(max_examples=examples(120), deadline=None)
@given(cases())
def test_assess_all_equals_one_task_at_a_time(c: Case) -> None:
    rows = dashboard.assess_all(c.tasks, c.states, c.cfg, c.today, CAL, c.dues, c.life, c.red)
    assert [row_of(r) for r in rows] == ref_rows(c)


@settings(max_examples=examples(120), deadline=None)
@given(cases(), st.sampled_from([frozenset(), frozenset({3, 4}), frozenset({0})]))
def test_dashboard_sums_equal_row_by_row_sums(c: Case, levels: frozenset[int]) -> None:
    filters = dashboard.Filters(levels=levels)
    dash = dashboard.build(c.tasks, c.states, c.cfg, c.today, CAL, filters, c.dues, c.life, c.red)
    ref = [r for r in ref_rows(c) if not levels or r[2].level in levels]
    assert [row_of(r) for r in dash.rows] == ref
    by_id = {t.id: t for t in c.tasks}
    counts = [0] * 5
    units: dict[str, list[Any]] = {}
    for tid, st_, a, _, missed, life in ref:
        counts[a.level] += 1
        u = units.setdefault(by_id[tid].lead, [0, 0, [0] * 5, 0.0, 0])
        u[0] += 1
        u[1] += st_.done or (life is not None and stopped(life))
        u[2][a.level] += 1
        u[3] += st_.progress
        u[4] += missed is not None
    assert dash.counts == tuple(counts)
    got = {u.unit: [u.tasks, u.done, u.levels, u.progress_sum, u.missed] for u in dash.units}
    assert got == units
    order = sorted(
        units, key=lambda k: (-units[k][2][4], -units[k][2][3], -units[k][2][2], -units[k][4], k)
    )
    assert [u.unit for u in dash.units] == order
    for p in dash.pillars:
        under = [
            r
            for r in ref
            if by_id[r[0]].pillar
            and (by_id[r[0]].pillar == p.path or by_id[r[0]].pillar.startswith(p.path + "."))
        ]
        progress = planned = 0.0
        for r in under:
            progress += r[1].progress
            planned += r[2].planned
        assert (p.tasks, p.progress_sum, p.planned_sum) == (len(under), progress, planned)
        assert p.worst == max((r[2].level for r in under), default=0)


@dataclass(frozen=True)
class Filed:
    kind: str
    issued_on: date
    response_due: date | None
    rung: int = 0
    number: str = ""
    # 签收: unsigned, but filed today and answerable in 3 days, so no card of its own yet
    # (the plain reference knows no 签收; test_signing.py covers it)
    signed_on: date | None = None


@settings(max_examples=examples(100), deadline=None)
@given(cases(), st.data())
def test_standings_and_next_steps_equal_the_plain_ladder(c: Case, data: st.DataObject) -> None:
    issued: dict[str, list[Any]] = {}
    for t in c.tasks:
        kinds = data.draw(st.lists(st.sampled_from(ladder.KINDS), unique=True, max_size=3))
        issued[t.id] = [
            Filed(k, c.today, c.today + timedelta(days=3), ladder.KINDS.index(k), f"{k}-{t.id}")
            for k in sorted(kinds, key=ladder.KINDS.index)
        ]
    items = ladder.standings(c.tasks, c.states, c.dues, issued, c.cfg, c.today, CAL, c.life)
    ref = []
    for t in c.tasks:
        st_ = c.states.get(t.id, TaskState())
        due = c.dues.get(t.id, t.due)
        notices = issued.get(t.id, [])
        rung = max((n.rung for n in notices if n.rung >= 1), default=0)
        life = c.life.get(t.id)
        if life is not None and stopped(life):
            a = RefCard(0, (), ref_planned(t, c.today, due), 0.0, 0, None)
            target = 0
        else:
            a = ref_assess(t, st_, c.today, c.cfg.rules.cards, due, ladder.red_notice_due(notices))
            target = ladder.target_rung(a.level, t, c.cfg.rules.ladder, c.today)
        ref.append((t.id, st_, a, due, tuple(notices), rung, target, life))
    ref.sort(key=lambda s: (-s[2].level, -s[2].overdue, -s[2].lag, -s[5], s[0]))
    got = [
        (s.task.id, s.state, card_of(s.assessment), s.due, s.notices, s.rung, s.target, s.lifecycle)
        for s in items
    ]
    assert got == ref
    # one task at a time, with its own clock, gives the same next step
    rows = outlook.overdue(items, c.cfg, c.today, CAL)
    for r in rows:
        s = r.standing
        alone = ladder.stand(
            s.task, s.state, s.due, list(s.notices), c.cfg, c.today, CAL, s.lifecycle
        )
        assert alone == s
        assert r.next == outlook.next_step(alone, c.cfg, c.today, CAL)
    assert [r.standing for r in rows] == [
        s for s in items if s.open and s.assessment.card.level > Level.NONE
    ]


@settings(max_examples=examples(100), deadline=None)
@given(cases(), st.integers(1, 30))
def test_countdowns_equal_the_plain_lists(c: Case, n: int) -> None:
    empty = TaskState()

    def row(t: Task, target: date, name: str | None = None) -> tuple[Any, ...]:
        return (t.id, target, CAL.workdays_between(c.today, target), (target - c.today).days, name)

    def rows(got: Sequence[countdown.Countdown]) -> list[tuple[Any, ...]]:
        return [(r.task.id, r.target, r.workdays, r.days, r.milestone) for r in got]

    def ordered(items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return sorted(items, key=lambda r: (r[2], r[0]))

    starts = [
        row(t, t.start)
        for t in c.tasks
        if t.start is not None
        and c.states.get(t.id, empty).started is None
        and not c.states.get(t.id, empty).done
    ]
    assert rows(countdown.starts(c.tasks, c.states, c.today, CAL)) == ordered(starts)
    dues = [row(t, c.dues.get(t.id, t.due)) for t in c.tasks if not c.states.get(t.id, empty).done]
    assert rows(countdown.deadlines(c.tasks, c.states, c.today, CAL, c.dues)) == ordered(dues)
    horizon = CAL.add_workdays(c.today, n)
    ms = [
        row(t, m.due, m.name)
        for t in c.tasks
        if not c.states.get(t.id, empty).done
        for m in t.milestones
        if m.name not in c.states.get(t.id, empty).milestones_done and c.today <= m.due <= horizon
    ]
    assert rows(countdown.milestones_within(c.tasks, c.states, c.today, CAL, n)) == ordered(ms)
