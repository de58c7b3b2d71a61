"""Which encoding a CSV/JSONL ledger is in, decided on evidence.

Excel saves "CSV UTF-8" (with a BOM) or, on a Chinese Windows, "CSV" in the legacy code
page (GBK, read as its superset GB18030). Anything else is refused, naming ``--encoding``,
rather than decoded into garbled Chinese that would be stored for good:

* UTF-8 that decodes cleanly is UTF-8.
* Bytes that are mostly valid UTF-8 multi-byte sequences but not all are a damaged or
  mixed UTF-8 file (a stray Windows-1252 ``°`` in ``25°C``), never GB18030: GB18030
  decodes almost any byte sequence, so "it decodes" is no evidence for it.
* A legacy file is GB18030 only when the decoded text reads as simplified Chinese: nearly
  every non-ASCII character a GB2312 hanzi or punctuation mark. Big5 bytes decoded as
  GB18030 give kana, Cyrillic, private-use and rare extension characters instead, so a
  Big5 file is refused with ``--encoding big5`` suggested.

Only the first :data:`SAMPLE_BYTES` decide; the reader then decodes every line strictly,
so a bad byte further on is an error at its line, not a guess.
"""

from __future__ import annotations

import codecs
from functools import cache

from gaoxin_cli.errors import GaoxinError, UsageError

# Read up to this much to decide, or less once EVIDENCE_BYTES non-ASCII bytes are seen.
SAMPLE_BYTES = 8 * 1024 * 1024
EVIDENCE_BYTES = 64 * 1024
# A legacy guess needs this many non-ASCII characters, this share of them plausible.
MIN_CHARS = 6
PLAUSIBLE = 0.9
# Valid UTF-8 characters per invalid sequence above which the file is UTF-8 (damaged).
UTF8_MAJORITY = 2

UTF8_BOM = codecs.BOM_UTF8


def check_option(name: str) -> str:
    """The codec an ``--encoding`` names; :class:`UsageError` when there is none, or when
    it is not ASCII-compatible (a line must end at a ``\\n`` byte: UTF-16 does not)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError("error.import_encoding_unknown", encoding=name) from None
    try:
        ascii_safe = "date,\n".encode(info.name) == b"date,\n"
    except UnicodeError:  # pragma: no cover - every codec encodes ASCII or fails above
        ascii_safe = False
    if not ascii_safe:
        raise UsageError("error.import_encoding_unknown", encoding=name)
    return info.name


def decide(sample: bytes, file: str) -> str:
    """The encoding of a ledger whose first bytes are *sample* (cut at a line end, or the
    whole file); :class:`GaoxinError` when the evidence is not clear."""
    if sample.startswith(UTF8_BOM):
        return "utf-8"  # the reader drops the BOM
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    else:
        return "utf-8"
    good, bad = _utf8_evidence(sample)
    if good >= UTF8_MAJORITY * bad:
        line = sample[:first_bad].count(b"\n") + 1
        raise GaoxinError(
            "error.import_encoding_mixed",
            file=file,
            line=line,
            byte=f"0x{sample[first_bad]:02X}",
            bad=bad,
        )
    gb = _plausible(sample, "gb18030")
    big5 = _plausible(sample, "big5")
    gb_reads = gb is not None and gb[1] >= MIN_CHARS and gb[0] >= PLAUSIBLE
    if gb_reads and (big5 is None or big5[0] < PLAUSIBLE):
        return "gb18030"
    if big5 is not None and big5[1] >= MIN_CHARS and big5[0] >= PLAUSIBLE:
        raise GaoxinError("error.import_encoding_guess", file=file, encoding="big5")
    raise GaoxinError("error.import_encoding_unsure", file=file)


def _utf8_evidence(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid sequences) of *data* read as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good, bad


def _plausible(data: bytes, codec: str) -> tuple[float, int] | None:
    """(share of plausible characters, how many non-ASCII characters) of *data* decoded
    as *codec*, or None when it does not decode."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    chars = [ch for ch in text if ch > "\x7f"]
    if not chars:
        return 0.0, 0
    ok = sum(1 for ch in chars if _is_common(ch, codec))
    return ok / len(chars), len(chars)


@cache
def _is_common(ch: str, codec: str) -> bool:
    """Whether *ch* is a character ordinary text in *codec* is made of: for GB18030 a
    GB2312 hanzi (rows 0xB0–0xF7) or punctuation (rows 0xA1–0xA3); for Big5 a frequent
    hanzi (0xA440–0xC67E) or punctuation (0xA140–0xA3BF)."""
    if codec == "gb18030":
        try:
            raw = ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return len(raw) == 2 and (0xA1 <= raw[0] <= 0xA3 or 0xB0 <= raw[0] <= 0xF7)
    try:
        raw = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    if len(raw) != 2:
        return False
    code = raw[0] << 8 | raw[1]
    return 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E
