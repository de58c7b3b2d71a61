"""service.lifecycle, service.problems and service.plan called directly, without the CLI:
what each returns, and what the store holds afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.models.state import Report
from gaoxin_cli.service import lifecycle, plan, problems
from gaoxin_cli.service.daily import feedback
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from gaoxin_cli.store.lifecycle import lifecycle_states, task_lifecycle
from gaoxin_cli.store.problems import all_problems, steps


def at(ws: Path, day: date) -> Session:
    return Session.open(ws, day, cache=ws.parent / "cache")


def d(m: int, day: int) -> date:
    return date(2020, m, day)


def stored_steps(ws: Path, task: str) -> list[tuple[date, str, str, str]]:
    """The task's lifecycle events as (day, action, from, to)."""
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        found = task_lifecycle(st, task, date(2099, 1, 1)).steps
    return [(e.at, *(str((e.data or {})[k]) for k in ("action", "from", "to"))) for e in found]


def started(ws: Path, task: str, day: date) -> None:
    feedback(at(ws, day), Report(task=task, at=day, progress=60), "t0")


# --- the task lifecycle ------------------------------------------------------------------


def test_submit_review_close(ws: Path) -> None:
    started(ws, "JC-01", d(4, 1))
    sub = lifecycle.submit(at(ws, d(4, 2)), "JC-01", result="主体完工", recorded_at="t1")
    assert (sub.task, sub.kind, sub.at, sub.unit, sub.note, sub.recorded_at) == (
        "JC-01",
        "lifecycle",
        d(4, 2),
        "jianshe",  # the lead unit, by default
        "主体完工",
        "t1",
    )
    assert sub.data is not None and (sub.data["from"], sub.data["to"]) == (
        "in_progress",
        "under_review",
    )
    acc = lifecycle.review(at(ws, d(4, 3)), "JC-01", accept=True, by="L-li")
    assert acc.data is not None and (acc.data["to"], acc.data["by"]) == ("done", "L-li")
    closed = lifecycle.close(at(ws, d(4, 6)), "JC-01", note="验收合格")
    assert closed.unit == "duchashi"  # the office closes
    assert stored_steps(ws, "JC-01") == [
        (d(4, 2), "submit", "in_progress", "under_review"),
        (d(4, 3), "accept", "under_review", "done"),
        (d(4, 6), "close", "done", "closed"),
    ]
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        assert lifecycle_states(st, ["JC-01"], d(4, 3)) == {"JC-01": "done"}
        assert lifecycle_states(st, ["JC-01"], d(4, 6)) == {"JC-01": "closed"}


def test_a_return_keeps_its_reason(ws: Path) -> None:
    started(ws, "JC-01", d(4, 1))
    lifecycle.submit(at(ws, d(4, 2)), "JC-01", result="x")
    ret = lifecycle.review(at(ws, d(4, 3)), "JC-01", accept=False, by="L-wang", reason="缺材料")
    assert ret.reason == "缺材料"
    assert stored_steps(ws, "JC-01")[-1] == (d(4, 3), "return", "under_review", "in_progress")


def test_cancel_then_every_step_is_refused_and_nothing_written(ws: Path) -> None:
    event = lifecycle.cancel(at(ws, d(4, 1)), "JC-02", reason="规划调整", by="L-li")
    assert (event.reason, event.data and event.data["by"]) == ("规划调整", "L-li")
    assert event.data is not None and (event.data["from"], event.data["to"]) == (
        "registered",
        "cancelled",
    )
    with pytest.raises(GaoxinError) as refused:
        lifecycle.submit(at(ws, d(4, 2)), "JC-02", result="x")
    assert (refused.value.msg.key, refused.value.exit_code) == ("error.lifecycle_illegal", 1)
    assert stored_steps(ws, "JC-02") == [(d(4, 1), "cancel", "registered", "cancelled")]


