"""``gaoxin notify`` against a real SMTP server (aiosmtpd on 127.0.0.1, a free port,
started and stopped per test). Tests read what arrived: envelope recipients, the decoded
Chinese subject, body lines of the text part and the HTML alternative.

The workspace (2020 calendar): LT-01 due Tue 6/16 is blue from 6/11, yellow 6/17–6/23,
red from 6/24; LT-02 is listed and due Tue 6/30 (blue from 6/24, so 催办 at once);
LT-03 is on plan (only a 交办单). 6/25–6/27 is the Dragon Boat holiday, Sunday 6/28 a
working day.
"""

from __future__ import annotations

import email
import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.models import spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.notify import digest, message
from gaoxin_cli.notify.smtp import send
from gaoxin_cli.store import Store
from gaoxin_cli.store.notices import StoredNotice, deliveries, notices
from helpers import golden
from smtp_server import Handler, free_port, smtp_server

CONFIG = """\
org: {{name: 测试区管委会, short: 测试区, office: duchashi}}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {{name: 张主任, email: head@duchashi.example.org}}
    contact: {{name: 李联络, email: contact@duchashi.example.org, phone: 0537-1234567}}
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
rules:
  ladder: {{repeat_reminder_wd: {repeat}}}
mail:
  host: 127.0.0.1
  port: {port}
  security: none
  sender: duban@gaoxin.example.org
  sender_name: 测试区督查室
  timeout_s: 5
{auth}"""

