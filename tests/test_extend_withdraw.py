"""extend --withdraw / --replace and the --to horizon, through the real CLI.

A mistyped approval (``--to 9999-12-31``) stopped every working-day count; it is now
refused past the horizon (the end of the year ``calendar.horizon_years`` after today),
and an approved extension can be taken back or replaced by a new event. LT-01 is due
Tue 2020-06-16, LT-02 on 2020-06-30; the default horizon on 2020-06-12 is 2021-12-31.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.models import spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.models.state import Event
from gaoxin_cli.rules import extensions as rules
from gaoxin_cli.store import Store
from gaoxin_cli.store.extensions import effective_dues
from helpers import TWO_UNIT_CONFIG

CONFIG = TWO_UNIT_CONFIG

PLAN = """\
tasks:
  - id: LT-01
    title: 人才公寓建设
    lead: jianshe
    leader: L-wang
    measures: [完成主体]
    due: 2020-06-16
  - id: LT-02
    title: 口袋公园建设
    lead: jianshe
    measures: [完成设计]
    due: 2020-06-30
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "gaoxin.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "plans" / "t.yaml").write_text(PLAN, encoding="utf-8")
    with Store.open(root / "data" / "gaoxin.db", write=True) as st:
        st.add(
            [
                Event("LT-01", "feedback", date(2020, 6, 10), progress=60),
                Event("LT-02", "feedback", date(2020, 6, 10), progress=60),
            ]
        )
    return root


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-C", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def ok(ws: Path, *args: str) -> str:
    code, out, err = run(ws, *args)
    assert (code, err) == (0, ""), err
    return out


def approve(ws: Path, day: str, to: str, reason: str = "设计变更") -> None:
    args = ("--as-of", day, "extend", "LT-01", "--to", to, "--reason", reason)
    ok(ws, *args, "--approve", "--by", "L-wang")


def extension_rows(ws: Path) -> int:
    with sqlite3.connect(ws / "data" / "gaoxin.db") as db:
        (n,) = db.execute("SELECT count(*) FROM events WHERE kind = 'extension'").fetchone()
    return int(n)


def status_due(ws: Path, day: str, task: str = "LT-01") -> str:
    doc = json.loads(ok(ws, "--as-of", day, "status", "--json", "--limit", "0"))
    return str(next(t for t in doc["tasks"] if t["id"] == task)["due"])


def overdue_due(ws: Path, day: str, task: str = "LT-01") -> tuple[str, int] | None:
    """*task*'s due date and working days late in ``overdue --json``, if it is listed."""
    doc = json.loads(ok(ws, "--as-of", day, "overdue", "--json"))
    found = [(t["due"], t["overdue_workdays"]) for t in doc["tasks"] if t["id"] == task]
    return found[0] if found else None


# --- the horizon -----------------------------------------------------------------------------


def test_a_date_past_the_horizon_is_refused_and_nothing_is_written(ws: Path) -> None:
    args = ["--as-of", "2020-06-12", "extend", "LT-01", "--to", "9999-12-31", "--reason", "x"]
    for extra in ([], ["--approve", "--by", "L-wang"]):
        code, out, err = run(ws, *args, *extra)
        assert (code, out) == (1, "")
        assert err == (
            "错误：新时限 9999-12-31 太远：最晚可到 2021-12-31（今天 2020-06-12 之后 1 年的年底）\n"
            "提示：日期有误请更正；确需更远的时限，请在 gaoxin.yaml 中调大 "
            "calendar.horizon_years（现为 1）\n"
        )
    code, out, err = run(ws, "--lang", "en", *args)
    assert (code, out) == (1, "")
    assert err == (
        "Error: the new date 9999-12-31 is too far ahead: the latest allowed is 2021-12-31 "
        "(the end of the year 1 year(s) after today, 2020-06-12)\n"
        "Hint: correct the date if it is a typo; to allow later dates, raise "
        "calendar.horizon_years in gaoxin.yaml (now 1)\n"
    )
    assert extension_rows(ws) == 0
    assert run(ws, "--as-of", "2020-06-12", "status")[0] == 0
    # the last day of the horizon itself is fine
    approve(ws, "2020-06-12", "2021-12-31")
    assert status_due(ws, "2020-06-12") == "2021-12-31"


