"""The checkpoints' scoring columns (store/checkpoint.py ``Scoring``, docs/store.md) give
what the plain paths give.

* ``derive.fold`` keeps ``below``, ``done`` and ``report_days`` as the aggregates over
  all the events, whatever the order and split (hypothesis), or says it cannot tell
  (``UNKNOWN``, only after a late report below 100 %);
* on a generated history written in chunks, then late and backdated events (a batch
  that makes a checkpoint, a backlog that derives a day checkpoint again, a tail no
  checkpoint covers): ``awards.done_days``, ``latest_progress``, ``card_levels``,
  ``latest_cards`` and ``missed_reports`` (the month's checks of the plan and random
  ones reaching back months) on every month end and on the days around the last equal
  a plain walk of the events — and the scoring columns do serve those days;
* a database whose checkpoints were written before the columns reads the plain way,
  and the next write gives them the columns.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store, checkpoint, derive
from gaoxin_cli.store import awards as aw
from helpers import bench_module

AS_OF = date(2020, 11, 16)
MONTH_ENDS = [date(2020, m, 1) - timedelta(days=1) for m in range(2, 12)]


# --- the fold ---------------------------------------------------------------------------


def _plain_extras(rows: list[tuple[str, int, float | None]]) -> tuple[Any, Any, dict[str, int]]:
    below = max(((at, i) for at, i, p in rows if p is not None and p < 100), default=None)
    done = min(
        (
            at
            for at, i, p in rows
            if p is not None and p >= 100 and (below is None or (at, i) > below)
        ),
        default=None,
    )
    days: dict[str, int] = {}
    for at, _, _ in rows:
        days[at[:7]] = days.get(at[:7], 0) | 1 << (int(at[8:]) - 1)
    return below, done, days


_report = st_.tuples(
    st_.dates(date(2020, 1, 1), date(2020, 3, 31)).map(date.isoformat),
    st_.sampled_from([None, 0.0, 40.0, 99.5, 100.0, 120.0]),
)


@settings(max_examples=300, deadline=None)
@given(st_.lists(_report, max_size=12), st_.integers(0, 12), st_.randoms())
def test_the_fold_keeps_the_scoring_aggregates(
    reports: list[tuple[str, float | None]], split: int, rnd: random.Random
) -> None:
    rows = [(at, i + 1, p) for i, (at, p) in enumerate(reports)]
    older, newer = rows[:split], rows[split:]
    below, done, days = _plain_extras(rows)
    valued = [(at, i) for at, i, p in rows if p is not None]
    for shuffled in (False, True):
        parts: dict[str, derive.Partial] = {}
        # The older part as a checkpoint holds it (folded in order: exact), then the
        # newer events in order (a write's) or in any order (as a read meets them).
        derive.fold(parts, [(i, "T", "feedback", at, p, None, None) for at, i, p in sorted(older)])
        batch = sorted(newer)
        if shuffled:
            rnd.shuffle(batch)
        derive.fold(parts, [(i, "T", "correction", at, p, None, None) for at, i, p in batch])
        p = parts.get("T", derive.Partial())
        assert p.below == below
        assert p.report_days == days
        if p.done != derive.UNKNOWN:
            assert p.done == done
        elif shuffled:  # a report below 100 % met after a later report
            assert any(q is not None and q < 100 and max(valued) > (at, i) for at, i, q in newer)
        else:  # … which in order is one dated before a report of the older part
            assert any(q is not None and q < 100 and (at, i) < max(older) for at, i, q in newer)


# --- a generated history ----------------------------------------------------------------


def _late_events(done: list[str], ids: list[str], rng: random.Random) -> list[Event]:
    """Reports written late: dated in past months, some below 100 % for finished tasks
    (before or after their last report), some at 100 %, some for tasks without any."""
    out = []
    for task in rng.sample(done, 30):
        day = date(2020, rng.randint(3, 11), rng.randint(1, 28))
        out.append(Event(task, "correction", min(day, AS_OF), progress=60.0, reason="补录"))
    for task in rng.sample(ids, 60):
        day = date(2020, rng.randint(2, 11), rng.randint(1, 28))
        progress = rng.choice([None, 30.0, 100.0])
        out.append(Event(task, "feedback", min(day, AS_OF), progress=progress))
    return out


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], Path]:
    gen, rb = bench_module("gen"), bench_module("ranking_bench")
    root = tmp_path_factory.mktemp("scoring")
    ws = gen.write_workspace(root / "ws", gen.Spec(tasks=200, files=2, units=6, seed=11))
    hist = gen.make_events(ws, gen.EventSpec(events=16_000, as_of=AS_OF))
    extras = rb.other_events(ws, hist.done, random.Random(11), until=AS_OF)
    events = [rb.to_event(r) for r in hist.rows] + extras
    ids = [t["id"] for t in ws.tasks]
    rng = random.Random(11)
    done = sorted(hist.done)
    db = root / "s.db"
    mp = pytest.MonkeyPatch()
    mp.setattr(checkpoint, "DAY_TAIL_MAX", 400)  # a backlog derives a day checkpoint again
    try:
        with Store.open(db, write=True) as st:
            for i in range(0, len(events), 3000):
                chunk = events[i : i + 3000]
                st.add_unique(chunk, [f"k{i + j}" for j in range(len(chunk))])
            # A late batch: more than EVERY events, so a checkpoint folds them in.
            st.add([e for _ in range(4) for e in _late_events(done, ids, rng)])
            # A backlog dated in October, past DAY_TAIL_MAX: October's is derived again.
            october = [
                Event(t, "feedback", date(2020, 10, rng.randint(1, 31)), progress=50.0)
                for t in rng.choices(ids, k=450)
            ]
            st.add(october)
            # A tail no checkpoint covers (fewer than EVERY).
            st.add(_late_events(done, ids, rng))
    finally:
        mp.undo()
    return db, ids, ws.root


def _walk(st: Store, end: date) -> tuple[dict[str, date], dict[str, float], dict[str, set[date]]]:
    """Done days, latest progress and report days, from every event in (at, id) order."""
    done: dict[str, date | None] = {}
    progress: dict[str, float] = {}
    reported: dict[str, set[date]] = {}
    for e in st.history(until=end):
        if e.kind not in ("feedback", "correction"):
            continue
        reported.setdefault(e.task, set()).add(e.at)
        if e.progress is not None:
            progress[e.task] = e.progress
            if e.progress < 100:
                done[e.task] = None
            elif done.get(e.task) is None:
                done[e.task] = e.at
    finished = {t: d for t, d in done.items() if d is not None and progress[t] >= 100}
    return finished, progress, reported


def _days() -> list[date]:
    return [*MONTH_ENDS, date(2020, 10, 30), AS_OF - timedelta(days=1), AS_OF, AS_OF + timedelta(9)]


def _served(day: date) -> bool:
    """Days the scoring columns serve: the last day and after, and the last month ends
    (the writes left day checkpoints of every month end they passed)."""
    return day >= AS_OF or day in MONTH_ENDS[-checkpoint.DAY_SNAPSHOTS_MAX :]


def _checks(st: Store, root: Path, ids: list[str], end: date) -> list[tuple[str, date, date]]:
    """The month's reporting checks of the plan, and random ones (some reaching back
    months, before the months a checkpoint holds)."""
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.loading.plancache import load_plan
    from gaoxin_cli.ranking import facts as fx
    from gaoxin_cli.ranking.period import Period
    from gaoxin_cli.rules.reports import deadlines_between, reporting_windows

    plan = load_plan(root, None)
    period = Period.parse(end.isoformat()[:7])
    life = fx.lifecycle(aw.lifecycle_rows(st, end), period.start, end)
    done = fx.done_days(aw.done_days(st, ids, end), life)
    rules = plan.config.rules.feedback
    deadlines = deadlines_between(rules, period.start, period.end, end, WorkCalendar())
    reporting = reporting_windows(plan.tasks, plan.config)
    checks = fx.report_checks(reporting, deadlines, period, done, life.cancelled)
    rng = random.Random(end.toordinal())
    for _ in range(300):
        due = end - timedelta(days=rng.randint(0, 70))
        since = due - timedelta(days=rng.choice([0, 3, 6, 13, 30, 45]))
        checks.append((rng.choice(ids), since, due))
    return checks


@pytest.mark.parametrize("day", _days(), ids=str)
def test_scoring_reads_are_the_plain_walk(history: Any, day: date) -> None:
    db, ids, root = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        view = st.scoring(day)
        if _served(day):
            assert view is not None
        if day.day == 30 and day.month == 10:
            assert view is None  # no checkpoint of that day: the queries
        done, progress, reported = _walk(st, day)
        assert done or day < date(2020, 5, 1)  # tasks are finished from spring on
        assert aw.done_days(st, ids, day) == done
        some = ids[1::4]
        assert aw.done_days(st, some, day) == {t: d for t, d in done.items() if t in some}
        assert aw.latest_progress(st, ids, day) == progress
        assert aw.card_levels(st, day) == {
            t: lv for t, (lv, _) in derive.cards(st._conn, day).items()
        }
        checks = _checks(st, root, ids, day)
        plain: dict[str, list[date]] = {}
        for task, since, due in checks:
            if not any(since <= d <= due for d in reported.get(task, ())):
                plain.setdefault(task, []).append(due)
        missed = aw.missed_reports(st, checks, day)
        assert missed == {t: sorted(d) for t, d in plain.items()}
        assert aw.missed_reports(st, checks) == missed  # the queries
        assert missed  # some are missed


@pytest.mark.parametrize("day", [*MONTH_ENDS[-3:], AS_OF], ids=str)
def test_latest_red_cards_are_the_plain_ones(history: Any, day: date) -> None:
    db, ids, _ = history
    with Store.open(db, write=False) as st, st.transaction(lock=False):
        assert st.scoring(day) is not None
        every = aw.latest_cards(st, ids, day)
        red = aw.latest_cards(st, ids, day, min_level=3)
        assert red == {t: c for t, c in every.items() if c.level >= 3}
        assert red
        # The plain path: no scoring columns.
        st.scoring = lambda _day: None  # type: ignore[method-assign]
        assert aw.latest_cards(st, ids, day) == every


def _strip(db: Path) -> None:
    """Make *db*'s checkpoints as a gaoxin before the scoring columns wrote them."""
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        marks = ", ".join("?" for _ in checkpoint._EXTRAS)
        conn.execute(f"DELETE FROM checkpoint_columns WHERE name IN ({marks})", checkpoint._EXTRAS)
    conn.close()


