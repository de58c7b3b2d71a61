"""Property tests: no input makes the reader or ``gaoxin validate`` fall over.

Arbitrary text (control characters and lone surrogates included), arbitrary bytes and
generated YAML-ish documents go to the strict YAML reader, to ``load_plan`` /
``load_config`` and to ``gaoxin validate`` through the CLI. Whatever the input: no
exception escapes, every diagnostic has a sane position and renders in both languages,
and the command exits 0 or 1 (3 would be a bug), never printing a traceback. The reader
also keeps the shape PyYAML's own composer sees, minus the keys it refuses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.files import load_config, load_plan
from gaoxin_cli.loading.yamlstrict import parse
from helpers import examples

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2020-06-01"
CODE = re.compile(r"[YSXW]\d{3}")

FUZZ = settings(
    # GAOXIN_FUZZ_EXAMPLES=5000 for a deeper run than the default one.
    max_examples=int(os.environ.get("GAOXIN_FUZZ_EXAMPLES") or examples(200)),
    deadline=None,
    # conftest's autouse fixture is function-scoped; each example makes its own temp dir.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
runner = CliRunner()

# --- strategies ----------------------------------------------------------------------

# Every code point, control characters and lone surrogates included.
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)
# What a decoded file can hold (no surrogates), biased towards YAML punctuation.
file_text = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(list(":-[]{},#&*!|>'\"%@`?\n\t \r\ufeff\x1b\x85\u2028")),
    ),
    max_size=300,
)

NASTY = [
    "no", "on", "Off", "YES", "0123", "08", "12:30", "1:20:30.5", "1_000", "0x1F", "0o17",
    "0b101", ".inf", "-.NaN", "~", "null", "", "true", "False", "2020-02-30", "2020/03/01",
    "20200630", "2020-06-30", "2020-10-01", "2031-06-30", "1e5", "3.14", "-1", "0", "100",
    "150", "9" * 40, "jianshe", "jianshi", "caizheng", "duchashi", "L-wang", "L-wnag",
    "battles", "battles.infrastructure", "battles.x", "T-01", "T-02", "BASE-01", "a b",
    "'quoted'", '"dq \\e[31m red"', '"\\u202e rtl"', '"\\x00"', "!!binary aGk=",
    "!!python/object/apply:os.system [ls]", "!foo bar", "!!str text", "&a x", "*a", "<<",
    "[a, b", "{a: 1}", "[]", "{}", "[T-01, T-01]", "- x", "|", ">", "'", '"', "# c", "---",
    "...", "? x", ": x", "@", "`", "测试任务", "é", "\t", "%YAML 1.1",
]  # fmt: skip
FIELDS = [
    "tasks", "id", "title", "pillar", "lead", "support", "leader", "measures", "start",
    "due", "milestones", "listed", "since", "by", "note", "source", "kind", "ref", "date",
    "urgency", "depends", "cadence", "name", "weight", "titel", "password", "<<", "~",
    "org", "units", "office", "head", "contact", "email", "calendar", "rest", "work",
    "years", "mail", "host", "sender", "rules", "cards", "1st", "a b", "'q'", "? k",
    "[a, b]", "{k: v}", "!!str id", "!x id", "&k id", "*k", "''", "null", "no", "0x10",
]  # fmt: skip
nasty = st.sampled_from(NASTY)
field_name = st.sampled_from(FIELDS)


def _emit(value: Any, indent: int, flow: bool) -> list[str]:
    """Block (or flow) YAML with scalars written verbatim, however broken they are."""
    pad = " " * indent
    if isinstance(value, dict):
        if flow:
            body = ", ".join(f"{k}: {_flow(v)}" for k, v in value.items())
            return [pad + "{" + body + "}"]
        lines = []
        for k, v in value.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{k}:")
                lines.extend(_emit(v, indent + 2, flow=False))
            else:
                lines.append(f"{pad}{k}: {_flow(v)}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict) and item:
                sub = _emit(item, indent + 2, flow=False)
                lines.append(pad + "- " + sub[0].lstrip())
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_flow(item)}")
        return lines
    return [pad + str(value)]


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


yaml_values = st.recursive(
    nasty,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(field_name, inner, max_size=5),
    ),
    max_leaves=20,
)

VALID = {
    "id": st.sampled_from(["T-01", "T-02", "T-03", "BASE-01"]),
    "title": st.sampled_from(["测试任务", "Road works", "'no'"]),
    "pillar": st.sampled_from(["battles", "battles.infrastructure", "battles.x"]),
    "lead": st.sampled_from(["jianshe", "caizheng", "duchashi", "jianshi"]),
    "support": st.lists(st.sampled_from(["jianshe", "caizheng", "duchashi", "x"]), max_size=3),
    "leader": st.sampled_from(["L-wang", "L-li", "L-wnag"]),
    "measures": st.lists(st.sampled_from(["措施一", "措施二"]), min_size=1, max_size=2),
    "start": st.sampled_from(["2020-01-02", "2020-06-01", "2020-12-31", "2031-01-02"]),
    "due": st.sampled_from(
        ["2020-06-30", "2020-10-01", "2020-05-30", "2031-06-30", "0001-01-01", "9999-12-25"]
    ),
    "milestones": st.lists(
        st.fixed_dictionaries(
            {"name": st.sampled_from(["节点一", "节点二"]), "due": st.just("2020-04-30")},
            optional={"weight": st.sampled_from(["30", "60.5", "100", "0", "-1"])},
        ),
        max_size=3,
    ),
    "listed": st.fixed_dictionaries(
        {"since": st.just("2020-03-02")}, optional={"by": st.sampled_from(["L-wang", "L-x"])}
    ),
    "urgency": st.sampled_from(["normal", "urgent", "high"]),
    "depends": st.lists(st.sampled_from(["T-01", "T-02", "T-03", "BASE-01", "T-09"]), max_size=3),
    "cadence": st.sampled_from(["weekly", "daily"]),
    "note": st.sampled_from(["|\n      two\n      lines", '"a\\tb"']),
}

REQUIRED = ["id", "title", "lead", "measures", "due"]
OPTIONAL = sorted(set(VALID) - set(REQUIRED))


@st.composite
def task_like(draw: st.DrawFn) -> dict[str, Any]:
    """A task that is mostly right, so the cross-file checks get to run on it."""
    names = [*REQUIRED, *draw(st.lists(st.sampled_from(OPTIONAL), unique=True))]
    if draw(st.integers(0, 5)) == 0:  # now and then, a required field goes missing
        names.remove(draw(st.sampled_from(REQUIRED)))
    task = {name: draw(VALID[name]) for name in names}
    if draw(st.integers(0, 3)) == 0:  # or a field holds anything at all
        task[draw(field_name)] = draw(yaml_values)
    return task


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 2)):  # two in three: a plan with tasks in it
        data: Any = {"tasks": draw(st.lists(task_like(), max_size=4))}
    else:
        data = draw(yaml_values)
    lines = _emit(data, 0, flow=draw(st.booleans()))
    if draw(st.integers(0, 3)) == 0:  # and some line-level damage
        i = draw(st.integers(0, len(lines)))
        junk = draw(st.sampled_from(["\t- x", "   bad: indent", "  'open", "---", "&x", "*x"]))
        lines.insert(i, junk)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


def _unit(name: str) -> dict[str, Any]:
    return {"name": name, "head": {"name": "甲"}, "contact": {"name": "乙"}}


DATES = ["2020-05-09", "2020-10-01", "2020-11-30", "2031-06-30", "9999-12-31", "2020-02-30"]


@st.composite
def config_like(draw: st.DrawFn) -> str:
    """A config that is mostly right, with calendar overrides and a few wrong turns."""
    unit_ids = draw(
        st.lists(st.sampled_from(["jianshe", "caizheng", "duchashi", "1st"]), min_size=1)
    )
    config: dict[str, Any] = {
        "org": {"name": "示范区", "office": draw(st.sampled_from(["duchashi", "duchashe"]))},
        "units": {u: _unit(u) for u in unit_ids},
        "leaders": {
            leader: {"name": "领导"}
            for leader in draw(st.lists(st.sampled_from(["L-wang", "L-li", "L x"])))
        },
        "pillars": draw(
            st.sampled_from(
                [
                    {},
                    {"battles": {"name": "硬仗", "children": {"infrastructure": {"name": "基建"}}}},
                    {"battles": {"name": "硬仗", "children": "none"}},
                ]
            )
        ),
        "calendar": {
            "rest": draw(st.lists(st.sampled_from(DATES), max_size=3)),
            "work": draw(st.lists(st.sampled_from(DATES), max_size=3)),
            "years": draw(st.lists(st.sampled_from(["2031", "1999", "2020"]), max_size=2)),
            "assume_weekends": draw(st.sampled_from(["true", "false", "no"])),
        },
    }
    if draw(st.integers(0, 3)) == 0:
        config[draw(field_name)] = draw(yaml_values)
    if draw(st.integers(0, 3)) == 0:
        config["units"] = draw(yaml_values)
    return "\n".join(_emit(config, 0, flow=False)) + "\n"


# --- checks --------------------------------------------------------------------------


def check_diagnostics(diags: list[Diagnostic], text: str | None = None) -> None:
    for d in diags:
        assert CODE.fullmatch(d.code), d
        assert d.severity in ("error", "warning")
        assert d.line >= 1
        assert d.col >= 1
        if text is not None:
            assert d.line <= len(text.splitlines()) + 2, (d, text)
        for lang in ("zh", "en"):
            assert d.message(lang)
            d.hint_text(lang)


@contextmanager
def workspace(plan: bytes | None = None, config: bytes | None = None) -> Iterator[Path]:
    """The fixture workspace in a fresh temp dir; *plan* / *config* replace or add files."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "plans").mkdir()
        shutil.copyfile(FIXTURES / "base-plan.yaml", ws / "plans" / "00-base.yaml")
        if config is None:
            shutil.copyfile(FIXTURES / "gaoxin.yaml", ws / "gaoxin.yaml")
        else:
            (ws / "gaoxin.yaml").write_bytes(config)
        if plan is not None:
            (ws / "plans" / "fuzz.yaml").write_bytes(plan)
        yield ws