def test_the_horizon_follows_the_config_and_today(ws: Path) -> None:
    cfg = ws / "gaoxin.yaml"
    cfg.write_text(CONFIG + "calendar: {horizon_years: 0}\n", encoding="utf-8")
    args = ["extend", "LT-02", "--to", "2021-01-04", "--reason", "x"]
    code, _, err = run(ws, "--as-of", "2020-06-12", *args)
    assert code == 1 and "最晚可到 2020-12-31" in err and "（现为 0）" in err
    # "today" is GAOXIN_TODAY (or --as-of), never the clock
    late = [*args, "--approve", "--by", "L-wang", "--late"]
    for today, want in (("2020-06-12", 1), ("2021-01-02", 0)):
        result = CliRunner().invoke(app, ["-C", str(ws), *late], env={"GAOXIN_TODAY": today})
        assert result.exit_code == want, (today, result.stderr)
    cfg.write_text(CONFIG + "calendar: {horizon_years: 2}\n", encoding="utf-8")
    ok(ws, "--as-of", "2020-06-12", "extend", "LT-01", "--to", "2022-12-31", "--reason", "x")


def test_a_pending_request_past_the_horizon_cannot_be_approved(ws: Path) -> None:
    # written before the horizon existed
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        data = {"action": "request", "to": "9999-12-31", "by": None, "late": False}
        st.add([Event("LT-01", "extension", date(2020, 6, 12), reason="x", data=data)])
    code, _, err = run(
        ws, "--as-of", "2020-06-15", "extend", "LT-01", "--approve", "--by", "L-wang"
    )
    assert code == 1 and err.startswith("错误：新时限 9999-12-31 太远")
    assert extension_rows(ws) == 1


def test_a_date_not_after_the_due_date_is_refused(ws: Path) -> None:
    code, out, err = run(
        ws, "--as-of", "2020-06-12", "extend", "LT-01", "--to", "2020-06-16", "--reason", "x"
    )
    assert (code, out, err) == (1, "", "错误：新时限 2020-06-16 应晚于现行时限 2020-06-16\n")
    assert extension_rows(ws) == 0


# --- withdraw --------------------------------------------------------------------------------


def test_withdraw_falls_back_to_the_previous_approval_then_the_plan(ws: Path) -> None:
    approve(ws, "2020-06-12", "2020-07-31")
    approve(ws, "2020-07-20", "2020-08-31", "二次延期")
    assert status_due(ws, "2020-08-03") == "2020-08-31"
    out = ok(
        ws, "--as-of", "2020-08-03", "extend", "LT-01",
        "--withdraw", "--by", "L-wang", "--reason", "二次延期理由不成立",
    )  # fmt: skip
    assert out == "已撤回 LT-01 延期至 2020-08-31 的批准（王主任）；现行时限恢复为 2020-07-31\n"
    assert status_due(ws, "2020-08-03") == "2020-07-31"
    assert overdue_due(ws, "2020-08-03") == ("2020-07-31", 1)
    code, out, err = run(
        ws, "--lang", "en", "--as-of", "2020-08-04", "extend", "LT-01",
        "--withdraw", "--by", "L-wang", "--reason", "录入错误",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "approved extension of LT-01 to 2020-07-31 withdrawn (王主任); the due date is "
        "2020-06-16 again\n"
    )
    assert status_due(ws, "2020-08-04") == "2020-06-16"
    doc = json.loads(ok(ws, "--as-of", "2020-08-04", "extend", "LT-01", "--json"))
    assert (doc["planned_due"], doc["due"]) == ("2020-06-16", "2020-06-16")
    assert [(e["action"], e["to"], e["reason"]) for e in doc["events"][-2:]] == [
        ("withdraw", "2020-08-31", "二次延期理由不成立"),
        ("withdraw", "2020-07-31", "录入错误"),
    ]


