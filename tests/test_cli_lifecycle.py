"""submit / review / close / cancel and problem … through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO, golden, run


def transcript(ws: Path, steps: list[tuple[str, ...]]) -> str:
    """Run each command and write down what a person would see, exit code included."""
    out = []
    for args in steps:
        code, stdout, stderr = run(ws, *args)
        out.append("$ gaoxin " + " ".join(args))
        out += (stdout + stderr).splitlines()
        out.append(f"[exit {code}]")
    return "\n".join(out) + "\n"


# --- the task lifecycle ----------------------------------------------------------------------


def test_a_task_from_first_report_to_closed(ws: Path) -> None:
    steps = [
        ("--as-of", "2020-04-01", "submit", "JC-01", "--result", "完成"),
        ("--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "100"),
        ("--as-of", "2020-04-02", "review", "JC-01", "--accept", "--by", "L-wang"),
        ("--as-of", "2020-04-02", "submit", "JC-01", "--result", "主体完工，已通车"),
        ("--as-of", "2020-04-02", "submit", "JC-01", "--result", "again"),
        ("--as-of", "2020-04-03", "review", "JC-01", "--return", "--by", "L-wang"),
        ("--as-of", "2020-04-03", "review", "JC-01", "--return", "--by", "L-wan", "--reason", "x"),
        (
            "--as-of",
            "2020-04-03",
            "review",
            "JC-01",
            "--return",
            "--by",
            "L-wang",
            "--reason",
            "缺少验收材料",
        ),
        ("--as-of", "2020-04-03", "close", "JC-01"),
        ("--as-of", "2020-04-07", "submit", "JC-01", "--result", "补齐验收材料"),
        ("--as-of", "2020-04-08", "review", "JC-01", "--accept", "--by", "L-li"),
        ("--as-of", "2020-04-08", "cancel", "JC-01", "--reason", "x", "--by", "L-li"),
        ("--as-of", "2020-04-09", "close", "JC-01", "--note", "验收合格"),
        ("--as-of", "2020-04-10", "close", "JC-01"),
    ]
    golden("lifecycle-walk.txt", transcript(ws, steps))
    _, out, _ = run(ws, "--as-of", "2020-04-10", "history", "JC-01", "--json")
    steps_seen = [
        (e["at"], e["data"]["action"], e["data"]["from"], e["data"]["to"], e["data"]["by"])
        for e in json.loads(out)["events"]
        if e["kind"] == "lifecycle"
    ]
    assert steps_seen == [
        ("2020-04-02", "submit", "in_progress", "under_review", None),
        ("2020-04-03", "return", "under_review", "in_progress", "L-wang"),
        ("2020-04-07", "submit", "in_progress", "under_review", None),
        ("2020-04-08", "accept", "under_review", "done", "L-li"),
        ("2020-04-09", "close", "done", "closed", None),
    ]
    events = [e for e in json.loads(out)["events"] if e["kind"] == "lifecycle"]
    assert events[0]["note"] == "主体完工，已通车" and events[0]["unit"] == "jianshe"
    assert events[1]["reason"] == "缺少验收材料"
    assert events[4]["unit"] == "duchashi" and events[4]["note"] == "验收合格"


def test_messages_in_english(ws: Path) -> None:
    run(ws, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "60")
    code, out, err = run(
        ws, "--lang", "en", "--as-of", "2020-04-02", "review", "JC-01", "--accept", "--by", "L-wang"
    )
    assert (code, out) == (1, "")
    assert err == (
        "Error: task JC-01 is in progress: cannot accept it as done (gaoxin review --accept)\n"
        "Hint: allowed next: request an extension (gaoxin extend), submit the result (gaoxin "
        "submit), cancel it (gaoxin cancel)\n"
    )
    code, out, err = run(
        ws, "--lang", "en", "--as-of", "2020-04-02", "submit", "JC-01", "-m", "done"
    )
    assert (code, out, err) == (
        0,
        "submitted the result of JC-01 for review (in progress → under review)\n",
        "",
    )
    code, _, err = run(
        ws, "--lang", "en", "--as-of", "2020-04-02", "review", "JC-01", "--accept", "--by", "L-wnag"
    )
    assert (code, err) == (
        1,
        'Error: "L-wnag" is not a leader in gaoxin.yaml; only leaders accept, return or cancel\n'
        'Hint: did you mean "L-wang"?\n',
    )
    code, _, err = run(ws, "--lang", "en", "--as-of", "2020-04-02", "review", "JC-01", "--accept")
    assert (code, err) == (
        2,
        "Error: to accept, give --by: the deciding leader (an id under leaders in gaoxin.yaml)\n",
    )
    code, _, err = run(
        ws, "--lang", "en", "--as-of", "2020-04-02", "review", "JC-01", "--accept", "--by", "nobody"
    )
    assert code == 1 and "leaders in gaoxin.yaml: L-wang、L-li" in err


def test_who_may_submit(ws: Path) -> None:
    run(ws, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "60")
    code, _, err = run(
        ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "x", "--by", "caizheng"
    )
    assert (code, err) == (
        1,
        "错误：caizheng 是 JC-01 的配合单位：办理结果由牵头单位 jianshe 提交，配合单位用 gaoxin "
        "feedback 反馈\n",
    )
    code, _, err = run(ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "x", "--by", "nobody")
    assert code == 1 and "nobody" in err
    code, _, _ = run(ws, "--as-of", "2020-04-02", "submit", "JC-01")
    assert code == 2  # --result is required
    code, _, _ = run(ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "bad\x1b[2J")
    assert code == 1
    code, out, _ = run(
        ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "督查室代报", "--by", "duchashi"
    )
    assert code == 0, out
    code, _, err = run(ws, "--as-of", "2020-04-02", "submit", "JC-9", "-m", "x")
    assert code == 1 and "JC-01" in err  # did you mean


def test_cancel_from_every_open_state_and_never_after(ws: Path) -> None:
    # JC-02: registered (nothing yet) → cancelled, with the leader and the reason kept
    code, out, err = run(
        ws, "--as-of", "2020-04-01", "cancel", "JC-02", "--reason", "规划调整", "--by", "L-li"
    )
    assert (code, out, err) == (0, "JC-02 已撤销：规划调整（已立项 → 已撤销）\n", "")
    code, _, _ = run(ws, "--as-of", "2020-04-01", "cancel", "JC-02", "--by", "L-li")
    assert code == 2  # a reason is required
    code, _, err = run(ws, "--as-of", "2020-04-02", "feedback", "JC-02", "--note", "x")
    assert (code, err) == (
        1,
        "错误：任务 JC-02 已撤销，不再接受反馈\n",
    )  # a cancelled task is over
    code, _, err = run(ws, "--as-of", "2020-04-02", "submit", "JC-02", "-m", "x")
    assert (code, err) == (
        1,
        "错误：任务 JC-02 当前为“已撤销”，不能提交办理结果（gaoxin submit）\n"
        "提示：“已撤销”是最终状态，不能再有后续步骤\n",
    )
    # JC-01: under review → cancelled
    run(ws, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "60")
    run(ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "x")
    code, out, _ = run(
        ws, "--as-of", "2020-04-02", "cancel", "JC-01", "--reason", "合并到 JC-02", "--by", "L-wang"
    )
    assert (code, out) == (0, "JC-01 已撤销：合并到 JC-02（审核中 → 已撤销）\n")


def test_no_extension_for_a_task_that_is_over(ws: Path) -> None:
    run(ws, "--as-of", "2020-04-01", "cancel", "JC-02", "--reason", "规划调整", "--by", "L-li")
    args = ("extend", "JC-02", "--to", "2021-03-31", "--reason", "x")
    code, out, err = run(ws, "--as-of", "2020-04-02", *args)
    assert (code, out, err) == (1, "", "错误：任务 JC-02 已撤销，不能再申请或批准延期\n")
    code, _, err = run(ws, "--lang", "en", "--as-of", "2020-04-02", *args)
    assert (code, err) == (1, "Error: task JC-02 is cancelled; it can no longer be extended\n")
    code, out, _ = run(ws, "--as-of", "2020-04-02", "extend", "JC-02", "--json")
    assert code == 0 and '"events": []' in out  # nothing was recorded
    # an open task still can
    code, _, err = run(ws, "--as-of", "2020-04-02", "extend", "JC-01", "--to", "2021-03-31",
                       "--reason", "征迁延后")  # fmt: skip
    assert (code, err) == (0, "")


def test_a_step_is_never_recorded_before_the_last_one(ws: Path) -> None:
    run(ws, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "60")
    assert run(ws, "--as-of", "2020-04-10", "submit", "JC-01", "-m", "x")[0] == 0
    code, _, err = run(ws, "--as-of", "2020-04-08", "review", "JC-01", "--accept", "--by", "L-li")
    assert (code, err) == (
        1,
        "错误：JC-01 在 2020-04-10 已有流程记录，不能记在更早的 2020-04-08\n",
    )


def test_review_needs_exactly_one_verdict(ws: Path) -> None:
    assert run(ws, "review", "JC-01", "--by", "L-li")[0] == 2
    code, _, err = run(ws, "review", "JC-01", "--accept", "--return", "--by", "L-li")
    assert (code, err) == (2, "错误：请给出 --accept（审核通过）或 --return（退回）中的一个\n")


def test_an_assign_notice_makes_a_task_assigned(ws: Path) -> None:
    from datetime import date

    from gaoxin_cli.store import Store
    from gaoxin_cli.store.lifecycle import lifecycle_states

    db = ws / "data" / "gaoxin.db"
    with Store.open(db, write=True) as st:
        st.insert(
            "INSERT INTO notices (number, kind, year, seq, subject, subject_kind, rung, issued_on,"
            " unit, recipients, body) VALUES ('交办〔2020〕1号', 'assign', 2020, 1, 'JC-02', 'task',"
            " 0, '2020-03-02', 'jianshe', '[]', '{}')"
        )
        assert lifecycle_states(st, ["JC-01", "JC-02"], date(2020, 3, 2)) == {
            "JC-01": "registered",
            "JC-02": "assigned",
        }
    code, _, err = run(ws, "--as-of", "2020-03-03", "submit", "JC-02", "-m", "x")
    assert code == 1 and "已交办" in err and "首次反馈（gaoxin feedback）" in err


# Each worker reads the state, then waits a moment before writing, as a slow person would;
# the write lock taken before the read makes the others wait and then see the new state.
RACER = """
import sys, time
from pathlib import Path
import gaoxin_cli.store.lifecycle as L
go = Path(sys.argv[1])
Path(f"{go}.{sys.argv[2]}").touch()
while not go.exists():
    time.sleep(0.005)
