"""``service.escalation`` and ``service.notify`` called directly: a :class:`Session` on a
small workspace, no CLI. The results are checked as values (rows, reports, what the
store holds afterwards); the words on screen are the CLI tests' business.

The workspace (2020 calendar, as in test_notify_smtp.py): LT-01 due Tue 6/16 is red on
6/24 (6 WD late); LT-02 is listed (since 3/2, by L-li), due 6/30, blue from 6/24; LT-03
is on plan. 6/25–6/27 is the Dragon Boat holiday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.models.state import Event
from gaoxin_cli.rules.extensions import Request
from gaoxin_cli.rules.filters import Filters
from gaoxin_cli.rules.ladder import KINDS
from gaoxin_cli.service import escalation, notify
from gaoxin_cli.service.session import Session
from gaoxin_cli.store import Store
from gaoxin_cli.store.notices import deliveries, notices
from helpers import run
from smtp_server import Handler, smtp_server

CONFIG = """\
org: {{name: 测试区管委会, short: 测试区, office: duchashi}}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {{name: 张主任, email: head@duchashi.example.org}}
    contact: {{name: 李联络, email: contact@duchashi.example.org}}
  jianshe:
    name: 建设局
    head: {{name: 王局长, email: head@jianshe.example.org}}
    contact: {{name: 赵联络, email: contact@jianshe.example.org}}
  caizheng:
    name: 财政局
    head: {{name: 孙局长}}
    contact: {{name: 周联络, email: contact@caizheng.example.org}}
leaders:
  L-wang: {{name: 王主任, title: 管委会主任, email: wang@gaoxin.example.org}}
  L-li: {{name: 李副主任, title: 管委会副主任}}
mail:
  host: 127.0.0.1
  port: {port}
  security: none
  sender: duban@gaoxin.example.org
  timeout_s: 5
{auth}"""

PLAN = """\
tasks:
  - id: LT-01
    title: 人才公寓建设
    lead: jianshe
    support: [caizheng]
    leader: L-wang
    measures: [完成主体]
    due: 2020-06-16
  - id: LT-02
    title: 财政专项资金拨付
    lead: caizheng
    measures: [拨付资金]
    due: 2020-06-30
    listed: {{since: 2020-03-02, by: L-li}}
  - id: LT-03
    title: 口袋公园建设
    lead: jianshe
    measures: [完成设计]
    due: 2020-09-30