def test_a_withdrawal_counts_from_its_day(ws: Path) -> None:
    approve(ws, "2020-06-12", "2020-07-31")
    ok(
        ws,
        "--as-of",
        "2020-06-22",
        "extend",
        "LT-01",
        "--withdraw",
        "--by",
        "L-wang",
        "--reason",
        "撤回",
    )
    assert status_due(ws, "2020-06-19") == "2020-07-31"
    assert overdue_due(ws, "2020-06-19") in (None, ("2020-07-31", 0))
    assert status_due(ws, "2020-06-22") == "2020-06-16"
    assert overdue_due(ws, "2020-06-22") == ("2020-06-16", 4)
    shown = ok(ws, "--as-of", "2020-06-19", "extend", "LT-01")
    assert "现行时限 2020-07-31" in shown and "撤回" not in shown


def test_a_far_future_extension_already_stored_can_be_withdrawn(ws: Path) -> None:
    # a workspace from before the horizon: an approval into 9999, written directly
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        data = {"action": "approve", "to": "9999-12-31", "by": "L-wang", "late": False}
        st.add([Event("LT-01", "extension", date(2020, 6, 12), reason="typo", data=data)])
    # The workspace no longer stops (the far years are estimated, and said to be)...
    code, out, _ = run(ws, "--as-of", "2020-06-22", "status")
    assert code == 0 and "2027–9999" in out
    # ...but the typo must still be undone.
    out = ok(
        ws, "--as-of", "2020-06-22", "extend", "LT-01",
        "--withdraw", "--by", "L-wang", "--reason", "日期录入错误",
    )  # fmt: skip
    assert out.startswith("已撤回 LT-01 延期至 9999-12-31 的批准")
    assert status_due(ws, "2020-06-22") == "2020-06-16"
    for command in ("overdue", "sweep", "countdown"):
        assert run(ws, "--as-of", "2020-06-22", command)[0] == 0, command


def test_a_far_future_extension_can_be_replaced(ws: Path) -> None:
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        data = {"action": "approve", "to": "9999-12-31", "by": "L-wang", "late": False}
        st.add([Event("LT-01", "extension", date(2020, 6, 12), reason="typo", data=data)])
    out = ok(
        ws, "--as-of", "2020-06-22", "extend", "LT-01", "--replace", "--to", "2020-07-31",
        "--by", "L-wang", "--reason", "应为 7 月底",
    )  # fmt: skip
    assert out == (
        "已将 LT-01 的延期由 9999-12-31 改为 2020-07-31（王主任）；原定时限 2020-06-16 仍用于考核\n"
    )
    assert status_due(ws, "2020-06-22") == "2020-07-31"
    assert overdue_due(ws, "2020-06-22") in (None, ("2020-07-31", 0))


def test_nothing_to_withdraw_is_a_clear_error(ws: Path) -> None:
    args = ["extend", "LT-01", "--withdraw", "--by", "L-wang", "--reason", "x"]
    code, out, err = run(ws, "--as-of", "2020-06-12", *args)
    assert (code, out) == (1, "")
    assert err == "错误：任务 LT-01 没有已批准的延期可撤回或替换（现行时限即原定时限 2020-06-16）\n"
    code, _, err = run(ws, "--lang", "en", "--as-of", "2020-06-12", *args)
    assert (code, err) == (
        1,
        "Error: task LT-01 has no approved extension to withdraw or replace (its due date is "
        "the planned 2020-06-16)\n",
    )
    # a request that was never approved is not withdrawn either
    ok(ws, "--as-of", "2020-06-12", "extend", "LT-01", "--to", "2020-07-31", "--reason", "x")
    ok(
        ws,
        "--as-of",
        "2020-06-12",
        "extend",
        "LT-01",
        "--reject",
        "--by",
        "L-wang",
        "--reason",
        "不同意",
    )
    assert run(ws, "--as-of", "2020-06-13", *args)[0] == 1
    approve(ws, "2020-06-15", "2020-07-31")
    assert run(ws, "--as-of", "2020-06-16", *args)[0] == 0
    assert run(ws, "--as-of", "2020-06-16", *args)[0] == 1  # already withdrawn
    assert extension_rows(ws) == 5


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (
            ["--by", "L-wang"],
            2,
            "错误：--withdraw 须用 --reason 说明为什么收回已批准的延期（记入历史）\n",
        ),
        (["--reason", "x"], 2, "错误：批准、驳回、撤回或替换延期须写明领导：--by 领导编号\n"),
        (
            ["--by", "L-wang", "--reason", "x", "--to", "2020-07-15"],
            2,
            "错误：--withdraw 和 --to 不能同时使用\n"
            "提示：如要改为另一个日期：gaoxin extend 任务 --replace --to 日期 --reason 理由 --by 领导\n",
        ),
        (
            ["--by", "L-wang", "--reason", "x", "--replace"],
            2,
            "错误：--withdraw 和 --replace 不能同时使用\n",
        ),
        (
            ["--by", "L-wang", "--reason", "x", "--approve"],
            2,
            "错误：--withdraw 和 --approve 不能同时使用\n",
        ),
        (["--by", "L-wong", "--reason", "x"], 1, '错误：没有编号或姓名为 "L-wong" 的领导\n'),
    ],
)
def test_withdraw_usage(ws: Path, extra: list[str], code: int, message: str) -> None:
    approve(ws, "2020-06-12", "2020-07-31")
    got = run(ws, "--as-of", "2020-06-15", "extend", "LT-01", "--withdraw", *extra)
    assert got[:2] == (code, "")
    assert got[2].splitlines()[0] == message.splitlines()[0]
    if "提示" in message:
        assert got[2] == message
    assert extension_rows(ws) == 2


