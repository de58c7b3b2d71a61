"""overdue / notice show / notice list / listed / extend through the real CLI.

Notices are filed by ``notify --outbox`` (no SMTP needed here; tests/test_notify_smtp.py
runs the real server). Whole outputs are compared with golden files
(``GAOXIN_UPDATE_GOLDEN=1`` rewrites them). Dates as in test_notify_smtp.py: LT-01 due
Tue 6/16, LT-02 listed and due 6/30, LT-03 on plan; 6/25–6/27 the Dragon Boat holiday.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store
from helpers import golden, run

CONFIG = """\
org: {name: 测试区管委会, short: 测试区, office: duchashi}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {name: 张主任, email: head@duchashi.example.org}
    contact: {name: 李联络, email: contact@duchashi.example.org}
  jianshe:
    name: 建设局
    head: {name: 王局长, email: head@jianshe.example.org}
    contact: {name: 赵联络, email: contact@jianshe.example.org}
  caizheng:
    name: 财政局
    head: {name: 孙局长}
    contact: {name: 周联络, email: contact@caizheng.example.org}
leaders:
  L-wang: {name: 王主任, title: 管委会主任, email: wang@gaoxin.example.org}
  L-li: {name: 李副主任, title: 管委会副主任}
"""

PLAN = """\
tasks:
  - id: LT-01
    title: 人才公寓建设
    lead: jianshe
    support: [caizheng]
    leader: L-wang
    measures: [完成主体, 竣工验收]
    due: 2020-06-16
  - id: LT-02
    title: 财政专项资金拨付
    lead: caizheng
    measures: [拨付资金]
    due: 2020-06-30
    listed: {since: 2020-03-02, by: L-li}
  - id: LT-03
    title: 口袋公园建设
    lead: jianshe
    measures: [完成设计]
    due: 2020-09-30
  - id: LT-04
    title: 智能制造产业园三期招商签约及配套基础设施建设
    lead: jianshe
    leader: L-wang
    measures: [完成招商签约]
    due: 2020-06-24
    urgency: urgent
    listed: {since: 2020-04-01, by: L-wang}
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "gaoxin.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "plans" / "esc.yaml").write_text(PLAN, encoding="utf-8")
    day = date(2020, 6, 10)
    with Store.open(root / "data" / "gaoxin.db", write=True) as st:
        st.add(
            [
                Event("LT-01", "feedback", day, progress=95),
                Event("LT-02", "feedback", day, progress=95),
                Event("LT-03", "feedback", day, progress=70),
                Event("LT-04", "feedback", day, progress=95),
            ]
        )
    return root


@pytest.fixture
def notified(ws: Path, tmp_path: Path) -> Path:
    """notify --outbox on 6/23 and 6/24."""
    for day in ("2020-06-23", "2020-06-24"):
        code, _, err = run(ws, "--as-of", day, "notify", "--outbox", str(tmp_path / "box"))
        assert code == 0, err
    return ws


# --- overdue -------------------------------------------------------------------------------


def test_overdue_whole_output(notified: Path) -> None:
    code, out, err = run(notified, "--as-of", "2020-06-24", "overdue")
    assert (code, err) == (0, "")
    golden("overdue-80.txt", out)
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run(notified, "--lang", "en", "--as-of", "2020-06-30", "overdue")
    golden("overdue-en-80.txt", out)


def test_overdue_json(notified: Path) -> None:
    code, out, _ = run(notified, "--as-of", "2020-06-24", "overdue", "--json")
    doc = json.loads(out)
    assert code == 0 and sorted(doc) == [
        "as_of",
        "calendar_estimated",
        "problems",
        "tasks",
        "unsigned",
    ]
    assert doc["problems"] == []  # no problem reported here
    # nothing was acknowledged (签收): every notice waits, none past its reply deadline yet
    assert [(u["number"], u["waiting_wd"], u["late"]) for u in doc["unsigned"]][:2] == [
        ("交办〔2020〕1号", 1, False),
        ("催办〔2020〕1号", 1, False),
    ]
    assert len(doc["unsigned"]) == 8
    rows = {r["id"]: r for r in doc["tasks"]}
    assert [r["id"] for r in doc["tasks"]] == ["LT-01", "LT-04", "LT-02"]
    lt1 = rows["LT-01"]
    assert sorted(lt1) == [
        "assigned",
        "card",
        "due",
        "id",
        "lead",
        "leader",
        "level",
        "listed",
        "next_kind",
        "next_on",
        "next_rung",
        "overdue_workdays",
        "planned_due",
        "progress",
        "reasons",
        "rung",
        "rung_kind",
        "rung_number",
        "title",
        "urgency",
        "workdays_left",
    ]
    assert (lt1["card"], lt1["overdue_workdays"], lt1["rung_kind"], lt1["rung_number"]) == (
        "red",
        6,
        "supervise",
        "督办〔2020〕1号",
    )
    # the 督办单's reply is due 6/30 (6/28 is a working Sunday): 通报 on 7/1
    assert (lt1["next_kind"], lt1["next_on"]) == ("report", "2020-07-01")
    lt2 = rows["LT-02"]  # listed: blue, but already at 催办; red 6 WD after 6/30
    assert (lt2["card"], lt2["rung_kind"], lt2["next_kind"], lt2["next_on"]) == (
        "blue",
        "urge",
        "supervise",
        "2020-07-08",
    )


