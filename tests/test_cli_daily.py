"""feedback / history / import / sweep / status / countdown through the real CLI."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from helpers import REPO, golden, run

HISTORY = """date,task,kind,progress,milestone,note
2020-03-13,JC-01,,5,,征地启动
2020-03-16,JC-01,start,,,项目开工
2020-04-30,JC-01,milestone,,完成征地拆迁,
2020-04-30,JC-01,,30,,征地拆迁完成
2020-05-29,JC-01,,36,,主体施工
"""


@pytest.fixture
def history(ws: Path, tmp_path: Path) -> Path:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(HISTORY, encoding="utf-8")
    code, out, err = run(ws, "--as-of", "2020-06-30", "import", str(ledger))
    assert (code, err) == (0, ""), err
    assert out == "ledger.csv：读取 5 行，新增 5 条记录，0 条已存在\n"
    return ledger


def test_import_twice_adds_nothing(ws: Path, history: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-30", "import", str(history))
    assert (code, out) == (0, "ledger.csv：读取 5 行，新增 0 条记录，5 条已存在\n")


def test_import_bad_rows_writes_nothing(ws: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,task,progress,note\n"
        "2020-03-13,JC-01,5,ok\n"
        "2020-03-14,JC-99,5,unknown task\n"
        "2020-02-30,JC-01,6,bad date\n"
        "2020-03-20,JC-01,150,out of range\n"
        "2020-03-27,JC-01,2,backwards\n",
        encoding="utf-8",
    )
    code, out, err = run(ws, "--lang", "en", "--as-of", "2020-06-30", "import", str(bad))
    assert (code, out) == (1, "")
    assert err == (
        f"Error: {bad} has 4 bad row(s); nothing from it was imported:\n"
        '  line 3: no task with id "JC-99"\n'
        '  line 4: "2020-02-30" is not a valid date; write YYYY-MM-DD\n'
        "  line 5: progress must be 0–100 (got 150)\n"
        "  line 6: progress goes back from 5% (2020-03-13) to 2%; mark corrections "
        "kind=correction with a reason\n"
    )
    assert (
        not (ws / "data" / "gaoxin.db").exists()
        or run(ws, "history", "JC-01")[1].count("2020-03-13") == 0
    )


def test_feedback_then_history(ws: Path, history: Path) -> None:
    code, out, err = run(
        ws,
        "--as-of",
        "2020-06-05",
        "feedback",
        "JC-01",
        "--progress",
        "40",
        "--note",
        "路面施工过半",
    )
    assert (code, out, err) == (0, "已记录 JC-01 的反馈：进度 40%\n", "")
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", "--json")
    events = json.loads(out)["events"]
    assert [(e["at"], e["kind"], e["progress"]) for e in events] == [
        ("2020-03-13", "feedback", 5),
        ("2020-03-16", "start", None),
        ("2020-04-30", "milestone", None),
        ("2020-04-30", "feedback", 30),
        ("2020-05-29", "feedback", 36),
        ("2020-06-05", "feedback", 40),
    ]
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01")
    golden("history-JC-01.txt", out)


def test_feedback_errors(ws: Path, history: Path) -> None:
    def err(*args: str) -> tuple[int, str]:
        code, _, e = run(ws, "--as-of", "2020-06-05", *args)
        return code, e

    assert err("feedback", "JC-1", "--progress", "5") == (
        1,
        '错误：没有编号为 "JC-1" 的任务\n提示：是否指 "JC-01 / JC-02"？\n',
    )
    assert err("feedback", "JC-01", "--progress", "101")[0] == 2
    assert err("feedback", "JC-01")[0] == 2  # nothing to record
    assert err("feedback", "JC-01", "--progress", "20") == (
        1,
        "错误：进度从 36%（2020-05-29）降到 20%：如确需更正，请加 --correct --reason 说明原因\n",
    )
    assert err("feedback", "JC-01", "--progress", "20", "--correct")[0] == 2
    assert err("feedback", "JC-01", "--progress", "20", "--correct", "--reason", "测量有误")[0] == 0
    assert err("feedback", "JC-01", "--progress", "50", "--at", "2020-06-08") == (
        1,
        "错误：日期 2020-06-08 晚于今天（2020-06-05），不能提前填报\n",
    )
    assert err("feedback", "JC-01", "--progress", "50", "--at", "2019-12-31")[0] == 1
    assert err("feedback", "JC-01", "--milestone", "完成征地拆迁") == (
        1,
        "错误：节点“完成征地拆迁”已于 2020-04-30 标记完成\n",
    )
    code, e = err("feedback", "JC-01", "--milestone", "主体")
    assert code == 1 and "主体完工" in e
    assert err("feedback", "JC-01", "--progress", "50", "--by", "nobody")[0] == 1
    assert err("feedback", "JC-01", "--note", "bad \x1b[31m escape")[0] == 1


def test_status_whole_output_80_and_200_columns(ws: Path, history: Path) -> None:
    for cols in (80, 200):
        code, out, err = run(ws, "--as-of", "2020-06-30", "status", columns=cols)
        assert (code, err) == (0, "")
        golden(f"status-{cols}.txt", out)
        assert max(len(line) for line in out.splitlines()) <= cols
    code, out, _ = run(ws, "--lang", "en", "--as-of", "2020-06-30", "status")
    golden("status-en-80.txt", out)


def test_status_json_has_stable_keys(ws: Path, history: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-30", "status", "--json")
    doc = json.loads(out)
    assert code == 0
    assert sorted(doc) == [
        "as_of",
        "calendar_estimated",
        "counts",
        "done",
        "missed_reports",
        "org",
        "pillars",
        "problems",
        "tasks",
        "units",
        "unsigned",
        "workdays_left_in_year",
    ]
    by_id = {t["id"]: t for t in doc["tasks"]}
    jc1 = by_id["JC-01"]
    # 2 milestones (30 by 4/30, 50 by 10/30): planned 30%; reported 36%, started 3/16
    assert (jc1["card"], jc1["planned"], jc1["progress"], jc1["started"]) == (
        "none",
        30.0,
        36.0,
        "2020-03-16",
    )
    jc2 = by_id["JC-02"]  # start 5/6 passed without a start (yellow), nothing reported
    # linear 序时进度 from 5/6 to 11/30: 55 of 208 days = 26.4% → lag 26 pp: yellow too
    assert (jc2["card"], jc2["planned"]) == ("yellow", 26.4)
    # Friday 6/26 was 端午: the week's report was due on the next working day, Sunday 6/28
    # (调休上班), and none came.
    assert jc2["missed_report"] == "2020-06-28"


def test_status_filters(ws: Path, history: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-30", "status", "--json", "--card", "黄牌")
    assert [t["id"] for t in json.loads(out)["tasks"]] == ["JC-02"]
    code, out, _ = run(ws, "--as-of", "2020-06-30", "status", "--json", "--card", "red")
    assert json.loads(out)["tasks"] == []
    code, out, _ = run(ws, "--as-of", "2020-06-30", "status", "--json", "--listed")
    assert [t["id"] for t in json.loads(out)["tasks"]] == ["JC-01"]
    code, _, err = run(ws, "status", "--unit", "jiansh")
    assert code == 1 and "jianshe" in err
    assert run(ws, "status", "--card", "purple")[0] == 2


def test_countdown(ws: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-04-28", "countdown")
    assert code == 0
    golden("countdown-start.txt", out)
    _, out, _ = run(ws, "--as-of", "2020-04-28", "countdown", "--json")
    items = json.loads(out)["items"]
    # JC-01 start 3/16 missed; JC-02 5/6: 4/29, 4/30, 5/6 (5/1–5/5 rest) = 3 WD, 8 days
    assert [(i["id"], i["workdays"], i["days"], i["missed"]) for i in items] == [
        ("JC-01", -31, -43, True),
        ("JC-02", 3, 8, False),
    ]
    _, out, _ = run(ws, "--as-of", "2020-04-28", "countdown", "--within", "3", "--json")
    assert [(i["id"], i["milestone"]) for i in json.loads(out)["items"]] == [
        ("JC-01", "完成征地拆迁")
    ]
    _, out, _ = run(ws, "--as-of", "2020-04-28", "countdown", "--due")
    golden("countdown-due.txt", out)


def test_sweep_records_changes_once_a_day(ws: Path, history: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-30", "sweep")
    assert (code, out) == (0, "2020-06-30：检查 2 项任务，1 项牌色变化已记录\n")
    code, out, _ = run(ws, "--as-of", "2020-06-30", "sweep")
    assert out == "2020-06-30：检查 2 项任务，0 项牌色变化已记录\n"
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-02", "--json")
    cards = [e for e in json.loads(out)["events"] if e["kind"] == "card"]
    assert [(c["at"], c["data"]["level"]) for c in cards] == [("2020-06-30", 2)]
    # The plan changes afterwards; the recorded card on that day stays in history.
    plan = ws / "plans" / "roads.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("2020-05-06", "2020-09-01"), encoding="utf-8"
    )
    code, out, _ = run(ws, "--as-of", "2020-07-01", "history", "JC-02")
    assert "2020-06-30" in out and "黄牌" in out


def test_status_without_database_creates_nothing(ws: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-06-30", "status")
    assert code == 0 and "JC-02" in out
    assert not (ws / "data" / "gaoxin.db").exists()


def test_commands_refuse_an_invalid_plan(ws: Path) -> None:
    plan = ws / "plans" / "roads.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("lead: jianshe", "lead: nobody"), encoding="utf-8"
    )
    code, out, err = run(ws, "--lang", "en", "status")
    assert (code, out) == (1, "")
    assert err.startswith("Error: the plan has 2 error(s) (the first at ")
    assert "run gaoxin validate to see them all" in err


def test_user_text_is_never_markup_or_control(ws: Path) -> None:
    from datetime import date

    from rich.console import Console

    from gaoxin_cli.loading.paths import calendar_for
    from gaoxin_cli.loading.workspace import load
    from gaoxin_cli.models.spec import to_plan
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.render import daily, status
    from gaoxin_cli.rules.dashboard import build
    from gaoxin_cli.store import Store

    plan_file = ws / "plans" / "roads.yaml"
    nasty = "[red]红[/red] [link=http://x.invalid]点我[/link] [/b] [bold"
    text = plan_file.read_text(encoding="utf-8").replace("title: 海川路北延", f'title: "{nasty}"')
    plan_file.write_text(text, encoding="utf-8")
    loaded = load(ws)
    assert not loaded.errors
    plan = to_plan(loaded.config, loaded.tasks)  # type: ignore[arg-type]
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=True,
        color_system="truecolor",
        width=200,
        markup=False,
        emoji=False,
        highlight=False,
    )
    dash = build(plan.tasks, {}, plan.config, date(2020, 6, 30), calendar_for(plan.config))
    status.render(console, dash, plan.config, "zh", 0)
    out = buf.getvalue()
    assert "[red]红[/red]" in out and "[link=http://x.invalid]点我[/link]" in out
    assert "\x1b]8;" not in out  # no hyperlink escape was made from the title
    # Text that reached the store by other means is escaped on the way out.
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add(
            [
                Event(
                    task="JC-01",
                    kind="feedback",
                    at=date(2020, 3, 2),
                    progress=1,
                    note="evil\x1b[31mRED\x1b]8;;http://x\x07link\u202eabc",
                )
            ]
        )
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", columns=200)
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "evil\\x1b[31mRED\\x1b]8;;http://x\\x07link\\u202eabc" in out
    # and so is every character of the one control set (tab and LF aside: a note may
    # span lines), each as its escape
    from gaoxin_cli.strings import CONTROL_CHARS, MULTILINE_ALLOWED

    every = sorted(CONTROL_CHARS - set(MULTILINE_ALLOWED))
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event(task="JC-01", kind="feedback", at=date(2020, 3, 3), note="".join(every))])
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", columns=2000)
    assert code == 0
    assert not set(out) & set(every)
    escapes = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in every)
    assert escapes in out
    assert (
        daily.describe(Event(task="x", kind="feedback", at=date(2020, 1, 1), note="[b]"), "zh")
        == "[b]"
    )


def test_status_follows_the_lifecycle_and_lists_open_problems(ws: Path, history: Path) -> None:
    day = ("--as-of", "2020-06-30")
    # registered (nothing reported): a result cannot be submitted yet
    code, _, err = run(ws, *day, "submit", "JC-02", "--result", "设计完成并开工")
    assert code == 1 and "已立项" in err
    assert run(ws, *day, "feedback", "JC-02", "--progress", "10")[0] == 0
    assert run(ws, *day, "submit", "JC-02", "--result", "设计完成并开工")[0] == 0
    assert run(ws, *day, "review", "JC-02", "--accept", "--by", "L-wang")[0] == 0
    assert (
        run(
            ws, *day, "problem", "report", "征地补偿款未拨付", "--task", "JC-01", "--by", "jianshe"
        )[0]
        == 0
    )
    code, out, _ = run(ws, "--as-of", "2020-07-06", "status", "--json")
    doc = json.loads(out)
    jc2 = {t["id"]: t for t in doc["tasks"]}["JC-02"]
    # accepted by a leader: done, no card, no reminder, although it reported 10%
    assert (jc2["lifecycle"], jc2["card"], jc2["missed_report"]) == ("done", "none", None)
    assert doc["done"] == 1
    assert [p["number"] for p in doc["problems"]] == ["问题〔2020〕1号"]
    code, out, _ = run(ws, "--as-of", "2020-07-06", "status", columns=120)
    assert code == 0 and "征地补偿款未拨付" in out
    code, out, _ = run(ws, "--as-of", "2020-07-06", "history", "JC-02", columns=120)
    assert "设计完成并开工" in out


def test_an_approved_extension_drives_status_and_shows_in_history(ws: Path) -> None:
    assert (
        run(
            ws,
            "--as-of",
            "2020-11-20",
            "extend",
            "JC-02",
            "--to",
            "2020-12-31",
            "--reason",
            "设计变更",
        )[0]
        == 0
    )
    _, out, _ = run(ws, "--as-of", "2020-11-24", "status", "--json")
    assert {t["id"]: t["due"] for t in json.loads(out)["tasks"]}["JC-02"] == "2020-11-30"
    assert (
        run(ws, "--as-of", "2020-11-23", "extend", "JC-02", "--approve", "--by", "L-wang")[0] == 0
    )
    _, out, _ = run(ws, "--as-of", "2020-11-24", "status", "--json")
    assert {t["id"]: t["due"] for t in json.loads(out)["tasks"]}["JC-02"] == "2020-12-31"
    _, out, _ = run(ws, "--as-of", "2020-11-24", "countdown", "--due", "--json")
    assert {i["id"]: i["date"] for i in json.loads(out)["items"]}["JC-02"] == "2020-12-31"
    _, out, _ = run(ws, "--as-of", "2020-11-24", "history", "JC-02", columns=120)
    assert "申请延期至 2020-12-31：设计变更" in out


def test_feedback_is_refused_once_a_task_is_cancelled(ws: Path, history: Path) -> None:
    day = ("--as-of", "2020-06-30")
    assert run(ws, *day, "cancel", "JC-02", "--reason", "并入其他项目", "--by", "L-wang")[0] == 0
    code, _, err = run(ws, *day, "feedback", "JC-02", "--progress", "10")
    assert (code, err) == (1, "错误：任务 JC-02 已撤销，不再接受反馈\n")


def test_sweep_never_changes_what_it_measures(tmp_path: Path) -> None:
    """On the example plan and history: a second sweep the same day records nothing, and
    status shows the same cards before and after a sweep (a first sweep long after a
    task turned red must not move its red-since day, and so its accountability)."""
    ws = tmp_path / "example"
    ws.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", ws / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", ws / "plans")
    history = str(REPO / "data" / "example-history.csv")
    assert run(ws, "--as-of", "2020-06-30", "import", history)[0] == 0
    for day in ("2020-03-02", "2020-04-20", "2020-06-24", "2020-06-30"):
        before = run(ws, "--as-of", day, "status", "--json")[1]
        code, out, _ = run(ws, "--as-of", day, "sweep")
        assert code == 0 and "：检查 58 项任务" in out
        code, again, _ = run(ws, "--as-of", day, "sweep")
        assert again.endswith("，0 项牌色变化已记录\n"), (day, out, again)
        after = run(ws, "--as-of", day, "status", "--json")[1]
        assert json.loads(after)["counts"] == json.loads(before)["counts"], day


def test_import_dry_run_reports_what_the_import_would_do(ws: Path, tmp_path: Path) -> None:
    # Issue 12 item 4: a file never imported is all new; the dry run writes nothing.
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(HISTORY, encoding="utf-8")
    code, out, err = run(ws, "--as-of", "2020-06-30", "import", "--dry-run", str(ledger))
    assert (code, err) == (0, ""), err
    assert out == "ledger.csv：读取 5 行，将新增 5 条记录，0 条已存在（试运行，未写入）\n"
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", "--json")
    assert json.loads(out)["events"] == []
    code, out, _ = run(ws, "--as-of", "2020-06-30", "import", str(ledger))
    assert out == "ledger.csv：读取 5 行，新增 5 条记录，0 条已存在\n"
    code, out, _ = run(
        ws, "--lang", "en", "--as-of", "2020-06-30", "import", "--dry-run", str(ledger)
    )
    assert out == (
        "ledger.csv: 5 row(s) read, 0 event(s) would be added, 5 already present"
        " (dry run, nothing written)\n"
    )


INFERRED = """date,task,progress,note
2020-03-13,JC-01,5,征地启动
2020-04-30,JC-01,30,征地拆迁完成
"""


def test_an_inferred_start_is_shown_and_explained(ws: Path, tmp_path: Path) -> None:
    # Issue 12 item 5: no start row, yet --started is refused: say when and why.
    ledger = tmp_path / "inferred.csv"
    ledger.write_text(INFERRED, encoding="utf-8")
    assert run(ws, "--as-of", "2020-06-30", "import", str(ledger))[0] == 0
    code, out, err = run(
        ws, "--as-of", "2020-06-05", "feedback", "JC-01", "--started", "--note", "正式开工"
    )
    assert (code, out) == (1, "")
    assert err == (
        "错误：任务 JC-01 已于 2020-03-13 开工（未登记开工，据当日进度 5% 的反馈推定），"
        "本次未记录任何内容（包括 --note）；去掉 --started 重新提交即可\n"
    )
    code, out, err = run(
        ws, "--lang", "en", "--as-of", "2020-06-05", "feedback", "JC-01", "--started"
    )
    assert err == (
        "Error: task JC-01 already started on 2020-03-13 (no start was recorded; inferred"
        " from that day's report of 5%); nothing was recorded\n"
    )
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01")
    assert code == 0
    lines = out.splitlines()
    assert any(
        line.startswith("2020-03-13") and "开工（推定）" in line and "据当日进度 5%" in line
        for line in lines
    ), out
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", "--json")
    doc = json.loads(out)
    first = doc["events"][0]
    assert doc["started"] == {"at": "2020-03-13", "inferred": True, "event": first["id"]}
    assert [e["kind"] for e in doc["events"]] == ["feedback", "feedback"]


def test_a_recorded_start_refuses_a_second_and_says_nothing_was_kept(
    ws: Path, history: Path
) -> None:
    code, _, err = run(ws, "--as-of", "2020-06-05", "feedback", "JC-01", "--started", "-m", "x")
    assert (code, err) == (
        1,
        "错误：任务 JC-01 已于 2020-03-16 开工，本次未记录任何内容（包括 --note）；"
        "去掉 --started 重新提交即可\n",
    )
    code, out, _ = run(ws, "--as-of", "2020-06-30", "history", "JC-01", "--json")
    started = json.loads(out)["started"]
    assert started["at"] == "2020-03-16" and started["inferred"] is False
    assert "开工（推定）" not in run(ws, "--as-of", "2020-06-30", "history", "JC-01")[1]
