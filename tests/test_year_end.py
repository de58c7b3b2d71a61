"""The year turns over: every day from 2026-12-21 to 2027-01-08 the office's cron runs
``sweep`` and ``notify`` (a real SMTP server, aiosmtpd on 127.0.0.1) with the installed
chinesecalendar, whose data ends with 2026. Nothing may stop for the missing year; every
result built on the estimate says so, on screen, in JSON and in the mail. After
``calendar add --notice`` the same days follow the notice.

``tests/data/notice-2027-style.txt`` is written in the published notices' words with
2027's real dates under the rules in force from 2025 (春节 8 days from 除夕, …); it stands
in for the 2027 notice and is not the published text.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from smtp_server import Handler, smtp_server

HERE = Path(__file__).parent
NOTICE_2027 = HERE / "data" / "notice-2027-style.txt"

CONFIG = """\
org: {{name: 测试区管委会, short: 测试区, office: duchashi}}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {{name: 张主任, email: head@duchashi.example.org}}
    contact: {{name: 李联络, email: contact@duchashi.example.org}}
  jianshe:
    name: 建设局
    head: {{name: 王局长, email: head@jianshe.example.org}}
    contact: {{name: 赵联络, email: contact@jianshe.example.org}}
leaders:
  L-wang: {{name: 王主任, title: 管委会主任, email: wang@gaoxin.example.org}}
mail:
  host: 127.0.0.1
  port: {port}
  security: none
  sender: duban@gaoxin.example.org
  timeout_s: 5
"""

# 2026's plan (one task late since November, one due on the last working day of the
# year) and next year's, written in December as offices do.
PLAN = """\
tasks:
  - id: GX-01
    title: 污水处理厂扩建
    lead: jianshe
    leader: L-wang
    measures: [主体完工, 通水运行]
    due: 2026-11-30
  - id: GX-02
    title: 口袋公园建设
    lead: jianshe
    measures: [完成建设]
    due: 2026-12-31
  - id: GX-27
    title: 2027 年老旧小区改造
    lead: jianshe
    measures: [完成设计, 开工建设]
    start: 2027-03-01
    due: 2027-10-29
