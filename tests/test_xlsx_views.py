"""``--xlsx FILE`` on status / overdue / countdown / ranking / problem list, and
``ranking --csv --excel``: the workbooks opened with openpyxl, on the example workspace."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import MINI, REPO, run

DAY = ("--as-of", "2020-06-30")
FILLS = {"蓝牌": "FF2F75B5", "黄牌": "FFFFD966", "红牌": "FFE02020", "问责": "FF8B0000"}
FLAG_FILL = "FFFFC7CE"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example: gaoxin.yaml, plans and the history, and one problem."""
    root = tmp_path_factory.mktemp("xlsx") / "ws"
    root.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", root / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", root / "plans")
    assert run(root, *DAY, "import", str(REPO / "data" / "example-history.csv"))[0] == 0
    code, _, err = run(root, "--as-of", "2020-06-01", "problem", "report", "路灯不亮")
    assert code == 0, err
    return root


def ok(ws: Path, *args: str) -> str:
    code, out, err = run(ws, *args)
    assert code == 0, err
    return out


def xlsx(ws: Path, path: Path, *args: str) -> Any:
    """Run ``ARGS --xlsx PATH``; the workbook, once stdout is empty and stderr says so."""
    code, out, err = run(ws, *args, "--xlsx", str(path))
    assert (code, out) == (0, ""), err
    said = "written to" if "en" in args else "已写入"
    assert err.endswith(f"{said} {path}\n")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    return openpyxl.load_workbook(path)


def headers(sheet: Any) -> list[str]:
    return [c.value for c in sheet[1]]


def fill(c: Any) -> str | None:
    return c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None


def card_fill(level: int) -> str | None:
    return FILLS[("蓝牌", "黄牌", "红牌", "问责")[level - 1]] if level else None


