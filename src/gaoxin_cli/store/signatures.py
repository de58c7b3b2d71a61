"""签收 in the store: the ``notice_signs`` table (m008), append-only.

A row records that the addressed unit acknowledged a notice on a day (``sign``), or
that such a record was withdrawn (``withdraw``, with a reason). The fold of the rows
into "signed on D" is :func:`gaoxin_cli.models.notice.signed_days`; the checks on a new
record are in :mod:`gaoxin_cli.rules.signing`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from gaoxin_cli.models.notice import SignRow, signed_days
from gaoxin_cli.store.core import Store

_SELECT = "SELECT notice_id, action, unit, at, reason, id FROM notice_signs"


def _row(r: tuple[object, ...]) -> SignRow:
    notice_id, action, unit, at, reason, id_ = r
    return SignRow(
        int(str(notice_id)),
        str(action),
        None if unit is None else str(unit),
        date.fromisoformat(str(at)),
        None if reason is None else str(reason),
        int(str(id_)),
    )


def sign_rows(
    store: Store, *, notice_ids: Collection[int] | None = None, as_of: date | None = None
) -> list[SignRow]:
    """The 签收 rows (of *notice_ids*; dated on or before *as_of*), by ``(at, id)``."""
    where: list[str] = []
    params: list[object] = []
    if notice_ids is not None:
        where.append(f"notice_id IN ({', '.join('?' for _ in notice_ids)})")
        params.extend(notice_ids)
    if as_of is not None:
        where.append("at <= ?")
        params.append(as_of.isoformat())
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    return [_row(r) for r in store.query(f"{_SELECT}{cond} ORDER BY at, id", params)]


def signed(store: Store, as_of: date) -> dict[int, date]:
    """The day each notice signed as of *as_of* was signed, by notice id."""
    return signed_days(sign_rows(store, as_of=as_of))


def record(store: Store, row: SignRow, recorded_at: str) -> int:
    """Append *row* (call it inside :meth:`Store.transaction`); its new id."""
    return store.insert(
        "INSERT INTO notice_signs (notice_id, action, unit, at, reason, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (row.notice_id, row.action, row.unit, row.at.isoformat(), row.reason, recorded_at),
    )