def test_a_pending_request_is_decided_before_a_withdrawal(ws: Path) -> None:
    approve(ws, "2020-06-12", "2020-07-31")
    ok(ws, "--as-of", "2020-06-15", "extend", "LT-01", "--to", "2020-08-31", "--reason", "再延")
    args = ["extend", "LT-01", "--withdraw", "--by", "L-wang", "--reason", "x"]
    code, _, err = run(ws, "--as-of", "2020-06-16", *args)
    assert (code, err) == (
        1,
        "错误：任务 LT-01 已于 2020-06-15 申请延期至 2020-08-31，请先批准或驳回\n",
    )
    ok(
        ws,
        "--as-of",
        "2020-06-16",
        "extend",
        "LT-01",
        "--reject",
        "--by",
        "L-wang",
        "--reason",
        "不同意",
    )
    ok(ws, "--as-of", "2020-06-16", *args)


# --- replace ---------------------------------------------------------------------------------


def test_replace_changes_the_date_and_keeps_both_in_the_history(ws: Path) -> None:
    approve(ws, "2020-06-12", "2020-08-31")
    out = ok(
        ws, "--as-of", "2020-06-15", "extend", "LT-01", "--replace", "--to", "2020-07-15",
        "--by", "L-wang", "--reason", "领导要求提前",
    )  # fmt: skip
    assert out == (
        "已将 LT-01 的延期由 2020-08-31 改为 2020-07-15（王主任）；原定时限 2020-06-16 仍用于考核\n"
    )
    assert status_due(ws, "2020-06-15") == "2020-07-15"
    assert overdue_due(ws, "2020-07-16") == ("2020-07-15", 1)
    assert status_due(ws, "2020-06-14") == "2020-08-31"
    # a replacement is withdrawn like any approval: back to the plan, not to 08-31
    ok(
        ws,
        "--as-of",
        "2020-06-17",
        "extend",
        "LT-01",
        "--withdraw",
        "--by",
        "L-wang",
        "--reason",
        "不再延期",
    )
    assert status_due(ws, "2020-06-17") == "2020-06-16"

    assert ok(ws, "--as-of", "2020-06-17", "extend", "LT-01") == (
        "LT-01 人才公寓建设：原定时限 2020-06-16，现行时限 2020-06-16\n"
        "  2020-06-12 申请延期至 2020-08-31：设计变更\n"
        "  2020-06-12 王主任 批准延期至 2020-08-31\n"
        "  2020-06-15 王主任 撤回延期至 2020-08-31 的批准：领导要求提前\n"
        "  2020-06-15 王主任 批准延期至 2020-07-15（替换 2020-08-31）\n"
        "  2020-06-17 王主任 撤回延期至 2020-07-15 的批准：不再延期\n"
    )
    history = ok(ws, "--as-of", "2020-06-17", "history", "LT-01")
    assert "王主任 撤回延期至 2020-08-31 的批准：领导要求提前" in history
    assert "王主任 批准延期至 2020-07-15" in history
    assert "王主任 撤回延期至 2020-07-15 的批准：不再延期" in history
    history = ok(ws, "--lang", "en", "--as-of", "2020-06-17", "history", "LT-01")
    assert "王主任 withdrew the extension to 2020-08-31: 领导要求提前" in history
    doc = json.loads(ok(ws, "--as-of", "2020-06-17", "extend", "LT-01", "--json"))
    replaced = [e for e in doc["events"] if e["replaces"]]
    assert [(e["action"], e["to"], e["replaces"], e["reason"]) for e in replaced] == [
        ("approve", "2020-07-15", "2020-08-31", "领导要求提前")
    ]


