"""The group-robot part of a ``notify`` run: which notices go to which robot today,
what is still due, and recording each post after the platform answered success.

A notice goes to the robots of every unit it addresses (the lead unit's contact and
head, a support unit's contact, the office at rungs 3–4) and of every leader it
addresses (责任领导, 督办领导); the message @s the people it addresses there. A notice
is due to a robot until a delivery to ``robot:unit:<id>:<name>`` (or
``robot:leader:<id>:<name>``) is recorded in the store's ``deliveries`` — once per
(notice, robot, day), the same UNIQUE rule as mail — while it is live: filed today, or
still inside its reply deadline (a post that failed is sent by the next run; a notice
whose deadline passed is followed by the next rung's). Only open tasks and problems
that are still late get anything.

:func:`deliver` runs inside the notify lock, after the mail; the platforms' mechanics
are ``notify/robots.py``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gaoxin_cli.i18n import Lang, Msg
    from gaoxin_cli.models import Config, Plan
    from gaoxin_cli.models.notice import StoredNotice
    from gaoxin_cli.notify.robots import Channel, Limits, Mention, Post
    from gaoxin_cli.service.session import Session
    from gaoxin_cli.service.transport import Transport
    from gaoxin_cli.store import Store

Mode = Literal["dry", "outbox", "live"]
# How far back a notice may have been filed and still be inside its reply deadline.
_LOOKBACK_DAYS = 120


@dataclass(frozen=True, slots=True)
class ChannelRun:
    """What the CLI hands a run for the robots: the signing secrets (by environment
    variable name), the clock the signatures are stamped with, how to wait."""

    secrets: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    limits: Limits | None = None


@dataclass(frozen=True, slots=True)
class ChannelReport:
    """What the robots got (dry: would get)."""

    mode: Mode
    posts: Sequence[Post] = ()  # built: one per group, more when a message had to split
    sent: int = 0  # answered success (or written to the outbox)
    failures: Sequence[tuple[Post, Msg]] = ()
    waited_s: float = 0.0  # waiting on rate limits
    outbox: Path | None = None

    @property
    def groups(self) -> int:
        return len({p.channel.key for p in self.posts})

    @property
    def ok(self) -> bool:
        return not self.failures


def in_run(
    st: Store,
    session: Session,
    filed: Sequence[StoredNotice],
    transport: Transport,
    run: ChannelRun | None,
    recorded_at: Callable[[], str],
    lang: Lang,
) -> ChannelReport | None:
    """The robots' part of a ``notify`` run (``service/notify.py``), in the mode of its
    mail transport: dry, outbox or live. None: not asked for (*run* None), or no robot."""
    if run is None:
        return None
    from gaoxin_cli.service.transport import OutboxTransport

    if transport.dry:
        return deliver(st, session, filed, "dry", run, recorded_at, lang=lang)
    if isinstance(transport, OutboxTransport):
        outbox = transport.directory
        return deliver(st, session, filed, "outbox", run, recorded_at, outbox=outbox, lang=lang)
    return deliver(st, session, filed, "live", run, recorded_at, lang=lang)


def channels(config: Config) -> list[Channel]:
    """Every robot in gaoxin.yaml: the units' (office included), then the leaders'."""
    from gaoxin_cli.notify.robots import Channel

    out = []
    for uid, u in config.units.items():
        for name, r in u.robots.items():
            out.append(Channel(f"robot:unit:{uid}:{name}", u.short or u.name, name, r))
    for lid, p in config.leaders.items():
        for name, r in p.robots.items():
            out.append(Channel(f"robot:leader:{lid}:{name}", p.name, name, r))
    return out


def _leader_id(config: Config, person: Mapping[str, object]) -> str | None:
    email = str(person.get("email") or "").lower()
    for lid, p in config.leaders.items():
        if email and p.email and p.email.lower() == email:
            return lid
    return config.resolve_leader(str(person.get("name") or "")) if person.get("name") else None


def routes(config: Config, n: StoredNotice) -> dict[str, list[Mention]]:
    """The owners (``unit:<id>`` / ``leader:<id>``) a notice addresses, with the people
    there to @."""
    from gaoxin_cli.notify.robots import Mention

    out: dict[str, list[Mention]] = {}
    for r in n.recipients:
        role = str(r.get("role") or "")
        unit = r.get("unit")
        if role in ("leader", "supervisor"):
            lid = _leader_id(config, r)
            if lid is None:
                continue
            p = config.leaders[lid]
            out.setdefault(f"leader:{lid}", []).append(Mention(p.name, p.phone, p.user_id))
            continue
        if not isinstance(unit, str) or unit not in config.units:
            continue
        u = config.units[unit]
        person = u.head if role in ("head", "office_head") else u.contact
        found = person if person.name == r.get("name") else None
        mention = Mention(person.name, found.phone, found.user_id) if found else None
        out.setdefault(f"unit:{unit}", []).extend([mention] if mention else [])
    return out


def _live(n: StoredNotice, today: date) -> bool:
    return n.issued_on == today or (n.response_due or n.issued_on) >= today


def deliver(
    st: Store,
    session: Session,
    filed: Sequence[StoredNotice],
    mode: Mode,
    run: ChannelRun,
    recorded_at: Callable[[], str],
    *,
    outbox: Path | None = None,
    lang: Lang = "zh",
) -> ChannelReport | None:
    """Post (dry: build; outbox: write) what each robot is due today. None when
    gaoxin.yaml has no robot. *filed*: today's notices (drafts in a dry run)."""
    plan, today = session.plan, session.today
    every = channels(plan.config)
    if not every:
        return None
    posts = due_posts(st, plan, session, filed, every, lang)
    if mode == "dry":
        return ChannelReport(mode, posts)
    from gaoxin_cli.store.notices import delivered_on, record_deliveries

    def accepted(p: Post, message_id: str | None = None) -> None:
        record_deliveries(st, p.notice_ids, p.channel.key, today, recorded_at(), message_id)

    def still_due(p: Post) -> bool:
        ids = set(p.notice_ids)
        return not ids or delivered_on(st, ids, p.channel.key, today) < len(ids)

    if mode == "outbox":
        assert outbox is not None
        for i, p in enumerate(posts, 1):
            accepted(p, f"outbox:{write(outbox, today, p, i)}")
        return ChannelReport(mode, posts, sent=len(posts), outbox=outbox)
    from gaoxin_cli.notify import robots

    result = robots.deliver(
        posts,
        run.secrets,
        accepted,
        still_due,
        clock=run.clock,
        sleep=run.sleep,
        limits=run.limits,
    )
    return ChannelReport(mode, posts, len(result.sent), result.failed, result.waited_s)


