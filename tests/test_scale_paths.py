"""The faster read paths of month-end scoring and the bulletin, held equal to the plain
ones on generated workspaces (bench/gen.py histories, with cards, returns and
extensions as bench/ranking_bench.py draws them).

* ``awards.latest_progress`` — from the state checkpoint when it serves the day, else by
  index seeks — against ``TaskState.progress`` derived by the queries;
* ``awards.done_days`` (which now takes its first pass from it) against a plain walk of
  every task's reports in ``(at, id)`` order;
* the day checkpoints of past month ends (``store/checkpoint.py``): ``Store.states`` and
  ``Store.cards`` on those days read them, and equal what the queries derive;
* ``awards.latest_cards`` (one pass over the card events, not a seek per task of the
  plan) against the last card event of each task in ``(at, id)`` order;
* ``ranking.facts.build`` (one pass of look-ups, cards only for tasks that have any)
  against the plain loop it replaced, on every month of the year in both card modes;
on the history's days before, at and after its last, with events written after the
last checkpoint (some of them dated in the past, one taking a finished task back below
100 %).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store, checkpoint, derive
from gaoxin_cli.store import awards as aw
from helpers import bench_module

AS_OF = date(2020, 11, 16)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], Path]:
    gen, rb = bench_module("gen"), bench_module("ranking_bench")
    root = tmp_path_factory.mktemp("scale")
    ws = gen.write_workspace(root / "ws", gen.Spec(tasks=240, files=3, units=8, seed=5))
    hist = gen.make_events(ws, gen.EventSpec(events=20_000, as_of=AS_OF))
    extras = rb.other_events(ws, hist.done, random.Random(5), until=AS_OF)
    events = [rb.to_event(r) for r in hist.rows] + extras
    ids = [t["id"] for t in ws.tasks]
    db = root / "g.db"
    with Store.open(db, write=True) as st:
        for i in range(0, len(events), 4000):
            chunk = events[i : i + 4000]
            st.add_unique(chunk, [f"k{i + j}" for j in range(len(chunk))])
        # A tail the checkpoint does not cover (fewer than checkpoint.EVERY events): a
        # finished task taken back below 100 %, a late report dated in the past, a
        # task finished again.
        done = sorted(hist.done)
        tail = [
            Event(done[0], "correction", AS_OF, progress=90.0, reason="复核未完成"),
            Event(done[1], "feedback", date(2020, 10, 30), progress=100.0),
            Event(done[2], "correction", date(2020, 9, 30), progress=50.0, reason="补录"),
            Event(ids[0], "feedback", AS_OF, progress=100.0),
        ]
        st.add(tail)
    return db, ids, ws.root


def _plain_done(st: Store, end: date) -> dict[str, date]:
    """The first report at 100 % after the last one below, for tasks whose latest valued
    report is at 100 %: one walk of every report in (at, id) order."""
    done: dict[str, date | None] = {}
    for e in st.history(until=end):
        if e.kind in ("feedback", "correction") and e.progress is not None:
            if e.progress < 100:
                done[e.task] = None
            elif done.get(e.task) is None:
                done[e.task] = e.at
    return {t: d for t, d in done.items() if d is not None}


def _days() -> list[date]:
    ends = [date(2020, m, 1) - timedelta(days=1) for m in range(2, 12)]
    return [*ends, date(2020, 10, 30), AS_OF - timedelta(days=1), AS_OF, AS_OF + timedelta(7)]


def test_checkpoints_serve_the_last_day_on_and_past_month_ends(history: Any) -> None:
    db, _, _ = history
    with Store.open(db, write=False) as st:
        assert st.checkpoint_states(AS_OF) is not None
        assert st.checkpoint_states(AS_OF + timedelta(days=30)) is not None
        assert st.checkpoint_states(date(2020, 10, 31)) is not None  # a day checkpoint
        # A day between month ends: only for every task's state (Store.states), which
        # scans the events; a caller with cheaper queries for what it needs is not served.
        assert st.checkpoint_states(date(2020, 10, 30)) is None


_BETWEEN = [
    date(2020, 1, 20),  # no month end before it in the history
    date(2020, 3, 10),
    date(2020, 7, 15),
    date(2020, 10, 1),
    date(2020, 10, 30),
    AS_OF - timedelta(days=1),  # with the tail's late reports dated in September, October
]


@pytest.mark.parametrize("day", _BETWEEN, ids=str)
def test_a_day_between_month_ends_is_the_month_end_before_and_the_events_after(
    history: Any, day: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Served by the day checkpoint of the month end before (within
    ``DAY_BEFORE_MAX_DAYS``) and the events dated after it or written after it: the
    queries' states exactly; with no such day checkpoint, not served."""
    db, _, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        ends = [
            date.fromisoformat(r[0])
            for r in st.query(
                "SELECT max_at FROM checkpoints WHERE format = ?", (checkpoint.DAY_FORMAT,)
            )
        ]
        near = any(0 < (day - end).days <= checkpoint.DAY_BEFORE_MAX_DAYS for end in ends)
        assert checkpoint.states(st._conn, day) is None  # not without between
        served = checkpoint.states(st._conn, day, between=True)
        assert (served is not None) == near
        if served is not None:
            assert served == derive.states(st._conn, day)
        # Store.states of every task reads it so (a spy on the checkpoint's reader).
        served_by: list[bool] = []
        real = checkpoint.states

        def spy(conn: Any, as_of: date, *, between: bool = False, kept: Any = None) -> Any:
            found = real(conn, as_of, between=between, kept=kept)
            served_by.append(found is not None)
            return found

        monkeypatch.setattr(checkpoint, "states", spy)
        assert st.states(day) == derive.states(st._conn, day)
        assert served_by == [near]


