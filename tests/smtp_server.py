"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port), started and
stopped by each test that asks for it: what arrived (envelope recipients, the decoded
message), with refusals, hang-ups and a slow server on demand."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    msg: EmailMessage

    @property
    def text(self) -> str:
        part = self.msg.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]

    @property
    def html(self) -> str:
        part = self.msg.get_body(preferencelist=("html",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_after: int | None = None  # hang up (no reply) on the message after this many
    delay: float = 0.0
    seen: int = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.seen += 1
        if self.drop_after is not None and self.seen > self.drop_after:
            assert server.transport is not None
            server.transport.close()
            return "421 4.3.0 going away"
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), msg))
        return "250 2.0.0 OK"

    def to(self) -> list[str]:
        return sorted(r for m in self.received for r in m.rcpt_tos)

    def by_rcpt(self, addr: str) -> Received:
        (found,) = [m for m in self.received if addr in m.rcpt_tos]
        return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(handler: Handler | None = None, **kwargs: Any) -> Iterator[tuple[Handler, int]]:
    """A started server and its port; stopped on exit. *handler*: a subclass with its own
    behaviour (default: a plain :class:`Handler`); *kwargs* go to the Controller."""
    handler = handler or Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
