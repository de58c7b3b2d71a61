"""Load every file of a workspace and run the cross-file checks (``loading/paths.py``
finds the workspace and its files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gaoxin_cli.loading.checks import Names, check_config, check_tasks
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.files import (
    LoadedConfig,
    TaskEntry,
    load_calendar_file,
    load_config,
    load_plan,
    shown_path,
)
from gaoxin_cli.loading.paths import (
    CONFIG_NAME,
    calendar_files,
    calendar_for,
    plan_files,
)
from gaoxin_cli.models.spec import ConfigSpec, TaskSpec


@dataclass(slots=True)
class Loaded:
    """Everything read from a workspace, valid or not."""

    root: Path | None
    config: ConfigSpec | None
    entries: list[TaskEntry]
    diagnostics: list[Diagnostic]
    files: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[TaskSpec]:
        return [e.task for e in self.entries]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def _with_calendar_files(
    root: Path,
    base: Path | None,
    config: ConfigSpec | None,
    diags: list[Diagnostic],
    files: list[str],
) -> ConfigSpec | None:
    """The config with every calendar/YYYY.yaml added to its ``calendar:`` (each file's
    year counts as described in full; its days join rest / work)."""
    rest: list[date] = []
    work: list[date] = []
    years: list[int] = []
    for path in calendar_files(root):
        shown = shown_path(path, base)
        files.append(shown)
        cal, d = load_calendar_file(path, shown)
        diags.extend(d)
        if cal is None:
            continue
        if cal.year in years or (config is not None and cal.year in config.calendar.years):
            diags.append(Diagnostic.at("X320", shown, (1, 1), year=cal.year))
            continue
        years.append(cal.year)
        rest += cal.rest
        work += cal.work
    if config is None or not years:
        return config
    c = config.calendar
    clash = (set(c.rest) | set(rest)) & (set(c.work) | set(work))
    if clash:
        day = min(clash)
        diags.append(Diagnostic.at("X316", shown_path(root / CONFIG_NAME, base), (1, 1), day=day))
        return config
    merged = c.model_copy(
        update={
            "rest": sorted(set(c.rest) | set(rest)),
            "work": sorted(set(c.work) | set(work)),
            "years": sorted(set(c.years) | set(years)),
        }
    )
    return config.model_copy(update={"calendar": merged})


def load(root: Path | None, extra: list[Path] | None = None, base: Path | None = None) -> Loaded:
    """Load the workspace at *root* (if any) plus *extra* files, checking everything.

    *extra* are files given on the command line: a file named gaoxin.yaml is read as the
    config (when there is no workspace), anything else as a plan.

    Parsing 10,000 tasks builds ~800,000 small containers: a program that calls this
    with the cyclic garbage collector on spends about a third of the time in it
    (``gaoxin`` itself runs with it off: ``cli.main``).
    """
    diags: list[Diagnostic] = []
    files: list[str] = []
    config_path: Path | None = root / CONFIG_NAME if root else None
    plans: list[Path] = plan_files(root) if root else []
    seen = {p.resolve() for p in plans}
    for p in extra or []:
        if config_path is None and p.name == CONFIG_NAME:
            config_path = p
        elif p.resolve() not in seen and (
            config_path is None or p.resolve() != config_path.resolve()
        ):
            plans.append(p)
            seen.add(p.resolve())

    loaded_config = LoadedConfig("", None, None)
    names = Names(known=False)
    if config_path is not None:
        shown = shown_path(config_path, base)
        files.append(shown)
        loaded_config, d = load_config(config_path, shown)
        diags.extend(d)
        if loaded_config.config is not None:
            names = Names.from_config(loaded_config.config)
            diags.extend(check_config(loaded_config))
        elif loaded_config.doc is not None:
            names = Names.from_raw(loaded_config.doc.data)
        if root is not None:
            merged = _with_calendar_files(root, base, loaded_config.config, diags, files)
            loaded_config = LoadedConfig(loaded_config.path, loaded_config.doc, merged)
    elif plans:
        diags.append(Diagnostic.at("X317", shown_path(plans[0], base), (1, 1)))

    entries: list[TaskEntry] = []
    invalid: list[str] = []
    for p in plans:
        shown = shown_path(p, base)
        files.append(shown)
        plan, d = load_plan(p, shown)
        diags.extend(d)
        if plan.doc is not None:
            plan.doc.release()  # validated: positions and data are read again if asked
        entries.extend(plan.entries)
        invalid.extend(plan.invalid_ids)
    if root is not None and not plans:
        diags.append(Diagnostic.at("X318", shown_path(root / CONFIG_NAME, base), (1, 1)))

    calendar = calendar_for(loaded_config.config) if config_path is not None else None
    diags.extend(check_tasks(entries, names, invalid, calendar))
    diags.sort(key=Diagnostic.sort_key)
    return Loaded(root, loaded_config.config, entries, diags, files)
