"""Messages of the month: ranking, flag, bulletin."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