def validate(ws: Path, *args: str, fmt: str = "json", lang: str = "en") -> Any:
    result = runner.invoke(
        app, ["-C", str(ws), "--lang", lang, "--as-of", AS_OF, "validate", "-f", fmt, *args]
    )
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if fmt == "json":
        data = json.loads(result.stdout)
        assert (result.exit_code == 1) == (data["errors"] > 0)
        for d in data["diagnostics"]:
            assert CODE.fullmatch(d["code"])
            assert d["line"] >= 1
            assert d["col"] >= 1
    return result


# --- (a) the reader and the file loaders ---------------------------------------------


@FUZZ
@given(any_text)
def test_parse_never_raises_on_any_text(text: str) -> None:
    doc, diags = parse(text, "f.yaml")
    check_diagnostics(diags)
    assert doc is not None or diags


@FUZZ
@given(st.one_of(file_text, yaml_documents()))
def test_parse_accepts_only_what_yaml_can_compose(text: str) -> None:
    doc, diags = parse(text, "f.yaml")
    check_diagnostics(diags, text)
    if doc is not None and not diags:
        # Nothing this reader accepts is rejected by PyYAML itself.
        yaml.compose(text, Loader=yaml.CSafeLoader)
        # And the positions it hands out are inside the text.
        for marks in doc.marks.values():
            assert 1 <= marks.start[0] <= len(text.splitlines()) + 1


