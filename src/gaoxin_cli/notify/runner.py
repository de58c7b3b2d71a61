"""A ``notify`` run against the store: file today's notices, then find what to mail.

1. Under the write lock (one ``BEGIN IMMEDIATE`` transaction) the ladder is computed
   from the plan, the history, approved extensions and the notices already filed, and
   the notices due today are filed with their numbers. A notice is filed once, whether
   or not its mail gets through.
2. Every (notice, recipient address) not yet mailed — new today, or refused or cut off
   on an earlier run — is due, as is a repeated reminder (``rules.ladder.
   repeat_reminder_wd``). Tasks that are done (100 %, or done, closed or cancelled in
   their lifecycle) get nothing more.
   Late 问题提报 climb the same ladder (``rules.problems.problem_subjects``): a problem
   card of level L files rung L (no 交办单), mailed to the unit whose move it is; once
   the problem is closed, rejected or no longer late, nothing more is mailed.
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
from gaoxin_cli.rules.problems import ProblemStatus, ProblemSubject, problem_subjects, replay
from gaoxin_cli.store import Store
from gaoxin_cli.store import notices as filed_notices
from gaoxin_cli.store.extensions import effective_dues
from gaoxin_cli.store.lifecycle import lifecycle_states
from gaoxin_cli.store.notices import NewNotice, StoredNotice
from gaoxin_cli.store.problems import all_problems


@dataclass(slots=True)
class Prepared:
    today: date
    filed: list[StoredNotice]  # filed by this run (only drafted in a dry run)
    digests: list[Digest]
    unmailed: list[tuple[StoredNotice, Mapping[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProblemLadder:
    """The late problems on a day: their notices (by number) and what is still late."""

    issued: Mapping[str, Sequence[StoredNotice]]
    statuses: Mapping[str, ProblemStatus]
    subjects: Sequence[ProblemSubject]  # open problems carrying a card today

    @property
    def late(self) -> frozenset[str]:
        return frozenset(p.number for p in self.subjects)


def _new(d: ladder.Draft, calendar: WorkCalendar) -> NewNotice:
    body = d.body
    if d.response_due is not None and d.response_due.year in calendar.estimated:
        # The reply deadline was counted on a weekends-only estimate: the notice says so
        # for good, in every mail that carries it (digest footer) and on the sheet.
        body = {**body, "calendar_estimated": [d.response_due.year]}
    return NewNotice(
        kind=d.kind,
        subject=d.task,
        rung=d.rung,
        issued_on=d.issued_on,
        response_due=d.response_due,
        unit=d.unit,
        recipients=[r.to_json() for r in d.recipients],
        body=body,
        subject_kind=d.subject_kind,
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

    def compute() -> tuple[
        dict[str, list[StoredNotice]], list[ladder.Standing], list[NewNotice], ProblemLadder
    ]:
        issued = filed_notices.by_subject(store, today)
        states = store.states(today)
        dues = effective_dues(store, today)
        life = lifecycle_states(store, list(plan.by_id), today)
        items = ladder.standings(plan.tasks, states, dues, issued, config, today, calendar, life)
        drafts = ladder.due_notices(items, config, today, calendar)
        problems = problem_ladder(store, plan, today, calendar)
        drafts += ladder.problem_due_notices(
            problems.subjects, problems.statuses, problems.issued, config, today, calendar
        )
        return issued, items, [_new(d, calendar) for d in drafts], problems

    if dry_run:
        issued, items, new, problems = compute()
        filed = filed_notices.draft_notices(store, new, ladder.number)
    else:
        with store.transaction():
            issued, items, new, problems = compute()
            filed = filed_notices.file_notices(store, new, ladder.number, recorded_at)
    pairs = due_pairs(store, items, issued, filed, today, calendar, plan, problems)
    unmailed = [(n, p) for n in filed for p in n.recipients if not p.get("email")]
    return Prepared(today, filed, group(pairs), unmailed)


def problem_ladder(store: Store, plan: Plan, today: date, calendar: WorkCalendar) -> ProblemLadder:
    """Every problem's status and notices as of *today*, and which open ones are late."""
    statuses = {p.number: replay(p, steps) for p, steps in all_problems(store, today)}
    issued = filed_notices.by_subject(store, today, subject_kind="problem")
    late = problem_subjects(statuses.values(), today, calendar, plan, _red_dues(issued))
    return ProblemLadder(issued, statuses, late)


def _red_dues(issued: Mapping[str, Sequence[StoredNotice]]) -> dict[str, date]:
    """Each problem's 督办单 response deadline (L4 follows the real notice, as for tasks)."""
    out: dict[str, date] = {}
    for number, ns in issued.items():
        for n in ns:
            if n.kind == "supervise" and n.response_due is not None:
                out[number] = min(n.response_due, out.get(number, date.max))
    return out


def due_pairs(
    store: Store,
    items: Sequence[ladder.Standing],
    issued: Mapping[str, Sequence[StoredNotice]],
    filed: Sequence[StoredNotice],
    today: date,
    calendar: WorkCalendar,
    plan: Plan,
    problems: ProblemLadder | None = None,
) -> list[tuple[StoredNotice, Mapping[str, Any], bool]]:
    """``(notice, recipient, repeat)`` for every mail due today. A problem's notices are
    due while it is open and carries a card (*problems*; None: none is due)."""
    rules = plan.config.rules.ladder
    by_task = {s.task.id: s for s in items}
    every: dict[tuple[str, str], list[StoredNotice]] = {
        ("task", k): list(v) for k, v in issued.items()
    }
    if problems is not None:
        for k, v in problems.issued.items():
            every[("problem", k)] = list(v)
    for n in filed:
        every.setdefault((n.subject_kind, n.subject), []).append(n)
    sent = filed_notices.last_sent(store, today)
    out: list[tuple[StoredNotice, Mapping[str, Any], bool]] = []
    for (kind, subject), ns in every.items():
        warnings = [n for n in ns if n.rung >= ladder.REMIND]
        latest = max(warnings, key=lambda n: (n.rung, n.issued_on)) if warnings else None
        s: ladder.Standing | None = None
        last_step: date | None = None
        if kind == "problem":
            if problems is None or subject not in problems.late:
                continue  # closed, rejected or no longer late: nothing more to say
            status = problems.statuses.get(subject)
            last_step = status.last_step if status is not None else None
        else:
            s = by_task.get(subject)
            if s is None or not s.open:
                continue  # done, or no longer in the plan: nothing more to say
        for n in ns:
            for person in n.recipients:
                email = str(person.get("email") or "").strip().lower()
                if not email:
                    continue
                last = sent.get((n.id, email)) if n.id is not None else None
                if last is None:
                    out.append((n, person, False))
                elif last < today and (
                    ladder.repeat_due(s, n, latest, last, today, calendar, rules)
                    if s is not None
                    else ladder.problem_repeat_due(
                        n, latest, last_step, last, today, calendar, rules
                    )
                ):
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