"""

DAY = date(2020, 6, 24)
NOW = datetime(2020, 6, 24, 9, 0, tzinfo=UTC)
# the six recipients with an address on 6/24 (孙局长 and 李副主任 have none)
RECIPIENTS = [
    "contact@caizheng.example.org",
    "contact@duchashi.example.org",
    "contact@jianshe.example.org",
    "head@duchashi.example.org",
    "head@jianshe.example.org",
    "wang@gaoxin.example.org",
]


def stamp() -> str:
    return "2020-06-24T01:00:00+00:00"


def make_ws(root: Path, port: int = 25, *, auth: bool = False) -> Path:
    ws = root / "ws"
    (ws / "plans").mkdir(parents=True)
    # a local relay over security: none, where logging in in clear is said to be fine
    extra = (
        "  username: duban\n  password_env: GX_TEST_SMTP_PW\n  allow_plaintext_auth: true\n"
        if auth
        else ""
    )
    (ws / "gaoxin.yaml").write_text(CONFIG.format(port=port, auth=extra), encoding="utf-8")
    (ws / "plans" / "esc.yaml").write_text(PLAN.format(), encoding="utf-8")
    day = date(2020, 6, 10)
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event(tid, "feedback", day, progress=95) for tid in ("LT-01", "LT-02")])
        st.add([Event("LT-03", "feedback", day, progress=70)])
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path)


def session(ws: Path, day: date = DAY) -> Session:
    return Session.open(ws, day)


def stored(ws: Path) -> tuple[list[str], list[tuple[str, str, str | None]]]:
    """The numbers of the filed notices, and (number, recipient, message id) delivered."""
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        filed = notices(st)
        by_id = {n.id: n.number for n in filed}
        sent = sorted(
            (by_id[d.notice_id], d.recipient, d.message_id)
            for ds in deliveries(st).values()
            for d in ds
        )
    return [n.number for n in filed], sent


# --- overdue, listed ----------------------------------------------------------------------


def test_overdue_lists_the_carded_open_tasks_with_their_rung(ws: Path) -> None:
    result = escalation.overdue(session(ws), Filters())
    rows = [(r.standing.task.id, r.standing.assessment.card.name) for r in result.tasks]
    assert rows == [("LT-01", "red"), ("LT-02", "blue")]
    assert [r.standing.rung for r in result.tasks] == [0, 0]  # nothing filed yet
    assert result.problems == []
    # once notify has filed today's notices, the rungs reached show
    notify.run(session(ws), notify.OutboxTransport(ws / "box"), NOW, stamp)
    after = escalation.overdue(session(ws), Filters())
    rungs = {r.standing.task.id: KINDS[r.standing.rung] for r in after.tasks}
    assert rungs == {"LT-01": "supervise", "LT-02": "urge"}
    # a task filter keeps only its tasks; a done task drops out
    only = escalation.overdue(session(ws), Filters(listed=True))
    assert [r.standing.task.id for r in only.tasks] == ["LT-02"]
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-01", "feedback", DAY, progress=100)])
    assert [r.standing.task.id for r in escalation.overdue(session(ws), Filters()).tasks] == [
        "LT-02"
    ]


def test_overdue_lists_a_late_problem(ws: Path) -> None:
    # a problem reported on 6/1 and never accepted is far past its first deadline
    args = ("problem", "report", "资金未到位", "--task", "LT-01", "--by", "jianshe")
    code, _, err = run(ws, "--as-of", "2020-06-01", *args)
    assert code == 0, err
    late = escalation.overdue(session(ws), Filters()).problems
    assert [ln.status.number for ln in late] == ["问题〔2020〕1号"]
    assert late[0].card is not None and late[0].card.late_wd > 0
    # problems describe units, not pillars, leaders or listings
    assert escalation.overdue(session(ws), Filters(leaders=frozenset({"L-wang"}))).problems == []


def test_listed_counts_days_and_delists_when_done(ws: Path) -> None:
    (row,) = escalation.listed(session(ws))
    assert (row.standing.task.id, row.by, row.since, row.delisted) == (
        "LT-02",
        "L-li",
        date(2020, 3, 2),
        None,
    )
    assert row.days == (DAY - date(2020, 3, 2)).days
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-02", "feedback", date(2020, 6, 20), progress=100)])
    (row,) = escalation.listed(session(ws))
    assert row.delisted == date(2020, 6, 20)
    assert escalation.listed(session(ws), by=["L-wang"]) == []


# --- extend -------------------------------------------------------------------------------


def test_extend_requests_approves_and_shows(ws: Path) -> None:
    sess = session(ws, date(2020, 9, 1))
    asked = escalation.extend(
        sess, Request("LT-03", to=date(2020, 10, 30), reason="设计变更"), stamp()
    )
    assert [e.kind for e in asked.events] == ["extension"]
    assert asked.after.pending is not None and asked.after.due == date(2020, 9, 30)
    done = escalation.extend(sess, Request("LT-03", approve=True, by="L-wang"), stamp())
    assert (done.before.due, done.after.due) == (date(2020, 9, 30), date(2020, 10, 30))
    shown = escalation.extend(sess, Request("LT-03"), stamp())
    assert shown.events == [] and shown.after.due == date(2020, 10, 30)
    assert [(e.data or {}).get("action") for e in shown.after.events] == ["request", "approve"]


def test_extend_refuses_a_finished_task(ws: Path) -> None:
    code, _, err = run(
        ws, "--as-of", "2020-06-24", "cancel", "LT-03", "--reason", "x", "--by", "L-li"
    )
    assert code == 0, err
    with pytest.raises(GaoxinError) as err:
        escalation.extend(session(ws), Request("LT-03", to=date(2020, 10, 30)), stamp())
    assert err.value.msg.key == "error.extend_task_over"


# --- notify -------------------------------------------------------------------------------


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(ws: Path) -> None:
    report = notify.run(session(ws), notify.DryRun(), NOW, stamp)
    assert report.dry and not report.rest_day
    assert sorted(n.kind for n in report.filed) == [
        "assign",
        "assign",
        "assign",
        "supervise",
        "urge",
    ]
    assert all(n.id is None for n in report.filed)  # drafted, not filed
    assert sorted(m.recipient for m in report.mails) == RECIPIENTS
    assert (report.digests, report.sent, report.undelivered) == (6, 0, 0)
    assert {p["name"] for _, p in report.unmailed} == {"孙局长"}
    assert stored(ws) == ([], [])


def test_an_outbox_run_writes_files_and_records_each(ws: Path, tmp_path: Path) -> None:
    box = tmp_path / "box"
    report = notify.run(session(ws), notify.OutboxTransport(box), NOW, stamp)
    assert report.ok and report.outbox == box
    assert report.sent == 6
    files = sorted(box.glob("*.eml"))
    assert len(files) == 6
    numbers, sent = stored(ws)
    assert len(numbers) == 5
    assert {mid for _, _, mid in sent} == {f"outbox:{f.name}" for f in files}
    assert sorted({r for _, r, _ in sent}) == RECIPIENTS
    # the store is the arbiter of what was mailed today (another run's mail is skipped)
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        assert not any(notify.still_due(st, m, DAY) for m in report.mails)
        assert all(notify.still_due(st, m, date(2020, 6, 29)) for m in report.mails)
    # a second run the same day files and writes nothing more
    again = notify.run(session(ws), notify.OutboxTransport(box), NOW, stamp)
    assert (len(again.filed), again.sent, len(list(box.glob("*.eml")))) == (0, 0, 6)


def test_the_stand_in_sender_is_what_the_spec_gives_a_mail_section_of_two_keys() -> None:
    # An outbox, a dry run or a robots-only run without ``mail:`` uses a stand-in sender,
    # made as the record itself (no pydantic at run time): it must be what gaoxin.yaml's
    # spec would give, defaults and types included.
    from gaoxin_cli.models import spec
    from gaoxin_cli.service.transport import STAND_IN_MAIL, stand_in_mail

    made = spec.to_record(spec.MailConfigSpec(host="localhost", sender="notify@gaoxin.invalid"))
    assert made == STAND_IN_MAIL
    assert [type(v) for v in STAND_IN_MAIL] == [type(v) for v in made]
    assert stand_in_mail(None) is STAND_IN_MAIL
    assert stand_in_mail(made) is made


def test_nothing_is_done_on_a_rest_day_unless_asked(ws: Path, tmp_path: Path) -> None:
    holiday = date(2020, 6, 25)
    report = notify.run(session(ws, holiday), notify.OutboxTransport(tmp_path / "b"), NOW, stamp)
    assert report.rest_day and report.filed == ()
    assert stored(ws) == ([], [])
    forced = notify.run(
        session(ws, holiday), notify.OutboxTransport(tmp_path / "b"), NOW, stamp, any_day=True
    )
    assert not forced.rest_day and forced.sent == 6


def test_smtp_needs_mail_settings_and_the_password(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, auth=True)
    with pytest.raises(GaoxinError) as err:
        notify.run(session(ws), notify.SmtpTransport(None), NOW, stamp)
    assert (err.value.msg.key, err.value.msg.params) == (
        "error.mail_no_password",
        {"env": "GX_TEST_SMTP_PW"},
    )
    assert stored(ws) == ([], [])  # checked before anything is filed
    with pytest.raises(GaoxinError) as err:
        notify.SmtpTransport("pw").mail_settings(None)
    assert err.value.msg.key == "error.mail_not_configured"


# --- notify through a real SMTP server ------------------------------------------------------


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[Handler, Path]]:
    with smtp_server() as (handler, port):
        yield handler, make_ws(tmp_path, port)


def test_an_smtp_run_sends_one_digest_per_recipient(smtp: tuple[Handler, Path]) -> None:
    handler, ws = smtp
    report = notify.run(session(ws), notify.SmtpTransport(), NOW, stamp)
    assert report.ok and report.sent == 6
    assert handler.to() == RECIPIENTS
    _, sent = stored(ws)
    assert sorted({r for _, r, _ in sent}) == RECIPIENTS
    assert all(mid and mid.startswith("<") for _, _, mid in sent)  # the Message-ID
    again = notify.run(session(ws), notify.SmtpTransport(), NOW, stamp)
    assert (again.sent, len(handler.received)) == (0, 6)


def test_a_refused_recipient_is_reported_undelivered(smtp: tuple[Handler, Path]) -> None:
    handler, ws = smtp
    handler.refuse = {"head@jianshe.example.org"}
    report = notify.run(session(ws), notify.SmtpTransport(), NOW, stamp)
    assert not report.ok
    assert (report.sent, report.undelivered) == (5, 1)
    assert [f.recipient for f in report.failures] == ["head@jianshe.example.org"]
    assert report.failures[0].why.key == "notify.fail_refused"
    assert "head@jianshe.example.org" not in {r for _, r, _ in stored(ws)[1]}


# --- notice show / list -------------------------------------------------------------------


def test_notice_and_register_read_what_was_filed(ws: Path, tmp_path: Path) -> None:
    notify.run(session(ws), notify.OutboxTransport(tmp_path / "box"), NOW, stamp)
    sheet = escalation.notice(session(ws), "supervise", 2020, 1)
    assert (sheet.notice.number, sheet.notice.subject) == ("督办〔2020〕1号", "LT-01")
    assert sheet.deliveries and all(
        (d.message_id or "").startswith("outbox:") for d in sheet.deliveries
    )
    with pytest.raises(GaoxinError) as err:  # not filed yet as of the day before
        escalation.notice(session(ws, date(2020, 6, 23)), "supervise", 2020, 1)
    assert err.value.msg.key == "error.notice_not_found"
    reg = escalation.register(session(ws), kinds=["assign"])
    assert [n.subject for n in reg.notices] == ["LT-01", "LT-02", "LT-03"]
    assert escalation.register(session(ws), units=["caizheng"], kinds=["urge"]).notices[
        0
    ].subject == ("LT-02")
    assert escalation.register(session(ws), until=date(2020, 6, 23)).notices == []
    later = session(ws, date(2020, 6, 30))
    assert len(escalation.register(later, since=date(2020, 6, 24)).notices) == 5
    assert escalation.register(later, since=date(2020, 6, 25)).notices == []