@pytest.mark.parametrize("day", _days(), ids=str)
def test_latest_progress_is_the_states_progress(history: Any, day: date) -> None:
    db, ids, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        plain = {
            t: s.progress
            for t, s in derive.states(st._conn, day).items()
            if s.progress_at is not None
        }
        assert aw.latest_progress(st, ids, day) == plain
        some = ids[::7]
        assert aw.latest_progress(st, some, day) == {t: p for t, p in plain.items() if t in some}


@pytest.mark.parametrize("day", _days(), ids=str)
def test_done_days_are_the_plain_walk(history: Any, day: date) -> None:
    db, ids, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        plain = _plain_done(st, day)
        assert plain or day < date(2020, 5, 1)  # tasks are finished from spring on
        assert aw.done_days(st, ids, day) == plain
        some = ids[1::5]
        assert aw.done_days(st, some, day) == {t: d for t, d in plain.items() if t in some}


def _plain_build(tasks: Any, h: Any, calendar: Any, counting: Any) -> list[Any]:
    """``facts.build`` as it was: month_cards and keyword construction for every task."""
    from gaoxin_cli.ranking import facts as fx
    from gaoxin_cli.ranking.inputs import TaskFacts

    out = []
    for task in tasks:
        tid = task.id
        if tid in h.cancelled:
            continue
        done_on = h.done_on.get(tid)
        yellow, red, yellow_since, red_since = fx.month_cards(tid, h, counting)
        overdue_wd = 0
        if done_on is None and task.due < h.end:
            overdue_wd = max(0, calendar.workdays_between(task.due, h.end))
        out.append(
            TaskFacts(
                task=tid,
                title=task.title,
                unit=task.lead,
                due=task.due,
                done_on=done_on,
                yellow=yellow,
                red=red,
                yellow_since=yellow_since,
                red_since=red_since,
                returned=h.returned.get(tid, 0),
                missed=tuple(h.missed.get(tid, ())),
                overdue_wd=overdue_wd,
                extended_to=h.extended_to.get(tid),
            )
        )
    return out


@pytest.mark.parametrize("month", range(1, 12))
def test_month_facts_are_the_plain_loop(history: Any, month: int) -> None:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.loading.plancache import load_plan
    from gaoxin_cli.ranking import facts as fx
    from gaoxin_cli.ranking.period import Period
    from gaoxin_cli.rules.reports import deadlines_between, reporting_windows

    db, ids, root = history
    plan = load_plan(root, None)
    cal = WorkCalendar()
    period = Period.parse(f"2020-{month:02d}")
    end = min(period.end, AS_OF)
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        life = fx.lifecycle(aw.lifecycle_rows(st, end), period.start, end)
        done = fx.done_days(aw.done_days(st, ids, end), life)
        deadlines = deadlines_between(
            plan.config.rules.feedback, period.start, period.end, end, cal
        )
        reporting = reporting_windows(plan.tasks, plan.config)
        checks = fx.report_checks(reporting, deadlines, period, done, life.cancelled)
        eve = period.start - timedelta(days=1)
        before = aw.card_levels(st, eve)
        held = [tid for tid, level in before.items() if level >= fx.YELLOW]
        h = fx.MonthHistory(
            start=period.start,
            end=end,
            cards_before=before,
            card_changes=aw.card_changes(st, period.start, end),
            held_before=aw.card_events(st, held, eve) if held else {},
            done_on=done,
            returned=life.returned,
            cancelled=life.cancelled,
            extended_to=fx.extensions(aw.extension_rows(st, end), end),
            missed=aw.missed_reports(st, checks),
        )
    for counting in ("in_force", "new"):
        fast = fx.build(plan.tasks, h, cal, counting)  # type: ignore[arg-type]
        plain = _plain_build(plan.tasks, h, cal, counting)
        assert fast == plain
        assert [type(f) for f in fast] == [type(f) for f in plain]
    if month >= 6:
        assert any(f.yellow or f.red for f in fast)  # the months have cards to count


@pytest.mark.parametrize("day", _days(), ids=str)
def test_latest_cards_are_the_last_card_events(history: Any, day: date) -> None:
    db, ids, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        last: dict[str, Event] = {}
        for e in st.history(until=day):
            if e.kind == "card":
                last[e.task] = e
        plain = {}
        for task in ids:
            e = last.get(task)
            level = e.data.get("level") if e is not None and e.data else None
            if e is None or not isinstance(level, int):
                continue
            reasons = tuple((r["key"], dict(r.get("params") or {})) for r in e.data["reasons"])
            plain[task] = aw.CardNow(level, e.at, reasons)
        found = aw.latest_cards(st, ids, day)
        assert found == plain
        assert list(found) == list(plain)  # in the order asked
        assert plain or day < date(2020, 3, 1)
        some = ids[::3]
        assert aw.latest_cards(st, some, day) == {t: c for t, c in plain.items() if t in some}


