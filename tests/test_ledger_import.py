"""``gaoxin import FILE.xlsx``: a returned 台账 as a unit fills it, and hostile workbooks.

Workbooks are built here with openpyxl, as a clerk's Excel would save them: a sheet per
unit with the export's headers, and the hidden ``_gaoxin`` sheet the export writes.
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers import LEDGER_HEADERS, run

openpyxl = pytest.importorskip("openpyxl")

EXPORT_HEADERS = LEDGER_HEADERS
AS_OF = ("--as-of", "2020-06-30")


def _fingerprint(ws: Path) -> str:
    from gaoxin_cli.loading.plancache import fingerprint

    return fingerprint(ws)


def build(
    path: Path,
    sheets: dict[str, list[dict[str, Any]]],
    *,
    units: dict[str, str] | None = None,
    fingerprint: str | None = None,
    headers: list[str] = EXPORT_HEADERS,
    hidden: tuple[str, ...] = (),
    blank_rows: tuple[int, ...] = (),
    formats: dict[str, str] | None = None,
) -> Path:
    """A workbook: one sheet per name, rows as {header: value}; with *units* (sheet →
    unit id) the hidden ``_gaoxin`` sheet of an export. *blank_rows* are 0-based row
    indexes (among the data rows) left blank before the row of that index."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sh = wb.create_sheet(name)
        sh.append(headers)
        for i, row in enumerate(rows):
            if i in blank_rows:
                sh.append([None] * len(headers))
            sh.append([row.get(h) for h in headers])
            for h, fmt in (formats or {}).items():
                if h in row:
                    sh.cell(row=sh.max_row, column=headers.index(h) + 1).number_format = fmt
        if name in hidden:
            sh.sheet_state = "hidden"
    if units is not None:
        meta = wb.create_sheet("_gaoxin")
        meta["A1"] = "gaoxin-ledger"
        meta["A2"] = "1"
        meta["A3"] = fingerprint
        meta["A4"] = "2020-06-29"
        meta["A5"] = "2020-06"
        for i, (sheet, unit) in enumerate(units.items(), start=7):
            meta.cell(row=i, column=1, value=sheet)
            meta.cell(row=i, column=2, value=unit)
        meta.sheet_state = "hidden"
    wb.save(path)
    return path


def events(ws: Path, task: str) -> list[dict[str, Any]]:
    code, out, err = run(ws, *AS_OF, "history", task, "--json")
    assert code == 0, err
    return list(json.loads(out)["events"])


def db_written(ws: Path) -> bool:
    db = ws / "data" / "gaoxin.db"
    if not db.exists():
        return False
    import sqlite3

    with sqlite3.connect(db) as con:
        return bool(con.execute("select count(*) from events").fetchone()[0])


def _jc01(progress: Any, **more: Any) -> dict[str, Any]:
    return {
        "任务编号": "JC-01",
        "任务名称": "济宁大道东延建成通车",
        "牵头/配合": "牵头",
        "本期进度(%)": progress,
        "进展情况": "主体施工",
        "存在问题": "",
        "下步计划": "路面铺装",
        "填报人": "赵联络",
        **more,
    }


