"""Messages of the working-day calendar: estimates, calendar show / check / add."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
