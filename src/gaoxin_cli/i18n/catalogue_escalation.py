"""Messages of the escalation ladder: overdue, notify, notice, listed, extend."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
