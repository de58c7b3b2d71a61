"""Synthetic gaoxin workspaces for benchmarks (and, later, for export/history fixtures).

    python3 bench/gen.py OUTDIR --tasks N --files M --units K [--seed S] [--year 2020]
                        [--events N [--followups M] [--as-of DATE] [--csv]]
                        [--taskwarrior [--tw-depends]]

writes ``OUTDIR/gaoxin.yaml`` (K units with head and contact, some leaders, a small pillar
tree) and ``OUTDIR/plans/plan-NNN.yaml`` (M files, N tasks in total). The result passes
``gaoxin -C OUTDIR validate --strict``: every reference resolves, dependencies only point
at earlier tasks (so there are no cycles), milestones sit inside [start, due] with weights
summing to at most 100, and every date is a working day (``gaoxin_cli.calendar``).

Output is a pure function of the arguments: the same seed gives byte-identical files.

Module layout (import it: ``sys.path`` needs this directory, see bench/run.py):

* :class:`Spec` — the knobs; :func:`make_config` and :func:`make_tasks` — plain data
  (dicts, ``datetime.date`` values) in the shape of the pydantic models;
  :func:`split_files` — tasks → plan files; :func:`write_workspace` — everything on disk,
  returning a :class:`Workspace` that holds the same data.
* Each concern draws from its own random stream (:func:`rng_for`), so adding a generator
  later never changes what the existing ones produce for a seed.

Status history and Taskwarrior (the extensions, built on the same data):

* :class:`EventSpec` and :func:`make_events` — a ledger of reports for ``gaoxin import``
  (rows with ``date, task, kind, progress, milestone, note, unit, started, reason``),
  drawn from ``rng_for(spec, "events")`` over ``ws.tasks`` and ``ws.calendar``: per task,
  reports on working days between its start and its completion (or the as-of date), with
  non-decreasing progress, a start row, its milestones, a few corrections with a reason,
  and optional follow-up rows dated after the as-of date (new events for an import).
  :func:`write_events` writes JSON Lines or CSV (by suffix).
* :func:`to_taskwarrior` / :func:`write_taskwarrior` — the same tasks as ``task import``
  JSON, every date shifted by a whole number of days so that Taskwarrior's real clock
  sees the as-of date (``shift_days``, see :func:`taskwarrior_shift`).
* :func:`events_extra` / :func:`taskwarrior_extra` hook both into
  ``write_workspace(..., extras=[...])``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import random
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gaoxin_cli.calendar import WorkCalendar

CONFIG_NAME = "gaoxin.yaml"
PLANS_DIR = "plans"
PLAN_HEADER = "# yaml-language-server: $schema=../schemas/plan.schema.json\n"
CONFIG_HEADER = "# yaml-language-server: $schema=schemas/gaoxin.schema.json\n"


@dataclass(frozen=True, slots=True)
class Spec:
    """What to generate. Ratios are shares of tasks (0–1)."""

    tasks: int = 100
    files: int = 5
    units: int = 10
    seed: int = 0
    year: int = 2020
    leaders: int | None = None  # default: max(3, units // 5)
    p_listed: float = 0.08
    p_depends: float = 0.15
    p_leader: float = 0.7
    p_no_start: float = 0.05
    p_note: float = 0.05
    p_cadence: float = 0.1

    def __post_init__(self) -> None:
        if self.tasks < 0 or self.files < 1 or self.units < 1:
            raise ValueError("need tasks >= 0, files >= 1, units >= 1")

    @property
    def leader_count(self) -> int:
        return self.leaders if self.leaders is not None else max(3, self.units // 5)


def rng_for(spec: Spec, stream: str) -> random.Random:
    """An independent, reproducible random stream per concern ("config", "tasks", …)."""
    return random.Random(f"gaoxin-bench:{spec.seed}:{stream}")


# --- vocabulary ----------------------------------------------------------------------

OFFICE = ("duchashi", "督查室", "督查", "office")
UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("jianshe", "建设局", "建设", "bureau"),
    ("caizheng", "财政局", "财政", "bureau"),
    ("fagai", "发展改革局", "发改", "bureau"),
    ("ziran", "自然资源局", "自然", "bureau"),
    ("shengtai", "生态环境分局", "生态", "bureau"),
    ("jiaoyu", "教育局", "教育", "bureau"),
    ("weijian", "卫生健康局", "卫健", "bureau"),
    ("gongxin", "工业和信息化局", "工信", "bureau"),
    ("shangwu", "商务局", "商务", "bureau"),
    ("wenlv", "文化旅游局", "文旅", "bureau"),
    ("yingji", "应急管理局", "应急", "bureau"),
    ("shichang", "市场监督管理局", "市场", "bureau"),
    ("xingshen", "行政审批服务局", "审批", "bureau"),
    ("minzheng", "民政局", "民政", "bureau"),
    ("renshe", "人力资源和社会保障局", "人社", "bureau"),
    ("kechuang", "科技创新局", "科创", "bureau"),
    ("touzi", "投资促进局", "投促", "bureau"),
    ("zhifa", "综合行政执法局", "执法", "bureau"),
    ("jiaotong", "交通运输局", "交通", "bureau"),
    ("tongji", "统计局", "统计", "bureau"),
    ("jd-huangtun", "黄屯街道办事处", "黄屯", "street"),
    ("jd-wangyin", "王因街道办事处", "王因", "street"),
    ("jd-liuhang", "柳行街道办事处", "柳行", "street"),
    ("jd-jiezhuang", "接庄街道办事处", "接庄", "street"),
    ("gs-chengtou", "城市建设投资公司", "城投", "company"),
    ("gs-konggu", "国有资本控股集团", "控股", "company"),
    ("gs-huanbao", "环保能源公司", "环保", "company"),
    ("yq-shengwu", "生物医药产业园", "医药园", "park"),
    ("yq-zhizao", "智能制造产业园", "智造园", "park"),
    ("dangzheng", "党政办公室", "党政办", "office"),
    ("yiyuan", "区人民医院", "医院", "other"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国红梅志刚海燕"
HEAD_TITLE = {
    "bureau": "局长",
    "street": "书记",
    "company": "董事长",
    "park": "主任",
    "office": "主任",
    "other": "院长",
}
LEADER_TITLES = ("党工委书记", "管委会主任", "管委会副主任", "党工委副书记", "党工委委员")
PILLARS: dict[str, Any] = {
    "battles": (
        "五场硬仗",
        {
            "infrastructure": ("重大基础设施建设", {}),
            "livelihood": ("重大民生项目建设", {}),
            "industry": ("产业项目攻坚", {}),
            "reform": ("重点领域改革攻坚", {}),
            "ecology": ("生态环境治理", {}),
        },
    ),
    "projects": (
        "重点项目",
        {
            "major": (
                "重大项目",
                {"provincial": ("省级重点项目", {}), "municipal": ("市级重点项目", {})},
            ),
            "key": ("区级重点项目", {}),
        },
    ),
    "services": ("营商环境", {}),
}
VERBS = ("推进", "加快", "完成", "启动", "实施", "建成", "提升", "开展", "落实", "攻坚")
OBJECTS = (
    "示范路东延",
    "人民医院新院区",
    "产业园三期",
    "智能制造基地",
    "人才公寓",
    "第二污水处理厂",
    "老旧小区",
    "农贸市场",
    "城市绿道",
    "科创中心",
    "综合管廊",
    "实验小学新校区",
    "公共停车场",
    "口袋公园",
    "雨污分流管网",
    "大数据中心",
    "创业孵化器",
    "新能源汽车充电站",
    "冷链物流园",
    "安置房",
    "河道生态",
    "工业互联网平台",
    "政务服务中心",
    "养老服务中心",
    "体育公园",
)
SUFFIXES = ("建设", "改造", "提升工程", "一期工程", "招商", "专项整治", "竣工验收", "投产")
MEASURES = (
    "完成立项审批",
    "完成征地拆迁",
    "完成方案设计",
    "办理施工许可",
    "完成招标采购",
    "主体工程施工",
    "设备安装调试",
    "组织竣工验收",
    "成立工作专班",
    "每周调度推进",
    "落实建设资金",
    "开展专项督查",
    "制定实施方案",
    "完成环评批复",
    "签订投资协议",
)
MILESTONES = (
    "完成前期手续",
    "开工建设",
    "主体完工",
    "完成设备安装",
    "试运行",
    "通过验收",
    "完成招商签约",
    "完成拆迁清表",
    "完成施工图审查",
    "资金拨付到位",
)
SOURCE_KINDS = (
    ("plan", 50),
    ("instruction", 20),
    ("meeting", 15),
    ("problem", 5),
    ("upper", 7),
    ("media", 3),
)
URGENCY = (("normal", 80), ("urgent", 15), ("special", 5))
CADENCES = ("weekly", "biweekly", "monthly")
ID_PREFIXES = ("JS", "MS", "CY", "GG", "ST", "XM", "YS", "ZD")
NOTES = (
    "涉及跨部门协调，需管委会专题会议研究。\n资金来源：专项债券。",
    "上半年完成前期工作。\n下半年全面施工。",
    "已列入市级重点项目库。",
)


def _person(rng: random.Random, title: str | None = None) -> str:
    surname = rng.choice(SURNAMES)
    if title is not None:
        return surname + title
    return surname + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


# --- gaoxin.yaml ---------------------------------------------------------------------


def unit_table(count: int) -> list[tuple[str, str, str, str]]:
    """The first *count* units: the office, the named ones, then numbered work teams."""
    table = [OFFICE, *UNITS][:count]
    for i in range(len(table), count):
        table.append((f"zhuanban{i:03d}", f"第{i}工作专班", f"专班{i}", "other"))
    return table


def _pillar_tree(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pid, (name, children) in node.items():
        out[pid] = {"name": name, **({"children": _pillar_tree(children)} if children else {})}
    return out


def pillar_paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for pid, node in tree.items():
        paths.append(prefix + pid)
        paths.extend(pillar_paths(node.get("children", {}), prefix + pid + "."))
    return paths


def make_config(spec: Spec, rng: random.Random | None = None) -> dict[str, Any]:
    """gaoxin.yaml as plain data (the shape of ``gaoxin_cli.models.Config``)."""
    rng = rng or rng_for(spec, "config")
    units: dict[str, Any] = {}
    for uid, name, short, kind in unit_table(spec.units):
        unit: dict[str, Any] = {"name": name, "short": short, "kind": kind}
        unit["head"] = {"name": _person(rng, HEAD_TITLE[kind]), "email": f"head@{uid}.example.org"}
        contact: dict[str, Any] = {"name": _person(rng), "email": f"contact@{uid}.example.org"}
        if rng.random() < 0.5:
            contact["phone"] = f"0537-{rng.randint(2000000, 8999999)}"
        unit["contact"] = contact
        if rng.random() < 0.1:
            unit["cadence"] = rng.choice(CADENCES)
        units[uid] = unit
    leaders: dict[str, Any] = {}
    for i in range(1, spec.leader_count + 1):
        title = LEADER_TITLES[min(i - 1, len(LEADER_TITLES) - 1)]
        leaders[f"L-{i:02d}"] = {
            "name": _person(rng, "主任" if "主任" in title else "书记"),
            "title": title,
            "email": f"leader{i:02d}@example.org",
        }
    return {
        "org": {"name": "示范区管委会", "short": "示范区", "office": OFFICE[0]},
        "units": units,
        "leaders": leaders,
        "pillars": _pillar_tree(PILLARS),
        "calendar": {"rest": [], "work": []},
    }


# --- plans ---------------------------------------------------------------------------


def _workday_on_or_after(cal: WorkCalendar, day: date) -> date:
    return cal.next_workday(day, include=True)


def _last_workday(cal: WorkCalendar, year: int) -> date:
    end = date(year, 12, 31)
    return end if cal.is_workday(end) else cal.add_workdays(end, -1)


def _weights(rng: random.Random, k: int) -> list[int]:
    """k weights, multiples of 5, each >= 5, summing to at most 100."""
    total = rng.choice((100, 100, 90, 80, 60)) // 5
    cuts = sorted(rng.sample(range(1, total), k - 1)) if k > 1 else []
    bounds = [0, *cuts, total]
    return [(bounds[i + 1] - bounds[i]) * 5 for i in range(k)]


def make_tasks(
    spec: Spec,
    config: dict[str, Any],
    rng: random.Random | None = None,
    calendar: WorkCalendar | None = None,
) -> list[dict[str, Any]]:
    """spec.tasks task dicts in file order (the shape of ``gaoxin_cli.models.Task``)."""
    rng = rng or rng_for(spec, "tasks")
    cal = calendar or WorkCalendar()
    year = spec.year
    unit_ids = list(config["units"])
    leader_ids = list(config["leaders"])
    paths = pillar_paths(config["pillars"])
    first_day = _workday_on_or_after(cal, date(year, 1, 1))
    last_start = date(year, 9, 30).toordinal()
    last_day = _last_workday(cal, year)
    per_file = file_sizes(spec)
    tasks: list[dict[str, Any]] = []
    seq = 0
    for f, size in enumerate(per_file):
        prefix = ID_PREFIXES[f % len(ID_PREFIXES)]
        for _ in range(size):
            seq += 1
            tasks.append(
                _task(
                    spec,
                    rng,
                    cal,
                    f"{prefix}-{seq:05d}",
                    tasks,
                    unit_ids,
                    leader_ids,
                    paths,
                    (first_day, last_start, last_day),
                )
            )
    return tasks


def _task(
    spec: Spec,
    rng: random.Random,
    cal: WorkCalendar,
    tid: str,
    earlier: list[dict[str, Any]],
    unit_ids: list[str],
    leader_ids: list[str],
    paths: list[str],
    window: tuple[date, int, date],
) -> dict[str, Any]:
    first_day, last_start, last_day = window
    year = spec.year
    start = _workday_on_or_after(
        cal, date.fromordinal(rng.randint(first_day.toordinal(), last_start))
    )
    due = min(cal.add_workdays(start, rng.randint(15, 160)), last_day)
    lead = rng.choice(unit_ids)
    others = [u for u in unit_ids if u != lead]
    t: dict[str, Any] = {
        "id": tid,
        "title": rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(SUFFIXES),
    }
    if rng.random() < 0.85:
        t["pillar"] = rng.choice(paths)
    t["lead"] = lead
    n_support = min(len(others), rng.choices((0, 1, 2, 3), (30, 40, 20, 10))[0])
    if n_support:
        t["support"] = rng.sample(others, n_support)
    if leader_ids and rng.random() < spec.p_leader:
        t["leader"] = rng.choice(leader_ids)
    t["measures"] = rng.sample(MEASURES, rng.randint(2, 3))
    has_start = rng.random() >= spec.p_no_start
    if has_start:
        t["start"] = start
    t["due"] = due
    k = rng.choices((0, 1, 2, 3), (35, 25, 25, 15))[0] if has_start else 0
    span = cal.workdays_between(start, due)  # working days in (start, due]
    k = min(k, span - 1)
    if k > 0:
        offsets = sorted(rng.sample(range(1, span), k))
        names = rng.sample(MILESTONES, k)
        weights = _weights(rng, k)
        t["milestones"] = [
            {"name": n, "due": cal.add_workdays(start, o), "weight": w}
            for n, o, w in zip(names, offsets, weights, strict=True)
        ]
    if leader_ids and rng.random() < spec.p_listed:
        since = max(first_day, cal.add_workdays(start, -rng.randint(0, 10)))
        t["listed"] = {"since": since, "by": rng.choice(leader_ids)}
    kind = _pick(rng, SOURCE_KINDS)
    source: dict[str, Any] = {"kind": kind}
    n = rng.randint(1, 99)
    ref = {
        "instruction": f"管委会批示〔{year}〕{n}号",
        "meeting": f"党工委会议纪要〔{year}〕{n}号",
        "problem": f"问题提报第{n}号",
        "upper": f"市督查通知〔{year}〕{n}号",
        "media": f"媒体曝光问题第{n}条",
    }.get(kind)
    if ref is not None:
        source["ref"] = ref
        if rng.random() < 0.5:
            source["date"] = max(first_day, cal.add_workdays(start, -rng.randint(1, 20)))
    t["source"] = source
    t["urgency"] = _pick(rng, URGENCY)
    if earlier and rng.random() < spec.p_depends:
        pool = earlier[-300:]
        t["depends"] = [d["id"] for d in rng.sample(pool, min(len(pool), rng.randint(1, 2)))]
    if rng.random() < spec.p_cadence:
        t["cadence"] = rng.choice(CADENCES)
    if rng.random() < spec.p_note:
        t["note"] = rng.choice(NOTES)
    return t


def file_sizes(spec: Spec) -> list[int]:
    """Tasks per plan file: as even as possible, the first files take the remainder."""
    base, extra = divmod(spec.tasks, spec.files)
    return [base + (1 if i < extra else 0) for i in range(spec.files)]


def split_files(spec: Spec, tasks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Relative plan path → its tasks, in the order make_tasks produced them."""
    out: dict[str, list[dict[str, Any]]] = {}
    i = 0
    for f, size in enumerate(file_sizes(spec)):
        out[f"{PLANS_DIR}/plan-{f + 1:03d}.yaml"] = tasks[i : i + size]
        i += size
    return out


