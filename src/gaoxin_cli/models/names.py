"""Units and leaders as people type them: an id, a short name or a full name.

Every option that takes a unit or a leader (``--unit``, ``--leader``, ``--by``, ``--to``
…) goes through :func:`unit_id` / :func:`leader_id`, so ``--unit 卫健``, ``--unit 卫健局``
and ``--unit weijian`` all name the same unit. An unknown name is refused with the
closest ids and names; a name two units share is refused with their ids.
"""

from __future__ import annotations

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg
from gaoxin_cli.models.records import Config
from gaoxin_cli.strings import did_you_mean


def unit_words(config: Config) -> list[str]:
    """Every word that names a unit: ids, full names, short names (for hints)."""
    words = dict.fromkeys(config.units)
    for u in config.units.values():
        words.update(dict.fromkeys(w for w in (u.name, u.short) if w))
    return list(words)


def leader_words(config: Config) -> list[str]:
    """Every word that names a leader: ids and names (for hints)."""
    words = dict.fromkeys(config.leaders)
    words.update(dict.fromkeys(p.name for p in config.leaders.values()))
    return list(words)


def unit_hint(config: Config, text: str) -> Msg | None:
    return did_you_mean(text, unit_words(config))


def leader_hint(config: Config, text: str) -> Msg | None:
    return did_you_mean(text, leader_words(config))


def ambiguous(kind: str, text: str, ids: tuple[str, ...]) -> GaoxinError:
    return GaoxinError(f"error.ambiguous_{kind}", name=text, ids=" / ".join(ids))


def find_unit(config: Config, text: str) -> str | None:
    """The id of the unit *text* names; None when none does, an error when several do."""
    ids = config.unit_ids(text)
    if len(ids) > 1:
        raise ambiguous("unit", text, ids)
    return ids[0] if ids else None


def find_leader(config: Config, text: str) -> str | None:
    """The id of the leader *text* names; None when none does, an error when several do."""
    ids = config.leader_ids(text)
    if len(ids) > 1:
        raise ambiguous("leader", text, ids)
    return ids[0] if ids else None


def unit_id(config: Config, text: str) -> str:
    """The id of the unit *text* names (id, short or full name), or a GaoxinError."""
    uid = find_unit(config, text)
    if uid is None:
        raise GaoxinError("error.unknown_unit", unit=text, hint=unit_hint(config, text))
    return uid


def leader_id(config: Config, text: str) -> str:
    """The id of the leader *text* names (id or name), or a GaoxinError."""
    lid = find_leader(config, text)
    if lid is None:
        raise GaoxinError("error.unknown_leader", leader=text, hint=leader_hint(config, text))
    return lid