def test_refused_steps_write_nothing(ws: Path) -> None:
    started(ws, "JC-01", d(4, 1))
    with pytest.raises(GaoxinError) as wrong_state:  # in progress: nothing to accept yet
        lifecycle.review(at(ws, d(4, 2)), "JC-01", accept=True, by="L-wang")
    assert wrong_state.value.msg.key == "error.lifecycle_illegal"
    with pytest.raises(UsageError):  # a return needs a reason
        lifecycle.review(at(ws, d(4, 2)), "JC-01", accept=False, by="L-wang")
    with pytest.raises(GaoxinError):  # not a leader
        lifecycle.cancel(at(ws, d(4, 2)), "JC-01", reason="x", by="nobody")
    with pytest.raises(GaoxinError):  # no such task: refused before the store is opened
        lifecycle.close(at(ws, d(4, 2)), "JC-9")
    assert stored_steps(ws, "JC-01") == []
    lifecycle.submit(at(ws, d(4, 10)), "JC-01", result="x")
    with pytest.raises(GaoxinError):  # never recorded before the last step
        lifecycle.review(at(ws, d(4, 8)), "JC-01", accept=True, by="L-li")
    assert [s[1] for s in stored_steps(ws, "JC-01")] == ["submit"]


# --- 问题提报 ---------------------------------------------------------------------------------


def problem_actions(ws: Path, number: str) -> list[tuple[date, str, str]]:
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        return [
            (e.at, str((e.data or {})["action"]), str((e.data or {})["to"]))
            for e in steps(st, number)
        ]


def test_a_problem_from_report_to_closed(ws: Path) -> None:
    sess = at(ws, d(4, 30))
    done = problems.report(sess, "  征地补偿款未到位 ", task="JC-01", recorded_at="t1")
    assert done.row.number == "问题〔2020〕1号"
    assert (done.row.text, done.row.task, done.row.reporter) == (
        "征地补偿款未到位",
        "JC-01",
        "duchashi",
    )
    assert done.accept_due == d(5, 6)  # one working day after 30 April: May Day is off
    assert sess.calendars, "deadlines are counted on the session's calendar"

    acc = problems.accept(at(ws, d(5, 6)), "1")
    assert acc.event.task == "问题〔2020〕1号"
    assert acc.next_due == ("accepted", d(5, 7))
    assigned = problems.assign(at(ws, d(5, 7)), "2020-1", to="caizheng")
    assert assigned.next_due == ("assigned", d(5, 9))  # Saturday 9 May is a working day
    answered = problems.answer(at(ws, d(5, 8)), "问题〔2020〕1号", note="已拨付")
    assert answered.event.unit == "caizheng"  # the assigned unit answers by default
    assert answered.next_due == ("answered", d(5, 20))  # 10 WD from the assignment
    verified = problems.verify(at(ws, d(5, 11)), "1", satisfied=True)
    assert verified.next_due is None
    assert verified.event.data is not None and verified.event.data["satisfied"] is True

    assert problem_actions(ws, "问题〔2020〕1号") == [
        (d(4, 30), "report", "reported"),
        (d(5, 6), "accept", "accepted"),
        (d(5, 7), "assign", "assigned"),
        (d(5, 8), "answer", "answered"),
        (d(5, 11), "verify", "closed"),
    ]
    shown = problems.show(at(ws, d(5, 11)), "2020-1")
    st = shown.line.status
    assert (st.state, st.unit, st.answer, st.satisfied, shown.line.age_wd) == (
        "closed",
        "caizheng",
        "已拨付",
        True,
        5,  # 6, 7, 8, 9 (a Saturday that works) and 11 May
    )
    assert (shown.resolve_due, shown.resolve_wd) == (None, 10)
    # As of an earlier day, show replays only the steps up to it.
    assert problems.show(at(ws, d(5, 7)), "1").line.status.state == "assigned"


def test_unsatisfied_reopens_and_refused_steps_write_nothing(ws: Path) -> None:
    problems.report(at(ws, d(4, 30)), "路灯不亮", by="caizheng")
    with pytest.raises(GaoxinError) as early:  # not assigned yet: nothing to answer
        problems.answer(at(ws, d(5, 6)), "1", note="x")
    assert early.value.msg.key == "error.problem_illegal"
    with pytest.raises(UsageError):  # a rejection needs a reason
        problems.reject(at(ws, d(5, 6)), "1", reason=None)
    with pytest.raises(GaoxinError) as unknown:
        problems.accept(at(ws, d(5, 6)), "9")
    assert unknown.value.msg.key == "error.unknown_problem"
    assert problem_actions(ws, "问题〔2020〕1号") == [(d(4, 30), "report", "reported")]

    problems.accept(at(ws, d(5, 6)), "1")
    problems.assign(at(ws, d(5, 6)), "1", to="jianshe", hard=True)
    problems.answer(at(ws, d(5, 7)), "1", note="已列入计划")
    back = problems.verify(at(ws, d(5, 8)), "1", satisfied=False, reason="仍不亮")
    assert back.event.data is not None and back.event.data["action"] == "reopen"
    assert back.event.reason == "仍不亮"
    assert back.next_due == ("assigned", d(5, 11))  # 2 WD from the reopen (9 May works)
    with pytest.raises(UsageError):  # a reopen needs a reason
        problems.reopen(at(ws, d(5, 9)), "1", reason=None)
    assert [a for _, a, _ in problem_actions(ws, "问题〔2020〕1号")][-1] == "reopen"


