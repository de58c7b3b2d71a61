"""``--xlsx FILE``: a view (``status``, ``overdue``, ``countdown``, ``ranking``,
``problem list``) as an Excel workbook, formatted like the screen.

One writer (:func:`write`) takes sheets of (value, style) cells: a bold, frozen header
row with an autofilter, columns as wide as their widest text (CJK counts double), A4
landscape, card cells filled in their colour and the 流动红旗 row marked. Text always
goes in with ``write_string`` and the workbook refuses to turn strings into formulas or
links, so a task titled ``=HYPERLINK(…)`` stays text. The file appears whole or not at
all: written to a temporary file beside it, then renamed.

The rows come from the same results the screens and ``--json`` print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Lang, t

if TYPE_CHECKING:
    from gaoxin_cli.models import Config
    from gaoxin_cli.ranking.result import RankingResult
    from gaoxin_cli.rules.problem_cards import ProblemLine
    from gaoxin_cli.service.daily import CountdownResult, Status
    from gaoxin_cli.service.escalation import Overdue
    from gaoxin_cli.service.problems import ProblemList

Value = str | int | float | date | None
Cell = tuple[Value, str]  # (value, style name: "" or a key of _STYLES)

# Fills and fonts, like the screen's LEVEL_STYLES: blue, yellow, red, white on dark red.
_STYLES: dict[str, dict[str, Any]] = {
    "": {},
    "card1": {"bg_color": "#2F75B5", "font_color": "#FFFFFF", "bold": True},
    "card2": {"bg_color": "#FFD966", "font_color": "#000000", "bold": True},
    "card3": {"bg_color": "#E02020", "font_color": "#FFFFFF", "bold": True},
    "card4": {"bg_color": "#8B0000", "font_color": "#FFFFFF", "bold": True},
    "flag": {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True},
    "bottom": {"bg_color": "#FFF2CC"},
    "late": {"font_color": "#C00000", "bold": True},
    "soon": {"font_color": "#B8860B", "bold": True},
    "dim": {"font_color": "#808080"},
}
_HEADER: dict[str, Any] = {
    "bold": True,
    "bg_color": "#D9D9D9",
    "bottom": 1,
    "text_wrap": True,
    "valign": "top",
}
_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "pct": "0%", "score": "0.00", "int": "0"}
_MAX_WIDTH = 60
_SHEET_NAME_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def card_style(level: int) -> str:
    """The style of a card cell: its colour, none for level 0."""
    return f"card{level}" if level else ""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its tab name, a title for the printed page's header, the column
    headers and the rows. *formats* gives a column a number format
    (``pct``: a fraction shown as a percentage, ``score``: two decimals)."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    formats: Mapping[int, str] = field(default_factory=dict)


def checked(path: Path) -> Path:
    """*path*, when it names an .xlsx file; a usage error otherwise (exit 2)."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError("error.xlsx_suffix", path=str(path))
    return path


def written(path: Path, lang: Lang) -> str:
    """The line ``--xlsx`` prints on stderr."""
    return t("xlsx.written", lang, path=str(path)) + "\n"


def _width(value: Value) -> int:
    from rich.cells import cell_len

    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((cell_len(line) for line in str(value).splitlines()), default=0)


