"""Pydantic validation errors → diagnostics at the line and column of the offending node.

Messages are built from the error type and its context only: the input value is never
formatted into a message (it may be huge, binary or a secret).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from gaoxin_cli.i18n import Lang, Msg, has, t
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.yamlstrict import Document
from gaoxin_cli.models import (
    EMAIL_PATTERN,
    ENV_NAME_PATTERN,
    ID_PATTERN,
    LONG_TEXT_PATTERN,
    PILLAR_PATH_PATTERN,
    TEXT_PATTERN,
)
from gaoxin_cli.strings import did_you_mean

# A task id fit to show (the schema checks the id itself; a bad one is not echoed).
ID_RE = re.compile(ID_PATTERN)
_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "int",
    "int_parsing": "int",
    "int_from_float": "int",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "list_type": "list",
    "tuple_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "date_type": "date",
    "none_required": "null",
}
_RANGE = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}
_PATTERNS = {
    ID_PATTERN: "id",
    PILLAR_PATH_PATTERN: "pillar_path",
    TEXT_PATTERN: "text",
    LONG_TEXT_PATTERN: "text",
    EMAIL_PATTERN: "email",
    ENV_NAME_PATTERN: "env",
}


class Where(Msg):
    """Where a schema error is, in words: the task by its id, each field by its name.

    ``('tasks', 5, 'due')`` → ``任务 JC-05 的 完成时限（due）`` / ``task JC-05: due date (due)``.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Msg, ...]) -> None:
        super().__init__("", parts=parts)
        self.parts = parts

    def render(self, lang: Lang) -> str:
        if not self.parts:
            return Msg("where.root").render(lang)
        en = lang == "en"
        out = self.parts[0].render(lang)
        in_task = self.parts[0].key.startswith("where.task")
        for i, part in enumerate(self.parts[1:], 1):
            text = part.render(lang)
            if part.key == "where.item":
                out += " " + text if en else text
            elif i == 1 and in_task:
                out += (": " if en else " 的 ") + text
            else:
                out += (" › " if en else " 的 ") + text
        return out


class _Field(Msg):
    """A field by its name in the language, then as written: 完成时限（due）."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        super().__init__("field." + name)
        self.name = name

    def render(self, lang: Lang) -> str:
        if not has(self.key):
            return self.name
        label = t(self.key, lang)
        if label == self.name:
            return label
        return f"{label}（{self.name}）" if lang == "zh" else f"{label} ({self.name})"


def where(loc: tuple[Any, ...], doc: Document | None = None) -> Where:
    """``('tasks', 3, 'milestones', 0, 'due')`` in words, the task named by its id."""
    parts: list[Msg] = []
    rest = tuple(p for p in loc if p != "[key]")
    if len(rest) >= 2 and rest[0] == "tasks" and isinstance(rest[1], int):
        task_id = _task_id(doc, rest[1])
        parts.append(
            Msg("where.task", id=task_id) if task_id else Msg("where.task_n", n=rest[1] + 1)
        )
        rest = rest[2:]
    for part in rest:
        if isinstance(part, int):
            parts.append(Msg("where.item", n=part + 1))
        else:
            parts.append(_Field(str(part)))
    return Where(tuple(parts))


def _task_id(doc: Document | None, index: int) -> str | None:
    data = doc.data if doc is not None else None
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, list) or not 0 <= index < len(tasks):
        return None
    raw = tasks[index]
    task_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(task_id, str) and ID_RE.fullmatch(task_id):
        return task_id
    return None


def schema_diagnostics(
    exc: ValidationError,
    model: type[BaseModel],
    doc: Document,
    path: str,
    prefix: tuple[Any, ...] = (),
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for e in exc.errors(include_url=False, include_input=False, include_context=True):
        loc = prefix + tuple(e["loc"])
        inner = tuple(e["loc"])
        kind = e["type"]
        ctx = e.get("ctx") or {}
        hint: Msg | None = None
        params: dict[str, object]
        if kind == "missing":
            pos = doc.locate(loc[:-1])
            code, params = "S201", {"where": where(loc, doc)}
        elif kind == "extra_forbidden":
            pos = doc.locate_key(loc)
            field_name = str(loc[-1])
            code, params = "S202", {"field": field_name, "where": where(loc[:-1], doc)}
            hint = _unknown_field_hint(model, inner[:-1], field_name)
        elif kind in _TYPE_NAMES:
            pos = doc.locate(loc)
            code = "S203"
            params = {"where": where(loc, doc), "expected": Msg("type." + _TYPE_NAMES[kind])}
        elif kind in ("literal_error", "enum"):
            pos = doc.locate(loc)
            expected = str(ctx.get("expected", "")).replace(" or ", ", ")
            code, params = "S204", {"where": where(loc, doc), "expected": expected}
        elif kind in ("date_format", "date_invalid", "date_parsing", "date_from_datetime_parsing"):
            pos = doc.locate(loc)
            code, params = ("S205", {"where": where(loc, doc)})
        elif kind in _RANGE:
            pos = doc.locate(loc)
            op = _RANGE[kind]
            limit = ctx.get(op, "")
            if isinstance(limit, float) and limit.is_integer():
                limit = int(limit)  # "le 100", not "le 100.0", for a float field
            code, params = "S206", {"where": where(loc, doc), "op": op, "limit": limit}
        elif kind == "date_range":
            pos = doc.locate(loc)
            code, params = "S207", {"where": where(loc, doc), "what": Msg("pattern.date_range")}
        elif kind == "string_pattern_mismatch":
            pos = doc.locate(loc)
            what = _PATTERNS.get(str(ctx.get("pattern", "")), "format")
            code, params = "S207", {"where": where(loc, doc), "what": Msg("pattern." + what)}
        elif kind in ("string_too_short", "too_short"):
            pos = doc.locate(loc)
            code, params = "S209", {"where": where(loc, doc)}
        elif kind in ("string_too_long", "too_long"):
            pos = doc.locate(loc)
            code, params = "S210", {"where": where(loc, doc), "limit": ctx.get("max_length", "")}
        elif kind == "list_duplicate":
            pos = doc.locate(loc + _first_repeat(doc, loc))
            code, params = "S211", {"where": where(loc, doc)}
        else:
            pos = doc.locate(loc)
            code, params = "S299", {"where": where(loc, doc), "detail": str(e.get("msg", kind))}
        if pos in doc.reported:
            continue  # the reader already said what is wrong here
        out.append(Diagnostic.at(code, path, pos, hint=hint, **params))
    return out


def _first_repeat(doc: Document, loc: tuple[Any, ...]) -> tuple[int, ...]:
    """``(i,)`` for the first list item at *loc* equal to an earlier one; ``()`` if none."""
    node: Any = doc.data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            return ()
        node = node[part]
    if not isinstance(node, list):
        return ()
    seen: list[Any] = []
    for i, item in enumerate(node):
        if item in seen:
            return (i,)
        seen.append(item)
    return ()


def _unknown_field_hint(model: type[BaseModel], loc: tuple[Any, ...], name: str) -> Msg | None:
    if name == "password":
        return Msg("hint.password_env")
    target = _model_at(model, loc)
    if target is None:
        return None
    fields = target.model_fields
    return did_you_mean(name, fields) or Msg("hint.allowed_fields", names=", ".join(fields))


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the mapping at *loc* (walks fields, lists and dicts)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and isinstance(part, int):
            current = args[0]
        elif origin is dict and isinstance(part, str):
            current = args[1]
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated[...] and ``X | None``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


__all__ = ["Where", "schema_diagnostics", "where"]
