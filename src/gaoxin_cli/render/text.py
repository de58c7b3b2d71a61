"""Plain-text safety: user text never carries terminal control codes to the screen."""

from __future__ import annotations

import re

from gaoxin_cli.strings import CONTROL, CONTROL_MULTILINE


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, multiline: bool = False) -> str:
    """*text* with every control character shown as a visible escape (``\\x1b``): the
    characters of :data:`gaoxin_cli.strings.CONTROL_CHARS`, tab and LF kept when
    *multiline*."""
    s = str(text)
    if s.isprintable():  # every character escaped below is non-printable: nothing to do
        return s
    return (CONTROL_MULTILINE if multiline else CONTROL).sub(_escape, s)
