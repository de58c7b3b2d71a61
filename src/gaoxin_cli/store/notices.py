"""Formal notices (三单), their deliveries and the mail meant to carry them: the
``notices`` and ``deliveries`` tables (m003), ``mail_intents`` (m007).

A notice is filed once, numbered per kind and year (督办〔2020〕12号): the next number is
read and written inside one ``BEGIN IMMEDIATE`` transaction, and ``UNIQUE (kind, year,
seq)`` refuses a number given twice. A delivery is recorded only after the mail server
accepted the mail, once per notice, recipient and day (``UNIQUE (notice_id, recipient,
sent_on)``): the store, not the mailer, is the arbiter of what was sent. Before a mail
goes out its intent (Message-ID, recipient, notices) is recorded, so a retry reuses the
Message-ID (docs/escalation.md, "Nothing lost, nothing sent twice").

``recipients`` is a JSON list of ``{"role", "name", "email", "unit"}``; ``body`` is a JSON
snapshot of the task as the notice saw it (title, due dates, card and reasons …), so a
notice reads the same after the plan changes.
"""

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from gaoxin_cli.models.notice import JSON, parse_recipients
from gaoxin_cli.models.notice import Delivery as Delivery
from gaoxin_cli.models.notice import NewNotice as NewNotice
from gaoxin_cli.models.notice import StoredNotice as StoredNotice
from gaoxin_cli.store.core import Store

_COLUMNS = (
    "id, number, kind, year, seq, subject, rung, issued_on, response_due, unit,"
    " recipients, body, recorded_at, subject_kind"
)
_LIGHT = (
    "id, number, kind, year, seq, subject, rung, issued_on, response_due, unit,"
    " '[]', '{}', recorded_at, subject_kind"
)
_ROWS = 60  # rows per multi-row INSERT (≤ 999 variables, the oldest SQLite limit)
_NOTICE_ROWS = 71  # 14 variables a row
_INSERT_HEAD = (
    "INSERT INTO notices (id, number, kind, year, seq, subject, rung, issued_on,"
    " response_due, unit, recipients, body, recorded_at, subject_kind)"
)
# The body (12th) is bound as UTF-8 bytes and stored as TEXT (see filing).
_NOTICE_MARKS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?)"
_NOTICE_VARIABLES, _BODY = 14, 11  # a row's values, and where its body's text is
SUBJECT_KINDS = ("task", "problem")
# json.dumps(value, ensure_ascii=False), with the encoder made once, not per call
_JSON = JSON


def _notice(
    row: Sequence[Any],
    signed: Mapping[int, date] | None = None,
    lists: dict[str, tuple[str, tuple[Mapping[str, Any], ...]]] | None = None,
) -> StoredNotice:
    """The notice of *row*. With *lists* (one dict for one read), notices whose recipients
    are the same text share that text and its parsed list (parsed once, when read)."""
    (id_, number, kind, year, seq, subject, rung, issued, due, unit, rcpts, body, rec, sk) = row
    known = None
    if lists is not None:
        known = lists.get(rcpts)
        if known is None:
            text = str(rcpts)
            known = lists[text] = (text, parse_recipients(text))
    notice = _stored(
        id=int(id_),
        number=str(number),
        kind=str(kind),
        year=int(year),
        seq=int(seq),
        subject=str(subject),
        rung=int(rung),
        issued_on=date.fromisoformat(issued),
        response_due=date.fromisoformat(due) if due else None,
        unit=unit,
        recipients_json=str(rcpts) if known is None else known[0],
        body_json=str(body),
        recorded_at=rec,
        subject_kind=str(sk or "task"),
        signed_on=signed.get(int(id_)) if signed else None,
    )
    if known is not None:
        notice.__dict__["recipients"] = known[1]
    return notice


