"""The scores of a month that is over, kept between runs (service/month_scores.py).

Each test runs the real ranking and bulletin on a generated store twice: once with the
user's cache folder (the second run reads the kept months) and once with none (every
month scored from the store), and holds the two equal. Which months were read from the
store is seen by counting the calls of the store's month facts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.models.state import Event
from gaoxin_cli.ranking.period import Period
from gaoxin_cli.ranking.result import to_json
from gaoxin_cli.service import forked
from gaoxin_cli.service import ranking as svc
from gaoxin_cli.service.bulletin import bulletin
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from helpers import children_spied, generated_city

AS_OF = date(2020, 11, 16)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("months")
    return generated_city(root, tasks=300, files=4, units=10, seed=5, events=30_000, extras=True)


@pytest.fixture
def ws(city: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The city's workspace with a copy of its store of its own (tests write to it)."""
    db = tmp_path / "g.db"
    shutil.copyfile(city[1], db)
    return city[0], db


@pytest.fixture(autouse=True)
def one_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every month scored in this process, where its facts are counted (but in the
    tests marked ``forks``)."""
    if "forks" not in request.keywords:
        monkeypatch.setattr(forked, "free_cpus", lambda: 1)


@pytest.fixture
def facts_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The months whose facts were read from the store, in order."""
    seen: list[str] = []
    real = svc.StoreFacts.__call__

    def counted(self: svc.StoreFacts, month: Period, end: date, /) -> Any:
        seen.append(month.key)
        return real(self, month, end)

    monkeypatch.setattr(svc.StoreFacts, "__call__", counted)
    yield seen


def _session(ws: tuple[Path, Path], cache: Path | None, today: date = AS_OF) -> Session:
    root, db = ws
    if cache is None:  # the plan read without any cache: no digest, nothing kept
        return Session.open(root, today, db=db)
    return Session.open(root, today, db=db, cache=cache)


def _ranking(ws: tuple[Path, Path], cache: Path | None, period: str | None = None) -> Any:
    p = Period.parse(period) if period else None
    return to_json(svc.ranking(_session(ws, cache), p).result)


def _bulletin(ws: tuple[Path, Path], cache: Path | None) -> Any:
    sess = _session(ws, cache)
    b = bulletin(sess, None)
    return to_json(b.result), b.tasks, sess.estimated_years()


def _kept(cache: Path) -> list[str]:
    """The months with a file in the cache folder (``month-YYYY-MM-….pickle``)."""
    return sorted(p.name[len("month-") :][:7] for p in (cache / "scores").glob("month-*"))