def test_round_trip_as_a_clerk_fills_it(ws: Path, tmp_path: Path) -> None:
    fp = _fingerprint(ws)
    rows = [
        _jc01("百分之五十", 实际开工日期=43906),  # a typo'd progress; the start as a serial
        {"任务编号": "JC-02", "任务名称": "海川路北延", "牵头/配合": "牵头"},  # not reported
    ]
    book = build(
        tmp_path / "返回.xlsx", {"建设局": rows}, units={"建设局": "jianshe"}, fingerprint=fp
    )
    code, out, err = run(ws, *AS_OF, "import", str(book))
    assert (code, out) == (1, "")
    assert "1 处问题，整个文件都没有导入" in err
    assert "建设局!J2：本期进度应为 0–100 的数字" in err and "百分之五十" in err
    assert not db_written(ws)

    # Fixed, with a blank row before JC-02 and JC-02's start typed as text.
    rows[0]["本期进度(%)"] = "50%"
    rows[1]["实际开工日期"] = "2020-06-01"
    build(
        book,
        {"建设局": rows},
        units={"建设局": "jianshe"},
        fingerprint=fp,
        blank_rows=(1,),
    )
    code, out, err = run(ws, *AS_OF, "import", str(book))
    assert (code, err) == (0, ""), err
    assert out == "返回.xlsx：读取 3 行，新增 3 条记录，0 条已存在\n"
    jc01 = events(ws, "JC-01")
    assert [(e["kind"], e["at"], e["unit"]) for e in jc01] == [
        ("start", "2020-03-16", "jianshe"),
        ("feedback", "2020-06-30", "jianshe"),
    ]
    assert jc01[1]["progress"] == 50.0
    assert jc01[1]["note"] == "进展：主体施工；下步：路面铺装；填报人：赵联络"
    assert [(e["kind"], e["at"]) for e in events(ws, "JC-02")] == [("start", "2020-06-01")]

    code, out, _ = run(ws, *AS_OF, "import", str(book))
    assert (code, out) == (0, "返回.xlsx：读取 3 行，新增 0 条记录，3 条已存在\n")
    code, out, _ = run(ws, *AS_OF, "--lang", "en", "status", "--json")
    assert code == 0
    assert '"JC-01"' in out and "50" in out