def _stored(**fields: Any) -> StoredNotice:
    """A StoredNotice of *fields* (every field; parsed ``recipients``/``body`` may come
    too). A frozen dataclass's __init__ sets each field through object.__setattr__ (~4 µs
    a notice, 50 ms for the 12,000 a big plan files in a year); filling the instance dict
    directly makes the same object."""
    notice = object.__new__(StoredNotice)
    notice.__dict__.update(fields)
    return notice


def notices(
    store: Store,
    *,
    as_of: date | None = None,
    kinds: Collection[str] = (),
    units: Collection[str] = (),
    subjects: Collection[str] = (),
    since: date | None = None,
    full: bool = True,
    subject_kind: str | None = None,
    signed_as_of: date | None = None,
    unsigned_only: bool = False,
) -> list[StoredNotice]:
    """Filed notices, oldest first (issue day, then id), filtered as asked. With
    ``full=False`` recipients and body are left out (read as empty): enough to place a
    task on the ladder, and much less to read for thousands of notices. *subject_kind*:
    only the tasks' (``"task"``) or the problems' (``"problem"``) notices; None: all
    (the register: problems' notices share its numbers). ``signed_on`` (签收) is as of
    *signed_as_of*, else *as_of* (neither: not read); *unsigned_only* keeps the notices
    not signed then."""
    from gaoxin_cli.store.signatures import signed

    on = signed_as_of or as_of
    signs = signed(store, on) if on is not None else None
    where: list[str] = []
    params: list[object] = []
    if subject_kind is not None:
        where.append("subject_kind = ?")
        params.append(subject_kind)
    if as_of is not None:
        where.append("issued_on <= ?")
        params.append(as_of.isoformat())
    if since is not None:
        where.append("issued_on >= ?")
        params.append(since.isoformat())
    for column, values in (("kind", kinds), ("unit", units), ("subject", subjects)):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    columns = _COLUMNS if full else _LIGHT
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    sql = f"SELECT {columns} FROM notices{cond} ORDER BY issued_on, id"
    # A full read shares each recipient list among the notices that have it (a 100,000-task
    # workspace's 57,000 notices have 14,000 lists: 0.44 s and ~75 MB parsed one by one).
    lists: dict[str, tuple[str, tuple[Mapping[str, Any], ...]]] | None = {} if full else None
    found = [_notice(r, signs, lists) for r in store.query(sql, params)]
    if unsigned_only:
        return [n for n in found if n.signed_on is None]
    return found


def by_subject(
    store: Store, as_of: date, *, full: bool = True, subject_kind: str = "task"
) -> dict[str, list[StoredNotice]]:
    """Every task's (or, ``subject_kind="problem"``, every problem's) notices filed on or
    before *as_of*, oldest first (``full``: as in :func:`notices`)."""
    out: dict[str, list[StoredNotice]] = {}
    for n in notices(store, as_of=as_of, full=full, subject_kind=subject_kind):
        out.setdefault(n.subject, []).append(n)
    return out


def by_number(store: Store, kind: str, year: int, seq: int) -> StoredNotice | None:
    rows = store.query(
        f"SELECT {_COLUMNS} FROM notices WHERE kind = ? AND year = ? AND seq = ?",
        (kind, year, seq),
    )
    return _notice(rows[0]) if rows else None


def red_notice_dues(store: Store, as_of: date, subject_kind: str = "task") -> dict[str, date]:
    """The response deadline of each task's (or, ``subject_kind="problem"``, each
    problem's) 督办单 filed by *as_of* — pass it to ``rules.cards.assess(...,
    red_notice_due=…)`` (``problem_card``) so L4 follows the real notice."""
    rows = store.query(
        "SELECT subject, min(response_due) FROM notices WHERE kind = 'supervise'"
        " AND subject_kind = ? AND issued_on <= ? AND response_due IS NOT NULL"
        " GROUP BY subject",
        (subject_kind, as_of.isoformat()),
    )
    return {subject: date.fromisoformat(due) for subject, due in rows}


# The body text of the notice at an index of *new*: UTF-8 JSON (:data:`_JSON`) of its body.
BodyTexts = Callable[[int], "bytes | memoryview"]


