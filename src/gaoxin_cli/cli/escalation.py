"""Escalation commands: ``overdue``, ``notify``, ``notice``, ``listed``, ``extend``."""

from __future__ import annotations
