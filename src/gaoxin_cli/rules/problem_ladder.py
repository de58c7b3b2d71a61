"""Late problems (问题提报) on the 三单 ladder: a card of level L calls for rung L, addressed
to the responsible unit and, from 督办 on, the office. The task ladder's notices, recipients
and repeat gate are shared (``rules.ladder``). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.models import Config, LadderRules
from gaoxin_cli.rules.ladder import (
    KINDS,
    REMIND,
    REPORT,
    SUPERVISE,
    URGE,
    Draft,
    IssuedNotice,
    Recipient,
    repeat_gate,
    unique_recipients,
)
from gaoxin_cli.rules.notice_record import msg_json
from gaoxin_cli.rules.problem_cards import ProblemSubject
from gaoxin_cli.rules.problems import ProblemStatus


def problem_recipients(unit: str, rung: int, config: Config) -> tuple[Recipient, ...]:
    """A late problem's addressees: the responsible unit's contact (rung 1) → + its head
    (rung 2) → + the office's contact and head (rungs 3–4). One entry per person."""
    units = config.units
    out: list[Recipient] = []
    u = units.get(unit)
    if u is not None:
        out.append(Recipient("contact", u.contact.name, u.contact.email, unit))
        if rung >= URGE:
            out.append(Recipient("head", u.head.name, u.head.email, unit))
    office_id = config.org.office
    office = units.get(office_id)
    if rung >= SUPERVISE and office is not None:
        out.append(
            Recipient("office_contact", office.contact.name, office.contact.email, office_id)
        )
        out.append(Recipient("office_head", office.head.name, office.head.email, office_id))
    return unique_recipients(out)


def problem_snapshot(
    p: ProblemSubject, status: ProblemStatus | None, today: date, calendar: WorkCalendar
) -> dict[str, Any]:
    """What a problem's notice says about it on the day it is issued (kept as filed)."""
    late = calendar.workdays_between(p.due, today) if today > p.due else 0
    return {
        "subject_kind": "problem",
        "problem": p.number,
        "title": p.title,
        "text": status.text if status is not None else p.title,
        "unit": p.unit,
        "assigned_to": status.unit if status is not None else None,
        "task": status.task if status is not None else None,
        "stage": status.state if status is not None else None,
        "reported_on": status.reported_on.isoformat() if status is not None else None,
        "due": p.due.isoformat(),
        "card": p.card.level,
        "reasons": [msg_json(m) for m in p.card.reasons],
        "late_wd": late,
    }


def problem_due_notices(
    subjects: Iterable[ProblemSubject],
    statuses: Mapping[str, ProblemStatus],
    issued: Mapping[str, Sequence[IssuedNotice]],
    config: Config,
    today: date,
    calendar: WorkCalendar,
) -> list[Draft]:
    """The notices to file today for late problems (``rules.problem_cards.problem_subjects``):
    a card of level L calls for rung L, filed when above the highest rung filed for the
    problem and of a kind not filed yet. No 交办单: the problem's assignment is its
    dispatch. Subjects are the problems carrying a card; closed or rejected ones never
    are."""
    response = calendar.add_workdays(today, config.rules.ladder.response_wd)
    out: list[Draft] = []
    for p in subjects:
        st = statuses.get(p.number)
        if st is not None and not st.open:
            continue
        target = min(REPORT, int(p.card.level))
        filed = issued.get(p.number, ())
        rung = max((n.rung for n in filed if n.rung >= REMIND), default=0)
        if target < REMIND or target <= rung or KINDS[target] in {n.kind for n in filed}:
            continue
        out.append(
            Draft(
                task=p.number,
                kind=KINDS[target],
                rung=target,
                unit=p.unit,
                issued_on=today,
                response_due=response,
                recipients=problem_recipients(p.unit, target, config),
                body=problem_snapshot(p, st, today, calendar),
                subject_kind="problem",
            )
        )
    return out


def problem_repeat_due(
    notice: IssuedNotice,
    latest: IssuedNotice | None,
    last_step: date | None,
    last_sent: date,
    today: date,
    calendar: WorkCalendar,
    rules: LadderRules,
) -> bool:
    """Mail a late problem's unanswered notice again? As :func:`repeat_due`: *notice* is
    the problem's highest warning, no step was taken on the problem since it was issued
    (*last_step*), and ``repeat_reminder_wd`` working days have passed since it was last
    mailed. The caller checks the problem still carries a card."""
    return repeat_gate(notice, latest, last_step, last_sent, today, calendar, rules)