_NULL_KEYS = {"", "~", "null", "Null", "NULL"}
# Problems the reader reports without changing which keys and values it keeps.
_SHAPE_KEEPING = {"Y103", "Y105", "Y106", "Y110", "Y111", "Y114"}


def assert_mirrors(node: yaml.Node, value: Any) -> None:
    """*value* (from parse) has the shape of *node* (from PyYAML's composer), except for
    what the reader drops: duplicate keys, merge keys, null keys and non-text keys."""
    if isinstance(node, yaml.ScalarNode):
        assert not isinstance(value, dict | list), (node, value)
    elif isinstance(node, yaml.SequenceNode):
        assert isinstance(value, list), (node, value)
        assert len(value) == len(node.value)
        for child, item in zip(node.value, value, strict=True):
            assert_mirrors(child, item)
    else:
        assert isinstance(value, dict), (node, value)
        kept: dict[str, yaml.Node] = {}
        for key, child in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            plain = not key.style
            if plain and (key.value in _NULL_KEYS or key.value == "<<"):
                continue
            kept.setdefault(key.value, child)
        assert list(value) == list(kept), (list(value), list(kept))
        for k, child in kept.items():
            assert_mirrors(child, value[k])


# Well-formed YAML, but with every kind of key the reader has to drop or refuse.
_SAFE = [v for v in NASTY if not re.search(r"^[-?:|>'\"#%@`\[{]|^(---|\.\.\.)$|\t", v)]
_KEYS = [
    "id", "title", "'q'", "\"<<\"", "<<", "~", "null", "''", "[a, b]", "{k: v}", "[]",
    "!!str id", "!x title", "&k id", "? [c]", "no", "0x10", "12:30", "id", "title",
]  # fmt: skip
shape_values = st.recursive(
    st.sampled_from(_SAFE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.tuples(st.sampled_from(_KEYS), inner), max_size=5).map(
            lambda pairs: _Pairs(pairs)
        ),
    ),
    max_leaves=20,
)


class _Pairs(list[tuple[str, Any]]):
    """A mapping that may repeat a key (a dict cannot)."""


