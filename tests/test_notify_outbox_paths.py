"""The faster first run of ``gaoxin notify --outbox``, held equal to the plain path on a
generated workspace (bench/gen.py: 300 tasks, 8 units, a history up to 2020-11-16):

* the run builds each mail right before it is written (``message.planned`` /
  ``build_planned``) and records the files a few at a time: the ``.eml`` files are
  byte for byte those of the plain path — every mail built first (``notify.build``),
  then written and recorded one by one — and the store holds the same rows;
* ``store.notices.file_notices`` returns the notices as the store reads them back, and
  a full read parses each distinct recipient list once, each notice reading as its own
  text would;
* ``notify.due_pairs`` decides a repeat once per notice and day last mailed: the same
  digests as asking every (notice, recipient), kept here as it was;
* a digest entry worded with the remembered parts (``digest._words``) reads as the
  plain wording, which is kept here as it was;
* a run killed (here: the store refusing) between a batch of files and its record
  leaves files that the next run adopts, not writes again;
* the mails' second process, begun before the notices' rows are written, builds the
  mails the plain path writes (their intents given when read back), and a filing the
  store refuses then leaves no notice, intent or file, and no process behind.

Message-IDs and MIME boundaries are random: both paths draw them from the same counters.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.loading import free_cpus
from gaoxin_cli.models import Config
from gaoxin_cli.notify import digest, lock, message, outbox
from gaoxin_cli.service import notify
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from gaoxin_cli.store import notices as store_notices
from helpers import children_spied, generated_city

AS_OF = date(2020, 11, 16)
NOW = datetime(2020, 11, 16, 8, 0).astimezone()
STAMP = "2020-11-16T08:00:00+08:00"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated workspace and its database, before any notify."""
    root = tmp_path_factory.mktemp("notify-city")
    return generated_city(root, tasks=300, files=3, units=8, seed=7, events=6_000)


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Message-IDs and boundaries from counters: the n-th of a run is the same in both
    (call the fixture's value before each run to start them again)."""
    counters: list[Iterator[int]] = []

    def reset() -> None:
        counters[:] = [itertools.count(1), itertools.count(1)]

    reset()
    monkeypatch.setattr(
        message,
        "make_msgid",
        lambda idstring, domain: f"<{next(counters[0])}.{idstring}@{domain}>",
    )
    monkeypatch.setattr(message.secrets, "token_hex", lambda n: f"{next(counters[1]):0{2 * n}d}")
    return reset


def _copy(db: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, to)
    return to


def _session(ws: Path, db: Path) -> Session:
    return Session.open(ws, AS_OF, db=db)


def _plain_run(sess: Session, box: Path) -> None:
    """The path before: every mail built first, then written and recorded one by one."""
    plan, today = sess.plan, sess.today
    mail = notify.OutboxTransport(box).mail_settings(plan.config.mail)
    with lock.exclusive(lock.lock_path(sess.db)), sess.store(write=True) as st:
        prepared = notify.prepare(st, plan, today, sess.calendar, dry_run=False, recorded_at=STAMP)
        earlier = notify.intended(st, today)
        built, bad = notify.build(prepared.digests, plan.config, mail, today, NOW, "zh", earlier)
        assert bad == []
        for m in notify.intend(st, built, earlier, today, STAMP):
            name = outbox.write(box, today, m)
            store_notices.record_deliveries(
                st, m.notice_ids, m.recipient, today, STAMP, f"outbox:{name}"
            )


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("notices", "deliveries", "mail_intents")
        }
    finally:
        conn.close()


def _files(box: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(box.glob("*.eml"))}


def test_a_first_run_writes_the_files_and_rows_of_the_plain_path(
    city: tuple[Path, Path], tmp_path: Path, fixed_ids: Callable[[], None]
) -> None:
    ws, db = city
    fast_db, plain_db = _copy(db, tmp_path / "a" / "g.db"), _copy(db, tmp_path / "b" / "g.db")
    fixed_ids()
    report = notify.run(
        _session(ws, fast_db), notify.OutboxTransport(tmp_path / "fast"), NOW, lambda: STAMP
    )
    assert report.ok and report.sent == len(report.mails) > 10
    fast = _files(tmp_path / "fast")
    fixed_ids()
    _plain_run(_session(ws, plain_db), tmp_path / "plain")
    plain = _files(tmp_path / "plain")
    assert len(fast) == report.sent
    assert fast.keys() == plain.keys()
    for name in fast:
        assert fast[name] == plain[name], name
    fast_rows, plain_rows = _rows(fast_db), _rows(plain_db)
    assert len(fast_rows["notices"]) > 100  # a 交办单 per open task and the warnings
    assert {r[2] for r in fast_rows["notices"]} >= {"assign", "urge", "supervise"}
    assert fast_rows == plain_rows


