"""Pydantic validation errors → diagnostics at the line and column of the offending node.

Messages are built from the error type and its context only: the input value is never
formatted into a message (it may be huge, binary or a secret).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from gaoxin_cli.i18n import Msg
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


def where(loc: tuple[Any, ...]) -> str:
    """``('tasks', 3, 'milestones', 0, 'due')`` → ``tasks[3].milestones[0].due``."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(root)"


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
            code, params = "S201", {"field": str(loc[-1]), "where": where(loc[:-1])}
        elif kind == "extra_forbidden":
            pos = doc.locate_key(loc)
            field_name = str(loc[-1])
            code, params = "S202", {"field": field_name, "where": where(loc[:-1])}
            hint = _unknown_field_hint(model, inner[:-1], field_name)
        elif kind in _TYPE_NAMES:
            pos = doc.locate(loc)
            code = "S203"
            params = {"where": where(loc), "expected": Msg("type." + _TYPE_NAMES[kind])}
        elif kind in ("literal_error", "enum"):
            pos = doc.locate(loc)
            expected = str(ctx.get("expected", "")).replace(" or ", ", ")
            code, params = "S204", {"where": where(loc), "expected": expected}
        elif kind in ("date_format", "date_invalid", "date_parsing", "date_from_datetime_parsing"):
            pos = doc.locate(loc)
            code, params = ("S205", {"where": where(loc)})
        elif kind in _RANGE:
            pos = doc.locate(loc)
            op = _RANGE[kind]
            limit = ctx.get(op, "")
            if isinstance(limit, float) and limit.is_integer():
                limit = int(limit)  # "le 100", not "le 100.0", for a float field
            code, params = "S206", {"where": where(loc), "op": op, "limit": limit}
        elif kind == "date_range":
            pos = doc.locate(loc)
            code, params = "S207", {"where": where(loc), "what": Msg("pattern.date_range")}
        elif kind == "string_pattern_mismatch":
            pos = doc.locate(loc)
            what = _PATTERNS.get(str(ctx.get("pattern", "")), "format")
            code, params = "S207", {"where": where(loc), "what": Msg("pattern." + what)}
        elif kind in ("string_too_short", "too_short"):
            pos = doc.locate(loc)
            code, params = "S209", {"where": where(loc)}
        elif kind in ("string_too_long", "too_long"):
            pos = doc.locate(loc)
            code, params = "S210", {"where": where(loc), "limit": ctx.get("max_length", "")}
        elif kind == "list_duplicate":
            pos = doc.locate(loc + _first_repeat(doc, loc))
            code, params = "S211", {"where": where(loc)}
        else:
            pos = doc.locate(loc)
            code, params = "S299", {"where": where(loc), "detail": str(e.get("msg", kind))}
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


__all__ = ["schema_diagnostics", "where"]
