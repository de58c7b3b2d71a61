"""The Excel 台账 (issue 15): ``gaoxin ledger export`` of every unit's sheet, and
``gaoxin import --dry-run`` of a 100,000-row returned workbook, with their targets
(export ≤ 3 s, import ≤ 5 s, each ≤ 300 MB peak RSS at 10,000 tasks and 40 units).

The returned workbook is written once per workspace with xlsxwriter (a dependency of
gaoxin) in the export's layout: one sheet per unit, the export's headers, ten reports a
task on ten days (填报日期) with rising progress, so every row is valid and imports.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from gen import Workspace
from harness import BenchError, Series, Target, fmt_s, log, measure, warm_up

EXPORT_LIMIT_S = 3.0
IMPORT_LIMIT_S = 5.0
RSS_LIMIT_MB = 300.0  # MB = 10^6 bytes, as the other RSS targets
IMPORT_ROWS = 100_000
TARGET_TASKS = 10_000

HEADERS = ("任务编号", "本期进度(%)", "进展情况", "填报人", "填报日期")


def returned_workbook(ws: Workspace, path: Path, rows: int) -> int:
    """A workbook as units return it: *rows* reports over the workspace's tasks, by
    lead unit. Returns the number of rows written."""
    import xlsxwriter
    import yaml

    leads: dict[str, list[tuple[str, date]]] = {}
    first = date(ws.spec.year, 10, 1)
    for plan in sorted((ws.root / "plans").glob("*.yaml")):
        for task in yaml.safe_load(plan.read_text("utf-8"))["tasks"]:
            # the first day a report may carry (rules.feedback.opened): the source date
            opened = (task.get("source") or {}).get("date") or first
            if isinstance(opened, str):
                opened = date.fromisoformat(opened)
            leads.setdefault(task["lead"], []).append((task["id"], max(first, opened)))
    tasks = sum(len(v) for v in leads.values())
    per_task = max(1, rows // max(tasks, 1))
    written = 0
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for unit, ids in leads.items():
        sheet = book.add_worksheet(unit[:31])
        for c, h in enumerate(HEADERS):
            sheet.write_string(0, c, h)
        r = 1
        for tid, begins in ids:
            for k in range(per_task):
                sheet.write_string(r, 0, tid)
                sheet.write_number(r, 1, min(100, 5 * (k + 1)))
                sheet.write_string(r, 2, f"第{k + 1}次推进")
                sheet.write_string(r, 3, "联络员")
                sheet.write_datetime(r, 4, begins + timedelta(days=3 * k), dates)
                r += 1
                written += 1
    book.close()
    return written


def bench_ledger(
    args: argparse.Namespace, gaoxin: str, ws: Workspace, work: Path
) -> tuple[list[Series], list[Target]]:
    spec = ws.spec
    as_of = f"{spec.year}-11-16"
    out = work / "ledger.xlsx"
    export = Series(
        f"gaoxin ledger export ({spec.tasks} tasks, {spec.units} units)",
        [gaoxin, "-C", str(ws.root), "--as-of", as_of, "ledger", "export", "-o", str(out)],
        label="ledger export",
    )
    log(f"warm-up: {export.name}")
    warm_up(export)
    if not out.is_file():
        raise BenchError("ledger export wrote no workbook")
    for i in range(args.reps):
        log(f"  rep {i + 1}: {fmt_s(measure(export))}")

    book = work / "returned.xlsx"
    rows = returned_workbook(ws, book, IMPORT_ROWS if spec.tasks >= TARGET_TASKS else 10_000)
    imported = Series(
        f"gaoxin import --dry-run of a {rows:,}-row workbook",
        [gaoxin, "-C", str(ws.root), "--as-of", as_of, "import", "--dry-run", str(book)],
        label="import .xlsx",
    )
    log(f"warm-up: {imported.name}")
    warm_up(imported)
    for i in range(args.reps):
        log(f"  rep {i + 1}: {fmt_s(measure(imported))}")

    full = spec.tasks >= TARGET_TASKS

    def mb(series: Series) -> float:
        return (series.rss_kb or 0) * 1024 / 1e6

    worst = max(mb(export), mb(imported))
    targets = [
        Target(
            "ledger_export_median",
            export.median,
            EXPORT_LIMIT_S,
            f"ledger export median {fmt_s(export.median)} (limit {fmt_s(EXPORT_LIMIT_S)})",
            enforced=full,
        ),
        Target(
            "ledger_import_median",
            imported.median,
            IMPORT_LIMIT_S,
            f"import --dry-run of {rows:,} rows: median {fmt_s(imported.median)} "
            f"(limit {fmt_s(IMPORT_LIMIT_S)})",
            enforced=full and rows >= IMPORT_ROWS,
        ),
        Target(
            "ledger_rss",
            worst,
            RSS_LIMIT_MB,
            f"peak RSS, ledger export {mb(export):.0f} MB, import {mb(imported):.0f} MB "
            f"(limit {RSS_LIMIT_MB:.0f} MB)",
            enforced=full,
        ),
    ]
    return [export, imported], targets
