"""Plain-text safety: user text never carries terminal control codes to the screen."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC, CSI, OSC …), DEL, bidi embeddings/overrides/isolates, and
# the zero-width / line-separator characters that can hide or move text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, multiline: bool = False) -> str:
    """*text* with every control character shown as a visible escape (``\\x1b``)."""
    s = str(text)
    if s.isprintable():  # every character escaped below is non-printable: nothing to do
        return s
    return (_UNSAFE if multiline else _UNSAFE_LINE).sub(_escape, s)
