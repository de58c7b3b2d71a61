"""问题提报 (rules/problems.py, store/problems.py): the machine, every path through it,
stage deadlines in working days across the 2020 May Day holiday, cards and numbering."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import t
from gaoxin_cli.loading.paths import calendar_for
from gaoxin_cli.loading.workspace import load
from gaoxin_cli.models import Plan
from gaoxin_cli.models.spec import to_plan
from gaoxin_cli.models.state import Event, Level
from gaoxin_cli.rules import problem_cards as pc
from gaoxin_cli.rules import problem_steps as ps
from gaoxin_cli.rules import problems as pr
from gaoxin_cli.store import Store
from gaoxin_cli.store import problems as stored

MINI = Path(__file__).parent / "data" / "mini"


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load(MINI)
    assert not loaded.errors
    return to_plan(loaded.config, loaded.tasks)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cal(plan: Plan) -> WorkCalendar:
    return calendar_for(plan.config)


ALLOWED = {
    ("reported", "accept"): "accepted",
    ("reported", "reject"): "rejected",
    ("accepted", "assign"): "assigned",
    ("assigned", "answer"): "answered",
    ("answered", "verify"): "closed",
    ("answered", "reopen"): "assigned",
}


def test_the_machine_is_exactly_the_table() -> None:
    assert dict(pr.TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("current", "action"), sorted(ALLOWED))
def test_every_allowed_transition(current: str, action: str) -> None:
    assert pr.transition(current, action) == ALLOWED[(current, action)]


ILLEGAL = sorted(
    (s, a) for s, a in itertools.product(pr.STATES, pr.ACTIONS) if (s, a) not in ALLOWED
)


@pytest.mark.parametrize(("current", "action"), ILLEGAL)
def test_every_illegal_transition_names_state_and_allowed_steps(current: str, action: str) -> None:
    with pytest.raises(GaoxinError) as info:
        pr.transition(current, action, number="问题〔2020〕1号")
    err = info.value
    assert err.hint is not None
    for lang in ("zh", "en"):
        assert t(f"pstate.{current}", lang) in err.message(lang)
        assert t(f"paction.{action}", lang) in err.message(lang)
        for a in pr.allowed(current):
            assert t(f"paction.{a}", lang) in err.hint.render(lang)


def test_illegal_problem_steps_read_well() -> None:
    with pytest.raises(GaoxinError) as info:
        pr.transition("accepted", "answer", number="问题〔2020〕1号")
    assert (
        info.value.message("zh")
        == "问题〔2020〕1号 当前为“已受理”，不能答复（gaoxin problem answer）"
    )
    assert info.value.hint is not None
    assert info.value.hint.render("zh") == "当前可以：交办（gaoxin problem assign --to 单位）"
    assert info.value.message("en") == (
        "问题〔2020〕1号 is accepted: cannot answer it (gaoxin problem answer)"
    )
    with pytest.raises(GaoxinError) as info:
        pr.transition("closed", "reopen", number="问题〔2020〕1号")
    assert info.value.hint is not None
    assert info.value.hint.render("en") == "closed is final: no step follows it"


def test_parse_number() -> None:
    for text in ("问题〔2020〕3号", "2020-3", "2020/3", "问题[2020]3号", " 2020 - 3 ", "3", "3号"):
        assert pr.parse_number(text, 2020) == (2020, 3), text
    assert pr.parse_number("2021-12", 2020) == (2021, 12)
    assert pr.parse_number("abc", 2020) is None
    assert pr.parse_number("20203", 2020) == (2020, 20203)  # a bare number: this year's


# --- walking a problem through every path ------------------------------------------------


class Walk:
    """One problem: report it, then take steps, replaying the recorded events each time."""

    def __init__(self, plan: Plan, day: date, seq: int = 1, task: str | None = "JC-01") -> None:
        self.plan = plan
        self.row = stored.ProblemRow(
            stored.number_for(day.year, seq),
            day.year,
            seq,
            day,
            "jianshe",
            task,
            "征地补偿款未到位",
        )
        self.events: list[Event] = [ps.report_event(self.row.number, day, "jianshe", task)]

    @property
    def status(self) -> pr.ProblemStatus:
        return pr.replay(self.row, self.events)

    def do(self, action: str, day: date, **kw: object) -> pr.ProblemStatus:
        self.events.append(ps.step(self.plan, self.status, action, day, **kw))  # type: ignore[arg-type]
        return self.status

    def card(self, day: date, cal: WorkCalendar) -> pc.ProblemCard | None:
        cfg = self.plan.config
        return pc.problem_card(
            self.status, day, cal, cfg.rules.problems, cfg.rules.cards, cfg.org.office
        )


def d(m: int, day: int) -> date:
    return date(2020, m, day)


def test_happy_path_with_a_reopen_over_the_may_day_holiday(plan: Plan, cal: WorkCalendar) -> None:
    """Reported Thursday 30 April 2020; 1–5 May is the May Day holiday and Saturday 9 May
    a 调休 working day."""
    rules = plan.config.rules.problems
    w = Walk(plan, d(4, 30))
    assert w.status.state == "reported"
    # accept within 1 WD: the next working day after the holiday.
    assert pr.stage_due(w.status, rules, cal) == d(5, 6)
    card = w.card(d(5, 1), cal)
    assert card is not None and (card.card.level, card.late_wd, card.unit) == (0, 0, "duchashi")
    card = w.card(d(5, 6), cal)
    assert card is not None and card.card.level == Level.BLUE  # due today
    assert card.card.reasons[0].render("zh") == "今天是受理时限"
    card = w.card(d(5, 7), cal)
    assert card is not None and (card.card.level, card.late_wd) == (Level.YELLOW, 1)
    assert card.card.reasons[0].render("zh") == "受理逾期 1 个工作日（时限 2020-05-06）"

    st = w.do("accept", d(5, 7))
    assert (st.state, pr.stage_due(st, rules, cal)) == ("accepted", d(5, 8))
    st = w.do("assign", d(5, 8), unit="caizheng")
    # answer within 2 WD: Saturday 9 May is a working day, Sunday is not.
    assert (st.state, st.unit, pr.stage_due(st, rules, cal)) == ("assigned", "caizheng", d(5, 11))
    assert pr.resolve_due(st, rules, cal) == d(5, 21)  # 10 WD
    card = w.card(d(5, 9), cal)
    assert card is not None and card.unit == "caizheng"  # the unit owes the answer

    st = w.do("answer", d(5, 11), note="已拨付一半")
    assert (st.state, st.answer, pr.stage_due(st, rules, cal)) == (
        "answered",
        "已拨付一半",
        d(5, 21),
    )
    card = w.card(d(5, 12), cal)
    assert card is not None and card.unit == "duchashi"  # the office verifies

    # Verified, but the reporter is not satisfied: 不满意的重办 → back to the unit.
    st = w.do("verify", d(5, 12), satisfied=False, reason="仍差一半")
    assert (st.state, st.satisfied, st.reopened, st.reason) == ("assigned", False, 1, "仍差一半")
    assert w.events[-1].data is not None and w.events[-1].data["action"] == "reopen"
    # A new round: the clocks restart from the reopening.
    assert pr.stage_due(st, rules, cal) == d(5, 14)
    assert pr.resolve_due(st, rules, cal) == d(5, 26)

    st = w.do("answer", d(5, 13), note="全部拨付")
    st = w.do("verify", d(5, 14), satisfied=True)
    assert (st.state, st.satisfied, st.ended, st.open) == ("closed", True, d(5, 14), False)
    assert w.card(d(5, 14), cal) is None
    assert [(e.data or {}).get("action") for e in w.events] == [
        "report",
        "accept",
        "assign",
        "answer",
        "reopen",
        "answer",
        "verify",
    ]
    assert [(e.data or {}).get("to") for e in w.events][-1] == "closed"


def test_reopen_when_the_answer_does_not_check_out(plan: Plan, cal: WorkCalendar) -> None:
    w = Walk(plan, d(4, 30))
    w.do("accept", d(4, 30))
    w.do("assign", d(4, 30), unit="jianshe")
    w.do("answer", d(5, 6), note="已处理")
    with pytest.raises(UsageError):  # --reopen needs a reason
        w.do("reopen", d(5, 7))
    st = w.do("reopen", d(5, 7), reason="现场核实未整改")
    assert (st.state, st.satisfied, st.reopened, st.round_start) == ("assigned", None, 1, d(5, 7))
    st = w.do("answer", d(5, 8), note="已整改")
    st = w.do("verify", d(5, 9), satisfied=True)
    assert st.state == "closed"


def test_reject_only_before_acceptance(plan: Plan, cal: WorkCalendar) -> None:
    w = Walk(plan, d(4, 30), task=None)
    with pytest.raises(UsageError):
        w.do("reject", d(4, 30))
    st = w.do("reject", d(4, 30), reason="不属于督办范围")
    assert (st.state, st.reason, st.ended, st.open) == (
        "rejected",
        "不属于督办范围",
        d(4, 30),
        False,
    )
    assert w.card(d(6, 1), cal) is None
    w2 = Walk(plan, d(4, 30))
    w2.do("accept", d(4, 30))
    with pytest.raises(GaoxinError) as info:
        w2.do("reject", d(5, 6), reason="late")
    assert info.value.msg.key == "error.problem_illegal"


def test_hard_problems_get_25_working_days(plan: Plan, cal: WorkCalendar) -> None:
    rules = plan.config.rules.problems
    w = Walk(plan, d(4, 28))
    w.do("accept", d(4, 28))
    st = w.do("assign", d(4, 29), unit="caizheng", hard=True)
    assert st.hard
    assert w.events[-1].data is not None and w.events[-1].data["hard"] is True
    # 25 WD from 29 April: 30 April, 6–9 May (9 May is 调休), 11–15, 18–22, 25–29, 1–5 June
    assert pr.resolve_due(st, rules, cal) == d(6, 5)
    st = w.do("answer", d(4, 30), note="方案已报")
    assert pr.stage_due(st, rules, cal) == d(6, 5)
    card = w.card(d(6, 5), cal)
    assert card is not None and card.card.level == Level.BLUE


def test_step_checks(plan: Plan) -> None:
    w = Walk(plan, d(4, 30))
    with pytest.raises(GaoxinError) as info:
        w.do("accept", d(4, 29))  # before the report
    assert info.value.msg.key == "error.problem_before_last"
    w.do("accept", d(5, 6))
    with pytest.raises(UsageError):
        w.do("assign", d(5, 6))  # --to missing
    with pytest.raises(GaoxinError) as info:
        w.do("assign", d(5, 6), unit="caizhen")
    assert info.value.hint is not None and "caizheng" in info.value.hint.render("en")
    with pytest.raises(GaoxinError) as info:
        w.do("assign", d(5, 5), unit="caizheng")  # before the acceptance
    assert info.value.msg.key == "error.problem_before_last"
    w.do("assign", d(5, 6), unit="caizheng")
    with pytest.raises(UsageError):
        w.do("answer", d(5, 7))  # no answer text
    with pytest.raises(GaoxinError) as info:
        w.do("answer", d(5, 7), note="x", unit="jianshe")  # not the assigned unit
    assert info.value.msg.key == "error.problem_wrong_unit"
    w.do("answer", d(5, 7), note="office answers for it", unit="duchashi")
    with pytest.raises(UsageError):
        w.do("verify", d(5, 7))  # no satisfaction answer
    with pytest.raises(GaoxinError):
        w.do("answer", d(5, 7), note="bad\x1b[31m")


def test_report_checks(plan: Plan) -> None:
    assert ps.check_report(plan, "jianshe", "JC-01", "  路灯不亮  ") == ("路灯不亮", "JC-01")
    with pytest.raises(GaoxinError):
        ps.check_report(plan, "nobody", None, "x")
    with pytest.raises(GaoxinError):
        ps.check_report(plan, "jianshe", "JC-9", "x")
    with pytest.raises(UsageError):
        ps.check_report(plan, "jianshe", None, "   ")
    with pytest.raises(UsageError):
        ps.check_report(plan, "jianshe", None, "长" * 2001)
    with pytest.raises(GaoxinError):
        ps.check_report(plan, "jianshe", None, "evil\x1b]8;;x\x07")


# --- cards and the ladder's subjects --------------------------------------------------------


def test_card_levels_follow_the_task_thresholds(plan: Plan, cal: WorkCalendar) -> None:
    """Yellow 1–5 WD late, red more than 5; accountability only once a filed 督办单's
    reply deadline has passed (never estimated: without one, red however long)."""
    w = Walk(plan, d(6, 1))  # accept due 2 June
    levels = {}
    for day in (d(6, 2), d(6, 3), d(6, 9), d(6, 10), d(6, 15), d(6, 16)):
        card = w.card(day, cal)
        assert card is not None
        levels[day.isoformat()] = (card.card.level, card.late_wd)
    assert levels == {
        "2020-06-02": (Level.BLUE, 0),
        "2020-06-03": (Level.YELLOW, 1),
        "2020-06-09": (Level.YELLOW, 5),
        "2020-06-10": (Level.RED, 6),
        "2020-06-15": (Level.RED, 9),
        "2020-06-16": (Level.RED, 10),  # no 督办单 filed: not 问责
    }
    # With the real 督办单's deadline, L4 follows it (none filed: never L4).
    cfg = plan.config
    found = pc.problem_cards(
        [w.status], d(6, 16), cal, cfg.rules.problems, cfg.rules.cards, "duchashi", {}
    )
    assert found[0].card.level == Level.RED
    found = pc.problem_cards(
        [w.status],
        d(6, 16),
        cal,
        cfg.rules.problems,
        cfg.rules.cards,
        "duchashi",
        {w.row.number: d(6, 12)},
    )
    assert found[0].card.level == Level.ACCOUNTABILITY


def test_problem_subjects_for_the_ladder(plan: Plan, cal: WorkCalendar) -> None:
    late = Walk(plan, d(4, 30), seq=1)
    late.do("accept", d(5, 6))
    late.do("assign", d(5, 6), unit="caizheng")  # answer due 8 May
    fresh = Walk(plan, d(5, 12), seq=2)  # accept due 13 May
    done = Walk(plan, d(4, 30), seq=3)
    done.do("reject", d(4, 30), reason="重复提报")
    today = d(5, 13)
    subjects = pc.problem_subjects([fresh.status, late.status, done.status], today, cal, plan)
    assert [(s.number, s.unit, s.card.level, s.due, s.title) for s in subjects] == [
        ("问题〔2020〕1号", "caizheng", Level.YELLOW, d(5, 8), "征地补偿款未到位"),
        ("问题〔2020〕2号", "duchashi", Level.BLUE, d(5, 13), "征地补偿款未到位"),
    ]
    number, unit, card, due, title = subjects[0]  # a plain 5-tuple for the ladder
    assert (number, unit, due, title) == subjects[0][:2] + subjects[0][3:]
    assert card.reasons[0].render("en") == "answer 4 WD late (due 2020-05-08)"  # 9 May is 调休
    assert pc.problem_subjects([fresh.status], d(5, 12), cal, plan) == []
    assert pc.title_of("一" * 50) == "一" * 39 + "…"


def test_lines_filter_and_age(plan: Plan, cal: WorkCalendar) -> None:
    a = Walk(plan, d(4, 30), seq=1)
    a.do("accept", d(5, 6))
    a.do("assign", d(5, 6), unit="caizheng")
    b = Walk(plan, d(5, 6), seq=2, task=None)
    b.do("reject", d(5, 7), reason="重复")
    statuses = [a.status, b.status]
    today = d(5, 13)

    def numbers(**kw: object) -> list[tuple[str, int]]:
        chosen = pc.ProblemFilter(**kw)  # type: ignore[arg-type]
        return [
            (ln.status.number[-3:], ln.age_wd)
            for ln in pc.problem_lines(statuses, today, cal, plan, chosen)
        ]

    assert numbers() == [("〕1号", 7)]  # 6–9 May (9 May is 调休) and 11–13 May
    assert numbers(everything=True) == [("〕1号", 7), ("〕2号", 1)]  # rejected: age to its end
    assert numbers(states=frozenset({"rejected"})) == [("〕2号", 1)]
    assert numbers(units=frozenset({"caizheng"})) == [("〕1号", 7)]
    assert numbers(units=frozenset({"jianshe"})) == []
    assert numbers(task="JC-01", everything=True) == [("〕1号", 7)]
    assert numbers(late=True) == [("〕1号", 7)]
    assert numbers(late=True, states=frozenset({"rejected"})) == []


# --- the store: numbering, rows and steps -----------------------------------------------


def test_numbers_count_per_year_and_never_repeat(tmp_path: Path) -> None:
    with Store.open(tmp_path / "gaoxin.db", write=True) as st:
        made = []
        for day in (d(4, 30), d(5, 6), date(2021, 1, 4), d(12, 31)):
            with st.transaction():
                seq = stored.next_seq(st, day.year)
                row = stored.ProblemRow(
                    stored.number_for(day.year, seq), day.year, seq, day, "jianshe", None, "x"
                )
                stored.insert(st, row, [ps.report_event(row.number, day, "jianshe", None)])
            made.append(row.number)
        assert made == ["问题〔2020〕1号", "问题〔2020〕2号", "问题〔2021〕1号", "问题〔2020〕3号"]
        assert stored.numbers(st) == [
            "问题〔2020〕1号",
            "问题〔2020〕2号",
            "问题〔2020〕3号",
            "问题〔2021〕1号",
        ]
        with pytest.raises(sqlite3.IntegrityError):  # UNIQUE (year, seq): never shared
            stored.insert(
                st,
                stored.ProblemRow("问题〔2020〕1号x", 2020, 1, d(5, 6), "jianshe", None, "dup"),
                [],
            )
        assert stored.numbers(st)[-1] == "问题〔2021〕1号"  # the failed insert left nothing
        got = stored.get(st, "问题〔2020〕2号")
        assert got is not None and (got.reported_on, got.reporter, got.text) == (
            d(5, 6),
            "jianshe",
            "x",
        )
        assert stored.get(st, "问题〔2020〕9号") is None
        everything = stored.all_problems(st, d(5, 6))
        assert [(p.number, [e.data["action"] for e in ev if e.data]) for p, ev in everything] == [
            ("问题〔2020〕1号", ["report"]),
            ("问题〔2020〕2号", ["report"]),
        ]
        assert len(stored.steps(st, "问题〔2020〕1号", until=d(4, 29))) == 0
        # Rows, like events, are never edited.
        with pytest.raises(sqlite3.IntegrityError):
            st.insert("UPDATE problems SET text = 'changed'")