def due_posts(
    st: Store,
    plan: Plan,
    session: Session,
    filed: Sequence[StoredNotice],
    every: Sequence[Channel],
    lang: Lang,
) -> list[Post]:
    """Each robot's message(s) for the live notices it has not had yet."""
    from gaoxin_cli.notify import robots
    from gaoxin_cli.store.notices import notices

    config, today = plan.config, session.today
    since = today - timedelta(days=_LOOKBACK_DAYS)
    new = {n.id for n in filed if n.id is not None}
    stored = [
        n for n in notices(st, as_of=today, since=since) if n.id not in new and _live(n, today)
    ]
    ids = [n.id for n in stored if n.id is not None] + [i for i in new if i is not None]
    had = _delivered(st, ids)
    by_owner: dict[str, list[Channel]] = {}
    for c in every:
        owner = c.key.split(":", 1)[1].rsplit(":", 1)[0]  # unit:<id> / leader:<id>
        by_owner.setdefault(owner, []).append(c)

    # Thousands of notices share a few hundred recipient lists: route each list once.
    routed: dict[str, dict[str, list[Mention]]] = {}

    def owed(n: StoredNotice) -> list[tuple[Channel, list[Mention]]]:
        to = routed.get(n.recipients_json)
        if to is None:
            to = routed[n.recipients_json] = routes(config, n)
        return [
            (c, mentions)
            for owner, mentions in to.items()
            for c in by_owner.get(owner, ())
            if n.id is None or (n.id, c.key) not in had
        ]

    # Filed by this run: open by definition. Filed before (a retry, or a second run the
    # same day) and still owed to some robot: only while the task is open or the problem
    # still late (read only for those — usually none).
    pending = [(n, o) for n in stored if (o := owed(n))]
    still = {id(n) for n in _open(st, plan, session, [n for n, _ in pending])}
    todo = [(n, o) for n, o in pending if id(n) in still]
    todo += [(n, o) for n in filed if (o := owed(n))]
    due: dict[str, tuple[list[StoredNotice], list[Mention]]] = {}
    for n, o in todo:
        for c, mentions in o:
            ns, ms = due.setdefault(c.key, ([], []))
            ns.append(n)
            ms.extend(mentions)
    out: list[Post] = []
    for c in every:
        if c.key in due:
            ns, ms = due[c.key]
            out += robots.build(config, c, ns, _unique(ms), today, lang)
    return out


