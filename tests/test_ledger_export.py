"""``gaoxin ledger export``: the Excel 台账 of the example workspace (the repository's
2020 plan and its ledger, as of 2020-06-30), opened with openpyxl and checked against
the contract of docs/ledger.md — the sheets, the headers, a row per open task, the
hidden key sheet, protection, validation and print setup — and the refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.loading.plancache import fingerprint
from gaoxin_cli.ranking.period import Span
from gaoxin_cli.rules.lifecycle import STOPPED_STATES
from gaoxin_cli.service import daily, ledger
from gaoxin_cli.service.session import Session
from gaoxin_cli.service.snapshot import Snapshot
from helpers import LEDGER_HEADERS, REPO, run

openpyxl = pytest.importorskip("openpyxl")

DAY = date(2020, 6, 30)
STAMP = "2020-06-30T09:00:00+00:00"
AS_OF = ("--as-of", DAY.isoformat())
HEADERS = LEDGER_HEADERS
FILL = HEADERS[9:]
TRICKY = (
    '=HYPERLINK("http://x.example/","点我")',
    "+1",
    "@SUM(A1:A2)",
    "-2+3",
    "=cmd|' /C calc'!A0",
)

# The task whose title becomes each tricky text (the first open tasks of some files).
TRICKY_TASKS = ("GG-01", "DJ-01")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None and os.environ.get("GAOXIN_REQUIRE_LIBREOFFICE") == "1":
    raise RuntimeError("GAOXIN_REQUIRE_LIBREOFFICE=1 but no soffice was found on PATH")


def _session(root: Path) -> Session:
    return Session.open(root, DAY, cache=root / ".cache")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ledger") / "example"
    root.mkdir()
    shutil.copy(REPO / "gaoxin.yaml", root / "gaoxin.yaml")
    shutil.copytree(REPO / "plans", root / "plans")
    done = daily.import_file(
        _session(root), REPO / "data" / "example-history.csv", dry_run=False, recorded_at=STAMP
    )
    assert done.added > 500
    return root


@pytest.fixture(scope="module")
def book(ws: Path) -> Path:
    out = ws.parent / "台账.xlsx"
    code, _, err = run(ws, *AS_OF, "ledger", "export", "--period", "2020-06", "-o", str(out))
    assert code == 0, err
    assert "22" in err  # the stderr line says how many unit sheets
    return out


@pytest.fixture(scope="module")
def wb(book: Path) -> Any:
    return openpyxl.load_workbook(book)


def _unit_sheets(wb: Any) -> list[Any]:
    return [s for s in wb.worksheets if s.title != "_gaoxin"]


def _open_tasks(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Unit id → (task id, 牵头/配合) of each open task, computed from the plan and the
    store without the ledger code."""
    sess = _session(root)
    with sess.store(write=False) as st:
        snap = Snapshot.read(st, sess.plan, DAY)
    out: dict[str, list[tuple[str, str]]] = {u: [] for u in sess.config.units}
    for t in sorted(sess.plan.tasks, key=lambda t: t.id):
        state = snap.states.get(t.id)
        if (state is not None and state.progress >= 100) or snap.lifecycle.get(
            t.id
        ) in STOPPED_STATES:
            continue
        out[t.lead].append((t.id, "牵头"))
        for u in t.support:
            out[u].append((t.id, "配合"))
    return out


def test_a_sheet_per_unit_named_short_then_the_hidden_key(ws: Path, wb: Any) -> None:
    config = _session(ws).config
    names = [u.short or u.name for u in config.units.values()]
    assert wb.sheetnames == [*names, "_gaoxin"]
    assert wb["_gaoxin"].sheet_state == "hidden"
    assert all(s.sheet_state == "visible" for s in _unit_sheets(wb))
    assert wb.active.title == names[0]


def test_headers_exact_in_every_sheet(wb: Any) -> None:
    for sheet in _unit_sheets(wb):
        assert [c.value for c in sheet[1]] == HEADERS, sheet.title


