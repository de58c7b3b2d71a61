"""Reading a 台账 (ledger) of reports for ``gaoxin import``: CSV or JSON Lines, streamed.

Columns (CSV header or JSON keys): ``date`` (or ``at``), ``task``, and any of
``progress``, ``note``, ``unit`` (or ``by``), ``milestone``, ``started``, ``kind``
(feedback | correction | milestone | start), ``reason``. Spreadsheets saved by Excel as
"CSV UTF-8" (with a BOM) and as the legacy Chinese encoding (GB18030) are both read; the
encoding is decided on evidence (loading/encodings.py), else named with ``--encoding``.

The file is read one line at a time (:func:`iter_rows`), so its size does not bound
memory. A problem with the whole file (not a regular file, an unknown column, a byte the
encoding cannot decode) raises :class:`GaoxinError` at once; a problem with one row is
yielded with its line number, and reading goes on, so every bad row is reported.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.encodings import (
    EVIDENCE_BYTES,
    SAMPLE_BYTES,
    UTF8_BOM,
    check_option,
    decide,
)
from gaoxin_cli.models.state import Report
from gaoxin_cli.strings import did_you_mean, percent_text

FIELDS = ("date", "task", "progress", "note", "unit", "milestone", "started", "kind", "reason")
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
_NAMES = (*FIELDS, *_ALIASES)
_KINDS = ("feedback", "correction", "milestone", "start")
_TRUE = {"true", "yes", "1", "y", "是", "已开工"}
_FALSE = {"false", "no", "0", "n", "否", ""}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = bytes(range(128))

# A longer line is refused (a file without line ends would otherwise be read whole).
MAX_LINE_BYTES = 1024 * 1024
# The longest text a field may hold: the csv module's own default limit, for JSON too.
MAX_FIELD = 131_072
_SNIFF_BLOCK = 64 * 1024
_READ_BLOCK = 1024 * 1024

Row = tuple[int, Report]
Problem = tuple[int, Msg]
Item = tuple[int, Report | Msg]
Records = Iterator[tuple[int, Mapping[str, Any] | Msg]]


def read_rows(path: Path, *, encoding: str | None = None) -> tuple[list[Row], list[Problem]]:
    """All reports in the file and all problems found, each with its line number."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for line, item in iter_rows(path, encoding=encoding):
        if isinstance(item, Msg):
            problems.append((line, item))
        else:
            rows.append((line, item))
    return rows, problems


