"""A ``notify`` run against the store: file today's notices, then find what to mail.

1. Under the write lock (one ``BEGIN IMMEDIATE`` transaction) the ladder is computed
   from the plan, the history, approved extensions and the notices already filed, and
   the notices due today are filed with their numbers. A notice is filed once, whether
   or not its mail gets through.
2. Every (notice, recipient address) not yet mailed — new today, or refused or cut off
   on an earlier run — is due, as is a repeated reminder (``rules.ladder.
   repeat_reminder_wd``). Tasks that are done (100 %, or done, closed or cancelled in
   their lifecycle) get nothing more.
3. :func:`record` is called for each mail the server accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Plan
from gaoxin_cli.notify.digest import Digest, group
from gaoxin_cli.notify.message import Outgoing
from gaoxin_cli.rules import ladder
from gaoxin_cli.store import Store
from gaoxin_cli.store import notices as filed_notices
from gaoxin_cli.store.extensions import effective_dues
from gaoxin_cli.store.lifecycle import lifecycle_states
from gaoxin_cli.store.notices import NewNotice, StoredNotice


@dataclass(slots=True)
class Prepared:
    today: date
    filed: list[StoredNotice]  # filed by this run (only drafted in a dry run)
    digests: list[Digest]
    unmailed: list[tuple[StoredNotice, Mapping[str, Any]]] = field(default_factory=list)


def _new(d: ladder.Draft) -> NewNotice:
    return NewNotice(
        kind=d.kind,
        subject=d.task,
        rung=d.rung,
        issued_on=d.issued_on,
        response_due=d.response_due,
        unit=d.unit,
        recipients=[r.to_json() for r in d.recipients],
        body=d.body,
    )


def prepare(
    store: Store,
    plan: Plan,
    today: date,
    calendar: WorkCalendar,
    *,
    dry_run: bool,
    recorded_at: str | None = None,
) -> Prepared:
    """File (or, dry, draft) today's notices and group what is due into digests."""
    config = plan.config

    def compute() -> tuple[dict[str, list[StoredNotice]], list[ladder.Standing], list[NewNotice]]:
        issued = filed_notices.by_subject(store, today)
        states = store.states(today)
        dues = effective_dues(store, today)
        life = lifecycle_states(store, list(plan.by_id), today)
        items = ladder.standings(plan.tasks, states, dues, issued, config, today, calendar, life)
        drafts = ladder.due_notices(items, config, today, calendar)
        return issued, items, [_new(d) for d in drafts]

    if dry_run:
        issued, items, new = compute()
        filed = filed_notices.draft_notices(store, new, ladder.number)
    else:
        with store.transaction():
            issued, items, new = compute()
            filed = filed_notices.file_notices(store, new, ladder.number, recorded_at)
    pairs = due_pairs(store, items, issued, filed, today, calendar, plan)
    unmailed = [(n, p) for n in filed for p in n.recipients if not p.get("email")]
    return Prepared(today, filed, group(pairs), unmailed)


def due_pairs(
    store: Store,
    items: Sequence[ladder.Standing],
    issued: Mapping[str, Sequence[StoredNotice]],
    filed: Sequence[StoredNotice],
    today: date,
    calendar: WorkCalendar,
    plan: Plan,
) -> list[tuple[StoredNotice, Mapping[str, Any], bool]]:
    """``(notice, recipient, repeat)`` for every mail due today."""
    rules = plan.config.rules.ladder
    by_task = {s.task.id: s for s in items}
    every: dict[str, list[StoredNotice]] = {k: list(v) for k, v in issued.items()}
    for n in filed:
        every.setdefault(n.subject, []).append(n)
    sent = filed_notices.last_sent(store, today)
    out: list[tuple[StoredNotice, Mapping[str, Any], bool]] = []
    for task, ns in every.items():
        s = by_task.get(task)
        if s is None or not s.open:
            continue  # done, or no longer in the plan: nothing more to say
        warnings = [n for n in ns if n.rung >= ladder.REMIND]
        latest = max(warnings, key=lambda n: (n.rung, n.issued_on)) if warnings else None
        for n in ns:
            for person in n.recipients:
                email = str(person.get("email") or "").strip().lower()
                if not email:
                    continue
                last = sent.get((n.id, email)) if n.id is not None else None
                if last is None:
                    out.append((n, person, False))
                elif last < today and ladder.repeat_due(s, n, latest, last, today, calendar, rules):
                    out.append((n, person, True))
    return out


def record(store: Store, out: Outgoing, today: date, sent_at: str, message_id: str) -> int:
    """The server accepted *out*: record one delivery per notice it carried."""
    return filed_notices.record_deliveries(
        store, out.notice_ids, out.recipient, today, sent_at, message_id
    )


def still_due(store: Store, out: Outgoing, today: date) -> bool:
    """False once every notice of *out* is recorded as delivered to its recipient today
    (by another run): the store is the arbiter, the lock only the first line."""
    if not out.notice_ids:
        return True
    marks = ", ".join("?" for _ in out.notice_ids)
    rows = store.query(
        "SELECT count(DISTINCT notice_id) FROM deliveries WHERE recipient = ? AND sent_on = ?"
        f" AND notice_id IN ({marks})",
        (out.recipient, today.isoformat(), *out.notice_ids),
    )
    return int(rows[0][0]) < len(set(out.notice_ids))