def test_one_row_per_open_task_the_unit_leads_or_supports(ws: Path, wb: Any) -> None:
    expected = _open_tasks(ws)
    sess = _session(ws)
    assert sum(map(len, expected.values())) < sum(1 + len(t.support) for t in sess.plan.tasks), (
        "some tasks must be finished, or the filter is not tested"
    )
    key = wb["_gaoxin"]
    unit_of = {key.cell(r, 1).value: key.cell(r, 2).value for r in range(7, key.max_row + 1)}
    total = 0
    for sheet in _unit_sheets(wb):
        rows = [(r[0], r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert rows == expected[unit_of[sheet.title]], sheet.title
        total += len(rows)
    assert total == sum(map(len, expected.values())) > 100


def test_read_only_values(ws: Path, wb: Any) -> None:
    sess = _session(ws)
    from gaoxin_cli.rules.dashboard import assess_all

    with sess.store(write=False) as st:
        snap = Snapshot.read(st, sess.plan, DAY)
    cards = {
        r.task.id: r.assessment.card.level
        for r in assess_all(
            sess.plan.tasks,
            snap.states,
            sess.config,
            DAY,
            sess.calendar,
            snap.dues,
            snap.lifecycle,
            snap.red_dues,
        )
    }
    words = ("", "蓝牌", "黄牌", "红牌", "问责")
    seen_cards, seen_milestones, seen_blank_progress = set(), 0, 0
    for sheet in _unit_sheets(wb):
        for row in sheet.iter_rows(min_row=2):
            tid = row[0].value
            task = sess.plan.by_id[tid]
            assert row[1].value == task.title
            assert row[3].value == "；".join(task.measures)
            due = row[4]
            assert due.is_date and due.number_format == "yyyy-mm-dd"
            assert due.value.date() == snap.dues.get(tid, task.due)
            assert (row[8].value or "") == words[cards[tid]]
            seen_cards.add(row[8].value)
            state = snap.states.get(tid)
            if state is None or not state.reports:
                assert row[7].value is None
                seen_blank_progress += 1
            else:
                assert row[7].value == pytest.approx(state.progress)
            if row[6].value:
                seen_milestones += 1
                for part in row[6].value.split("；"):
                    day = date.fromisoformat(part[-11:-1])
                    assert date(2020, 6, 1) <= day <= date(2020, 6, 30), part
            june = [m for m in task.milestones if m.due.year == 2020 and m.due.month == 6]
            assert bool(row[6].value) == bool(june), tid
            assert all(row[c].value is None for c in range(9, 15))
    assert {"红牌", "黄牌"} <= seen_cards
    assert seen_milestones > 0


def test_the_hidden_key_sheet(ws: Path, wb: Any) -> None:
    key = wb["_gaoxin"]
    assert [key.cell(r, 1).value for r in range(1, 5)] == [
        "gaoxin-ledger",
        "1",
        fingerprint(ws),
        "2020-06-30",
    ]
    assert key.cell(5, 1).value == "2020-06"
    assert key.cell(6, 1).value is None
    config = _session(ws).config
    pairs = [(key.cell(r, 1).value, key.cell(r, 2).value) for r in range(7, key.max_row + 1)]
    assert pairs == [(s.title, u) for s, u in zip(_unit_sheets(wb), config.units, strict=True)]


def _column(sheet: Any, col: int) -> Any:
    """The column dimension that covers column *col* (1-based; equal neighbours share
    one ``<col min max>``)."""
    found = [d for d in sheet.column_dimensions.values() if d.min <= col <= d.max]
    assert len(found) == 1, col
    return found[0]


def test_protected_with_only_the_fill_columns_unlocked(wb: Any) -> None:
    """Empty cells are not written: they take their column's format, so the columns'
    protection is checked as well as that of every cell written."""
    for sheet in _unit_sheets(wb):
        assert sheet.protection.sheet, sheet.title
        assert sheet.protection.password is None
        for col, header in enumerate(HEADERS, 1):
            fill = header in FILL
            assert _column(sheet, col).protection.locked is not fill, header
            assert sheet.cell(1, col).protection.locked
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.has_style:
                    fill = cell.column > 9
                    assert cell.protection.locked is not fill, cell.coordinate
        assert _column(sheet, 10).fill.fill_type is None
        assert _column(sheet, 9).fill.fgColor.rgb.endswith("E7E6E6")
        if sheet.max_row > 1:
            assert sheet.cell(2, 1).fill.fgColor.rgb.endswith("E7E6E6")


def test_validation_on_the_fill_columns(wb: Any) -> None:
    for sheet in _unit_sheets(wb):
        last = max(sheet.max_row, 2)
        by_type = {dv.type: dv for dv in sheet.data_validations.dataValidation}
        progress = by_type["decimal"]
        span = "{c}2" if last == 2 else f"{{c}}2:{{c}}{last}"
        assert str(progress.sqref) == span.format(c="J")
        assert (progress.operator or "between", progress.formula1, progress.formula2) == (
            "between",
            "0",
            "100",
        )
        assert progress.showErrorMessage and progress.prompt
        started = by_type["date"]
        assert str(started.sqref) == span.format(c="N")
        assert started.prompt and "yyyy-mm-dd" in started.prompt


def test_print_setup_frozen_header_filter_and_widths(wb: Any) -> None:
    for sheet in _unit_sheets(wb):
        assert sheet.freeze_panes == "C2"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # one page wide (1 is the default, which xlsxwriter leaves out), as tall as needed
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows.replace("$", "") == "1:1"
        assert sheet.auto_filter.ref == f"A1:O{max(sheet.max_row, 2)}"
    # CJK text is wider: the title column of a busy sheet is wider than its id column,
    # and every header fits its column
    sheet = max(_unit_sheets(wb), key=lambda s: s.max_row)
    widths = {c: _column(sheet, i).width for i, c in enumerate("ABCDEFGHIJKLMNO", 1)}
    assert widths["B"] > widths["A"] > 8
    for letter, header in zip("ABCDEFGHIJKLMNO", HEADERS, strict=True):
        assert widths[letter] >= 2 * len(header.replace("(%)", "")), header


def test_text_that_looks_like_a_formula_stays_text(ws: Path, tmp_path: Path) -> None:
    root = tmp_path / "tricky"
    shutil.copytree(ws, root, ignore=shutil.ignore_patterns(".cache"))
    for path in (root / "plans").glob("*.yaml"):
        text = path.read_text("utf-8")
        text = text.replace("title: 指挥部实体化运作和重点工作项目化管理", f"title: '{TRICKY[0]}'")
        text = text.replace("title: 强党建统领，当标兵、作示范、争一流", f"title: '{TRICKY[1]}'")
        path.write_text(text, "utf-8")
    out = tmp_path / "t.xlsx"
    code, _, err = run(root, *AS_OF, "ledger", "export", "-u", "zhihuibu", "-o", str(out))
    assert code == 0, err
    sheet = openpyxl.load_workbook(out).worksheets[0]
    titles = {r[0].value: r[1] for r in sheet.iter_rows(min_row=2)}
    for tid, text in zip(TRICKY_TASKS, TRICKY, strict=False):
        assert titles[tid].value == text and titles[tid].data_type == "s", tid
    # and straight through the renderer, every kind of lead character
    from gaoxin_cli.render.ledger_xlsx import write_ledger

    rows = [
        ledger.LedgerRow(f"T-{i}", text, "牵头", text, date(2020, 6, 30), text, text, None, "")
        for i, text in enumerate(TRICKY)
    ]
    export = ledger.LedgerExport(
        DAY,
        "f" * 40,
        "2020-06",
        date(2020, 6, 1),
        date(2020, 6, 30),
        [ledger.LedgerSheet("S", "s", "单位", rows)],
    )
    direct = tmp_path / "direct.xlsx"
    write_ledger(direct, export, "zh")
    sheet = openpyxl.load_workbook(direct)["S"]
    for r, text in enumerate(TRICKY, 2):
        for c in (2, 4, 6, 7):
            cell = sheet.cell(r, c)
            assert (cell.value, cell.data_type) == (text, "s"), (r, c)
    with zipfile.ZipFile(direct) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_one_unit_and_a_range_period(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.XLSX"
    code, _, err = run(
        ws,
        *AS_OF,
        "ledger",
        "export",
        "-u",
        "jianshe",
        "-p",
        "2020-06-01..2020-07-31",
        "-o",
        str(out),
    )
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["建设", "_gaoxin"]
    key = book["_gaoxin"]
    assert key.cell(5, 1).value is None  # a range is no period key
    assert (key.cell(7, 1).value, key.cell(7, 2).value) == ("建设", "jianshe")
    listed = [r[6] for r in book["建设"].iter_rows(min_row=2, values_only=True) if r[6]]
    assert any("2020-07-" in m for m in listed)


def test_the_default_period_is_the_month_of_today(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "default.xlsx"
    code, _, err = run(ws, *AS_OF, "ledger", "export", "-u", "jianshe", "-o", str(out))
    assert code == 0, err
    assert openpyxl.load_workbook(out)["_gaoxin"].cell(5, 1).value == "2020-06"


def test_sheet_names_are_made_safe_and_unique() -> None:
    taken: set[str] = set()
    assert ledger.sheet_name("a/b:c*d?e[f]g\\h", taken) == "a_b_c_d_e_f_g_h"
    assert ledger.sheet_name("A/B:C*D?E[F]G\\H", taken) == "A_B_C_D_E_F_G_H_2"
    long = "很" * 40
    first, second = ledger.sheet_name(long, taken), ledger.sheet_name(long, taken)
    assert (len(first), len(second)) == (31, 31)
    assert first == "很" * 31 and second == "很" * 29 + "_2"
    assert ledger.sheet_name("_gaoxin", taken) == "_gaoxin_2"


def test_unknown_unit_is_refused(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    code, _, err = run(ws, *AS_OF, "ledger", "export", "-u", "jiansh", "-o", str(out))
    assert code == 1
    assert "jiansh" in err and "jianshe" in err  # with the did-you-mean hint
    assert not out.exists()


@pytest.mark.parametrize("name", ["台账.xls", "台账.csv", "台账", "台账.xlsx.bak"])
def test_a_name_not_ending_in_xlsx_is_refused(ws: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    code, _, err = run(ws, *AS_OF, "--lang", "en", "ledger", "export", "-o", str(out))
    assert code == 2
    assert ".xlsx" in err and name in err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_period_is_refused(ws: Path, tmp_path: Path) -> None:
    code, _, err = run(
        ws, *AS_OF, "ledger", "export", "-p", "2020-13", "-o", str(tmp_path / "x.xlsx")
    )
    assert code == 2 and "2020-13" in err
    assert list(tmp_path.iterdir()) == []


def test_nothing_left_behind_on_failure(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoxin_cli.render import ledger_xlsx

    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"the earlier export")

    def broken(filename: str, export: object, lang: object) -> None:
        Path(filename).write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ledger_xlsx, "_write", broken)
    code, _, err = run(ws, *AS_OF, "ledger", "export", "-o", str(out))
    assert code == 1 and "No space left on device" in err
    assert out.read_bytes() == b"the earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]

    # an interrupted run leaves nothing either
    def interrupted(filename: str, export: object, lang: object) -> None:
        Path(filename).write_bytes(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_xlsx, "_write", interrupted)
    sess = _session(ws)
    result = ledger.export_rows(sess, ["jianshe"], Span.parse("2020-06"))
    with pytest.raises(KeyboardInterrupt):
        ledger_xlsx.write_ledger(out, result, "zh")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_a_missing_folder_is_a_clear_error(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "x.xlsx"
    code, _, err = run(ws, *AS_OF, "ledger", "export", "-o", str(out))
    assert code == 1 and str(out) in err
    assert not (tmp_path / "no").exists()


def test_calamine_reads_the_dates_and_the_key(book: Path) -> None:
    from python_calamine import CalamineWorkbook

    cwb = CalamineWorkbook.from_path(str(book))
    key = cwb.get_sheet_by_name("_gaoxin").to_python()
    assert key[0][0] == "gaoxin-ledger" and key[1][0] == "1"
    first = cwb.get_sheet_by_name(cwb.sheet_names[0]).to_python()
    assert first[0] == HEADERS
    assert isinstance(first[1][4], (date, datetime))


@pytest.mark.skipif(
    SOFFICE is None, reason="no LibreOffice: apt-get install -y libreoffice-calc-nogui"
)
def test_libreoffice_prints_it_to_pdf(book: Path, tmp_path: Path) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / (book.stem + ".pdf")
    assert done.returncode == 0, done.stderr
    assert pdf.exists(), done.stdout + done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
