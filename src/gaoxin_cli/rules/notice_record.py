"""What a filed notice keeps: its number (交办〔2020〕3号) and the card reasons recorded in
its body, written as JSON and read back as messages. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gaoxin_cli.i18n import Msg

LABELS: dict[str, str] = {
    "assign": "交办",
    "remind": "提醒",
    "urge": "催办",
    "supervise": "督办",
    "report": "通报",
}
# Patterns, not compiled ones: only a typed notice number needs them, and ``re`` caches
# what it compiled (every command importing this module does not pay ~1 ms for them).
_NUMBER_ZH = r"^\s*(交办|提醒|催办|督办|通报)单?\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*0*(\d{1,6})\s*号?\s*$"  # noqa: E501
_NUMBER_EN = r"(?i)^\s*(assign|remind|urge|supervise|report)[-/ _]?(\d{4})[-/ _]0*(\d{1,6})\s*$"


def number(kind: str, year: int, seq: int) -> str:
    """The notice number: 督办〔2020〕12号."""
    return f"{LABELS[kind]}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int] | None:
    """``(kind, year, seq)`` from 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12."""
    m = re.match(_NUMBER_ZH, text)
    if m:
        kind = next(k for k, v in LABELS.items() if v == m.group(1))
        return kind, int(m.group(2)), int(m.group(3))
    m = re.match(_NUMBER_EN, text)
    if m:
        return m.group(1).lower(), int(m.group(2)), int(m.group(3))
    return None


def stored_reasons(body: Mapping[str, Any]) -> list[Msg]:
    """The card reasons a filed notice recorded (its ``body["reasons"]``), as messages;
    entries that are not ``{"key": …, "params": {…}}`` are left out."""
    out = []
    for r in body.get("reasons") or []:
        if not isinstance(r, Mapping) or not isinstance(r.get("key"), str):
            continue
        out.append(_msg_from(r))
    return out


def msg_json(m: Msg) -> dict[str, Any]:
    """A message as JSON, nested messages (a problem's stage) included."""
    params = {k: msg_json(v) if isinstance(v, Msg) else v for k, v in m.params.items()}
    return {"key": m.key, "params": params}


def _msg_from(r: Mapping[str, Any]) -> Msg:
    params = r.get("params")
    found = dict(params) if isinstance(params, Mapping) else {}
    for k, v in found.items():
        if isinstance(v, Mapping) and isinstance(v.get("key"), str):
            found[k] = _msg_from(v)
    return Msg(r["key"], **found)
