"""How a digest is put into words (notify/digest.py), held to the plain definitions:

* a notice's card reasons (``reasons``): worded once a run for the usual shape, and the
  same words as wording each stored message by itself, for every shape a stored body
  may hold (a hand-edited or older store included);
* a digest's entries (``Digest.entries``): one per task, its notices highest rung
  first, the entries by highest rung, card and task id;
* the digests (``group``): one per address, its person's main role, each notice once.
"""

from __future__ import annotations

import html
from datetime import date
from types import SimpleNamespace
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


_NOTICE = st.builds(
    SimpleNamespace,
    subject=st.sampled_from(["T-1", "T-2", "T-10", "P-3", "A"]),
    rung=st.integers(0, 4),
    issued_on=st.sampled_from([date(2020, 11, d) for d in (2, 13, 16)]),
    body=st.builds(dict, card=st.sampled_from([0, 1, 2, 3, 4, None, "3", "x", 2.0])),
    number=st.uuids().map(str),
)
_ITEM = st.builds(
    digest.Item,
    notice=_NOTICE,
    repeat=st.booleans(),
    role=st.sampled_from(["contact", "support", "head"]),
)


def _card(notice: Any) -> int:
    try:
        return int(notice.body.get("card") or 0)
    except (TypeError, ValueError):
        return 0


def _plain_entries(items: list[digest.Item]) -> list[digest.Entry]:
    """Digest.entries as it was first written."""
    tasks: dict[str, list[digest.Item]] = {}
    for i in items:
        tasks.setdefault(i.notice.subject, []).append(i)
    out = []
    for task, mine in tasks.items():
        mine = sorted(mine, key=lambda i: (-i.notice.rung, i.notice.issued_on))
        out.append(digest.Entry(task, tuple(mine), max(_card(i.notice) for i in mine)))
    out.sort(key=lambda e: (-e.items[0].notice.rung, -e.card, e.task))
    return out


@settings(max_examples=examples(500), deadline=None)
@given(items=st.lists(_ITEM, max_size=12))
def test_entries_are_the_plain_grouping_and_order(items: list[digest.Item]) -> None:
    d = digest.Digest("a@example.org", "A", "contact", "u1", items=list(items))
    made = d.entries()
    assert made == _plain_entries(items)
    assert all(type(e) is digest.Entry for e in made)


_PERSON = st.builds(
    dict,
    email=st.sampled_from(["a@x.org", " A@X.org ", "b@x.org", "", None, "c@x.org"]),
    role=st.sampled_from(["contact", "head", "leader", "support", "office_head", None]),
    name=st.sampled_from(["张三", "", None]),
    unit=st.sampled_from(["u1", "u2", None]),
)


def _plain_group(pairs: list[tuple[Any, dict[str, Any], bool]]) -> list[digest.Digest]:
    """digest.group as it was first written: each person read at each pair."""
    out: dict[str, digest.Digest] = {}
    seen: set[tuple[str, str]] = set()
    for notice, person, repeat in pairs:
        email = str(person.get("email") or "").strip().lower()
        if not email:
            continue
        role = str(person.get("role") or "")
        d = out.get(email)
        if d is None:
            name = digest.clean(person.get("name") or email)
            d = out[email] = digest.Digest(email, name, role, person.get("unit"))
        elif digest._role_rank(role) < digest._role_rank(d.role):
            d.role, d.unit = role, person.get("unit")
        if (email, notice.number) not in seen:
            seen.add((email, notice.number))
            d.items.append(digest.Item(notice, repeat, role))
    return [out[k] for k in sorted(out)]