PLAN = """\
tasks:
  - id: LT-01
    title: {title}
    lead: jianshe
    support: [caizheng]
    leader: L-wang
    measures: [完成主体, 竣工验收]
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

# --- the SMTP server ----------------------------------------------------------------------


def _auth(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"duban", b"s3cret")
    return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    handler: Handler
    port: int


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    kwargs: dict[str, Any] = {}
    if getattr(request, "param", None) == "auth":
        kwargs = {"authenticator": _auth, "auth_require_tls": False}
    with smtp_server(**kwargs) as (handler, port):
        yield Server(handler, port)


# --- the workspace ------------------------------------------------------------------------


def make_ws(
    root: Path, port: int, *, repeat: int = 0, title: str = "人才公寓建设", auth: bool = False
) -> Path:
    ws = root / "ws"
    (ws / "plans").mkdir(parents=True, exist_ok=True)
    extra = (
        "  username: duban\n  password_env: GX_TEST_SMTP_PW\n  allow_plaintext_auth: true\n"
        if auth
        else ""
    )
    (ws / "gaoxin.yaml").write_text(
        CONFIG.format(port=port, repeat=repeat, auth=extra), encoding="utf-8"
    )
    (ws / "plans" / "esc.yaml").write_text(PLAN.format(title=title), encoding="utf-8")
    from gaoxin_cli.models.state import Event

    day = date(2020, 6, 10)
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add(
            [
                Event("LT-01", "feedback", day, progress=95, note="主体完工"),
                Event("LT-02", "feedback", day, progress=95, note="资金到位"),
                Event("LT-03", "feedback", day, progress=70, note="设计完成"),
            ]
        )
    return ws


@pytest.fixture
def ws(tmp_path: Path, server: Server) -> Path:
    return make_ws(tmp_path, server.port)


def notify(
    ws: Path, day: str, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["-C", str(ws), "--as-of", day, "notify", *args], env={"COLUMNS": "80", **(env or {})}
    )
    return result.exit_code, result.stdout, result.stderr


def acknowledge(ws: Path, day: str) -> None:
    """The units acknowledge (签收) every notice filed by *day*, as the office records it:
    the tests that follow the ladder keep unsigned notices out of the cards."""
    from gaoxin_cli.models.notice import SignRow
    from gaoxin_cli.store.signatures import record

    on = date.fromisoformat(day)
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st, st.transaction():
        for n in notices(st, as_of=on, unsigned_only=True):
            record(st, SignRow(n.id or 0, "sign", n.unit, on), "test")


def filed(ws: Path) -> list[StoredNotice]:
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        return notices(st)


def delivered(ws: Path) -> list[tuple[str, str, str]]:
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        by_id = {n.id: n.number for n in notices(st)}
        return sorted(
            (by_id[d.notice_id], d.recipient, d.sent_on.isoformat())
            for ds in deliveries(st).values()
            for d in ds
        )


# --- the first run ---------------------------------------------------------------------


def test_one_digest_per_recipient_in_chinese(ws: Path, server: Server) -> None:
    code, out, err = notify(ws, "2020-06-24")
    assert code == 0, err
    assert out == (
        "2020-06-24：新签发通知 5 份（交办 3、催办 1、督办 1）\n邮件：应发 6 封，已发送 6 封\n"
    )
    # 孙局长 (head of 财政局) and 李副主任 (supervising leader) have no address
    assert err == "注意：以下收件人没有邮箱，1 份通知未通过邮件送达：孙局长（主要负责人）\n"
    h = server.handler
    assert h.to() == [
        "contact@caizheng.example.org",
        "contact@duchashi.example.org",
        "contact@jianshe.example.org",
        "head@duchashi.example.org",
        "head@jianshe.example.org",
        "wang@gaoxin.example.org",
    ]
    assert all(len(m.rcpt_tos) == 1 for m in h.received)
    assert all(m.mail_from == "duban@gaoxin.example.org" for m in h.received)
    jianshe = h.by_rcpt("contact@jianshe.example.org")
    assert (
        jianshe.msg["Subject"]
        == "【督查督办】测试区 2020-06-24：督办 1 · 交办 1（共 2 项，红牌 1）"
    )
    assert jianshe.msg["To"] == "赵联络 <contact@jianshe.example.org>"
    # answers reach the office's contact, not the sending mailbox
    assert jianshe.msg["Reply-To"] == "李联络 <contact@duchashi.example.org>"
    assert jianshe.msg["From"] == "测试区督查室 <duban@gaoxin.example.org>"
    assert jianshe.msg["Auto-Submitted"] == "auto-generated"
    assert jianshe.msg.get_content_type() == "multipart/alternative"
    assert jianshe.text.splitlines() == [
        "赵联络（建设局 联络员）：",
        "",
        "截至 2020-06-24（周三），您有 2 项督查督办事项：",
        "",
        "1. LT-01 人才公寓建设 · 红牌",
        "   督办单 督办〔2020〕1号、交办单 交办〔2020〕1号",
        "   牵头单位：建设局；完成时限：2020-06-16",
        "   现状：逾期 6 个工作日",
        "   措施：完成主体；竣工验收",
        "   请于 2020-06-30 前反馈办理情况。",
        "",
        "2. LT-03 口袋公园建设",
        "   交办单 交办〔2020〕3号",
        "   牵头单位：建设局；完成时限：2020-09-30",
        "   措施：完成设计",
        "   请于 2020-06-30 前签收并反馈工作安排。",
        "",
        "——",
        "测试区管委会 督查室",
        "请回复本邮件或联系督查室 李联络（电话 0537-1234567）签收并反馈。",
        "签收：收到后请在工作群中回复，或回复本邮件、致电督查室，由督查室登记签收；"
        "过了期限仍未签收的，任务亮蓝牌提醒。",
        "本邮件在工作日自动发送。",
    ]
    assert all("gaoxin" not in m.text for m in h.received)  # recipients have no gaoxin
    assert '<meta name="viewport"' in jianshe.html
    assert "督办〔2020〕1号" in jianshe.html and "LT-01 人才公寓建设 · 红牌" in jianshe.html
    # the office sees the 督办单 only; the leader the 督办单 of his task
    office = h.by_rcpt("contact@duchashi.example.org")
    assert office.msg["Subject"] == "【督查督办】测试区 2020-06-24：督办 1（共 1 项，红牌 1）"
    caizheng = h.by_rcpt("contact@caizheng.example.org")
    assert "LT-02 财政专项资金拨付 · 蓝牌" in caizheng.text
    assert "催办单 催办〔2020〕1号、交办单 交办〔2020〕2号" in caizheng.text
    # every accepted mail is recorded, with the server's message id
    rows = delivered(ws)
    assert len(rows) == 10
    assert {r[2] for r in rows} == {"2020-06-24"}


# --- what the mail says (issue 14, item 8) ------------------------------------------------


def _mail_golden(m: Any) -> str:
    """A received mail as a golden: the headers a reader sees, then the text body."""
    head = [f"{k}: {m.msg[k]}" for k in ("From", "To", "Reply-To", "Subject")]
    return "\n".join(head) + "\n\n" + m.text.replace("\r\n", "\n")


def test_a_support_contact_is_told_to_assist_the_lead(ws: Path, server: Server) -> None:
    """周联络 is 财政局's contact: lead of LT-02, 配合 on LT-01 (lead 建设局). Only the
    LT-01 entry says so; the whole mail is a golden (zh)."""
    code, _, err = notify(ws, "2020-06-24")
    assert code == 0, err
    caizheng = server.handler.by_rcpt("contact@caizheng.example.org")
    entries = caizheng.text.replace("\r\n", "\n").split("\n\n")
    (lt01,) = [e for e in entries if "LT-01" in e]
    (lt02,) = [e for e in entries if "LT-02" in e]
    assert "   贵单位为配合单位，请配合牵头单位 建设局 办理。" in lt01.splitlines()
    assert "配合" not in lt02
    assert "贵单位为配合单位，请配合牵头单位 建设局 办理。" in caizheng.html
    # the lead unit's own contact is not told to support itself
    assert "配合单位" not in server.handler.by_rcpt("contact@jianshe.example.org").text
    golden("notify-mail-support.txt", _mail_golden(caizheng))


def test_lang_en_words_the_mail_in_english(ws: Path, server: Server) -> None:
    """``--lang en`` (or GAOXIN_LANG=en) words subject and body in English; Chinese is
    the default (the other tests)."""
    result = CliRunner().invoke(
        app, ["-C", str(ws), "--lang", "en", "--as-of", "2020-06-24", "notify"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("2020-06-24: 5 new notice(s)")
    jianshe = server.handler.by_rcpt("contact@jianshe.example.org")
    assert jianshe.msg["Subject"] == (
        "[Supervision] 测试区 2020-06-24: supervise 1 · assign 1 (2 items, 1 red)"
    )
    assert jianshe.text.startswith("Dear 赵联络 (建设局 contact),\r\n")
    assert '<html lang="en">' in jianshe.html
    assert jianshe.msg["Reply-To"] == "李联络 <contact@duchashi.example.org>"
    caizheng = server.handler.by_rcpt("contact@caizheng.example.org")
    assert "Your unit supports this task: please assist the lead unit, 建设局." in caizheng.text
    golden("notify-mail-support-en.txt", _mail_golden(caizheng))


def _kinds_digest(*kinds: tuple[str, int, int]) -> digest.Digest:
    """One digest for 赵联络 with a notice per (kind, rung, card), one task each."""
    pairs = []
    for i, (kind, rung, card) in enumerate(kinds, 1):
        notice = StoredNotice(
            i,
            f"{kind}-{i}",
            kind,
            2020,
            i,
            f"LT-{i:02}",
            rung,
            date(2020, 6, 24),
            date(2020, 6, 30),
            "jianshe",
            "[]",
            f'{{"task": "LT-{i:02}", "title": "事项{i}", "card": {card}, "lead": "jianshe"}}',
        )
        person = {"role": "contact", "name": "赵联络", "email": "z@jianshe.example.org"}
        pairs.append((notice, person, False))
    (d,) = digest.group(pairs)
    return d


def _cfg(office: dict[str, Any] | None = None) -> Any:
    return to_record(
        spec.ConfigSpec.model_validate(
            {
                "org": {"name": "高新区管委会", "short": "高新区", "office": "duchashi"},
                "units": {
                    "duchashi": office
                    or {
                        "name": "督查室",
                        "head": {"name": "张主任", "email": "head@duchashi.example.org"},
                        "contact": {
                            "name": "李联络",
                            "email": "li@duchashi.example.org",
                            "phone": "0537-1234567",
                        },
                    },
                    "jianshe": {
                        "name": "建设局",
                        "head": {"name": "王"},
                        "contact": {"name": "赵"},
                    },
                },
            }
        )
    )


def test_the_subject_counts_each_kind_highest_first() -> None:
    """Not "您有 4 项待办" whatever they carry: a 通报单 shows in the subject, first."""
    d = _kinds_digest(("urge", 2, 1), ("supervise", 3, 2), ("report", 4, 3), ("supervise", 3, 3))
    cfg, day = _cfg(), date(2020, 6, 24)
    assert digest.subject(cfg, day, d) == (
        "【督查督办】高新区 2020-06-24：通报 1 · 督办 2 · 催办 1（共 4 项，红牌 2）"
    )
    assert digest.subject(cfg, day, d, "en") == (
        "[Supervision] 高新区 2020-06-24: report 1 · supervise 2 · urge 1 (4 items, 2 red)"
    )
    one = _kinds_digest(("assign", 0, 0))
    assert digest.subject(cfg, day, one) == "【督查督办】高新区 2020-06-24：交办 1（共 1 项）"
    assert (
        digest.subject(cfg, day, one, "en") == "[Supervision] 高新区 2020-06-24: assign 1 (1 item)"
    )


def test_reply_to_falls_back_to_the_office_head_then_to_none(server: Server) -> None:
    """Reply-To: the office's contact, else its head; neither has an address: no header,
    and the footer asks them to call rather than reply. Names are cleaned and encoded."""
    mail = to_record(
        spec.MailConfigSpec(
            host="127.0.0.1", port=server.port, security="none", sender="duban@gaoxin.example.org"
        )
    )
    d, day, now = _kinds_digest(("urge", 2, 1)), date(2020, 6, 24), datetime(2020, 6, 24, 8)

    def reply_to(office: dict[str, Any] | None, head: str = "") -> tuple[str | None, str]:
        cfg = _cfg(office)
        if head:  # as if a tampered name had slipped past the config check
            unit = cfg.units["duchashi"]
            units = {**cfg.units, "duchashi": unit._replace(head=unit.head._replace(name=head))}
            cfg = cfg._replace(units=units)
        out = message.build(cfg, mail, day, d, now.astimezone())
        parsed = email.message_from_bytes(out.as_bytes(), policy=policy.default)
        value = parsed["Reply-To"]
        return (None if value is None else str(value)), out.text

    value, text = reply_to(None)
    assert value == "李联络 <li@duchashi.example.org>"
    assert "请回复本邮件或联系督查室 李联络（电话 0537-1234567）签收并反馈。" in text
    assert "gaoxin" not in text
    head_only = {
        "name": "督查室",
        "head": {"name": "张主任", "email": "head@duchashi.example.org"},
        "contact": {"name": "李联络"},
    }
    value, text = reply_to(head_only, "张主任\r\nBcc: spy@evil.example")
    assert value == '"张主任 Bcc: spy@evil.example" <head@duchashi.example.org>'
    assert "请回复本邮件或联系督查室 李联络签收并反馈。" in text
    value, text = reply_to({"name": "督查室", "head": {"name": "张"}, "contact": {"name": "李"}})
    assert value is None
    assert "请联系督查室 李签收并反馈。" in text and "回复" not in text
    # through the real server: the header arrives as built
    out = message.build(_cfg(), mail, day, d, now.astimezone())
    assert send([out], mail, None, lambda m: None).ok
    (got,) = server.handler.received
    (addr,) = got.msg["Reply-To"].addresses
    assert (addr.display_name, addr.addr_spec) == ("李联络", "li@duchashi.example.org")


def test_a_second_run_the_same_day_sends_nothing(ws: Path, server: Server) -> None:
    assert notify(ws, "2020-06-24")[0] == 0
    first = len(server.handler.received)
    code, out, err = notify(ws, "2020-06-24")
    assert (code, err) == (0, "")
    assert out == "2020-06-24：新签发通知 0 份\n邮件：应发 0 封，已发送 0 封\n"
    assert len(server.handler.received) == first


def test_next_day_climbs_exactly_one_rung_across_the_holiday(ws: Path, server: Server) -> None:
    assert notify(ws, "2020-06-23")[0] == 0  # LT-01 5 WD late: 催办
    acknowledge(ws, "2020-06-23")
    kinds = lambda: sorted((n.subject, n.kind) for n in filed(ws))  # noqa: E731
    assert ("LT-01", "urge") in kinds() and ("LT-01", "supervise") not in kinds()
    server.handler.received.clear()
    assert notify(ws, "2020-06-24")[0] == 0  # 6 WD late: 督办, one rung up
    acknowledge(ws, "2020-06-24")
    new = [n for n in filed(ws) if n.issued_on == date(2020, 6, 24)]
    assert sorted((n.subject, n.kind) for n in new) == [("LT-01", "supervise"), ("LT-02", "urge")]
    server.handler.received.clear()
    # the holiday: nothing on Thursday 6/25 (a rest day)
    code, out, _ = notify(ws, "2020-06-25")
    assert (code, out) == (
        0,
        "2020-06-25（周四）不是工作日：不签发通知，不发送邮件（--any-day 可强制运行）\n",
    )
    # Sunday 6/28 works; 6/29 and 6/30 too: the 督办单's reply is due 6/30, not yet passed
    for day in ("2020-06-28", "2020-06-29", "2020-06-30"):
        code, out, _ = notify(ws, day)
        assert (code, out.splitlines()[0]) == (0, f"{day}：新签发通知 0 份"), day
    assert server.handler.received == []
    # 7/1: unanswered → 通报单 (and LT-02, 1 WD late, stays at 催办: already there)
    code, out, _ = notify(ws, "2020-07-01")
    assert out.splitlines()[0] == "2020-07-01：新签发通知 1 份（通报 1）"
    report = server.handler.by_rcpt("head@duchashi.example.org")
    assert "通报单 通报〔2020〕1号" in report.text
    assert report.msg["Subject"] == "【督查督办】测试区 2020-07-01：通报 1（共 1 项，红牌 1）"


def test_repeated_reminders_count_working_days(tmp_path: Path, server: Server) -> None:
    ws = make_ws(tmp_path, server.port, repeat=2)
    assert notify(ws, "2020-06-17")[0] == 0  # LT-01 催办, mailed 6/17
    acknowledge(ws, "2020-06-17")
    server.handler.received.clear()
    assert notify(ws, "2020-06-18")[0] == 0  # 1 WD: not yet
    assert server.handler.received == []
    code, out, _ = notify(ws, "2020-06-19")  # 2 WD: again, same number
    assert (code, out.splitlines()[0]) == (0, "2020-06-19：新签发通知 0 份")
    assert server.handler.to() == [
        "contact@jianshe.example.org",
        "head@jianshe.example.org",
        "wang@gaoxin.example.org",
    ]
    again = server.handler.by_rcpt("contact@jianshe.example.org")
    assert "催办单 催办〔2020〕1号（再次提醒，2020-06-17 签发）" in again.text
    server.handler.received.clear()
    # the weekend in between: Saturday is a rest day, Monday only 1 WD after Friday
    code, out, _ = notify(ws, "2020-06-20")
    assert (code, out) == (
        0,
        "2020-06-20（周六）不是工作日：不签发通知，不发送邮件（--any-day 可强制运行）\n",
    )
    assert notify(ws, "2020-06-22")[0] == 0
    assert server.handler.received == []
    # a report after the notice answers it: no more repeats
    from gaoxin_cli.models.state import Event

    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-01", "feedback", date(2020, 6, 22), note="正在整改")])
    server.handler.received.clear()
    assert notify(ws, "2020-06-23")[0] == 0
    assert server.handler.received == []


# --- failures -------------------------------------------------------------------------------


def test_a_refused_recipient_is_sent_on_the_next_run(ws: Path, server: Server) -> None:
    server.handler.refuse = {"head@jianshe.example.org"}
    code, out, err = notify(ws, "2020-06-24")
    assert code == 1
    assert out.splitlines()[-1] == "邮件：应发 6 封，已发送 5 封"
    assert "错误：1 封邮件未送达，已送达的已记录，其余将在下次运行时重发：" in err
    assert (
        "  head@jianshe.example.org：服务器拒收该收件人（550 5.1.1 <head@jianshe.example.org>: mailbox unavailable）"
        in err
    )
    assert "head@jianshe.example.org" not in {r[1] for r in delivered(ws)}
    assert len(server.handler.received) == 5
    server.handler.refuse = set()
    server.handler.received.clear()
    code, out, err = notify(ws, "2020-06-24")
    assert (code, out.splitlines()[-1]) == (0, "邮件：应发 1 封，已发送 1 封")
    assert server.handler.to() == ["head@jianshe.example.org"]


def test_a_dropped_connection_keeps_what_was_accepted(ws: Path, server: Server) -> None:
    server.handler.drop_after = 3
    code, out, err = notify(ws, "2020-06-24")
    assert code == 1
    assert out.splitlines()[-1] == "邮件：应发 6 封，已发送 3 封"
    assert "错误：3 封邮件未送达" in err
    assert f"与邮件服务器 127.0.0.1:{server.port} 的连接中断" in err
    accepted = {m.rcpt_tos[0] for m in server.handler.received}
    assert len(accepted) == 3
    assert {r[1] for r in delivered(ws)} == accepted
    # the next run sends the three others, and nothing twice
    server.handler.drop_after = None
    server.handler.received.clear()
    code, out, _ = notify(ws, "2020-06-24")
    assert (code, out.splitlines()[-1]) == (0, "邮件：应发 3 封，已发送 3 封")
    assert not accepted & {m.rcpt_tos[0] for m in server.handler.received}
    # the notices themselves were filed once, on the first run
    assert len(filed(ws)) == 5


@pytest.mark.parametrize("server", ["auth"], indirect=True)
def test_login_with_the_password_from_the_environment(tmp_path: Path, server: Server) -> None:
    ws = make_ws(tmp_path, server.port, auth=True)
    code, _, err = notify(ws, "2020-06-24")
    assert (code, err) == (
        1,
        "错误：已配置 mail.username，但环境变量 GX_TEST_SMTP_PW 没有设置密码\n",
    )
    assert filed(ws) == []  # refused before anything was filed
    code, _, err = notify(ws, "2020-06-24", env={"GX_TEST_SMTP_PW": "wrong"})
    assert code == 1
    assert (
        f"邮件服务器 127.0.0.1:{server.port} 拒绝登录（535 5.7.8 Authentication credentials invalid）"
        in err
    )
    assert server.handler.received == [] and delivered(ws) == []
    code, _, err = notify(ws, "2020-06-24", env={"GX_TEST_SMTP_PW": "s3cret"})
    assert code == 0, err
    assert len(server.handler.received) == 6


def test_cannot_connect(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, free_port())
    code, _, err = notify(ws, "2020-06-24")
    assert code == 1
    assert "无法连接邮件服务器 127.0.0.1:" in err
    assert len(filed(ws)) == 5 and delivered(ws) == []  # filed; mailed on the next run


def test_a_running_notify_holds_the_lock(ws: Path, server: Server) -> None:
    lock = ws / "data" / "gaoxin.db.notify.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, out, err = notify(ws, "2020-06-24")
    finally:
        os.close(fd)
    assert (code, out) == (1, "")
    assert err == f"错误：另一个 gaoxin notify 正在运行（锁文件 {lock}）：请等它结束后再试\n"
    assert filed(ws) == [] and server.handler.received == []


def test_two_notify_processes_at_once_send_each_mail_once(ws: Path, server: Server) -> None:
    server.handler.delay = 0.15  # the first run is still sending when the second starts
    cmd = [sys.executable, "-m", "gaoxin_cli", "-C", str(ws), "--as-of", "2020-06-24", "notify"]
    env = {**os.environ, "GAOXIN_HOME": str(ws.parent / "home")}
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(r[0] for r in results)
    assert codes in ([0, 0], [0, 1]), results
    if codes == [0, 1]:
        loser = next(r for r in results if r[0] == 1)
        assert "另一个 gaoxin notify 正在运行" in loser[2]
    tos = [m.rcpt_tos[0] for m in server.handler.received]
    assert len(tos) == len(set(tos)) == 6
    assert len(delivered(ws)) == 10
    assert len(filed(ws)) == 5


# The CLI in a subprocess (no server thread there, so it may fork), its mails built in two
# processes at any size; stderr says how many mails the second process built.
_TWO_PROCESSES = """
import sys
from gaoxin_cli.service import forked, mail_ahead
mail_ahead.PARALLEL_MIN_ITEMS = 0
real = forked.Pending.result
def result(self):
    got = real(self)
    print(f"second process built {len(got or ())}", file=sys.stderr, flush=True)
    return got
