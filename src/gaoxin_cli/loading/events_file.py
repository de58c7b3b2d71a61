"""Reading a 台账 (ledger) of reports for ``gaoxin import``: CSV or JSON Lines.

Columns (CSV header or JSON keys): ``date`` (or ``at``), ``task``, and any of
``progress``, ``note``, ``unit`` (or ``by``), ``milestone``, ``started``, ``kind``
(feedback | correction | milestone | start), ``reason``. Spreadsheets saved by Excel as
"CSV UTF-8" (with a BOM) and as the legacy Chinese encoding (GB18030) are both read.
Every bad row is reported with its line number; nothing is returned for a bad file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models.state import Report
from gaoxin_cli.strings import percent_text

_ALIASES = {
    "at": "date",
    "by": "unit",
    "日期": "date",
    "任务": "task",
    "进度": "progress",
    "说明": "note",
    "单位": "unit",
    "节点": "milestone",
}
_KINDS = ("feedback", "correction", "milestone", "start")
_TRUE = {"true", "yes", "1", "y", "是", "已开工"}
_FALSE = {"false", "no", "0", "n", "否", ""}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Row = tuple[int, Report]
Problem = tuple[int, Msg]


def read_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """All reports in the file and all problems found, each with its line number."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise GaoxinError(
            "import.unreadable", file=str(path), reason=e.strerror or type(e).__name__
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise GaoxinError("import.unreadable", file=str(path), reason="encoding") from None
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        records = _jsonl(text)
    elif suffix in (".csv", ".txt"):
        records = _csv(text, path)
    else:
        raise GaoxinError("error.import_format", file=str(path))
    rows: list[Row] = []
    problems: list[Problem] = []
    for line, record in records:
        if isinstance(record, Msg):
            problems.append((line, record))
            continue
        report = _report(record)
        if isinstance(report, Msg):
            problems.append((line, report))
        else:
            rows.append((line, report))
    return rows, problems


def _jsonl(text: str) -> Iterator[tuple[int, Mapping[str, Any] | Msg]]:
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            yield i, Msg("import.bad_json")
            continue
        if not isinstance(obj, dict):
            yield i, Msg("import.bad_json")
            continue
        yield i, {_ALIASES.get(str(k), str(k)): v for k, v in obj.items()}


def _csv(text: str, path: Path) -> Iterator[tuple[int, Mapping[str, Any] | Msg]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    names = [_ALIASES.get(h.strip(), h.strip()) for h in header]
    missing = [f for f in ("date", "task") if f not in names]
    if missing:
        raise GaoxinError("error.import_header", file=str(path), missing=", ".join(missing))
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        yield reader.line_num, dict(zip(names, record, strict=False))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _report(rec: Mapping[str, Any]) -> Report | Msg:
    task = _text(rec.get("task"))
    if task is None:
        return Msg("import.missing", field="task")
    day = _text(rec.get("date"))
    if day is None:
        return Msg("import.missing", field="date")
    if not _DATE.fullmatch(day):
        return Msg("error.bad_date", value=day[:40])
    try:
        at = date.fromisoformat(day)
    except ValueError:
        return Msg("error.bad_date", value=day[:40])
    progress: float | None = None
    raw_progress = rec.get("progress")
    if isinstance(raw_progress, bool):
        return Msg("import.bad_number", field="progress", value=str(raw_progress))
    if isinstance(raw_progress, int | float):
        progress = float(raw_progress)
    elif _text(raw_progress) is not None:
        # The one reading of a typed percentage, shared with feedback -p.
        progress = percent_text(str(raw_progress))
        if progress is None:
            return Msg("import.bad_number", field="progress", value=str(raw_progress).strip()[:40])
    kind = (_text(rec.get("kind")) or "feedback").lower()
    if kind not in _KINDS:
        return Msg("import.bad_kind")
    started_raw = rec.get("started")
    if isinstance(started_raw, bool):
        started = started_raw
    else:
        s = (_text(started_raw) or "").lower()
        if s in _TRUE:
            started = True
        elif s in _FALSE:
            started = False
        else:
            return Msg("import.bad_bool", field="started")
    return Report(
        task=task,
        at=at,
        progress=progress,
        note=_text(rec.get("note")),
        unit=_text(rec.get("unit")),
        milestone=_text(rec.get("milestone")),
        started=started or kind == "start",
        correct=kind == "correction",
        reason=_text(rec.get("reason")),
    )
