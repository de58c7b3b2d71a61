"""The 三单 ladder, extensions and the notices store, without mail or CLI.

Working days counted by hand from the 2020 tables: 6/25–6/27 is the Dragon Boat holiday,
Sunday 6/28 a 调休 working day; a task due Tue 6/16 is blue from 6/11, yellow 6/17–6/23
(1–5 WD late) and red from 6/24 (6 WD late).
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.models import Plan, Task, spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Event, Level, TaskState
from gaoxin_cli.notify.digest import Entry, Item, entry_text
from gaoxin_cli.rules import extensions as ext
from gaoxin_cli.rules import ladder, notice_record, outlook, problem_ladder
from gaoxin_cli.rules.cards import assess
from gaoxin_cli.rules.problem_cards import problem_subjects
from gaoxin_cli.rules.problems import ProblemStatus, replay
from gaoxin_cli.store import Store
from gaoxin_cli.store import notices as store_notices
from gaoxin_cli.store.awards import done_days
from gaoxin_cli.store.extensions import effective_dues
from gaoxin_cli.store.notices import NewNotice, StoredNotice
from gaoxin_cli.store.problems import ProblemRow

D = date.fromisoformat
CAL = WorkCalendar()

CONFIG = to_record(
    spec.ConfigSpec.model_validate(
        {
            "org": {"name": "测试区", "office": "duchashi"},
            "units": {
                "duchashi": {
                    "name": "督查室",
                    "kind": "office",
                    "head": {"name": "张主任", "email": "head@duchashi.example.org"},
                    "contact": {"name": "李联络", "email": "contact@duchashi.example.org"},
                },
                "jianshe": {
                    "name": "建设局",
                    "head": {"name": "王局长", "email": "head@jianshe.example.org"},
                    "contact": {"name": "赵联络", "email": "contact@jianshe.example.org"},
                },
                "caizheng": {
                    "name": "财政局",
                    "head": {"name": "孙局长"},
                    "contact": {"name": "周联络", "email": "contact@caizheng.example.org"},
                },
            },
            "leaders": {
                "L-wang": {"name": "王主任", "email": "wang@example.org"},
                "L-li": {"name": "李副主任"},
            },
        }
    )
)


def task(**kw: object) -> Task:
    base: dict[str, object] = {
        "id": "T-1",
        "title": "测试任务",
        "lead": "jianshe",
        "support": ["caizheng"],
        "leader": "L-wang",
        "measures": ["做"],
        "due": "2020-06-16",
    }
    base.update(kw)
    return to_record(spec.TaskSpec.model_validate(base))


ON_PLAN = TaskState(progress=95, progress_at=D("2020-06-10"), last_report=D("2020-06-10"))


class Filed:
    """A notice as the ladder sees it (the store's StoredNotice has the same fields)."""

    def __init__(self, kind: str, issued_on: date, response_due: date | None) -> None:
        self.kind = kind
        self.rung = ladder.KINDS.index(kind)
        self.number = notice_record.number(kind, issued_on.year, 1)
        self.issued_on = issued_on
        self.response_due = response_due
        # Acknowledged (签收) the day it was filed: these tests follow the card; an unsigned
        # notice's own warning is tested in test_signing.py.
        self.signed_on: date | None = issued_on


def run_days(t: Task, days: list[str], state: TaskState = ON_PLAN) -> dict[str, list[str]]:
    """File what the ladder says on each day (as notify would), and report it."""
    filed: list[Filed] = []
    out: dict[str, list[str]] = {}
    for d in days:
        today = D(d)
        s = ladder.stand(t, state, t.due, filed, CONFIG, today, CAL)
        drafts = ladder.due_notices([s], CONFIG, today, CAL)
        filed += [Filed(x.kind, x.issued_on, x.response_due) for x in drafts]
        out[d] = [x.kind for x in drafts]
    return out


# --- cards: red_notice_due ------------------------------------------------------------


def test_red_notice_due_decides_l4() -> None:
    t = task()
    # 7/8 is 16 WD late: red; the real 督办单's reply was due 6/30
    a = assess(
        t,
        ON_PLAN,
        D("2020-06-30"),
        CAL,
        to_record(spec.CardRulesSpec()),
        red_notice_due=D("2020-06-30"),
    )
    assert a.card.level == Level.RED
    a = assess(
        t,
        ON_PLAN,
        D("2020-07-01"),
        CAL,
        to_record(spec.CardRulesSpec()),
        red_notice_due=D("2020-06-30"),
    )
    assert a.card.level == Level.ACCOUNTABILITY
    assert a.card.reasons[0].key == "card.accountability"
    assert a.card.reasons[0].params["deadline"] == "2020-06-30"
    # far in the future: no notice yet, never L4
    far = assess(
        t, ON_PLAN, D("2020-09-01"), CAL, to_record(spec.CardRulesSpec()), red_notice_due=date.max
    )
    assert far.card.level == Level.RED
    # without it nothing is estimated: no 督办单 filed, no L4
    assert (
        assess(t, ON_PLAN, D("2020-07-01"), CAL, to_record(spec.CardRulesSpec())).card.level
        == Level.RED
    )


def test_red_notice_due_never_raises_a_card_that_is_not_red() -> None:
    a = assess(
        task(),
        ON_PLAN,
        D("2020-06-17"),
        CAL,
        to_record(spec.CardRulesSpec()),
        red_notice_due=D("2020-06-01"),
    )
    assert a.card.level == Level.YELLOW


# --- the ladder -------------------------------------------------------------------------


def test_a_late_task_climbs_one_rung_on_the_day_the_rules_say() -> None:
    days = ["2020-06-10", "2020-06-11", "2020-06-12", "2020-06-16", "2020-06-17", "2020-06-23"]
    days += ["2020-06-24", "2020-06-28", "2020-06-29", "2020-06-30", "2020-07-01", "2020-07-02"]
    assert run_days(task(), days) == {
        "2020-06-10": ["assign"],
        "2020-06-11": ["remind"],  # 6/12, 6/15, 6/16: due within 3 WD
        "2020-06-12": [],
        "2020-06-16": [],
        "2020-06-17": ["urge"],  # the first working day late
        "2020-06-23": [],  # 5 WD late: still yellow
        "2020-06-24": ["supervise"],  # 6 WD late: red; reply due 6/28, 6/29, 6/30
        "2020-06-28": [],  # Sunday, a working day; the holiday came in between
        "2020-06-29": [],
        "2020-06-30": [],  # the reply deadline itself
        "2020-07-01": ["report"],  # the 督办单 went unanswered: 通报
        "2020-07-02": [],  # top of the ladder
    }


def test_first_run_on_a_long_late_task_files_the_rung_the_card_calls_for() -> None:
    # 8 WD late, never notified: a 交办单 and the 督办单, but no 通报 before a 督办单 exists
    assert run_days(task(), ["2020-06-29", "2020-07-02", "2020-07-03"]) == {
        "2020-06-29": ["assign", "supervise"],  # 8 WD late; reply due 6/30, 7/1, 7/2
        "2020-07-02": [],
        "2020-07-03": ["report"],
    }


def test_listed_and_urgent_tasks_start_higher() -> None:
    listed = task(listed={"since": "2020-03-02", "by": "L-li"})
    assert run_days(listed, ["2020-06-11", "2020-06-17"]) == {
        "2020-06-11": ["assign", "urge"],  # blue, but a listed task's first warning is 催办
        "2020-06-17": [],  # yellow: already there
    }
    urgent = task(urgency="special")
    assert run_days(urgent, ["2020-06-11"]) == {"2020-06-11": ["assign", "urge"]}
    not_yet = task(listed={"since": "2020-07-01", "by": "L-li"})
    assert run_days(not_yet, ["2020-06-11"]) == {"2020-06-11": ["assign", "remind"]}


def test_start_rungs_come_from_config() -> None:
    rules = CONFIG.rules.ladder._replace(listed_start_rung=3)
    t = task(listed={"since": "2020-03-02", "by": "L-li"})
    assert ladder.target_rung(Level.BLUE, t, rules, D("2020-06-11")) == ladder.SUPERVISE
    assert ladder.target_rung(Level.NONE, t, rules, D("2020-06-11")) == 0


def test_nothing_for_a_done_task_or_before_it_opened() -> None:
    done = TaskState(progress=100, progress_at=D("2020-06-01"))
    assert run_days(task(), ["2020-06-24"], state=done) == {"2020-06-24": []}
    later = task(source={"kind": "meeting", "date": "2020-07-01"}, due="2020-08-31")
    assert run_days(later, ["2020-06-30", "2020-07-01"]) == {
        "2020-06-30": [],
        "2020-07-01": ["assign"],
    }


def test_recipients_widen_with_the_rung() -> None:
    t = task(listed={"since": "2020-03-02", "by": "L-li"})

    def who(rung: int) -> list[tuple[str, str, str | None]]:
        return [(r.role, r.name, r.email) for r in ladder.recipients(t, rung, CONFIG)]

    assert who(0) == [
        ("contact", "赵联络", "contact@jianshe.example.org"),
        ("support", "周联络", "contact@caizheng.example.org"),
    ]
    assert who(1) == [("contact", "赵联络", "contact@jianshe.example.org")]
    assert who(2) == [
        ("contact", "赵联络", "contact@jianshe.example.org"),
        ("head", "王局长", "head@jianshe.example.org"),
        ("leader", "王主任", "wang@example.org"),
    ]
    assert who(3)[3:] == [
        ("office_contact", "李联络", "contact@duchashi.example.org"),
        ("office_head", "张主任", "head@duchashi.example.org"),
        ("supervisor", "李副主任", None),  # listed in the notice, not mailed
    ]
    assert who(4) == who(3)
    # the office's own task: its contact appears once
    own = task(lead="duchashi", support=[])
    roles = [r.role for r in ladder.recipients(own, 3, CONFIG)]
    assert roles == ["contact", "head", "leader"]


def test_next_step_predicts_the_simulation() -> None:
    t = task()
    filed: list[Filed] = []
    for d, expected in [
        ("2020-06-10", (ladder.REMIND, D("2020-06-11"))),
        ("2020-06-11", (ladder.URGE, D("2020-06-17"))),
        ("2020-06-17", (ladder.SUPERVISE, D("2020-06-24"))),
        ("2020-06-24", (ladder.REPORT, D("2020-07-01"))),
        ("2020-07-01", None),
    ]:
        today = D(d)
        s = ladder.stand(t, ON_PLAN, t.due, filed, CONFIG, today, CAL)
        for draft in ladder.due_notices([s], CONFIG, today, CAL):
            filed.append(Filed(draft.kind, draft.issued_on, draft.response_due))
        s = ladder.stand(t, ON_PLAN, t.due, filed, CONFIG, today, CAL)
        assert outlook.next_step(s, CONFIG, today, CAL) == expected, d


def test_next_step_is_today_when_a_notice_is_due_but_not_filed() -> None:
    s = ladder.stand(task(), ON_PLAN, D("2020-06-16"), [], CONFIG, D("2020-06-24"), CAL)
    assert outlook.next_step(s, CONFIG, D("2020-06-24"), CAL) == (ladder.SUPERVISE, D("2020-06-24"))


def test_next_step_finds_the_day_the_lag_turns_red() -> None:
    # Reported 50 % on 1 June; due 31 December; linear 序时进度 from 1 January.
    far = task(due="2020-12-31")
    state = TaskState(progress=50, progress_at=D("2020-06-01"), last_report=D("2020-06-01"))
    today = D("2020-08-10")  # 223 of 366 days: 60.9 % planned, 10.9 points behind
    s = ladder.stand(far, state, far.due, [Filed("urge", today, None)], CONFIG, today, CAL)
    assert s.assessment.card.level == Level.YELLOW
    rung, day = outlook.next_step(s, CONFIG, today, CAL) or (0, date.min)
    assert rung == ladder.SUPERVISE

    # the first working day the lag exceeds 30 points, found exactly
    def lag(d: date) -> float:
        return assess(far, state, d, CAL, to_record(spec.CardRulesSpec())).lag

    assert lag(day) > 30 >= lag(CAL.add_workdays(day, -1))
    assert day < D("2020-12-31")


def test_repeat_reminders() -> None:
    rules = CONFIG.rules.ladder._replace(repeat_reminder_wd=2)
    t = task()
    urge = Filed("urge", D("2020-06-17"), D("2020-06-22"))
    s = ladder.stand(t, ON_PLAN, t.due, [urge], CONFIG, D("2020-06-19"), CAL)

    def again(last: str, today: str, latest: object = urge, state: TaskState = ON_PLAN) -> bool:
        st_ = ladder.stand(t, state, t.due, [urge], CONFIG, D(today), CAL)
        return ladder.repeat_due(st_, urge, latest, D(last), D(today), CAL, rules)  # type: ignore[arg-type]

    assert not again("2020-06-17", "2020-06-18")  # 1 WD
    assert again("2020-06-17", "2020-06-19")  # 2 WD
    assert not again("2020-06-17", "2020-06-19", latest=None)
    answered = TaskState(progress=96, progress_at=D("2020-06-18"), last_report=D("2020-06-18"))
    assert not again("2020-06-17", "2020-06-19", state=answered)
    off = CONFIG.rules.ladder
    assert not ladder.repeat_due(s, urge, urge, D("2020-06-01"), D("2020-06-19"), CAL, off)  # type: ignore[arg-type]


@given(
    st.sampled_from(ladder.KINDS),
    st.integers(min_value=2000, max_value=2100),
    st.integers(min_value=1, max_value=999999),
)
def test_numbers_read_back(kind: str, year: int, seq: int) -> None:
    text = notice_record.number(kind, year, seq)
    assert notice_record.parse_number(text) == (kind, year, seq)
    label = notice_record.LABELS[kind]
    assert notice_record.parse_number(f"{label}[{year}]{seq}") == (kind, year, seq)
    assert notice_record.parse_number(f"{kind}-{year}-{seq}") == (kind, year, seq)


def test_bad_numbers() -> None:
    for bad in ("督办2020-12", "催办〔20〕1号", "supervise-2020", "", "督办〔2020〕号"):
        assert notice_record.parse_number(bad) is None


# --- extensions -------------------------------------------------------------------------

PLAN = Plan(CONFIG, (task(),))


def extend(
    today: str, events: list[Event], state: TaskState = ON_PLAN, **kw: object
) -> list[Event]:
    t = PLAN.by_id["T-1"]
    req = ext.Request("T-1", **kw)  # type: ignore[arg-type]
    return ext.extension_events(PLAN, t, req, ext.summarize(t, events), state, D(today))


def test_extension_request_then_approval() -> None:
    req = extend("2020-06-10", [], to=D("2020-07-31"), reason="设计变更")
    assert [(e.data or {}).get("action") for e in req] == ["request"]
    assert ext.summarize(PLAN.tasks[0], req).pending is not None
    # approval may come after the due date: the request was in time
    ok = extend("2020-06-18", req, approve=True, by="L-wang")
    assert (ok[0].data or {}) == {
        "action": "approve",
        "to": "2020-07-31",
        "by": "L-wang",
        "late": False,
    }
    assert ok[0].reason == "设计变更"
    assert ext.summarize(PLAN.tasks[0], [*req, *ok]).due == D("2020-07-31")


def test_extension_refusals() -> None:
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-17", [], to=D("2020-07-31"), reason="晚了")
    assert err.value.msg.key == "error.extend_after_due"
    late = extend(
        "2020-06-17", [], to=D("2020-07-31"), reason="晚了", approve=True, by="L-wang", late=True
    )
    assert [(e.data or {})["action"] for e in late] == ["request", "approve"]
    assert all((e.data or {})["late"] for e in late)
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-10", [], to=D("2020-06-12"), reason="早了")
    assert err.value.msg.key == "error.extend_not_later"
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-10", [], approve=True, by="L-wng", to=D("2020-07-31"), reason="x")
    assert err.value.msg.key == "error.unknown_leader" and err.value.hint is not None
    with pytest.raises(UsageError):
        extend("2020-06-10", [], to=D("2020-07-31"), reason="x", late=True)
    with pytest.raises(UsageError):
        extend("2020-06-10", [], approve=True)
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-10", [], reject=True, by="L-wang", reason="不同意")
    assert err.value.msg.key == "error.extend_nothing_pending"
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-10", [], TaskState(progress=100), to=D("2020-07-31"), reason="x")
    assert err.value.msg.key == "error.extend_done"
    req = extend("2020-06-10", [], to=D("2020-07-31"), reason="设计变更")
    with pytest.raises(GaoxinError) as err:
        extend("2020-06-11", req, to=D("2020-08-31"), reason="再次")
    assert err.value.msg.key == "error.extend_already_pending"
    no = extend("2020-06-11", req, reject=True, by="L-wang", reason="理由不足")
    assert ext.summarize(PLAN.tasks[0], [*req, *no]) == ext.Extensions(
        D("2020-06-16"), None, (*req, *no)
    )


# --- the store -------------------------------------------------------------------------


def new(kind: str, subject: str, day: str) -> NewNotice:
    return NewNotice(kind, subject, ladder.KINDS.index(kind), D(day), D(day), "jianshe", [], {})


def test_numbers_per_kind_and_year(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        a = store_notices.file_notices(
            s,
            [
                new("assign", "A", "2020-06-01"),
                new("urge", "A", "2020-06-02"),
                new("assign", "B", "2020-06-02"),
            ],
            notice_record.number,
            None,
        )
        b = store_notices.file_notices(
            s,
            [
                new("assign", "A", "2020-06-03"),
                new("assign", "C", "2021-01-04"),
                new("urge", "B", "2020-12-31"),
            ],
            notice_record.number,
            None,
        )
        assert [n.number for n in a] == ["交办〔2020〕1号", "催办〔2020〕1号", "交办〔2020〕2号"]
        # A already has a 交办单: skipped; a new year starts again at 1
        assert [n.number for n in b] == ["交办〔2021〕1号", "催办〔2020〕2号"]
        got = store_notices.by_number(s, "urge", 2020, 2)
        assert got is not None and got.subject == "B"
        dry = store_notices.draft_notices(
            s, [new("assign", "D", "2020-12-31")], notice_record.number
        )
        assert [(n.id, n.number) for n in dry] == [(None, "交办〔2020〕3号")]
        assert len(store_notices.notices(s)) == 5


def test_two_writers_never_file_a_notice_twice(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    Store.open(db, write=True).close()
    batch = [new("assign", f"T{i:03d}", "2020-06-01") for i in range(60)]
    errors: list[BaseException] = []

    def file() -> None:
        try:
            with Store.open(db, write=True) as s:
                store_notices.file_notices(s, batch, notice_record.number, None)
        except BaseException as e:  # pragma: no cover - shown by the assert
            errors.append(e)

    threads = [threading.Thread(target=file) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with Store.open(db, write=False) as s:
        filed = store_notices.notices(s)
    assert len(filed) == 60
    assert sorted(n.seq for n in filed) == list(range(1, 61))


def test_deliveries_are_recorded_once_per_recipient_and_day(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db", write=True) as s:
        (n,) = store_notices.file_notices(
            s, [new("urge", "A", "2020-06-01")], notice_record.number, None
        )
        assert isinstance(n, StoredNotice) and n.id is not None
        args = (s, [n.id], "a@example.org", D("2020-06-01"), "t", "<m@x>")
        assert store_notices.record_deliveries(*args) == 1
        assert store_notices.record_deliveries(*args) == 0  # the arbiter: no double record
        assert (
            store_notices.record_deliveries(s, [n.id], "a@example.org", D("2020-06-03"), "t", None)
            == 1
        )
        assert store_notices.last_sent(s, D("2020-06-02")) == {
            (n.id, "a@example.org"): D("2020-06-01")
        }
        assert len(store_notices.deliveries(s)[n.id]) == 2


def test_effective_dues_latest_approval_wins(tmp_path: Path) -> None:
    def e(day: str, action: str, to: str) -> Event:
        return Event(
            "A", "extension", D(day), data={"action": action, "to": to, "by": "L", "late": False}
        )

    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(
            [
                e("2020-06-01", "request", "2020-07-01"),
                e("2020-06-02", "approve", "2020-07-01"),
                e("2020-06-20", "request", "2020-08-01"),
                e("2020-06-21", "reject", "2020-08-01"),
                e("2020-06-25", "approve", "2020-09-01"),
                Event(
                    "B",
                    "extension",
                    D("2020-06-01"),
                    data={"action": "request", "to": "2020-07-01"},
                ),
            ]
        )
        assert effective_dues(s, D("2020-06-01")) == {}
        assert effective_dues(s, D("2020-06-24")) == {"A": D("2020-07-01")}
        assert effective_dues(s, D("2020-06-30")) == {"A": D("2020-09-01")}


def test_delisting_days_follow_corrections(tmp_path: Path) -> None:
    """``listed`` takes the day a task reached 100 % (摘牌) from ``awards.done_days``:
    a correction below 100 % puts it back on the list until the next report at 100 %,
    whether the days are read by the queries or from a checkpoint."""
    with Store.open(tmp_path / "g.db", write=True) as s:
        s.add(
            [
                Event("A", "feedback", D("2020-06-01"), progress=100),
                Event("A", "correction", D("2020-06-05"), progress=90, reason="x"),
                Event("A", "feedback", D("2020-06-10"), progress=100),
                Event("B", "feedback", D("2020-06-03"), progress=100),
            ]
        )
        for _ in range(2):  # by the queries, then from the checkpoint
            assert done_days(s, ["A", "B"], D("2020-06-02")) == {"A": D("2020-06-01")}
            assert done_days(s, ["A"], D("2020-06-04")) == {"A": D("2020-06-01")}
            assert done_days(s, ["A"], D("2020-06-07")) == {}
            assert done_days(s, ["A"], D("2020-06-30")) == {"A": D("2020-06-10")}
            assert done_days(s, ["A", "B"], D("2020-06-30")) == {
                "A": D("2020-06-10"),
                "B": D("2020-06-03"),
            }
            s.write_checkpoint()


# --- problems (问题提报) on the ladder ---------------------------------------------------


def _problem(steps: list[tuple[str, str, str, dict[str, object]]]) -> ProblemStatus:
    """问题〔2020〕1号, reported 6/1, after *steps* ``(day, action, to, data)``."""
    row = ProblemRow("问题〔2020〕1号", 2020, 1, D("2020-06-01"), "jianshe", None, "征地款未到位")
    events = [
        Event(
            task=row.number,
            kind="problem",
            at=D(day),
            unit="duchashi",
            data={"action": action, "to": to, **data},
        )
        for day, action, to, data in steps
    ]
    return replay(row, events)


def test_problem_recipients_widen_with_the_rung() -> None:
    def roles(rung: int) -> list[tuple[str, str]]:
        return [
            (r.role, r.name) for r in problem_ladder.problem_recipients("caizheng", rung, CONFIG)
        ]

    assert roles(1) == [("contact", "周联络")]
    assert roles(2) == [("contact", "周联络"), ("head", "孙局长")]
    assert (
        roles(3)
        == roles(4)
        == [
            ("contact", "周联络"),
            ("head", "孙局长"),
            ("office_contact", "李联络"),
            ("office_head", "张主任"),
        ]
    )
    # the office's own move: one entry per address
    office = problem_ladder.problem_recipients("duchashi", 3, CONFIG)
    assert [r.email for r in office] == [
        "contact@duchashi.example.org",
        "head@duchashi.example.org",
    ]


def test_a_late_problem_gets_the_rung_its_card_calls_for_once() -> None:
    plan = Plan(config=CONFIG, tasks=[])
    status = _problem(
        [
            ("2020-06-02", "accept", "accepted", {}),
            ("2020-06-03", "assign", "assigned", {"unit": "caizheng"}),
        ]
    )
    # answer due 2 WD after 6/3: 6/5; on 6/10 it is 3 WD late: yellow → 催办单, rung 2
    today = D("2020-06-10")
    subjects = problem_subjects([status], today, CAL, plan)
    drafts = problem_ladder.problem_due_notices(
        subjects, {status.number: status}, {}, CONFIG, today, CAL
    )
    assert [(d.task, d.kind, d.rung, d.unit, d.subject_kind) for d in drafts] == [
        ("问题〔2020〕1号", "urge", 2, "caizheng", "problem")
    ]
    d = drafts[0]
    assert [r.role for r in d.recipients] == ["contact", "head"]
    assert d.body["late_wd"] == 3 and d.body["stage"] == "assigned"
    assert d.body["due"] == "2020-06-05" and d.body["card"] == Level.YELLOW
    # filed already: nothing more the same day, nor on a later yellow day
    filed = {status.number: [Filed("urge", today, D("2020-06-15"))]}
    assert not problem_ladder.problem_due_notices(
        subjects, {status.number: status}, filed, CONFIG, today, CAL
    )
    later = D("2020-06-12")
    assert not problem_ladder.problem_due_notices(
        problem_subjects([status], later, CAL, plan),
        {status.number: status},
        filed,
        CONFIG,
        later,
        CAL,
    )
    # red later: a 督办单
    red_day = D("2020-06-16")
    red = problem_ladder.problem_due_notices(
        problem_subjects([status], red_day, CAL, plan),
        {status.number: status},
        filed,
        CONFIG,
        red_day,
        CAL,
    )
    assert [x.kind for x in red] == ["supervise"]
    # the digest words it in zh and en, reasons included (nested stage message)
    stored = StoredNotice(
        1,
        "催办〔2020〕1号",
        "urge",
        2020,
        1,
        d.task,
        d.rung,
        d.issued_on,
        d.response_due,
        d.unit,
        "[]",
        json.dumps(d.body, ensure_ascii=False),
        subject_kind="problem",
    )
    entry = Entry(d.task, (Item(stored),), Level.YELLOW)
    zh = entry_text(CONFIG, entry, today, "zh").text
    assert "问题〔2020〕1号 征地款未到位" in zh and "财政局" in zh and "答复时限：2020-06-05" in zh
    assert "逾期 3 个工作日" in zh
    en = entry_text(CONFIG, entry, today, "en").text
    assert "Problem 问题〔2020〕1号" in en and "answer due 2020-06-05" in en and "3 WD late" in en
    # closed: no card, nothing drafted
    closed = _problem(
        [
            ("2020-06-02", "accept", "accepted", {}),
            ("2020-06-03", "assign", "assigned", {"unit": "caizheng"}),
            ("2020-06-04", "answer", "answered", {}),
            ("2020-06-05", "verify", "closed", {"satisfied": True}),
        ]
    )
    assert closed.state == "closed"
    assert not problem_subjects([closed], red_day, CAL, plan)


def test_remembered_recipients_are_the_recipients(tmp_path: Path) -> None:
    """ladder.recipients_of (what due_notices uses) gives, for every task of a generated
    plan at every rung, what ladder.recipients works out for it alone; tasks of one unit
    share their lists."""
    from gaoxin_cli.loading.plancache import load_plan
    from helpers import bench_module

    gen = bench_module("gen")
    ws = gen.write_workspace(tmp_path / "ws", gen.Spec(tasks=400, files=2, units=12, seed=9))
    plan = load_plan(ws.root, None)
    assert any(tk.listed is not None and tk.listed.by for tk in plan.tasks)
    assert any(tk.support for tk in plan.tasks) and any(tk.leader for tk in plan.tasks)
    of = ladder.recipients_of(plan.config)
    lists = set()
    for tk in plan.tasks:
        for rung in range(len(ladder.KINDS)):
            got = of(tk, rung)
            assert got == ladder.recipients(tk, rung, plan.config), (tk.id, rung)
            lists.add(id(got))
    assert len(lists) < len(plan.tasks) * len(ladder.KINDS) / 2  # 2,000 asked, few made
