"""JSON Schemas of the two file kinds, for yaml-language-server and check-jsonschema."""

from __future__ import annotations

import json
from typing import Any, Literal

from gaoxin_cli.models.spec import ConfigSpec, PlanFileSpec

Kind = Literal["config", "plan"]
FILE_NAMES: dict[Kind, str] = {"config": "gaoxin.schema.json", "plan": "plan.schema.json"}
_TITLES: dict[Kind, str] = {
    "config": "gaoxin workspace configuration (gaoxin.yaml)",
    "plan": "gaoxin plan file (plans/*.yaml)",
}


def json_schema(kind: Kind) -> dict[str, Any]:
    model = ConfigSpec if kind == "config" else PlanFileSpec
    schema = _bare_names(model.model_json_schema(mode="validation"))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gaoxin.invalid/schema/{FILE_NAMES[kind]}",
        **schema,
        "title": _TITLES[kind],
    }


def json_schema_text(kind: Kind) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _bare_names(node: Any) -> Any:
    """*node* with every spec named as in the files' own words, ``TaskSpec`` → ``Task``:
    the ``$defs`` keys, the ``$ref`` pointers to them and their titles. (The ``Spec``
    suffix keeps the pydantic classes apart from the records in Python; an editor
    showing the schema has no records to tell them from.)"""
    if isinstance(node, list):
        return [_bare_names(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            value = {k.removesuffix("Spec"): _bare_names(v) for k, v in value.items()}
        elif key in ("$ref", "title") and isinstance(value, str):
            value = value.removesuffix("Spec")  # "#/$defs/TaskSpec", "TaskSpec"
        else:
            value = _bare_names(value)
        out[key] = value
    return out