def file_notices(
    store: Store,
    new: Iterable[NewNotice],
    number: Callable[[str, int, int], str],
    recorded_at: str | None,
    encoded: Callable[[], BodyTexts | None] | None = None,
) -> list[StoredNotice]:
    """File *new* in one transaction: each gets the next number of its kind and year
    (:func:`filing`, with nothing done between numbering and writing)."""
    with filing(store, new, number, recorded_at, encoded) as filed:
        return filed


@contextmanager
def filing(
    store: Store,
    new: Iterable[NewNotice],
    number: Callable[[str, int, int], str],
    recorded_at: str | None,
    encoded: Callable[[], BodyTexts | None] | None = None,
) -> Iterator[list[StoredNotice]]:
    """File *new* in one transaction: each gets the next number of its kind and year,
    and the next id. The block gets the notices as they will be stored, before their
    rows are written; the rows are written, and the transaction committed, when the
    block ends (a block that raises files nothing). ``notify`` starts building the day's
    mails from them meanwhile (service/notify.py).

    A notice whose task (or problem) already has one of the same kind is skipped
    (checked under the write lock, so two runs at once cannot both file it). *number* formats
    ``(kind, year, seq)`` — ``rules.ladder.number``. The ids are the table's next ones,
    given explicitly: the ones SQLite would give (``max(id) + 1`` on), read under the
    same lock.

    The notices are the very objects of *new*'s recipients and bodies (not parsed back,
    not copied: a first run of 100,000 tasks files ~57,000), and notices with the same
    recipients share them.

    *encoded*, when given, is asked for the bodies' texts once every row but its body is
    ready (``service/file_ahead.py``: a second process encodes them meanwhile); when it
    gives None, or is not given, the bodies are encoded here.
    """
    pending: list[tuple[NewNotice, str, int, int, str, tuple[Mapping[str, Any], ...], int]] = []
    encode = _JSON.encode
    # Recipient lists repeat (a unit's contact gets all its tasks' 交办单): one string and
    # one parsed tuple for each distinct list.
    same: dict[str, tuple[str, tuple[Mapping[str, Any], ...]]] = {}
    by_list: dict[int, tuple[str, tuple[Mapping[str, Any], ...]]] = {}
    with journals_in_memory(store), store.transaction():
        rows = store.query("SELECT subject_kind, subject, kind FROM notices")
        have = {(sk, s, k) for sk, s, k in rows}
        seqs: dict[tuple[str, int], int] = {
            (k, y): int(m)
            for k, y, m in store.query(
                "SELECT kind, year, max(seq) FROM notices GROUP BY kind, year"
            )
        }
        ((last_id,),) = store.query("SELECT coalesce(max(id), 0) FROM notices")
        for index, n in enumerate(new):
            if (n.subject_kind, n.subject, n.kind) in have:
                continue
            have.add((n.subject_kind, n.subject, n.kind))
            year = n.issued_on.year
            seq = seqs.get((n.kind, year), 0) + 1
            seqs[(n.kind, year)] = seq
            # The same list object (service/notify.py shares them): encoded once. Safe
            # by identity: every list seen is held by *pending* until the end.
            known = by_list.get(id(n.recipients))
            if known is None:
                people = [r if type(r) is dict else dict(r) for r in n.recipients]
                rcpts = encode(people)
                known = same.get(rcpts)
                if known is None:
                    known = same[rcpts] = (rcpts, tuple(people))
                by_list[id(n.recipients)] = known
            pending.append((n, number(n.kind, year, seq), year, seq, *known, index))
        # Every filed notice's (kind, subject) let go before the block runs: ~20 MB at
        # 57,000 notices, the next day's peak while the digests are grouped in it.
        del rows, have, by_list, same
        first_id = last_id + 1
        filed = [
            _stored(  # parsed fields included; no body_json: encoded again only if read
                id=first_id + i,
                number=num,
                kind=n.kind,
                year=year,
                seq=seq,
                subject=n.subject,
                rung=n.rung,
                issued_on=n.issued_on,
                response_due=n.response_due,
                unit=n.unit,
                recipients_json=rcpts,
                recorded_at=recorded_at,
                subject_kind=n.subject_kind,
                signed_on=None,
                recipients=parsed,
                body=n.body if type(n.body) is dict else dict(n.body),
            )
            for i, (n, num, year, seq, rcpts, parsed, _) in enumerate(pending)
        ]
        yield filed
        # Multi-row INSERTs (one statement per chunk). Every statement's values are
        # made first with the bodies' texts left out; those are filled in last, when
        # *encoded* may have them ready.
        statements: list[list[object]] = []
        for i in range(0, len(pending), _NOTICE_ROWS):
            values: list[object] = []
            for k, (n, num, year, seq, rcpts, _, _) in enumerate(
                pending[i : i + _NOTICE_ROWS], first_id + i
            ):
                due = n.response_due.isoformat() if n.response_due else None
                values += (
                    k,
                    num,
                    n.kind,
                    year,
                    seq,
                    n.subject,
                    n.rung,
                    n.issued_on.isoformat(),
                    due,
                    n.unit,
                    rcpts,
                    None,  # the body's text
                    recorded_at,
                    n.subject_kind,
                )
            statements.append(values)
        text_of = encoded() if encoded is not None and pending else None
        if text_of is None:
            text_of = _body_texts([row[0] for row in pending], [row[6] for row in pending])
        for k, i in enumerate(range(0, len(pending), _NOTICE_ROWS)):
            chunk = pending[i : i + _NOTICE_ROWS]
            values, statements[k] = statements[k], []  # its texts let go once written
            # Bound as UTF-8 bytes and cast back to TEXT (the same value): a str bound
            # as text keeps a UTF-8 copy of itself for as long as it lives (32 MB for
            # the bodies of a 100,000-task first run).
            values[_BODY::_NOTICE_VARIABLES] = [text_of(row[6]) for row in chunk]
            marks = ", ".join(_NOTICE_MARKS for _ in chunk)
            store.insert(f"{_INSERT_HEAD} VALUES {marks}", values)


