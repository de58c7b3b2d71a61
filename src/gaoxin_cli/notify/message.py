"""The MIME message of a digest: plain text plus an HTML alternative, UTF-8, base64.

Headers come only from checked values: addresses must match the conservative pattern
gaoxin.yaml is validated with (re-checked here, since a recipient list is read back from
the database), display names and the subject pass through :func:`~.digest.clean` (no CR,
LF or other control character) and are encoded and folded by :mod:`email.headerregistry`
(``policy.SMTP``). A title or a unit name can never end a header or add one: user text
only ever reaches the base64 bodies.

The two bodies are base64-encoded in one call each and framed by hand
(``multipart/alternative`` with a boundary that cannot occur in base64): the generic
generator of :mod:`email` walks every line in Python and took longer than everything
else together for a 10,000-task first run.
"""

from __future__ import annotations

import binascii
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from gaoxin_cli.i18n import Lang
from gaoxin_cli.models import EMAIL_PATTERN, Config, MailConfig
from gaoxin_cli.notify.digest import Digest, EntryCache, bodies, clean, reply_to

_EMAIL = re.compile(EMAIL_PATTERN)
_POLICY = policy.SMTP
# A Message-ID read back from the database (an intent) is used only in this shape.
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,200}@[A-Za-z0-9.-]{1,253}>")


def valid_address(addr: str) -> bool:
    return len(addr) <= 254 and _EMAIL.fullmatch(addr) is not None


@dataclass(frozen=True, slots=True)
class Mail:
    """One mail of a run, its bytes aside: its single recipient, the notices it carries,
    its Message-ID and (once recorded) its intent."""

    recipient: str
    notice_ids: tuple[int, ...]
    message_id: str
    intent: int | None = field(default=None, kw_only=True)  # its row in mail_intents


@dataclass(frozen=True, slots=True)
class Planned(Mail):
    """A mail whose bytes are not built yet (:func:`build_planned` builds them right
    before it is written or sent, so a run holds one message at a time)."""

    digest: Digest


@dataclass(frozen=True, slots=True)
class Outgoing(Mail):
    """One mail ready to go: a :class:`Mail` with its bytes."""

    headers: EmailMessage  # the headers only (for display); the body is in ``data``
    text: str  # the plain-text body, as sent
    data: bytes  # the whole message, CRLF line ends

    def as_bytes(self) -> bytes:
        return self.data


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.partition("@")
    return Address(display_name=clean(name)[:120], username=local, domain=domain)


def _part(boundary: str, subtype: str, body: str) -> bytes:
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    return (
        f"--{boundary}\r\n"
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode("ascii") + base64_lines(crlf)


_LINE = 76  # base64 characters a line (57 bytes), as base64.encodebytes writes them


_BLOCK = 57 * 1024  # bytes encoded in one call: a whole number of lines


def base64_lines(data: bytes) -> bytes:
    """``base64.encodebytes(data)`` with CRLF line ends, byte for byte: encoded a block
    of 1,024 lines at a time, then cut into lines (encodebytes encodes each 57-byte line
    in a call of its own — half a second for the 85 MB of a 100,000-task first run)."""
    out = []
    for start in range(0, len(data), _BLOCK):
        encoded = binascii.b2a_base64(data[start : start + _BLOCK], newline=False)
        lines = [encoded[i : i + _LINE] for i in range(0, len(encoded), _LINE)]
        lines.append(b"")
        out.append(b"\r\n".join(lines))
    return b"".join(out)


def build(
    config: Config,
    mail: MailConfig,
    today: date,
    digest: Digest,
    now: datetime,
    lang: Lang = "zh",
    cache: EntryCache | None = None,
    message_id: str | None = None,
) -> Outgoing:
    """The message for *digest*. Raises ValueError for an address that fails the check
    (the caller reports it and sends nothing to it). *message_id*: the one an earlier
    try of this mail was given (its intent), so a copy that went out twice is the same
    message to every client; None: a new one."""
    check(digest, mail)
    return _build(config, mail, today, digest, now, lang, cache, message_id_for(mail, message_id))


def check(digest: Digest, mail: MailConfig) -> None:
    """Raise ValueError when the recipient's or the sender's address fails the check."""
    if not valid_address(digest.email):
        raise ValueError(digest.email)
    if not valid_address(mail.sender):
        raise ValueError(mail.sender)


def message_id_for(mail: MailConfig, message_id: str | None = None) -> str:
    """*message_id* (an earlier try's, read back from the store) when it has the shape
    gaoxin gives it, else a new one."""
    if message_id is None or _MESSAGE_ID.fullmatch(message_id) is None:
        return make_msgid(idstring="gaoxin", domain=mail.sender.partition("@")[2])
    return message_id


def planned(digest: Digest, mail: MailConfig, message_id: str | None = None) -> Planned:
    """The mail of *digest*, its bytes not built yet (ValueError: as :func:`build`)."""
    check(digest, mail)
    return Planned(digest.email, digest.notice_ids, message_id_for(mail, message_id), digest)


def build_planned(
    config: Config,
    mail: MailConfig,
    today: date,
    p: Planned,
    now: datetime,
    lang: Lang = "zh",
    cache: EntryCache | None = None,
) -> Outgoing:
    """The bytes of *p* (checked when planned): the same message :func:`build` makes
    with *p*'s Message-ID, carrying *p*'s intent."""
    out = _build(config, mail, today, p.digest, now, lang, cache, p.message_id)
    return out if p.intent is None else replace(out, intent=p.intent)


def _build(
    config: Config,
    mail: MailConfig,
    today: date,
    digest: Digest,
    now: datetime,
    lang: Lang,
    cache: EntryCache | None,
    message_id: str,
) -> Outgoing:
    words = bodies(config, today, digest, lang, cache)
    boundary = f"=_gaoxin_{secrets.token_hex(12)}"  # "=" and "_": never in base64 lines
    msg = EmailMessage(policy=_POLICY)
    sender_name = mail.sender_name or config.org.short or config.org.name
    msg["From"] = _address(sender_name, mail.sender)
    msg["To"] = _address(digest.name, digest.email)
    office = reply_to(config)  # answers go to the office, not to the sending mailbox
    if office is not None and valid_address(office[1]):
        msg["Reply-To"] = _address(*office)
    msg["Subject"] = clean(words.subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    msg["X-Auto-Response-Suppress"] = "All"
    msg["MIME-Version"] = "1.0"
    msg["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    head = b"".join(_POLICY.fold_binary(name, value) for name, value in msg.items())
    data = b"".join(
        (
            head,
            b"\r\n",
            _part(boundary, "plain", words.text),
            _part(boundary, "html", words.html),
            f"--{boundary}--\r\n".encode("ascii"),
        )
    )
    return Outgoing(digest.email, digest.notice_ids, message_id, msg, words.text, data)