def test_the_second_run_reads_the_kept_months_and_shows_the_same(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    plain = _bulletin(ws, None)
    assert plain[0]["period"] == "2020-10" and plain[0]["previous"] == "2020-09"
    assert facts_read == ["2020-10", "2020-09"]
    facts_read.clear()
    assert _bulletin(ws, cache) == plain  # scored, and kept
    assert facts_read == ["2020-10", "2020-09"]
    assert _kept(cache) == ["2020-09", "2020-10"]
    facts_read.clear()
    assert _bulletin(ws, cache) == plain  # read back: no month scored again
    assert facts_read == []
    # This month's ranking compares with October, kept by the bulletin; November is
    # still running and is scored every time.
    live = _ranking(ws, None)
    facts_read.clear()
    assert _ranking(ws, cache) == live
    assert facts_read == ["2020-11"]
    assert _kept(cache) == ["2020-09", "2020-10"]


@pytest.mark.forks
@pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two free cores")
def test_the_month_the_second_process_scored_is_kept_and_no_process_is_needed_after(
    ws: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(svc, "PARALLEL_MIN_TASKS", 0)
    with children_spied(monkeypatch) as sent:
        first = _ranking(ws, cache)
        assert len(sent) == 1 and sent[0] is not None  # the child scored October …
        assert _kept(cache) == ["2020-10"]  # … and kept it
        assert _ranking(ws, cache) == first
        assert len(sent) == 1  # no second process: October read back here
    monkeypatch.setattr(forked, "free_cpus", lambda: 1)
    assert _ranking(ws, None) == first


def test_a_quarter_reads_its_months_that_are_over(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    plain = _ranking(ws, None, "2020Q4")
    _ranking(ws, cache, "2020Q4")
    facts_read.clear()
    assert _ranking(ws, cache, "2020Q4") == plain
    # October is over; November is not, and the previous quarter's months were kept.
    assert facts_read == ["2020-11"]
    assert _kept(cache) == ["2020-07", "2020-08", "2020-09", "2020-10"]


def _add(db: Path, *events: Event) -> None:
    with Store.open(db, write=True) as st:
        st.add(list(events))


def _red_card(task: str, day: date) -> Event:
    data = {"level": 3, "reasons": [{"key": "card.overdue", "params": {}}]}
    return Event(task, "card", day, data=data, source="test")


def _a_task(ws: tuple[Path, Path]) -> str:
    return _session(ws, None).plan.tasks[0].id


def test_an_event_dated_in_the_month_written_later_scores_it_again(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    before = _bulletin(ws, cache)
    _add(ws[1], _red_card(_a_task(ws), date(2020, 10, 20)))  # entered late, dated back
    facts_read.clear()
    now = _bulletin(ws, cache)
    assert facts_read == ["2020-10"]  # September still holds
    assert now == _bulletin(ws, None)
    assert now[0] != before[0]  # the red card counts


def test_an_event_dated_after_the_month_keeps_it(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    _bulletin(ws, cache)
    _add(ws[1], _red_card(_a_task(ws), date(2020, 11, 3)))  # today's work: November's
    facts_read.clear()
    assert _bulletin(ws, cache) == _bulletin(ws, None)
    assert facts_read == ["2020-10", "2020-09"]  # the plain run only


def test_a_manual_item_of_the_month_scores_it_again(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    before = _bulletin(ws, cache)
    sess = _session(ws, cache)
    unit = next(iter(sess.config.units))
    leader = next(iter(sess.config.leaders))
    svc.score(
        sess,
        unit,
        Period.parse("2020-10"),
        "deduction",
        5,
        reason="督查发现问题",
        by=leader,
        recorded_at="2020-11-16T09:00:00",
    )
    facts_read.clear()
    now = _bulletin(ws, cache)
    assert facts_read == ["2020-10"]
    assert now == _bulletin(ws, None) and now[0] != before[0]


def test_a_changed_plan_scores_again(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    root = tmp_path / "ws"
    shutil.copytree(ws[0], root)
    mine = (root, ws[1])
    _bulletin(mine, cache)
    plan = sorted((root / "plans").rglob("*.yaml"))[0]
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# 改过\n", encoding="utf-8")
    facts_read.clear()
    assert _bulletin(mine, cache) == _bulletin(mine, None)
    assert facts_read[:2] == ["2020-10", "2020-09"]  # a new digest: nothing holds


def test_a_damaged_file_is_scored_again_and_rewritten(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    plain = _bulletin(ws, None)
    _bulletin(ws, cache)
    for path in (cache / "scores").iterdir():
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    facts_read.clear()
    assert _bulletin(ws, cache) == plain
    assert facts_read == ["2020-10", "2020-09"]
    facts_read.clear()
    assert _bulletin(ws, cache) == plain
    assert facts_read == []


def test_another_store_at_the_same_place_is_not_read(
    ws: tuple[Path, Path], tmp_path: Path, facts_read: list[str]
) -> None:
    cache = tmp_path / "cache"
    _bulletin(ws, cache)
    # A new store where the old one was (a restore, another office's file): the event
    # the months were scored at is not there.
    ws[1].unlink()
    _add(ws[1], _red_card(_a_task(ws), date(2020, 9, 3)))
    facts_read.clear()
    assert _bulletin(ws, cache) == _bulletin(ws, None)
    assert facts_read[:2] == ["2020-10", "2020-09"]


def test_a_month_ending_today_is_not_kept(ws: tuple[Path, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    sess = _session(ws, cache, date(2020, 10, 31))
    svc.ranking(sess, Period.parse("2020-10"))
    assert _kept(cache) == ["2020-09"]  # the previous month was over


def test_a_cardless_month_is_said_so_when_read_back(tmp_path: Path) -> None:
    root, db = generated_city(tmp_path, tasks=120, files=2, units=6, seed=8, events=6_000)
    cache = tmp_path / "cache"
    plain = _bulletin((root, db), None)
    assert any(w["key"] == "rank.warn_no_cards" for w in plain[0]["warnings"])
    _bulletin((root, db), cache)
    assert _bulletin((root, db), cache) == plain


def test_the_folder_keeps_the_months_written_last(
    ws: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoxin_cli.service import month_scores

    cache = tmp_path / "cache"
    monkeypatch.setattr(month_scores, "KEEP", 3)
    first = _ranking(ws, cache, "2020Q4")  # four months over: October, July to September
    kept = _kept(cache)
    assert len(kept) == 3 and set(kept) < {"2020-07", "2020-08", "2020-09", "2020-10"}
    assert _ranking(ws, cache, "2020Q4") == first  # the one let go is scored again