def _body_texts(notices: Sequence[NewNotice], indexes: Sequence[int]) -> BodyTexts:
    """The body texts of *notices* (at *indexes* of the run's list), asked for in order:
    a task's notices of the day share one body (rules/ladder.py), encoded once and kept
    until its last notice has it."""
    encode = _JSON.encode
    body_at = {i: n.body for i, n in zip(indexes, notices, strict=True)}
    uses = Counter(map(id, body_at.values()))
    texts: dict[int, bytes] = {}

    def text_of(index: int) -> bytes:
        body = body_at.pop(index)
        key = id(body)
        text = texts.get(key)
        if text is None:
            text = encode(body if type(body) is dict else dict(body)).encode("utf-8")
            if uses[key] > 1:
                texts[key] = text
        elif uses[key] == 1:
            del texts[key]
        uses[key] -= 1
        return text

    return text_of


def _primed(notice: StoredNotice, new: NewNotice) -> StoredNotice:
    """*notice* with its parsed recipients and body already in place (from *new*), so a
    run that files thousands of notices does not parse back what it just wrote."""
    notice.__dict__["recipients"] = tuple(dict(r) for r in new.recipients)
    notice.__dict__["body"] = dict(new.body)
    return notice


def draft_notices(
    store: Store, new: Iterable[NewNotice], number: Callable[[str, int, int], str]
) -> list[StoredNotice]:
    """What :func:`file_notices` would file, with provisional numbers; writes nothing."""
    seqs: dict[tuple[str, int], int] = {
        (k, y): int(m)
        for k, y, m in store.query("SELECT kind, year, max(seq) FROM notices GROUP BY kind, year")
    }
    out = []
    for n in new:
        year = n.issued_on.year
        seq = seqs.get((n.kind, year), 0) + 1
        seqs[(n.kind, year)] = seq
        out.append(
            _primed(
                StoredNotice(
                    None,
                    number(n.kind, year, seq),
                    n.kind,
                    year,
                    seq,
                    n.subject,
                    n.rung,
                    n.issued_on,
                    n.response_due,
                    n.unit,
                    json.dumps(list(map(dict, n.recipients)), ensure_ascii=False),
                    json.dumps(dict(n.body), ensure_ascii=False),
                    subject_kind=n.subject_kind,
                ),
                n,
            )
        )
    return out


