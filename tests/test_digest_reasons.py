"""A notice's card reasons in a mail (notify/digest.py ``reasons``): worded once a run
for the usual shape, and the same words as wording each stored message by itself, for
every shape a stored body may hold (a hand-edited or older store included)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.i18n import Lang, has
from gaoxin_cli.notify import digest
from gaoxin_cli.rules.notice_record import stored_reasons
from helpers import examples

_KEYS = st.sampled_from(
    ["card.overdue", "card.due_soon", "card.lag", "card.no_such_reason", "pstage.reply"]
)
# Values that hash alike but read differently (1, 1.0, True), text, and what JSON holds.
_VALUE = st.one_of(
    st.sampled_from([1, 1.0, True, 0, 0.0, False, None, 119, "2020-05-26", "", "{wd}"]),
    st.integers(-5, 400),
    st.lists(st.integers(0, 3), max_size=2),
)
_PARAMS = st.dictionaries(st.sampled_from(["wd", "due", "pp", "stage", "x"]), _VALUE, max_size=3)


@st.composite
def _reason(draw: st.DrawFn) -> Any:
    shape = draw(st.sampled_from(["plain"] * 6 + ["nested", "no params", "odd"]))
    key = draw(_KEYS)
    if shape == "plain":
        return {"key": key, "params": draw(_PARAMS)}
    if shape == "nested":  # a problem's stage: a message inside a message
        return {"key": key, "params": {"stage": {"key": draw(_KEYS), "params": draw(_PARAMS)}}}
    if shape == "no params":
        return {"key": key}
    return draw(st.sampled_from([{"key": 3, "params": {}}, "card.overdue", [key], {"params": {}}]))


def _plain(body: dict[str, Any], lang: Lang) -> list[str]:
    """The wording before the cache: each stored message rendered and cleaned."""
    out = []
    for m in stored_reasons(body):
        try:
            out.append(digest.clean(m.render(lang)) if has(m.key) else digest.clean(m.key))
        except (KeyError, IndexError, ValueError):
            out.append(digest.clean(m.key))
    return out


def _outcome(body: dict[str, Any], lang: Lang, words: Any) -> object:
    try:
        return words(body, lang)
    except Exception as exc:  # the same failure either way
        return type(exc)


@settings(max_examples=examples(500), deadline=None)
@given(
    reasons=st.lists(st.lists(_reason(), max_size=3), min_size=1, max_size=4),
    lang=st.sampled_from(["zh", "en"]),
)
def test_reasons_read_as_each_message_worded_by_itself(
    reasons: list[list[Any]], lang: Lang
) -> None:
    # Several bodies in a row: a reason worded before (the cache) reads the same later.
    for found in reasons:
        body = {"reasons": found}
        assert _outcome(body, lang, digest.reasons) == _outcome(body, lang, _plain)


def test_values_that_hash_alike_are_worded_apart() -> None:
    one = {"reasons": [{"key": "card.overdue", "params": {"wd": 1}}]}
    one_point_oh = {"reasons": [{"key": "card.overdue", "params": {"wd": 1.0}}]}
    assert digest.reasons(one, "en") == ["1 WD overdue"]
    assert digest.reasons(one_point_oh, "en") == ["1.0 WD overdue"]
    assert digest.reasons(one, "zh") == ["逾期 1 个工作日"]
