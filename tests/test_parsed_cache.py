"""The YAML data of plan files kept between runs by text (loading/parsed.py).

Every test loads a generated workspace with problems in it (a schema error, a YAML
error, an id used twice across files) with the cache and without, and holds the two
equal: the same tasks, diagnostics and files. Which texts were parsed is seen by
counting the fast reader's calls.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gaoxin_cli.loading import parsed, yamlstrict
from gaoxin_cli.loading.workspace import Loaded, load
from gaoxin_cli.models.spec import to_record
from helpers import bench_module, run

FILES = 8


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    gen = bench_module("gen")
    root = tmp_path / "ws"
    gen.write_workspace(root, gen.Spec(tasks=160, files=FILES, units=6, seed=3))
    plans = _plans(root)
    text = plans[1].read_text(encoding="utf-8")
    plans[1].write_text(text.replace("    title:", "    progress: 250\n    title:", 1), "utf-8")
    first = next(ln for ln in plans[0].read_text(encoding="utf-8").splitlines() if "- id:" in ln)
    text = plans[5].read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, ln in enumerate(text) if "- id:" in ln)
    text[at] = first + "\n"  # the first file's first id, again
    plans[5].write_text("".join(text), encoding="utf-8")
    plans[6].write_text("tasks: [\n  - {id: 1\n", encoding="utf-8")  # not YAML
    return root


def _plans(root: Path) -> list[Path]:
    return sorted((root / "plans").glob("*.yaml"))


@pytest.fixture
def parsed_texts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts the fast reader read (this process only)."""
    seen: list[str] = []
    real = yamlstrict._parse_fast

    def counted(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(yamlstrict, "_parse_fast", counted)
    yield seen


def _summary(loaded: Loaded) -> dict[str, Any]:
    return {
        "files": loaded.files,
        "diagnostics": loaded.diagnostics,
        "entries": [(e.path, e.index, to_record(e.task)) for e in loaded.entries],
    }


def _kept(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("yaml-*.pickle"))


def test_the_second_read_parses_nothing_and_finds_the_same(
    ws: Path, tmp_path: Path, parsed_texts: list[str]
) -> None:
    cache = tmp_path / "yaml"
    plain = _summary(load(ws, jobs=1))
    assert any(d.code == "X201" or d.severity == "error" for d in plain["diagnostics"])
    parsed_texts.clear()
    assert _summary(load(ws, jobs=1, cache=cache)) == plain
    # Every plan file and gaoxin.yaml's fast pass ran; the files without a diagnostic
    # were kept (not the one that is not YAML: the fast pass gives up on it).
    assert len(parsed_texts) == FILES + 1
    assert len(_kept(cache)) == FILES - 1
    parsed_texts.clear()
    assert _summary(load(ws, jobs=1, cache=cache)) == plain
    assert len(parsed_texts) == 2  # gaoxin.yaml (not kept) and the file that is not YAML


def test_a_changed_file_alone_is_parsed_again(
    ws: Path, tmp_path: Path, parsed_texts: list[str]
) -> None:
    cache = tmp_path / "yaml"
    load(ws, jobs=1, cache=cache)
    plan = _plans(ws)[3]
    text = plan.read_text(encoding="utf-8").replace("    title:", "    title: 改过的", 1)
    plan.write_text(text, encoding="utf-8")
    parsed_texts.clear()
    got = _summary(load(ws, jobs=1, cache=cache))
    assert text in parsed_texts and len(parsed_texts) == 3
    assert got == _summary(load(ws, jobs=1))


def test_the_second_process_reads_and_keeps_its_files_alike(ws: Path, tmp_path: Path) -> None:
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("the second process is forked")
    cache = tmp_path / "yaml"
    plain = _summary(load(ws, jobs=1))
    assert _summary(load(ws, jobs=2, cache=cache)) == plain
    assert len(_kept(cache)) == FILES - 1  # the child's files too
    assert _summary(load(ws, jobs=2, cache=cache, columns=True)) == plain


def test_a_damaged_or_foreign_file_is_a_miss(
    ws: Path, tmp_path: Path, parsed_texts: list[str]
) -> None:
    cache = tmp_path / "yaml"
    plain = _summary(load(ws, jobs=1, cache=cache))
    kept = sorted(cache.glob("yaml-*.pickle"))
    kept[0].write_bytes(kept[0].read_bytes()[:10])  # cut short
    with open(kept[1], "wb") as fh:  # another version's
        pickle.dump(("yaml-data|0|old", {"tasks": []}), fh)
    parsed_texts.clear()
    assert _summary(load(ws, jobs=1, cache=cache)) == plain
    assert len(parsed_texts) == 4  # those two, gaoxin.yaml and the file that is not YAML
    parsed_texts.clear()
    load(ws, jobs=1, cache=cache)
    assert len(parsed_texts) == 2  # both written again


def test_a_folder_that_cannot_be_written_costs_nothing(ws: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _summary(load(ws, jobs=1, cache=blocked / "yaml")) == _summary(load(ws, jobs=1))


def test_the_texts_read_least_recently_go_first(tmp_path: Path) -> None:
    folder = tmp_path / "yaml"
    kept = parsed.ParsedCache(folder)
    texts = [f"tasks: []\n# {i}\n" for i in range(210)]
    for i, text in enumerate(texts):
        path, data = kept.get(text)
        assert data is parsed.MISS
        kept.put(path, {"tasks": []})
        os.utime(path, (time.time() - 10_000 + i, time.time() - 10_000 + i))
    old = kept.get(texts[0])[0]
    os.utime(old, (time.time(), time.time()))  # read lately
    assert parsed.prune(folder, plans=4) == 2  # keeps 2 × 4 + 200
    assert old.exists()
    assert not kept._path(texts[1]).exists() and not kept._path(texts[2]).exists()
    assert kept.get(texts[3])[1] == {"tasks": []}


def test_a_text_read_again_after_a_day_is_touched(tmp_path: Path) -> None:
    kept = parsed.ParsedCache(tmp_path)
    path, _ = kept.get("a: 1\n")
    kept.put(path, {"a": 1})
    long_ago = time.time() - 3 * 24 * 3600
    os.utime(path, (long_ago, long_ago))
    assert kept.get("a: 1\n")[1] == {"a": 1}
    assert path.stat().st_mtime > long_ago + 24 * 3600


def test_validate_no_cache_and_the_cache_say_the_same(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAOXIN_HOME", str(tmp_path / "home"))
    first = run(ws, "validate", "--format", "json")
    again = run(ws, "validate", "--format", "json")
    plain = run(ws, "validate", "--format", "json", "--no-cache")
    assert first == again == plain
    assert first[0] == 1  # the errors are found all three times
    assert len(_kept(tmp_path / "home" / "cache" / "yaml")) == FILES - 1
