"""Reading one workspace file: bytes → text → YAML → model, every problem a diagnostic."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.parsed import ParsedCache
from gaoxin_cli.loading.schema_errors import schema_diagnostics
from gaoxin_cli.loading.yamlstrict import Document, parse
from gaoxin_cli.models import Task
from gaoxin_cli.models.spec import CalendarFileSpec, ConfigSpec, PlanFileSpec, TaskSpec

MAX_BYTES = 5 * 1024 * 1024

_TASK = TypeAdapter(TaskSpec)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or diagnostics saying why it cannot be read."""
    try:
        if path.is_dir():
            return None, [Diagnostic.at("Y116", shown, (1, 1))]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic.at("Y107", shown, (1, 1), size=size, limit=MAX_BYTES)]
        # Non-blocking, so a named pipe among the plans reads as empty instead of hanging.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1) or b""
    except OSError as e:
        return None, [Diagnostic.at("Y115", shown, (1, 1), reason=e.strerror or type(e).__name__)]
    if len(raw) > MAX_BYTES:  # grew while we looked
        return None, [Diagnostic.at("Y107", shown, (1, 1), size=len(raw), limit=MAX_BYTES)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Diagnostic.at("Y101", shown, (line, 1), line=line)]


def read_document(
    path: Path, shown: str, cache: ParsedCache | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse a file into a mapping document; None when there is nothing usable.
    *cache*: the YAML data of texts read before (loading/parsed.py)."""
    text, diags = read_text(path, shown)
    if text is None:
        return None, diags
    doc, diags = parse(text, shown, cache)
    if doc is None:
        return None, diags
    if doc.data is None:
        if not diags:
            diags.append(Diagnostic.at("Y112", shown, (1, 1)))
        return None, diags
    if not isinstance(doc.data, dict):
        actual = "actual.list" if isinstance(doc.data, list) else "actual.scalar"
        diags.append(Diagnostic.at("Y113", shown, doc.locate(()), actual=Msg(actual)))
        return None, diags
    return doc, diags


@dataclass(slots=True)
class LoadedConfig:
    path: str
    doc: Document | None
    config: ConfigSpec | None


@dataclass(slots=True)
class TaskEntry:
    """A valid task and where it was written. The task is its spec, or its record when a
    second process read the file (``workspace._load_plans``): the fields are the same."""

    task: TaskSpec | Task
    path: str
    index: int
    doc: Document


@dataclass(slots=True)
class LoadedPlan:
    path: str
    doc: Document | None
    entries: list[TaskEntry]
    # ids of tasks that failed validation: references to them are not "unknown"
    invalid_ids: list[str]


def load_config(path: Path, shown: str) -> tuple[LoadedConfig, list[Diagnostic]]:
    doc, diags = read_document(path, shown)
    if doc is None:
        return LoadedConfig(shown, None, None), diags
    config = _validate(ConfigSpec, doc, shown, diags)
    return LoadedConfig(shown, doc, config), diags


def load_calendar_file(path: Path, shown: str) -> tuple[CalendarFileSpec | None, list[Diagnostic]]:
    """One calendar/YYYY.yaml; a day both rest and work is an error located in it."""
    doc, diags = read_document(path, shown)
    if doc is None:
        return None, diags
    cal: CalendarFileSpec | None = _validate(CalendarFileSpec, doc, shown, diags)
    if cal is None:
        return None, diags
    both = set(cal.rest) & set(cal.work)
    if both:
        day = min(both)
        diags.append(Diagnostic.at("X316", shown, doc.locate(("work",)), day=day.isoformat()))
        return None, diags
    if path.stem.isdigit() and int(path.stem) != cal.year:
        diags.append(
            Diagnostic.at("X319", shown, doc.locate(("year",)), year=cal.year, name=path.name)
        )
        return None, diags
    return cal, diags


def _validate(model: type[BaseModel], doc: Document, shown: str, diags: list[Diagnostic]) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as e:
        diags.extend(schema_diagnostics(e, model, doc, shown))
        return None


def load_plan(
    path: Path, shown: str, cache: ParsedCache | None = None
) -> tuple[LoadedPlan, list[Diagnostic]]:
    """Validate a plan file task by task, so one bad task does not hide the others."""
    doc, diags = read_document(path, shown, cache)
    if doc is None:
        return LoadedPlan(shown, None, [], []), diags
    data: dict[str, Any] = doc.data
    # The file-level keys first (only ``tasks`` today), without the tasks themselves.
    shell = {k: ([] if k == "tasks" and isinstance(v, list) else v) for k, v in data.items()}
    try:
        PlanFileSpec.model_validate(shell)
    except ValidationError as e:
        diags.extend(schema_diagnostics(e, PlanFileSpec, doc, shown))
    entries: list[TaskEntry] = []
    invalid: list[str] = []
    tasks = data.get("tasks")
    if isinstance(tasks, list):
        for i, raw in enumerate(tasks):
            try:
                task = _TASK.validate_python(raw)
            except ValidationError as e:
                diags.extend(schema_diagnostics(e, TaskSpec, doc, shown, prefix=("tasks", i)))
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    invalid.append(raw["id"])
                continue
            entries.append(TaskEntry(task, shown, i, doc))
    return LoadedPlan(shown, doc, entries, invalid), diags


def shown_path(path: Path, base: Path | None) -> str:
    """A path as the user should see it: relative to *base* when below it."""
    if base is None:
        return str(path)
    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


__all__ = ["LoadedConfig", "LoadedPlan", "TaskEntry", "load_config", "load_plan"]
