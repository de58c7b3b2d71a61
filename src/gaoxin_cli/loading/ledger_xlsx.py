"""Reading a returned Excel 台账 (.xlsx) for ``gaoxin import``.

Two shapes are read (see docs/ledger.md, "导入 / Import"):

* a sheet exported by ``gaoxin ledger export`` and filled in by a unit: a hidden sheet
  ``_gaoxin`` names the plan it was made from (fingerprint) and the unit of every sheet;
* a plain 台账 with Chinese headers: no ``_gaoxin``; each row is reported by the task's
  lead unit.

Columns are found by their header text in row 1 (a moved column still works). The file
is checked before any spreadsheet parser touches it: a zip whose parts are bounded in
size and compression ratio (zip bombs), and no XML part with a DOCTYPE or ENTITY
declaration. Every problem carries its cell as ``单位名!D12``; nothing is returned for a
bad file (the caller refuses the whole file).
"""

import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import Plan
from gaoxin_cli.models.state import Report
from gaoxin_cli.strings import close_matches

XLSX_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods")
REFUSED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods")
META_SHEET = "_gaoxin"
META_MAGIC = "gaoxin-ledger"
META_VERSION = "1"
META_FIRST_UNIT_ROW = 7  # 1-based: from row 7, column A sheet name, column B unit id

# Guards against hostile files: limits on what the zip may expand to.
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all parts together, uncompressed
MAX_RATIO = 100  # per part, uncompressed / compressed
RATIO_FLOOR = 1024 * 1024  # parts smaller than this cannot bomb; their ratio is not checked
PROLOG_BYTES = 64 * 1024  # how much of each XML part is read for a DOCTYPE / ENTITY
_CHUNK = 1024 * 1024

