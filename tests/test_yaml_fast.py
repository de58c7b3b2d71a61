"""The strict YAML reader's fast pass (``yamlstrict._parse_fast``) against the full one.

``parse`` first reads a file without positions and falls back to the full reader at the
first thing it would have to report. These tests hold the two equal: the same data, the
same diagnostics, and — once asked — the same position for every value and key, on
generated workspaces (bench/gen.py), on every YAML file of the test corpus and on
snippets that each trip one check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.loading import yamlstrict
from gaoxin_cli.loading.yamlstrict import _FAILED, _parse_fast, _parse_marked, parse
from helpers import bench_module

ROOT = Path(__file__).resolve().parent.parent


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def assert_same(text: str) -> bool:
    """parse(text) reads as the full reader does; True if the fast pass took it."""
    doc, diags = parse(text, "f.yaml")
    full, full_diags = _parse_marked(text, "f.yaml")
    assert diags == full_diags
    if full is None:
        assert doc is None
        return False
    assert doc is not None
    fast = doc._marks is None
    assert doc.data == full.data
    assert type(doc.data) is type(full.data)
    for loc in _paths(full.data):
        assert doc.locate(loc) == full.locate(loc), loc
        assert doc.locate_key(loc) == full.locate_key(loc), loc
    assert doc.start == full.start
    assert doc.reported == full.reported
    return fast


def test_generated_workspace_reads_the_same(tmp_path: Path) -> None:
    gen = bench_module("gen")
    ws = gen.write_workspace(tmp_path / "ws", gen.Spec(tasks=300, files=4, units=8, seed=3))
    texts = [p.read_text(encoding="utf-8") for p in [ws.root / "gaoxin.yaml", *ws.plan_paths]]
    assert all(assert_same(t) for t in texts)  # every clean file takes the fast pass


CORPUS = sorted((ROOT / "tests").rglob("*.yaml")) + sorted((ROOT / "plans").rglob("*.yaml"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_reads_the_same(path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: refused before the reader")
    assert_same(text)


SNIPPETS = {
    # each trips one check of the full reader: the fast pass must give up
    "duplicate key": "a: 1\na: 2\n",
    "merge key": "a: {b: 1}\nc:\n  <<: {b: 2}\n",
    "null key": "~: 1\n",
    "empty key": ": 1\n",
    "anchor": "a: &x 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!binary aGk=\n",
    "tag on a map": "a: !!set {b}\n",
    "yes": "a: yes\n",
    "octal": "a: 0123\n",
    "sexagesimal": "a: 12:30\n",
    "underscore": "a: 1_000\n",
    "inf": "a: .inf\n",
    "long int": "a: " + "9" * 31 + "\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "container key": "? [a]\n: 1\n",
    "comma in a flow list": "a: [完成征地，主体施工]\n",
    "syntax": "a: [1, 2\n",
    "tab": "a:\n\tb: 1\n",
    "fullwidth colon": "t:\n  id: x\n  due：2027-03-31\n  b: 1\n",
    "deep": "a: " + "[" * 40 + "]" * 40 + "\n",
    "control": "a: \x1b\n",
}
CLEAN = {
    "scalars": "a: 1\nb: -2.5\nc: true\nd: null\ne: ''\nf: '0123'\ng: \"yes\"\nh: ~\ni:\n",
    "explicit str": "a: !!str 0123\nb: ! 12\n",
    "lists": "a: [1, 2, x]\nb:\n  - {c: d}\n  - - e\n    - f\n",
    "root list": "- 1\n- a: b\n",
    "root scalar": "just text\n",
    "empty": "",
    "comment only": "# nothing\n",
    "explicit document": "---\na: 1\n...\n",
    "block scalars": "a: |\n  line 1\n  line 2\nb: >\n  folded\n",
    "comma outside flow lists": "a: 完成征地，主体施工\nb:\n  - 甲，乙\n",
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_what_the_full_reader_reports_is_read_by_it(name: str) -> None:
    assert _parse_fast(SNIPPETS[name]) is _FAILED
    assert not assert_same(SNIPPETS[name])
    _, diags = parse(SNIPPETS[name], "f.yaml")
    assert diags


@pytest.mark.parametrize("name", CLEAN)
def test_clean_text_takes_the_fast_pass(name: str) -> None:
    assert assert_same(CLEAN[name]) or CLEAN[name].strip() in ("", "# nothing")


def test_positions_are_read_only_when_asked() -> None:
    doc, diags = parse("a:\n  b: [1, 2]\n", "f.yaml")
    assert doc is not None and not diags
    assert doc._marks is None and doc._source is not None
    data = doc.data
    assert doc.locate(("a", "b", 1)) == (2, 10)
    assert doc._marks is not None and doc._source is None
    assert doc.data == data and doc.data is not data  # re-read, the same data


def test_reader_module_keeps_one_entry_point() -> None:
    assert yamlstrict.parse is parse


def test_a_released_document_reads_its_data_again() -> None:
    text = "tasks:\n  - id: a\n    due: 2020-01-02\n"
    doc, _ = parse(text, "f.yaml")
    assert doc is not None
    doc.release()
    assert doc._data is None
    assert doc.data == {"tasks": [{"id": "a", "due": "2020-01-02"}]}
    assert doc.locate(("tasks", 0, "due")) == (3, 10)
    full, _ = _parse_marked(text, "f.yaml")
    assert full is not None
    full.release()  # a document read with positions keeps its data
    assert full._data is not None
