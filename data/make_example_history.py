"""Write data/example-history.csv: a realistic January–June 2020 status history for the
example workspace (the 台账 the units would keep), importable with ``gaoxin import``.

Deterministic: the same plan gives the same file. Most tasks report weekly on Fridays and
track their plan; some report late or every few weeks, some stall, a few finish early, a
few projects never start, and a few tasks never report at all.

    python3 data/make_example_history.py        # from the repository root
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gaoxin_cli.calendar import WorkCalendar  # noqa: E402
from gaoxin_cli.loading.workspace import calendar_for, load  # noqa: E402
from gaoxin_cli.models import Task  # noqa: E402
from gaoxin_cli.rules.feedback import opened as task_opened  # noqa: E402
from gaoxin_cli.rules.progress import planned_progress  # noqa: E402

END = date(2020, 6, 30)
NOTES = {
    "on_track": ["按计划推进", "本周完成既定节点工作", "现场施工有序推进", "协调会议纪要已落实"],
    "late": ["前期手续办理中", "资金拨付流程推进中", "等待上级批复"],
    "stuck": ["受征地拆迁影响，进度滞后", "设计方案调整，暂缓施工", "资金未到位，等待协调"],
    "early": ["提前完成阶段目标", "超额完成计划进度"],
}


def fridays(start: date, end: date) -> list[date]:
    day = start + timedelta(days=(4 - start.weekday()) % 7)
    out = []
    while day <= end:
        out.append(day)
        day += timedelta(days=7)
    return out


def report_day(friday: date, cal: WorkCalendar) -> date:
    """Report on the Friday, or the last working day before it in a holiday week."""
    day = friday
    while not cal.is_workday(day):
        day -= timedelta(days=1)
    return day


def profile(i: int, task: Task) -> str:
    if task.id in ("GG-04", "FX-03", "MS-07"):
        return "silent"  # never reported
    if task.start is not None and task.id in ("CY-07", "XC-05", "JC-10"):
        return "never_started"
    kinds = ["on_track"] * 6 + ["late"] * 2 + ["stuck"] * 2 + ["early"]
    return kinds[i % len(kinds)]


def history(tasks: list[Task], cal: WorkCalendar) -> list[dict[str, str]]:
    rng = random.Random(2020)
    rows: list[dict[str, str]] = []
    for i, task in enumerate(tasks):
        kind = profile(i, task)
        if kind in ("silent", "never_started"):
            continue
        opened = max(task_opened(task), date(2020, 1, 6))
        start_day = task.start
        if start_day is not None and start_day <= END:
            actual = cal.add_workdays(start_day, rng.choice([-2, 0, 0, 1, 3]))
            if kind == "stuck" and rng.random() < 0.5:
                actual = cal.add_workdays(start_day, 25)  # started a month late
            actual = max(actual, opened)
            if actual <= END:
                rows.append({"date": actual.isoformat(), "task": task.id, "kind": "start",
                             "note": "项目开工"})
        else:
            actual = None
        progress = 0.0
        weeks = fridays(opened, END)
        every = {"on_track": 1, "early": 1, "late": 3, "stuck": 2}[kind]
        for n, friday in enumerate(weeks):
            if n % every:
                continue
            day = report_day(friday, cal)
            if day > END or day < opened:
                continue
            planned = planned_progress(task, day)
            if kind == "on_track":
                target = planned - rng.uniform(0, 6)
            elif kind == "early":
                target = min(100.0, planned * 1.4 + 10)
            elif kind == "late":
                target = planned - rng.uniform(8, 16)
            else:  # stuck: moves until April, then hardly at all
                target = planned if day < date(2020, 4, 10) else progress + rng.uniform(0, 1)
            if start_day is not None and (actual is None or day < actual):
                target = min(target, 5.0)  # preparatory work only
            new = round(max(progress, min(100.0, target)))
            if new == progress and kind != "stuck" and n % 4:
                continue
            progress = float(new)
            note = rng.choice(NOTES[kind])
            rows.append({"date": day.isoformat(), "task": task.id, "progress": f"{progress:g}",
                         "note": note})
            if progress >= 100:
                break
        if task.due <= END and kind in ("on_track", "early") and progress < 100:
            day = task.due if cal.is_workday(task.due) else cal.add_workdays(task.due, -1)
            progress = 100.0
            rows.append({"date": day.isoformat(), "task": task.id, "progress": "100",
                         "note": "全面完成，申请销号"})
        for m in task.milestones:
            if m.due <= END and (progress >= (planned_progress(task, m.due) - 5) or kind == "early"):
                day = m.due if cal.is_workday(m.due) else cal.next_workday(m.due)
                if day <= END:
                    rows.append({"date": day.isoformat(), "task": task.id, "kind": "milestone",
                                 "milestone": m.name})
    rows.sort(key=lambda r: (r["date"], r["task"], r.get("kind", "")))
    return rows


def main() -> None:
    loaded = load(ROOT)
    if loaded.errors or loaded.config is None:
        raise SystemExit("the example workspace does not validate")
    cal = calendar_for(loaded.config)
    rows = history(loaded.tasks, cal)
    target = ROOT / "data" / "example-history.csv"
    fields = ["date", "task", "kind", "progress", "milestone", "note"]
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
