"""Month grids of a working-day calendar (``calendar show``, ``calendar add``) and the
findings of ``calendar check``.

Every day cell is four terminal cells wide — the day number in two, a mark in two — so
the grids line up in any terminal and in cron mail: 休 a rest day that would otherwise
be a working day (a holiday), 班 a weekend made a working day (调休上班); weekends are
dimmed. Colour only repeats what the marks say (NO_COLOR and pipes lose nothing).
"""

from __future__ import annotations

import calendar as stdcal
from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.console import text
from gaoxin_cli.render.text import safe
from gaoxin_cli.rules.calendar_check import Finding
from gaoxin_cli.service.calendar import NoticeRead, YearView

CELL = 4  # cells per day: "dd" + a two-cell mark
MONTH_WIDTH = 7 * CELL
GAP = 3

_MARK_STYLE = {"holiday": "bold red", "makeup": "bold cyan", "weekend": "dim", "work": ""}


def _day_cell(cal: WorkCalendar, day: date, lang: Lang) -> tuple[str, str]:
    kind = cal.day_kind(day)
    weekend = day.weekday() >= 5
    if kind == "rest" and not weekend:
        return f"{day.day:>2}{t('calendar.mark_rest', lang)}", _MARK_STYLE["holiday"]
    if kind == "makeup":
        return f"{day.day:>2}{t('calendar.mark_makeup', lang)}", _MARK_STYLE["makeup"]
    return f"{day.day:>2}  ", _MARK_STYLE["weekend" if weekend else "work"]


def _month_lines(cal: WorkCalendar, year: int, month: int, lang: Lang) -> list[Text]:
    title = t(f"calendar.month.{month}", lang)
    left = (MONTH_WIDTH - cell_len(title)) // 2
    head = Text(" " * left + title, style="bold")
    names = Text("".join(t(f"calendar.wd.{i}", lang) for i in range(7)), style="bold")
    lines = [head, names]
    for week in stdcal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = Text()
        for day in week:
            if day.month != month:
                row.append(" " * CELL)
            else:
                cell, style = _day_cell(cal, day, lang)
                row.append(cell, style=style)
        lines.append(row)
    return lines


def month_grids(console: Console, cal: WorkCalendar, year: int, lang: Lang) -> None:
    """The twelve months of *year*, as many side by side as the terminal holds."""
    per_row = max(1, min(4, (console.width + GAP) // (MONTH_WIDTH + GAP)))
    for first in range(1, 13, per_row):
        blocks = [_month_lines(cal, year, m, lang) for m in range(first, min(first + per_row, 13))]
        height = max(len(b) for b in blocks)
        for i in range(height):
            line = Text()
            for j, block in enumerate(blocks):
                cell = block[i] if i < len(block) else Text()
                if j:
                    line.append(" " * GAP)
                pad = MONTH_WIDTH - cell.cell_len
                line.append_text(cell)
                if j < len(blocks) - 1:
                    line.append(" " * max(0, pad))
            console.print(line, no_wrap=True, crop=False)
        console.print()


def show(console: Console, v: YearView, lang: Lang) -> None:
    """``calendar show``: title, where the year comes from, the grids, the legend."""
    _year(console, v.calendar, v.year, lang, source_note(v, lang), v.source == "estimate")
    if v.local:
        console.print(text(t("calendar.local_entries", lang, n=len(v.local))))
        for day, kind in v.local[:40]:
            console.print(text(f"  {day.isoformat()}  {t(f'calendar.kind.{kind}', lang)}"))
        if len(v.local) > 40:
            console.print(text(t("calendar.more", lang, n=len(v.local) - 40)))


def source_note(v: YearView, lang: Lang) -> str:
    if v.source == "package":
        return t("calendar.source.package", lang, version=v.where or "")
    if v.source == "local":
        return t("calendar.source.local", lang, where=v.where or "gaoxin.yaml")
    return t("calendar.source.estimate", lang)


def _year(
    console: Console, cal: WorkCalendar, year: int, lang: Lang, note: str, warn: bool
) -> None:
    counts = _counts(cal, year)
    console.print(text(t("calendar.show_title", lang, year=year, **counts), "bold"))
    console.print(text(note, "yellow" if warn else ""))
    console.print()
    month_grids(console, cal, year, lang)
    console.print(text(t("calendar.legend", lang), "dim"))


def notice(console: Console, read: NoticeRead, lang: Lang) -> None:
    """``calendar add``: the year as the notice has it, and how it compares with the
    package when the package knows the year."""
    note = t("calendar.source.notice", lang, n=len(read.notice.holidays))
    _year(console, read.calendar, read.notice.year, lang, note, False)
    if read.package_differs is not None:
        differ = read.package_differs
        key = "calendar.add_package_differs" if differ else "calendar.add_package_agrees"
        shown = "、".join(d.isoformat() for d in differ[:10])
        year = read.notice.year
        console.print(text(t(key, lang, year=year, n=len(differ), days=shown), "yellow"))


def confirm_question(read: NoticeRead, lang: Lang) -> str:
    return t("calendar.add_confirm", lang, path=read.relative)


def not_written(read: NoticeRead, lang: Lang) -> str:
    return t("calendar.add_not_written", lang, path=read.relative)


def written(read: NoticeRead, lang: Lang) -> str:
    return t("calendar.add_written", lang, path=read.relative)


def _counts(cal: WorkCalendar, year: int) -> dict[str, int]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    work = sum(cal.is_workday(d) for d in days)
    holidays = sum(1 for d in days if d.weekday() < 5 and not cal.is_workday(d))
    makeup = sum(1 for d in days if d.weekday() >= 5 and cal.is_workday(d))
    return {"work": work, "holidays": holidays, "makeup": makeup}


def show_json(v: YearView) -> dict[str, Any]:
    cal, year = v.calendar, v.year
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    days = []
    for n in range(first, last + 1):
        day = date.fromordinal(n)
        days.append(
            {"date": day.isoformat(), "kind": cal.day_kind(day), "source": cal.day_source(day)}
        )
    return {"year": year, "source": cal.source(year), **_counts(cal, year), "days": days}


def findings(console: Console, found: Sequence[Finding], lang: Lang) -> None:
    """``calendar check``: one line per finding, then what to do."""
    if not found:
        console.print(text(t("calendar.check_clean", lang)))
        return
    console.print(text(t("calendar.check_title", lang, n=len(found)), "bold"))
    for f in found:
        params = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in f.params.items()}
        console.print(text("  " + safe(t(f"calendar.check.{f.kind}", lang, **params))))
        console.print(text("    " + t(f"calendar.fix.{f.kind}", lang, **params), "dim"))


def findings_json(found: Sequence[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "kind": f.kind,
            **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in f.params.items()},
        }
        for f in found
    ]
