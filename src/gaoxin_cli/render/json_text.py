"""The text of every ``--json`` output: indented by two spaces, UTF-8 text as is — what
``json.dumps(doc, ensure_ascii=False, indent=2)`` writes, made by orjson.

With ``indent`` the standard library encodes in Python, one generator step per value:
``status --json`` on a city's plan (100,000 tasks, 55 MB of JSON) took 2.5 s in
``json.dumps`` and peaked at 608 MiB, most of it the ~10 million pieces joined at the
end. orjson writes the same bytes in C (0.11 s; 0.43 s with the checks below and the
decode).

The two differ only where orjson writes a float otherwise (``1e16`` for ``1e+16``,
``1e-7`` for ``1e-07``, ``0.00001`` for ``1e-05``): any text that looks like one of
those — in a number or anywhere in a string — and anything orjson refuses (a key that
is not text, an integer past 64 bits, a type it does not know) is written by
``json.dumps`` instead. tests/test_json_text.py holds the two equal on generated
documents and every float magnitude. A NaN or infinity, which nothing in gaoxin
produces, would be ``null`` (valid JSON) rather than ``NaN``.
"""

from __future__ import annotations

import json
import re

import orjson

# A float orjson may write otherwise than json.dumps: an exponent (orjson writes a small
# "e", then "-" or a digit), or 4+ zeros after the point (json.dumps switches to an
# exponent below 1e-4). Two searches: one pattern with both takes ~9 times as long
# (55 MB: 0.1 s and 0.05 s, where the one pattern took 0.95 s).
_EXPONENT = re.compile(rb"e[-+\d]")
_ZEROS = b".0000"


def indented(doc: object) -> str:
    """*doc* as indented JSON text with a final newline (see the module)."""
    try:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        data = None
    if data is not None and _ZEROS not in data and _EXPONENT.search(data) is None:
        return data.decode() + "\n"
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
