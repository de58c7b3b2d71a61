"""Checks shared by the commands' options: units and leaders by id or name, known
pillar ids (with a "did you mean" hint) and the task filters of ``status`` and
``overdue``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.strings import did_you_mean

if TYPE_CHECKING:
    from gaoxin_cli.models import Config, Plan
    from gaoxin_cli.rules.filters import Filters

# Card names as users type them: English, or the Chinese words on the cards.
LEVEL_WORDS = {
    "none": 0,
    "blue": 1,
    "yellow": 2,
    "red": 3,
    "accountability": 4,
    "无": 0,
    "蓝": 1,
    "蓝牌": 1,
    "黄": 2,
    "黄牌": 2,
    "红": 3,
    "红牌": 3,
    "问责": 4,
}


def known(kind: str, value: str, choices: Iterable[str]) -> None:
    """Refuse an unknown id (a pillar's), suggesting the closest one."""
    options = list(choices)
    if value not in options:
        hint = did_you_mean(value, options)
        raise GaoxinError(f"error.unknown_{kind}", **{kind: value}, hint=hint)


def unit(config: Config, value: str | None) -> str | None:
    """The id of the unit *value* names (id, short or full name); None stays None."""
    from gaoxin_cli.models.names import unit_id

    return None if value is None else unit_id(config, value)


def units(config: Config, values: Iterable[str] | None) -> list[str]:
    """The ids of the units *values* name, in order, each once."""
    from gaoxin_cli.models.names import unit_id

    return list(dict.fromkeys(unit_id(config, v) for v in values or ()))


def leader(config: Config, value: str | None) -> str | None:
    """The id of the leader *value* names (id or name); None stays None."""
    from gaoxin_cli.models.names import leader_id

    return None if value is None else leader_id(config, value)


def leaders(config: Config, values: Iterable[str] | None) -> list[str]:
    """The ids of the leaders *values* name, in order, each once."""
    from gaoxin_cli.models.names import leader_id

    return list(dict.fromkeys(leader_id(config, v) for v in values or ()))


def levels(cards: Iterable[str]) -> frozenset[int]:
    out = set()
    for c in cards:
        word = c.strip().lower()
        if word not in LEVEL_WORDS:
            raise UsageError("error.bad_card", value=c)
        out.add(LEVEL_WORDS[word])
    return frozenset(out)


def task_filters(
    plan: Plan,
    unit_names: list[str] | None,
    pillar: str | None,
    cards: list[str] | None,
    leader_names: list[str] | None,
    listed: bool,
) -> Filters:
    """The checked filters of ``--unit``, ``--pillar``, ``--card``, ``--leader``, ``--listed``
    (units and leaders by id or name, kept as ids)."""
    from gaoxin_cli.models import pillar_paths
    from gaoxin_cli.rules.filters import Filters

    cfg = plan.config
    unit_ids = units(cfg, unit_names)
    leader_ids = leaders(cfg, leader_names)
    if pillar is not None:
        known("pillar", pillar, pillar_paths(cfg.pillars))
    return Filters(frozenset(unit_ids), pillar, levels(cards or ()), frozenset(leader_ids), listed)
