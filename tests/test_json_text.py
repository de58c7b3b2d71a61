"""render/json_text.py: every ``--json`` output is the text ``json.dumps(doc,
ensure_ascii=False, indent=2)`` writes, whether orjson or the standard library made it."""

from __future__ import annotations

import json
import math
import struct
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.render import json_text


def _plain(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class _NoStdlib:
    """Stands in for the json module where the fast path must not need it."""

    def dumps(self, *_: object, **__: object) -> str:
        raise AssertionError("json.dumps was used")


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_docs = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400)
@given(_docs)
def test_the_text_is_json_dumps(doc: Any) -> None:
    assert json_text.indented(doc) == _plain(doc)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_is_written_as_json_dumps_writes_it(x: float) -> None:
    assert json_text.indented({"x": x, "xs": [x, -x]}) == _plain({"x": x, "xs": [x, -x]})


def test_floats_of_every_magnitude_and_bit_pattern() -> None:
    values = [float(f"{m}e{e}") for e in range(-330, 310) for m in (1, 1.5, 9.999999999999998)]
    values = [x for x in values if math.isfinite(x)]
    values += [
        x
        for x in (
            struct.unpack("<d", struct.pack("<Q", b))[0]
            for b in range(1, 1 << 64, (1 << 64) // 5000)
        )
        if math.isfinite(x)
    ]
    values += [
        100 * d / span
        for span in (1, 3, 7, 365, 366, 4000)
        for d in range(0, span, max(1, span // 97))
    ]
    doc = {"values": values}
    assert json_text.indented(doc) == _plain(doc)


def test_a_plan_sized_document_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Percentages, dates as text, CJK text, nested lists: orjson's bytes as they are."""
    doc = {
        "as_of": "2020-11-16",
        "counts": {"none": 3, "red": 1},
        "tasks": [
            {
                "id": f"ZD-{i:05d}",
                "title": '建成新能源汽车充电站一期工程 "一号"\t\\',
                "progress": 100 * i / 7,
                "planned": 33.333333333333336,
                "lag": 0.0,
                "reasons": ["逾期 119 个工作日"] if i % 2 else [],
                "extra": {},
                "missed_report": None,
                "listed": i % 3 == 0,
            }
            for i in range(50)
        ],
    }
    expected = _plain(doc)
    monkeypatch.setattr(json_text, "json", _NoStdlib())
    assert json_text.indented(doc) == expected


class _Pair(NamedTuple):
    a: int
    b: str


@pytest.mark.parametrize(
    "doc",
    [
        {1: "a key that is not text"},
        {"big": 2**64 + 1, "small": -(2**63) - 1},
        {"pair": _Pair(1, "x"), "tuple": (1, 2)},
        {"title": "1e5 号文件", "note": "0.00001 版"},
        {"tiny": 1e-05, "huge": 1e16, "exp": 1.5e-300},
        {"x": 1e-05},
        {"x": [9.5e-05, 0.00012]},
        {"x": 1e16},
        {"x": 2.5e-07},
    ],
    ids=[
        "int key",
        "past 64 bits",
        "named tuple",
        "text like a float",
        "exponents",
        "below 1e-4",
        "around 1e-4",
        "1e16",
        "small exponent",
    ],
)
def test_what_orjson_writes_otherwise_or_refuses_goes_to_json_dumps(doc: Any) -> None:
    assert json_text.indented(doc) == _plain(doc)


def test_what_neither_can_write_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        json_text.indented({"x": object()})


def test_nan_is_null() -> None:
    """Nothing in gaoxin makes a NaN; if something did, the output stays valid JSON."""
    assert json_text.indented({"x": math.nan}) == '{\n  "x": null\n}\n'
