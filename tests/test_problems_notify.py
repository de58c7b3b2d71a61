"""A late problem's notices arrive at a local SMTP server, like a task's (gaoxin notify):
``service.notify.prepare`` puts the problems of ``rules.problem_cards.problem_subjects`` on the
ladder (``rules.problem_ladder.problem_due_notices``)."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app

MINI = Path(__file__).parent / "data" / "mini"


class Inbox:
    """What the local SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.mails.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def to(self, address: str, containing: str) -> list[EmailMessage]:
        found = []
        for rcpts, msg in self.mails:
            body = msg.get_body(preferencelist=("plain",))
            text = str(msg["Subject"]) + "\n" + (body.get_content() if body is not None else "")
            if address in rcpts and containing in text:
                found.append(msg)
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def ws(tmp_path: Path, smtp: tuple[int, Inbox]) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(MINI, target)
    port, _ = smtp
    with (target / "gaoxin.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            f"mail: {{host: 127.0.0.1, port: {port}, security: none, "
            "sender: gaoxin@duchashi.example.org, timeout_s: 10}\n"
        )
    return target


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-C", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def test_a_late_problem_is_mailed_to_whoever_must_move(ws: Path, smtp: tuple[int, Inbox]) -> None:
    _, inbox = smtp
    # 1: assigned to 财政局 on 6 May, answer due 8 May; on 13 May it is 4 WD late (yellow).
    assert run(ws, "--as-of", "2020-04-30", "problem", "report", "征地补偿款未到位")[0] == 0
    assert run(ws, "--as-of", "2020-05-06", "problem", "accept", "1")[0] == 0
    assert run(ws, "--as-of", "2020-05-06", "problem", "assign", "1", "--to", "caizheng")[0] == 0
    # 2: reported 30 April and never accepted: due 6 May, 6 WD late on 13 May (red), the
    # office's move.
    assert run(ws, "--as-of", "2020-04-30", "problem", "report", "路灯不亮")[0] == 0
    # 3: reported on 13 May: nothing is late yet.
    assert run(ws, "--as-of", "2020-05-13", "problem", "report", "井盖缺失")[0] == 0

    # overdue lists the two late problems after the tasks, with their units and filters.
    code, out, _ = run(ws, "--as-of", "2020-05-13", "overdue", "--json")
    late = json.loads(out)["problems"]
    assert code == 0 and sorted(p["number"] for p in late) == ["问题〔2020〕1号", "问题〔2020〕2号"]
    code, out, _ = run(ws, "--as-of", "2020-05-13", "overdue", "--unit", "caizheng", "--json")
    assert [p["number"] for p in json.loads(out)["problems"]] == ["问题〔2020〕1号"]
    code, out, _ = run(ws, "--as-of", "2020-05-13", "overdue", "--card", "red", "--json")
    assert [p["number"] for p in json.loads(out)["problems"]] == ["问题〔2020〕2号"]
    code, out, _ = run(ws, "--as-of", "2020-05-13", "overdue")
    assert code == 0 and "征地补偿款未到位" in out and "路灯不亮" in out and "井盖缺失" not in out

    code, _, err = run(ws, "--as-of", "2020-05-13", "notify")
    assert code == 0, err
    assert inbox.to("contact@caizheng.example.org", "问题〔2020〕1号")
    assert inbox.to("contact@duchashi.example.org", "问题〔2020〕2号")
    assert not any(
        inbox.to(addr, "问题〔2020〕3号")
        for addr in ("contact@duchashi.example.org", "contact@caizheng.example.org")
    )
    # The same day again: nothing is mailed twice.
    before = len(inbox.mails)
    code, _, err = run(ws, "--as-of", "2020-05-13", "notify")
    assert code == 0, err
    assert len(inbox.mails) == before
    # Once answered and verified, the problem leaves the ladder.
    assert run(ws, "--as-of", "2020-05-14", "problem", "answer", "1", "--note", "已拨付")[0] == 0
    assert (
        run(ws, "--as-of", "2020-05-14", "problem", "verify", "1", "--ok", "--satisfied", "yes")[0]
        == 0
    )
    before = len(inbox.to("contact@caizheng.example.org", "问题〔2020〕1号"))
    assert run(ws, "--as-of", "2020-05-25", "notify")[0] == 0
    assert len(inbox.to("contact@caizheng.example.org", "问题〔2020〕1号")) == before
