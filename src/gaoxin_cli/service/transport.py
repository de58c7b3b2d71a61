"""Where a ``notify`` run's mail goes: a :class:`Transport` — SMTP, an outbox directory
of ``.eml`` files, or nowhere (a dry run). ``service/notify.py`` runs them (and
re-exports them); the mechanics are ``notify/smtp.py`` and ``notify/outbox.py``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from gaoxin_cli.models import MailConfig

if TYPE_CHECKING:
    import ssl

    from gaoxin_cli.notify.message import Mail, Outgoing, Planned
    from gaoxin_cli.notify.smtp import SendResult

# Record the deliveries of mails just taken, (mail, message id) each, in one transaction.
Accepted = Callable[[Sequence[tuple["Mail", str]]], object]
# Makes a planned mail's bytes, right before it is written or sent (one at a time).
Build = Callable[["Planned"], "Outgoing"]


@runtime_checkable
class Written(Protocol):
    """A *build* that can also say where a planned mail was already written, by the
    process that built it (an outbox's file name; None: not written), and whether that
    answer has yet to come."""

    def __call__(self, p: Planned, /) -> Outgoing: ...

    def written(self, p: Planned, /) -> str | None: ...

    def waiting_for(self, p: Planned, /) -> bool: ...


class Transport(Protocol):
    """Where a run's mail goes."""

    @property
    def dry(self) -> bool:
        """True when the run only shows what it would do: no notice is filed, no
        delivery recorded, no mail sent."""
        ...

    def mail_settings(self, mail: MailConfig | None) -> MailConfig:
        """The mail settings messages are built with, from gaoxin.yaml's *mail*; raises
        :class:`~gaoxin_cli.errors.GaoxinError` when this transport cannot work with them."""
        ...

    def send(
        self,
        mails: Sequence[Planned],
        mail: MailConfig,
        today: date,
        accepted: Accepted,
        still_due: Callable[[Mail], bool],
        build: Build,
    ) -> SendResult:
        """Deliver *mails* (planned on *today* with *mail*; *build* makes each one's bytes
        right before it goes, and it is dropped after), calling *accepted* with what
        was taken and the message ids to record — SMTP right after each mail, an outbox
        a few files at a time; *still_due* says whether a mail is still to be sent
        (False: another run delivered it meanwhile)."""
        ...


def stand_in_mail(mail: MailConfig | None) -> MailConfig:
    """gaoxin.yaml's mail settings, or a stand-in sender when there are none (a dry run,
    an outbox or a robots-only run needs no server)."""
    return STAND_IN_MAIL if mail is None else mail


# What ``MailConfigSpec(host="localhost", sender="notify@gaoxin.invalid")`` validates to
# (tests/test_service_escalation.py holds the two equal), made here as the record itself: the
# spec module would import pydantic and build every model of the plan format, ~0.2 s of
# a run that needs neither (an outbox, a dry run or a robots-only run without ``mail:``).
STAND_IN_MAIL = MailConfig(
    host="localhost",
    port=587,
    security="starttls",
    sender="notify@gaoxin.invalid",
    sender_name=None,
    username=None,
    password_env="GAOXIN_SMTP_PASSWORD",
    timeout_s=30,
    allow_plaintext_auth=False,
)


@dataclass(frozen=True, slots=True)
class SmtpTransport:
    """Send over SMTP as gaoxin.yaml's ``mail`` says (``notify/smtp.py``), logging in
    with *password* when a user name is set (the CLI reads it from the environment)."""

    password: str | None = None
    context: ssl.SSLContext | None = None  # tests trust their own certificate

    @property
    def dry(self) -> bool:
        return False

    def mail_settings(self, mail: MailConfig | None) -> MailConfig:
        from gaoxin_cli.errors import GaoxinError

        if mail is None:
            raise GaoxinError("error.mail_not_configured")
        if mail.username and mail.security == "none" and not mail.allow_plaintext_auth:
            # The password would cross the network in clear: only when gaoxin.yaml says so.
            raise GaoxinError("error.mail_plaintext_auth", server=f"{mail.host}:{mail.port}")
        if mail.username and not self.password:
            raise GaoxinError("error.mail_no_password", env=mail.password_env)
        return mail

    def send(
        self,
        mails: Sequence[Planned],
        mail: MailConfig,
        today: date,
        accepted: Accepted,
        still_due: Callable[[Mail], bool],
        build: Build,
    ) -> SendResult:
        from gaoxin_cli.notify.smtp import send

        return send(
            mails,
            mail,
            self.password,
            lambda m: accepted([(m, m.message_id)]),
            still_due=still_due,
            context=self.context,
            build=build,
        )


@dataclass(frozen=True, slots=True)
class OutboxTransport:
    """Write each mail as an ``.eml`` file into *directory* (``notify/outbox.py``: one
    file per mail even when a run is killed); its delivery is recorded as
    ``outbox:<file name>``, once the file is in place. The notify lock is held, so no other
    run can deliver the same mail meanwhile: *still_due* is not asked.

    The first delivery is recorded at once (a store that is locked or refuses writes
    shows at the first file), the others together, every *every_s* seconds and at the
    end: each commit rewrites the index pages its deliveries touch, ~1,800 random ones
    for one digest of a 100,000-task first run. A kill before a record leaves files the
    next run finds again (their intent names them, their Message-ID proves them) and
    records without writing them again. While it waits for a second process to write a
    mail (service/mail_ahead.py), what was written is recorded if the last record is
    *idle_s* seconds old: the wait is used, and a child behind does not make a commit of
    every mail."""

    directory: Path
    every_s: float = 0.5
    clock: Callable[[], float] = time.monotonic
    idle_s: float = 0.1

    @property
    def dry(self) -> bool:
        return False

    def mail_settings(self, mail: MailConfig | None) -> MailConfig:
        return stand_in_mail(mail)

    def send(
        self,
        mails: Sequence[Planned],
        mail: MailConfig,
        today: date,
        accepted: Accepted,
        still_due: Callable[[Mail], bool],
        build: Build,
    ) -> SendResult:
        from gaoxin_cli.errors import GaoxinError
        from gaoxin_cli.i18n import Msg
        from gaoxin_cli.notify import outbox
        from gaoxin_cli.notify.smtp import SendResult

        result = SendResult()
        waiting: list[tuple[Mail, str]] = []  # written, not yet recorded
        last: float | None = None  # when deliveries were last recorded

        def flush(upto: int) -> bool:
            nonlocal last
            try:
                if waiting:
                    accepted(waiting)
            except GaoxinError as exc:  # written, but the store cannot record them
                result.fatal = Msg("notify.fail_record", email=waiting[0][0].recipient, why=exc.msg)
                result.unsent = [o.recipient for o in mails[upto:]]
                return False
            waiting.clear()
            last = self.clock()
            return True

        # Mails a second process writes (service/mail_ahead.py): each checked. What
        # was written before is recorded while it has yet to tell of the next one.
        ahead = build if isinstance(build, Written) else None
        for i, m in enumerate(mails):
            try:
                if (
                    ahead is not None
                    and waiting
                    and (last is None or self.clock() - last >= self.idle_s)
                    and ahead.waiting_for(m)
                    and not flush(i)
                ):
                    break
                name = ahead.written(m) if ahead is not None else None
                if name is None or not outbox.holds(self.directory, name, m.message_id):
                    name = outbox.write(self.directory, today, build(m))  # then dropped
            except GaoxinError as exc:
                if flush(i):
                    result.fatal = exc.msg
                    result.unsent = [o.recipient for o in mails[i:]]
                break
            result.sent.append(m.recipient)
            waiting.append((m, f"outbox:{name}"))
            if (last is None or self.clock() - last >= self.every_s) and not flush(i + 1):
                break
        else:
            flush(len(mails))
        return result


@dataclass(frozen=True, slots=True)
class DryRun:
    """Show what would be filed and mailed; write and send nothing."""

    @property
    def dry(self) -> bool:
        return True

    def mail_settings(self, mail: MailConfig | None) -> MailConfig:
        return stand_in_mail(mail)

    def send(
        self,
        mails: Sequence[Planned],
        mail: MailConfig,
        today: date,
        accepted: Accepted,
        still_due: Callable[[Mail], bool],
        build: Build,
    ) -> SendResult:
        from gaoxin_cli.notify.smtp import SendResult

        return SendResult()
