"""Cross-file checks: what no single file can tell.

Task ids unique across files; every unit, leader, pillar and dependency reference
resolves (with a "did you mean" hint); no dependency cycles; dates in order; milestone
weights consistent; a listed task names its supervising leader; a due date on a rest day
is a warning naming the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.files import LoadedConfig, TaskEntry
from gaoxin_cli.loading.schema_errors import where
from gaoxin_cli.models import Milestone, Task, pillar_paths
from gaoxin_cli.models.spec import ConfigSpec, MilestoneSpec, TaskSpec
from gaoxin_cli.strings import did_you_mean

# A task as a file gave it: its spec, or its record when a second process read the file.
AnyTask = TaskSpec | Task


@dataclass(slots=True)
class Names:
    """What references may point at. Built from a valid config, or best-effort from raw data."""

    units: set[str] = field(default_factory=set)
    leaders: set[str] = field(default_factory=set)
    pillars: set[str] = field(default_factory=set)
    known: bool = True  # False when there is no config at all: skip reference checks

    @classmethod
    def from_config(cls, config: ConfigSpec) -> Names:
        return cls(set(config.units), set(config.leaders), set(pillar_paths(config.pillars)))

    @classmethod
    def from_raw(cls, data: Any) -> Names:
        """Names from a config that failed validation, so references are still checked."""
        names = cls()
        if not isinstance(data, dict) or not isinstance(data.get("units"), dict):
            # Without a readable unit list every reference would look unknown: the config's
            # own error says what is wrong, so skip the reference checks.
            return cls(known=False)
        for attr, key in (("units", "units"), ("leaders", "leaders")):
            value = data.get(key)
            if isinstance(value, dict):
                getattr(names, attr).update(k for k in value if isinstance(k, str))
        names.pillars.update(_raw_pillar_paths(data.get("pillars")))
        return names


def _raw_pillar_paths(node: Any, prefix: str = "", depth: int = 0) -> Iterator[str]:
    if not isinstance(node, dict) or depth > 32:
        return
    for pid, child in node.items():
        if isinstance(pid, str):
            yield prefix + pid
            if isinstance(child, dict):
                yield from _raw_pillar_paths(child.get("children"), prefix + pid + ".", depth + 1)


def _hint(name: str, candidates: Iterable[str]) -> Msg | None:
    return did_you_mean(name, candidates)


def check_config(loaded: LoadedConfig) -> list[Diagnostic]:
    config, doc = loaded.config, loaded.doc
    if config is None or doc is None:
        return []
    out: list[Diagnostic] = []
    if config.org.office not in config.units:
        out.append(
            Diagnostic.at(
                "X314",
                loaded.path,
                doc.locate(("org", "office")),
                hint=_hint(config.org.office, config.units),
                name=config.org.office,
            )
        )
    if config.calendar.assume_weekends:
        out.append(
            Diagnostic.at(
                "W404",
                loaded.path,
                doc.locate(("calendar", "assume_weekends")),
                hint=Msg("hint.assume_weekends"),
            )
        )
    mail = config.mail
    if mail is not None and mail.username and mail.security == "none":
        # The password would cross the network in clear: notify refuses unless allowed.
        allowed = mail.allow_plaintext_auth
        out.append(
            Diagnostic.at(
                "W406" if allowed else "W407",
                loaded.path,
                doc.locate(("mail", "allow_plaintext_auth" if allowed else "username")),
                hint=Msg("hint.plaintext_auth"),
            )
        )
    out += _robots(loaded)
    both = set(config.calendar.rest) & set(config.calendar.work)
    for i, day in enumerate(config.calendar.work):
        if day in both:
            out.append(
                Diagnostic.at(
                    "X316", loaded.path, doc.locate(("calendar", "work", i)), day=day.isoformat()
                )
            )
    return out


def _robots(loaded: LoadedConfig) -> list[Diagnostic]:
    """Group robots: a plain-http webhook only when allowed (X331). The signing secret
    is never in the file (the schema has no field for it); whether its environment
    variable is set is checked by ``notify`` when it runs, which fails that robot with
    words (a CI runner that validates has none of them)."""
    config, doc = loaded.config, loaded.doc
    assert config is not None and doc is not None
    out: list[Diagnostic] = []
    owners = [("units", k, u.robots) for k, u in config.units.items()]
    owners += [("leaders", k, p.robots) for k, p in config.leaders.items()]
    for section, key, robots in owners:
        for name, r in robots.items():
            if r.webhook.startswith("http://") and not r.allow_http:
                pos = doc.locate((section, key, "robots", name, "webhook"))
                out.append(Diagnostic.at("X331", loaded.path, pos, name=name))
    return out


def check_tasks(
    entries: list[TaskEntry],
    names: Names,
    invalid_ids: Iterable[str],
    calendar: WorkCalendar | None,
) -> list[Diagnostic]:
    """The checks across tasks and files. Two passes over the tasks (a city has
    100,000: each pass costs ~0.1 s in memory reads alone): ids and due years first,
    then every check of one task; a task with nothing to report leaves no trace."""
    out: list[Diagnostic] = []
    first: dict[str, TaskEntry] = {}
    due_years: dict[int, int] = {}
    for e in entries:
        t = e.task
        tid = t.id
        if tid in first:
            f = first[tid]
            where = f"{f.path}:{f.doc.locate(('tasks', f.index, 'id'))[0]}"
            out.append(_err(e, "X301", ("id",), id=tid, first=where))
        else:
            first[tid] = e
        year = t.due.year
        due_years[year] = due_years.get(year, 0) + 1
    known_ids = set(first) | set(invalid_ids)
    missing_years: set[int] = set()
    years = _plan_years(due_years)
    units, leaders, pillars = names.units, names.leaders, names.pillars
    for e in entries:
        t = e.task
        if years is not None and not _within(t, years[0] - 1, years[1] + 1):
            out.extend(_year_typos(e, *years))
        if names.known and not (
            t.lead in units
            and (t.leader is None or t.leader in leaders)
            and (t.pillar is None or t.pillar in pillars)
            and (t.listed is None or t.listed.by is None or t.listed.by in leaders)
            and all(u in units and u != t.lead for u in t.support)
            and all(d in known_ids for d in t.depends)
        ):
            out.extend(_references(e, names, known_ids))
        if (t.start is not None and t.start > t.due) or t.milestones:
            out.extend(_dates(e))
        if t.listed is not None and t.listed.by is None:
            out.append(_err(e, "X311", ("listed",)))
        if calendar is not None:
            out.extend(_rest_day(e, calendar, missing_years))
    out.extend(_cycles(entries, first))
    return out


def _err(
    e: TaskEntry, code: str, loc: tuple[Any, ...], *, hint: Msg | None = None, **params: object
) -> Diagnostic:
    if isinstance(params.get("field"), str):
        # The field by its name (牵头单位（lead）), as schema errors name it.
        params["field"] = where(tuple(p for p in loc if isinstance(p, str)))
    return Diagnostic.at(code, e.path, e.doc.locate(("tasks", e.index, *loc)), hint=hint, **params)


def _references(e: TaskEntry, names: Names, known_ids: set[str]) -> Iterator[Diagnostic]:
    t = e.task
    if t.lead not in names.units:
        yield _err(e, "X302", ("lead",), hint=_hint(t.lead, names.units), field="lead", name=t.lead)
    for i, unit in enumerate(t.support):
        if unit not in names.units:
            yield _err(
                e, "X302", ("support", i), hint=_hint(unit, names.units), field="support", name=unit
            )
        elif unit == t.lead:
            yield Diagnostic.at(
                "X313", e.path, e.doc.locate(("tasks", e.index, "support", i)), name=unit
            )
    if t.leader is not None and t.leader not in names.leaders:
        yield _err(
            e,
            "X303",
            ("leader",),
            hint=_hint(t.leader, names.leaders),
            field="leader",
            name=t.leader,
        )
    if t.listed is not None and t.listed.by is not None and t.listed.by not in names.leaders:
        yield _err(
            e,
            "X303",
            ("listed", "by"),
            hint=_hint(t.listed.by, names.leaders),
            field="listed.by",
            name=t.listed.by,
        )
    if t.pillar is not None and t.pillar not in names.pillars:
        yield _err(e, "X304", ("pillar",), hint=_hint(t.pillar, names.pillars), name=t.pillar)
    for i, dep in enumerate(t.depends):
        if dep not in known_ids:
            yield _err(e, "X305", ("depends", i), hint=_hint(dep, known_ids), name=dep)


def _dates(e: TaskEntry) -> Iterator[Diagnostic]:
    t = e.task
    if t.start is not None and t.start > t.due:
        yield _err(e, "X307", ("start",), start=t.start.isoformat(), due=t.due.isoformat())
        return
    lo = t.start
    seen: set[str] = set()
    milestones = _milestones(t)
    weights = [m.weight for m in milestones]
    for i, m in enumerate(milestones):
        if m.due > t.due or (lo is not None and m.due < lo):
            yield _err(
                e,
                "X308",
                ("milestones", i, "due"),
                name=m.name,
                mdue=m.due.isoformat(),
                start=lo.isoformat() if lo else "…",
                due=t.due.isoformat(),
            )
        if m.name in seen:
            yield _err(e, "X312", ("milestones", i, "name"), name=m.name)
        seen.add(m.name)
    given = [w for w in weights if w is not None]
    if given and len(given) != len(weights):
        yield _err(e, "X309", ("milestones",), missing=len(weights) - len(given))
    elif given and sum(given) > 100 + 1e-9:
        total = sum(given)
        yield _err(e, "X310", ("milestones",), total=f"{total:g}")


def _rest_day(e: TaskEntry, calendar: WorkCalendar, missing: set[int]) -> Iterator[Diagnostic]:
    due = e.task.due
    if not calendar.has_year(due.year):
        if due.year not in missing:
            missing.add(due.year)
            # Estimated (the default): a warning, so daily work goes on and
            # validate --strict can still insist; unknown_years: error stops here.
            code = "W402" if calendar.estimates else "X315"
            yield _err(
                e, code, ("due",), hint=Msg("hint.calendar_year", year=due.year), year=due.year
            )
        return
    if calendar.is_workday(due):
        return
    try:
        nxt = calendar.next_workday(due).isoformat()
    except Exception:  # the next working day falls in a year without data
        nxt = "?"
    yield Diagnostic.at(
        "W401",
        e.path,
        e.doc.locate(("tasks", e.index, "due")),
        hint=Msg("hint.due_rest_day", next=nxt),
        due=due.isoformat(),
        weekday=Msg(f"weekday.{due.weekday()}"),
        next=nxt,
    )


def _plan_years(due_years: dict[int, int]) -> tuple[int, int] | None:
    """The plan's years: the unbroken run of due years around the year most tasks are
    due in (a multi-year plan has no gaps; a mistyped year stands apart)."""
    if not due_years:
        return None
    first = last = max(due_years, key=lambda y: (due_years[y], -y))
    while first - 1 in due_years:
        first -= 1
    while last + 1 in due_years:
        last += 1
    return first, last


def _milestones(t: AnyTask) -> Sequence[MilestoneSpec | Milestone]:
    return t.milestones


def _within(t: AnyTask, lo: int, hi: int) -> bool:
    """Whether every date of *t* falls in the years lo..hi (nearly every task's do)."""
    return (
        lo <= t.due.year <= hi
        and (t.start is None or lo <= t.start.year <= hi)
        and (t.source.date is None or lo <= t.source.date.year <= hi)
        and (t.listed is None or lo <= t.listed.since.year <= hi)
        and all(lo <= m.due.year <= hi for m in _milestones(t))
    )


def _year_typos(e: TaskEntry, first: int, last: int) -> Iterator[Diagnostic]:
    """Dates more than a year before the plan's first year or after its last: most likely
    a mistyped year (2017-06-30 in a 2020 plan shows "逾期 2340 个工作日")."""
    t = e.task
    dated: list[tuple[tuple[Any, ...], str, date | None]] = [
        (("due",), "due", t.due),
        (("start",), "start", t.start),
        *(
            (("milestones", i, "due"), "milestones.due", m.due)
            for i, m in enumerate(_milestones(t))
        ),
        (("listed", "since"), "listed.since", t.listed.since if t.listed else None),
        (("source", "date"), "source.date", t.source.date),
    ]
    for loc, name, day in dated:
        if day is not None and not first - 1 <= day.year <= last + 1:
            yield _err(
                e,
                "W403",
                loc,
                hint=Msg("hint.year_typo"),
                field=name,
                day=day.isoformat(),
                first=first,
                last=last,
            )


def _cycles(entries: list[TaskEntry], first: dict[str, TaskEntry]) -> Iterator[Diagnostic]:
    """Report each dependency cycle once (Tarjan's SCC, iterative: plans can be large)."""
    graph = {tid: [d for d in e.task.depends if d in first] for tid, e in first.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in graph:
        if root in index or not graph[root]:
            continue  # (a task that depends on nothing is in no cycle)
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph[node]
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    yield _cycle_diag(component, graph, first)


def _cycle_diag(
    component: list[str], graph: dict[str, list[str]], first: dict[str, TaskEntry]
) -> Diagnostic:
    members = set(component)
    start = min(component, key=lambda tid: (first[tid].path, first[tid].index))
    # Shortest way from start back to start inside the component.
    came: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in came:
        nxt_frontier = []
        for node in frontier:
            for dep in graph[node]:
                if dep in members and dep not in came:
                    came[dep] = node
                    nxt_frontier.append(dep)
        frontier = nxt_frontier
    path = [start]
    node = came[start]
    while node != start:
        path.append(node)
        node = came[node]
    path.append(start)
    path.reverse()  # start → … → start
    e = first[start]
    return _err(e, "X306", ("depends", e.task.depends.index(path[1])), cycle=" → ".join(path))
