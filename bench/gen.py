"""Synthetic gaoxin workspaces for benchmarks (and, later, for export/history fixtures).

    python3 bench/gen.py OUTDIR --tasks N --files M --units K [--seed S] [--year 2020]

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

Extension points (deliberately not implemented yet):

* status history events: a ``make_events(ws: Workspace, rng)`` drawing from
  ``rng_for(spec, "events")`` and walking ``ws.tasks`` (ids, start/due, milestones) with
  ``ws.calendar``; hook its writer in through ``write_workspace(..., extras=[...])``.
* Taskwarrior ``task import`` JSON: a ``to_taskwarrior(task: dict) -> dict`` mapping over
  ``ws.tasks`` (the task dicts are model-shaped, dates are ``date`` objects), written by
  another ``extras`` callable.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
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


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic gaoxin workspace.")
    p.add_argument("outdir", type=Path)
    p.add_argument("--tasks", type=int, default=100, help="tasks in total (default 100)")
    p.add_argument("--files", type=int, default=5, help="plan files (default 5)")
    p.add_argument("--units", type=int, default=10, help="units incl. the office (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--year", type=int, default=2020)
    p.add_argument("--force", action="store_true", help="replace an earlier generated workspace")
    a = p.parse_args(argv)
    if not WorkCalendar().has_year(a.year):
        p.error(f"no working-day data for {a.year} in chinesecalendar")
    try:
        spec = Spec(tasks=a.tasks, files=a.files, units=a.units, seed=a.seed, year=a.year)
        ws = write_workspace(a.outdir, spec, force=a.force)
    except (ValueError, FileExistsError) as e:
        p.error(str(e))
    print(f"{ws.root}: {len(ws.tasks)} tasks in {len(ws.files)} files, {spec.units} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