def test_overdue_filters(notified: Path) -> None:
    def ids(*args: str) -> list[str]:
        code, out, err = run(notified, "--as-of", "2020-06-24", "overdue", "--json", *args)
        assert code == 0, err
        return [r["id"] for r in json.loads(out)["tasks"]]

    assert ids("--unit", "caizheng") == ["LT-02"]
    assert ids("--card", "红牌") == ["LT-01"]
    assert ids("--listed") == ["LT-04", "LT-02"]
    assert ids("--leader", "L-wang") == ["LT-01", "LT-04"]
    assert run(notified, "overdue", "--card", "purple")[0] == 2
    code, _, err = run(notified, "overdue", "--unit", "jiansh")
    assert code == 1 and "jianshe" in err


def test_overdue_heads_its_days_column_by_what_it_holds(ws: Path) -> None:
    # Issue 12 item 6: a task carded for lagging before its due date shows the working
    # days left; the column holding them must not be headed "逾期" (late) alone.
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-03", "feedback", date(2020, 6, 11), progress=5)])
    for lang, head, late, left in (
        ("zh", "逾期/剩余", "逾期6", "还剩70"),
        ("en", "late/left", "6 late", "70 left"),
    ):
        code, out, _ = run(ws, "--lang", lang, "--as-of", "2020-06-24", "overdue")
        assert code == 0
        header = next(line for line in out.splitlines() if head in line)
        assert header.split()[5] == head, out
        row = {line.split()[1]: line for line in out.splitlines() if "LT-0" in line}
        assert left in row["LT-03"] and late in row["LT-01"], out