def _inline(value: Any) -> str:
    if isinstance(value, _Pairs):
        return "{}"
    return "[]" if isinstance(value, list) else str(value)


def _emit_pairs(value: Any, indent: int = 0) -> list[str]:
    """Block YAML for scalars, lists and _Pairs (both of which are lists)."""
    pad = " " * indent
    if not isinstance(value, list) or not value:
        return [pad + _inline(value)]
    lines = []
    for entry in value:
        if isinstance(value, _Pairs):
            key, child = entry
            if isinstance(child, list) and child:
                lines += [f"{pad}{key}:", *_emit_pairs(child, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {_inline(child)}")
        else:
            sub = _emit_pairs(entry, indent + 2)
            lines += [f"{pad}- {sub[0].lstrip()}", *sub[1:]]
    return lines


@FUZZ
@given(
    st.one_of(
        file_text,
        yaml_documents(),
        shape_values.map(lambda v: "\n".join(_emit_pairs(v)) + "\n"),
    )
)
def test_parse_keeps_the_document_shape(text: str) -> None:
    doc, diags = parse(text, "f.yaml")
    if doc is None or {d.code for d in diags} - _SHAPE_KEEPING:
        return
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    if node is None:
        assert doc.data is None
    else:
        assert_mirrors(node, doc.data)


@FUZZ
@given(st.one_of(st.binary(max_size=400), file_text.map(lambda s: s.encode("utf-8"))))
def test_loaders_never_raise_on_any_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_bytes(raw)
        plan, diags = load_plan(path, "f.yaml")
        check_diagnostics(diags)
        assert plan.entries == [] or plan.doc is not None
        loaded, diags = load_config(path, "gaoxin.yaml")
        check_diagnostics(diags)
        assert loaded.config is None or not [d for d in diags if d.severity == "error"]


@FUZZ
@given(yaml_documents())
def test_loaders_never_raise_on_yamlish_documents(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_text(text, encoding="utf-8")
        _, diags = load_plan(path, "f.yaml")
        check_diagnostics(diags, text)
        _, diags = load_config(path, "gaoxin.yaml")
        check_diagnostics(diags, text)


# --- (b) gaoxin validate -------------------------------------------------------------


@FUZZ
@given(st.one_of(st.binary(max_size=400), yaml_documents().map(lambda s: s.encode("utf-8"))))
def test_validate_survives_any_plan_file(raw: bytes) -> None:
    with workspace(plan=raw) as ws:
        validate(ws)


@FUZZ
@given(yaml_documents(), st.sampled_from(["text", "github"]), st.sampled_from(["zh", "en"]))
def test_validate_survives_any_plan_in_every_format(text: str, fmt: str, lang: str) -> None:
    with workspace(plan=text.encode("utf-8")) as ws:
        result = validate(ws, fmt=fmt, lang=lang)
        assert "\x1b" not in result.stdout


@FUZZ
@given(st.one_of(st.binary(max_size=400), yaml_documents().map(lambda s: s.encode("utf-8"))))
def test_validate_survives_any_config_file(raw: bytes) -> None:
    with workspace(config=raw) as ws:
        validate(ws)


@FUZZ
@given(config_like(), st.lists(yaml_documents(), min_size=1, max_size=3))
def test_validate_survives_generated_workspaces(config: str, plans: list[str]) -> None:
    """A mostly valid config and several plan files: references across files, cycles."""
    with workspace(config=config.encode("utf-8")) as ws:
        for i, text in enumerate(plans):
            (ws / "plans" / f"p{i}.yaml").write_text(text, encoding="utf-8")
        validate(ws)
        validate(ws, "--strict", fmt="text", lang="zh")


# Any date, the edges of the date range, and the years around the calendar data.
any_date = st.one_of(
    st.dates(),
    st.sampled_from([date.min, date(1, 1, 6), date(9999, 12, 25), date.max]),
    st.dates(date(2019, 12, 20), date(2032, 1, 10)),
)


@FUZZ
@given(
    st.booleans(),
    st.lists(any_date, max_size=3),
    st.lists(any_date, max_size=3),
    st.lists(st.tuples(any_date, any_date | st.none()), min_size=1, max_size=4),
)
def test_validate_survives_any_dates(
    assume_weekends: bool, rest: list[Any], work: list[Any], spans: list[Any]
) -> None:
    """Due and start dates anywhere in 0001–9999, with or without calendar overrides."""
    config = (FIXTURES / "gaoxin.yaml").read_text(encoding="utf-8") + (
        f"calendar:\n  assume_weekends: {str(assume_weekends).lower()}\n"
        f"  rest: [{', '.join(map(str, rest))}]\n  work: [{', '.join(map(str, work))}]\n"
    )
    tasks = [
        f"  - {{id: D-{i}, title: t, lead: jianshe, measures: [m], due: {due}"
        + (f", start: {start}, milestones: [{{name: n, due: {start}}}]}}" if start else "}")
        for i, (due, start) in enumerate(spans)
    ]
    plan = "tasks:\n" + "\n".join(tasks) + "\n"
    with workspace(plan=plan.encode("utf-8"), config=config.encode("utf-8")) as ws:
        validate(ws)


@FUZZ
@given(any_text.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_validate_survives_surrogates_and_controls(raw: bytes) -> None:
    with workspace(plan=raw) as ws:
        validate(ws)


# --- edge cases ----------------------------------------------------------------------


def _diags(result: Any) -> list[tuple[str, str, int, int]]:
    data = json.loads(result.stdout)
    return [(d["path"], d["code"], d["line"], d["col"]) for d in data["diagnostics"]]


def test_directory_named_like_a_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace() as ws:
        (ws / "plans" / "folder.yaml").mkdir()
        monkeypatch.chdir(ws)
        result = validate(ws)
        assert _diags(result) == [("plans/folder.yaml", "Y116", 1, 1)]
        assert result.exit_code == 1
    plan, diags = load_plan(tmp_path, "dir")
    assert [d.code for d in diags] == ["Y116"]
    assert plan.entries == []


def test_directory_passed_as_config(tmp_path: Path) -> None:
    (tmp_path / "gaoxin.yaml").mkdir()
    loaded, diags = load_config(tmp_path / "gaoxin.yaml", "gaoxin.yaml")
    assert [d.code for d in diags] == ["Y116"]
    assert loaded.config is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace() as ws:
        os.mkfifo(ws / "plans" / "pipe.yaml")
        monkeypatch.chdir(ws)
        result = validate(ws)
        assert _diags(result) == [("plans/pipe.yaml", "Y112", 1, 1)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_dangling_symlink_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace() as ws:
        (ws / "plans" / "gone.yaml").symlink_to(ws / "nowhere.yaml")
        monkeypatch.chdir(ws)
        result = validate(ws)
        assert _diags(result) == [("plans/gone.yaml", "Y115", 1, 1)]
        assert result.exit_code == 1


def test_empty_plan_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace(plan=b"") as ws:
        monkeypatch.chdir(ws)
        result = validate(ws)
        assert _diags(result) == [("plans/fuzz.yaml", "Y112", 1, 1)]
        assert result.exit_code == 1


def test_empty_config_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace(config=b"") as ws:
        monkeypatch.chdir(ws)
        result = validate(ws)
        assert _diags(result) == [("gaoxin.yaml", "Y112", 1, 1)]
        assert result.exit_code == 1


def test_bom_prefixed_files_validate_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    bom = b"\xef\xbb\xbf"
    config = bom + (FIXTURES / "gaoxin.yaml").read_bytes()
    plan = bom + (FIXTURES / "base-plan.yaml").read_bytes().replace(b"BASE-01", b"BOM-01")
    with workspace(plan=plan, config=config) as ws:
        monkeypatch.chdir(ws)
        result = validate(ws, "--strict")
        assert _diags(result) == []
        assert result.exit_code == 0
        assert json.loads(result.stdout)["tasks"] == 2


def test_bom_does_not_shift_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = b"\xef\xbb\xbf" + (FIXTURES / "base-plan.yaml").read_bytes().replace(
        b"lead: jianshe", b"lead: jianshi"
    ).replace(b"BASE-01", b"BOM-01")
    with workspace(plan=plan) as ws:
        monkeypatch.chdir(ws)
        assert _diags(validate(ws)) == [("plans/fuzz.yaml", "X302", 6, 11)]


def test_nonexistent_path_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace() as ws:
        monkeypatch.chdir(ws)
        result = runner.invoke(app, ["--lang", "en", "validate", "plans/nope.yaml"])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "nope.yaml" in result.stderr
        assert "Traceback" not in result.stderr


def test_file_given_as_workspace_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("tasks: []\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "-C", str(target), "validate"])
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output


def test_raw_control_character_position() -> None:
    _, diags = parse("a: 1\nb: 测试\x1b[31m\n", "f.yaml")
    assert [(d.code, d.line, d.col) for d in diags] == [("Y102", 2, 6)]


def test_lone_surrogate_is_reported_not_raised() -> None:
    doc, diags = parse("a: 1\nb: \ud800\n", "f.yaml")
    assert doc is None
    assert [(d.code, d.line) for d in diags] == [("Y101", 2)]