def test_checkpoints_without_the_columns_read_plainly_and_get_them(
    history: Any, tmp_path: Path
) -> None:
    db, ids, _ = history
    old = tmp_path / "old.db"
    shutil.copyfile(db, old)
    _strip(old)
    days = [MONTH_ENDS[-1], AS_OF]
    with Store.open(old, write=False) as st, st.transaction(lock=False):
        for day in days:
            assert st.scoring(day) is None
            assert st.checkpoint_states(day) is not None  # they serve states as before
        before = {day: (aw.done_days(st, ids, day), aw.card_levels(st, day)) for day in days}
    with Store.open(old, write=True) as st:
        st.add([Event(ids[0], "feedback", AS_OF, progress=10.0)])  # any write
    with Store.open(old, write=False) as st, st.transaction(lock=False):
        for day in days:
            assert st.scoring(day) is not None
            done, _, _ = _walk(st, day)
            assert aw.done_days(st, ids, day) == done
            if day != AS_OF:
                assert (done, aw.card_levels(st, day)) == before[day]


@pytest.fixture(scope="module")
def stripped(history: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db, _, _ = history
    old = tmp_path_factory.mktemp("stripped") / "old.db"
    shutil.copyfile(db, old)
    _strip(old)
    return old


@pytest.mark.parametrize(
    ("today", "period"),
    [
        ("2020-11-16", None),
        ("2020-11-16", "2020-10"),
        ("2020-11-16", "2020-09"),
        ("2020-11-16", "2020Q3"),
        ("2020-11-25", None),
        ("2020-10-31", None),
        ("2020-10-20", None),
    ],
)
def test_ranking_and_bulletin_are_those_of_the_plain_reads(
    history: Any, stripped: Path, tmp_path: Path, today: str, period: str | None
) -> None:
    """Whole results, the scoring columns read or not (a copy without them)."""
    from gaoxin_cli.ranking.period import Period
    from gaoxin_cli.ranking.result import to_json
    from gaoxin_cli.service import bulletin as bulletins
    from gaoxin_cli.service import ranking as service
    from gaoxin_cli.service.session import Session

    db, _, root = history
    p = Period.parse(period) if period else None
    found = []
    for path in (db, stripped):
        session = Session.open(root, date.fromisoformat(today), db=path, cache=tmp_path)
        with Store.open(path, write=False) as st, st.transaction(lock=False):
            served = st.scoring(date.fromisoformat(today)) is not None
            assert served == (path == db and today != "2020-10-20")  # no checkpoint that day
        result = to_json(service.ranking(session, p, live=True).result)
        doc = bulletins.bulletin(session, p if p is not None and p.kind == "month" else None)
        found.append((result, to_json(doc.result), doc.tasks, doc.notices))
    assert found[0] == found[1]
    assert found[0][0]["units"]  # something was scored
