"""Lifecycle state of every task as of a day, in a few queries (docs/lifecycle.md).

State is derived, never stored (``rules/lifecycle.py`` holds the machine):

* the last ``lifecycle`` event's ``data["to"]`` (submit → under_review, accept → done,
  return → in_progress, close → closed, cancel → cancelled) when there is one;
* else *in_progress* once the task has a report, correction, start or milestone, else
  *assigned* once a 交办单 (a notice of kind ``assign`` about the task) was issued, else
  *registered*;
* *extension_pending* instead of registered / assigned / in_progress while the latest
  ``extension`` event is a request with no approval or rejection after it.

This is :func:`gaoxin_cli.rules.lifecycle.base_state` applied in bulk (the store may not
import rules; ``tests/test_lifecycle.py`` checks that the two agree on random histories).
"""

import json
from collections.abc import Collection
from datetime import date
from typing import Any, NamedTuple

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import rows
from gaoxin_cli.store.core import Store

_STATES = frozenset(
    {
        "registered",
        "assigned",
        "in_progress",
        "extension_pending",
        "under_review",
        "done",
        "closed",
        "cancelled",
    }
)

# Every lifecycle and extension event up to the day (?1). There are few of them (a
# handful per task), so one scan of the kind index serves all tasks; naming a few tasks
# (?2, a JSON array), a seek per task.
_STEPS_SQL = """
SELECT task, kind, at, id, data, json_valid(data) FROM events INDEXED BY events_kind_task
WHERE kind IN ('lifecycle', 'extension') AND at <= ?1 {tasks}
"""
_STEPS_ALL = _STEPS_SQL.format(tasks="")
_STEPS_SOME = _STEPS_SQL.format(tasks="AND task IN (SELECT value FROM json_each(?2))")

# Per task id: has it a report / correction / start / milestone, and a 交办单? Two index
# seeks per task (events_task_kind_at, notices_subject); ?1 is the day, ?2 the ids as
# one JSON array.
_FACTS_SQL = """
SELECT t.value,
  EXISTS (SELECT 1 FROM events AS e INDEXED BY events_task_kind_at
          WHERE e.task = t.value AND e.kind IN ('feedback', 'correction', 'start', 'milestone')
            AND e.at <= ?1),
  EXISTS (SELECT 1 FROM notices AS n INDEXED BY notices_subject
          WHERE n.subject = t.value AND n.kind = 'assign' AND n.subject_kind = 'task'
            AND n.issued_on <= ?1)
FROM json_each(?2) AS t
"""


# The tasks a 交办单 was issued about by ?1: one pass over the (few) notices.
_ASSIGNED_SQL = """
SELECT DISTINCT subject FROM notices
WHERE kind = 'assign' AND subject_kind = 'task' AND issued_on <= ?
"""
# Asking about more tasks than this, the checkpoint's active days beat two seeks a task.
_VIA_CHECKPOINT = 100


def _state(last_to: str | None, assigned: bool, active: bool, pending: bool) -> str:
    # Mirrors rules.lifecycle.base_state.
    if last_to in _STATES and last_to != "in_progress":
        return last_to
    if last_to == "in_progress" or active:
        state = "in_progress"
    elif assigned:
        state = "assigned"
    else:
        state = "registered"
    return "extension_pending" if pending else state


def _steps(
    found: list[tuple[Any, ...]], wanted: Collection[str]
) -> tuple[dict[str, str], dict[str, bool]]:
    """Per task: the ``to`` of its latest lifecycle event that names a state, and whether
    its latest extension event is a request ("latest": the greatest ``(at, id)``)."""
    docs = rows.json_objects([r[4] for r in found], [r[5] for r in found])
    last_to: dict[str, tuple[str, int, str]] = {}
    pending: dict[str, tuple[str, int, bool]] = {}
    for (task, kind, at, id_, _, _), doc in zip(found, docs, strict=True):
        if task not in wanted:
            continue
        if kind == "lifecycle":
            to = doc.get("to") if doc else None
            if isinstance(to, str) and to in _STATES:
                seen = last_to.get(task)
                if seen is None or (at, id_) > seen[:2]:
                    last_to[task] = (at, id_, to)
        else:
            seen_ext = pending.get(task)
            if seen_ext is None or (at, id_) > seen_ext[:2]:
                pending[task] = (at, id_, doc is not None and doc.get("action") == "request")
    return (
        {task: to for task, (_, _, to) in last_to.items()},
        {task: asked for task, (_, _, asked) in pending.items()},
    )


def lifecycle_states(store: Store, plan_task_ids: Collection[str], as_of: date) -> dict[str, str]:
    """The lifecycle state of each task in *plan_task_ids* as of *as_of*.

    Every id asked about is in the result (``registered`` when nothing is known). For
    many tasks, which ones are active comes from the state checkpoint (its first active
    day per task, plus the events after it); for a few, or with no checkpoint, from two
    index seeks per task. 10,000 tasks over 1,000,000 events take a few milliseconds.
    """
    # Every id once, in order; also the result's first draft (in progress: most are).
    wanted = dict.fromkeys(plan_task_ids, "in_progress")
    if not wanted:
        return {}
    day = as_of.isoformat()
    many = len(wanted) > _VIA_CHECKPOINT
    with store.transaction(lock=False):
        found = (
            store.query(_STEPS_ALL, (day,))
            if many
            else store.query(_STEPS_SOME, (day, json.dumps(list(wanted), ensure_ascii=False)))
        )
        last_to, pending = _steps(found, wanted.keys())
        active = store.active_tasks(as_of) if many else None
        if active is None:
            facts = store.query(_FACTS_SQL, (day, json.dumps(list(wanted), ensure_ascii=False)))
            return {
                task: _state(
                    last_to.get(task), bool(assigned), bool(busy), pending.get(task, False)
                )
                for task, busy, assigned in facts
            }
        notified = {r[0] for r in store.query(_ASSIGNED_SQL, (day,))}
    # Most tasks have no lifecycle or extension step: in progress when active, else
    # assigned or registered (in ids order: updating a key keeps its place).
    out = wanted
    for t in out.keys() - active:
        out[t] = "assigned" if t in notified else "registered"
    for task in last_to.keys() | pending.keys():
        out[task] = _state(
            last_to.get(task), task in notified, task in active, pending.get(task, False)
        )
    return out


class TaskLifecycle(NamedTuple):
    """One task's lifecycle as of a day: its state, and every recorded step (all days)."""

    state: str
    steps: tuple[Event, ...]  # lifecycle events, any day, by (at, id)

    @property
    def last_step(self) -> date | None:
        return self.steps[-1].at if self.steps else None


def task_lifecycle(store: Store, task: str, as_of: date) -> TaskLifecycle:
    """*task*'s state as of *as_of* and all its lifecycle events (call it inside the
    write transaction that records the next step, so nobody acts on stale state)."""
    with store.transaction(lock=False):
        state = lifecycle_states(store, [task], as_of)[task]
        found = store.query(
            rows.SELECT + " WHERE task = ? AND kind = 'lifecycle' ORDER BY at, id", (task,)
        )
    return TaskLifecycle(state, tuple(rows.from_row(r) for r in found))