def test_a_moved_column_and_45_percent_text(ws: Path, tmp_path: Path) -> None:
    headers = ["本期进度(%)", "填报人", "任务编号", "进展情况"]  # moved, some left out
    book = build(
        tmp_path / "moved.xlsx",
        {"建设局": [{"任务编号": "JC-01", "本期进度(%)": "45%", "进展情况": "进场"}]},
        units={"建设局": "jianshe"},
        fingerprint=_fingerprint(ws),
        headers=headers,
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0, err
    (ev,) = events(ws, "JC-01")
    assert (ev["progress"], ev["note"]) == (45.0, "进展：进场")


def test_a_percent_formatted_cell_and_a_number_stored_as_text(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "pct.xlsx",
        {"建设局": [_jc01(0.45), {"任务编号": "JC-02", "本期进度(%)": " 12 "}]},
        units={"建设局": "jianshe"},
        fingerprint=_fingerprint(ws),
        formats={"本期进度(%)": "0%"},
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0, err
    assert events(ws, "JC-01")[0]["progress"] == 45.0
    assert events(ws, "JC-02")[0]["progress"] == 12.0


def _rewrite(path: Path, part: str, change: Any) -> None:
    """Replace one part of the zip at *path* with change(old bytes)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info.filename, change(data) if info.filename == part else data)


def test_a_formula_reads_its_cached_value(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "f.xlsx",
        {"建设局": [_jc01("=40+5")]},
        units={"建设局": "jianshe"},
        fingerprint=_fingerprint(ws),
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    # openpyxl saves formulas without a computed value: refused at the cell.
    assert code == 1
    assert "建设局!J2：公式没有计算结果" in err
    assert not db_written(ws)
    # As Excel saves it: the formula and its cached value.
    _rewrite(
        book,
        "xl/worksheets/sheet1.xml",
        lambda b: re.sub(rb"<f>40\+5</f><v\s*/>", b"<f>40+5</f><v>45</v>", b),
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0, err
    assert events(ws, "JC-01")[0]["progress"] == 45.0


def test_merged_cells_read_as_their_top_left_value(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "m.xlsx",
        {"建设局": [_jc01(30), {"任务编号": "JC-02", "本期进度(%)": 5}]},
        units={"建设局": "jianshe"},
        fingerprint=_fingerprint(ws),
    )
    wb = openpyxl.load_workbook(book)
    wb["建设局"].merge_cells("K2:K3")  # 进展情况 shared by both rows
    wb.save(book)
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0, err
    assert events(ws, "JC-02")[0]["note"] == "进展：主体施工"


def test_another_units_sheet_is_refused(ws: Path, tmp_path: Path) -> None:
    # 财政局 supports JC-01 but has nothing to do with JC-02.
    book = build(
        tmp_path / "cz.xlsx",
        {"财政局": [_jc01(20), {"任务编号": "JC-02", "本期进度(%)": 10}]},
        units={"财政局": "caizheng"},
        fingerprint=_fingerprint(ws),
    )
    code, _, err = run(ws, "--lang", "en", *AS_OF, "import", str(book))
    assert code == 1
    assert "has 1 problem(s); nothing from it was imported" in err
    assert "财政局!A3: " in err and "caizheng" in err
    assert not db_written(ws)


def test_a_changed_plan_is_refused_unless_accepted(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "old.xlsx",
        {"建设局": [_jc01(20)]},
        units={"建设局": "jianshe"},
        fingerprint="0" * 40,
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1
    assert "另一版计划" in err and "--accept-plan-change" in err
    assert not db_written(ws)
    code, out, err = run(ws, *AS_OF, "import", "--accept-plan-change", str(book))
    assert code == 0, err
    assert "另一版计划" in err and "读取 1 行，新增 1 条记录" in out
    assert events(ws, "JC-01")[0]["progress"] == 20.0


def test_an_accepted_plan_change_still_refuses_tasks_gone(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "gone.xlsx",
        {"建设局": [_jc01(20), {"任务编号": "JC-77", "本期进度(%)": 5}]},
        units={"建设局": "jianshe"},
        fingerprint="0" * 40,
    )
    code, _, err = run(ws, *AS_OF, "import", "--accept-plan-change", str(book))
    assert code == 1
    assert "JC-77" in err
    assert not db_written(ws)


def test_a_plain_ledger_by_column_mapping(ws: Path, tmp_path: Path) -> None:
    # No _gaoxin sheet: synonyms, and each row reported by the task's lead.
    book = build(
        tmp_path / "台账.xlsx",
        {"总表": [{"编号": "JC-01", "完成进度(%)": 35, "进展": "施工", "备注": "雨季"}]},
        headers=["序号", "编号", "完成进度(%)", "进展", "备注"],
    )
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0, err
    (ev,) = events(ws, "JC-01")
    assert (ev["unit"], ev["progress"], ev["note"]) == ("jianshe", 35.0, "进展：施工；备注：雨季")


def test_a_hidden_sheet_is_ignored_with_a_warning(ws: Path, tmp_path: Path) -> None:
    book = build(
        tmp_path / "h.xlsx",
        {"总表": [_jc01(10)], "草稿": [_jc01(99)]},
        hidden=("草稿",),
    )
    code, out, err = run(ws, *AS_OF, "import", str(book))
    assert code == 0
    assert err == "提示：已忽略隐藏的工作表 草稿\n"
    assert "读取 1 行" in out
    assert events(ws, "JC-01")[0]["progress"] == 10.0


def test_many_problems_are_listed_twenty_and_counted(ws: Path, tmp_path: Path) -> None:
    rows = [{"任务编号": "JC-01", "本期进度(%)": f"x{i}"} for i in range(25)]
    book = build(tmp_path / "many.xlsx", {"建设局": rows})
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1
    assert "有 25 处问题" in err and "建设局!J21：" in err and "建设局!J22" not in err
    assert err.rstrip().endswith("…另有 5 处")


@pytest.mark.parametrize("suffix", [".xls", ".xlsm", ".xlsb"])
def test_legacy_and_macro_workbooks_are_refused(ws: Path, tmp_path: Path, suffix: str) -> None:
    book = tmp_path / f"old{suffix}"
    book.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1
    assert suffix in err and "另存为 .xlsx" in err


def test_a_file_that_is_no_zip_is_refused(ws: Path, tmp_path: Path) -> None:
    book = tmp_path / "fake.xlsx"
    book.write_text("任务编号,本期进度\nJC-01,5\n", encoding="utf-8")
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1 and "不是有效的 .xlsx" in err


def test_a_zip_bomb_is_refused_quickly(ws: Path, tmp_path: Path) -> None:
    book = build(tmp_path / "bomb.xlsx", {"建设局": [_jc01(10)]})
    # One part expanding a thousandfold: 64 MB of zeros, ~64 KB on disk.
    _rewrite(book, "xl/worksheets/sheet1.xml", lambda b: b + b" " * (64 * 1024 * 1024))
    assert book.stat().st_size < 1024 * 1024
    began = time.monotonic()
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1 and "压缩炸弹" in err and "sheet1.xml" in err
    assert time.monotonic() - began < 2


def test_many_parts_adding_up_past_the_limit_are_refused(ws: Path, tmp_path: Path) -> None:
    book = tmp_path / "wide.xlsx"
    mib = b"\0" * (1024 * 1024)  # each part at the ratio floor, 201 of them: 201 MiB
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(201):
            zf.writestr(f"xl/media/pad{i}.bin", mib)
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1 and "压缩炸弹" in err and "200 MB" in err


def test_an_xml_entity_declaration_is_refused(ws: Path, tmp_path: Path) -> None:
    book = build(tmp_path / "xxe.xlsx", {"建设局": [_jc01(10)]})

    def laugh(b: bytes) -> bytes:
        decl = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        if b.startswith(b"<?xml"):
            return b.replace(b"?>", b"?>" + decl, 1)
        return decl + b

    _rewrite(book, "xl/worksheets/sheet1.xml", laugh)
    code, _, err = run(ws, *AS_OF, "import", str(book))
    assert code == 1 and "DOCTYPE/ENTITY" in err
    assert not db_written(ws)


def test_csv_problem_lines_are_unchanged(ws: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,task,progress\n2020-03-14,JC-99,5\n", encoding="utf-8")
    code, _, err = run(ws, "--lang", "en", *AS_OF, "import", str(bad))
    assert code == 1
    assert err == (
        f"Error: {bad} has 1 bad row(s); nothing from it was imported:\n"
        '  line 2: no task with id "JC-99"\n'
    )


def test_reader_cell_values() -> None:
    from datetime import date, datetime

    from gaoxin_cli.i18n import Msg
    from gaoxin_cli.loading.ledger_xlsx import _col_letters, _day, _progress

    assert [_progress(v) for v in (45, "45", "45%", "45％", 0.45, None, "")] == [
        45.0,
        45.0,
        45.0,
        45.0,
        45.0,
        None,
        None,
    ]
    assert all(isinstance(_progress(v), Msg) for v in ("百分之五十", 101, -1, True, "1e999"))
    assert _day(43906) == _day(43906.0) == _day("2020-03-16") == date(2020, 3, 16)
    assert _day("2020年3月16日") == _day(datetime(2020, 3, 16)) == date(2020, 3, 16)
    assert isinstance(_day("下周"), Msg) and isinstance(_day(43906.5), Msg)
    assert [_col_letters(c) for c in (0, 9, 25, 26, 701, 702)] == ["A", "J", "Z", "AA", "ZZ", "AAA"]


def test_every_column_the_export_asks_to_fill_is_one_the_import_reads() -> None:
    from gaoxin_cli.loading.ledger_xlsx import HEADERS as READS
    from gaoxin_cli.loading.ledger_xlsx import _header
    from gaoxin_cli.service.ledger import FILL_HEADERS, HEADERS

    assert list(HEADERS) == LEDGER_HEADERS
    assert READS[_header("任务编号")] == "task"
    assert [h for h in FILL_HEADERS if _header(h) not in READS] == []
