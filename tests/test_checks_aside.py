"""The checks across tasks and files beside the command's work (``status`` after a plan
change): the same plan, the same cache and the same errors as when they run first, and
nothing shown or written from a plan with errors."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.loading import paths, plancache
from gaoxin_cli.models import Plan
from gaoxin_cli.service import forked, session
from gaoxin_cli.service.session import Session
from helpers import example_workspace, run

TODAY = "2020-06-15"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path / "ws")


@pytest.fixture
def always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks aside for any plan (the example's ~100 tasks are below the threshold)."""
    monkeypatch.setattr(session, "CHECKS_ASIDE_MIN", 0)


def _duplicated(ws: Path) -> None:
    """A second file repeating the first file's tasks: each file reads without an
    error, the check across files finds every id twice (X301)."""
    first = paths.plan_files(ws)[0]
    shutil.copy(first, first.with_name("zz-copy.yaml"))


def _error(call: object) -> tuple[str, dict[str, object]]:
    with pytest.raises(GaoxinError) as info:
        call()  # type: ignore[operator]
    return info.value.msg.key, dict(info.value.msg.params)


def _cached(cache: Path) -> list[Path]:
    return sorted(cache.glob("plan-*.pickle"))


def test_deferred_checks_give_the_plan_and_cache_the_inline_ones_do(
    ws: Path, tmp_path: Path
) -> None:
    # A due date on a Saturday: a warning of the checks across tasks (W401), not of a file.
    path = ws / "plans" / "2020-industry.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("due: 2020-12-25", "due: 2020-12-26", 1), "utf-8")
    inline = plancache.load_plan(ws, tmp_path / "inline")
    got = plancache.open_plan(ws, tmp_path / "aside", defer_checks=True)
    assert isinstance(got, plancache.Unchecked)
    assert _cached(tmp_path / "aside") == []  # not before the checks passed
    assert got.plan.warnings < inline.warnings  # the files' own, so far
    verdict = got.check()
    assert verdict.errors == 0
    plan = verdict.apply(got.plan)
    assert plan.tasks == inline.tasks
    assert plan.config == inline.config
    assert (plan.warnings, plan.digest) == (inline.warnings, inline.digest)
    # The cache the checks wrote is the one the inline read writes, and serves the next run.
    [aside], [first] = _cached(tmp_path / "aside"), _cached(tmp_path / "inline")
    again = plancache.open_plan(ws, tmp_path / "aside", defer_checks=True)
    assert isinstance(again, Plan)  # from the cache: checked before it was cached
    assert again.tasks == inline.tasks
    assert aside.name == first.name


def test_a_plan_with_errors_across_files_is_refused_and_not_cached(
    ws: Path, tmp_path: Path
) -> None:
    _duplicated(ws)
    expected = _error(lambda: plancache.load_plan(ws, tmp_path / "inline"))
    assert expected[0] == "error.plan_invalid"
    got = plancache.open_plan(ws, tmp_path / "aside", defer_checks=True)
    assert isinstance(got, plancache.Unchecked)  # each file alone reads without an error
    verdict = got.check()
    assert verdict.errors == expected[1]["errors"]
    assert _error(lambda: verdict.apply(got.plan)) == expected
    assert _cached(tmp_path / "aside") == _cached(tmp_path / "inline") == []


def test_errors_in_a_file_are_raised_at_once_counting_every_error(ws: Path, tmp_path: Path) -> None:
    _duplicated(ws)
    path = paths.plan_files(ws)[1]  # not the first or its copy: their ids clash
    path.write_text(path.read_text("utf-8") + "  - id: [broken\n", "utf-8")
    expected = _error(lambda: plancache.load_plan(ws, tmp_path / "inline"))
    got = _error(lambda: plancache.open_plan(ws, tmp_path / "aside", defer_checks=True))
    assert got == expected


def test_a_session_checks_aside_in_a_child_and_confirm_raises_its_errors(
    ws: Path, tmp_path: Path, always: None
) -> None:
    _duplicated(ws)
    expected = _error(lambda: plancache.load_plan(ws, tmp_path / "inline"))
    if not forked.can_fork():  # checked at once, as without checks aside

        def opening() -> Session:
            return Session.open(ws, date(2020, 6, 15), cache=tmp_path, checks_aside=True)

        assert _error(opening) == expected
        return
    sess = Session.open(ws, date(2020, 6, 15), cache=tmp_path, checks_aside=True)
    assert sess.unchecked is not None and sess.checking is not None
    assert len(sess.plan.tasks) > 0  # readable meanwhile
    assert _error(sess.confirm) == expected
    sess.confirm()  # once said, done
    assert _cached(tmp_path) == []


def test_nothing_is_written_to_the_store_from_an_unconfirmed_plan(
    ws: Path, tmp_path: Path, always: None
) -> None:
    if not forked.can_fork():
        pytest.skip("no second process here: the plan is checked when it is opened")
    _duplicated(ws)
    db = tmp_path / "new.db"
    sess = Session.open(ws, date(2020, 6, 15), db=db, cache=tmp_path, checks_aside=True)
    assert sess.checking is not None
    assert _error(lambda: sess.store(write=True))[0] == "error.plan_invalid"
    assert not db.exists()


def test_a_child_that_dies_costs_time_not_the_checks(
    ws: Path, tmp_path: Path, always: None
) -> None:
    if not forked.can_fork():
        pytest.skip("no second process here")
    sess = Session.open(ws, date(2020, 6, 15), cache=tmp_path, checks_aside=True)
    assert sess.checking is not None
    sess.checking.close()
    # A child killed before it said anything: its verdict is None, the checks run here.
    sess.checking = forked.start(lambda: os._exit(3))
    sess.confirm()
    assert len(_cached(tmp_path)) == 1
    inline = plancache.load_plan(ws, tmp_path / "inline")
    assert (sess.plan.warnings, sess.plan.digest) == (inline.warnings, inline.digest)


@pytest.mark.parametrize("command", ["status", "overdue", "countdown"])
def test_a_daily_command_after_a_plan_change(
    ws: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command reading the plan from its files prints what it prints from the cache;
    with an error across files it says so as before, whichever way the checks run."""
    monkeypatch.setattr(session, "CHECKS_ASIDE_MIN", 0)
    first = run(ws, "--as-of", TODAY, command)
    assert first[0] == 0
    assert first[1].strip()
    assert run(ws, "--as-of", TODAY, command) == first  # now from the cache
    _duplicated(ws)
    aside = run(ws, "--as-of", TODAY, command)
    monkeypatch.setattr(session, "CHECKS_ASIDE_MIN", 10**9)
    inline = run(ws, "--as-of", TODAY, command)
    assert aside == inline
    code, out, err = aside
    assert (code, out) == (GaoxinError.exit_code, "")
    assert "zz-copy.yaml" in err