def write(path: Path, sheets: Sequence[Sheet]) -> None:
    """The workbook *sheets* make, at *path*: all of it or, on an error, nothing."""
    import tempfile

    checked(path)
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=folder)
    except OSError as exc:
        raise GaoxinError("error.write_output", path=str(path), reason=exc.strerror or exc) from exc
    os.close(fd)
    try:
        _workbook(Path(tmp), sheets)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; a new file's usual mode
        os.replace(tmp, path)
    except OSError as exc:
        raise GaoxinError("error.write_output", path=str(path), reason=exc.strerror or exc) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _workbook(target: Path, sheets: Sequence[Sheet]) -> None:
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    book = xlsxwriter.Workbook(
        str(target),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": _NUMBER_FORMATS["date"],
        },
    )
    formats: dict[tuple[str, str], Any] = {}

    def fmt(style: str, number: str = "") -> Any:
        key = (style, number)
        if key not in formats:
            props = dict(_STYLES.get(style, {}))
            props["valign"] = "top"
            if number:
                props["num_format"] = _NUMBER_FORMATS[number]
            formats[key] = book.add_format(props)
        return formats[key]

    header = book.add_format(_HEADER)
    wrap = {
        style: book.add_format({**_STYLES[style], "text_wrap": True, "valign": "top"})
        for style in _STYLES
    }
    used: set[str] = set()
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name, used))
        ncols = len(sheet.headers)
        widths = [_width(h) for h in sheet.headers]
        for c, h in enumerate(sheet.headers):
            ws.write_string(0, c, h, header)
        for r, row in enumerate(sheet.rows, start=1):
            for c, (value, style) in enumerate(row):
                number = sheet.formats.get(c, "")
                widths[c] = max(widths[c], _width(value))
                if value is None or value == "":
                    ws.write_blank(r, c, None, fmt(style))
                elif isinstance(value, str):
                    cell_fmt = wrap[style] if "\n" in value else fmt(style)
                    ws.write_string(r, c, value, cell_fmt)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, value, fmt(style, "date"))
                else:
                    ws.write_number(r, c, value, fmt(style, number))
        for c, w in enumerate(widths):
            ws.set_column(c, c, min(_MAX_WIDTH, max(4, w)) + 2)
        ws.freeze_panes(1, 0)
        if ncols:
            ws.autofilter(0, 0, max(1, len(sheet.rows)), ncols - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_header("&C" + sheet.title.replace("&", "&&")[:200])
        ws.set_footer("&C&P / &N")
    try:
        book.close()
    except FileCreateError as exc:
        raise OSError(str(exc)) from exc


def _sheet_name(name: str, used: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = name.translate(_SHEET_NAME_BAD)[:28] or "Sheet"
    out, n = base, 2
    while out.lower() in used:
        out, n = f"{base}{n}", n + 1
    used.add(out.lower())
    return out


def _pct(value: float) -> Cell:
    return value / 100, ""


def _unit(config: Config, unit: str | None) -> Cell:
    return (config.unit_name(unit, short=True) if unit else "", "")


def _joined(lines: Iterable[str], lang: Lang) -> str:
    return ("；" if lang == "zh" else "; ").join(lines)


# --- status -----------------------------------------------------------------------------


def status(path: Path, result: Status, config: Config, lang: Lang) -> str:
    """``status --xlsx``: every task of the dashboard, most urgent first (the rows of
    ``--json``'s ``tasks``), and the open 问题提报 on a second sheet when there are any."""
    from gaoxin_cli.render.status import reasons

    dash = result.dashboard
    rows: list[list[Cell]] = []
    for r in dash.rows:
        a = r.assessment
        rows.append(
            [
                (
                    t(f"levelshort.{a.card.level}", lang) if a.card.level else "",
                    card_style(a.card.level),
                ),
                (r.task.id, ""),
                (r.task.title, ""),
                _unit(config, r.task.lead),
                _pct(r.state.progress),
                _pct(a.planned),
                (r.due, ""),
                (_joined(reasons(r, lang), lang), ""),
            ]
        )
    headers = [
        t(k, lang)
        for k in (
            "col.card",
            "col.task",
            "col.title",
            "col.lead",
            "col.progress",
            "col.planned",
            "overdue.col.due",
            "col.why",
        )
    ]
    title = t("status.title", lang, org=config.org.name) + " " + dash.today.isoformat()
    sheets = [Sheet(t("xlsx.sheet.status", lang), title, headers, rows, {4: "pct", 5: "pct"})]
    open_lines = [ln for ln in result.problems if ln.status.open]
    if open_lines:
        sheets.append(_problem_sheet(open_lines, config, lang, dash.today))
    write(path, sheets)
    return written(path, lang)


# --- overdue ----------------------------------------------------------------------------


def overdue(path: Path, result: Overdue, config: Config, lang: Lang, today: date) -> str:
    """``overdue --xlsx``: the ladder table (the rows of ``--json``'s ``tasks``), and the
    late 问题提报 on a second sheet when there are any."""
    from gaoxin_cli.render.ladder import kind_short

    rows: list[list[Cell]] = []
    for r in result.tasks:
        s = r.standing
        a, task = s.assessment, s.task
        if a.overdue_wd > 0:
            late: Cell = (t("overdue.late", lang, wd=a.overdue_wd), "late")
        elif a.left_wd == 0:
            late = (t("overdue.today", lang), "soon")
        elif a.left_wd is not None:
            late = (t("overdue.left", lang, wd=a.left_wd), "")
        else:
            late = ("", "")
        nxt: Cell = ("", "")
        if r.next is not None:
            rung, day = r.next
            when = t("overdue.today", lang) if day == today else day.isoformat()
            nxt = (f"{kind_short(rung, lang)} {when}", "")
        rows.append(
            [
                (
                    t(f"levelshort.{a.card.level}", lang) if a.card.level else "",
                    card_style(a.card.level),
                ),
                (task.id, ""),
                (task.title, ""),
                _unit(config, task.lead),
                (s.due, ""),
                late,
                (kind_short(s.rung, lang) if s.rung else "", ""),
                nxt,
                (_joined((m.render(lang) for m in a.card.reasons), lang), ""),
            ]
        )
    headers = [
        t(k, lang)
        for k in (
            "col.card",
            "col.task",
            "col.title",
            "col.lead",
            "overdue.col.due",
            "overdue.col.late",
            "overdue.col.rung",
            "overdue.col.next",
            "col.why",
        )
    ]
    weekday = t(f"weekday.{today.weekday()}", lang)
    title = t("overdue.title", lang, date=today.isoformat(), weekday=weekday)
    sheets = [Sheet(t("xlsx.sheet.overdue", lang), title, headers, rows)]
    if result.problems:
        sheets.append(_problem_sheet(result.problems, config, lang, today))
    write(path, sheets)
    return written(path, lang)


# --- countdown --------------------------------------------------------------------------

_COUNTDOWN_TITLES = {
    "start": "countdown.title_start",
    "due": "countdown.title_due",
    "milestones": "countdown.title_milestones",
}


def countdown(
    path: Path, result: CountdownResult, config: Config, lang: Lang, today: date, within: int
) -> str:
    """``countdown --xlsx``: the current mode's rows (``--json``'s ``items``)."""
    milestones = result.mode == "milestones"
    rows: list[list[Cell]] = []
    for r in result.rows:
        if r.missed:
            when: Cell = (t("countdown.missed", lang, wd=-r.workdays), "late")
        elif r.days == 0:
            when = (t("countdown.today", lang), "soon")
        else:
            when = (t("countdown.in", lang, wd=r.workdays), "soon" if r.workdays <= 3 else "")
        row: list[Cell] = [(r.task.id, ""), (r.task.title, "")]
        if milestones:
            row.append((r.milestone or "", ""))
        row += [_unit(config, r.task.lead), (r.target, ""), when, (r.days, "")]
        rows.append(row)
    keys = ["col.task", "col.title", *(["col.milestone"] if milestones else [])]
    keys += ["col.lead", "col.target", "col.wd", "col.days"]
    title = t(_COUNTDOWN_TITLES[result.mode], lang, date=today.isoformat(), n=within)
    sheet = Sheet(t("xlsx.sheet.countdown", lang), title, [t(k, lang) for k in keys], rows)
    write(path, [sheet])
    return written(path, lang)


# --- ranking ----------------------------------------------------------------------------


def ranking(
    path: Path, result: RankingResult, lang: Lang, people: Mapping[str, str] | None = None
) -> str:
    """``ranking --xlsx``: the standings (the 流动红旗 holder's row marked, the bottom
    units' shaded) and every unit's scoring lines on a second sheet."""
    from gaoxin_cli.render import ranking as view

    compared = result.previous is not None
    rows: list[list[Cell]] = []
    for r in result.rows:
        st = r.score.stats
        style = "flag" if r.holder else ("bottom" if r.bottom else "")
        rows.append(
            [
                (r.rank, style),
                (view.change(r, lang, compared), style),
                (r.name, style),
                (r.score.points / 100, style),
                (st.red, style),
                (st.yellow, style),
                (st.overdue, style),
                (st.rate, style),
                (view.notes(r, lang), style),
            ]
        )
    keys = ("rank", "change", "unit", "score", "red", "yellow", "overdue", "rate", "note")
    headers = [t(f"rank.col.{k}", lang) for k in keys]
    title = t("rank.title", lang, org=result.org, period=view.period_label(result.period, lang))
    standings = Sheet(t("xlsx.sheet.ranking", lang), title, headers, rows, {3: "score", 7: "pct"})
    lines: list[list[Cell]] = []
    for r in result.rows:
        for line in r.score.lines:
            lines.append(
                [
                    (r.name, ""),
                    (view.rule_label(line.rule, lang), ""),
                    (line.task or "", ""),
                    (line.title or "", ""),
                    (view.detail_text(line, lang, people), ""),
                    (line.points / 100, "late" if line.points < 0 else ""),
                ]
            )
    line_keys = ("unit", "rule", "task", "title", "detail", "points")
    scoring = Sheet(
        t("xlsx.sheet.scoring", lang),
        title,
        [t(f"rank.col.{k}", lang) for k in line_keys],
        lines,
        {5: "score"},
    )
    write(path, [standings, scoring])
    return written(path, lang)


# --- problem list -----------------------------------------------------------------------


def _problem_sheet(lines: Sequence[ProblemLine], config: Config, lang: Lang, today: date) -> Sheet:
    from gaoxin_cli.render.lifecycle import short_number

    office = config.org.office
    rows: list[list[Cell]] = []
    for line in lines:
        st, card = line.status, line.card
        level = card.card.level if card else 0
        whose = card.unit if card is not None else (st.unit or office)
        rows.append(
            [
                (t(f"levelshort.{level}", lang) if level else "", card_style(level)),
                (short_number(st), ""),
                (t(f"pstate.{st.state}", lang), ""),
                (line.age_wd, ""),
                (card.due if card else None, ""),
                (card.late_wd if card and card.late_wd > 0 else None, "late"),
                _unit(config, whose) if card is not None else ("", ""),
                (" ".join(st.text.split()), ""),
            ]
        )
    keys = (
        "col.card",
        "pcol.number",
        "lcol.state",
        "pcol.age",
        "pcol.due",
        "pcol.late",
        "pcol.whose",
        "pcol.text",
    )
    title = t("xlsx.sheet.problems", lang) + " " + today.isoformat()
    return Sheet(t("xlsx.sheet.problems", lang), title, [t(k, lang) for k in keys], rows)


def problem_list(path: Path, found: ProblemList, config: Config, lang: Lang) -> str:
    """``problem list --xlsx``: the problems the filter keeps (``--json``'s ``problems``)."""
    write(path, [_problem_sheet(found.lines, config, lang, found.today)])
    return written(path, lang)
