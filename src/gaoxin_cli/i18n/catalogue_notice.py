"""Messages of the working-day calendar: reading the State Council holiday notice."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