# --- deliveries ----------------------------------------------------------------------


def deliveries(
    store: Store, *, as_of: date | None = None, notice_ids: Collection[int] | None = None
) -> dict[int, list[Delivery]]:
    """Deliveries per notice id, oldest first."""
    where, params = [], []
    if as_of is not None:
        where.append("sent_on <= ?")
        params.append(as_of.isoformat())
    sql = "SELECT notice_id, recipient, sent_on, sent_at, message_id FROM deliveries"
    if where:
        sql += " WHERE " + " AND ".join(where)
    out: dict[int, list[Delivery]] = {}
    wanted = set(notice_ids) if notice_ids is not None else None
    for nid, rcpt, on, at, mid in store.query(sql + " ORDER BY sent_on, id", params):
        if wanted is not None and nid not in wanted:
            continue
        out.setdefault(int(nid), []).append(
            Delivery(int(nid), str(rcpt), date.fromisoformat(on), str(at), mid)
        )
    return out


def last_sent(store: Store, as_of: date) -> dict[tuple[int, str], date]:
    """The last day each (notice id, recipient address) was mailed, up to *as_of*."""
    rows = store.query(
        "SELECT notice_id, recipient, max(sent_on) FROM deliveries WHERE sent_on <= ?"
        " GROUP BY notice_id, recipient",
        (as_of.isoformat(),),
    )
    return {(int(n), str(r)): date.fromisoformat(d) for n, r, d in rows}


def delivered_on(store: Store, notice_ids: Collection[int], recipient: str, day: date) -> int:
    """How many of *notice_ids* are recorded as delivered to *recipient* on *day*."""
    ids = list(dict.fromkeys(notice_ids))
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    rows = store.query(
        "SELECT count(DISTINCT notice_id) FROM deliveries WHERE recipient = ? AND sent_on = ?"
        f" AND notice_id IN ({marks})",
        (recipient, day.isoformat(), *ids),
    )
    return int(rows[0][0])


def record_deliveries(
    store: Store,
    notice_ids: Iterable[int],
    recipient: str,
    sent_on: date,
    sent_at: str,
    message_id: str | None,
) -> int:
    """Record that *recipient* got these notices (one transaction); returns rows added.

    A delivery already recorded for the same notice, recipient and day is left as it is
    (the UNIQUE constraint decides; nothing is overwritten).
    """
    return record_mails(store, [(notice_ids, recipient, message_id)], sent_on, sent_at)


def record_mails(
    store: Store,
    mails: Iterable[tuple[Iterable[int], str, str | None]],
    sent_on: date,
    sent_at: str,
) -> int:
    """:func:`record_deliveries` for several mails — ``(notice ids, recipient, message
    id)`` each — in one transaction; returns rows added.

    One statement a mail: its notice ids go in as one JSON array, unpacked by SQLite
    (``json_each``, in the array's order: the rows and their ids are the ones a row at
    a time would make), instead of five bound values a row (a city's first run records
    156,921 deliveries: ~10 % less time)."""
    day = sent_on.isoformat()
    with journals_in_memory(store), store.transaction():
        before = int(store.query("SELECT total_changes()")[0][0])
        for notice_ids, recipient, message_id in mails:
            ids = _JSON.encode(list(dict.fromkeys(notice_ids)))
            store.insert(_DELIVERIES, (ids, recipient, day, sent_at, message_id))
        added = int(store.query("SELECT total_changes()")[0][0]) - before
    return added


