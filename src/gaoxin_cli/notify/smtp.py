"""The one place that talks SMTP: :func:`send`.

One connection for the whole run (STARTTLS, implicit TLS or plain, as gaoxin.yaml says;
login only when a user name is set, with the password the CLI read from the environment).
Each digest is one ``sendmail`` to one recipient. ``on_accepted`` runs right after the
server accepted a mail — the caller records the delivery there (waiting for the store's
write lock as long as it takes), so what was accepted stays recorded whatever happens
next; should the store refuse outright (disk full …), the run stops there and says so.
A login is never sent in clear unless gaoxin.yaml says ``allow_plaintext_auth: true``.
A refused recipient or a refused message is noted and the run goes on; a dropped
connection, a timeout or a failed login ends it, and every mail not yet accepted is
reported as not sent (to be sent by the next run).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models import MailConfig
from gaoxin_cli.notify.message import Mail, Outgoing

if TYPE_CHECKING:
    import smtplib
    import ssl

M = TypeVar("M", bound=Mail)


@dataclass(frozen=True, slots=True)
class Failure:
    recipient: str
    why: Msg


@dataclass(slots=True)
class SendResult:
    sent: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)  # tried and refused
    unsent: list[str] = field(default_factory=list)  # never tried: the run ended first
    skipped: list[str] = field(default_factory=list)  # delivered by another run meanwhile
    fatal: Msg | None = None  # why the run ended early

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unsent and self.fatal is None


def _reply(code: object, text: object) -> str:
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return " ".join(f"{code} {raw}".split())[:200]


class NoAuth(Exception):
    """The server offers no AUTH, and gaoxin.yaml names a user to log in as."""


class PlaintextAuthRefused(Exception):
    """A login over ``security: none`` that gaoxin.yaml does not allow explicitly."""


def connect(
    mail: MailConfig, password: str | None, context: ssl.SSLContext | None = None
) -> smtplib.SMTP:
    """An open, greeted (and logged-in) connection; raises what smtplib raises."""
    import smtplib
    import ssl

    timeout = float(mail.timeout_s)
    server: smtplib.SMTP
    if mail.security == "ssl":
        ctx = context or ssl.create_default_context()
        server = smtplib.SMTP_SSL(mail.host, mail.port, timeout=timeout, context=ctx)
    else:
        server = smtplib.SMTP(mail.host, mail.port, timeout=timeout)
    try:
        server.ehlo()
        if mail.security == "starttls":
            server.starttls(context=context or ssl.create_default_context())
            server.ehlo()
        if mail.username:
            if mail.security == "none" and not mail.allow_plaintext_auth:
                raise PlaintextAuthRefused  # the transport refuses before this; never in clear
            if not server.has_extn("auth"):
                raise NoAuth
            server.login(mail.username, password or "")
    except BaseException:
        server.close()
        raise
    return server


def send(
    outgoing: Sequence[M],
    mail: MailConfig,
    password: str | None,
    on_accepted: Callable[[M], object],
    *,
    still_due: Callable[[M], bool] | None = None,
    context: ssl.SSLContext | None = None,
    build: Callable[[M], Outgoing] | None = None,
) -> SendResult:
    """Send every mail of *outgoing* over one connection; see the module docstring.

    *still_due* is asked right before each mail: a mail another run has delivered in the
    meantime (the store says so) is skipped rather than sent twice. *build* makes a
    mail's bytes right before it is sent (None: *outgoing* are built
    :class:`~gaoxin_cli.notify.message.Outgoing` mails); each is dropped once sent."""
    import smtplib
    import ssl

    result = SendResult()
    if not outgoing:
        return result
    where = f"{mail.host}:{mail.port}"
    try:
        server = connect(mail, password, context)
    except smtplib.SMTPAuthenticationError as exc:
        result.fatal = Msg(
            "notify.fail_auth", server=where, reply=_reply(exc.smtp_code, exc.smtp_error)
        )
    except smtplib.SMTPNotSupportedError:
        result.fatal = Msg("notify.fail_starttls", server=where)
    except NoAuth:
        result.fatal = Msg("notify.fail_no_auth", server=where)
    except PlaintextAuthRefused:
        result.fatal = Msg("error.mail_plaintext_auth", server=where)
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        result.fatal = Msg("notify.fail_connect", server=where, reason=_oserror(exc))
    if result.fatal is not None:
        result.unsent = [o.recipient for o in outgoing]
        return result
    try:
        for i, out in enumerate(outgoing):
            if still_due is not None and not still_due(out):
                result.skipped.append(out.recipient)
                continue
            data = _bytes(out, build)
            try:
                refused = server.sendmail(mail.sender, [out.recipient], data)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = exc.recipients.get(out.recipient, (0, b"refused"))
                result.failed.append(
                    Failure(out.recipient, Msg("notify.fail_refused", reply=_reply(code, text)))
                )
            except smtplib.SMTPSenderRefused as exc:
                result.failed.append(
                    Failure(
                        out.recipient,
                        Msg("notify.fail_sender", reply=_reply(exc.smtp_code, exc.smtp_error)),
                    )
                )
            except smtplib.SMTPDataError as exc:
                result.failed.append(
                    Failure(
                        out.recipient,
                        Msg("notify.fail_data", reply=_reply(exc.smtp_code, exc.smtp_error)),
                    )
                )
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                result.fatal = Msg("notify.fail_dropped", server=where, reason=_oserror(exc))
                result.unsent = [o.recipient for o in outgoing[i:]]
                break
            else:
                if out.recipient in refused:  # pragma: no cover - one recipient: raised above
                    code, text = refused[out.recipient]
                    result.failed.append(
                        Failure(out.recipient, Msg("notify.fail_refused", reply=_reply(code, text)))
                    )
                    continue
                result.sent.append(out.recipient)
                try:
                    on_accepted(out)
                except GaoxinError as exc:  # accepted, but the store cannot record it
                    result.fatal = Msg("notify.fail_record", email=out.recipient, why=exc.msg)
                    result.unsent = [o.recipient for o in outgoing[i + 1 :]]
                    break
                continue
            if getattr(server, "sock", None) is None:  # the server hung up (421 …)
                last = result.failed[-1].why.params.get("reply", "") if result.failed else ""
                result.fatal = Msg("notify.fail_dropped", server=where, reason=last)
                result.unsent = [o.recipient for o in outgoing[i + 1 :]]
                break
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return result


def _bytes(out: M, build: Callable[[M], Outgoing] | None) -> bytes:
    if build is not None:
        return build(out).as_bytes()
    if not isinstance(out, Outgoing):
        raise TypeError(f"{out!r} has no bytes and no build was given")
    return out.as_bytes()


def _oserror(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timeout"
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())[:200]