def iter_rows(path: Path, *, encoding: str | None = None) -> Iterator[Item]:
    """Each row of the ledger, in file order: its line number and its report, or what is
    wrong with it. *encoding* (``--encoding``) overrides the evidence."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        parse = _jsonl
    elif suffix in (".csv", ".txt"):
        parse = _csv
    else:
        raise GaoxinError("error.import_format", file=str(path))
    codec = None if encoding is None else check_option(encoding)
    with open_regular(path) as fh:
        if codec is None:
            codec = _sniff(fh, str(path))
        for line, record in parse(_lines(fh, codec, str(path)), str(path)):
            if isinstance(record, Msg):
                yield line, record
            else:
                yield line, _report(record)


def open_regular(path: Path) -> BinaryIO:
    """*path* opened for reading; :class:`GaoxinError` when it cannot be, or when it is no
    regular file (a named pipe would block the import forever, a device never end)."""
    try:
        # Non-blocking: opening a FIFO with no writer would otherwise wait for one.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise GaoxinError(
            "import.unreadable", file=str(path), reason=e.strerror or type(e).__name__
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise GaoxinError("error.import_not_regular", file=str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _sniff(fh: BinaryIO, file: str) -> str:
    """Decide the encoding from the first bytes (up to a line end), then rewind."""
    chunks: list[bytes] = []
    size = evidence = 0
    at_end = newline = False
    # Enough evidence (or the sample's limit), and a line end to cut at: a character
    # split at the cut would read as a bad byte. No line end within MAX_LINE_BYTES: the
    # reader refuses the first line anyway.
    while (size < SAMPLE_BYTES and evidence < EVIDENCE_BYTES) or (
        not newline and size <= MAX_LINE_BYTES
    ):
        block = _read(fh, _SNIFF_BLOCK, file)
        if not block:
            at_end = True
            break
        chunks.append(block)
        size += len(block)
        newline = newline or b"\n" in block
        if not block.isascii():
            evidence += len(block.translate(None, _NON_ASCII))
    fh.seek(0)
    sample = b"".join(chunks)
    if not at_end:
        if not newline:
            return "utf-8"
        sample = sample[: sample.rfind(b"\n") + 1]
    return decide(sample, file)


def _read(fh: BinaryIO, size: int, file: str) -> bytes:
    try:
        return fh.read(size)
    except OSError as e:
        raise GaoxinError(
            "import.unreadable", file=file, reason=e.strerror or type(e).__name__
        ) from None


def _lines(fh: BinaryIO, codec: str, file: str) -> Iterator[tuple[int, str]]:
    """Each line, decoded strictly: a byte the encoding cannot read stops the import at
    its line (``--encoding`` named), and so does a line over :data:`MAX_LINE_BYTES`."""
    utf8 = codecs.lookup(codec).name == "utf-8"
    for n, line in enumerate(_raw_lines(fh, file), start=1):
        raw = line
        if len(raw) > MAX_LINE_BYTES:
            raise GaoxinError(
                "error.import_line_too_long", file=file, line=n, limit=MAX_LINE_BYTES // 1024
            )
        if n == 1 and utf8 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as e:
            raise GaoxinError(
                "error.import_decode",
                file=file,
                line=n,
                encoding=codec,
                byte=f"0x{raw[e.start]:02X}",
            ) from None
        yield n, text


def _raw_lines(fh: BinaryIO, file: str) -> Iterator[bytes]:
    """The file's lines, each with its ``\\n`` (the last may lack one), read a block at a
    time (a readline per row costs more than the row's parsing); a line that grows past
    :data:`MAX_LINE_BYTES` is cut there, for the caller to refuse."""
    tail = b""
    while True:
        block = _read(fh, _READ_BLOCK, file)
        if not block:
            if tail:
                yield tail
            return
        parts = (tail + block if tail else block).split(b"\n")
        tail = parts.pop()
        for part in parts:
            yield part + b"\n"
        if len(tail) > MAX_LINE_BYTES:
            yield tail  # refused by the caller; nothing after it is read
            return


# --- JSON Lines ------------------------------------------------------------------------


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs, in order (duplicates kept, to be refused)."""


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not numbers a ledger holds


_DECODER = json.JSONDecoder(object_pairs_hook=_Pairs, parse_constant=_no_constant)
_FIELD_SET = frozenset(FIELDS)
# A surrogate can only come from a \uD800–\uDFFF escape: the line was decoded strictly.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _jsonl(lines: Iterable[tuple[int, str]], file: str) -> Records:
    for n, line in lines:
        if not line.strip():
            continue
        try:
            obj = _DECODER.decode(line)
        except RecursionError:
            yield n, Msg("import.json_too_deep")
            continue
        except ValueError:
            yield n, Msg("import.bad_json")
            continue
        if not isinstance(obj, _Pairs):
            yield n, Msg("import.bad_json")
            continue
        record = dict(obj)
        if len(record) != len(obj) or not _FIELD_SET.issuperset(record):
            yield n, _json_record(obj)  # aliases, repeated or unknown keys
        else:
            yield n, _json_values(record, line)


def _json_record(pairs: _Pairs) -> Mapping[str, Any] | Msg:
    """The row of a JSON object whose keys need a look: aliases, repeats, unknowns."""
    record: dict[str, Any] = {}
    for key, value in pairs:
        name = _ALIASES.get(key, key)
        if name not in FIELDS:
            return _unknown("import.unknown_key", key)
        if name in record:
            return Msg("import.duplicate_key", key=key)
        record[name] = value
    return _json_values(record, None)


def _json_values(record: dict[str, Any], line: str | None) -> Mapping[str, Any] | Msg:
    """*record* when every value is a scalar and every text fits, else the problem. A
    *line* without a surrogate escape or longer than a field skips those checks."""
    long = line is None or len(line) > MAX_FIELD
    escaped = line is None or _SURROGATE_ESCAPE.search(line) is not None
    for name, value in record.items():
        if isinstance(value, str):
            if escaped and _SURROGATE.search(value):
                return Msg("import.surrogate", field=name)
            if long and len(value) > MAX_FIELD:
                return Msg("import.field_too_long", limit=MAX_FIELD)
        elif value is not None and not isinstance(value, bool | int | float):
            return Msg("import.not_scalar", field=name)
    return record


def _unknown(key: str, name: str) -> Msg:
    hint = did_you_mean(name, _NAMES)
    if hint is None:
        return Msg(key, name=name[:40])
    return Msg(f"{key}_hint", name=name[:40], hint=hint)


# --- CSV -------------------------------------------------------------------------------


def _csv(
    lines: Iterable[tuple[int, str]], file: str
) -> Iterator[tuple[int, Mapping[str, Any] | Msg]]:
    last = 0  # the last line the csv reader has taken

    def texts() -> Iterator[str]:
        nonlocal last
        for n, text in lines:
            last = n
            yield text

    reader = csv.reader(texts(), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as e:
        raise GaoxinError("error.import_header_bad", file=file, problem=_csv_problem(e)) from None
    names = _header(header, file)
    date_col = names.index("date")
    start = last + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield start, _csv_problem(e)
            start = last + 1
            continue
        first, start = start, last + 1
        if not any(cell.strip() for cell in record):
            continue
        if start - first > 1:
            swallowed = _swallowed(record, len(names), date_col)
            if swallowed is not None:
                yield first, Msg("import.csv_swallowed", line=first + swallowed)
                continue
        extra = [c for i, c in enumerate(record) if (i >= len(names) or not names[i]) and c.strip()]
        if extra:
            yield first, Msg("import.extra_cells", cells=len(record), columns=len(names))
            continue
        yield first, {k: v for k, v in zip(names, record, strict=False) if k}


def _header(header: list[str], file: str) -> list[str]:
    """The field each column holds ('' for an unnamed one); unknown, repeated or missing
    names refuse the file: a misspelt column would drop its values without a word."""
    names: list[str] = []
    for cell in header:
        raw = cell.strip()
        name = _ALIASES.get(raw, raw)
        if name and name not in FIELDS:
            raise GaoxinError(
                "error.import_unknown_column",
                file=file,
                name=raw[:40],
                hint=did_you_mean(raw, _NAMES),
            )
        if name and name in names:
            raise GaoxinError("error.import_duplicate_column", file=file, name=raw[:40])
        names.append(name)
    missing = [f for f in ("date", "task") if f not in names]
    if missing:
        raise GaoxinError("error.import_header", file=file, missing=", ".join(missing))
    return names


def _swallowed(record: list[str], columns: int, date_col: int) -> int | None:
    """How many lines after its first a record spanning several lines holds a line that
    reads as a row of its own (a quote left open swallowed it), or None."""
    offset = 0
    for cell in record:
        pieces = cell.split("\n")
        for i, piece in enumerate(pieces[1:], start=1):
            cells = next(csv.reader([piece]), [])
            if len(cells) >= columns and _DATE.fullmatch(cells[date_col].strip()):
                return offset + i
        offset += len(pieces) - 1
    return None


def _csv_problem(err: csv.Error) -> Msg:
    text = str(err)
    if text.startswith("unexpected end of data"):
        return Msg("import.csv_unclosed_quote")
    if text.startswith("field larger than field limit"):
        return Msg("import.field_too_long", limit=csv.field_size_limit())
    if "expected after" in text:
        return Msg("import.csv_quote")
    return Msg("import.csv_error", reason=text[:80])


# --- one row ---------------------------------------------------------------------------


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