_DELIVERIES = (
    "INSERT INTO deliveries (notice_id, recipient, sent_on, sent_at, message_id)"
    " SELECT value, ?2, ?3, ?4, ?5 FROM json_each(?1) WHERE true"  # (WHERE: see ON CONFLICT)
    " ON CONFLICT (notice_id, recipient, sent_on) DO NOTHING"
)


@contextmanager
def journals_in_memory(store: Store) -> Iterator[None]:
    """SQLite's statement journals in memory for the block (``PRAGMA temp_store =
    MEMORY``); the setting is restored after. A multi-row INSERT inside a long
    transaction first copies every page it changes that the transaction had already
    changed, in case it must undo itself. In temporary files, filing the first day's
    57,365 notices and recording their 156,921 outbox deliveries (100,000 tasks) wrote
    ~480 MB that was thrown away unread. A journal lasts one statement, about a hundred
    pages, so the memory it takes is small. The blocks that use it sort nothing, and a
    sort would also be held in memory."""
    with _pragma_for_block(store, "temp_store", "MEMORY"):
        yield


@contextmanager
def unsynced(store: Store) -> Iterator[None]:
    """Commits that do not wait for the disk, for the block (``PRAGMA synchronous =
    NORMAL``: in WAL mode a commit still survives a crash or kill of the process; a power
    cut may lose the last ones, never corrupt the file); the setting is restored after.
    For an outbox's deliveries only: each file is synced before its delivery is recorded,
    and a lost record is found again by the next run (docs/escalation.md)."""
    with _pragma_for_block(store, "synchronous", "NORMAL"):
        yield


@contextmanager
def _pragma_for_block(store: Store, name: str, value: str) -> Iterator[None]:
    """``PRAGMA name = value`` for the block, the connection's own setting restored after
    (also when the block fails)."""
    ((was,),) = store.query(f"PRAGMA {name}")
    store.query(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        store.query(f"PRAGMA {name} = {int(was)}")


# --- intents (m007) --------------------------------------------------------------------

IntentKey = tuple[str, tuple[int, ...]]  # (recipient, the notice ids it carries, ascending)


def intent_key(recipient: str, notice_ids: Iterable[int]) -> IntentKey:
    return recipient, tuple(sorted(set(notice_ids)))


class Intent(NamedTuple):
    id: int
    message_id: str


def intents(store: Store, day: date) -> dict[IntentKey, Intent]:
    """Every mail a run meant to send on *day*, by recipient and notices (the latest,
    should there be several)."""
    rows = store.query(
        "SELECT id, recipient, notice_ids, message_id FROM mail_intents WHERE sent_on = ?"
        " ORDER BY id",
        (day.isoformat(),),
    )
    return {
        intent_key(str(r), json.loads(ids)): Intent(int(id_), str(mid)) for id_, r, ids, mid in rows
    }


def record_intents(
    store: Store,
    mails: Iterable[tuple[str, str, Iterable[int]]],
    day: date,
    recorded_at: str | None,
) -> int:
    """Record ``(message_id, recipient, notice ids)`` of each mail about to be sent on
    *day* (one transaction); returns how many. A Message-ID already recorded is kept."""
    values: list[tuple[object, ...]] = []
    for message_id, recipient, ids in mails:
        _, key = intent_key(recipient, ids)
        values.append((message_id, recipient, day.isoformat(), json.dumps(key), recorded_at))
    if not values:
        return 0
    with store.transaction():
        before = int(store.query("SELECT total_changes()")[0][0])
        for i in range(0, len(values), _ROWS):
            chunk = values[i : i + _ROWS]
            store.insert(
                "INSERT INTO mail_intents (message_id, recipient, sent_on, notice_ids, recorded_at)"
                f" VALUES {', '.join('(?, ?, ?, ?, ?)' for _ in chunk)}"
                " ON CONFLICT (message_id) DO NOTHING",
                [v for row in chunk for v in row],
            )
        added = int(store.query("SELECT total_changes()")[0][0]) - before
    return added
