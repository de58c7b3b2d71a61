"""签收: a unit acknowledges a notice; one left unsigned past its reply deadline warns. Pure.

A notice asks the addressed unit to acknowledge it (签收: by phone, in the work group,
by replying to the mail) and to answer by its reply deadline; the office records the
acknowledgement (``gaoxin notice sign``). A task notice still unsigned after its reply
deadline is a reason on the task's card, at least blue (提醒) — the unit has not even
confirmed it received the notice, which is the least the ladder asks; it never pushes
a card past blue by itself, so it costs no ranking points (they count yellow and red).
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import NamedTuple, Protocol

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models.notice import SignRow, StoredNotice, signed_days


class SignedNotice(Protocol):
    """What the 签收 rules need of a filed notice."""

    @property
    def number(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def response_due(self) -> date | None: ...
    @property
    def signed_on(self) -> date | None: ...


class Unsigned(NamedTuple):
    """A task's notices unsigned past their reply deadline: the oldest, and how many."""

    number: str
    response_due: date
    total: int


def overdue_unsigned(notices: Iterable[SignedNotice], today: date) -> Unsigned | None:
    """The notices filed by *today*, not signed by then, whose reply deadline is before
    *today* (the oldest deadline first), or None."""
    late = [
        n
        for n in notices
        if n.response_due is not None
        and n.response_due < today
        and n.issued_on <= today
        and (n.signed_on is None or n.signed_on > today)
    ]
    if not late:
        return None
    first = min(late, key=lambda n: (n.response_due or date.max, n.issued_on))
    return Unsigned(first.number, first.response_due or date.max, len(late))


def unsigned_reason(unsigned: Unsigned, today: date, calendar: WorkCalendar) -> Msg:
    """The card reason: 交办〔2020〕1号 unsigned, reply deadline passed N working days ago."""
    wd = calendar.workdays_between(unsigned.response_due, today)
    key = "card.unsigned" if unsigned.total == 1 else "card.unsigned_more"
    return Msg(
        key,
        number=unsigned.number,
        deadline=unsigned.response_due.isoformat(),
        wd=wd,
        total=unsigned.total,
    )


def waiting_wd(issued_on: date, today: date, calendar: WorkCalendar) -> int:
    """Working days a notice filed on *issued_on* has waited for its 签收 by *today*."""
    return calendar.workdays_between(issued_on, today) if today > issued_on else 0


class SignOutcome(NamedTuple):
    """What ``notice sign`` does: *row* to append (None: nothing, it was already so)."""

    row: SignRow | None
    signed_on: date | None  # the notice's 签收 day after it (None: unsigned)
    already: bool  # signing a signed notice (or withdrawing an unsigned one) changed nothing


def sign(
    notice_id: int,
    number: str,
    addressed: str | None,
    issued_on: date,
    rows: Sequence[SignRow],
    *,
    unit: str | None,
    at: date,
    today: date,
    withdraw: bool = False,
    reason: str | None = None,
    unit_name: Callable[[str], str] = str,
) -> SignOutcome:
    """Check a 签收 (or, *withdraw*, its withdrawal) of a notice against its *rows* so far.

    The signing unit must be the one the notice is addressed to; the day may be neither
    after *today* nor before the notice was filed, nor before its last record (a sign
    dated before a withdrawal would be undone by it). Signing a signed notice, or
    withdrawing an unsigned one's 签收, records nothing and says so.
    """
    current = signed_days([r for r in rows if r.at <= today]).get(notice_id)
    if unit is not None and addressed is not None and unit != addressed:
        raise GaoxinError(
            "error.sign_wrong_unit",
            number=number,
            unit=unit_name(unit),
            addressed=unit_name(addressed),
        )
    if withdraw:
        if not (reason or "").strip():
            raise GaoxinError("error.sign_withdraw_reason")
        if current is None:
            return SignOutcome(None, None, True)
        row = SignRow(notice_id, "withdraw", unit, today, reason.strip() if reason else None)
        return SignOutcome(row, None, False)
    if at > today:
        raise GaoxinError("error.sign_future", at=at.isoformat(), today=today.isoformat())
    if at < issued_on:
        raise GaoxinError(
            "error.sign_before_issue",
            number=number,
            at=at.isoformat(),
            issued=issued_on.isoformat(),
        )
    if current is not None:
        return SignOutcome(None, current, True)
    last = max((r.at for r in rows), default=None)
    if last is not None and at < last:
        raise GaoxinError(
            "error.sign_before_last", number=number, at=at.isoformat(), last=last.isoformat()
        )
    return SignOutcome(SignRow(notice_id, "sign", unit or addressed, at), at, False)


class Waiting(NamedTuple):
    """A notice waiting for its 签收: how long, and whether past its reply deadline."""

    notice: StoredNotice
    waited_wd: int  # working days since it was filed
    late: bool  # its reply deadline has passed


def waiting(
    notices: Iterable[StoredNotice],
    today: date,
    calendar: WorkCalendar,
    keep: Callable[[str], bool] | None = None,
) -> list[Waiting]:
    """The notices filed by *today* and not signed by then (of the subjects *keep*
    accepts), the longest waiting first (in the order they were filed)."""
    waited: dict[date, int] = {}  # thousands of notices, filed on a few hundred days
    out = []
    for n in notices:
        if n.issued_on > today or (n.signed_on is not None and n.signed_on <= today):
            continue
        if keep is not None and not keep(n.subject):
            continue
        wd = waited.get(n.issued_on)
        if wd is None:
            wd = waited[n.issued_on] = waiting_wd(n.issued_on, today, calendar)
        late = n.response_due is not None and n.response_due < today
        out.append(Waiting(n, wd, late))
    out.sort(key=lambda w: (w.notice.issued_on, w.notice.id or 0))  # filed first
    return out
