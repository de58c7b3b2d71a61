"""``service.daily`` called directly: a :class:`Session` on the example workspace (the
repository's 2020 plan and its ledger), no CLI. Results are checked as values and by what
the store holds afterwards; the words on screen are the CLI tests' business."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.models.state import Level, Report
from gaoxin_cli.rules.filters import Filters
from gaoxin_cli.service import daily
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from helpers import REPO

DAY = date(2020, 6, 30)
STAMP = "2020-06-30T09:00:00+00:00"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", root / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", root / "plans")
    done = daily.import_file(
        session(root), REPO / "data" / "example-history.csv", dry_run=False, recorded_at=STAMP
    )
    assert done.added > 500 and done.skipped == 0
    return root


def session(root: Path, day: date = DAY) -> Session:
    return Session.open(root, day, cache=root / ".cache")


def test_status_counts_every_task_and_the_filters_narrow_it(ws: Path) -> None:
    result = daily.status(session(ws), Filters())
    dash = result.dashboard
    assert len(dash.rows) == 58
    assert sum(dash.counts) == 58
    # most urgent first: the cards never rise down the list
    levels = [r.assessment.card.level for r in dash.rows]
    assert levels == sorted(levels, reverse=True)
    assert dash.counts[Level.RED] > 0
    only = daily.status(session(ws), Filters(units=frozenset({"jianshe"})))
    assert only.dashboard.rows and {r.task.lead for r in only.dashboard.rows} == {"jianshe"}


def test_countdown_modes(ws: Path) -> None:
    starts = daily.countdown(session(ws), due=False, within=None)
    dues = daily.countdown(session(ws), due=True, within=None)
    soon = daily.countdown(session(ws), due=False, within=20)
    assert (starts.mode, dues.mode, soon.mode) == ("start", "due", "milestones")
    assert dues.rows and all(r.target.year == 2020 for r in dues.rows)
    assert all(r.workdays <= 20 for r in soon.rows)
    one_unit = daily.countdown(session(ws), due=True, within=None, units=["jianshe"])
    assert one_unit.rows and all(r.task.lead == "jianshe" for r in one_unit.rows)


def test_sweep_records_once_a_day(ws: Path) -> None:
    first = daily.sweep(session(ws), STAMP)
    assert first.tasks == 58 and first.changes
    again = daily.sweep(session(ws), STAMP)
    assert again.changes == []
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        cards = [e for e in st.history(first.changes[0].task, until=DAY) if e.kind == "card"]
    assert cards and cards[-1].at == DAY


def test_feedback_records_and_refuses_going_back(ws: Path) -> None:
    sess = session(ws)
    task = sess.plan.tasks[0].id
    state = daily.history(sess, task)
    before = max((e.progress for e in state.events if e.progress is not None), default=0.0)
    report = Report(task=task, at=DAY, progress=min(100.0, before + 1), note="推进中")
    events = daily.feedback(sess, report, STAMP)
    assert [e.kind for e in events] == ["feedback"]
    assert daily.history(session(ws), task).events[-1].progress == report.progress
    with pytest.raises(GaoxinError):
        daily.feedback(session(ws), report._replace(progress=0.0), STAMP)


def test_an_unknown_task_is_refused_before_the_store_is_touched(ws: Path) -> None:
    with pytest.raises(GaoxinError) as e:
        daily.feedback(session(ws), Report(task="NOPE-1", at=DAY, progress=5.0), STAMP)
    assert e.value.msg.key


def test_import_is_idempotent_and_all_or_nothing(ws: Path, tmp_path: Path) -> None:
    ledger = REPO / "data" / "example-history.csv"
    again = daily.import_file(session(ws), ledger, dry_run=False, recorded_at=STAMP)
    assert again.added == 0 and again.skipped == again.rows
    bad = tmp_path / "bad.csv"
    lines = ledger.read_text("utf-8").splitlines()
    bad.write_text("\n".join([*lines[:3], "2020-06-01,NOPE-1,,50,,x"]) + "\n", "utf-8")
    with pytest.raises(GaoxinError) as e:
        daily.import_file(session(ws), bad, dry_run=False, recorded_at=STAMP)
    assert e.value.msg.key == "error.import_bad_rows"
    assert "NOPE-1" in e.value.message("en")


def test_import_dry_run_counts_what_the_real_import_adds(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "more.csv"
    ledger.write_text(
        "date,task,progress,note\n2020-06-29,JC-01,99,a\n2020-06-29,JC-01,99,a\n", "utf-8"
    )
    dry = daily.import_file(session(ws), ledger, dry_run=True, recorded_at=STAMP)
    real = daily.import_file(session(ws), ledger, dry_run=False, recorded_at=STAMP)
    assert (dry.rows, dry.added, dry.skipped) == (real.rows, real.added, real.skipped)
    assert dry.dry_run and not real.dry_run
    again = daily.import_file(session(ws), ledger, dry_run=True, recorded_at=STAMP)
    assert (again.added, again.skipped) == (0, again.rows)


def test_history_explains_the_start_the_store_derives(ws: Path) -> None:
    # The start history shows (recorded or inferred) is the one TaskState.started holds.
    sess = session(ws)
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        states = st.states(DAY)
    inferred = 0
    for task in sess.plan.tasks:
        found = daily.history(sess, task.id)
        started = states.get(task.id)
        expected = started.started if started else None
        assert (found.start.at if found.start else None) == expected, task.id
        inferred += bool(found.start and found.start.inferred)
    assert inferred  # the example ledger has tasks reporting progress with no start row