# Header text (normalised: no spaces, half-width brackets, no "(%)") → field.
HEADERS: Mapping[str, str] = {
    "任务编号": "task",
    "编号": "task",
    "任务号": "task",
    "任务": "task",
    "本期进度": "progress",
    "进度": "progress",
    "完成进度": "progress",
    "当前进度": "progress",
    "进展情况": "progress_note",
    "进展": "progress_note",
    "工作进展": "progress_note",
    "存在问题": "issues",
    "问题": "issues",
    "存在的问题": "issues",
    "下步计划": "next",
    "下步": "next",
    "下一步计划": "next",
    "下步工作": "next",
    "备注": "remark",
    "说明": "remark",
    "实际开工日期": "started",
    "开工日期": "started",
    "填报人": "reporter",
    "填报日期": "at",
}
# Note parts in order, with their labels.
NOTE_PARTS = (
    ("progress_note", "进展"),
    ("issues", "问题"),
    ("next", "下步"),
    ("remark", "备注"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 … 9999-12-31
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_CELL = re.compile(rb"<c\s([^>]*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CACHED = re.compile(rb"<v>[^<]")


class LedgerRead(NamedTuple):
    """What a workbook holds: reports and problems keyed by a position (an int that
    sorts in sheet, row, column order), the cell reference of every position, and
    warnings (hidden sheets ignored, an accepted plan change)."""

    rows: list[tuple[int, Report]]
    problems: list[tuple[int, Msg]]
    refs: dict[int, str]
    warnings: list[Msg]


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES


def read_workbook(
    path: Path,
    *,
    fingerprint: str | None,
    plan: Plan,
    today: date,
    accept_plan_change: bool = False,
) -> LedgerRead:
    """All reports of the workbook at *path*, with every problem at its cell.

    *fingerprint* is the current plan's (``plancache.fingerprint``); a workbook exported
    from another plan is refused unless *accept_plan_change* (then a warning, as long as
    every task id still exists). Raises :class:`GaoxinError` for a file refused whole."""
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise GaoxinError("ledger.refused_format", file=str(path), suffix=suffix)
    uncached, saved_on = _guard(path)
    # A row without 填报日期 is dated the day the workbook was last saved (the unit's
    # report), never after today: the same file imported on a later day is the same
    # reports, so a second import adds nothing.
    day = min(saved_on, today) if saved_on is not None else today
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as e:
        raise GaoxinError("import.unreadable", file=str(path), reason=str(e)[:200]) from None
    reader = _Reader(plan, day, uncached)
    with wb:
        sheet_units: dict[str, str] | None = None
        changed = False
        if META_SHEET in wb.sheet_names:
            meta = wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
            sheet_units, changed = _meta(meta, path, plan, fingerprint, accept_plan_change)
        for index, info in enumerate(wb.sheets_metadata):
            name = info.name
            if name == META_SHEET:
                continue
            if info.visible != SheetVisibleEnum.Visible:
                reader.warnings.append(Msg("ledger.hidden_sheet", sheet=name))
                continue
            unit: str | None = None
            if sheet_units is not None:
                if name not in sheet_units:
                    reader.warnings.append(Msg("ledger.sheet_not_exported", sheet=name))
                    continue
                unit = sheet_units[name]
            sheet = wb.get_sheet_by_name(name)
            try:
                grid = sheet.to_python(skip_empty_area=False)
            except CalamineError as e:
                raise GaoxinError(
                    "import.unreadable", file=str(path), reason=str(e)[:200]
                ) from None
            # Blank rows are blank as typed: a merged cell reaching into one fills nothing.
            blank = {r for r, row in enumerate(grid) if not any(map(_text, row))}
            _fill_merged(grid, sheet.merged_cell_ranges)
            reader.sheet(index + 1, name, grid, unit, blank)
    if changed:
        known = {tk.id for tk in plan.tasks}
        gone = sorted({r.task for _, r in reader.rows} - known)
        if gone:
            raise GaoxinError(
                "ledger.plan_changed_gone", file=str(path), tasks="、".join(gone[:10])
            )
        reader.warnings.append(Msg("ledger.plan_changed_accepted", file=path.name))
    return LedgerRead(reader.rows, reader.problems, reader.refs, reader.warnings)


# --- guards -------------------------------------------------------------------------


def _guard(path: Path) -> tuple[dict[str, set[tuple[int, int]]], date | None]:
    """Refuse a file that is no zip, would expand too far, or declares DTDs; return the
    cells (row, column; 0-based) per sheet name holding a formula without a cached value,
    and the day the workbook was last saved (docProps/core.xml), if it says."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise GaoxinError("ledger.not_xlsx", file=str(path)) from None
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_TOTAL_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
                raise GaoxinError(
                    "ledger.zip_bomb",
                    file=str(path),
                    part=info.filename[:80],
                    max_mb=MAX_TOTAL_BYTES // (1024 * 1024),
                    ratio=MAX_RATIO,
                )
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_prolog(zf, info, path)
        parts = _sheet_parts(zf)
        uncached: dict[str, set[tuple[int, int]]] = {}
        for name, part in parts.items():
            cells = _uncached_formulas(zf, part, path)
            if cells:
                uncached[name] = cells
        saved_on = _saved_on(zf)
    return uncached, saved_on


# Spreadsheets stamp dcterms:modified in UTC; the offices this is for keep China time.
_CHINA = timedelta(hours=8)


def _saved_on(zf: zipfile.ZipFile) -> date | None:
    """The day (China time) docProps/core.xml says the workbook was last saved."""
    try:
        info = zf.getinfo("docProps/core.xml")
    except KeyError:
        return None
    if info.file_size > PROLOG_BYTES:
        return None
    text = zf.read(info).decode("utf-8", "replace")
    m = re.search(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>", text)
    if m is None:
        return None
    try:
        stamp = datetime.fromisoformat(m.group(1).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        return stamp.date()
    return (stamp.astimezone(UTC) + _CHINA).date()


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    with zf.open(info) as f:
        head = f.read(PROLOG_BYTES)
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise GaoxinError("ledger.xml_dtd", file=str(path), part=info.filename[:80])


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part (xl/worksheets/sheetN.xml), from workbook.xml."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {
        m.group(1).decode(): m.group(2).decode()
        for m in re.finditer(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2).decode(): m.group(1).decode()
            for m in re.finditer(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    out = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        attrs = m.group(1)
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]*)"', attrs) or re.search(rb'\b\w+:id="([^"]*)"', attrs)
        if not (name and rid):
            continue
        target = targets.get(rid.group(1).decode())
        if target is None:
            continue
        target = target.lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        out[_unescape(name.group(1).decode())] = part
    return out


def _unescape(s: str) -> str:
    import html

    return html.unescape(s)


def _uncached_formulas(zf: zipfile.ZipFile, part: str, path: Path) -> set[tuple[int, int]]:
    """Cells of the part with ``<f>`` and no non-empty ``<v>``; streamed, bounded by the
    declared size (a part that expands beyond it is refused)."""
    found: set[tuple[int, int]] = set()
    try:
        f = zf.open(part)
    except KeyError:
        return found
    with f:
        size = zf.getinfo(part).file_size
        read = 0
        carry = b""
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > size or read > MAX_TOTAL_BYTES:
                raise GaoxinError(
                    "ledger.zip_bomb",
                    file=str(path),
                    part=part,
                    max_mb=MAX_TOTAL_BYTES // (1024 * 1024),
                    ratio=MAX_RATIO,
                )
            data = carry + chunk
            cut = data.rfind(b"</c>")
            if cut < 0:
                carry = data[-_CHUNK:]
                continue
            carry = data[cut + 4 :]
            block = data[: cut + 4]
            if b"<f" in block:
                _scan(block, found)
    return found


def _scan(block: bytes, found: set[tuple[int, int]]) -> None:
    for m in _CELL.finditer(block):
        inner = m.group(2)
        if b"<f" not in inner or _CACHED.search(inner):
            continue
        ref = _REF.search(m.group(1))
        if ref:
            found.add((int(ref.group(2)) - 1, _col_index(ref.group(1).decode())))


# --- the _gaoxin sheet ----------------------------------------------------------------


def _meta(
    grid: list[list[Any]],
    path: Path,
    plan: Plan,
    fingerprint: str | None,
    accept: bool,
) -> tuple[dict[str, str], bool]:
    def cell(row: int, col: int = 0) -> str:
        if row < len(grid) and col < len(grid[row]):
            return _text(grid[row][col]) or ""
        return ""

    if cell(0) != META_MAGIC:
        raise GaoxinError("ledger.meta_bad", file=str(path), sheet=META_SHEET)
    version = cell(1)
    if version not in (META_VERSION, f"{META_VERSION}.0"):
        raise GaoxinError("ledger.meta_version", file=str(path), version=version[:20])
    changed = fingerprint is not None and cell(2) != fingerprint
    if changed and not accept:
        raise GaoxinError("ledger.plan_changed", file=str(path), exported=cell(3) or "?")
    units: dict[str, str] = {}
    for row in range(META_FIRST_UNIT_ROW - 1, len(grid)):
        sheet, unit = cell(row, 0), cell(row, 1)
        if not sheet and not unit:
            continue
        if unit not in plan.config.units:
            raise GaoxinError(
                "ledger.meta_unit", file=str(path), ref=f"{META_SHEET}!B{row + 1}", unit=unit
            )
        units[sheet] = unit
    return units, changed


# --- the unit sheets ----------------------------------------------------------------


def _fill_merged(
    grid: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]] | None
) -> None:
    """Every cell of a merged range reads as its top-left value."""
    for (r0, c0), (r1, c1) in ranges or ():
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value


class _Reader:
    def __init__(self, plan: Plan, today: date, uncached: dict[str, set[tuple[int, int]]]):
        self.plan = plan
        self.today = today
        self.uncached = uncached
        self.rows: list[tuple[int, Report]] = []
        self.problems: list[tuple[int, Msg]] = []
        self.refs: dict[int, str] = {}
        self.warnings: list[Msg] = []

    def sheet(
        self, index: int, name: str, grid: list[list[Any]], unit: str | None, blank: set[int]
    ) -> None:
        if not grid or not any(_text(v) for v in grid[0]):
            if any(any(_text(v) for v in row) for row in grid):
                self._problem(index, name, 0, 0, Msg("ledger.no_header"))
            return
        columns: dict[str, int] = {}
        unknown: list[tuple[int, str]] = []
        for col, value in enumerate(grid[0]):
            header = _header(_text(value) or "")
            field = HEADERS.get(header)
            if field is None:
                if header:
                    unknown.append((col, header))
                continue
            if field in columns:
                self._problem(index, name, 0, col, Msg("ledger.duplicate_column", field=field))
                continue
            columns[field] = col
        # Other columns are a plain 台账's own (序号, 责任单位 …), but one that reads like
        # a misspelt header of a field no column holds would drop its values unseen.
        for col, header in unknown:
            close = close_matches(header, HEADERS)
            if close and HEADERS[close[0]] not in columns:
                hint = Msg("hint.did_you_mean", name=close[0])
                self._problem(
                    index, name, 0, col, Msg("ledger.unknown_column", name=header, hint=hint)
                )
        if "task" not in columns:
            self._problem(index, name, 0, 0, Msg("ledger.no_task_column"))
            return
        bad = self.uncached.get(name, set())
        for r in range(1, len(grid)):
            if r in blank:
                continue
            self._row(index, name, r, grid[r], columns, unit, bad)

    def _pos(self, index: int, name: str, row: int, col: int) -> int:
        pos = (index << 40) | (row << 14) | col
        self.refs[pos] = f"{name}!{_col_letters(col)}{row + 1}"
        return pos

    def _problem(self, index: int, name: str, row: int, col: int, msg: Msg) -> None:
        self.problems.append((self._pos(index, name, row, col), msg))

    def _row(
        self,
        index: int,
        name: str,
        r: int,
        values: list[Any],
        columns: dict[str, int],
        unit: str | None,
        uncached: set[tuple[int, int]],
    ) -> None:
        cells: dict[str, Any] = {}
        failed = False
        for field, col in columns.items():
            if (r, col) in uncached:
                self._problem(index, name, r, col, Msg("ledger.formula_no_value"))
                failed = True
            cells[field] = values[col] if col < len(values) else None
        if failed:
            return
        progress = _progress(cells.get("progress"))
        started = _day(cells.get("started"))
        at = _day(cells.get("at")) if _text(cells.get("at")) else self.today
        note_parts = [
            f"{label}：{text}" for field, label in NOTE_PARTS if (text := _text(cells.get(field)))
        ]
        if isinstance(progress, Msg):
            self._problem(index, name, r, columns["progress"], progress)
            failed = True
        if isinstance(started, Msg):
            self._problem(index, name, r, columns["started"], started)
            failed = True
        if isinstance(at, Msg):
            self._problem(index, name, r, columns["at"], at)
            failed = True
        task = _text(cells.get("task"))
        content = progress is not None or note_parts or started is not None
        if not content:
            return  # a task listed on the sheet and not reported on this time
        if task is None:
            self._problem(index, name, r, columns["task"], Msg("ledger.no_task"))
            return
        if failed:
            return
        assert not isinstance(progress, Msg) and not isinstance(started, Msg)
        assert not isinstance(at, Msg) and at is not None
        reporter = _text(cells.get("reporter"))
        if reporter and (note_parts or progress is not None):
            note_parts.append(f"填报人：{reporter}")
        note = "；".join(note_parts) or None
        pos = self._pos(index, name, r, columns["task"])
        if progress is not None or note is not None:
            self.rows.append(
                (pos, Report(task=task, at=at, progress=progress, note=note, unit=unit))
            )
        if started is not None:
            spos = self._pos(index, name, r, columns["started"])
            self.rows.append((spos, Report(task=task, at=started, unit=unit, started=True)))


# --- cell values --------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value.__class__ is str:  # most cells: the fast path
        return value.strip() or None
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        s = f"{value:.15g}"
    elif isinstance(value, datetime):
        s = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    elif isinstance(value, date):
        s = value.isoformat()
    else:
        s = str(value)
    s = s.strip()
    return s or None


def _header(text: str) -> str:
    s = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    return s.replace("(%)", "").replace("%", "")


def _progress(value: Any) -> float | Msg | None:
    """45, "45", "45%" and 0.45 (a percent-formatted cell holds the fraction) → 45."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | date | timedelta):
        return Msg("ledger.bad_progress", value=(_text(value) or "")[:40])
    if isinstance(value, int | float):
        p = float(value)
        if 0 < p < 1:
            p = round(p * 100, 6)
    else:
        s = str(value).strip().replace("％", "%")
        pct = s.endswith("%")
        try:
            p = float(s.rstrip("%").strip())
        except ValueError:
            return Msg("ledger.bad_progress", value=s[:40])
        if not pct and 0 < p < 1 and "." in s:
            p = round(p * 100, 6)
    if p != p or not 0 <= p <= 100:
        return Msg("ledger.bad_progress", value=(_text(value) or "")[:40])
    return p


def _day(value: Any) -> date | Msg | None:
    """A date cell, an Excel date serial, or text 2020-03-16 / 2020/3/16 / 2020年3月16日."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return Msg("ledger.bad_date", value=(_text(value) or "")[:40])
    s = str(value).strip()
    m = _DATE_TEXT.fullmatch(s)
    if m is None and s.isdigit():
        return _day(int(s))
    if m is not None:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return Msg("ledger.bad_date", value=s[:40])


def _col_letters(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
