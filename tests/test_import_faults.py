"""Issue 13 (import): data stored wrong or lost without a word, and the crashes.

Every file here was once imported wrongly (garbled, a column dropped, a row swallowed),
crashed (exit 3) or hung; each must now be refused with exit 1, a line number and a
message that says what to do — and the store must be left as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, run

AS_OF = ("--as-of", "2020-06-30")


@pytest.fixture(params=["in-memory", "spilled"])
def staged(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with a small import held in memory (the default up to SPILL events),
    and again with every event staged in the temporary database (SPILL = 1)."""
    if request.param == "spilled":
        from gaoxin_cli.store import staging

        monkeypatch.setattr(staging, "SPILL", 1)
    return str(request.param)


HEADER = "date,task,progress,note\n"


def _import(ws: Path, file: Path, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    return run(ws, "--lang", lang, *AS_OF, "import", *args, str(file))


def _notes(ws: Path) -> list[str]:
    code, out, err = run(ws, *AS_OF, "history", "JC-01", "--json")
    assert code == 0, err
    return [e["note"] for e in json.loads(out)["events"] if e["note"]]


def _nothing_stored(ws: Path) -> bool:
    db = ws / "data" / "gaoxin.db"
    if not db.exists():
        return True
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0]) == 0


# --- item 4: the encoding is decided on evidence -------------------------------------