@settings(max_examples=examples(500), deadline=None)
@given(
    people=st.lists(_PERSON, min_size=1, max_size=5),
    picks=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.booleans(), st.booleans()),
        max_size=15,
    ),
    notices=st.lists(_NOTICE, min_size=1, max_size=5),
)
def test_digests_are_the_plain_grouping(
    people: list[dict[str, Any]],
    picks: list[tuple[int, int, bool, bool]],
    notices: list[Any],
) -> None:
    """Shared person objects (as a recipient list is) and fresh copies alike; made from
    a generator too, whose fresh dicts live one step only."""
    pairs = [
        (
            notices[n % len(notices)],
            people[who % len(people)] if shared else dict(people[who % len(people)]),
            repeat,
        )
        for n, who, repeat, shared in picks
    ]
    want = _plain_group(pairs)
    fresh = ((n, dict(p), r) for n, p, r in pairs)  # each dict gone after its step
    for made in (digest.group(pairs), digest.group(fresh)):
        assert [(d.email, d.name, d.role, d.unit, d.items) for d in made] == [
            (d.email, d.name, d.role, d.unit, d.items) for d in want
        ]


# --- an entry's paragraph and its cache key --------------------------------------------

# Text an entry's parts may hold: what HTML escapes, line breaks (and the very separator
# of the plain text), CJK, and nothing at all.
_PART = st.lists(
    st.sampled_from(["a", " ", "&", "<", ">", '"', "'", "\n", "\r", "督", "；", digest._BREAK]),
    max_size=6,
).map("".join)


def _plain_page(card: int, task: str, notices: str, lines: list[str]) -> str:
    """The entry's HTML as it was first written: each part escaped by itself."""
    e = html.escape
    level = min(max(card, 0), 4)
    return (
        f'<p class="c{level}"><b>{e(task)}</b><br>{e(notices)}<br>'
        + "<br>".join([e(x) for x in lines])
        + "</p>"
    )


@settings(max_examples=examples(1000), deadline=None)
@given(card=st.integers(-1, 6), task=_PART, notices=_PART, lines=st.lists(_PART, max_size=4))
def test_an_entrys_paragraph_is_each_part_escaped(
    card: int, task: str, notices: str, lines: list[str]
) -> None:
    text = digest._BREAK.join([task, notices, *lines])
    assert digest._page(card, task, notices, lines, text) == _plain_page(card, task, notices, lines)


@settings(max_examples=examples(200), deadline=None)
@given(items=st.lists(_ITEM, min_size=1, max_size=6), lang=st.sampled_from(["zh", "en"]))
def test_a_counted_entrys_key_is_made_once_and_only_for_its_day(
    items: list[digest.Item], lang: Lang
) -> None:
    """The key a counted cache keeps for an entry is the one made afresh on the day and
    in the language it was counted for, and it is not given for any other."""
    d = digest.Digest("a@example.org", "A", "contact", "u1", items=list(items))
    day, other = date(2020, 11, 16), date(2020, 11, 17)
    cache = digest.EntryCache([d], day, lang)
    for e in d.entries():
        assert cache.key_of(e, day, lang) == digest._key(e, day, lang)
        assert cache.key_of(e, other, lang) == digest._key(e, other, lang)
        assert cache.key_of(e, day, "en" if lang == "zh" else "zh") != digest._key(e, day, lang)
    # an equal entry that is not the counted one gets its key made, the same
    for e in d.entries():
        twin = digest.Entry(e.task, tuple(e.items), e.card)
        assert cache.key_of(twin, day, lang) == digest._key(e, day, lang)


@settings(max_examples=examples(300), deadline=None)
@given(
    ids=st.lists(st.one_of(st.none(), st.integers(0, 9)), max_size=8),
    more=st.lists(st.one_of(st.none(), st.integers(0, 9)), max_size=3),
)
def test_notice_ids_are_the_plain_ones_as_items_come(
    ids: list[int | None], more: list[int | None]
) -> None:
    """Drafts (no id) left out, 0 kept, the items' order; an item added afterwards
    (as group() adds them) is in the next answer."""

    def items(values: list[int | None]) -> list[digest.Item]:
        return [digest.Item(SimpleNamespace(id=v)) for v in values]  # type: ignore[arg-type]

    d = digest.Digest("a@example.org", "A", "contact", "u1", items=items(ids))
    assert d.notice_ids == tuple(v for v in ids if v is not None)
    assert d.notice_ids is d.notice_ids  # made once
    d.items.extend(items(more))
    assert d.notice_ids == tuple(v for v in ids + more if v is not None)
