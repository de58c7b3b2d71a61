"""Facts about text that every layer shares, each defined once.

* **Control characters.** :data:`CONTROL_CHARS` is the one set of characters that user
  text (titles, names, notes, reasons) must never carry to a reader. Validation rejects
  them (:data:`~gaoxin_cli.models.base.TEXT_PATTERN`), the screen shows them as escapes
  (:func:`gaoxin_cli.render.text.safe`) and mail makes them spaces
  (:func:`gaoxin_cli.notify.digest.clean`), all derived from :data:`CONTROL_RANGES`, so
  the three cannot disagree. The set is:

  - C0 ``U+0000–U+001F`` and DEL ``U+007F``: terminal escapes (ESC, CSI …), CR/LF that
    would end a mail header;
  - C1 ``U+0080–U+009F``: the 8-bit forms of the same (CSI is ``U+009B``);
  - ``U+2028``/``U+2029`` (line and paragraph separator): line breaks to some readers
    and not to others, so one "line" of text is not one line everywhere;
  - Unicode's whole ``Bidi_Control`` property — ``U+061C``, ``U+200E``/``U+200F``,
    embeddings and overrides ``U+202A–U+202E``, isolates ``U+2066–U+2069``: they reorder
    what a reader sees ("Trojan Source").

  Zero-width spaces and joiners (``U+200B–U+200D``) are not in it: they hide nothing and
  move nothing, and names in some scripts need the joiners. Text that may span lines
  (notes) allows tab and LF only, see :data:`MULTILINE_ALLOWED`.

* **Progress as typed.** :func:`percent_text`: ``45``, ``45%``, ``45 ％`` all mean 45,
  on the command line (``feedback -p``) as in an imported file.

* **"Did you mean …?"** :func:`did_you_mean`, the hint under an unknown name, with one
  similarity cutoff.

Plain values, :mod:`re` and the message type only: ``models.base`` imports this and
must stay free to import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gaoxin_cli.i18n import Msg

# Inclusive code-point ranges.
CONTROL_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F),  # C0
    (0x007F, 0x009F),  # DEL, C1
    (0x061C, 0x061C),  # ARABIC LETTER MARK (Bidi_Control)
    (0x200E, 0x200F),  # LRM, RLM
    (0x2028, 0x2029),  # LINE SEPARATOR, PARAGRAPH SEPARATOR
    (0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
    (0x2066, 0x2069),  # LRI, RLI, FSI, PDI
)
CONTROL_CHARS: frozenset[str] = frozenset(
    chr(c) for lo, hi in CONTROL_RANGES for c in range(lo, hi + 1)
)
# Text that may span lines (notes, feedback) keeps these two.
MULTILINE_ALLOWED = "\t\n"


def _esc(code: int) -> str:
    # \xNN / \uNNNN read the same in Python's re, Rust's regex (pydantic) and ECMA-262
    # (the JSON Schema that editors check against).
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def control_class(allow: str = "") -> str:
    """The inside of a regex character class matching :data:`CONTROL_CHARS` except *allow*."""
    allowed = sorted(ord(c) for c in allow)
    parts: list[str] = []
    for lo, hi in CONTROL_RANGES:
        start = lo
        for cut in [a for a in allowed if lo <= a <= hi] + [hi + 1]:
            if start <= cut - 1:
                end = cut - 1
                parts.append(_esc(start) if start == end else f"{_esc(start)}-{_esc(end)}")
            start = cut + 1
    return "".join(parts)


CONTROL = re.compile(f"[{control_class()}]")
CONTROL_MULTILINE = re.compile(f"[{control_class(MULTILINE_ALLOWED)}]")

# --- did you mean ------------------------------------------------------------------------

# difflib's ratio: 2·matches / (len(a) + len(b)). 0.6 (difflib's own default) keeps the
# hints that help — a swapped or missing character in an id (JC-01 → JC-1, 0.89) or a
# unit name (住建局 → 住建委, 0.67) — and drops the ones that mislead, such as two short
# unrelated leader ids that share one letter.
CUTOFF = 0.6


def close_matches(name: str, candidates: Iterable[str], *, n: int = 1) -> list[str]:
    """Up to *n* of *candidates* most like *name*, best first."""
    import difflib

    return difflib.get_close_matches(name, list(candidates), n=n, cutoff=CUTOFF)


def did_you_mean(name: str, candidates: Iterable[str], *, n: int = 1) -> Msg | None:
    """The ``did you mean "…"?`` hint for *name*, or None when nothing is close."""
    close = close_matches(name, candidates, n=n)
    return Msg("hint.did_you_mean", name=" / ".join(close)) if close else None


def percent_text(text: str) -> float | None:
    """Progress as a person writes it — ``45``, ``45.5``, ``45%``, ``45 ％`` — or None.

    The one reading of a typed percentage: ``feedback -p`` and the events import agree.
    None for anything else (not a number, NaN, infinity); the range is checked where
    the report is, so the message names the limits.
    """
    body = text.strip().replace("％", "%").removesuffix("%").strip()
    try:
        value = float(body)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value
