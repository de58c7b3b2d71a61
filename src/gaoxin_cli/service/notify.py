"""A ``notify`` run: file today's notices, mail what is due, record what was accepted.

1. Under the notify lock the ladder is computed from the
   :class:`~gaoxin_cli.service.snapshot.Snapshot` (plan, history, approved extensions,
   the notices already filed) and the notices due today are filed with their numbers
   (one ``BEGIN IMMEDIATE`` transaction, which skips a notice already filed). A notice
   is filed once, whether or not its mail gets through.
2. Every (notice, recipient address) not yet mailed — new today, or refused or cut off
   on an earlier run — is due, as is a repeated reminder (``rules.ladder.
   repeat_reminder_wd``). Tasks that are done (100 %, or done, closed or cancelled in
   their lifecycle) get nothing more.
   Late 问题提报 climb the same ladder (``rules.problem_cards.problem_subjects``): a problem
   card of level L files rung L (no 交办单), mailed to the unit whose move it is; once
   the problem is closed, rejected or no longer late, nothing more is mailed.
3. Each due (recipient) becomes one digest mail. Before any is handed on, the intent of
   each (Message-ID, recipient, notices) is recorded (:func:`intend`); a mail an earlier
   run meant to send today keeps its Message-ID (:func:`intended`). The Message-ID and
   the notices are all an intent needs, so a mail's bytes are built only when its turn
   comes, and dropped once it is written or sent (:func:`plan_mails`). The digests are
   grouped, and a second process starts building part of the mails, once the day's
   notices are numbered and before their rows are written (``prepare``'s *meanwhile*,
   service/mail_ahead.py); nothing goes out before the filing has committed.
4. The mails go to a :class:`Transport` — SMTP, an outbox directory, or nothing (a dry
   run, which files nothing either). Each mail the transport reports accepted is
   recorded (SMTP: at once; an outbox: its files a few at a time, see
   :class:`OutboxTransport`), one delivery per notice it carried, waiting for the write
   lock as long as it takes (:func:`record_all`); before each SMTP mail the store is
   asked whether another run delivered it meanwhile (:func:`still_due`).

:func:`run` returns a :class:`NotifyReport`; the CLI prints it and turns undelivered
mail into exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gaoxin_cli.service.channels import channels, in_run
from gaoxin_cli.service.session import Session
from gaoxin_cli.service.snapshot import Snapshot
from gaoxin_cli.service.transport import (
    DryRun,
    OutboxTransport,
    SmtpTransport,
    Transport,
    stand_in_mail,
)

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.i18n import Lang, Msg
    from gaoxin_cli.models import Config, MailConfig, Plan
    from gaoxin_cli.models.notice import NewNotice, StoredNotice
    from gaoxin_cli.notify.digest import Digest
    from gaoxin_cli.notify.message import Mail, Outgoing, Planned
    from gaoxin_cli.notify.smtp import Failure
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.rules.problem_cards import ProblemSubject
    from gaoxin_cli.rules.problems import ProblemStatus
    from gaoxin_cli.service.channels import ChannelReport, ChannelRun
    from gaoxin_cli.store import Store
    from gaoxin_cli.store.notices import Intent, IntentKey

M = TypeVar("M", bound="Mail")
Recipient = Mapping[str, Any]  # {"role", "name", "email", "unit"}, as a notice keeps it

# The transports are defined in service/transport.py; callers take them from here.
__all__ = ["DryRun", "NotifyReport", "OutboxTransport", "SmtpTransport", "Transport", "run"]


# --- the run ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotifyReport:
    """What a run did (a dry run: would do)."""

    today: date
    dry: bool = False
    rest_day: bool = False  # today is not a working day: nothing was done
    outbox: Path | None = None  # the directory mail was written to, if not sent
    filed: Sequence[StoredNotice] = ()  # filed by this run (only drafted, dry)
    digests: int = 0  # recipients with something due
    mails: Sequence[Mail] = ()  # planned (a bad address gets none)
    drafts: Sequence[Outgoing] = ()  # a dry run: the mails as they would go
    sent: int = 0  # accepted by the server (or written to the outbox)
    failures: Sequence[Failure] = ()  # tried and refused
    unsent: Sequence[str] = ()  # never tried: the connection ended first
    fatal: Msg | None = None  # why the connection ended early
    bad_addresses: Sequence[str] = ()  # refused by the address check: nothing built
    # Notices with a recipient who has no address: (notice, recipient)
    unmailed: Sequence[tuple[StoredNotice, Recipient]] = ()
    estimated_years: Sequence[int] = ()  # years counted on a weekends-only estimate
    robots: ChannelReport | None = None  # the group robots (None: gaoxin.yaml has none)
    # gaoxin.yaml has group robots and no ``mail:`` section: nothing mailed, on purpose
    mail_off: bool = False

    @property
    def undelivered(self) -> int:
        """Mail not delivered this run (sent again by the next)."""
        return len(self.failures) + len(self.unsent) + len(self.bad_addresses)

    @property
    def ok(self) -> bool:
        return not (self.failures or self.unsent or self.bad_addresses or self.fatal)


def run(
    session: Session,
    transport: Transport,
    now: datetime,
    recorded_at: Callable[[], str],
    *,
    any_day: bool = False,
    lang: Lang = "zh",
    waiting: Callable[[Msg], object] | None = None,
    robots: ChannelRun | None = None,
) -> NotifyReport:
    """Today's run; see the module docstring. *now* dates the mails, *recorded_at* stamps
    each write (the clock is the caller's); *any_day* runs on a rest day too; the mail is
    worded in *lang*; *waiting* is told, every few seconds, that a mail the server took
    waits for the store's write lock to be recorded. *robots*: also post to gaoxin.yaml's
    group robots, after the mail (``service/channels.py``)."""
    from gaoxin_cli.notify import lock

    plan, today, cal = session.plan, session.today, session.calendar
    if not any_day and not cal.is_workday(today):
        return NotifyReport(today, dry=transport.dry, rest_day=True)
    # An office that reaches its units only through the group robots writes no mail:
    # section; the run then files and posts, and mails nothing (an --outbox still gets
    # the mail as files).
    mail_off = (
        plan.config.mail is None
        and robots is not None
        and bool(channels(plan.config))
        and not isinstance(transport, OutboxTransport)
    )
    mail = stand_in_mail(None) if mail_off else transport.mail_settings(plan.config.mail)
    if transport.dry:
        with session.store(write=False) as st:
            prepared = prepare(st, plan, today, cal, dry_run=True)
            # --- group robots (service/channels.py): what they would get -------------
            groups = in_run(st, session, prepared.filed, transport, robots, recorded_at, lang)
        built, bad = (
            ([], []) if mail_off else build(prepared.digests, plan.config, mail, today, now, lang)
        )
        return NotifyReport(
            today,
            dry=True,
            filed=prepared.filed,
            digests=0 if mail_off else len(prepared.digests),
            mails=built,
            drafts=built,
            bad_addresses=bad,
            unmailed=() if mail_off else prepared.unmailed,
            estimated_years=session.estimated_years(),
            robots=groups,
            mail_off=mail_off,
        )
    with (
        lock.exclusive(lock.lock_path(session.db)),
        session.store(write=True) as st,
        ExitStack() as building,
    ):
        planned: list[Planned] = []
        bad = []
        if mail_off:
            from gaoxin_cli.notify.smtp import SendResult

            prepared = prepare(st, plan, today, cal, dry_run=False, recorded_at=recorded_at())
            result = SendResult()
        else:
            from contextlib import nullcontext

            from gaoxin_cli.notify import message
            from gaoxin_cli.notify.digest import EntryCache
            from gaoxin_cli.service import mail_ahead
            from gaoxin_cli.store.notices import unsynced

            config = plan.config
            earlier: dict[IntentKey, Intent] = {}
            bytes_of: mail_ahead.Mails | None = None
            # An outbox's mails built by the second process are written by it too.
            deliver: mail_ahead.Deliver | None = None
            if isinstance(transport, OutboxTransport):
                from functools import partial

                from gaoxin_cli.notify import outbox

                deliver = partial(outbox.write, transport.directory, today)

            def cache_for(mails: Sequence[Planned]) -> EntryCache:
                # each entry worded once, and kept while a mail still to come needs it
                return EntryCache([p.digest for p in mails], today, lang)

            def make(p: Planned, cache: EntryCache) -> Outgoing:
                return message.build_planned(config, mail, today, p, now, lang, cache)

            def start_building(ready: Prepared) -> None:
                # Part of the mails built by a second process from now on, while the
                # notices' rows are written (service/mail_ahead.py); none is sent
                # before the filing has committed and every intent is recorded.
                nonlocal planned, bad, earlier, bytes_of
                earlier = intended(st, today)
                planned, bad = plan_mails(ready.digests, mail, earlier)
                bytes_of = building.enter_context(
                    mail_ahead.built(planned, make, cache_for, deliver)
                )

            prepared = prepare(
                st,
                plan,
                today,
                cal,
                dry_run=False,
                recorded_at=recorded_at(),
                meanwhile=start_building,
            )
            if bytes_of is None:  # prepare tells every run; this keeps it so
                start_building(prepared)
            assert bytes_of is not None
            planned = intend(st, planned, earlier, today, recorded_at())
            # The filing has committed and the intents are recorded: the second process
            # may now write the mails it built to the outbox (named after their intents).
            bytes_of.go_ahead(planned)
            # An outbox's files are synced before their deliveries are recorded, and a
            # record lost in a power cut is found again by the next run (its intent
            # names the file, its Message-ID proves it): those commits need not wait
            # for the disk. A mail server's 250 has no such second witness.
            sync = unsynced(st) if isinstance(transport, OutboxTransport) else nullcontext()
            with sync:
                result = transport.send(
                    planned,
                    mail,
                    today,
                    lambda taken: record_all(st, taken, today, recorded_at(), waiting),
                    lambda m: still_due(st, m, today),
                    bytes_of,
                )
            building.close()  # the second process stopped before the robots post
        # --- group robots (service/channels.py): after the mail, under the same lock --
        groups = in_run(st, session, prepared.filed, transport, robots, recorded_at, lang)
    return NotifyReport(
        today,
        outbox=transport.directory if isinstance(transport, OutboxTransport) else None,
        filed=prepared.filed,
        digests=len(prepared.digests),
        mails=planned,
        sent=len(result.sent),
        failures=result.failed,
        unsent=result.unsent,
        fatal=result.fatal,
        bad_addresses=bad,
        unmailed=() if mail_off else prepared.unmailed,
        estimated_years=session.estimated_years(),
        robots=groups,
        mail_off=mail_off,
    )


def build(
    digests: Sequence[Digest],
    config: Config,
    mail: MailConfig,
    today: date,
    now: datetime,
    lang: Lang = "zh",
    earlier: Mapping[IntentKey, Intent] | None = None,
) -> tuple[list[Outgoing], list[str]]:
    """The message of each digest, and the addresses that failed the check (no mail).
    A mail an earlier run tried today (*earlier*: today's intents by recipient and
    notices) keeps the Message-ID it was given then."""
    from gaoxin_cli.notify import message
    from gaoxin_cli.notify.digest import EntryCache
    from gaoxin_cli.store.notices import intent_key

    built, bad = [], []
    cache = EntryCache()
    for d in digests:
        was = earlier.get(intent_key(d.email, d.notice_ids)) if earlier else None
        mid = was.message_id if was is not None else None
        try:
            built.append(message.build(config, mail, today, d, now, lang, cache, mid))
        except ValueError:
            bad.append(d.email)
    return built, bad


def plan_mails(
    digests: Sequence[Digest],
    mail: MailConfig,
    earlier: Mapping[IntentKey, Intent] | None = None,
) -> tuple[list[Planned], list[str]]:
    """The mail of each digest, its bytes not built yet, and the addresses that failed
    the check (no mail): what :func:`build` checks and the Message-ID it gives, without
    the bodies."""
    from gaoxin_cli.notify import message
    from gaoxin_cli.store.notices import intent_key

    out, bad = [], []
    for d in digests:
        was = earlier.get(intent_key(d.email, d.notice_ids)) if earlier else None
        try:
            out.append(message.planned(d, mail, was.message_id if was is not None else None))
        except ValueError:
            bad.append(d.email)
    return out, bad


# --- nothing lost, nothing sent twice -------------------------------------------------


def intended(store: Store, today: date) -> dict[IntentKey, Intent]:
    """The mail earlier runs meant to send today (their Message-IDs)."""
    from gaoxin_cli.store.notices import intents

    return intents(store, today)


def intend(
    store: Store,
    mails: Sequence[M],
    earlier: Mapping[IntentKey, Intent],
    today: date,
    recorded_at: str,
) -> list[M]:
    """Record the intent of every mail not tried before, before any is sent (a retry
    after a kill between the server's 250 and the record reuses its Message-ID); the
    mails with their intent's number (an outbox names its file after it)."""
    from dataclasses import replace

    from gaoxin_cli.store.notices import intent_key, intents, record_intents

    known = {i.message_id for i in earlier.values()}
    fresh = [(m.message_id, m.recipient, m.notice_ids) for m in mails]
    if record_intents(store, [f for f in fresh if f[0] not in known], today, recorded_at):
        earlier = intents(store, today)
    out = []
    for m in mails:
        found = earlier.get(intent_key(m.recipient, m.notice_ids))
        mine = found is not None and found.message_id == m.message_id
        out.append(replace(m, intent=found.id) if found is not None and mine else m)
    return out


# --- filing and what is due ---------------------------------------------------------


@dataclass(slots=True)
class Prepared:
    today: date
    filed: list[StoredNotice]  # filed by this run (only drafted in a dry run)
    digests: list[Digest]
    unmailed: list[tuple[StoredNotice, Recipient]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProblemLadder:
    """The late problems on a day: their notices (by number) and what is still late."""

    issued: Mapping[str, Sequence[StoredNotice]]
    statuses: Mapping[str, ProblemStatus]
    subjects: Sequence[ProblemSubject]  # open problems carrying a card today

    @property
    def late(self) -> frozenset[str]:
        return frozenset(p.number for p in self.subjects)


def _new(
    d: ladder.Draft,
    calendar: WorkCalendar,
    people: dict[tuple[ladder.Recipient, ...], list[dict[str, str | None]]] | None = None,
) -> NewNotice:
    """The draft as a notice to file; drafts to the same people share one list of them
    (*people*: the lists made so far), which the filing encodes once."""
    from gaoxin_cli.models.notice import NewNotice

    recipients = people.get(d.recipients) if people is not None else None
    if recipients is None:
        recipients = [r.to_json() for r in d.recipients]
        if people is not None:
            people[d.recipients] = recipients
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
        recipients=recipients,
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
    meanwhile: Callable[[Prepared], object] | None = None,
) -> Prepared:
    """File (or, dry, draft) today's notices and group what is due into digests.

    *meanwhile* is given the digests before the notices' rows are written, inside the
    filing's transaction (their ids and numbers are final by then): ``run`` starts
    building the mails on the second core while the rows are written and committed.
    Nothing may be sent from it: a filing that fails files nothing."""
    from gaoxin_cli.notify.digest import group
    from gaoxin_cli.rules import ladder, notice_record
    from gaoxin_cli.rules import problem_ladder as problem_rungs
    from gaoxin_cli.rules.columns import without
    from gaoxin_cli.store import notices as filed_notices

    config = plan.config

    def compute() -> tuple[Snapshot, list[ladder.Standing], list[NewNotice], ProblemLadder]:
        # The tasks at 100 % get no notice and no mail (due_pairs skips a task that has
        # no standing and no notice today): neither their states nor their standings
        # are made (63,000 of a city's 100,000 tasks in November).
        snap = Snapshot.read(
            store,
            plan,
            today,
            notices="full",
            problems=True,
            problem_notices="full",
            open_only=True,
        )
        done = snap.done
        tasks = without(plan.tasks, done) if done else plan.tasks
        items = ladder.standings(
            tasks, snap.states, snap.dues, snap.issued, config, today, calendar, snap.lifecycle
        )
        drafts = ladder.due_notices(items, config, today, calendar)
        problems = problem_ladder(snap, plan, today, calendar)
        drafts += problem_rungs.problem_due_notices(
            problems.subjects, problems.statuses, problems.issued, config, today, calendar
        )
        people: dict[tuple[ladder.Recipient, ...], list[dict[str, str | None]]] = {}
        return snap, items, [_new(d, calendar, people) for d in drafts], problems

    snap, items, new, problems = compute()
    issued = snap.issued
    # What due_pairs needs of the picture: the standings of the tasks notified before (a
    # repeat asks them) and which tasks get a notice today (open, or none would be
    # drafted). Every other task's state and card is let go before the notices are
    # filed, which reuse the memory (12 MB less at the peak of a 100,000-task first run).
    before = [s for s in items if s.task.id in issued]
    fresh = {n.subject for n in new if n.subject_kind == "task"}
    del snap, items

    def grouped(filed: list[StoredNotice]) -> Prepared:
        pairs = due_pairs(store, before, issued, filed, today, calendar, plan, problems, fresh)
        unmailed = [(n, p) for n in filed for p in n.recipients if not p.get("email")]
        out = Prepared(today, filed, group(pairs), unmailed)
        if meanwhile is not None:
            meanwhile(out)
        return out

    if dry_run:
        return grouped(filed_notices.draft_notices(store, new, notice_record.number))
    if not new:
        return grouped([])
    # The write lock only when there is something to file (a second run of the day
    # beside a long import needs none); the filing skips, under the lock, a notice
    # filed since the read (the notify lock keeps other runs out meanwhile).
    from gaoxin_cli.service import file_ahead

    # The bodies encoded by a second process meanwhile (service/file_ahead.py); what
    # is due grouped, and *meanwhile* told, before the rows are written.
    with (
        file_ahead.encoded(new) as bodies,
        filed_notices.filing(store, new, notice_record.number, recorded_at, bodies) as filed,
    ):
        return grouped(filed)


def problem_ladder(
    snap: Snapshot, plan: Plan, today: date, calendar: WorkCalendar
) -> ProblemLadder:
    """Every problem's status and notices as of *today*, and which open ones are late
    (*snap* read with ``problems=True`` and the problems' notices)."""
    from gaoxin_cli.rules.problem_cards import problem_subjects
    from gaoxin_cli.rules.problems import replay

    statuses = {p.number: replay(p, steps) for p, steps in snap.problems}
    issued = snap.problem_issued
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
    fresh: Collection[str] = (),
) -> list[tuple[StoredNotice, Recipient, bool]]:
    """``(notice, recipient, repeat)`` for every mail due today. A problem's notices are
    due while it is open and carries a card (*problems*; None: none is due). *items*:
    the standings of the tasks with notices in *issued* (others are not asked), which
    may leave out the tasks at 100 % — a task with neither a standing nor a notice
    drafted today gets nothing, as a done one; *fresh*: tasks with a notice drafted
    today (open: a closed task gets none), whose standing *items* may leave out — a
    notice filed today has never been mailed, so no repeat asks it."""
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.rules import problem_ladder as problem_rungs
    from gaoxin_cli.store.notices import last_sent

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
    sent = last_sent(store, today)
    out: list[tuple[StoredNotice, Recipient, bool]] = []
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
            if (s is None and subject not in fresh) or (s is not None and not s.open):
                continue  # done, or no longer in the plan: nothing more to say
        for n in ns:
            # Whether it is mailed again depends on the day it was last mailed, the
            # same for most of its recipients: decided once a day (a city's second
            # day asks it of 157,000 pairs, 57,000 notices).
            again: dict[date, bool] = {}
            for person in n.recipients:
                email = str(person.get("email") or "").strip().lower()
                if not email:
                    continue
                last = sent.get((n.id, email)) if n.id is not None else None
                if last is None:
                    out.append((n, person, False))
                    continue
                if last >= today:
                    continue
                repeat = again.get(last)
                if repeat is None:
                    repeat = again[last] = (
                        (
                            s is not None
                            and ladder.repeat_due(s, n, latest, last, today, calendar, rules)
                        )
                        if kind != "problem"
                        else problem_rungs.problem_repeat_due(
                            n, latest, last_step, last, today, calendar, rules
                        )
                    )
                if repeat:
                    out.append((n, person, True))
    return out


def record_all(
    store: Store,
    taken: Sequence[tuple[Mail, str]],
    today: date,
    sent_at: str,
    waiting: Callable[[Msg], object] | None = None,
) -> int:
    """The server (or the outbox) took these mails, each with the message id to record:
    one delivery per notice each carried, in one transaction.

    Another process holding the write lock (an import of half a million rows beside
    cron) is waited for as long as it takes, telling *waiting* after each busy timeout:
    giving up here would send the mail again on the next run. Any other refusal of the
    store is raised."""
    import time

    from gaoxin_cli.errors import StoreError
    from gaoxin_cli.i18n import Msg
    from gaoxin_cli.store.notices import record_mails

    rows = [(m.notice_ids, m.recipient, message_id) for m, message_id in taken]
    start = time.monotonic()
    while True:
        try:
            return record_mails(store, rows, today, sent_at)
        except StoreError as err:
            if err.msg.key != "error.store_locked":
                raise
            if waiting is not None and taken:
                seconds = round(time.monotonic() - start)
                waiting(Msg("notify.waiting_lock", email=taken[0][0].recipient, seconds=seconds))
            time.sleep(0.05)  # a zero busy timeout must not spin


def still_due(store: Store, out: Mail, today: date) -> bool:
    """False once every notice of *out* is recorded as delivered to its recipient today
    (by another run): the store is the arbiter, the lock only the first line."""
    if not out.notice_ids:
        return True
    from gaoxin_cli.store.notices import delivered_on

    return delivered_on(store, out.notice_ids, out.recipient, today) < len(set(out.notice_ids))