def _unique(ms: list[Mention]) -> list[Mention]:
    return list(dict.fromkeys(ms))


def _delivered(st: Store, ids: Sequence[int]) -> set[tuple[int, str]]:
    """(notice id, robot key) of every robot delivery of *ids*, any day."""
    if not ids:
        return set()
    rows = st.query(
        "SELECT notice_id, recipient FROM deliveries WHERE recipient LIKE 'robot:%'"
        " AND notice_id >= ?",
        (min(ids),),
    )
    return {(int(a), str(b)) for a, b in rows}


def _open(st: Store, plan: Plan, session: Session, older: list[StoredNotice]) -> list[StoredNotice]:
    """The notices of *older* whose task is still open, or whose problem is still late
    (read only when there are any: the first run of a day has none)."""
    if not older:
        return []
    from gaoxin_cli.rules.lifecycle import stopped
    from gaoxin_cli.service.notify import problem_ladder
    from gaoxin_cli.service.snapshot import Snapshot

    tasks = {n.subject for n in older if n.subject_kind == "task" and n.subject in plan.by_id}
    problems = any(n.subject_kind == "problem" for n in older)
    snap = Snapshot.read(
        st,
        plan,
        session.today,
        tasks=tasks,
        problems=problems,
        problem_notices="brief" if problems else "none",
    )
    late = problem_ladder(snap, plan, session.today, session.calendar).late if problems else set()
    out = []
    for n in older:
        if n.subject_kind == "problem":
            if n.subject in late:
                out.append(n)
        elif n.subject in tasks:
            state = snap.states.get(n.subject)
            life = snap.lifecycle.get(n.subject)
            if not (state is not None and state.done) and not (life and stopped(life)):
                out.append(n)
    return out


# --- --outbox ------------------------------------------------------------------------

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write(directory: Path, today: date, post: Post, index: int) -> str:
    """*post* as a JSON file in *directory* (written whole, then renamed into place):
    the robot (its webhook without the token) and the body gaoxin would post."""
    from gaoxin_cli.errors import GaoxinError
    from gaoxin_cli.notify.robots import payload, redacted

    doc = {
        "channel": post.channel.key,
        "kind": post.kind,
        "webhook": redacted(post.channel.robot.webhook),
        "notices": list(post.numbers),
        "part": post.part,
        "parts": post.parts,
        "payload": payload(post),
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"{today.isoformat()}-robot-{index:04d}-{_SAFE.sub('_', post.channel.key)}"
        name = f"{stem}.json"
        n = 1
        while (directory / name).exists():
            n += 1
            name = f"{stem}-{n}.json"
        tmp = directory / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / name)
    except OSError as exc:
        raise GaoxinError(
            "error.notify_outbox", path=str(directory), reason=exc.strerror or exc
        ) from exc
    return name