MONTH_ENDS = [date(2020, m, 1) - timedelta(days=1) for m in range(2, 12)]


def test_month_ends_get_day_checkpoints(history: Any) -> None:
    db, _, _ = history
    with Store.open(db, write=False) as st:
        rows = st.query(
            "SELECT max_at FROM checkpoints WHERE format = ? ORDER BY max_at",
            (checkpoint.DAY_FORMAT,),
        )
    days = [date.fromisoformat(r[0]) for r in rows]
    assert days == sorted(set(days))  # one per day: a newer one replaces an older
    # The history was written in date order, a few months a transaction: every month
    # end it passed has one (the first transaction's months excepted: nothing before).
    assert set(MONTH_ENDS[3:]) <= set(days)


@pytest.mark.parametrize("day", _days(), ids=str)
def test_states_and_cards_from_day_checkpoints_are_the_queries(history: Any, day: date) -> None:
    db, _, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        conn = st._conn
        served = checkpoint.states(conn, day)
        if day in MONTH_ENDS[3:] or day >= AS_OF:
            assert served is not None
        plain = derive.states(conn, day)
        if served is not None:
            assert served == plain
        assert st.states(day) == plain
        assert st.cards(day) == derive.cards(conn, day)
        assert plain or day < date(2020, 2, 1)


def test_a_late_report_for_a_past_month_is_in_its_day_checkpoint(tmp_path: Path) -> None:
    db = tmp_path / "late.db"
    with Store.open(db, write=True) as st:
        n = checkpoint.EVERY
        st.add([Event(f"T{i}", "feedback", date(2020, 1, 10), progress=10.0) for i in range(n)])
        st.add([Event(f"T{i}", "feedback", date(2020, 2, 3), progress=20.0) for i in range(n)])
        # After January's day checkpoint was written: a report dated in January.
        st.add([Event("T1", "feedback", date(2020, 1, 31), progress=15.0)])
        jan = date(2020, 1, 31)
        served = checkpoint.states(st._conn, jan)
        assert served is not None
        assert served["T1"].progress == 15.0 and served["T2"].progress == 10.0
        assert served == derive.states(st._conn, jan)
        assert checkpoint.states(st._conn, date(2020, 1, 30)) is None  # not a month end


def test_a_day_checkpoint_written_afterwards_is_the_queries(history: Any, tmp_path: Path) -> None:
    import shutil

    db, _, _ = history
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    day = date(2020, 3, 31)  # one the writes did not leave behind
    with Store.open(copy, write=True) as st:
        assert checkpoint.states(st._conn, day) is None
        assert st.write_day_checkpoint(day)
        assert not st.write_day_checkpoint(AS_OF + timedelta(days=1))  # not in the past
    with Store.open(copy, write=False) as st, st.transaction(lock=False):
        served = checkpoint.states(st._conn, day)
        assert served is not None and served == derive.states(st._conn, day)


def test_a_backlog_written_late_refreshes_the_day_checkpoints_it_lands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports dated in January written after January's day checkpoint are folded in by
    every read of it; past DAY_TAIL_MAX of them the write derives it again, and it still
    gives what the queries give. A write dated after it leaves it alone."""
    monkeypatch.setattr(checkpoint, "DAY_TAIL_MAX", 100)
    jan = date(2020, 1, 31)
    n = checkpoint.EVERY

    def day_upto(st: Store) -> int:
        rows = st.query(
            "SELECT upto FROM checkpoints WHERE format = ? AND max_at = ?",
            (checkpoint.DAY_FORMAT, jan.isoformat()),
        )
        (upto,) = [r[0] for r in rows]
        return int(upto)

    with Store.open(tmp_path / "late.db", write=True) as st:
        st.add([Event(f"T{i}", "feedback", date(2020, 1, 10), progress=10.0) for i in range(n)])
        st.add([Event(f"T{i}", "feedback", date(2020, 2, 3), progress=20.0) for i in range(n)])
        first = day_upto(st)
        st.add([Event(f"T{i}", "feedback", date(2020, 2, 20), progress=30.0) for i in range(n)])
        assert day_upto(st) == first  # nothing dated in January: left alone
        st.add([Event(f"T{i}", "feedback", date(2020, 1, 20), progress=15.0) for i in range(50)])
        assert day_upto(st) == first  # 50 late ones: under the limit, folded in on reads
        late = [Event(f"L{i}", "feedback", date(2020, 1, 25), progress=5.0) for i in range(n)]
        st.add(late)
        (top,) = st.query("SELECT max(id) FROM events")[0]
        assert day_upto(st) == top  # derived again: nothing left to fold in
        served = checkpoint.states(st._conn, jan)
        assert served is not None and served == derive.states(st._conn, jan)
        assert served["T1"].progress == 15.0 and served["L1"].progress == 5.0
