"""click's own words in the user's language; global options after the command; one
rule for dates and one for percentages (issue 14, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaoxin_cli.cli.root import hoist_globals
from gaoxin_cli.strings import percent_text
from helpers import gaoxin, run

PROG = "python -m gaoxin_cli"


def test_unknown_option_in_chinese_and_english() -> None:
    zh = gaoxin("status", "--bogus")
    assert (zh.returncode, zh.stdout) == (2, "")
    assert zh.stderr == (
        f"用法：{PROG} status [OPTIONS]\n"
        f"运行 '{PROG} status -h' 查看帮助。\n\n"
        "错误：没有这个选项：--bogus\n"
    )
    en = gaoxin("status", "--bogus", lang="en")
    assert en.stderr == (
        f"Usage: {PROG} status [OPTIONS]\n"
        f"Try '{PROG} status -h' for help.\n\n"
        "Error: No such option: --bogus\n"
    )


def test_bad_number_and_unknown_command_in_chinese() -> None:
    bad = gaoxin("status", "-n", "many")
    assert bad.returncode == 2
    assert bad.stderr.endswith("错误：'--limit' / '-n' 的值无效：'many' 不是整数。\n")
    typo = gaoxin("stauts")
    assert typo.returncode == 2
    assert typo.stderr.endswith("错误：没有这个命令：'stauts'。是不是要用 'status'？\n")
    en = gaoxin("stauts", "--lang", "en")
    assert en.stderr.endswith("Error: No such command 'stauts'. Did you mean 'status'?\n")


def test_help_has_no_english_of_clicks_own_in_chinese() -> None:
    zh = gaoxin("feedback", "-h").stdout
    for word in ("用法：", "参数：", "选项：", "显示帮助并退出。", "[必填]"):
        assert word in zh
    for word in ("Usage:", "Arguments:", "Options:", "Show this message", "required"):
        assert word not in zh
    top = gaoxin("-h").stdout
    assert "命令：" in top and "[环境变量：GAOXIN_LANG]" in top
    en = gaoxin("feedback", "-h", lang="en").stdout
    for word in ("Usage:", "Arguments:", "Options:", "Show this message and exit.", "required"):
        assert word in en


def test_global_options_after_the_command(ws: Path) -> None:
    before = gaoxin("-C", str(ws), "--as-of", "2020-06-24", "status")
    after = gaoxin("status", "--as-of", "2020-06-24", "-C", str(ws))
    assert before.returncode == 0, before.stderr
    assert (after.returncode, after.stdout, after.stderr) == (0, before.stdout, "")
    en = gaoxin("status", f"-C{ws}", "--as-of=2020-06-24", "--lang", "en")
    assert (en.returncode, en.stderr) == (0, "")
    # In-process too: the root's make_context moves them, not only the console script.
    code, out, err = run(ws, "overdue", "--as-of", "2020-06-24")
    assert (code, err) == (0, "")
    assert out == run(ws, "--as-of", "2020-06-24", "overdue")[1]


def test_hoist_globals_moves_only_the_root_options() -> None:
    assert hoist_globals(["status", "--as-of", "2020-06-24", "-u", "jianshe"]) == [
        "--as-of",
        "2020-06-24",
        "status",
        "-u",
        "jianshe",
    ]
    assert hoist_globals(["-C", "ws", "notice", "list", "--lang=en", "--db", "x.db"]) == [
        "-C",
        "ws",
        "--lang=en",
        "--db",
        "x.db",
        "notice",
        "list",
    ]
    # nothing after "--" moves; an unchanged line is returned as is
    assert hoist_globals(["problem", "report", "--", "--db"]) == [
        "problem",
        "report",
        "--",
        "--db",
    ]


@pytest.mark.parametrize("bad", ["20200630", "2020-6-30", "2020-W26-2", "2020/06/30"])
def test_dates_are_yyyy_mm_dd_only(ws: Path, bad: str) -> None:
    msg = f'错误："{bad}" 不是有效日期，请写成 YYYY-MM-DD\n'
    assert run(ws, "--as-of", bad, "status") == (2, "", msg)
    code, _, err = run(ws, "--as-of", "2020-06-05", "feedback", "JC-01", "-p", "40", "--at", bad)
    assert (code, err) == (2, msg)


@pytest.mark.parametrize(("typed", "value"), [("45", 45.0), ("45%", 45.0), (" 45.5 ％", 45.5)])
def test_percent_text(typed: str, value: float) -> None:
    assert percent_text(typed) == value


@pytest.mark.parametrize("typed", ["", "%", "abc", "nan", "inf", "45%%"])
def test_percent_text_refuses(typed: str) -> None:
    assert percent_text(typed) is None


def test_feedback_takes_a_percent_sign_like_import(ws: Path, tmp_path: Path) -> None:
    code, out, err = run(ws, "--as-of", "2020-06-05", "feedback", "JC-01", "-p", "20%")
    assert (code, err) == (0, ""), err
    assert "20%" in out
    code, _, err = run(ws, "--as-of", "2020-06-05", "feedback", "JC-02", "-p", "20 %")
    assert (code, err) == (0, "")
    # the events import reads the same text the same way
    ledger = tmp_path / "more.csv"
    ledger.write_text("date,task,progress\n2020-06-05,JC-01,25%\n", encoding="utf-8")
    assert run(ws, "--as-of", "2020-06-05", "import", str(ledger))[0] == 0
    code, _, err = run(ws, "--as-of", "2020-06-05", "feedback", "JC-01", "-p", "百分之三十")
    assert (code, err) == (
        2,
        '错误："百分之三十" 不是进度，请写 0–100 的数，可带 %，如 45 或 45%\n',
    )


@pytest.mark.parametrize(("typed", "ok"), [("30％", True), ("30 %", True), ("30%%", False)])
def test_the_events_import_reads_a_percentage_as_feedback_does(
    ws: Path, tmp_path: Path, typed: str, ok: bool
) -> None:
    ledger = tmp_path / "more.csv"
    ledger.write_text(f"date,task,progress\n2020-06-05,JC-01,{typed}\n", encoding="utf-8")
    by_import = run(ws, "--as-of", "2020-06-05", "import", "--dry-run", str(ledger))[0] == 0
    by_feedback = percent_text(typed) is not None
    assert by_import == by_feedback == ok