forked.Pending.result = result
from gaoxin_cli.cli import main
sys.argv[0] = "gaoxin"
main()
"""


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="fork, 2 cores")
def test_mails_built_by_a_second_process_reach_the_server_whole(
    tmp_path: Path, server: Server
) -> None:
    one, two = make_ws(tmp_path / "one", server.port), make_ws(tmp_path / "two", server.port)
    code, out, err = notify(one, "2020-06-24")  # in this process: one builds every mail
    assert code == 0, err
    alone = {m.rcpt_tos[0]: m for m in server.handler.received}
    server.handler.received.clear()
    env = {**os.environ, "GAOXIN_HOME": str(tmp_path / "home"), "COLUMNS": "80"}
    run = subprocess.run(
        [sys.executable, "-c", _TWO_PROCESSES, "-C", str(two), "--as-of", "2020-06-24", "notify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == out
    built = [int(line.rsplit(" ", 1)[1]) for line in run.stderr.splitlines() if "second" in line]
    assert len(built) == 1 and 0 < built[0] < len(alone)
    both = {m.rcpt_tos[0]: m for m in server.handler.received}
    assert both.keys() == alone.keys() and len(both) == 6
    for rcpt, m in both.items():
        assert str(m.msg["Subject"]) == str(alone[rcpt].msg["Subject"])
        assert (m.text, m.html) == (alone[rcpt].text, alone[rcpt].html), rcpt
    assert len(delivered(two)) == len(delivered(one)) == 10


# --- headers cannot be forged --------------------------------------------------------------


def test_a_title_with_crlf_is_refused_by_the_plan(tmp_path: Path, server: Server) -> None:
    ws = make_ws(tmp_path, server.port, title='"公寓\\r\\nBcc: spy@evil.example"')
    code, out, err = notify(ws, "2020-06-24")
    assert code == 1 and "LT-01" not in out
    assert "esc.yaml:3" in err  # the title's line: the plan is refused before any mail
    assert server.handler.received == []


def test_crlf_in_stored_text_never_reaches_a_header(tmp_path: Path, server: Server) -> None:
    """Even text that bypassed validation (a tampered database, an old version) stays in
    the body: the recipient list and headers come only from checked values."""
    valid = to_record(
        spec.ConfigSpec.model_validate(
            {
                "org": {"name": "测试区", "office": "duchashi"},
                "units": {
                    "duchashi": {
                        "name": "督查室",
                        "head": {"name": "张主任"},
                        "contact": {"name": "李联络"},
                    }
                },
            }
        )
    )
    # _replace does not validate: as if the text had slipped past the plan checks
    org = valid.org._replace(name="测试区\r\nBcc: spy@evil.example")
    cfg = valid._replace(org=org)
    notice = StoredNotice(
        1,
        "督办〔2020〕1号",
        "supervise",
        2020,
        1,
        "LT-01",
        3,
        date(2020, 6, 24),
        date(2020, 6, 30),
        "jianshe\r\nBcc: spy@evil.example",
        "[]",
        '{"task": "LT-01", "title": "公寓\\r\\nBcc: spy@evil.example\\r\\n\\r\\nfake", "card": 3,'
        ' "lead": "x\\nCc: a@b.example"}',
    )
    person = {
        "role": "contact",
        "name": "赵\r\nBcc: spy@evil.example",
        "email": "contact@jianshe.example.org",
    }
    (d,) = digest.group([(notice, person, False)])
    mail = to_record(
        spec.MailConfigSpec(
            host="127.0.0.1", port=server.port, security="none", sender="duban@gaoxin.example.org"
        )
    )
    out = message.build(cfg, mail, date(2020, 6, 24), d, datetime(2020, 6, 24, 8, 0).astimezone())
    parsed = email.message_from_bytes(out.as_bytes(), policy=policy.default)
    assert set(parsed.keys()) == {
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Auto-Submitted",
        "X-Auto-Response-Suppress",
        "MIME-Version",
        "Content-Type",
    }
    result = send([out], mail, None, lambda m: None)
    assert result.ok
    (got,) = server.handler.received
    assert got.rcpt_tos == ["contact@jianshe.example.org"]
    assert got.msg["Bcc"] is None and got.msg["Cc"] is None
    (addr,) = got.msg["To"].addresses
    assert (addr.display_name, addr.addr_spec) == (
        "赵 Bcc: spy@evil.example",
        "contact@jianshe.example.org",
    )
    assert got.msg["Subject"].startswith("【督查督办】测试区 Bcc: spy@evil.example 2020-06-24")
    assert "公寓 Bcc: spy@evil.example fake" in got.text  # in the body, harmless, one line
    bad = digest.group(
        [(notice, {**person, "email": "x@y.example>\r\nBcc: z@evil.example"}, False)]
    )
    with pytest.raises(ValueError):
        message.build(cfg, mail, date(2020, 6, 24), bad[0], datetime(2020, 6, 24).astimezone())
    # an odd but valid name (quotes, angle brackets, a comma) stays one display name
    odd = {**person, "name": '赵"<spy@evil.example>, x@evil.example'}
    (d,) = digest.group([(notice, odd, False)])
    raw = message.build(cfg, mail, date(2020, 6, 24), d, datetime(2020, 6, 24).astimezone())
    (addr,) = email.message_from_bytes(raw.as_bytes(), policy=policy.default)["To"].addresses
    assert addr.addr_spec == "contact@jianshe.example.org"
    assert addr.display_name == '赵"<spy@evil.example>, x@evil.example'


# --- other modes ---------------------------------------------------------------------------


def test_outbox_writes_eml_files_and_records_them(ws: Path, server: Server, tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    code, out, err = notify(ws, "2020-06-24", "--outbox", str(box))
    assert code == 0, err
    assert out.splitlines()[-1] == f"邮件：6 封已写入 {box}"
    files = sorted(box.glob("*.eml"))
    assert len(files) == 6 and server.handler.received == []
    msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert str(msg["Subject"]).startswith("【督查督办】测试区 2020-06-24")
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        ids = {d.message_id for ds in deliveries(st).values() for d in ds}
    assert ids == {f"outbox:{f.name}" for f in files}
    assert notify(ws, "2020-06-24", "--outbox", str(box))[0] == 0
    assert len(list(box.glob("*.eml"))) == 6  # nothing new


def test_dry_run_files_and_sends_nothing(ws: Path, server: Server) -> None:
    code, out, err = notify(ws, "2020-06-24", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:2] == [
        "2020-06-24：将签发通知 5 份（交办 3、催办 1、督办 1）（演练，未写入）",
        "邮件：将发送 6 封",
    ]
    assert "收件人：赵联络 <contact@jianshe.example.org>" in lines
    assert "主题：【督查督办】测试区 2020-06-24：督办 1 · 交办 1（共 2 项，红牌 1）" in lines
    assert filed(ws) == [] and server.handler.received == []


def test_no_mail_section(tmp_path: Path, server: Server) -> None:
    ws = make_ws(tmp_path, server.port)
    cfg = ws / "gaoxin.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").split("\nmail:")[0] + "\n", encoding="utf-8")
    code, _, err = notify(ws, "2020-06-24")
    assert code == 1 and "gaoxin.yaml 没有 mail 配置" in err
    assert notify(ws, "2020-06-24", "--dry-run")[0] == 0
    assert filed(ws) == []


def test_done_tasks_get_nothing_more(ws: Path, server: Server) -> None:
    assert notify(ws, "2020-06-23")[0] == 0
    from gaoxin_cli.models.state import Event

    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add([Event("LT-01", "feedback", date(2020, 6, 23), progress=100)])
    server.handler.received.clear()
    assert notify(ws, "2020-06-24")[0] == 0
    assert server.handler.received  # LT-02's 催办单
    assert all("LT-01" not in m.text for m in server.handler.received)


# --- TLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (needs the openssl program)."""
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(crt),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return key, crt


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_certificate_checks(cert: tuple[Path, Path], security: str) -> None:
    import ssl

    key, crt = cert
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(crt, key)
    handler = Handler()
    port = free_port()
    kwargs: dict[str, Any] = (
        {"tls_context": server_ctx, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": server_ctx}
    )
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        mail = to_record(
            spec.MailConfigSpec(
                host="127.0.0.1", port=port, security=security, sender="duban@gaoxin.example.org"
            )
        )  # type: ignore[arg-type]
        cfg = to_record(
            spec.ConfigSpec.model_validate(
                {
                    "org": {"name": "测试区", "office": "o"},
                    "units": {
                        "o": {"name": "督查室", "head": {"name": "张"}, "contact": {"name": "李"}}
                    },
                }
            )
        )
        notice = StoredNotice(
            1,
            "督办〔2020〕1号",
            "supervise",
            2020,
            1,
            "LT-01",
            3,
            date(2020, 6, 24),
            date(2020, 6, 30),
            "o",
            "[]",
            '{"task": "LT-01", "title": "人才公寓", "card": 3}',
        )
        (d,) = digest.group(
            [(notice, {"role": "contact", "name": "李", "email": "li@example.org"}, False)]
        )
        out = message.build(cfg, mail, date(2020, 6, 24), d, datetime(2020, 6, 24, 8).astimezone())
        trusted = ssl.create_default_context(cafile=str(crt))
        result = send([out], mail, None, lambda m: None, context=trusted)
        assert result.ok, result
        assert [m.rcpt_tos for m in handler.received] == [["li@example.org"]]
        # the system's trust store does not know this certificate: refused, nothing sent
        result = send([out], mail, None, lambda m: None)
        assert not result.ok and result.fatal is not None
        assert result.fatal.key == "notify.fail_connect" and result.unsent == ["li@example.org"]
        assert len(handler.received) == 1
    finally:
        controller.stop()
