"""Lifecycle commands: ``submit``, ``review``, ``close``, ``cancel``, ``problem …``."""

from __future__ import annotations