"""


@pytest.fixture
def inbox() -> Iterator[tuple[Handler, int]]:
    with smtp_server() as found:
        yield found


def texts(handler: Handler) -> list[str]:
    return [m.text for m in handler.received]


def make_ws(root: Path, port: int) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "gaoxin.yaml").write_text(CONFIG.format(port=port), encoding="utf-8")
    (root / "plans" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    return root


def run(ws: Path, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-C", str(ws), "--lang", lang, *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def days(first: str, last: str) -> list[str]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [(a + timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]


def cron_run(ws: Path, day: str) -> dict[str, tuple[int, str, str]]:
    """What cron runs each day, plus the views a clerk would open."""
    return {
        "sweep": run(ws, "--as-of", day, "sweep"),
        "notify": run(ws, "--as-of", day, "notify"),
        "status": run(ws, "--as-of", day, "status"),
        "overdue": run(ws, "--as-of", day, "overdue", "--json"),
        "countdown": run(ws, "--as-of", day, "countdown", "--json"),
    }


def test_no_day_of_the_year_end_stops_and_estimates_are_marked(
    tmp_path: Path, inbox: tuple[Handler, int]
) -> None:
    handler, port = inbox
    ws = make_ws(tmp_path / "ws", port)
    code, out, err = run(ws, "validate")
    assert code == 0, err
    assert "W402" in out + err and "2027" in out + err  # warned, not stopped
    assert run(ws, "validate", "--strict")[0] == 1  # CI can insist

    estimated_days = []
    for day in days("2026-12-21", "2027-01-08"):
        results = cron_run(ws, day)
        for name, (code, out, err) in results.items():
            assert code == 0, f"{day} {name}: {err or out}"
            assert "没有节假日数据" not in err, f"{day} {name}"
        overdue = json.loads(results["overdue"][1])
        countdown = json.loads(results["countdown"][1])
        assert overdue["calendar_estimated"] in ([], [2027])
        assert countdown["calendar_estimated"] in ([], [2027])
        if day == "2026-12-29":  # the run's summary (cron mails it) says so too
            assert "2027年放假安排未公布" in results["notify"][1]
        if overdue["calendar_estimated"]:
            estimated_days.append(day)
            assert "2027年放假安排未公布" in results["status"][1] or day < "2027-01-01"
    # From the first day a deadline reaches into 2027 the estimate is shown (29 December
    # at the latest: three working days later is 2027).
    assert estimated_days and estimated_days[0] <= "2026-12-29"
    assert "2027-01-04" in estimated_days
    # Mail went out through the year end, and mail built on the estimate says so.
    mails = texts(handler)
    assert mails
    marked = [t for t in mails if "2027 年的放假安排尚未公布" in t]
    assert marked
    # The estimate counts 元旦 as a rest day: no reply is asked for on 1 January.
    assert all("请于 2027-01-01 前" not in t for t in mails)


def test_english_marks_the_estimate_too(tmp_path: Path, inbox: tuple[Handler, int]) -> None:
    _, port = inbox
    ws = make_ws(tmp_path / "ws", port)
    code, out, _ = run(ws, "--as-of", "2027-01-05", "status", lang="en")
    assert code == 0
    assert "no State Council holiday arrangements for 2027 yet" in out
    code, out, _ = run(ws, "--as-of", "2027-01-05", "overdue", lang="en")
    assert code == 0 and "Monday–Friday" in out


def test_unknown_years_error_is_a_hard_stop_when_asked_for(
    tmp_path: Path, inbox: tuple[Handler, int]
) -> None:
    _, port = inbox
    ws = make_ws(tmp_path / "ws", port)
    cfg = ws / "gaoxin.yaml"
    cfg.write_text(cfg.read_text("utf-8") + "calendar: {unknown_years: error}\n", "utf-8")
    code, out, err = run(ws, "validate")
    assert code == 1 and "X315" in out + err
    code, _, err = run(ws, "--as-of", "2026-12-29", "overdue")
    assert code == 1 and "plan.yaml:18" in err  # the 2027 task: the plan does not load
    # Without next year's plan, the reply deadline three working days after 12-29 stops it.
    plan = ws / "plans" / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").split("  - id: GX-27")[0], "utf-8")
    assert run(ws, "validate")[0] == 0
    code, _, err = run(ws, "--as-of", "2026-12-29", "notify", "--dry-run")
    assert code == 1 and "2027" in err and "calendar add --notice" in err


def _reply_dates(texts: list[str]) -> set[str]:
    import re

    return {m for t in texts for m in re.findall(r"请于 (\d{4}-\d{2}-\d{2}) 前", t)}


def test_after_the_notice_is_added_the_days_follow_it(
    tmp_path: Path, inbox: tuple[Handler, int]
) -> None:
    handler, port = inbox
    estimated = make_ws(tmp_path / "estimated", port)
    noticed = make_ws(tmp_path / "noticed", port)
    code, out, err = run(noticed, "calendar", "add", "--notice", str(NOTICE_2027))
    assert code == 0, err
    assert "--write" in out and not (noticed / "calendar").exists()  # shown, not written
    code, out, err = run(noticed, "calendar", "add", "--notice", str(NOTICE_2027), "--write")
    assert code == 0, err
    written = (noticed / "calendar" / "2027.yaml").read_text("utf-8")
    assert "2027-02-05..2027-02-12" in written and "2027-02-14" in written
    assert run(noticed, "validate", "--strict")[0] == 0
    # Adding it twice is refused (nothing overwritten without --force).
    code, _, err = run(noticed, "calendar", "add", "--notice", str(NOTICE_2027), "--write")
    assert code == 1 and "--force" in err

    for day in days("2026-12-21", "2027-01-08"):
        results = cron_run(noticed, day)
        for name, (code, out, err) in results.items():
            assert code == 0, f"{day} {name}: {err or out}"
        assert json.loads(results["overdue"][1])["calendar_estimated"] == []
        assert "放假安排未公布" not in results["status"][1]
    assert all("放假安排尚未公布" not in t for t in texts(handler))

    # The eve of the Spring Festival: three working days after 2027-02-04 are 2/9–2/11 on
    # the estimate, but 2/15–2/17 after the 8-day holiday (2/14, a Sunday, is worked).
    handler.received.clear()
    for ws in (estimated, noticed):
        shutil.rmtree(ws / "data", ignore_errors=True)
        assert run(ws, "--as-of", "2027-02-04", "notify")[0] == 0
    by_ws = texts(handler)
    assert "2027-02-09" in _reply_dates(by_ws)  # the estimate
    assert "2027-02-16" in _reply_dates(by_ws)  # the notice: 2/14 (1), 2/15 (2), 2/16 (3)
    code, out, _ = run(noticed, "calendar", "show", "2027", "--json")
    doc = json.loads(out)
    assert doc["source"] == "local" and doc["calendar_estimated"] == []
    kinds = {d["date"]: d["kind"] for d in doc["days"]}
    assert kinds["2027-02-08"] == "rest" and kinds["2027-02-14"] == "makeup"
    assert kinds["2027-02-15"] == "work"


def test_a_workbook_export_says_which_years_it_estimated(
    tmp_path: Path, inbox: tuple[Handler, int]
) -> None:
    _, port = inbox
    ws = make_ws(tmp_path / "ws", port)
    book = tmp_path / "overdue.xlsx"
    code, _, err = run(ws, "--as-of", "2027-01-05", "overdue", "--xlsx", str(book))
    assert code == 0 and book.is_file()
    assert "2027年放假安排未公布" in err
    # Without next year's plan, a June run touches only 2026: nothing to say.
    plan = ws / "plans" / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").split("  - id: GX-27")[0], "utf-8")
    code, _, err = run(ws, "--as-of", "2026-06-01", "overdue", "--xlsx", str(book))
    assert code == 0 and "放假安排未公布" not in err
