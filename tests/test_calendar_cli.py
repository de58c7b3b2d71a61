"""``gaoxin calendar show / check / add`` and calendar entries in the workspace: ranges,
calendar/YYYY.yaml files, their errors, the 9999 typo, the year-typo warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from gaoxin_cli.cli import app

HERE = Path(__file__).parent
NOTICES = HERE / "data" / "notices"

CONFIG = """\
org: {name: 测试区管委会, short: 测试区, office: duchashi}
units:
  duchashi: {name: 督查室, kind: office, head: {name: 张主任}, contact: {name: 李联络}}
  jianshe: {name: 建设局, head: {name: 王局长}, contact: {name: 赵联络}}
"""

PLAN = """\
tasks:
  - id: T-01
    title: 测试任务
    lead: jianshe
    measures: [措施一]
    due: 2026-06-30
"""


def run(ws: Path, *args: str, lang: str = "zh", stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["-C", str(ws), "--lang", lang, *args], env={"COLUMNS": "80"}, input=stdin
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "gaoxin.yaml").write_text(CONFIG, "utf-8")
    (root / "plans" / "p.yaml").write_text(PLAN, "utf-8")
    return root


def with_calendar(ws: Path, block: str) -> None:
    (ws / "gaoxin.yaml").write_text(CONFIG + block, "utf-8")


# --- calendar show ------------------------------------------------------------------


def test_show_marks_holidays_and_make_up_days_in_aligned_grids(ws: Path) -> None:
    code, out, err = run(ws, "calendar", "show", "2026")
    assert code == 0, err
    lines = out.splitlines()
    assert "chinesecalendar" in lines[1]
    grid = [ln for ln in lines if ln.strip() and ln.lstrip()[0].isdigit()]
    # Every grid row fits the terminal, and each day cell is four cells wide: the
    # first month's column of 1 February 2026 (a Sunday) ends where Sundays end.
    assert all(cell_len(ln) <= 80 for ln in lines)
    heads = [ln for ln in lines if ln.startswith("一  二")]
    assert heads and all(cell_len(h.rstrip()) == cell_len(heads[0].rstrip()) for h in heads)
    # 2026-02-14 is a Saturday worked (班); 2/16–2/20 weekday holidays (休)
    feb = next(ln for ln in grid if "14班" in ln)
    assert "16休" in grid[grid.index(feb) + 1]
    assert "休 = 放假" in out


def test_show_json_says_where_each_day_comes_from(ws: Path) -> None:
    with_calendar(ws, "calendar:\n  rest: [2026-03-02..2026-03-03]\n")
    code, out, _ = run(ws, "calendar", "show", "2026", "--json")
    assert code == 0
    doc = json.loads(out)
    days = {d["date"]: d for d in doc["days"]}
    assert len(days) == 365 and doc["source"] == "package"
    assert days["2026-03-02"] == {"date": "2026-03-02", "kind": "rest", "source": "local"}
    assert days["2026-02-14"]["kind"] == "makeup" and days["2026-02-14"]["source"] == "package"
    assert days["2026-02-16"]["kind"] == "rest"
    assert doc["calendar_estimated"] == []


def test_show_an_unknown_year_is_an_estimate_and_says_so(ws: Path) -> None:
    code, out, _ = run(ws, "calendar", "show", "2031", "--json")
    doc = json.loads(out)
    assert doc["source"] == "estimate" and doc["calendar_estimated"] == [2031]
    assert {d["date"]: d["kind"] for d in doc["days"]}["2031-01-01"] == "rest"
    code, out, _ = run(ws, "calendar", "show", "2031", lang="en")
    assert code == 0 and "an estimate" in out


# --- ranges and calendar files --------------------------------------------------------


def test_ranges_in_rest_and_work(ws: Path) -> None:
    with_calendar(ws, "calendar:\n  rest: [2026-07-06..2026-07-08]\n  work: [2026-07-11]\n")
    assert run(ws, "validate")[0] == 0
    doc = json.loads(run(ws, "calendar", "show", "2026", "--json")[1])
    kinds = {d["date"]: d["kind"] for d in doc["days"]}
    assert [kinds[f"2026-07-0{i}"] for i in (6, 7, 8, 9)] == ["rest", "rest", "rest", "work"]
    assert kinds["2026-07-11"] == "makeup"


@pytest.mark.parametrize(
    "bad", ["2026-07-08..2026-07-06", "2026-07-06..2026-13-01", "2026-07-06...2026-07-08"]
)
def test_a_bad_range_is_an_error_with_its_line(ws: Path, bad: str) -> None:
    with_calendar(ws, f"calendar:\n  rest: ['{bad}']\n")
    code, out, err = run(ws, "validate", lang="en")
    assert code == 1
    assert "gaoxin.yaml:6" in out + err and "S207" in out + err
    assert "YYYY-MM-DD..YYYY-MM-DD" in out + err


def test_calendar_file_errors(ws: Path) -> None:
    (ws / "calendar").mkdir()
    (ws / "calendar" / "2031.yaml").write_text("year: 2032\n", "utf-8")
    code, out, err = run(ws, "validate", lang="en")
    assert code == 1 and "X319" in out + err and "calendar/2031.yaml:1" in out + err
    (ws / "calendar" / "2031.yaml").write_text(
        "year: 2031\nrest: [2031-03-03]\nwork: [2031-03-03]\n", "utf-8"
    )
    code, out, err = run(ws, "validate", lang="en")
    assert code == 1 and "X316" in out + err
    (ws / "calendar" / "2031.yaml").write_text("year: 2031\nrest: [2031-03-03]\n", "utf-8")
    with_calendar(ws, "calendar:\n  years: [2031]\n")
    code, out, err = run(ws, "validate", lang="en")
    assert code == 1 and "X320" in out + err


# --- calendar add --------------------------------------------------------------------


def test_add_reads_stdin_and_writes_only_when_asked(ws: Path) -> None:
    text = (NOTICES / "2025.txt").read_text("utf-8")
    code, out, err = run(ws, "calendar", "add", "--notice", "-", stdin=text)
    assert code == 0, err
    assert "逐日一致" in out  # 2025 is in chinesecalendar: compared day by day
    assert not (ws / "calendar").exists()
    code, out, err = run(ws, "calendar", "add", "--notice", "-", "--write", stdin=text)
    assert code == 0, err
    assert (ws / "calendar" / "2025.yaml").is_file()
    assert not list((ws / "calendar").glob(".*"))  # no temporary file left behind


def test_add_an_unreadable_sentence_writes_nothing(ws: Path) -> None:
    text = (NOTICES / "2025.txt").read_text("utf-8").replace("放假调休，共8天", "放假放假调休吧")
    code, _, err = run(ws, "calendar", "add", "--notice", "-", "--write", stdin=text, lang="en")
    assert code == 1
    assert "line" in err
    assert not (ws / "calendar").exists()


def test_add_a_missing_file_is_a_usage_error(ws: Path) -> None:
    code, _, err = run(ws, "calendar", "add", "--notice", "nope.txt")
    assert code == 2 and "nope.txt" in err


# --- calendar check -------------------------------------------------------------------


def test_check_lists_what_chinesecalendar_now_repeats_or_contradicts(ws: Path) -> None:
    (ws / "calendar").mkdir()
    text = (NOTICES / "2025.txt").read_text("utf-8")
    assert run(ws, "calendar", "add", "--notice", "-", "--write", stdin=text)[0] == 0
    with_calendar(ws, "calendar:\n  rest: [2026-10-01, 2026-03-02]\n  years: [2024]\n")
    code, out, err = run(ws, "calendar", "check", "--json")
    assert code == 1, err
    found = {
        (f["kind"], f.get("path") or f.get("day") or f.get("year"))
        for f in json.loads(out)["findings"]
    }
    assert found == {
        ("file_repeats", "calendar/2025.yaml"),
        ("entry_repeats", "2026-10-01"),
        ("entry_contradicts", "2026-03-02"),
        ("year_known", 2024),
    }
    code, out, _ = run(ws, "calendar", "check")
    assert code == 1 and "git rm calendar/2025.yaml" in out
    code, out, _ = run(ws, "calendar", "check", lang="en")
    assert "remove 2026-10-01 from calendar.rest" in out


def test_check_is_quiet_when_nothing_repeats(ws: Path) -> None:
    with_calendar(ws, "calendar:\n  rest: [2031-03-03]\n")
    code, out, _ = run(ws, "calendar", "check")
    assert code == 0 and "没有重复或矛盾" in out


# --- dates that cannot be meant ----------------------------------------------------------


def test_a_year_typo_is_warned(ws: Path) -> None:
    plan = "".join(
        PLAN.replace("T-01", f"T-0{i}").replace("tasks:\n", "" if i else "tasks:\n")
        for i in range(5)
    )
    plan = plan.replace("due: 2026-06-30", "due: 2017-06-30", 1)
    (ws / "plans" / "p.yaml").write_text(plan, "utf-8")
    code, out, err = run(ws, "validate", lang="en")
    assert code == 0 and "W403" in out + err and "2017-06-30" in out + err
    assert run(ws, "validate", "--strict")[0] == 1
