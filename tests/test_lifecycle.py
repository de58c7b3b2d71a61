"""The task lifecycle machine (rules/lifecycle.py) and its bulk derivation in the store."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.models.state import Event, TaskState
from gaoxin_cli.rules import lifecycle as lc
from gaoxin_cli.store import Store
from gaoxin_cli.store.lifecycle import lifecycle_states, task_lifecycle
from helpers import examples

DAY = date(2020, 4, 1)

# Every allowed step: (from, action) → to. The machine must hold exactly these.
ALLOWED = {
    ("registered", "assign"): "assigned",
    ("registered", "report"): "in_progress",
    ("assigned", "report"): "in_progress",
    ("in_progress", "request_extension"): "extension_pending",
    ("extension_pending", "approve_extension"): "in_progress",
    ("extension_pending", "reject_extension"): "in_progress",
    ("in_progress", "submit"): "under_review",
    ("under_review", "accept"): "done",
    ("under_review", "return"): "in_progress",
    ("done", "close"): "closed",
    ("registered", "cancel"): "cancelled",
    ("assigned", "cancel"): "cancelled",
    ("in_progress", "cancel"): "cancelled",
    ("extension_pending", "cancel"): "cancelled",
    ("under_review", "cancel"): "cancelled",
}


def test_the_machine_is_exactly_the_table() -> None:
    assert dict(lc.TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("current", "action"), sorted(ALLOWED))
def test_every_allowed_transition(current: str, action: str) -> None:
    assert lc.transition(current, action) == ALLOWED[(current, action)]


ILLEGAL = sorted(
    (s, a) for s, a in itertools.product(lc.STATES, lc.ACTIONS) if (s, a) not in ALLOWED
)


@pytest.mark.parametrize(("current", "action"), ILLEGAL)
def test_every_illegal_transition_names_state_and_allowed_steps(current: str, action: str) -> None:
    with pytest.raises(GaoxinError) as info:
        lc.transition(current, action, subject="JC-01")
    err = info.value
    assert err.msg.key == "error.lifecycle_illegal"
    assert err.hint is not None
    for lang in ("zh", "en"):
        text = err.message(lang)
        assert f"lstate.{current}" not in text
        from gaoxin_cli.i18n import t

        assert t(f"lstate.{current}", lang) in text
        assert t(f"laction.{action}", lang) in text
        hint = err.hint.render(lang)
        for a in lc.allowed(current):
            assert t(f"laction.{a}", lang) in hint
        if not lc.allowed(current):
            assert t(f"lstate.{current}", lang) in hint


# The illegal steps people will try, with the whole message in both languages.
ILLEGAL_TABLE = [
    (
        "in_progress",
        "accept",
        "任务 JC-01 当前为“办理中”，不能审核通过、办结（gaoxin review --accept）",
        "当前可以：申请延期（gaoxin extend）、提交办理结果（gaoxin submit）、撤销（gaoxin cancel）",
        "task JC-01 is in progress: cannot accept it as done (gaoxin review --accept)",
    ),
    (
        "under_review",
        "submit",
        "任务 JC-01 当前为“审核中”，不能提交办理结果（gaoxin submit）",
        "当前可以：审核通过、办结（gaoxin review --accept）、退回重办（gaoxin review --return）、撤销（gaoxin cancel）",
        "task JC-01 is under review: cannot submit the result (gaoxin submit)",
    ),
    (
        "in_progress",
        "close",
        "任务 JC-01 当前为“办理中”，不能销号（gaoxin close）",
        "当前可以：申请延期（gaoxin extend）、提交办理结果（gaoxin submit）、撤销（gaoxin cancel）",
        "task JC-01 is in progress: cannot close it (gaoxin close)",
    ),
    (
        "done",
        "cancel",
        "任务 JC-01 当前为“已办结”，不能撤销（gaoxin cancel）",
        "当前可以：销号（gaoxin close）",
        "task JC-01 is done: cannot cancel it (gaoxin cancel)",
    ),
    (
        "closed",
        "cancel",
        "任务 JC-01 当前为“已销号”，不能撤销（gaoxin cancel）",
        "“已销号”是最终状态，不能再有后续步骤",
        "task JC-01 is closed: cannot cancel it (gaoxin cancel)",
    ),
    (
        "cancelled",
        "submit",
        "任务 JC-01 当前为“已撤销”，不能提交办理结果（gaoxin submit）",
        "“已撤销”是最终状态，不能再有后续步骤",
        "task JC-01 is cancelled: cannot submit the result (gaoxin submit)",
    ),
    (
        "extension_pending",
        "submit",
        "任务 JC-01 当前为“延期待批”，不能提交办理结果（gaoxin submit）",
        "当前可以：批准延期（gaoxin extend）、不批准延期（gaoxin extend）、撤销（gaoxin cancel）",
        "task JC-01 is extension pending: cannot submit the result (gaoxin submit)",
    ),
    (
        "registered",
        "submit",
        "任务 JC-01 当前为“已立项”，不能提交办理结果（gaoxin submit）",
        "当前可以：下发交办单（gaoxin notify）、首次反馈（gaoxin feedback）、撤销（gaoxin cancel）",
        "task JC-01 is registered: cannot submit the result (gaoxin submit)",
    ),
]


@pytest.mark.parametrize(("current", "action", "zh", "hint", "en"), ILLEGAL_TABLE)
def test_illegal_steps_read_well(current: str, action: str, zh: str, hint: str, en: str) -> None:
    with pytest.raises(GaoxinError) as info:
        lc.transition(current, action, subject="JC-01")
    assert info.value.message("zh") == zh
    assert info.value.hint is not None and info.value.hint.render("zh") == hint
    assert info.value.message("en") == en


def test_unknown_state_or_action_is_a_bug() -> None:
    with pytest.raises(ValueError):
        lc.transition("finished", "close")
    with pytest.raises(ValueError):
        lc.transition("done", "archive")


def test_stopped_states() -> None:
    assert [s for s in lc.STATES if lc.stopped(s)] == ["done", "closed", "cancelled"]


def step(action: str, to: str, at: date = DAY, task: str = "JC-01") -> Event:
    return Event(task, "lifecycle", at, data={"action": action, "from": "?", "to": to, "by": None})


REPORTED = TaskState(progress=10, progress_at=DAY, last_report=DAY, reports=1)
STARTED = TaskState(started=DAY)
MILESTONE = TaskState(milestones_done={"完成设计": DAY})
NOTHING = TaskState()

DERIVED = [
    # (steps, assign notice, state, extension pending) → lifecycle state
    ([], False, NOTHING, False, "registered"),
    ([], True, NOTHING, False, "assigned"),
    ([], True, REPORTED, False, "in_progress"),
    ([], False, REPORTED, False, "in_progress"),  # a report proves the unit has the task
    ([], True, STARTED, False, "in_progress"),
    ([], True, MILESTONE, False, "in_progress"),
    ([], True, REPORTED, True, "extension_pending"),
    ([], True, NOTHING, True, "extension_pending"),
    ([step("submit", "under_review")], True, REPORTED, False, "under_review"),
    ([step("submit", "under_review")], True, REPORTED, True, "under_review"),
    (
        [step("submit", "under_review"), step("return", "in_progress")],
        True,
        REPORTED,
        False,
        "in_progress",
    ),
    (
        [step("submit", "under_review"), step("return", "in_progress")],
        True,
        REPORTED,
        True,
        "extension_pending",
    ),
    ([step("submit", "under_review"), step("accept", "done")], True, REPORTED, False, "done"),
    ([step("accept", "done"), step("close", "closed")], True, REPORTED, False, "closed"),
    ([step("cancel", "cancelled")], False, NOTHING, True, "cancelled"),
    # Another task's steps and unknown targets are ignored.
    ([step("cancel", "cancelled", task="JC-02")], True, NOTHING, False, "assigned"),
    ([step("submit", "finished")], True, REPORTED, False, "in_progress"),
]


@pytest.mark.parametrize(("steps", "notice", "state", "pending", "expected"), DERIVED)
def test_derive_state(
    steps: list[Event], notice: bool, state: TaskState, pending: bool, expected: str
) -> None:
    assert lc.derive_state("JC-01", steps, notice, state, pending) == expected


def test_extension_pending_is_the_latest_request() -> None:
    def ext(action: str) -> Event:
        return Event("JC-01", "extension", DAY, data={"action": action, "to": "2020-12-31"})

    assert not lc.extension_pending([])
    assert lc.extension_pending([ext("request")])
    assert not lc.extension_pending([ext("request"), ext("approve")])
    assert not lc.extension_pending([ext("request"), ext("reject")])
    assert lc.extension_pending([ext("request"), ext("reject"), ext("request")])


# --- the store's bulk derivation agrees with the rule -------------------------------------


def add_notice(store: Store, task: str, day: date, kind: str = "assign") -> None:
    """A 交办单 as the notice ladder files it (m003 schema)."""
    seq = int(store.query("SELECT coalesce(max(seq), 0) + 1 FROM notices")[0][0])
    store.insert(
        "INSERT INTO notices (number, kind, year, seq, subject, subject_kind, rung, issued_on,"
        " unit, recipients, body) VALUES (?, ?, ?, ?, ?, 'task', 0, ?, 'jianshe', '[]', '{}')",
        (f"交办〔{day.year}〕{seq}号", kind, day.year, seq, task, day.isoformat()),
    )


KINDS = ["feedback", "start", "milestone", "notice", "ext_request", "ext_decide"]
KINDS += ["submit", "return", "accept", "close", "cancel"]
_TARGET = {
    "submit": "under_review",
    "return": "in_progress",
    "accept": "done",
    "close": "closed",
    "cancel": "cancelled",
}
_counter = itertools.count()


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("lc") / "gaoxin.db"
    with Store.open(path, write=True) as store:
        yield store


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    history=st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(0, 20)), min_size=0, max_size=12
    ),
    as_of=st.integers(0, 22),
)
def test_store_and_rule_agree(
    shared_store: Store, history: list[tuple[str, int]], as_of: int
) -> None:
    """Random histories (legal or not — the derivation must not care): the store's bulk
    query and the pure rule give the same state on every day."""
    task = f"T{next(_counter)}"
    store = shared_store
    events: list[Event] = []
    notices: list[date] = []
    for kind, offset in history:
        day = DAY + timedelta(days=offset)
        if kind == "notice":
            notices.append(day)
        elif kind == "feedback":
            events.append(Event(task, "feedback", day, progress=5))
        elif kind == "start":
            events.append(Event(task, "start", day))
        elif kind == "milestone":
            events.append(Event(task, "milestone", day, milestone="m"))
        elif kind.startswith("ext_"):
            action = "request" if kind == "ext_request" else "approve"
            events.append(Event(task, "extension", day, data={"action": action}))
        else:
            events.append(step(kind, _TARGET[kind], day, task))
    with store.transaction():
        store.add(events)
        for day in notices:
            add_notice(store, task, day)
    today = DAY + timedelta(days=as_of)
    got = lifecycle_states(store, [task], today)[task]
    hist = store.history(task, until=today)
    expected = lc.derive_state(
        task,
        [e for e in hist if e.kind == "lifecycle"],
        any(d <= today for d in notices),
        store.state(task, today),
        lc.extension_pending([e for e in hist if e.kind == "extension"]),
    )
    assert got == expected


def test_lifecycle_states_for_many_tasks_is_fast(tmp_path: Path) -> None:
    """Two queries for all tasks: 5,000 tasks with 40,000 events in well under a second."""
    n = 5000
    with Store.open(tmp_path / "gaoxin.db", write=True) as store:
        events = []
        for i in range(n):
            task = f"T{i}"
            events += [Event(task, "feedback", DAY, progress=p) for p in range(1, 7)]
            if i % 2:
                events.append(step("submit", "under_review", DAY, task))
            if i % 4 == 1:
                events.append(step("accept", "done", DAY + timedelta(days=1), task))
        store.add(events)
        with store.transaction():
            for i in range(0, n, 3):
                add_notice(store, f"T{i}", DAY)
        ids = [f"T{i}" for i in range(n)] + ["NEVER"]
        t0 = time.perf_counter()
        states = lifecycle_states(store, ids, DAY + timedelta(days=2))
        elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, elapsed
    assert states["T0"] == "in_progress"
    assert states["T1"] == "done"
    assert states["T3"] == "under_review"
    assert states["NEVER"] == "registered"
    assert len(states) == n + 1


def test_lifecycle_states_reads_notices_and_extensions(tmp_path: Path) -> None:
    with Store.open(tmp_path / "gaoxin.db", write=True) as store:
        add_notice(store, "A", date(2020, 3, 2))
        add_notice(store, "B", date(2020, 3, 2), kind="urge")  # not a 交办单
        store.add(
            [
                Event("C", "feedback", date(2020, 3, 3), progress=10),
                Event("C", "extension", date(2020, 3, 4), data={"action": "request"}),
                Event("D", "lifecycle", date(2020, 3, 4), data={"to": "cancelled"}),
            ]
        )
        store.insert(  # a damaged data column is ignored, not fatal
            "INSERT INTO events (task, kind, at, data) VALUES ('E', 'lifecycle', '2020-03-04', 'x')"
        )
        states = lifecycle_states(store, ["A", "B", "C", "D", "E"], date(2020, 3, 4))
        assert states == {
            "A": "assigned",
            "B": "registered",
            "C": "extension_pending",
            "D": "cancelled",
            "E": "registered",
        }
        assert lifecycle_states(store, ["A", "C"], date(2020, 3, 1)) == {
            "A": "registered",
            "C": "registered",
        }
        assert lifecycle_states(store, [], date(2020, 3, 4)) == {}
        one = task_lifecycle(store, "D", date(2020, 3, 4))
        assert (one.state, one.last_step) == ("cancelled", date(2020, 3, 4))
    # A read-only store with no file sees an empty history.
    with Store.open(tmp_path / "none.db", write=False) as store:
        assert lifecycle_states(store, ["A"], DAY) == {"A": "registered"}


def test_catalogue_has_both_languages_and_matching_fields() -> None:

    from gaoxin_cli.i18n.catalogue_lifecycle import MESSAGES

    # both languages and placeholders: tests/test_catalogues.py
    for s in lc.STATES:
        assert f"lstate.{s}" in MESSAGES
    for a in lc.ACTIONS:
        assert f"laction.{a}" in MESSAGES
    json.dumps(MESSAGES, ensure_ascii=False)