def test_problem_list_counts_and_filters(ws: Path) -> None:
    problems.report(at(ws, d(4, 30)), "征地补偿款未到位", task="JC-01")
    problems.report(at(ws, d(4, 30)), "路灯不亮", by="caizheng")
    problems.accept(at(ws, d(5, 6)), "1")
    problems.assign(at(ws, d(5, 6)), "1", to="caizheng")
    problems.report(at(ws, d(5, 6)), "重复提报")
    problems.reject(at(ws, d(5, 6)), "3", reason="重复")

    sess = at(ws, d(5, 13))
    found = problems.list_problems(sess)
    assert (found.today, found.open, found.late) == (d(5, 13), 2, 2)
    assert [(ln.status.seq, ln.card.late_wd if ln.card else 0) for ln in found.lines] == [
        (2, 6),
        (1, 4),
    ]
    assert [ln.status.seq for ln in problems.list_problems(sess, everything=True).lines] == [
        2,
        1,
        3,
    ]
    assert [ln.status.seq for ln in problems.list_problems(sess, states=["不予受理"]).lines] == [3]
    assert [ln.status.seq for ln in problems.list_problems(sess, units=["caizheng"]).lines] == [1]
    # The filter narrows the lines, never the counts.
    only = problems.list_problems(sess, task="JC-01")
    assert ([ln.status.seq for ln in only.lines], only.open, only.late) == ([1], 2, 2)
    with pytest.raises(GaoxinError):
        problems.list_problems(sess, units=["caizhen"])
    with pytest.raises(UsageError):
        problems.list_problems(sess, states=["done"])
    # Before anything was reported: empty, and as of then.
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        assert all_problems(st, d(4, 29)) == []
    assert problems.list_problems(at(ws, d(4, 29))).open == 0


def test_words_as_typed() -> None:
    assert [problems.satisfied_from(w) for w in (None, "Yes", " 满意", "no", "否")] == [
        None,
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(UsageError):
        problems.satisfied_from("maybe")
    assert problems.states_named(["answered", "已受理", "Rejected"]) == {
        "answered",
        "accepted",
        "rejected",
    }
    assert problems.states_named([]) == frozenset()


# --- the plan commands ---------------------------------------------------------------------


def test_validate_init_and_schemas(ws: Path, tmp_path: Path) -> None:
    clean = plan.validate([], cwd=ws, workspace=None, strict=True)
    assert not clean.failed and clean.loaded.root == ws.resolve()
    (ws / "plans" / "broken.yaml").write_text("tasks: [", encoding="utf-8")
    broken = plan.validate([], cwd=ws, workspace=None, strict=False)
    assert broken.failed and broken.loaded.errors
    with pytest.raises(UsageError):
        plan.validate([tmp_path / "missing.yaml"], cwd=tmp_path, workspace=None, strict=False)

    new = tmp_path / "new"
    written = plan.init(new, d(6, 1))
    assert written and all(p.is_file() for p in written)
    with pytest.raises(GaoxinError) as exists:  # never over an existing workspace
        plan.init(new, d(6, 1))
    assert exists.value.msg.key == "error.init_exists"
    assert not plan.validate([], cwd=new, workspace=None, strict=False).failed

    schemas = plan.write_schemas(tmp_path / "schemas")
    assert [p.name for p in schemas] == ["gaoxin.schema.json", "plan.schema.json"]
    assert schemas[1].read_text(encoding="utf-8") == plan.schema_text("plan")
