"""延期 in the store: ``extension`` events, and the due dates they make.

The rules of a request or an approval are in :mod:`gaoxin_cli.rules.extensions`; this
module only reads. The approved date drives the cards and the ladder; the plan's date
is what scoring counts.
"""

from __future__ import annotations

from datetime import date

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import rows
from gaoxin_cli.store.core import Store

_EXTENSIONS = (
    "SELECT task, at, id, data, json_valid(data) FROM events INDEXED BY events_kind_task"
    " WHERE kind = 'extension' AND at <= ?"
)


def effective_dues(store: Store, as_of: date) -> dict[str, date]:
    """The approved extension date per task as of *as_of* (the latest approval wins).

    Tasks without an approved extension are absent: their plan date holds. Pass the
    result as ``dues`` to ``rules.dashboard.build`` / ``assess_all`` (or ``due=`` to
    ``rules.cards.assess``).
    """
    found = store.query(_EXTENSIONS, (as_of.isoformat(),))
    docs = rows.json_objects([r[3] for r in found], [r[4] for r in found])
    latest: dict[str, tuple[str, int, date]] = {}
    for (task, at, id_, _, _), doc in zip(found, docs, strict=True):
        if not doc or doc.get("action") != "approve" or not doc.get("to"):
            continue
        try:
            to = date.fromisoformat(str(doc["to"]))
        except (ValueError, TypeError):
            continue  # a damaged row never moves a deadline
        seen = latest.get(task)
        if seen is None or (at, id_) > seen[:2]:
            latest[task] = (at, id_, to)
    return {task: to for task, (_, _, to) in latest.items()}


def extension_history(store: Store, task: str, as_of: date) -> list[Event]:
    """*task*'s ``extension`` events up to *as_of*, oldest first."""
    return [e for e in store.history(task, until=as_of) if e.kind == "extension"]
