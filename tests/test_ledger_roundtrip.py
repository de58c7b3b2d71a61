"""The Excel 台账 round trip as a unit does it: the office exports 建设局's sheet, a clerk
fills it in a spreadsheet (openpyxl here): a typo'd progress, a blank row, a column moved
to the end; the office imports it, the typo is refused at its cell with nothing written,
fixed, imported once (a second import adds nothing) and status shows the progress."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl

from helpers import REPO, run

DAY = "2020-06-30"
NEXT = "2020-07-01"


def exported(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", ws / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", ws / "plans")
    assert run(ws, "--as-of", DAY, "import", str(REPO / "data" / "example-history.csv"))[0] == 0
    book = tmp_path / "jianshe.xlsx"
    code, _, err = run(ws, "--as-of", DAY, "ledger", "export", "-u", "jianshe", "-o", str(book))
    assert code == 0, err
    return ws, book


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, header: str) -> int:
    return next(c.column for c in sheet[1] if c.value == header)


def progress_of(ws: Path, task: str) -> float | None:
    doc = json.loads(run(ws, "--as-of", NEXT, "status", "--json")[1])
    return next(t["progress"] for t in doc["tasks"] if t["id"] == task)


def test_export_fill_import_status(tmp_path: Path) -> None:
    ws, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb[wb.sheetnames[0]]
    tasks = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    first, second = tasks[0], tasks[1]
    # The clerk moves 进展情况 to the end, fills two rows and leaves the rest blank.
    note_col = column(sheet, "进展情况")
    last = sheet.max_column + 1
    for r in range(1, sheet.max_row + 1):
        sheet.cell(row=r, column=last).value = sheet.cell(row=r, column=note_col).value
        sheet.cell(row=r, column=note_col).value = None
    sheet.cell(row=1, column=note_col).value = "备用"
    prog = column(sheet, "本期进度(%)")
    sheet.cell(row=2, column=prog).value = 77
    sheet.cell(row=2, column=last).value = "主体完工"
    sheet.cell(row=3, column=prog).value = "百分之五十"
    filled = tmp_path / "jianshe-filled.xlsx"
    wb.save(filled)

    code, _, err = run(ws, "--as-of", NEXT, "import", str(filled))
    letter = openpyxl.utils.get_column_letter(prog)
    assert code == 1 and f"!{letter}3" in err and "百分之五十" in err
    assert progress_of(ws, first) != 77  # nothing was written

    wb = openpyxl.load_workbook(filled)
    wb[wb.sheetnames[0]].cell(row=3, column=prog).value = "50%"
    wb.save(filled)
    code, out, err = run(ws, "--as-of", NEXT, "import", str(filled))
    assert code == 0, err
    assert "新增 2 条记录" in out
    assert run(ws, "--as-of", NEXT, "import", str(filled))[1].count("新增 0 条记录") == 1
    assert progress_of(ws, first) == 77
    assert progress_of(ws, second) == 50
    code, out, _ = run(ws, "--as-of", NEXT, "history", first)
    assert "主体完工" in out