def test_replace_checks_the_new_date(ws: Path) -> None:
    approve(ws, "2020-06-12", "2020-07-31")
    base = [
        "--as-of",
        "2020-06-15",
        "extend",
        "LT-01",
        "--replace",
        "--by",
        "L-wang",
        "--reason",
        "x",
    ]
    assert run(ws, *base)[:2] == (2, "")  # no --to
    code, _, err = run(ws, *base, "--to", "9999-12-31")
    assert code == 1 and err.startswith("错误：新时限 9999-12-31 太远")
    code, _, err = run(ws, *base, "--to", "2020-06-16")  # not after the plan's date
    assert (code, err) == (1, "错误：新时限 2020-06-16 应晚于现行时限 2020-06-16\n")
    code, _, err = run(ws, *base, "--to", "2020-07-31")
    assert (code, err) == (1, "错误：任务 LT-01 的延期已是 2020-07-31，无需替换\n")
    assert run(ws, *base, "--to", "2020-07-10", "--reject")[0] == 2
    assert extension_rows(ws) == 2
    # --approve may come along: a replacement is an approval
    ok(ws, *base, "--to", "2020-07-10", "--approve")
    assert status_due(ws, "2020-06-15") == "2020-07-10"


def test_replace_with_nothing_approved_points_to_approve(ws: Path) -> None:
    code, _, err = run(
        ws, "--as-of", "2020-06-12", "extend", "LT-01", "--replace", "--to", "2020-07-31",
        "--by", "L-wang", "--reason", "x",
    )  # fmt: skip
    assert code == 1
    assert err.endswith(
        "提示：如要批准新的延期：gaoxin extend 任务 --to 日期 --reason 理由 --approve --by 领导\n"
    )


# --- the fold ----------------------------------------------------------------------------------


def test_the_store_and_the_rules_fold_extensions_alike(ws: Path) -> None:
    def ext(day: int, action: str, to: str | None) -> Event:
        data = {"action": action, "to": to, "by": "L-wang", "late": False}
        return Event("LT-02", "extension", date(2020, 6, day), reason="r", data=data)

    steps = [
        ext(1, "approve", "2020-07-31"),
        ext(2, "approve", "2020-08-31"),
        ext(3, "approve", "2020-09-30"),
        ext(4, "withdraw", "2020-09-30"),
        ext(5, "withdraw", "2020-08-31"),
        ext(6, "approve", "2020-10-30"),
        ext(7, "withdraw", "2020-10-30"),
        ext(8, "withdraw", "2020-07-31"),
        ext(9, "withdraw", None),  # nothing standing: no effect
        ext(10, "approve", "2020-11-30"),
    ]
    expected = [
        "2020-07-31", "2020-08-31", "2020-09-30", "2020-08-31", "2020-07-31",
        "2020-10-30", "2020-07-31", None, None, "2020-11-30",
    ]  # fmt: skip
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add(steps)
        doc = {
            "id": "LT-02",
            "title": "t",
            "lead": "jianshe",
            "measures": ["m"],
            "due": "2020-06-30",
        }
        task = to_record(spec.TaskSpec.model_validate(doc))
        for day, want in enumerate(expected, start=1):
            as_of = date(2020, 6, day)
            store_due = effective_dues(st, as_of).get("LT-02")
            rules_due = rules.summarize(task, [e for e in steps if e.at <= as_of]).due
            assert (store_due.isoformat() if store_due else None) == want, day
            assert rules_due.isoformat() == (want or "2020-06-30"), day
