"""延期 in the store: ``extension`` events, and the due dates they make.

The rules of a request or an approval are in :mod:`gaoxin_cli.rules.extensions`; this
module only reads. The approved date drives the cards and the ladder (until a leader
withdraws it); the plan's date is what scoring counts.
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
    """The approved extension date per task as of *as_of*.

    Approvals stack and a ``withdraw`` takes the latest standing one off, as
    ``rules.extensions.summarize`` folds them: the top of the stack is the due date.
    Tasks without a standing approval are absent: their plan date holds. Pass the
    result as ``dues`` to ``rules.dashboard.build`` / ``assess_all`` (or ``due=`` to
    ``rules.cards.assess``).
    """
    found = store.query(_EXTENSIONS, (as_of.isoformat(),))
    docs = rows.json_objects([r[3] for r in found], [r[4] for r in found])
    steps: list[tuple[str, str, int, date | None]] = []  # None: a withdrawal
    for (task, at, id_, _, _), doc in zip(found, docs, strict=True):
        action = doc.get("action") if doc else None
        if action == "withdraw":
            steps.append((task, at, id_, None))
        elif action == "approve" and doc and doc.get("to"):
            try:
                steps.append((task, at, id_, date.fromisoformat(str(doc["to"]))))
            except (ValueError, TypeError):
                continue  # a damaged row never moves a deadline
    steps.sort(key=lambda s: s[:3])
    stacks: dict[str, list[date]] = {}
    for task, _, _, to in steps:
        stack = stacks.setdefault(task, [])
        if to is not None:
            stack.append(to)
        elif stack:  # a withdrawal with nothing standing changes nothing
            stack.pop()
    return {task: stack[-1] for task, stack in stacks.items() if stack}


def extension_history(store: Store, task: str, as_of: date) -> list[Event]:
    """*task*'s ``extension`` events up to *as_of*, oldest first."""
    return [e for e in store.history(task, until=as_of) if e.kind == "extension"]
