"""The Excel 台账 (ledger) export: per unit, the open tasks it leads or supports, with
what the office knows of each and empty columns for the unit to fill in.

This module gathers plain values (:class:`LedgerExport`); ``render/ledger_xlsx.py``
writes them as a workbook. The workbook's layout is a contract with ``ledger import``
(docs/ledger.md): the headers and their order are :data:`HEADERS`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from gaoxin_cli.service.session import Session
from gaoxin_cli.service.snapshot import Snapshot

if TYPE_CHECKING:
    from gaoxin_cli.models import Config, Pillar, Task
    from gaoxin_cli.ranking.period import Span

FORMAT_NAME = "gaoxin-ledger"
FORMAT_VERSION = 1
KEY_SHEET = "_gaoxin"

# Read-only columns (what the office knows), then the columns the unit fills.
READ_ONLY_HEADERS: tuple[str, ...] = (
    "任务编号",
    "任务名称",
    "牵头/配合",
    "措施",
    "完成时限",
    "工作体系",
    "本期节点",
    "上次进度(%)",
    "当前牌",
)
FILL_HEADERS: tuple[str, ...] = (
    "本期进度(%)",
    "进展情况",
    "存在问题",
    "下步计划",
    "实际开工日期",
    "填报人",
)
HEADERS: tuple[str, ...] = READ_ONLY_HEADERS + FILL_HEADERS

LEAD, SUPPORT = "牵头", "配合"
CARD_WORDS: tuple[str, ...] = ("", "蓝牌", "黄牌", "红牌", "问责")

_SHEET_NAME_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class LedgerRow(NamedTuple):
    """One task on one unit's sheet (the read-only columns; the unit fills the rest)."""

    task: str
    title: str
    role: str  # 牵头 or 配合
    measures: str
    due: date  # the effective due date (an approved extension, else the plan's)
    pillar: str
    milestones: str  # the milestones due in the period, "name（yyyy-mm-dd）" joined by "；"
    progress: float | None  # the last reported progress; None when never reported
    card: str  # 蓝牌 / 黄牌 / 红牌 / 问责, or ""


class LedgerSheet(NamedTuple):
    name: str  # the sheet's name in the workbook
    unit: str  # the unit id
    unit_name: str
    rows: list[LedgerRow]


class LedgerExport(NamedTuple):
    today: date
    fingerprint: str  # of the plan the workbook was made from (plancache.fingerprint)
    period: str  # the period key (2020-06, 2020Q2, 2020) or "" for a day or a range
    first: date  # the days whose milestones are listed
    last: date
    sheets: list[LedgerSheet]


def sheet_name(name: str, taken: set[str]) -> str:
    """*name* as an Excel sheet name: ``[]:*?/\\`` replaced by ``_``, at most 31
    characters, ``_2``, ``_3`` … appended on a clash (case-insensitive, as Excel)."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "_"
    base = base[:_SHEET_NAME_MAX]
    out, n = base, 1
    while out.casefold() in taken or out == KEY_SHEET:
        n += 1
        tail = f"_{n}"
        out = base[: _SHEET_NAME_MAX - len(tail)] + tail
    taken.add(out.casefold())
    return out


def export_rows(session: Session, units: Sequence[str], period: Span) -> LedgerExport:
    """The ledger of *units* (every unit when empty, in the config's order) for *period*.

    A row per open task (not done by the numbers, not done, closed or cancelled by the
    lifecycle) the unit leads or supports, by task id.
    """
    from gaoxin_cli.loading.plancache import fingerprint
    from gaoxin_cli.rules.dashboard import assess_all

    plan, today, config = session.plan, session.today, session.config
    with session.store(write=False) as st:
        snap = Snapshot.read(st, plan, today)
    assessed = assess_all(
        plan.tasks,
        snap.states,
        config,
        today,
        session.calendar,
        snap.dues,
        snap.lifecycle,
        snap.red_dues,
        snap.unsigned,
    )
    open_rows = sorted(
        ((r.task.id, r) for r in assessed if not r.finished), key=lambda pair: pair[0]
    )
    chosen = list(units) or list(config.units)
    by_unit: dict[str, list[LedgerRow]] = {u: [] for u in chosen}
    pillars = _pillar_labels(config)
    first, last = period.first, period.last
    for _tid, r in open_rows:
        task = r.task
        targets = [(task.lead, LEAD)] + [(u, SUPPORT) for u in task.support]
        wanted = [(by_unit[u], role) for u, role in targets if u in by_unit]
        if not wanted:
            continue
        st_ = r.state
        level = r.assessment.card.level
        measures = "；".join(task.measures)
        pillar = pillars.get(task.pillar, task.pillar) if task.pillar else ""
        due_now = _milestones(task, first, last)
        progress = st_.progress if st_.reports else None
        card = CARD_WORDS[level] if 0 <= level < len(CARD_WORDS) else ""
        for rows, role in wanted:
            rows.append(
                LedgerRow(
                    task.id, task.title, role, measures, r.due, pillar, due_now, progress, card
                )
            )
    taken: set[str] = set()
    sheets = []
    for u in chosen:
        unit = config.units[u]
        label = unit.short or unit.name
        sheets.append(LedgerSheet(sheet_name(label, taken), u, unit.name, by_unit[u]))
    key = period.period.key if period.period is not None else ""
    return LedgerExport(today, fingerprint(session.root), key, first, last, sheets)


def _milestones(task: Task, first: date, last: date) -> str:
    return "；".join(
        f"{m.name}（{m.due.isoformat()}）" for m in task.milestones if first <= m.due <= last
    )


def _pillar_labels(config: Config) -> dict[str, str]:
    """Each dotted pillar path with its names, root first: ``产业发展 / 招商引资``."""
    out: dict[str, str] = {}

    def walk(nodes: Mapping[str, Pillar], prefix: str, names: tuple[str, ...]) -> None:
        for pid, node in nodes.items():
            path = prefix + pid
            label = (*names, node.short or node.name)
            out[path] = " / ".join(label)
            walk(node.children, path + ".", label)

    walk(config.pillars, "", ())
    return out
