"""Messages of the task lifecycle and 问题提报: submit, review, close, cancel, problem …."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