def test_status(example: Path, tmp_path: Path) -> None:
    doc = json.loads(ok(example, *DAY, "status", "--json"))
    book = xlsx(example, tmp_path / "status.xlsx", *DAY, "status", "--limit", "3")
    assert book.sheetnames == ["任务", "问题提报"]
    sheet = book["任务"]
    assert headers(sheet) == ["牌", "任务", "名称", "牵头", "进度", "序时", "时限", "原因"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:H{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(doc["tasks"]) > 3  # every task, not the screen's --limit
    assert [r[1].value for r in rows] == [t["id"] for t in doc["tasks"]]
    assert [fill(r[0]) for r in rows] == [card_fill(t["level"]) for t in doc["tasks"]]
    assert {fill(r[0]) for r in rows} >= {FILLS["红牌"], FILLS["黄牌"]}
    red = next(r for r in rows if r[0].value == "红牌")
    assert red[0].font.color.rgb == "FFFFFFFF" and red[0].font.b
    first = doc["tasks"][0]
    assert rows[0][4].value == pytest.approx(first["progress"] / 100)
    assert rows[0][6].value.date().isoformat() == first["due"]
    assert rows[0][6].number_format == "yyyy-mm-dd"
    assert len(list(book["问题提报"].iter_rows(min_row=2))) == len(doc["problems"]) == 1


def test_status_in_english(example: Path, tmp_path: Path) -> None:
    book = xlsx(example, tmp_path / "s.xlsx", "--lang", "en", *DAY, "status")
    assert book.sheetnames[0] == "Tasks"
    assert headers(book["Tasks"])[:4] == ["card", "task", "title", "lead"]


def test_overdue(example: Path, tmp_path: Path) -> None:
    doc = json.loads(ok(example, *DAY, "overdue", "--json"))
    book = xlsx(example, tmp_path / "overdue.xlsx", *DAY, "overdue")
    sheet = book["逾期预警"]
    assert headers(sheet) == [
        "牌",
        "任务",
        "名称",
        "牵头",
        "时限",
        "逾期/剩余",
        "已发",
        "下一步",
        "原因",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(doc["tasks"]) > 0
    assert [r[1].value for r in rows] == [t["id"] for t in doc["tasks"]]
    assert [fill(r[0]) for r in rows] == [card_fill(t["level"]) for t in doc["tasks"]]


@pytest.mark.parametrize("mode", [(), ("--due",), ("--within", "20")])
def test_countdown(example: Path, tmp_path: Path, mode: tuple[str, ...]) -> None:
    doc = json.loads(ok(example, *DAY, "countdown", *mode, "--json"))
    book = xlsx(example, tmp_path / "countdown.xlsx", *DAY, "countdown", *mode)
    sheet = book["倒计时"]
    expected = ["任务", "名称", "牵头", "日期", "工作日", "自然日"]
    if doc["kind"] == "milestones":
        expected.insert(2, "节点")
    assert headers(sheet) == expected
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(doc["items"]) > 0
    assert [r[0].value for r in rows] == [i["id"] for i in doc["items"]]
    assert [r[-1].value for r in rows] == [i["days"] for i in doc["items"]]


def test_ranking_marks_the_flag_row(example: Path, tmp_path: Path) -> None:
    doc = json.loads(ok(example, *DAY, "ranking", "-p", "2020-05", "--json"))
    book = xlsx(example, tmp_path / "ranking.xlsx", *DAY, "ranking", "-p", "2020-05")
    assert book.sheetnames == ["排名", "评分明细"]
    sheet = book["排名"]
    assert headers(sheet) == [
        "名次",
        "变化",
        "单位",
        "得分",
        "红牌",
        "黄牌",
        "逾期",
        "完成率",
        "备注",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(doc["units"]) > 1
    flagged = [r[2].value for r in rows if fill(r[2]) == FLAG_FILL]
    holders = [u["name"] for u in doc["units"] if u["flag"]]
    assert flagged == holders and len(holders) == 1
    holder = next(r for r in rows if r[2].value == holders[0])
    assert all(fill(c) == FLAG_FILL for c in holder) and "流动红旗" in holder[-1].value
    assert [r[3].value for r in rows] == [u["score"] for u in doc["units"]]
    assert rows[0][3].number_format == "0.00"
    lines = list(book["评分明细"].iter_rows(min_row=2))
    assert len(lines) == sum(len(u["items"]) for u in doc["units"])


def test_problem_list(example: Path, tmp_path: Path) -> None:
    doc = json.loads(ok(example, *DAY, "problem", "list", "--json"))
    book = xlsx(example, tmp_path / "p.xlsx", *DAY, "problem", "list")
    sheet = book["问题提报"]
    assert headers(sheet)[:3] == ["牌", "编号", "状态"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(doc["problems"]) == 1
    assert rows[0][1].value == doc["problems"][0]["short"]
    assert rows[0][7].value == "路灯不亮"


def test_text_never_becomes_a_formula(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    plan = ws / "plans" / "roads.yaml"
    text = plan.read_text("utf-8")
    text = text.replace("title: 济宁大道东延建成通车", "title: '=HYPERLINK(\"x\")'")
    plan.write_text(text.replace("title: 海川路北延", "title: '+1'"), "utf-8")
    assert run(ws, *DAY, "problem", "report", "@SUM(1)")[0] == 0
    sheet = xlsx(ws, tmp_path / "s.xlsx", *DAY, "status")["任务"]
    titles = {r[1].value: r[2] for r in sheet.iter_rows(min_row=2)}
    assert titles["JC-01"].value == '=HYPERLINK("x")' and titles["JC-01"].data_type == "s"
    assert titles["JC-02"].value == "+1" and titles["JC-02"].data_type == "s"
    problem = xlsx(ws, tmp_path / "p.xlsx", *DAY, "problem", "list")["问题提报"]["H2"]
    assert (problem.value, problem.data_type) == ("@SUM(1)", "s")


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("overdue",),
        ("countdown",),
        ("ranking",),
        ("problem", "list"),
    ],
)
def test_refused(example: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "out.csv"
    code, out, err = run(example, *DAY, *args, "--xlsx", str(target))
    assert (code, out) == (2, "") and "--xlsx 只写 .xlsx 文件" in err and str(target) in err
    code, out, err = run(example, *DAY, *args, "--json", "--xlsx", str(tmp_path / "a.xlsx"))
    assert (code, out) == (2, "") and "--xlsx 不能与 --json 同时使用" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("other", [("--csv",), ("--explain", "jianshe"), ("--cards",)])
def test_ranking_xlsx_alone(example: Path, tmp_path: Path, other: tuple[str, ...]) -> None:
    code, _, err = run(example, *DAY, "ranking", *other, "--xlsx", str(tmp_path / "r.xlsx"))
    assert code == 2 and f"--xlsx 不能与 {other[0]} 同时使用" in err


def test_no_half_written_file(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "s.xlsx"
    code, _, err = run(example, *DAY, "status", "--xlsx", str(target))
    assert code == 1 and "无法写入" in err and not target.parent.exists()
    before = tmp_path / "keep.xlsx"
    before.write_bytes(b"old")
    xlsx(example, before, *DAY, "countdown")
    assert before.read_bytes()[:2] == b"PK"


# The CSV of ``ranking -p 2020-05 --csv`` before --excel existed (sha256, UTF-8, no BOM).
PLAIN_CSV_SHA256 = "1f229b964f386cc9e0faf27c21d5fd4b7e938c1a92f372e7dd523262e54931b1"


def test_csv_excel(example: Path) -> None:
    plain = ok(example, *DAY, "ranking", "-p", "2020-05", "--csv")
    assert hashlib.sha256(plain.encode("utf-8")).hexdigest() == PLAIN_CSV_SHA256
    assert plain.startswith("rank,unit,name,score,")
    code, out, err = run(example, *DAY, "ranking", "-p", "2020-05", "--csv", "--excel")
    assert code == 0, err
    assert out.startswith("\ufeff名次,单位代码,单位,得分,上期名次,名次变化,红牌,黄牌,")
    assert out.removeprefix("\ufeff").splitlines()[1:] == plain.splitlines()[1:]
    en = ok(example, "--lang", "en", *DAY, "ranking", "-p", "2020-05", "--csv", "--excel")
    assert en == "\ufeff" + plain
    code, _, err = run(example, *DAY, "ranking", "--excel")
    assert code == 2 and "--excel 只与 --csv 同用" in err
