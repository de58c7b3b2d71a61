"""Where a ``notify`` run's mail goes: a :class:`Transport` — SMTP, an outbox directory
of ``.eml`` files, or nowhere (a dry run). ``service/notify.py`` runs them (and
re-exports them); the mechanics are ``notify/smtp.py`` and ``notify/outbox.py``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import ssl

    from gaoxin_cli.models import MailConfig
    from gaoxin_cli.notify.message import Mail, Outgoing, Planned
    from gaoxin_cli.notify.smtp import SendResult

Accepted = Callable[["Mail", str], object]  # (mail, message id): record the delivery
# Makes a planned mail's bytes, right before it is written or sent (one at a time).
Build = Callable[["Planned"], "Outgoing"]


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
        right before it goes, and it is dropped after), calling *accepted* right after
        each one is taken, with the message id to record; *still_due* says whether a mail
        is still to be sent (False: another run delivered it meanwhile)."""
        ...


def stand_in_mail(mail: MailConfig | None) -> MailConfig:
    """gaoxin.yaml's mail settings, or a stand-in sender when there are none (a dry run,
    an outbox or a robots-only run needs no server)."""
    if mail is not None:
        return mail
    from gaoxin_cli.models import spec

    stand_in: MailConfig = spec.to_record(
        spec.MailConfigSpec(host="localhost", sender="notify@gaoxin.invalid")
    )
    return stand_in


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
            lambda m: accepted(m, m.message_id),
            still_due=still_due,
            context=self.context,
            build=build,
        )


@dataclass(frozen=True, slots=True)
class OutboxTransport:
    """Write each mail as an ``.eml`` file into *directory* (``notify/outbox.py``: one
    file per mail even when a run is killed); its delivery is recorded as
    ``outbox:<file name>``, once the file is in place. The notify lock is held, so no other
    run can deliver the same mail meanwhile: *still_due* is not asked."""

    directory: Path

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
        for i, m in enumerate(mails):
            try:
                name = outbox.write(self.directory, today, build(m))  # then dropped
            except GaoxinError as exc:
                result.fatal = exc.msg
                result.unsent = [o.recipient for o in mails[i:]]
                break
            result.sent.append(m.recipient)
            try:
                accepted(m, f"outbox:{name}")
            except GaoxinError as exc:  # written, but the store cannot record it
                result.fatal = Msg("notify.fail_record", email=m.recipient, why=exc.msg)
                result.unsent = [o.recipient for o in mails[i + 1 :]]
                break
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