def test_overdue_with_nothing_late(ws: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-10", "overdue")
    assert (code, out) == (0, "逾期和预警任务（截至 2020-06-10，周三）\n没有逾期或预警的任务\n")


# --- notices -------------------------------------------------------------------------------


def test_notice_show_as_the_formal_sheet(notified: Path) -> None:
    code, out, err = run(notified, "--as-of", "2020-06-24", "notice", "show", "督办〔2020〕1号")
    assert (code, err) == (0, "")
    golden("notice-supervise.txt", out)
    same = run(notified, "--as-of", "2020-06-24", "notice", "show", "supervise-2020-1")[1]
    assert same == out
    assert run(notified, "--as-of", "2020-06-24", "notice", "show", "督办[2020]1")[1] == out
    code, out, _ = run(
        notified, "--as-of", "2020-06-24", "notice", "show", "交办〔2020〕2号", "--json"
    )
    doc = json.loads(out)
    assert (doc["kind"], doc["task"], doc["issued_on"], doc["response_due"]) == (
        "assign",
        "LT-04",
        "2020-06-23",
        "2020-06-29",
    )
    assert doc["deliveries"][0]["message_id"].startswith("outbox:2020-06-23-")


def test_notice_show_errors(notified: Path) -> None:
    code, _, err = run(notified, "--as-of", "2020-06-24", "notice", "show", "督办2020")
    assert code == 2 and "督办〔2020〕12号" in err
    code, _, err = run(notified, "--as-of", "2020-06-24", "notice", "show", "通报〔2020〕1号")
    assert (code, err) == (1, "错误：没有编号为 通报〔2020〕1号 的通知\n")
    # a notice filed later than --as-of does not exist yet
    code, _, _ = run(notified, "--as-of", "2020-06-22", "notice", "show", "督办〔2020〕1号")
    assert code == 1


def test_notice_list(notified: Path) -> None:
    code, out, err = run(notified, "--as-of", "2020-06-24", "notice", "list")
    assert (code, err) == (0, "")
    golden("notice-list-80.txt", out)

    def numbers(*args: str) -> list[str]:
        code, out, err = run(notified, "--as-of", "2020-06-24", "notice", "list", "--json", *args)
        assert code == 0, err
        return [n["number"] for n in json.loads(out)["notices"]]

    assert numbers("--kind", "督办") == ["督办〔2020〕1号"]
    assert numbers("--kind", "urge", "--unit", "caizheng") == ["催办〔2020〕3号"]
    assert numbers("--task", "LT-03") == ["交办〔2020〕4号"]
    assert numbers("--period", "2020-06-24") == ["督办〔2020〕1号", "催办〔2020〕3号"]
    assert len(numbers("--period", "2020-06")) == 8
    assert numbers("--period", "2020-05") == []
    assert run(notified, "notice", "list", "--kind", "memo")[0] == 2
    # the one --period grammar: quarters and ranges of any of its forms too
    assert len(numbers("--period", "2020Q2")) == 8
    assert numbers("--period", "2020-06-24..2020-06") == ["督办〔2020〕1号", "催办〔2020〕3号"]
    code, _, err = run(notified, "--lang", "en", "notice", "list", "--period", "June")
    assert code == 2
    assert 'Error: "June" is not a period: write 2020 (year), 2020Q2 (quarter)' in err
    assert run(notified, "notice")[0] == 2  # no sub-command: help, usage exit


# --- listed --------------------------------------------------------------------------------


def test_listed_and_delisted(notified: Path) -> None:
    with Store.open(notified / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-02", "feedback", date(2020, 6, 29), progress=100, note="资金全部拨付")])
    code, out, err = run(notified, "--as-of", "2020-06-30", "listed")
    assert (code, err) == (0, "")
    golden("listed-80.txt", out)
    code, out, _ = run(notified, "--as-of", "2020-06-30", "listed", "--json")
    rows = {r["id"]: r for r in json.loads(out)["tasks"]}
    assert rows["LT-02"]["status"] == "delisted"
    assert (rows["LT-02"]["delisted_on"], rows["LT-02"]["days_listed"]) == ("2020-06-29", 119)
    assert (rows["LT-04"]["status"], rows["LT-04"]["supervisor_name"]) == ("listed", "王主任")
    code, out, _ = run(notified, "--as-of", "2020-06-30", "listed", "--by", "L-li", "--json")
    assert [r["id"] for r in json.loads(out)["tasks"]] == ["LT-02"]
    assert run(notified, "listed", "--by", "L-nobody")[0] == 1


# --- extend --------------------------------------------------------------------------------


def test_extension_moves_the_cards_not_the_plan(ws: Path) -> None:
    code, out, err = run(
        ws, "--as-of", "2020-06-12", "extend", "LT-01", "--to", "2020-07-31", "--reason", "设计变更"
    )
    assert (code, err) == (0, "")
    assert out.startswith("已提交 LT-01 的延期申请：完成时限 2020-06-16 → 2020-07-31，待领导批准")
    # not yet approved: the plan's date still counts
    code, out, _ = run(ws, "--as-of", "2020-06-24", "overdue", "--json")
    assert "LT-01" in [r["id"] for r in json.loads(out)["tasks"]]
    code, out, err = run(
        ws, "--as-of", "2020-06-17", "extend", "LT-01", "--approve", "--by", "L-wang"
    )
    assert (code, out, err) == (
        0,
        "已批准 LT-01 延期至 2020-07-31（王主任）；原定时限 2020-06-16 仍用于考核\n",
        "",
    )
    code, out, _ = run(ws, "--as-of", "2020-06-24", "overdue", "--json")
    assert "LT-01" not in [r["id"] for r in json.loads(out)["tasks"]]
    code, out, _ = run(ws, "--as-of", "2020-07-28", "overdue", "--json")
    lt1 = next(r for r in json.loads(out)["tasks"] if r["id"] == "LT-01")
    assert (lt1["due"], lt1["planned_due"], lt1["card"]) == ("2020-07-31", "2020-06-16", "blue")
    code, out, _ = run(ws, "--as-of", "2020-06-30", "extend", "LT-01")
    assert out == (
        "LT-01 人才公寓建设：原定时限 2020-06-16，现行时限 2020-07-31\n"
        "  2020-06-12 申请延期至 2020-07-31：设计变更\n"
        "  2020-06-17 王主任 批准延期至 2020-07-31\n"
    )
    code, out, _ = run(ws, "--as-of", "2020-06-30", "extend", "LT-01", "--json")
    doc = json.loads(out)
    assert (doc["planned_due"], doc["due"], doc["pending"]) == ("2020-06-16", "2020-07-31", None)


def test_a_late_extension_needs_a_leader(ws: Path) -> None:
    code, out, err = run(
        ws, "--as-of", "2020-06-17", "extend", "LT-01", "--to", "2020-07-31", "--reason", "晚了"
    )
    assert (code, out) == (1, "")
    assert err == (
        "错误：任务 LT-01 已于 2020-06-16 到期（今天 2020-06-17）：延期须在到期前申请\n"
        "提示：如领导同意逾期延期：gaoxin extend 任务 --to 日期 --reason 理由 --approve --by 领导 --late\n"
    )
    args = ["--as-of", "2020-06-17", "extend", "LT-01", "--to", "2020-07-31", "--reason", "晚了"]
    assert run(ws, *args, "--approve", "--by", "L-wang")[0] == 1
    assert run(ws, *args, "--late")[0] == 2
    code, out, _ = run(ws, *args, "--approve", "--by", "L-wang", "--late")
    assert code == 0 and out.startswith("已批准 LT-01 延期至 2020-07-31")
    code, out, _ = run(ws, "--as-of", "2020-06-18", "extend", "LT-01")
    assert "逾期后申请延期至 2020-07-31：晚了" in out
    assert run(ws, "--as-of", "2020-06-18", "extend", "LT-99")[0] == 1
    assert run(ws, "--as-of", "2020-06-18", "extend", "LT-01", "--to", "2020-13-01")[0] == 2


# --- catalogue and help --------------------------------------------------------------------


def test_help_names_exit_codes_and_sub_commands() -> None:
    # help texts follow the language of the process (pytest's argv: Chinese)
    result = CliRunner().invoke(app, ["notify", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "退出码" in result.stdout or "Exit codes" in result.stdout
    result = CliRunner().invoke(app, ["notice", "--help"])
    assert result.exit_code == 0
    assert "show" in result.stdout and "list" in result.stdout


def test_a_cancelled_task_leaves_the_ladder(ws: Path, tmp_path: Path) -> None:
    code, _, err = run(
        ws, "--as-of", "2020-06-23", "cancel", "LT-01", "--by", "L-wang", "--reason", "并入其他项目"
    )
    assert code == 0, err
    code, out, _ = run(ws, "--as-of", "2020-06-24", "notify", "--outbox", str(tmp_path / "box"))
    assert code == 0
    code, out, _ = run(ws, "--as-of", "2020-06-24", "notice", "list", "--json")
    assert "LT-01" not in {n["task"] for n in json.loads(out)["notices"]}
    code, out, _ = run(ws, "--as-of", "2020-06-24", "overdue", "--json")
    assert "LT-01" not in [r["id"] for r in json.loads(out)["tasks"]]


def test_history_words_for_extension_events() -> None:
    from gaoxin_cli.render.notices import describe_extension

    def e(action: str, **data: object) -> Event:
        doc = {"action": action, "to": "2020-07-31", "by": "L-wang", "late": False, **data}
        return Event("LT-01", "extension", date(2020, 6, 12), reason="设计变更", data=doc)

    assert describe_extension(e("request", by=None), "zh") == "申请延期至 2020-07-31：设计变更"
    assert describe_extension(e("request", late=True), "zh").startswith("逾期后申请")
    assert describe_extension(e("approve"), "en") == "L-wang approved 2020-07-31"
    assert describe_extension(e("reject"), "zh") == "L-wang 驳回：设计变更"


def test_notify_and_json_results_are_let_go_with_the_process(ws: Path, tmp_path: Path) -> None:
    """The day's notices and mails, and a --json document, are kept to the end of the
    run: the process ends with os._exit, so they are never freed one object at a time
    (a city's first notify spent ~0.17 s freeing its report on return)."""
    from gaoxin_cli.cli import context
    from gaoxin_cli.service.notify import NotifyReport

    code, _, err = run(ws, "--as-of", "2020-06-24", "notify", "--outbox", str(tmp_path / "box"))
    assert code == 0, err
    (report,) = [r for r in context._KEPT if isinstance(r, NotifyReport)]
    assert report.filed and report.mails  # the very report, with what it holds
    code, _, err = run(ws, "--as-of", "2020-06-24", "overdue", "--json")
    assert code == 0, err
    assert any(isinstance(r, dict) and r.get("tasks") for r in context._KEPT)
