"""Checks shared by the commands' options: known ids (with a "did you mean" hint) and
the task filters of ``status`` and ``overdue``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.strings import did_you_mean

if TYPE_CHECKING:
    from gaoxin_cli.models import Plan
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
    """Refuse an unknown unit / leader / pillar id, suggesting the closest one."""
    options = list(choices)
    if value not in options:
        hint = did_you_mean(value, options)
        raise GaoxinError(f"error.unknown_{kind}", **{kind: value}, hint=hint)


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
    units: list[str] | None,
    pillar: str | None,
    cards: list[str] | None,
    leaders: list[str] | None,
    listed: bool,
) -> Filters:
    """The checked filters of ``--unit``, ``--pillar``, ``--card``, ``--leader``, ``--listed``."""
    from gaoxin_cli.models import pillar_paths
    from gaoxin_cli.rules.filters import Filters

    cfg = plan.config
    for u in units or []:
        known("unit", u, cfg.units)
    for lead in leaders or []:
        known("leader", lead, cfg.leaders)
    if pillar is not None:
        known("pillar", pillar, pillar_paths(cfg.pillars))
    return Filters(
        frozenset(units or ()), pillar, levels(cards or ()), frozenset(leaders or ()), listed
    )
