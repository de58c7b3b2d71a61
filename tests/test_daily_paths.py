"""The faster paths of the daily commands (issue 18), held equal to the plain ones on
generated workspaces (bench/gen.py plans):

* ``dashboard.assess_all`` (finished tasks placed by ``map``/``zip``, the loop over the
  open ones only) and ``dashboard.build``'s roll-up against the plain loops they
  replaced (copied below), on random states, lifecycles, extensions, 督办单 deadlines and
  unsigned notices, on days before, inside and after the plan's year — rows, counts,
  unit and pillar sums compared exactly (float sums depend on the order of additions);
* ``dashboard.attention`` (the rows with a card or a missed report, their borders found
  by bisection) against the plain filter over every row, with every filter;
* ``ladder.standings`` (finished tasks with no notice placed by ``map``/``zip``, the loop
  over the others) against the plain loop over every task, with notices filed on some
  tasks (finished ones among them) at every rung;
* ``store.lifecycle.lifecycle_states`` for many tasks (from the checkpoint, drafted with
  ``dict.fromkeys``) against the same call for a few tasks at a time (index seeks), keys
  in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.loading.paths import calendar_for
from gaoxin_cli.loading.plancache import load_plan
from gaoxin_cli.models import Config, Plan, Task
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.rules import dashboard as dash
from gaoxin_cli.rules import ladder
from gaoxin_cli.rules.cards import PAST_DUE, CardClock, no_card
from gaoxin_cli.rules.filters import Filters
from gaoxin_cli.rules.lifecycle import STATES, STOPPED_STATES
from gaoxin_cli.rules.reports import missed_reports
from gaoxin_cli.rules.signing import SignedNotice, overdue_unsigned
from gaoxin_cli.store import Store
from gaoxin_cli.store.lifecycle import lifecycle_states
from helpers import bench_module


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    gen = bench_module("gen")
    root = tmp_path_factory.mktemp("daily")
    ws = gen.write_workspace(root / "ws", gen.Spec(tasks=600, files=4, units=9, seed=11))
    return load_plan(ws.root, None)


# --- the plain loops, as they were before the faster paths -------------------------------

_EMPTY = TaskState()


def _plain_assess_all(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    dues: Mapping[str, date] | None = None,
    lifecycle: Mapping[str, str] | None = None,
    red_notice_dues: Mapping[str, date] | None = None,
    unsigned: Mapping[str, Sequence[SignedNotice]] | None = None,
) -> list[dash.TaskRow]:
    dues = dues or {}
    lifecycle = lifecycle or {}
    red_notice_dues = red_notice_dues or {}
    unsigned_of = (unsigned or {}).get
    card = CardClock(today, calendar, config.rules.cards).assess
    missed_report = missed_reports(config, today, calendar)
    urgent: list[Any] = []
    quiet: list[Any] = []
    for t in tasks:
        st = states.get(t.id, _EMPTY)
        due = dues.get(t.id, t.due) if dues else t.due
        life = lifecycle.get(t.id)
        if st.done or (life is not None and life in STOPPED_STATES):
            a = PAST_DUE if today >= due else no_card(t, today, due)
            quiet.append((t.id, dash.TaskRow(t, st, a, due, None, life)))
            continue
        waiting = unsigned_of(t.id)
        a = card(
            t,
            st,
            due,
            red_notice_dues.get(t.id),
            overdue_unsigned(waiting, today) if waiting else None,
        )
        missed = missed_report(t, st)
        row = dash.TaskRow(t, st, a, due, missed, life)
        level = a.card.level
        if level or a.overdue_wd or a.lag or missed is not None:
            urgent.append((-level, -a.overdue_wd, -a.lag, missed is None, t.id, len(urgent), row))
        else:
            quiet.append((t.id, row))
    urgent.sort()
    quiet.sort(key=lambda q: q[0])
    return [u[-1] for u in urgent] + [q[-1] for q in quiet]


def _plain_rollup(rows: list[dash.TaskRow], config: Config) -> tuple[Any, ...]:
    counts = [0] * 5
    units: dict[str, dash.UnitRow] = {}
    pillars, chain_of = dash._pillar_tree(config.pillars)
    done = missed = 0
    for r in rows:
        task, a = r.task, r.assessment
        level, progress = a.card.level, r.state.progress
        counts[level] += 1
        u = units.get(task.lead)
        if u is None:
            u = units[task.lead] = dash.UnitRow(task.lead)
        u.tasks += 1
        if r.finished:
            u.done += 1
            done += 1
        u.levels[level] += 1
        u.progress_sum += progress
        if r.missed_report is not None:
            u.missed += 1
            missed += 1
        if task.pillar:
            for node in chain_of(task.pillar):
                node.tasks += 1
                node.progress_sum += progress
                node.planned_sum += a.planned
                node.worst = max(node.worst, level)
    unit_rows = sorted(
        units.values(),
        key=lambda u: (-u.levels[4], -u.levels[3], -u.levels[2], -u.missed, u.unit),
    )
    return tuple(counts), done, missed, unit_rows, pillars


def _plain_standings(
    tasks: Iterable[Task],
    states: Mapping[str, TaskState],
    dues: Mapping[str, date],
    issued: Mapping[str, Sequence[Any]],
    config: Config,
    today: date,
    calendar: WorkCalendar,
    lifecycle: Mapping[str, str] | None = None,
) -> list[ladder.Standing]:
    card = CardClock(today, calendar, config.rules.cards).assess
    rules = config.rules.ladder
    urgent: list[Any] = []
    quiet: list[Any] = []
    for t in tasks:
        st = states.get(t.id, _EMPTY)
        due = dues.get(t.id, t.due) if dues else t.due
        notices: Any = issued.get(t.id)
        life = (lifecycle or {}).get(t.id)
        if notices:
            notices = tuple(notices)
            rung = max((n.rung for n in notices if n.rung >= ladder.REMIND), default=0)
            red_due = ladder.red_notice_due(notices)
        else:
            notices, rung, red_due = (), 0, ladder.NO_RED_NOTICE
        if st.done or life in STOPPED_STATES:
            a = PAST_DUE if today >= due else no_card(t, today, due)
            target = 0
        else:
            unsigned = overdue_unsigned(notices, today) if notices else None
            a = card(t, st, due, red_due, unsigned)
            target = ladder.target_rung(a.card.level, t, rules, today) if a.card.level else 0
        s = ladder.Standing(t, st, a, due, notices, rung, target, life)
        level = a.card.level
        if level or a.overdue_wd or a.lag or rung:
            urgent.append((-level, -a.overdue_wd, -a.lag, -rung, t.id, len(urgent), s))
        else:
            quiet.append((t.id, s))
    urgent.sort()
    quiet.sort(key=lambda q: q[0])
    return [u[-1] for u in urgent] + [q[-1] for q in quiet]


# --- random pictures of a day -----------------------------------------------------------


class _Notice:
    """A notice as the card and the ladder read it (rules.signing.SignedNotice,
    rules.ladder.IssuedNotice)."""

    def __init__(
        self, issued_on: date, response_due: date, signed_on: date | None, rung: int = 1
    ) -> None:
        self.issued_on, self.response_due, self.signed_on = issued_on, response_due, signed_on
        self.unit, self.number = "u", f"N-{rung}"
        self.rung, self.kind = rung, ladder.KINDS[rung]


def _picture(plan: Plan, seed: int, today: date) -> dict[str, Any]:
    rng = random.Random(seed)
    states: dict[str, TaskState] = {}
    lifecycle: dict[str, str] = {}
    dues: dict[str, date] = {}
    red: dict[str, date] = {}
    unsigned: dict[str, list[Any]] = {}
    for t in plan.tasks:
        roll = rng.random()
        if roll < 0.1:
            continue  # nothing reported: not in the states
        progress = rng.choice([0.0, 5.0, 37.5, 50.0, 99.9, 100.0, 100.0, 120.0 / 1.2, 33.3])
        last = today - timedelta(days=rng.randrange(0, 60))
        started = None if rng.random() < 0.2 else last - timedelta(days=rng.randrange(0, 90))
        level = rng.choice([None, None, 1, 2, 3])
        states[t.id] = TaskState(
            progress,
            last,
            last,
            rng.randrange(1, 9),
            started,
            card_level=level,
            card_since=None if level is None else last,
        )
        if rng.random() < 0.3:
            lifecycle[t.id] = rng.choice(sorted(STATES))
        if rng.random() < 0.05:
            dues[t.id] = t.due + timedelta(days=rng.randrange(1, 40))
        if rng.random() < 0.05:
            red[t.id] = today - timedelta(days=rng.randrange(-5, 5))
        if rng.random() < 0.03:
            issued = today - timedelta(days=rng.randrange(1, 20))
            signed = None if rng.random() < 0.7 else issued + timedelta(days=1)
            unsigned[t.id] = [_Notice(issued, issued + timedelta(days=3), signed)]
    return {
        "states": states,
        "lifecycle": lifecycle,
        "dues": dues,
        "red": red,
        "unsigned": unsigned,
    }


_DAYS = [
    date(2019, 12, 20),
    date(2020, 3, 2),
    date(2020, 7, 15),
    date(2020, 11, 16),
    date(2021, 2, 1),
]


@pytest.mark.parametrize("today", _DAYS, ids=str)
@pytest.mark.parametrize("seed", [1, 2])
def test_assess_all_is_the_plain_loop(plan: Plan, today: date, seed: int) -> None:
    cal = calendar_for(plan.config)
    p = _picture(plan, seed, today)
    args = (p["dues"], p["lifecycle"], p["red"], p["unsigned"])
    got = dash.assess_all(plan.tasks, p["states"], plan.config, today, cal, *args)
    want = _plain_assess_all(plan.tasks, p["states"], plan.config, today, cal, *args)
    assert got == want
    assert [type(r) for r in got] == [dash.TaskRow] * len(want)
    # finished and open tasks both present, and some finished before their due date
    assert any(r.finished for r in got) and not all(r.finished for r in got)
    # without the optional maps; a generator of tasks; no task at all
    bare = dash.assess_all(iter(plan.tasks), p["states"], plan.config, today, cal)
    assert bare == _plain_assess_all(plan.tasks, p["states"], plan.config, today, cal)
    assert dash.assess_all([], {}, plan.config, today, cal) == []


@pytest.mark.parametrize("today", _DAYS, ids=str)
def test_everything_finished_and_nothing_finished(plan: Plan, today: date) -> None:
    cal = calendar_for(plan.config)
    for progress in (100.0, 0.0):
        states = {t.id: TaskState(progress, today, today, 1, today) for t in plan.tasks}
        got = dash.assess_all(plan.tasks, states, plan.config, today, cal)
        assert got == _plain_assess_all(plan.tasks, states, plan.config, today, cal)


_FILTERS: list[Callable[[Plan], Filters]] = [
    lambda p: Filters(),
    lambda p: Filters(units=frozenset({p.tasks[0].lead, p.tasks[5].lead})),
    lambda p: Filters(levels=frozenset({2, 3})),
    lambda p: Filters(pillar=next(t.pillar for t in p.tasks if t.pillar).split(".")[0]),
]


@pytest.mark.parametrize("which", range(len(_FILTERS)))
@pytest.mark.parametrize("today", [date(2020, 7, 15), date(2020, 11, 16)], ids=str)
def test_build_is_the_plain_rollup(plan: Plan, today: date, which: int) -> None:
    cal = calendar_for(plan.config)
    filters = _FILTERS[which](plan)
    p = _picture(plan, 3, today)
    args = (p["dues"], p["lifecycle"], p["red"], p["unsigned"])
    board = dash.build(plan.tasks, p["states"], plan.config, today, cal, filters, *args)
    kept = [t for t in plan.tasks if filters.keep_task(t)]
    rows = _plain_assess_all(kept, p["states"], plan.config, today, cal, *args)
    if filters.levels:
        rows = [r for r in rows if r.assessment.card.level in filters.levels]
    assert board.rows == rows
    counts, done, missed, units, pillars = _plain_rollup(rows, plan.config)
    assert (board.counts, board.done, board.missed) == (counts, done, missed)
    assert board.units == units  # progress_sum compared exactly
    assert board.pillars == pillars
    assert sum(p.tasks for p in board.pillars) > 0


@pytest.mark.parametrize("which", range(len(_FILTERS)))
@pytest.mark.parametrize("today", _DAYS, ids=str)
def test_attention_is_the_plain_filter(plan: Plan, today: date, which: int) -> None:
    cal = calendar_for(plan.config)
    filters = _FILTERS[which](plan)
    p = _picture(plan, 4, today)
    args = (p["dues"], p["lifecycle"], p["red"], p["unsigned"])
    rows = dash.build(plan.tasks, p["states"], plan.config, today, cal, filters, *args).rows
    want = [r for r in rows if r.assessment.card.level or r.missed_report]
    assert dash.attention(rows) == want
    for part in (rows[:0], rows[:1], rows[len(rows) // 2 :]):  # still in order
        plain = [r for r in part if r.assessment.card.level or r.missed_report]
        assert dash.attention(part) == plain


def test_attention_finds_both_kinds_of_row(plan: Plan) -> None:
    """The generated picture has carded rows, uncarded rows with a missed report after
    them, and quiet rows: each border is really searched."""
    today = date(2020, 7, 15)
    cal = calendar_for(plan.config)
    p = _picture(plan, 4, today)
    args = (p["dues"], p["lifecycle"], p["red"], p["unsigned"])
    rows = dash.build(plan.tasks, p["states"], plan.config, today, cal, Filters(), *args).rows
    got = dash.attention(rows)
    carded = [r for r in got if r.assessment.card.level]
    missed_only = [r for r in got if not r.assessment.card.level]
    assert carded and missed_only and len(got) < len(rows)
    assert all(r.missed_report is not None for r in missed_only)


def _issued(plan: Plan, seed: int, today: date) -> dict[str, list[Any]]:
    """Notices filed on about a fifth of the tasks (finished ones too), up to four rungs
    each, some signed, some with an empty list (a task whose notices were read: none)."""
    rng = random.Random(seed)
    out: dict[str, list[Any]] = {}
    for t in plan.tasks:
        roll = rng.random()
        if roll < 0.02:
            out[t.id] = []
        elif roll < 0.2:
            ns = []
            for rung in range(rng.randrange(1, 5)):
                issued = today - timedelta(days=rng.randrange(1, 40))
                signed = None if rng.random() < 0.6 else issued + timedelta(days=1)
                ns.append(_Notice(issued, issued + timedelta(days=3), signed, rung))
            out[t.id] = ns
    return out


@pytest.mark.parametrize("today", _DAYS, ids=str)
@pytest.mark.parametrize("seed", [1, 2])
def test_standings_are_the_plain_loop(plan: Plan, today: date, seed: int) -> None:
    cal = calendar_for(plan.config)
    p = _picture(plan, seed, today)
    issued = _issued(plan, seed, today)
    args = (p["dues"], issued, plan.config, today, cal, p["lifecycle"])
    got = ladder.standings(plan.tasks, p["states"], *args)
    want = _plain_standings(plan.tasks, p["states"], *args)
    assert got == want
    assert [type(s) for s in got] == [ladder.Standing] * len(want) == [ladder.Standing] * 600
    # both paths taken: finished tasks with and without notices, open ones with a rung
    finished = [s for s in got if not s.open]
    assert any(s.notices for s in finished) and any(not s.notices for s in finished)
    assert any(s.rung for s in got if s.open) or today < date(2020, 1, 1)
    # without lifecycle or extensions; a generator of tasks; every task or none finished
    bare = ladder.standings(iter(plan.tasks), p["states"], {}, issued, plan.config, today, cal)
    assert bare == _plain_standings(plan.tasks, p["states"], {}, issued, plan.config, today, cal)
    for progress in (100.0, 0.0):
        same = {t.id: TaskState(progress, today, today, 1, today) for t in plan.tasks}
        got = ladder.standings(plan.tasks, same, {}, issued, plan.config, today, cal)
        assert got == _plain_standings(plan.tasks, same, {}, issued, plan.config, today, cal)
    assert ladder.standings([], {}, {}, {}, plan.config, today, cal) == []


# --- lifecycle states: many tasks at once against a few at a time ------------------------


@pytest.mark.parametrize("today", [date(2020, 7, 15), date(2020, 11, 16)], ids=str)
@pytest.mark.parametrize("read_open_only", [True, False])
def test_open_standings_leave_out_what_the_plain_filter_does(
    plan: Plan, today: date, read_open_only: bool
) -> None:
    """``service.escalation._standings(..., open_only=True)`` (overdue): the tasks done by
    the numbers (named by a snapshot read open_only, else told by their states) and
    those done, closed or cancelled by the lifecycle are left out, as the plain loop
    over every task left them."""
    from types import SimpleNamespace

    from gaoxin_cli.service.escalation import _standings
    from gaoxin_cli.service.snapshot import Snapshot

    cal = calendar_for(plan.config)
    p = _picture(plan, 5, today)
    states, lifecycle = p["states"], p["lifecycle"]
    done = {tid for tid, st in states.items() if st.done}
    stopped = {tid for tid, life in lifecycle.items() if life in STOPPED_STATES}
    assert done and stopped and stopped - done  # both kinds, apart
    kept_states = {t: s for t, s in states.items() if t not in done} if read_open_only else states
    snap = Snapshot(
        today, kept_states, lifecycle, p["dues"], {}, {}, [], {}, {}, {},
        frozenset(done) if read_open_only else frozenset(),
    )  # fmt: skip
    session = SimpleNamespace(config=plan.config, today=today, calendar=cal)
    got = _standings(session, snap, plan.tasks, open_only=True)  # type: ignore[arg-type]
    chosen = [t for t in plan.tasks if t.id not in done | stopped]
    want = ladder.standings(chosen, kept_states, p["dues"], {}, plan.config, today, cal, lifecycle)
    assert got == want
    assert {s.task.id for s in got}.isdisjoint(done | stopped)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_is_the_plain_comprehension(plan: Plan, seed: int) -> None:
    """``columns.without`` (notify and overdue leave the done and stopped tasks out):
    the tasks in order but those named in any of the sets, empty ones included."""
    from gaoxin_cli.rules.columns import without

    rng = random.Random(seed)
    ids = [t.id for t in plan.tasks]
    a = set(rng.sample(ids, len(ids) // 3)) | {"NOT-A-TASK"}
    b = set(rng.sample(ids, len(ids) // 10))
    for sets in ((a,), (a, b), (set(), b), (a, set()), (), (set(ids),)):
        want = [t for t in plan.tasks if not any(t.id in s for s in sets)]
        assert without(plan.tasks, *sets) == want
    assert without([], a) == []


def test_lifecycle_states_for_many_are_those_for_a_few(tmp_path: Path) -> None:
    rng = random.Random(4)
    day = date(2020, 3, 2)
    ids = [f"T{i:03d}" for i in range(400)]
    events: list[Event] = []
    for i, task in enumerate(ids):
        kind = i % 7
        if kind == 0:
            continue  # nothing: registered
        at = day - timedelta(days=rng.randrange(0, 30))
        if kind in (1, 2, 3):
            events.append(Event(task, "feedback", at, progress=float(rng.randrange(1, 100))))
        if kind == 2:
            events.append(
                Event(task, "lifecycle", at, data={"action": "submit", "to": "under_review"})
            )
        if kind == 3:
            events.append(
                Event(task, "extension", at, data={"action": "request", "to": "2020-12-31"})
            )
        if kind == 4:
            events.append(
                Event(task, "lifecycle", at, data={"action": "cancel", "to": "cancelled"})
            )
        if kind == 5:  # after the day: not yet
            events.append(Event(task, "start", day + timedelta(days=3)))
    with Store.open(tmp_path / "g.db", write=True) as st:
        st.add(events)
        st.write_checkpoint()
        asked = [*reversed(ids), ids[3], "NEVER"]  # any order, a repeat, an unknown id
        many = lifecycle_states(st, asked, day)
        few: dict[str, str] = {}
        for i in range(0, len(asked), 50):
            few.update(lifecycle_states(st, asked[i : i + 50], day))
    assert len(few) == len(ids) + 1
    assert many == few
    assert list(many) == list(dict.fromkeys(asked))
    assert {"registered", "in_progress", "under_review", "extension_pending", "cancelled"} <= set(
        many.values()
    )
