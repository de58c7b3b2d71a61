"""Formal notices (三单) as records: filed, to be filed, and their deliveries. No I/O.

``store/notices.py`` reads and writes them (and re-exports them under its own name);
``notify/`` mails them and ``render/`` prints them, both without importing the store.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple


@dataclass(frozen=True)
class StoredNotice:
    """A filed notice (``id`` is None for one only drafted, in a dry run)."""

    id: int | None
    number: str
    kind: str
    year: int
    seq: int
    subject: str  # the task id, or the problem number (subject_kind 'problem')
    rung: int
    issued_on: date
    response_due: date | None
    unit: str | None
    recipients_json: str
    body_json: str
    recorded_at: str | None = None
    subject_kind: str = "task"  # 'task' or 'problem' (问题提报)
    # 签收: the day the addressed unit acknowledged it, as of the day it was read
    # (None: not signed, or not read with its signature).
    signed_on: date | None = None

    @cached_property
    def recipients(self) -> tuple[Mapping[str, Any], ...]:
        """``{"role", "name", "email", "unit"}`` per addressee, parsed once."""
        return parse_recipients(self.recipients_json)

    @cached_property
    def body(self) -> dict[str, Any]:
        """The snapshot, parsed once (a damaged one reads as empty)."""
        try:
            doc = json.loads(self.body_json)
        except ValueError:
            return {}
        return doc if isinstance(doc, dict) else {}


def parse_recipients(text: str) -> tuple[Mapping[str, Any], ...]:
    """A notice's stored recipients (a JSON list of objects) as read: the objects only,
    and none when the text is not a JSON list."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(parsed, list):
        return ()
    return tuple(p for p in parsed if isinstance(p, dict))


# How a notice's recipients and body are stored: JSON, non-ASCII kept as is.
JSON = json.JSONEncoder(ensure_ascii=False)


class _BodyText:
    """``StoredNotice.body_json`` of a notice made with its body parsed and no text (the
    notices a run files: the store wrote ``JSON.encode(body)``): encoded when first
    read, then kept. A first run of 100,000 tasks files ~57,000 notices, whose texts
    (~59 MiB) nothing reads. A notice read from the store has its text, which wins: this
    descriptor defines no ``__set__``."""

    def __get__(self, notice: StoredNotice | None, owner: type | None = None) -> Any:
        if notice is None:
            return self
        text = JSON.encode(notice.__dict__["body"])
        notice.__dict__["body_json"] = text
        return text


# Set after @dataclass made the class, so that it is not taken for the field's default.
StoredNotice.body_json = _BodyText()  # type: ignore[assignment]


class NewNotice(NamedTuple):
    """A notice to file; the store gives it its number."""

    kind: str
    subject: str
    rung: int
    issued_on: date
    response_due: date | None
    unit: str | None
    recipients: Sequence[Mapping[str, Any]]
    body: Mapping[str, Any]
    subject_kind: str = "task"  # 'task' or 'problem'


class Delivery(NamedTuple):
    notice_id: int
    recipient: str
    sent_on: date
    sent_at: str
    message_id: str | None


class SignRow(NamedTuple):
    """One 签收 record (table ``notice_signs``): ``sign`` on day ``at`` by ``unit``, or
    ``withdraw`` (with a ``reason``) of the standing one. ``id`` orders rows of one day."""

    notice_id: int
    action: str  # 'sign' | 'withdraw'
    unit: str | None
    at: date
    reason: str | None = None
    id: int = 0


def signed_days(rows: Sequence[SignRow]) -> dict[int, date]:
    """Fold 签收 rows, in ``(at, id)`` order, into the day each notice still signed was
    signed: a ``sign`` of a signed notice changes nothing, a ``withdraw`` unsigns it."""
    out: dict[int, date] = {}
    for r in rows:
        if r.action == "sign":
            out.setdefault(r.notice_id, r.at)
        elif r.action == "withdraw":
            out.pop(r.notice_id, None)
    return out