# --- YAML text -----------------------------------------------------------------------

# Plain scalars that read back as the same text under YAML 1.1 and 1.2 and gaoxin's
# strict reader: start with a letter or CJK, no indicators. Anything else is quoted.
_PLAIN = re.compile(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9_.@\-\u4e00-\u9fff〔〕（）、，。：；]*")
_RESERVED = frozenset(
    {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "n", "N"}
    | {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def _block(value: dict[str, Any], indent: int, lines: list[str]) -> None:
    """Block mappings; lists of mappings as block sequences of flow maps; the rest flow."""
    pad = " " * indent
    for key, v in value.items():
        if isinstance(v, dict) and v and any(isinstance(x, dict) for x in v.values()):
            lines.append(f"{pad}{key}:")
            _block(v, indent + 2, lines)
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f"{pad}{key}:")
            lines.extend(f"{pad}  - {_flow(item)}" for item in v)
        elif isinstance(v, str) and "\n" in v:
            lines.append(f"{pad}{key}: |{'' if v.endswith(chr(10)) else '-'}")
            lines.extend(f"{pad}  {line}" for line in v.splitlines())
        else:
            lines.append(f"{pad}{key}: {_flow(v)}")


def config_text(config: dict[str, Any]) -> str:
    lines = [CONFIG_HEADER.rstrip("\n"), "# 由 bench/gen.py 生成的基准测试工作区。"]
    _block(config, 0, lines)
    return "\n".join(lines) + "\n"


def plan_text(tasks: Iterable[dict[str, Any]]) -> str:
    lines = [PLAN_HEADER.rstrip("\n"), "tasks:"]
    for t in tasks:
        body: list[str] = []
        _block(t, 4, body)
        body[0] = "  - " + body[0][4:]
        lines.extend(body)
    if len(lines) == 2:
        lines[1] = "tasks: []"
    return "\n".join(lines) + "\n"


# --- on disk -------------------------------------------------------------------------


@dataclass(slots=True)
class Workspace:
    """A generated workspace: where it is and the data it was written from."""

    root: Path
    spec: Spec
    config: dict[str, Any]
    tasks: list[dict[str, Any]]
    files: dict[str, list[dict[str, Any]]]
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    @property
    def plan_paths(self) -> list[Path]:
        return [self.root / rel for rel in self.files]


Extra = Callable[[Workspace], None]


def write_workspace(
    root: Path | str, spec: Spec, *, force: bool = False, extras: Iterable[Extra] = ()
) -> Workspace:
    """Generate and write a workspace under *root*; *extras* run afterwards (extensions).

    Refuses a directory that already holds gaoxin.yaml or plans/ unless *force*, which
    overwrites gaoxin.yaml and removes plans/*.yaml first (nothing else).
    """
    root = Path(root)
    plans = root / PLANS_DIR
    if (root / CONFIG_NAME).exists() or plans.exists():
        if not force:
            raise FileExistsError(f"{root} already holds a workspace (use --force)")
        for old in plans.glob("*.yaml"):
            old.unlink()
    cal = WorkCalendar()
    config = make_config(spec)
    tasks = make_tasks(spec, config, calendar=cal)
    files = split_files(spec, tasks)
    plans.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(config_text(config), encoding="utf-8")
    for rel, chunk in files.items():
        (root / rel).write_text(plan_text(chunk), encoding="utf-8")
    ws = Workspace(root, spec, config, tasks, files, cal)
    for extra in extras:
        extra(ws)
    return ws


# --- status history: a ledger for `gaoxin import` --------------------------------------

# Columns of a ledger row, in this order (``gaoxin_cli.loading.events_file``).
EVENT_FIELDS = (
    "date",
    "task",
    "kind",
    "progress",
    "milestone",
    "note",
    "unit",
    "started",
    "reason",
)
EventRow = tuple[str, str, str | None, int | None, str | None, str, str, bool | None, str | None]

REPORT_NOTES = (
    "按计划推进，无滞后",
    "完成本周调度任务",
    "正在办理相关手续",
    "施工单位已进场作业",
    "资金已拨付部分",
    "召开专题协调会议",
    "现场督导，问题已交办",
    "受天气影响进度略缓",
    "配套工程同步推进",
    "已报送阶段性成果",
    "正在组织专家评审",
    "协调解决用地问题",
)
START_NOTES = ("举行开工仪式", "施工单位进场", "项目正式启动", "召开启动会议")
CORRECTION_REASONS = (
    "统计口径调整，核减进度",
    "前期报送有误，按实际工程量更正",
    "督查核实后下调进度",
)
DONE_NOTE = "全部完成，申请销号"

# Order of rows of one task on one day: a start, then reports, milestones, completion.
_RANK_START, _RANK_REPORT, _RANK_MILESTONE, _RANK_DONE = range(4)


@dataclass(frozen=True, slots=True)
class EventSpec:
    """A status history: ``events`` rows dated up to ``as_of`` (each row is one event in
    the store) and ``followups`` more rows on the working days of the ``followup_days``
    after it (new events, e.g. for timing an import into a filled database)."""

    events: int = 1_000_000
    as_of: date = date(2020, 11, 16)
    followups: int = 0
    followup_days: int = 14
    p_late: float = 0.3  # tasks that finish after their due date (or not this year)
    p_start_row: float = 0.7  # tasks (with a start) that get an explicit start row
    p_note_only: float = 0.08  # reports without a progress figure
    p_correction: float = 0.003  # reports that lower progress, with a reason
    p_other_unit: float = 0.15  # reports by a support unit or the office

    def __post_init__(self) -> None:
        if self.events < 0 or self.followups < 0 or self.followup_days < 1:
            raise ValueError("need events >= 0, followups >= 0, followup_days >= 1")

    @property
    def follow_end(self) -> date:
        return self.as_of + timedelta(days=self.followup_days)


@dataclass(slots=True)
class History:
    """A generated ledger and what it amounts to as of ``spec.as_of``."""

    spec: EventSpec
    rows: list[EventRow]  # dated on or before as_of, in date order
    followups: list[EventRow]  # dated in (as_of, follow_end], in date order
    progress: dict[str, int]  # latest progress figure per task as of as_of
    done: dict[str, date]  # tasks at 100 % on or before as_of, and the day


@dataclass(slots=True)
class _Track:
    """One task's timeline, as indexes into the list of working days."""

    task: dict[str, Any]
    lo: int  # first day a report may carry
    finish: int  # the day it reaches 100 % (may lie beyond the horizon)
    fixed: list[tuple[int, int, EventRow]] = field(default_factory=list)  # (day, rank, row)
    base_slots: tuple[int, int] = (0, -1)  # report days up to as_of: [a, b]
    follow_slots: tuple[int, int] = (0, -1)  # report days after it


def _opened(task: dict[str, Any]) -> date:
    """The first day gaoxin accepts a report for (``rules.feedback.opened``)."""
    source_day = task.get("source", {}).get("date")
    if source_day is not None:
        return source_day  # type: ignore[no-any-return]
    first: date = task.get("start") or task["due"]
    return date(first.year, 1, 1)


def _allocate(rng: random.Random, total: int, weights: list[int]) -> list[int]:
    """*total* split in proportion to *weights* (largest remainder, ties at random)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(x) for x in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], rng.random()))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def make_events(ws: Workspace, espec: EventSpec, rng: random.Random | None = None) -> History:
    """A ledger for ``ws.tasks`` that ``gaoxin import`` accepts row by row.

    Per task, reports fall on working days from its start (or the first day it accepts
    reports) to the day it reaches 100 % — on time for most tasks, late for
    ``p_late`` of them — with progress that follows the elapsed share of that span and
    never goes down except in a ``correction`` (with a reason). A task with a start gets a
    start row (``kind=start`` or ``started=true``), each milestone one row near its due
    date, and the day it finishes a last report at 100 %. Rows are spread over the tasks
    in proportion to their reporting days; the fixed rows (start, milestones, completion)
    are counted in, so ``len(rows) == espec.events`` whenever there are at least that
    many reporting days (always, at realistic sizes). Every row has its own note (``第N次
    调度：…``), so no two rows share an import key and each row is exactly one event.
    """
    rng = rng or rng_for(ws.spec, "events")
    cal = ws.calendar
    first = date(ws.spec.year, 1, 1)
    if espec.as_of < first:
        raise ValueError(f"as-of date {espec.as_of} is before {ws.spec.year}")
    days: list[int] = []
    day = first
    while day <= espec.follow_end:
        if cal.is_workday(day):
            days.append(day.toordinal())
        day += timedelta(days=1)
    iso = [date.fromordinal(o).isoformat() for o in days]
    end = bisect.bisect_right(days, espec.as_of.toordinal()) - 1  # last day up to as_of
    horizon = len(days) - 1
    office = ws.config["org"]["office"]

    def unit_for(task: dict[str, Any]) -> str:
        if rng.random() < espec.p_other_unit:
            return rng.choice([*task.get("support", ()), office])
        return task["lead"]  # type: ignore[no-any-return]

    tracks: list[_Track] = []
    for task in ws.tasks:
        lo = bisect.bisect_left(days, _opened(task).toordinal())
        if task.get("start") is not None:
            lo = bisect.bisect_left(days, task["start"].toordinal())
        due = bisect.bisect_left(days, task["due"].toordinal())
        late = rng.random() < espec.p_late
        finish = due + rng.randint(3, 120) if late else due - rng.randint(0, 8)
        tr = _Track(task, lo, max(finish, lo + 1))
        tid = task["id"]
        if task.get("start") is not None and rng.random() < espec.p_start_row:
            at = min(lo + rng.randint(0, 5), tr.finish)
            note = rng.choice(START_NOTES)
            if rng.random() < 0.5:
                row: EventRow = ("", tid, "start", None, None, note, unit_for(task), None, None)
            else:
                row = ("", tid, None, None, None, note, unit_for(task), True, None)
            tr.fixed.append((at, _RANK_START, row))
        for m in task.get("milestones", ()):
            at = bisect.bisect_left(days, m["due"].toordinal())
            at += rng.randint(2, 15) if late else rng.randint(-5, 2)
            at = min(max(at, lo), tr.finish)
            note = f"{m['name']}，已现场核实"
            row = ("", tid, "milestone", None, m["name"], note, unit_for(task), None, None)
            tr.fixed.append((at, _RANK_MILESTONE, row))
        row = ("", tid, "feedback", 100, None, DONE_NOTE, task["lead"], None, None)
        tr.fixed.append((tr.finish, _RANK_DONE, row))
        tr.fixed = [f for f in tr.fixed if f[0] <= horizon]
        last_report = min(tr.finish - 1, horizon)
        tr.base_slots = (lo, min(last_report, end))
        tr.follow_slots = (max(lo, end + 1), last_report)
        tracks.append(tr)

    def slots(span: tuple[int, int]) -> int:
        return max(0, span[1] - span[0] + 1)

    fixed_base = sum(1 for tr in tracks for f in tr.fixed if f[0] <= end)
    fixed_follow = sum(1 for tr in tracks for f in tr.fixed if f[0] > end)
    base_counts = _allocate(rng, espec.events - fixed_base, [slots(tr.base_slots) for tr in tracks])
    follow_counts = _allocate(
        rng, espec.followups - fixed_follow, [slots(tr.follow_slots) for tr in tracks]
    )

    base: list[tuple[int, int, int, EventRow]] = []
    follow: list[tuple[int, int, int, EventRow]] = []
    progress: dict[str, int] = {}
    done: dict[str, date] = {}
    for t_index, (tr, nb, nf) in enumerate(zip(tracks, base_counts, follow_counts, strict=True)):
        task, tid = tr.task, tr.task["id"]
        planned: list[tuple[int, int, EventRow | None]] = [(d, r, row) for d, r, row in tr.fixed]
        for span, n in ((tr.base_slots, nb), (tr.follow_slots, nf)):
            if n:
                picks = rng.choices(range(span[0], span[1] + 1), k=n)
                planned.extend((d, _RANK_REPORT, None) for d in picks)
        planned.sort(key=lambda p: (p[0], p[1]))
        best = current = 0
        seq = 0
        span_days = tr.finish - tr.lo
        for n, (d, _, fixed_row) in enumerate(planned):
            if fixed_row is not None:
                row = fixed_row
                if row[3] is not None:  # the completion report
                    best = current = 100
            else:
                seq += 1
                note = f"第{seq}次调度：{rng.choice(REPORT_NOTES)}"
                r = rng.random()
                if r < espec.p_note_only:
                    row = ("", tid, "feedback", None, None, note, unit_for(task), None, None)
                elif r < espec.p_note_only + espec.p_correction and current >= 5:
                    current -= rng.randint(1, min(10, current))
                    reason = rng.choice(CORRECTION_REASONS)
                    row = ("", tid, "correction", current, None, note, task["lead"], None, reason)
                else:
                    share = (d - tr.lo) / span_days * rng.uniform(0.8, 1.0)
                    best = current = min(99, max(int(100 * share), best))
                    row = ("", tid, "feedback", current, None, note, unit_for(task), None, None)
            row = (iso[d], *row[1:])  # type: ignore[assignment]
            if d <= end:
                base.append((d, t_index, n, row))
                if row[3] is not None:
                    progress[tid] = row[3]
                if row[3] == 100 and row[2] == "feedback":
                    done[tid] = date.fromordinal(days[d])
            else:
                follow.append((d, t_index, n, row))
    base.sort(key=lambda x: x[:3])
    follow.sort(key=lambda x: x[:3])
    return History(espec, [x[3] for x in base], [x[3] for x in follow], progress, done)


def event_dict(row: EventRow) -> dict[str, Any]:
    """A ledger row as a JSON object (the columns it has)."""
    return {k: v for k, v in zip(EVENT_FIELDS, row, strict=True) if v is not None}


def write_events(path: Path | str, rows: Iterable[EventRow]) -> int:
    """Write *rows* as JSON Lines (``.jsonl``) or CSV (``.csv``); returns how many."""
    path = Path(path)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        if path.suffix == ".csv":
            writer = csv.writer(fh)
            writer.writerow(EVENT_FIELDS)
            for row in rows:
                writer.writerow(["true" if v is True else "" if v is None else v for v in row])
                n += 1
        elif path.suffix in (".jsonl", ".ndjson"):
            for row in rows:
                fh.write(json.dumps(event_dict(row), ensure_ascii=False) + "\n")
                n += 1
        else:
            raise ValueError(f"{path}: write .jsonl or .csv")
    return n


def events_extra(
    path: Path | str, espec: EventSpec, followups_path: Path | str | None = None
) -> Extra:
    """An ``extras`` callable for :func:`write_workspace` that writes the ledger."""

    def extra(ws: Workspace) -> None:
        history = make_events(ws, espec)
        write_events(path, history.rows)
        if followups_path is not None:
            write_events(followups_path, history.followups)

    return extra


# --- Taskwarrior `task import` ---------------------------------------------------------

TW_PRIORITY = {"special": "H", "urgent": "M"}


def taskwarrior_shift(as_of: date, today: date | None = None) -> int:
    """Days to add to every date so that Taskwarrior, reading the real clock on *today*,
    sees *as_of* as today: a task is overdue for it exactly when it is for gaoxin."""
    return ((today or date.today()) - as_of).days


def _tw_time(day: date, clock: str) -> str:
    return day.strftime("%Y%m%d") + "T" + clock + "Z"


def task_uuid(task_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gaoxin-bench:task:{task_id}"))


def to_taskwarrior(
    task: dict[str, Any],
    *,
    as_of: date,
    shift_days: int = 0,
    done_on: date | None = None,
    depends: bool = False,
) -> dict[str, Any]:
    """One generated task as a Taskwarrior 2.6 ``task import`` object.

    description = title, project = pillar (else the lead unit), status pending, entry =
    the source date or start (not after *as_of*), due = the due date at 23:59:59 UTC (so
    a task due today is not yet overdue, as in gaoxin), tags from the source kind,
    urgency and 挂牌, priority from urgency; with *depends*, the dependencies as UUIDs
    (Taskwarrior 2.6 gets much slower with them, see bench/README.md). With *done_on* (the
    day the history reaches 100 %) the task is ``completed`` with that ``end`` instead.
    Every date moves by *shift_days*. Run Taskwarrior with ``TZ=UTC``.
    """
    shift = timedelta(days=shift_days)
    entry = min(task.get("source", {}).get("date") or task.get("start") or as_of, as_of)
    tags = [task["source"]["kind"]]
    if task.get("urgency", "normal") != "normal":
        tags.append(task["urgency"])
    if "listed" in task:
        tags.append("listed")
    out: dict[str, Any] = {
        "uuid": task_uuid(task["id"]),
        "description": task["title"],
        "project": task.get("pillar") or task["lead"],
        "status": "pending",
        "entry": _tw_time(entry + shift, "090000"),
        "due": _tw_time(task["due"] + shift, "235959"),
        "tags": tags,
    }
    if done_on is not None:
        out["status"] = "completed"
        out["end"] = _tw_time(done_on + shift, "180000")
    if task.get("urgency") in TW_PRIORITY:
        out["priority"] = TW_PRIORITY[task["urgency"]]
    if depends and task.get("depends"):
        out["depends"] = [task_uuid(d) for d in task["depends"]]
    return out


def write_taskwarrior(
    path: Path | str,
    tasks: Iterable[dict[str, Any]],
    *,
    as_of: date,
    shift_days: int,
    done: Mapping[str, date] | None = None,
    depends: bool = False,
) -> int:
    """The tasks as one JSON array for ``task import``; returns how many.

    *done* (task id → day, e.g. ``History.done``) marks those tasks completed."""
    done = done or {}
    items = [
        to_taskwarrior(
            t, as_of=as_of, shift_days=shift_days, done_on=done.get(t["id"]), depends=depends
        )
        for t in tasks
    ]
    Path(path).write_text(json.dumps(items, ensure_ascii=False, indent=0) + "\n", "utf-8")
    return len(items)


def taskwarrior_extra(
    path: Path | str, *, as_of: date, today: date | None = None, depends: bool = False
) -> Extra:
    """An ``extras`` callable for :func:`write_workspace` that writes the Taskwarrior file."""

    def extra(ws: Workspace) -> None:
        shift = taskwarrior_shift(as_of, today)
        write_taskwarrior(path, ws.tasks, as_of=as_of, shift_days=shift, depends=depends)

    return extra


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic gaoxin workspace.")
    p.add_argument("outdir", type=Path)
    p.add_argument("--tasks", type=int, default=100, help="tasks in total (default 100)")
    p.add_argument("--files", type=int, default=5, help="plan files (default 5)")
    p.add_argument("--units", type=int, default=10, help="units incl. the office (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--year", type=int, default=2020)
    p.add_argument("--force", action="store_true", help="replace an earlier generated workspace")
    p.add_argument(
        "--events", type=int, help="also write OUTDIR/events.jsonl: N rows up to --as-of"
    )
    p.add_argument(
        "--followups",
        type=int,
        default=0,
        help="also write OUTDIR/events-new.jsonl: M rows in the 14 days after --as-of",
    )
    p.add_argument(
        "--as-of", type=date.fromisoformat, help="the history's last day (default YEAR-11-16)"
    )
    p.add_argument("--csv", action="store_true", help="write the ledgers as .csv, not .jsonl")
    p.add_argument(
        "--taskwarrior",
        action="store_true",
        help="also write OUTDIR/taskwarrior.json for `task import`, shifted to today",
    )
    p.add_argument("--tw-depends", action="store_true", help="with the dependencies (as UUIDs)")
    a = p.parse_args(argv)
    if not WorkCalendar().has_year(a.year):
        p.error(f"no working-day data for {a.year} in chinesecalendar")
    as_of = a.as_of or date(a.year, 11, 16)
    try:
        spec = Spec(tasks=a.tasks, files=a.files, units=a.units, seed=a.seed, year=a.year)
        extras: list[Extra] = []
        suffix = ".csv" if a.csv else ".jsonl"
        if a.events is not None or a.followups:
            espec = EventSpec(events=a.events or 0, as_of=as_of, followups=a.followups)
            new = a.outdir / f"events-new{suffix}" if a.followups else None
            extras.append(events_extra(a.outdir / f"events{suffix}", espec, new))
        if a.taskwarrior:
            tw = a.outdir / "taskwarrior.json"
            extras.append(taskwarrior_extra(tw, as_of=as_of, depends=a.tw_depends))
        ws = write_workspace(a.outdir, spec, force=a.force, extras=extras)
    except (ValueError, FileExistsError) as e:
        p.error(str(e))
    print(f"{ws.root}: {len(ws.tasks)} tasks in {len(ws.files)} files, {spec.units} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
