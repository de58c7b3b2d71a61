"""The Excel 台账 round trip as a unit does it: the office exports 建设局's sheet, a clerk
fills it in a spreadsheet (openpyxl here): a typo'd progress, a blank row, a column moved
to the end; the office imports it, the typo is refused at its cell with nothing written,
fixed, imported once (a second import adds nothing) and status shows the progress."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

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


def stamp_saved(book: Path, when: str) -> None:
    """Set docProps/core.xml's dcterms:modified, as the clerk's spreadsheet did on saving
    (openpyxl stamps the real clock)."""
    import re
    import zipfile

    parts = {}
    with zipfile.ZipFile(book) as zf:
        for info in zf.infolist():
            parts[info.filename] = zf.read(info)
    core = parts["docProps/core.xml"].decode()
    core = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]+(</dcterms:modified>)", rf"\g<1>{when}\g<2>", core
    )
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_the_same_file_imported_on_a_later_day_adds_nothing(tmp_path: Path) -> None:
    ws, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb[wb.sheetnames[0]]
    task = sheet.cell(row=2, column=1).value
    sheet.cell(row=2, column=column(sheet, "本期进度(%)")).value = 88
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    stamp_saved(filled, "2020-06-30T02:00:00Z")  # 10:00 in 北京 on 6/30
    assert "新增 1 条记录" in run(ws, "--as-of", NEXT, "import", str(filled))[1]
    assert "新增 0 条记录" in run(ws, "--as-of", "2020-07-08", "import", str(filled))[1]
    code, out, _ = run(ws, "--as-of", "2020-07-08", "history", task, "--json")
    assert code == 0
    reports = [e for e in json.loads(out)["events"] if e.get("progress") == 88]
    assert [e["at"] for e in reports] == ["2020-06-30"]  # dated the day it was saved


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None, reason="no LibreOffice: apt-get install -y libreoffice-calc-nogui"
)
def test_a_workbook_saved_by_libreoffice_imports(tmp_path: Path) -> None:
    """A plain 台账 typed as CSV with Chinese headers and saved as .xlsx by a real
    spreadsheet application (LibreOffice headless), imported by its column names."""
    assert SOFFICE is not None
    ws, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb[wb.sheetnames[0]]
    task = sheet.cell(row=2, column=1).value
    csv = tmp_path / "台账.csv"
    csv.write_text(
        f"编号,完成进度,进展情况,填报日期\n{task},66%,由 LibreOffice 保存,2020-06-29\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(csv),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    saved = tmp_path / "台账.xlsx"
    assert done.returncode == 0 and saved.exists(), done.stdout + done.stderr
    code, out, err = run(ws, "--as-of", NEXT, "import", str(saved))
    assert code == 0, err
    assert "新增 1 条记录" in out
    assert progress_of(ws, task) == 66
    _, hist, _ = run(ws, "--as-of", NEXT, "history", task)
    assert "由 LibreOffice 保存" in hist