read = L.task_lifecycle
def slow(*args):
    found = read(*args)
    time.sleep(0.3)
    return found
L.task_lifecycle = slow
from gaoxin_cli.cli import app
app(sys.argv[3:], prog_name="gaoxin")
"""


def test_two_reviewers_at_once_cannot_both_act_on_stale_state(ws: Path, tmp_path: Path) -> None:
    run(ws, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "60")
    run(ws, "--as-of", "2020-04-02", "submit", "JC-01", "-m", "x")
    go = tmp_path / "go"
    names = ["a", "b", "c"]
    verdicts = {"a": ["--accept"], "b": ["--accept"], "c": ["--return", "--reason", "r"]}
    env = {**os.environ, "GAOXIN_LANG": "en"}
    procs = {
        n: subprocess.Popen(
            [
                sys.executable,
                "-c",
                RACER,
                str(go),
                n,
                "-C",
                str(ws),
                "--as-of",
                "2020-04-03",
                "review",
                "JC-01",
                *verdicts[n],
                "--by",
                "L-li",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in names
    }
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.{n}").exists() for n in names):
        assert time.monotonic() < deadline
        time.sleep(0.005)
    go.touch()
    results = {n: (p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for n, p in procs.items()}  # type: ignore[union-attr]
    ok = [n for n, (code, _, _) in results.items() if code == 0]
    assert len(ok) == 1, results
    for n, (code, _, err) in results.items():
        if n not in ok:
            assert code == 1 and "cannot" in err, err
    code, out, _ = run(ws, "--as-of", "2020-04-03", "history", "JC-01", "--json")
    assert len([e for e in json.loads(out)["events"] if e["kind"] == "lifecycle"]) == 2


# --- 问题提报 ---------------------------------------------------------------------------------


def test_problem_walk_through_every_path(ws: Path) -> None:
    """Reported the day before the May Day holiday (1–5 May 2020; Saturday 9 May is a
    working day): reopen when unsatisfied, reopen on a failed check, reject, and a hard one."""
    steps = [
        (
            "--as-of",
            "2020-04-30",
            "problem",
            "report",
            "征地补偿款迟迟未到位，影响开工",
            "--task",
            "JC-01",
            "--by",
            "jianshe",
        ),
        ("--as-of", "2020-04-30", "problem", "report", "路灯不亮"),
        ("--as-of", "2020-04-30", "problem", "report", "  "),
        ("--as-of", "2020-04-30", "problem", "report", "x", "--by", "caizhen"),
        ("--as-of", "2020-05-06", "problem", "accept", "1"),
        ("--as-of", "2020-05-06", "problem", "answer", "1", "--note", "x"),
        ("--as-of", "2020-05-07", "problem", "assign", "2020-1", "--to", "caizheng"),
        ("--as-of", "2020-05-11", "problem", "answer", "问题〔2020〕1号", "--note", "已拨付一半"),
        ("--as-of", "2020-05-11", "problem", "verify", "1", "--ok"),
        (
            "--as-of",
            "2020-05-11",
            "problem",
            "verify",
            "1",
            "--ok",
            "--satisfied",
            "不满意",
            "--reason",
            "仍差一半",
        ),
        ("--as-of", "2020-05-12", "problem", "answer", "1", "--note", "全部拨付"),
        ("--as-of", "2020-05-13", "problem", "verify", "1", "--reopen"),
        (
            "--as-of",
            "2020-05-13",
            "problem",
            "verify",
            "1",
            "--reopen",
            "--reason",
            "现场核实未到账",
        ),
        ("--as-of", "2020-05-14", "problem", "answer", "1", "--note", "已到账，附凭证"),
        ("--as-of", "2020-05-15", "problem", "verify", "1", "--ok", "--satisfied", "yes"),
        ("--as-of", "2020-05-15", "problem", "verify", "1", "--ok", "--satisfied", "yes"),
        ("--as-of", "2020-05-06", "problem", "reject", "2"),
        ("--as-of", "2020-05-06", "problem", "reject", "2", "--reason", "不属于督办范围"),
        ("--as-of", "2020-05-06", "problem", "accept", "2"),
        ("--as-of", "2020-05-06", "problem", "report", "跨部门协调园区道路", "--by", "caizheng"),
        ("--as-of", "2020-05-06", "problem", "accept", "3"),
        ("--as-of", "2020-05-07", "problem", "assign", "3", "--to", "jianshe", "--hard"),
        ("--as-of", "2020-05-07", "problem", "answer", "3", "--note", "x", "--by", "caizheng"),
        ("--as-of", "2020-05-08", "problem", "answer", "3", "--note", "已列入计划"),
        ("--as-of", "2020-05-08", "problem", "show", "7"),
    ]
    golden("problem-walk.txt", transcript(ws, steps))
    _, out, _ = run(ws, "--as-of", "2020-05-15", "problem", "show", "1", "--json")
    doc = json.loads(out)
    assert [(s["at"], s["action"], s["to"]) for s in doc["steps"]] == [
        ("2020-04-30", "report", "reported"),
        ("2020-05-06", "accept", "accepted"),
        ("2020-05-07", "assign", "assigned"),
        ("2020-05-11", "answer", "answered"),
        ("2020-05-11", "reopen", "assigned"),
        ("2020-05-12", "answer", "answered"),
        ("2020-05-13", "reopen", "assigned"),
        ("2020-05-14", "answer", "answered"),
        ("2020-05-15", "verify", "closed"),
    ]
    assert doc["steps"][4]["data"]["satisfied"] is False
    assert doc["steps"][-1]["data"]["satisfied"] is True
    assert (doc["state"], doc["reopened"], doc["satisfied"], doc["age_wd"]) == (
        "closed",
        2,
        True,
        9,
    )
    # The whole screens, for a person
    golden("problem-show.txt", run(ws, "--as-of", "2020-05-15", "problem", "show", "1")[1])
    golden(
        "problem-show-en.txt",
        run(ws, "--lang", "en", "--as-of", "2020-06-01", "problem", "show", "3")[1],
    )
    golden("problem-list.txt", run(ws, "--as-of", "2020-06-12", "problem", "list", "--all")[1])


def reported(ws: Path) -> None:
    assert (
        run(
            ws, "--as-of", "2020-04-30", "problem", "report", "征地补偿款未到位", "--task", "JC-01"
        )[0]
        == 0
    )
    assert (
        run(ws, "--as-of", "2020-04-30", "problem", "report", "路灯不亮", "--by", "caizheng")[0]
        == 0
    )
    assert run(ws, "--as-of", "2020-05-06", "problem", "accept", "1")[0] == 0
    assert run(ws, "--as-of", "2020-05-06", "problem", "assign", "1", "--to", "caizheng")[0] == 0
    assert run(ws, "--as-of", "2020-05-06", "problem", "report", "重复提报")[0] == 0
    assert run(ws, "--as-of", "2020-05-06", "problem", "reject", "3", "--reason", "重复")[0] == 0


def test_problem_list_filters_and_json(ws: Path) -> None:
    reported(ws)

    def listed(*args: str) -> list[tuple[str, str, int, int, str]]:
        code, out, err = run(ws, "--as-of", "2020-05-13", "problem", "list", "--json", *args)
        assert (code, err) == (0, ""), err
        doc = json.loads(out)
        assert (doc["as_of"], doc["open"], doc["late"]) == ("2020-05-13", 2, 2)
        return [
            (p["short"], p["state"], p["age_wd"], p["late_wd"], p["card"]) for p in doc["problems"]
        ]

    # 1: assigned 6 May, answer due 8 May: late 9 (调休), 11, 12, 13 May = 4 WD
    # 2: reported 30 April, accept due 6 May: late 7, 8, 9, 11, 12, 13 May = 6 WD: red
    assert listed() == [
        ("2020-2", "reported", 7, 6, "red"),
        ("2020-1", "assigned", 7, 4, "yellow"),
    ]
    assert listed("--all")[-1] == ("2020-3", "rejected", 0, 0, "none")
    assert listed("--state", "不予受理") == [("2020-3", "rejected", 0, 0, "none")]
    assert listed("--state", "assigned", "--state", "reported") == listed()
    assert listed("--unit", "caizheng") == [("2020-1", "assigned", 7, 4, "yellow")]
    assert listed("--unit", "duchashi") == [("2020-2", "reported", 7, 6, "red")]
    assert listed("--task", "JC-01") == [("2020-1", "assigned", 7, 4, "yellow")]
    assert listed("--late") == listed()
    code, out, _ = run(ws, "--as-of", "2020-05-13", "problem", "list", "--json")
    keys = sorted(json.loads(out)["problems"][0])
    assert keys == sorted(
        [
            "number",
            "short",
            "state",
            "state_text",
            "text",
            "reporter",
            "reported_on",
            "task",
            "unit",
            "hard",
            "whose_move",
            "due",
            "late_wd",
            "age_wd",
            "card",
            "reasons",
            "reopened",
            "satisfied",
            "answer",
            "reason",
            "ended_on",
        ]
    )
    assert run(ws, "problem", "list", "--state", "done")[0] == 2
    code, _, err = run(ws, "problem", "list", "--unit", "caizhen")
    assert code == 1 and "caizheng" in err
    assert run(ws, "problem", "list", "--task", "JC-9")[0] == 1
    # Before anything was reported, the list is empty (and no database is created).
    code, out, _ = run(ws, "--as-of", "2020-04-29", "problem", "list")
    assert (code, out) == (
        0,
        "问题提报（截至 2020-04-29）：未办结 0 个，其中逾期 0 个\n没有符合条件的问题\n",
    )


def test_problem_list_without_a_database_creates_nothing(ws: Path) -> None:
    code, out, _ = run(ws, "--as-of", "2020-05-13", "problem", "list")
    assert code == 0 and "未办结 0 个" in out
    assert not (ws / "data" / "gaoxin.db").exists()


def test_problem_numbers_and_errors(ws: Path) -> None:
    reported(ws)
    code, _, err = run(ws, "--as-of", "2020-05-13", "problem", "show", "问题〔2020〕9号")
    assert (code, err) == (
        1,
        '错误：没有编号为 "问题〔2020〕9号" 的问题\n提示：是否指 "问题〔2020〕3号"？\n',
    )
    code, _, err = run(ws, "--as-of", "2020-05-13", "problem", "show", "abc")
    assert code == 1 and "2020-3" in err
    for spelling in ("问题〔2020〕2号", "2020-2", "2020/2", "2"):
        code, out, _ = run(ws, "--as-of", "2020-05-13", "problem", "show", spelling, "--json")
        assert (code, json.loads(out)["number"]) == (0, "问题〔2020〕2号"), spelling
    assert run(ws, "problem", "verify", "1", "--ok", "--satisfied", "maybe")[0] == 2
    assert run(ws, "problem", "verify", "1", "--ok", "--reopen")[0] == 2
    # The next year starts again at 1.
    code, out, _ = run(ws, "--as-of", "2021-01-04", "problem", "report", "新年第一个问题")
    assert (code, out) == (0, "已登记 问题〔2021〕1号（2021-1），请于 2021-01-05 前受理\n")


def test_problem_text_is_never_markup_or_control(ws: Path) -> None:
    nasty = "[red]红[/red] [link=http://x.invalid]点我[/link]"
    assert run(ws, "--as-of", "2020-05-06", "problem", "report", nasty)[0] == 0
    code, out, _ = run(ws, "--as-of", "2020-05-07", "problem", "list", columns=200)
    assert code == 0 and nasty in out
    code, out, _ = run(ws, "--as-of", "2020-05-07", "problem", "show", "1")
    assert nasty in out
    code, _, _ = run(ws, "--as-of", "2020-05-06", "problem", "report", "evil\x1b[31m")
    assert code == 1


def test_docs_cover_every_lifecycle_command() -> None:
    """docs/lifecycle.md names every command and problem subcommand, and its generated
    help is current (python3 -m cogapp -r docs/lifecycle.md)."""
    from cogapp import Cog

    text = (REPO / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    for name in ("submit", "review", "close", "cancel"):
        assert f"gaoxin {name}" in text, name
    for name in ("report", "accept", "assign", "answer", "verify", "reject", "list", "show"):
        assert f"gaoxin problem {name}" in text, name
    assert Cog().main(["cog", "--check", str(REPO / "docs" / "lifecycle.md")]) == 0


def test_render_pieces_other_screens_borrow(ws: Path) -> None:
    """history's words for lifecycle / problem events, the state cell, and the open
    problems section for status, overdue and the bulletin."""
    import io
    from datetime import date

    from rich.console import Console

    from gaoxin_cli.loading.paths import calendar_for
    from gaoxin_cli.loading.workspace import load
    from gaoxin_cli.models.spec import to_plan
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.render import lifecycle as view
    from gaoxin_cli.rules.problem_cards import problem_lines
    from gaoxin_cli.rules.problems import replay
    from gaoxin_cli.store import Store
    from gaoxin_cli.store.problems import all_problems

    loaded = load(ws)
    plan = to_plan(loaded.config, loaded.tasks)  # type: ignore[arg-type]
    cfg = plan.config
    ret = Event(
        "JC-01",
        "lifecycle",
        date(2020, 4, 3),
        reason="缺少验收材料",
        data={"action": "return", "from": "under_review", "to": "in_progress", "by": "L-wang"},
    )
    assert (
        view.describe(ret, "zh", cfg) == "退回：审核中 → 办理中 · 审核领导 王主任 · (缺少验收材料)"
    )
    assert (
        view.describe(ret, "en")
        == "returned: under review → in progress · by L-wang · (缺少验收材料)"
    )
    assert view.describe(Event("JC-01", "feedback", date(2020, 4, 3), note="x"), "zh") is None
    assert (view.event_label("lifecycle", "zh"), view.event_label("problem", "en")) == (
        "流程",
        "problem",
    )
    assert view.event_label("feedback", "zh") is None
    assert view.state_text("under_review", "en").plain == "under review"
    assert view.state_label("extension_pending", "zh") == "延期待批"

    reported(ws)
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        statuses = [replay(row, steps) for row, steps in all_problems(st, date(2020, 5, 13))]
    lines = problem_lines(statuses, date(2020, 5, 13), calendar_for(cfg), plan)
    buf = io.StringIO()
    view.problems_section(
        Console(file=buf, width=80, markup=False, emoji=False), lines, cfg, "zh", 1
    )
    out = buf.getvalue().splitlines()
    assert out[0] == "未办结问题 2 个（逾期 2 个）"
    assert out[3].split()[:6] == ["红牌", "2020-2", "已提报", "7", "2020-05-06", "6"]
    assert out[-1] == "…另有 1 个，gaoxin problem list 查看全部"
    buf = io.StringIO()
    view.problems_section(Console(file=buf, width=80), [], cfg, "zh")
    assert buf.getvalue() == ""
