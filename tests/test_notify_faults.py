"""``gaoxin notify`` under faults: nothing lost, nothing sent twice (docs/escalation.md).

Real parts only: an aiosmtpd server on 127.0.0.1 (tests/smtp_server.py), ``gaoxin``
run as a real subprocess and killed with SIGKILL, the store's write lock held by a
second process or connection. The workspace is the one of tests/test_notify_smtp.py
(2020-06-24: 5 notices, 6 recipients with an address).
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from email import policy
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.notify import outbox
from gaoxin_cli.store import Store
from gaoxin_cli.store.notices import deliveries, intents
from smtp_server import Handler, free_port, smtp_server
from test_notify_smtp import delivered, filed, make_ws, notify

DAY = "2020-06-24"
RECIPIENTS = [
    "contact@caizheng.example.org",
    "contact@duchashi.example.org",
    "contact@jianshe.example.org",
    "head@duchashi.example.org",
    "head@jianshe.example.org",
    "wang@gaoxin.example.org",
]


def db_of(ws: Path) -> Path:
    return ws / "data" / "gaoxin.db"


def gaoxin(ws: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    """``python -m gaoxin_cli -C ws --as-of DAY …`` as a real process."""
    cmd = [sys.executable, "-m", "gaoxin_cli", "-C", str(ws), "--as-of", DAY, *args]
    env = {**os.environ, "GAOXIN_HOME": str(ws.parent / "home"), **popen.pop("env", {})}
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
    )


def wait_for(check: Any, proc: subprocess.Popen[str], what: str, timeout: float = 60) -> None:
    """Poll *check* until true; fail when *proc* ends first or *timeout* passes."""
    end = time.monotonic() + timeout
    while not check():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"notify ended ({proc.returncode}) before {what}: {out}{err}")
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def message_ids(handler: Handler) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in handler.received:
        out.setdefault(m.rcpt_tos[0], []).append(str(m.msg["Message-ID"]).strip())
    return out


# --- servers that hold their reply ----------------------------------------------------------


@dataclass
class HoldingHandler(Handler):
    """Keeps the first message (it has arrived) but holds back its 250 until released."""

    hold: int = 1
    got: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if self.hold > 0:
            self.hold -= 1
            self.got.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return reply


LOCKER = """\
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@dataclass
class LockingHandler(Handler):
    """On the first message, has a second process take the store's write lock and hold
    it for *seconds*, then answers 250: the sender must record the mail meanwhile."""

    db: Path = Path()
    seconds: float = 7.0
    locker: subprocess.Popen[str] | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if self.locker is None:
            self.locker = subprocess.Popen(
                [sys.executable, "-c", LOCKER, str(self.db), str(self.seconds)],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self.locker.stdout is not None
            assert self.locker.stdout.readline() == "locked\n"
        return reply


# --- 1. the write lock held past the busy timeout while sending --------------------------------


def test_a_lock_held_7_s_while_sending_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    handler = LockingHandler()
    with smtp_server(handler) as (_, port):
        ws = make_ws(tmp_path, port)
        handler.db = db_of(ws)
        proc = gaoxin(ws, "notify")
        out, err = proc.communicate(timeout=120)
        assert handler.locker is not None and handler.locker.wait(timeout=30) == 0
        assert proc.returncode == 0, err
        # every mail was tried and reported, the first one recorded after the wait
        assert out.splitlines()[-1] == "邮件：应发 6 封，已发送 6 封"
        waits = [line for line in err.splitlines() if line.startswith("状态库正被另一个进程写入")]
        assert waits, err
        assert "等待记录" in waits[0]
        assert len(delivered(ws)) == 10
        # the next run sends nothing: each recipient got exactly one mail
        code, out, err = notify(ws, DAY)
        assert code == 0, err
    assert Counter(m.rcpt_tos[0] for m in handler.received) == dict.fromkeys(RECIPIENTS, 1)


# --- 2. outbox: a kill between writing the file and recording it --------------------------------


def test_outbox_killed_between_the_file_and_its_record_leaves_one_file(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, free_port())  # nobody listens: the notices are filed, not mailed
    assert notify(ws, DAY)[0] == 1
    assert len(filed(ws)) == 5 and delivered(ws) == []
    box = tmp_path / "outbox"
    holder = sqlite3.connect(db_of(ws), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock: recording must wait
        proc = gaoxin(ws, "notify", "--outbox", str(box))
        # The first file is in place and its record waits for the lock: kill it there.
        wait_for(lambda: any(box.glob("*.eml")), proc, "the first .eml file")
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        (first,) = box.glob("*.eml")
        inode = first.stat().st_ino
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert delivered(ws) == []  # the kill came before the record
    code, _, err = notify(ws, DAY, "--outbox", str(box))
    assert code == 0, err
    files = sorted(box.glob("*.eml"))
    assert len(files) == 6
    assert first.stat().st_ino == inode  # kept, not written again
    assert [p.name for p in box.iterdir() if p.name.startswith(".")] == []  # no leftovers
    to = [
        str(email.message_from_bytes(f.read_bytes(), policy=policy.default)["To"]).split("<")[1]
        for f in files
    ]
    assert sorted(t.rstrip(">") for t in to) == RECIPIENTS
    with Store.open(db_of(ws), write=False) as st:
        recorded = {d.message_id for ds in deliveries(st).values() for d in ds}
    assert recorded == {f"outbox:{f.name}" for f in files}
    assert notify(ws, DAY, "--outbox", str(box))[0] == 0
    assert len(list(box.glob("*.eml"))) == 6


# --- 3. a kill after the server took the mail, before the record --------------------------------


def test_a_kill_after_the_servers_250_resends_the_same_message_id(tmp_path: Path) -> None:
    handler = HoldingHandler()
    with smtp_server(handler) as (_, port):
        ws = make_ws(tmp_path, port)
        proc = gaoxin(ws, "notify")
        wait_for(handler.got.is_set, proc, "the first message at the server")
        proc.send_signal(signal.SIGKILL)  # the server has the mail; gaoxin recorded nothing
        proc.wait(timeout=30)
        handler.release.set()
        assert len(handler.received) == 1 and delivered(ws) == []
        (first,) = handler.received
        code, out, err = notify(ws, DAY)
        assert code == 0, err
        assert out.splitlines()[-1] == "邮件：应发 6 封，已发送 6 封"
    ids = message_ids(handler)
    again = first.rcpt_tos[0]
    assert {r: len(v) for r, v in ids.items()} == {r: 2 if r == again else 1 for r in RECIPIENTS}
    # the duplicate is the same message: one Message-ID, the one recorded
    assert len(set(ids[again])) == 1
    with Store.open(db_of(ws), write=False) as st:
        recorded = {
            d.message_id for ds in deliveries(st).values() for d in ds if d.recipient == again
        }
        meant = intents(st, date(2020, 6, 24))
    assert recorded == {ids[again][0]}
    assert len(meant) == 6 and ids[again][0] in {i.message_id for i in meant.values()}
    # every other mail kept a Message-ID of its own
    assert len({v[0] for v in ids.values()}) == 6


# --- 4. no password in clear ----------------------------------------------------------------------


@dataclass
class AuthLog:
    tries: list[str] = field(default_factory=list)

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        self.tries.append(mechanism)
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"duban",
            b"s3cret",
        )
        return AuthResult(success=ok, handled=False)


def validate(ws: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-C", str(ws), "validate"], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout


def test_login_in_clear_is_refused_unless_allowed(tmp_path: Path) -> None:
    auth = AuthLog()
    with smtp_server(authenticator=auth, auth_require_tls=False) as (handler, port):
        ws = make_ws(tmp_path, port, auth=True)
        cfg = ws / "gaoxin.yaml"
        allowed = cfg.read_text(encoding="utf-8")
        cfg.write_text(allowed.replace("  allow_plaintext_auth: true\n", ""), encoding="utf-8")
        env = {"GX_TEST_SMTP_PW": "s3cret"}
        code, out, err = notify(ws, DAY, env=env)
        assert (code, out) == (1, "")
        assert err.startswith(
            f"错误：mail.security 为 none，登录会以明文发送密码（邮件服务器 127.0.0.1:{port}）"
        )
        assert "allow_plaintext_auth: true" in err
        assert auth.tries == [] and handler.received == [] and filed(ws) == []
        code, text = validate(ws)
        assert code == 0
        assert "gaoxin.yaml:" in text and "W407" in text and "以明文发送密码" in text
        # said explicitly: it logs in, and validate warns every time
        cfg.write_text(allowed, encoding="utf-8")
        code, out, err = notify(ws, DAY, env=env)
        assert code == 0, err
        assert auth.tries == ["PLAIN"] and len(handler.received) == 6
        code, text = validate(ws)
        assert code == 0 and "W406" in text and "明文经过网络" in text


def test_a_server_without_auth_is_named_as_such(tmp_path: Path) -> None:
    with smtp_server() as (handler, port):  # no authenticator: no AUTH in EHLO
        ws = make_ws(tmp_path, port, auth=True)
        code, _, err = notify(ws, DAY, env={"GX_TEST_SMTP_PW": "s3cret"})
    assert code == 1
    assert f"邮件服务器 127.0.0.1:{port} 不支持登录（没有 AUTH）" in err
    assert "STARTTLS" not in err
    assert handler.received == []


# --- 5. a link planted in the outbox ------------------------------------------------------------


def test_a_symlink_planted_at_the_outbox_names_is_never_followed(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, free_port())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    box = tmp_path / "outbox"
    box.mkdir()
    # the temporary names an outbox used to write through: .<day>-<i>-<address>.eml.tmp
    planted = [
        box / f".{DAY}-{i:04d}-{r.replace('@', '_')}.eml.tmp"
        for i in range(1, 7)
        for r in RECIPIENTS
    ]
    for link in planted:
        link.symlink_to(victim)
    code, _, err = notify(ws, DAY, "--outbox", str(box))
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    files = sorted(box.glob("*.eml"))
    assert len(files) == 6 and not any(f.is_symlink() for f in files)
    # a planted link is never written through: left, or removed as a leftover of ours
    assert all(link.is_symlink() or not os.path.lexists(link) for link in planted)
    assert victim.stat().st_nlink == 1


def test_a_symlink_at_a_retried_mails_name_is_left_alone(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, free_port())
    assert notify(ws, DAY)[0] == 1  # filed; the intents (Message-IDs) are recorded
    with Store.open(db_of(ws), write=False) as st:
        meant = intents(st, date(2020, 6, 24))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    box = tmp_path / "outbox"
    box.mkdir()
    names = [outbox.file_name(date(2020, 6, 24), i.id, r) for (r, _), i in meant.items()]
    for name in names:
        (box / name).symlink_to(victim)
    code, _, err = notify(ws, DAY, "--outbox", str(box))
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert all((box / n).is_symlink() for n in names)
    written = sorted(f for f in box.glob("*.eml") if not f.is_symlink())
    assert [f.name for f in written] == sorted(n.removesuffix(".eml") + "-2.eml" for n in names)


def test_a_forged_message_id_in_the_store_never_reaches_a_header(tmp_path: Path) -> None:
    from gaoxin_cli.store.notices import record_intents

    ws = make_ws(tmp_path, free_port())
    assert notify(ws, DAY)[0] == 1
    with Store.open(db_of(ws), write=True) as st:
        meant = intents(st, date(2020, 6, 24))
        (recipient, ids), _ = next(iter(meant.items()))
        forged = "<x@gaoxin.example.org>\r\nBcc: thief@example.net"
        record_intents(st, [(forged, recipient, ids)], date(2020, 6, 24), None)
    box = tmp_path / "outbox"
    code, _, err = notify(ws, DAY, "--outbox", str(box))
    assert code == 0, err
    for f in box.glob("*.eml"):
        data = f.read_bytes()
        assert b"thief" not in data and b"Bcc" not in data
    msg = next(
        email.message_from_bytes(f.read_bytes(), policy=policy.default)
        for f in box.glob("*.eml")
        if recipient in f.name.replace("_", "@")
    )
    assert str(msg["Message-ID"]).strip().endswith("@gaoxin.example.org>")
    assert str(msg["Message-ID"]).strip() != "<x@gaoxin.example.org>"