def test_filed_notices_are_what_the_store_reads_back(
    city: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, db = city
    sess = _session(ws, _copy(db, tmp_path / "g.db"))
    with sess.store(write=True) as st:
        prepared = notify.prepare(st, sess.plan, AS_OF, sess.calendar, dry_run=False)
        filed = prepared.filed
        back = {n.id: n for n in store_notices.notices(st)}
        kinds = dict(st.query("SELECT typeof(body), count(*) FROM notices GROUP BY 1"))
    assert kinds == {"text": len(filed)}
    assert len(filed) == len(back) > 100
    # the filed notices hold no JSON text of their body (~59 MiB at 100,000 tasks) …
    assert not any("body_json" in n.__dict__ for n in filed)
    assert all("body_json" in b.__dict__ for b in back.values())
    for n in filed:
        b = back[n.id]
        assert n == b  # every field, the JSON text included (… made when read)
        assert n.__dict__["body_json"] == b.body_json
        assert (n.recipients, n.body) == (b.recipients, b.body)  # as parsed from the JSON
        # the text the plain path stored: json.dumps, non-ASCII kept as is
        assert b.body_json == json.dumps(dict(n.body), ensure_ascii=False)
        assert b.recipients_json == json.dumps(list(map(dict, n.recipients)), ensure_ascii=False)
    # notices to the same people share one parsed list, and it reads as each one's JSON
    shared = {id(n.recipients) for n in filed}
    assert len(shared) < len(filed)
    # a task's notices of the day (a 交办单 and a warning) share one body, as stored
    by_task: dict[str, list[Any]] = {}
    for n in filed:
        by_task.setdefault(n.subject, []).append(n)
    pairs = [ns for ns in by_task.values() if len(ns) > 1]
    assert pairs
    for ns in pairs:
        assert all(n.body is ns[0].body for n in ns[1:])
        assert {back[n.id].body_json for n in ns} == {ns[0].body_json}


def test_a_full_read_parses_each_recipient_list_once_as_each_notice_would(
    city: tuple[Path, Path], tmp_path: Path
) -> None:
    """``notices(full=True)`` parses each distinct recipient list once and shares it (a
    city's 57,000 notices have 14,000 lists): every notice reads as its own text would,
    damaged texts included; a light read parses nothing."""
    from dataclasses import replace

    ws, db = city
    path = _copy(db, tmp_path / "g.db")
    sess = _session(ws, path)
    with sess.store(write=True) as st:
        notify.prepare(st, sess.plan, AS_OF, sess.calendar, dry_run=False)
    conn = sqlite3.connect(path)  # two texts a damaged or foreign store might hold
    for seq, text in ((9001, "not json"), (9002, '{"email": "a@b.example.org"}')):
        conn.execute(
            "INSERT INTO notices (number, kind, year, seq, subject, rung, issued_on,"
            " recipients, body) VALUES (?, 'urge', 2020, ?, 'X', 2, '2020-11-16', ?, '{}')",
            (f"催办〔2020〕{seq}号", seq, text),
        )
    conn.commit()
    conn.close()
    with Store.open(path, write=False) as st:
        full = store_notices.notices(st)
        light = store_notices.notices(st, full=False)
    assert len(full) > 100
    texts: dict[str, Any] = {}
    for n in full:
        plain = replace(n)  # the same fields, nothing parsed: the cached property parses
        assert "recipients" not in plain.__dict__
        assert n.recipients == plain.recipients
        first = texts.setdefault(n.recipients_json, n)
        assert n.recipients is first.recipients and n.recipients_json is first.recipients_json
    assert len(texts) < len(full)  # lists are shared
    assert [n.recipients for n in full if n.subject == "X"] == [(), ()]
    assert sum(len(n.recipients) for n in full) > len(full)
    assert not any("recipients" in n.__dict__ for n in light)


def _plain_due_pairs(
    store: Store,
    items: Any,
    issued: Any,
    filed: Any,
    today: date,
    calendar: Any,
    plan: Any,
    problems: Any = None,
    fresh: Any = (),
) -> list[Any]:
    """``notify.due_pairs`` as it was: the repeat asked of every (notice, recipient)."""
    from gaoxin_cli.rules import ladder
    from gaoxin_cli.rules import problem_ladder as problem_rungs
    from gaoxin_cli.store.notices import last_sent

    rules = plan.config.rules.ladder
    by_task = {s.task.id: s for s in items}
    every = {("task", k): list(v) for k, v in issued.items()}
    if problems is not None:
        for k, v in problems.issued.items():
            every[("problem", k)] = list(v)
    for n in filed:
        every.setdefault((n.subject_kind, n.subject), []).append(n)
    sent = last_sent(store, today)
    out = []
    for (kind, subject), ns in every.items():
        warnings = [n for n in ns if n.rung >= ladder.REMIND]
        latest = max(warnings, key=lambda n: (n.rung, n.issued_on)) if warnings else None
        s = None
        last_step = None
        if kind == "problem":
            if problems is None or subject not in problems.late:
                continue
            status = problems.statuses.get(subject)
            last_step = status.last_step if status is not None else None
        else:
            s = by_task.get(subject)
            if (s is None and subject not in fresh) or (s is not None and not s.open):
                continue
        for n in ns:
            for person in n.recipients:
                email = str(person.get("email") or "").strip().lower()
                if not email:
                    continue
                last = sent.get((n.id, email)) if n.id is not None else None
                if last is None:
                    out.append((n, person, False))
                elif last < today and (
                    (
                        s is not None
                        and ladder.repeat_due(s, n, latest, last, today, calendar, rules)
                    )
                    if kind != "problem"
                    else problem_rungs.problem_repeat_due(
                        n, latest, last_step, last, today, calendar, rules
                    )
                ):
                    out.append((n, person, True))
    return out


def _with_repeats(city: tuple[Path, Path], tmp_path: Path, every_wd: int) -> tuple[Path, Path]:
    """A copy of the city's workspace whose reminders repeat every *every_wd* working
    days, and a copy of its database."""
    import yaml

    ws_src, db = city
    ws = tmp_path / "ws"
    shutil.copytree(ws_src, ws)
    config = ws / "gaoxin.yaml"
    doc = yaml.safe_load(config.read_text(encoding="utf-8"))
    doc.setdefault("rules", {}).setdefault("ladder", {})["repeat_reminder_wd"] = every_wd
    config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return ws, _copy(db, tmp_path / "g.db")


def test_repeats_decided_once_a_notice_and_day_are_the_plain_paths(
    city: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``due_pairs`` decides a repeat once per notice and day last mailed; the digests are
    those of asking every (notice, recipient). Repeats every 2 working days; every other
    delivery of the first run is mailed again on 2020-11-18, so on 2020-11-19 a notice's
    recipients were last mailed 3 or 1 working days before."""
    ws, path = _with_repeats(city, tmp_path, 2)
    first = notify.run(
        _session(ws, path), notify.OutboxTransport(tmp_path / "b"), NOW, lambda: STAMP
    )
    assert first.ok and first.sent > 10
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT notice_id, recipient FROM deliveries ORDER BY id").fetchall()
    conn.executemany(
        "INSERT INTO deliveries (notice_id, recipient, sent_on, sent_at)"
        " VALUES (?, ?, '2020-11-18', ?)",
        [(n, r, STAMP) for n, r in rows[1::2]],
    )
    conn.commit()
    conn.close()
    day = date(2020, 11, 19)
    sess = Session.open(ws, day, db=path)

    def due() -> list[tuple[str, list[tuple[str, bool, str]]]]:
        with sess.store(write=False) as st:
            prepared = notify.prepare(st, sess.plan, day, sess.calendar, dry_run=True)
        return [
            (d.email, [(i.notice.number, i.repeat, i.role) for i in d.items])
            for d in prepared.digests
        ]

    fast = due()
    monkeypatch.setattr(notify, "due_pairs", _plain_due_pairs)
    assert fast == due()
    repeated = {(number, email) for email, items in fast for number, again, _ in items if again}
    numbers = {number for number, _ in repeated}
    mailed = [r for r in rows if r[0] in {n.id for n in first.filed if n.number in numbers}]
    # some recipients of the same notices are asked again, the others (mailed 11-18) not
    assert 0 < len(repeated) < len(mailed)


def test_tasks_at_100_are_left_out_as_the_plain_path_leaves_them(
    city: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``prepare`` makes no state or standing for the tasks at 100 % (the snapshot read
    open_only): the notices and digests are those of the standings of every task, on a
    day when some tasks notified before have since reached 100 %, reminders repeat, and
    some notices were never mailed (refused): a done task's are not mailed now."""
    from gaoxin_cli.models.state import Event
    from gaoxin_cli.service.snapshot import Snapshot

    ws, path = _with_repeats(city, tmp_path, 1)
    sess = _session(ws, path)
    with sess.store(write=True) as st:  # filed; a quarter of the tasks' mail refused
        filed = notify.prepare(
            st, sess.plan, AS_OF, sess.calendar, dry_run=False, recorded_at=STAMP
        ).filed
        notified = sorted({n.subject for n in filed})
        refused = set(notified[1::4])
        for n in filed:
            for person in n.recipients:
                if person.get("email") and n.id is not None and n.subject not in refused:
                    email = str(person["email"]).lower()
                    store_notices.record_deliveries(st, [n.id], email, AS_OF, STAMP, None)
    finished = notified[::3]  # a third of the tasks notified report 100 % the next day
    assert refused & set(finished)  # some done tasks' notices were never mailed
    with Store.open(path, write=True) as st:
        st.add([Event(tid, "feedback", date(2020, 11, 17), progress=100.0) for tid in finished])
    day = date(2020, 11, 18)
    sess = Session.open(ws, day, db=path)

    def prepared() -> tuple[list[str], list[tuple[str, list[tuple[str, bool, str]]]]]:
        with sess.store(write=False) as st:
            p = notify.prepare(st, sess.plan, day, sess.calendar, dry_run=True)
        digests = [
            (d.email, [(i.notice.number, i.repeat, i.role) for i in d.items]) for d in p.digests
        ]
        return [n.number for n in p.filed], digests

    read = Snapshot.read.__func__  # type: ignore[attr-defined]
    seen: list[int] = []

    def counted(cls: type[Snapshot], *args: Any, **kwargs: Any) -> Snapshot:
        snap = read(cls, *args, **kwargs)
        seen.append(len(snap.done))
        return snap

    monkeypatch.setattr(Snapshot, "read", classmethod(counted))
    fast = prepared()
    assert seen and seen[-1] >= len(finished)  # the done tasks were left out
    repeats = [number for _, items in fast[1] for number, again, _ in items if again]
    assert repeats  # reminders repeat today, for the open tasks only
    done_numbers = {n.number for n in filed if n.subject in set(finished)}
    mailed_now = {number for _, items in fast[1] for number, _, _ in items}
    assert not done_numbers & mailed_now
    assert mailed_now - set(repeats)  # the open tasks' refused notices, mailed again

    def every_state(cls: type[Snapshot], *args: Any, **kwargs: Any) -> Snapshot:
        return read(cls, *args, **{**kwargs, "open_only": False})

    monkeypatch.setattr(Snapshot, "read", classmethod(every_state))
    assert prepared() == fast


# --- the wording of an entry: the plain path, as it was --------------------------------


def _plain_entry(config: Config, entry: digest.Entry, today: date, lang: Lang) -> str:
    top = entry.top
    body = top.body
    sep = "；" if lang == "zh" else "; "
    lines: list[str]
    if digest._is_problem(top):
        task, lines = digest._problem_lines(config, top, lang)
        task = t("notify.problem_head", lang, what=task)
    else:
        task = digest.clean(f"{body.get('task') or top.subject} {body.get('title') or ''}")
    if entry.card:
        task += f" · {t(f'level.{min(entry.card, 4)}', lang)}"
    labels = []
    for i in entry.items:
        n = i.notice
        label = f"{digest.kind_name(n.kind, lang)} {digest.clean(n.number)}"
        if i.repeat:
            label += t("notify.repeat", lang, date=n.issued_on.isoformat())
        elif n.issued_on < today:
            label += t("notify.belated", lang, date=n.issued_on.isoformat())
        labels.append(label)
    notices = ("、" if lang == "zh" else ", ").join(labels)
    if not digest._is_problem(top):
        due = str(body.get("due") or "")
        planned = str(body.get("planned_due") or due)
        due_text = (
            due if due == planned else t("notify.due_extended", lang, due=due, planned=planned)
        )
        lead = digest.clean(config.unit_name(digest._id(body.get("lead"))))
        lines = [t("notify.lead_due", lang, lead=lead, due=digest.clean(due_text))]
        if entry.support:
            lines.append(t("notify.support", lang, lead=lead))
        why = digest.reasons(body, lang)
        if top.kind != "assign" and why:
            lines.append(t("notify.why", lang, why=sep.join(why)))
        if any(i.notice.kind == "assign" for i in entry.items):
            measures = [digest.clean(m) for m in body.get("measures") or []]
            if measures:
                lines.append(t("notify.measures", lang, measures=sep.join(measures)))
    if top.response_due is not None:
        key = "notify.answer_assign" if top.kind == "assign" else "notify.answer"
        lines.append(t(key, lang, date=top.response_due.isoformat()))
    text = "\n".join([f"{task}", f"   {notices}", *(f"   {line}" for line in lines)])
    e = html.escape
    level = min(max(entry.card, 0), 4)
    page = (
        f'<p class="c{level}"><b>{e(task)}</b><br>{e(notices)}<br>'
        + "<br>".join(e(x) for x in lines)
        + "</p>"
    )
    return text + "\n\n" + page


def _entries(city: tuple[Path, Path], tmp_path: Path) -> Iterator[tuple[Config, digest.Entry]]:
    ws, db = city
    sess = _session(ws, _copy(db, tmp_path / "g.db"))
    with sess.store(write=False) as st:
        prepared = notify.prepare(st, sess.plan, AS_OF, sess.calendar, dry_run=True)
    for d in prepared.digests:
        for e in d.entries():
            yield sess.plan.config, e


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_entry_reads_as_the_plain_wording(
    city: tuple[Path, Path], tmp_path: Path, lang: Lang
) -> None:
    cache = digest.EntryCache()
    seen, support = 0, 0
    for config, e in _entries(city, tmp_path):
        for day in (AS_OF, date(2020, 11, 18)):  # issued today; issued before
            text, page = digest._words(config, e, day, lang, cache)
            assert f"{text}\n\n{page}" == _plain_entry(config, e, day, lang)
            assert digest.entry_text(config, e, day, lang).text == text
        seen += 1
        support += e.support
    assert seen > 100 and support > 0


def test_entries_kept_only_while_needed_word_the_same_bodies(
    city: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, db = city
    sess = _session(ws, _copy(db, tmp_path / "g.db"))
    with sess.store(write=False) as st:
        digests = notify.prepare(st, sess.plan, AS_OF, sess.calendar, dry_run=True).digests
    config = sess.plan.config
    counted, kept = digest.EntryCache(digests, AS_OF, "zh"), digest.EntryCache()
    most = 0
    for d in digests:
        assert digest.bodies(config, AS_OF, d, "zh", counted) == digest.bodies(
            config, AS_OF, d, "zh", kept
        )
        most = max(most, len(counted))
    shared = sum(1 for d in digests for e in d.entries()) - len(kept)
    assert 0 < most < len(kept) and shared > 0  # some entries go to several people
    assert len(counted) == 0  # each let go after its last use


# --- batches of records -------------------------------------------------------------------


@pytest.mark.parametrize("every_s", [2.5, 1e9])  # every third file; all but the first at the end
def test_records_in_batches_or_one_by_one_are_the_same(
    city: tuple[Path, Path], tmp_path: Path, fixed_ids: Callable[[], None], every_s: float
) -> None:
    ws, db = city
    each, batch = _copy(db, tmp_path / "a" / "g.db"), _copy(db, tmp_path / "b" / "g.db")
    fixed_ids()
    one = notify.run(
        _session(ws, each),
        notify.OutboxTransport(tmp_path / "each", every_s=0.0),
        NOW,
        lambda: STAMP,
    )
    ticks = itertools.count()  # one second a look at the clock
    fixed_ids()
    many = notify.run(
        _session(ws, batch),
        notify.OutboxTransport(
            tmp_path / "batch", every_s=every_s, clock=lambda: float(next(ticks))
        ),
        NOW,
        lambda: STAMP,
    )
    assert one.ok and many.ok and one.sent == many.sent > 10
    assert _files(tmp_path / "each") == _files(tmp_path / "batch")
    assert _rows(each) == _rows(batch)


def test_files_written_before_a_failed_record_are_adopted_by_the_next_run(
    city: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, db = city
    db = _copy(db, tmp_path / "g.db")
    box = tmp_path / "box"
    calls = itertools.count()
    real = store_notices.record_mails

    def refuse_the_second(*args: Any, **kwargs: Any) -> int:
        if next(calls) == 1:
            raise GaoxinError("error.store_io", path=str(db), reason="disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_notices, "record_mails", refuse_the_second)
    first = notify.run(
        _session(ws, db), notify.OutboxTransport(box, every_s=1e9), NOW, lambda: STAMP
    )
    monkeypatch.undo()
    assert first.fatal is not None and first.fatal.key == "notify.fail_record"
    written = {p.name: p.stat().st_ino for p in box.glob("*.eml")}
    assert len(written) == first.sent == len(first.mails) > 10  # all written, one recorded
    with Store.open(db, write=False) as st:
        recorded = {d.message_id for ds in store_notices.deliveries(st).values() for d in ds}
    assert len(recorded) == 1
    again = notify.run(_session(ws, db), notify.OutboxTransport(box), NOW, lambda: STAMP)
    assert again.ok and again.sent == len(written) - 1
    assert {p.name: p.stat().st_ino for p in box.glob("*.eml")} == written  # kept, not rewritten
    assert [p.name for p in box.iterdir() if p.name.startswith(".")] == []
    with Store.open(db, write=False) as st:
        recorded = {d.message_id for ds in store_notices.deliveries(st).values() for d in ds}
    assert recorded == {f"outbox:{name}" for name in written}
    final = notify.run(_session(ws, db), notify.OutboxTransport(box), NOW, lambda: STAMP)
    assert final.sent == 0 and len(list(box.glob("*.eml"))) == len(written)


def test_base64_lines_are_encodebytes_with_crlf() -> None:
    import base64
    import os

    for n in (0, 1, 56, 57, 58, 57 * 1024 - 1, 57 * 1024, 57 * 1024 + 1, 200_003):
        data = os.urandom(n)
        assert message.base64_lines(data) == base64.encodebytes(data).replace(b"\n", b"\r\n")


def test_deliveries_go_in_as_a_row_at_a_time_would(tmp_path: Path) -> None:
    """record_mails: one row per notice and recipient, in the mails' order and each
    mail's first mention of a notice, ids ascending that way; a delivery already
    recorded that day (in this call or before) is left as it is."""
    day = date(2020, 11, 16)
    with Store.open(tmp_path / "d.db", write=True) as st:
        assert store_notices.record_mails(st, [([7], "b@example.org", "m0")], day, "t0") == 1
        mails = [
            ([3, 1, 3, 2], "a@example.org", "m1"),
            ([2, 7, 5], "b@example.org", None),
            ([1, 4], "a@example.org", "m3"),  # (1, a) again: kept as the first mail put it
            ([], "c@example.org", "m4"),
        ]
        assert store_notices.record_mails(st, mails, day, "t1") == 6
        rows = st.query(
            "SELECT id, notice_id, recipient, sent_on, sent_at, message_id FROM deliveries"
            " ORDER BY id"
        )
    on = day.isoformat()
    assert [tuple(r) for r in rows] == [
        (1, 7, "b@example.org", on, "t0", "m0"),
        (2, 3, "a@example.org", on, "t1", "m1"),
        (3, 1, "a@example.org", on, "t1", "m1"),
        (4, 2, "a@example.org", on, "t1", "m1"),
        (5, 2, "b@example.org", on, "t1", None),
        (6, 5, "b@example.org", on, "t1", None),
        (7, 4, "a@example.org", on, "t1", "m3"),
    ]


def test_deliveries_are_recorded_with_statement_journals_in_memory(tmp_path: Path) -> None:
    """record_mails sets ``temp_store = MEMORY`` around its transaction (its INSERTs
    journal in memory, not in /var/tmp files) and restores the setting after,
    also when the block fails."""
    with Store.open(tmp_path / "j.db", write=True) as st:
        seen: list[str] = []
        st._conn.set_trace_callback(seen.append)
        added = store_notices.record_mails(
            st, [([], "a@example.org", None)], date(2020, 11, 16), "t"
        )
        assert added == 0
        assert seen.index("PRAGMA temp_store = MEMORY") < seen.index("BEGIN IMMEDIATE")
        assert st.query("PRAGMA temp_store") == [(0,)]
        with pytest.raises(RuntimeError), store_notices.journals_in_memory(st):
            assert st.query("PRAGMA temp_store") == [(2,)]
            raise RuntimeError("the block fails")
        assert st.query("PRAGMA temp_store") == [(0,)]


# --- the mails built by a second process (service/mail_ahead.py) ---------------------------


# The tests of a second process: they need fork and two free cores.
_TWO_PROCESSES = pytest.mark.skipif(
    not hasattr(os, "fork") or free_cpus() < 2, reason="needs fork, two cores"
)


def _unbound(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with their MIME boundaries made equal: the second process draws its
    own from the counters, the same numbers as this one's."""
    return {k: re.sub(rb"=_gaoxin_[0-9a-f]+", b"=_gaoxin_B", v) for k, v in files.items()}


def _run_spied(
    city: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    work_of: Callable[[Callable[[], Any]], Callable[[], Any]],
) -> tuple[Path, tuple[Path, Path], Any, list[Any]]:
    """A first run into tmp_path/fast on one copy of the city's database, every second
    process running ``work_of(work)`` (to play one that dies); the workspace, that copy
    and an untouched one for the plain path, the report, and what the children sent."""
    ws, db = city
    fast_db, plain_db = _copy(db, tmp_path / "a" / "g.db"), _copy(db, tmp_path / "b" / "g.db")
    with children_spied(monkeypatch, work_of) as sent:
        report = notify.run(
            _session(ws, fast_db), notify.OutboxTransport(tmp_path / "fast"), NOW, lambda: STAMP
        )
    assert report.ok and report.sent == len(report.mails) > 10
    return ws, (fast_db, plain_db), report, sent


def _died(work: Callable[[], Any]) -> Callable[[], Any]:
    def child() -> Any:
        work()
        os._exit(1)  # after writing every mail: none of them may count

    return child


def _misplaced(work: Callable[[], Any]) -> Callable[[], Any]:
    def child() -> Any:
        done = work()  # offsets that read garbage
        return done._replace(placed=[(mid, at + 1, n) for mid, at, n in done.placed])

    return child


def _misreported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child tells of every mail it wrote as written to the first one's file."""
    from gaoxin_cli.service import mail_ahead

    told: list[str] = []
    real = mail_ahead._Child._tell

    def tell(self: Any, index: int, name: str | None) -> None:
        if name is not None:
            told.append(name)
        real(self, index, told[0] if told else name)

    monkeypatch.setattr(mail_ahead._Child, "_tell", tell)


def test_a_file_another_process_names_is_checked_before_it_counts(tmp_path: Path) -> None:
    """outbox.holds: only a plain ``.eml`` name in the directory, a regular file (not a
    link) whose Message-ID is the mail's."""
    mid = "<1.gaoxin@example.org>"
    (tmp_path / "a.eml").write_bytes(f"Message-ID: {mid}\r\nSubject: x\r\n\r\nbody".encode())
    (tmp_path / "b.eml").write_bytes(b"Message-ID: <2.gaoxin@example.org>\r\n\r\nbody")
    (tmp_path / "link.eml").symlink_to(tmp_path / "a.eml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.eml").write_bytes((tmp_path / "a.eml").read_bytes())
    assert outbox.holds(tmp_path, "a.eml", mid)
    assert not outbox.holds(tmp_path, "b.eml", mid)  # another mail
    assert not outbox.holds(tmp_path, "link.eml", mid)  # a link, not followed
    assert not outbox.holds(tmp_path, "missing.eml", mid)
    for name in ("sub/a.eml", "../a.eml", ".a.eml", "a\0b.eml", "a\\.eml", "a.txt"):
        assert not outbox.holds(tmp_path, name, mid), name


def _outbox_refuses_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox refuses every file the child writes (this process writes them)."""
    from gaoxin_cli.errors import GaoxinError
    from gaoxin_cli.notify import outbox

    here, real = os.getpid(), outbox.write

    def write(directory: Path, today: Any, out: Any) -> str:
        if os.getpid() != here:
            raise GaoxinError("error.notify_outbox", path=str(directory), reason="full")
        return real(directory, today, out)

    monkeypatch.setattr(outbox, "write", write)


@_TWO_PROCESSES
@pytest.mark.parametrize(
    "how",
    ["child", "child-dies", "reports-garbled", "child-cannot-write", "spool-garbled"],
)
def test_mails_built_by_a_second_process_are_the_plain_paths(
    city: tuple[Path, Path],
    tmp_path: Path,
    fixed_ids: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """The child builds the later mails and, told the intents, writes them to the
    outbox itself. What it wrote is checked; what it could not write, or wrote where it
    did not say, or spooled garbled, or everything when it dies, is written here: the
    files and rows are the plain path's every way."""
    from gaoxin_cli.service import mail_ahead

    fixed_ids()
    monkeypatch.setattr(mail_ahead, "PARALLEL_MIN_ITEMS", 0)
    if how == "reports-garbled":
        _misreported(monkeypatch)
    if how in ("child-cannot-write", "spool-garbled"):
        _outbox_refuses_the_child(monkeypatch)
    work_of = {"child-dies": _died, "spool-garbled": _misplaced}.get(how, lambda w: w)
    ws, (fast_db, plain_db), report, sent = _run_spied(city, tmp_path, monkeypatch, work_of)
    assert len(sent) == 1
    if how == "child-dies":
        assert sent == [None]
    else:  # the child built the later mails, about half of the digest items
        done = sent[0]
        spooled = [mid for mid, _, _ in done.placed]
        if how in ("child-cannot-write", "spool-garbled"):
            assert done.wrote == []
            theirs = spooled
        else:  # it wrote them all; those built before it was told were spooled first
            theirs = done.wrote
            assert spooled == theirs[: len(spooled)]
        assert theirs == [m.message_id for m in report.mails[-len(theirs) :]]
        assert 0 < len(theirs) < len(report.mails)
    fast = _files(tmp_path / "fast")
    fixed_ids()
    _plain_run(_session(ws, plain_db), tmp_path / "plain")
    plain = _files(tmp_path / "plain")
    assert fast.keys() == plain.keys() and len(fast) == report.sent
    assert _unbound(fast) == _unbound(plain)
    assert _rows(fast_db) == _rows(plain_db)


@_TWO_PROCESSES
@pytest.mark.parametrize("clock", ["ticking", "frozen"])
def test_what_was_written_is_recorded_while_the_second_process_is_behind(
    city: tuple[Path, Path],
    tmp_path: Path,
    fixed_ids: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    clock: str,
) -> None:
    """When this process has to wait for the child to tell of its next mail, it records
    the mails written so far meanwhile (when the last record is old enough), not all
    after the child's last: with no timed batches, more than the first mail's and the
    last batch's records."""
    import time

    from gaoxin_cli.service import mail_ahead

    fixed_ids()
    monkeypatch.setattr(mail_ahead, "PARALLEL_MIN_ITEMS", 0)
    real_tell = mail_ahead._Child._tell

    def slow_tell(self: Any, index: int, name: str | None) -> None:
        time.sleep(0.05)  # a child behind this process
        real_tell(self, index, name)

    monkeypatch.setattr(mail_ahead._Child, "_tell", slow_tell)
    batches: list[int] = []
    real_record = notify.record_all

    def record_all(st: Any, taken: Any, *args: Any, **kw: Any) -> int:
        batches.append(len(taken))
        return real_record(st, taken, *args, **kw)

    monkeypatch.setattr(notify, "record_all", record_all)
    ws, db = city
    fast_db, plain_db = _copy(db, tmp_path / "a" / "g.db"), _copy(db, tmp_path / "b" / "g.db")
    # one second a look at the clock (never too soon), or no time passing (always too
    # soon: only the first mail's record and the last batch)
    ticks = itertools.count() if clock == "ticking" else itertools.repeat(0)
    box = notify.OutboxTransport(
        tmp_path / "fast", every_s=1e9, clock=lambda: float(next(ticks)), idle_s=0.5
    )
    report = notify.run(_session(ws, fast_db), box, NOW, lambda: STAMP)
    assert report.ok and report.sent == len(report.mails) == sum(batches)
    assert len(batches) > 2 if clock == "ticking" else len(batches) == 2
    fixed_ids()
    monkeypatch.setattr(notify, "record_all", real_record)
    _plain_run(_session(ws, plain_db), tmp_path / "plain")
    assert _unbound(_files(tmp_path / "fast")) == _unbound(_files(tmp_path / "plain"))
    assert _rows(fast_db) == _rows(plain_db)


@_TWO_PROCESSES
def test_a_second_process_left_writing_keeps_the_notify_lock(tmp_path: Path) -> None:
    """The mails' second process, forked inside the run's lock, holds that lock for as
    long as it lives: a run killed while its second process still writes outbox files
    cannot have a next run writing the same mails beside it."""
    import time

    from gaoxin_cli.service import forked

    path, gate = tmp_path / "g.db.notify.lock", tmp_path / "gate"

    def writing() -> bool:
        while not gate.exists():  # until the test lets it end
            time.sleep(0.01)
        return True

    with lock.exclusive(path):
        pending = forked.start(writing)
    assert pending is not None
    with pytest.raises(GaoxinError) as held, lock.exclusive(path):
        pass
    assert held.value.msg.key == "error.notify_running"
    gate.touch()
    assert pending.result() is True
    with lock.exclusive(path):  # free once the second process has ended
        pass


# --- the bodies encoded by a second process (service/file_ahead.py) ------------------------


def _shifted(work: Callable[[], Any]) -> Callable[[], Any]:
    def child() -> Any:
        return [(at + 1, n) for at, n in work()]  # places that read garbage

    return child


def _cut_short(work: Callable[[], Any]) -> Callable[[], Any]:
    def child() -> Any:
        placed = work()
        end = max(at + n for at, n in placed)
        # the file as if cut short: a text in it that reaches past its end
        return [(at, n + 1 if at + n == end else n) for at, n in placed]

    return child


@_TWO_PROCESSES
@pytest.mark.parametrize("how", ["child", "child-dies", "places-shifted", "file-short"])
def test_bodies_encoded_by_a_second_process_are_the_plain_paths(
    city: tuple[Path, Path],
    tmp_path: Path,
    fixed_ids: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    from gaoxin_cli.service import file_ahead

    fixed_ids()
    monkeypatch.setattr(file_ahead, "PARALLEL_MIN_NOTICES", 0)
    work_of = {"child-dies": _died, "places-shifted": _shifted, "file-short": _cut_short}
    ws, (fast_db, plain_db), report, sent = _run_spied(
        city, tmp_path, monkeypatch, work_of.get(how, lambda w: w)
    )
    assert len(sent) == 1  # the bodies' child (the mails are built here: too few items)
    if how == "child-dies":
        assert sent == [None]
    else:  # a place for each notice filed, the shared bodies' texts written once
        filed = len(report.filed)
        assert len(sent[0]) == filed
        assert len(set(sent[0])) < filed
    monkeypatch.setattr(file_ahead, "PARALLEL_MIN_NOTICES", 10**9)
    fixed_ids()
    _plain_run(_session(ws, plain_db), tmp_path / "plain")
    assert _files(tmp_path / "fast") == _files(tmp_path / "plain")
    assert _rows(fast_db) == _rows(plain_db)


def test_the_places_must_tile_the_file() -> None:
    from gaoxin_cli.service.file_ahead import _tiled

    assert _tiled([(0, 3), (3, 2), (0, 3), (5, 1)], 6)
    assert _tiled([], 0)
    assert not _tiled([(0, 3), (3, 2)], 6)  # a byte left over
    assert not _tiled([(1, 3)], 4)  # not from the start
    assert not _tiled([(0, 3), (2, 2)], 5)  # overlapping the one before
    assert not _tiled([(0, 3), (4, 2)], 6)  # a gap


def test_the_split_gives_the_child_its_share_of_the_digest_items() -> None:
    from gaoxin_cli.service.mail_ahead import CHILD_SHARE, split_at

    def mails(*sizes: int) -> list[Any]:
        return [SimpleNamespace(digest=SimpleNamespace(items=[0] * n)) for n in sizes]

    assert split_at(mails(10, 10, 10, 10), 0.5) == 2
    assert split_at(mails(1, 1, 1, 100), 0.5) == 3  # the big one alone: the child builds it
    assert split_at(mails(100, 1, 1, 1), 0.5) == 1
    assert split_at(mails(5), 0.5) == 1  # one mail: nothing left for a child
    assert split_at(mails(), 0.5) == 0
    assert CHILD_SHARE == 0.6  # it starts while the notices are written: the larger part
    assert split_at(mails(*[10] * 10)) == 4  # six of ten equal mails for the child
    assert split_at(mails(*[10] * 10), 0.3) == 7


@_TWO_PROCESSES
def test_a_filing_refused_after_the_mails_began_leaves_nothing(
    city: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process starts building the mails before the notices' rows are
    written. When the store then refuses the rows, nothing is filed, no intent is
    recorded, no mail is written, and the second process is stopped and reaped."""
    from gaoxin_cli.service import forked, mail_ahead

    monkeypatch.setattr(mail_ahead, "PARALLEL_MIN_ITEMS", 0)
    ws, db = city
    copy = _copy(db, tmp_path / "a" / "g.db")
    conn = sqlite3.connect(copy)
    conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON notices"
        " BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )
    conn.commit()
    conn.close()
    children: list[forked.Pending[Any]] = []
    real = forked.start

    def start(work: Callable[[], Any], **kw: Any) -> Any:
        pending = real(work, **kw)
        if pending is not None:
            children.append(pending)
        return pending

    monkeypatch.setattr(forked, "start", start)
    box = tmp_path / "box"
    with pytest.raises(sqlite3.IntegrityError, match="the disk is full"):
        notify.run(_session(ws, copy), notify.OutboxTransport(box), NOW, lambda: STAMP)
    assert len(children) == 1  # the mails' second process had begun
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0].pid, os.WNOHANG)  # stopped and reaped already
    assert not list(box.glob("*.eml"))
    assert _rows(copy) == {"notices": [], "deliveries": [], "mail_intents": []}
