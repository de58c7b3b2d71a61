"""JSON Schemas of the two file kinds, for yaml-language-server and check-jsonschema."""

from __future__ import annotations

import json
from typing import Any, Literal

from gaoxin_cli.models.spec import Config, PlanFile

Kind = Literal["config", "plan"]
FILE_NAMES: dict[Kind, str] = {"config": "gaoxin.schema.json", "plan": "plan.schema.json"}
_TITLES: dict[Kind, str] = {
    "config": "gaoxin workspace configuration (gaoxin.yaml)",
    "plan": "gaoxin plan file (plans/*.yaml)",
}


def json_schema(kind: Kind) -> dict[str, Any]:
    model = Config if kind == "config" else PlanFile
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gaoxin.invalid/schema/{FILE_NAMES[kind]}",
        **schema,
        "title": _TITLES[kind],
    }


def json_schema_text(kind: Kind) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
