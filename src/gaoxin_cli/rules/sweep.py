"""`gaoxin sweep`: the card changes to record today, so history can show any past day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gaoxin_cli.models.state import Event
from gaoxin_cli.rules.dashboard import TaskRow


def card_changes(rows: Iterable[TaskRow], today: date, recorded_at: str | None) -> list[Event]:
    """One ``card`` event per task whose level differs from the last one recorded."""
    out = []
    for r in rows:
        level = r.assessment.card.level
        recorded = r.state.card_level
        if level == (recorded or 0) and (recorded is not None or level == 0):
            continue
        reasons = [{"key": m.key, "params": dict(m.params)} for m in r.assessment.card.reasons]
        out.append(
            Event(
                task=r.task.id,
                kind="card",
                at=today,
                data={"level": level, "reasons": reasons},
                source="sweep",
                recorded_at=recorded_at,
            )
        )
    return out