def test_utf8_with_one_cp1252_byte_is_refused_not_read_as_gb18030(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "mixed.csv"
    ledger.write_bytes(
        (HEADER + "2020-03-13,JC-01,5,征地启动\n").encode()
        + "2020-03-16,JC-01,8,现场气温25".encode()
        + b"\xb0C\n"  # '°' as Windows-1252 writes it
    )
    code, out, err = _import(ws, ledger)
    assert (code, out) == (1, "")
    assert "UTF-8" in err and "第 3 行" in err and "0xB0" in err and "--encoding" in err
    assert _nothing_stored(ws)
    code, _, err = _import(ws, ledger, lang="en")
    assert "on line 3: 0xB0" in err and "--encoding" in err


BIG5_ROWS = "2020-03-13,JC-01,5,徵地拆遷工作已經啟動\n2020-03-16,JC-01,8,主體工程開始施工\n"


def test_big5_is_refused_naming_encoding_then_read_with_it(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "big5.csv"
    ledger.write_bytes((HEADER + BIG5_ROWS).encode("big5"))
    code, out, err = _import(ws, ledger)
    assert (code, out) == (1, "")
    assert "--encoding big5" in err
    assert _nothing_stored(ws)
    code, out, err = _import(ws, ledger, "--encoding", "big5")
    assert (code, err) == (0, ""), err
    assert out == "big5.csv：读取 2 行，新增 2 条记录，0 条已存在\n"
    assert _notes(ws) == ["徵地拆遷工作已經啟動", "主體工程開始施工"]


def test_gb18030_from_excel_is_still_read(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "gb.csv"
    rows = (
        "2020-03-13,JC-01,5,征地拆迁工作已经启动\n2020-03-16,JC-01,8,主体工程开始施工，气温25°C\n"
    )
    ledger.write_bytes((HEADER + rows).encode("gb18030"))
    code, _, err = _import(ws, ledger)
    assert (code, err) == (0, ""), err
    assert _notes(ws) == ["征地拆迁工作已经启动", "主体工程开始施工，气温25°C"]


def test_too_little_legacy_text_to_tell_is_refused(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "short.csv"
    ledger.write_bytes((HEADER + "2020-03-13,JC-01,5,启动\n").encode("gb18030"))
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "cannot tell the encoding" in err and "--encoding gb18030" in err
    assert _import(ws, ledger, "--encoding", "gb18030")[0] == 0
    assert _notes(ws) == ["启动"]


def test_a_bad_byte_past_the_sample_is_an_error_at_its_line(ws: Path, tmp_path: Path) -> None:
    # 3,000 lines of Chinese decide "UTF-8" long before the stray byte on line 3,002.
    body = "".join(
        f"2020-03-13,JC-01,5,第{i}次调度：征地拆迁工作正在推进之中进度正常\n" for i in range(3000)
    )
    ledger = tmp_path / "late.csv"
    ledger.write_bytes((HEADER + body).encode() + b"2020-03-16,JC-01,8,25\xb0C\n")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 3002" in err and "not valid utf-8 (byte 0xB0)" in err and "--encoding" in err
    assert _nothing_stored(ws)


def test_bad_encoding_option_is_a_usage_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ok.csv"
    ledger.write_text(HEADER + "2020-03-13,JC-01,5,征地启动\n", encoding="utf-8")
    assert _import(ws, ledger, "--encoding", "klingon")[0] == 2
    assert _import(ws, ledger, "--encoding", "utf-16")[0] == 2  # a line ends at no \n byte
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"")
    assert _import(ws, book, "--encoding", "gb18030")[0] == 2


# --- item 5: a misspelt header, an unclosed quote ------------------------------------


def test_misspelt_column_is_an_error_not_a_dropped_column(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "typo.csv"
    ledger.write_text("date,task,progres,note\n2020-03-13,JC-01,5,征地启动\n", encoding="utf-8")
    code, out, err = _import(ws, ledger, lang="en")
    assert (code, out) == (1, "")
    assert f'{ledger} line 1: unknown column "progres"' in err
    assert 'did you mean "progress"?' in err
    assert _nothing_stored(ws)


def test_repeated_column_is_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "twice.csv"
    ledger.write_text("date,task,progress,进度\n2020-03-13,JC-01,5,6\n", encoding="utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1 and 'column "进度" appears twice' in err


def test_unknown_json_key_is_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "typo.jsonl"
    ledger.write_text(
        '{"date": "2020-03-13", "task": "JC-01", "progres": 5, "note": "征地"}\n', "utf-8"
    )
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert 'line 1: unknown key "progres"; did you mean "progress"?' in err


def test_unclosed_quote_is_an_error_not_a_swallowed_row(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "quote.csv"
    ledger.write_text(
        HEADER + '2020-03-13,JC-01,5,"征地启动\n2020-03-16,JC-01,6,主体施工\n', encoding="utf-8"
    )
    code, out, err = _import(ws, ledger, lang="en")
    assert (code, out) == (1, "")
    assert err == (
        f"Error: {ledger} has 1 bad row(s); nothing from it was imported:\n"
        "  line 2: a quote opened on this line is never closed\n"
    )
    assert _nothing_stored(ws)


def test_quote_closed_rows_later_names_the_swallowed_line(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "swallow.csv"
    ledger.write_text(
        HEADER
        + '2020-03-13,JC-01,5,"征地启动\n'
        + '2020-03-16,JC-01,6,主体施工"\n'
        + "2020-03-20,JC-01,7,推进\n",
        encoding="utf-8",
    )
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 2: a quote left open on this line swallows line 3 into one cell" in err


def test_a_note_over_several_lines_is_still_one_row(ws: Path, tmp_path: Path) -> None:
    # Excel writes a cell with Alt+Enter as a quoted field over several lines: fine.
    ledger = tmp_path / "multi.csv"
    ledger.write_text(HEADER + '2020-03-13,JC-01,5,"第一行\n第二行"\n', encoding="utf-8")
    code, _, err = _import(ws, ledger)
    assert (code, err) == (0, ""), err
    assert _notes(ws) == ["第一行\n第二行"]


def test_extra_cells_are_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "comma.csv"
    ledger.write_text(HEADER + "2020-03-13,JC-01,5,完成,待验收\n2020-03-16,JC-01,6,,\n", "utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 2: 5 cells but 4 columns" in err and "line 3" not in err  # empty: fine


# --- item 6: the crashes -------------------------------------------------------------


def test_field_over_the_csv_limit_is_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "long.csv"
    ledger.write_text(HEADER + "2020-03-13,JC-01,5," + "长" * 131_073 + "\n", encoding="utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 2: a field is longer than 131072 characters" in err


def test_json_lone_surrogate_is_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "sur.jsonl"
    ledger.write_text(
        '{"date": "2020-03-13", "task": "JC-01", "progress": 5, "note": "\\ud800"}\n', "utf-8"
    )
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 1: note holds an invalid character (a lone surrogate" in err


def test_json_nested_100000_deep_is_an_error(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "deep.jsonl"
    ledger.write_text(
        '{"date": "2020-03-13", "task": "JC-01", "progress": 5}\n'
        + "[" * 100_000
        + "]" * 100_000
        + "\n",
        encoding="utf-8",
    )
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 2: JSON nested too deep for a ledger row" in err


def test_json_values_must_be_scalars(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "obj.jsonl"
    ledger.write_text('{"date": "2020-03-13", "task": "JC-01", "note": {"a": 1}}\n', "utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1 and "line 1: note must be text, a number or true/false" in err


# --- item 7: a named pipe --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", ["pipe.csv", "pipe.xlsx"])
def test_named_pipe_is_refused_promptly(ws: Path, tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "GAOXIN_LANG": "en"}
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "gaoxin_cli", "-C", str(ws), *AS_OF, "import", str(fifo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"Error: {fifo} is not a regular file (a named pipe or a device)" in proc.stderr
    assert time.monotonic() - t0 < 30


# --- streaming: all or nothing, same order and dedup as before ------------------------


def test_bad_last_row_of_a_long_file_leaves_the_store_untouched(
    ws: Path, tmp_path: Path, staged: str
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "2020-03-13,JC-01,5,征地启动\n", encoding="utf-8")
    assert _import(ws, first)[0] == 0
    body = "".join(f"2020-03-{13 + i % 10},JC-0{1 + i % 2},,第{i}次调度\n" for i in range(12_000))
    ledger = tmp_path / "long.csv"
    ledger.write_text(HEADER + body + "2020-03-20,JC-99,5,没有这项任务\n", encoding="utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert 'line 12002: no task with id "JC-99"' in err
    assert _notes(ws) == ["征地启动"]


def test_events_are_stored_by_task_and_day_in_file_order(
    ws: Path, tmp_path: Path, staged: str
) -> None:
    # The order Store.add_unique gave, kept by the staged import: ids grouped by task,
    # then day; rows of one task and day in file order; a repeated row stored once.
    ledger = tmp_path / "mixed-order.csv"
    ledger.write_text(
        HEADER
        + "2020-05-08,JC-02,,b1\n"
        + "2020-03-16,JC-01,,a2\n"
        + "2020-03-13,JC-01,,a1\n"
        + "2020-03-16,JC-01,,a3\n"
        + "2020-05-07,JC-02,,b0\n"
        + "2020-03-16,JC-01,,a2\n",
        encoding="utf-8",
    )
    done = "mixed-order.csv：读取 6 行，{}新增 {} 条记录，{} 条已存在{}\n"
    dry = "（试运行，未写入）"
    assert _import(ws, ledger, "--dry-run")[1] == done.format("将", 5, 1, dry)
    assert _import(ws, ledger)[1] == done.format("", 5, 1, "")
    with sqlite3.connect(ws / "data" / "gaoxin.db") as conn:
        notes = [r[0] for r in conn.execute("SELECT note FROM events ORDER BY id")]
    assert notes == ["a1", "a2", "a3", "b0", "b1"]
    assert _import(ws, ledger, "--dry-run")[1] == done.format("将", 0, 6, dry)


# --- the .xlsx ledger: the same rule where it fits ---------------------------------------


def test_misspelt_workbook_header_is_an_error(ws: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "总表"
    sh.append(["序号", "编号", "本期进", "进展"])  # 本期进度 lost its last character
    sh.append([1, "JC-01", 35, "施工"])
    book = tmp_path / "台账.xlsx"
    wb.save(book)
    code, _, err = _import(ws, book, lang="en")
    assert code == 1
    assert 'C1: unknown column "本期进"; did you mean "本期进度"?' in err
    assert _nothing_stored(ws)


def test_a_file_without_line_ends_is_refused_at_line_1(ws: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "one-line.jsonl"
    ledger.write_text("征" * 400_000, encoding="utf-8")  # 1.2 MB, no \n
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    assert "line 1 of" in err and "longer than 1024 KB" in err


def test_the_same_file_twice_adds_nothing_with_two_reports_on_one_day(
    ws: Path, tmp_path: Path, staged: str
) -> None:
    # Two reports of one task on one day, then a correction: the second import used to
    # compare the day's first report with the day's last stored one and call it
    # "backwards", refusing a file that was only being imported again.
    ledger = tmp_path / "twice.csv"
    ledger.write_text(
        "date,task,kind,progress,note,reason\n"
        "2020-03-13,JC-01,,5,上午,\n"
        "2020-03-13,JC-01,,8,下午,\n"
        "2020-03-16,JC-01,correction,6,核减,统计口径调整\n"
        "2020-03-20,JC-01,,7,推进,\n",
        encoding="utf-8",
    )
    assert _import(ws, ledger)[1] == "twice.csv：读取 4 行，新增 4 条记录，0 条已存在\n"
    code, out, err = _import(ws, ledger)
    assert (code, err) == (0, ""), err
    assert out == "twice.csv：读取 4 行，新增 0 条记录，4 条已存在\n"


def test_the_first_twenty_bad_rows_by_line_are_listed_whatever_order_found(
    ws: Path, tmp_path: Path, staged: str
) -> None:
    # The unknown task on the last line is found while reading, the backwards rows only
    # afterwards: the listing is still by line, and the count covers all of them.
    rows = "".join(f"2020-03-{13 + i // 3:02d},JC-01,{40 - i},第{i}次\n" for i in range(22))
    ledger = tmp_path / "many.csv"
    ledger.write_text(HEADER + rows + "2020-03-31,JC-99,5,x\n", encoding="utf-8")
    code, _, err = _import(ws, ledger, lang="en")
    assert code == 1
    lines = err.splitlines()
    assert lines[0].endswith("has 22 bad row(s); nothing from it was imported:")
    assert [int(ln.split()[1].rstrip(":")) for ln in lines[1:21]] == list(range(3, 23))
    assert lines[21:] == ["  …and 2 more"]
