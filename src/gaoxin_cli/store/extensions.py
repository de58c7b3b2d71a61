"""延期 in the store: ``extension`` events, and the due dates they make.

The rules of a request or an approval are in :mod:`gaoxin_cli.rules.extensions`; this
module only reads. The approved date drives the cards and the ladder; the plan's date
is what scoring counts.
"""

from __future__ import annotations

import json
from datetime import date

from gaoxin_cli.models.state import Event
from gaoxin_cli.store.core import Store

_APPROVALS = (
    "SELECT task, data FROM events INDEXED BY events_kind_task"
    " WHERE kind = 'extension' AND at <= ? ORDER BY at, id"
)


def effective_dues(store: Store, as_of: date) -> dict[str, date]:
    """The approved extension date per task as of *as_of* (the latest approval wins).

    Tasks without an approved extension are absent: their plan date holds. Pass the
    result as ``dues`` to ``rules.dashboard.build`` / ``assess_all`` (or ``due=`` to
    ``rules.cards.assess``).
    """
    out: dict[str, date] = {}
    for task, data in store.query(_APPROVALS, (as_of.isoformat(),)):
        try:
            doc = json.loads(data) if data else {}
            if doc.get("action") == "approve" and doc.get("to"):
                out[task] = date.fromisoformat(str(doc["to"]))
        except (ValueError, TypeError, AttributeError):
            continue  # a damaged row never moves a deadline
    return out


def extension_history(store: Store, task: str, as_of: date) -> list[Event]:
    """*task*'s ``extension`` events up to *as_of*, oldest first."""
    return [e for e in store.history(task, until=as_of) if e.kind == "extension"]
