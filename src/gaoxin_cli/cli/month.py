"""Month-end commands: ``ranking``, ``flag``, ``bulletin``."""

from __future__ import annotations
