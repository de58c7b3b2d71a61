"""The validator against a corpus of bad files, each with its expected diagnostic.

Every file under ``tests/corpus/plan/`` and ``tests/corpus/config/`` holds one problem.
Its expectation is the first line of the file::

    # expect: X302 line 5 col 11 msg="unknown unit" hint="did you mean \"jianshe\"?"

or, for files that cannot start with a comment (not UTF-8, empty, BOM), an entry in
``tests/corpus/EXPECTED.toml`` with the same syntax. ``warning`` after the position
marks a warning (exit 0 unless ``--strict``). ``msg`` and ``hint`` are substrings of the
English message and hint.

A plan case is copied into ``plans/`` of a workspace built from ``tests/fixtures`` (a
valid ``gaoxin.yaml`` and a valid plan ``plans/00-base.yaml``), so cross-file checks run;
a config case becomes that workspace's ``gaoxin.yaml``. The file must produce exactly the
one diagnostic it declares, nothing else.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.loading.files import MAX_BYTES

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
FIXTURES = HERE / "fixtures"
AS_OF = "2020-06-01"
MIN_CASES = 30

_EXPECT = re.compile(
    r"(?P<code>[YSXW]\d{3}) line (?P<line>\d+) col (?P<col>\d+)"
    r"(?P<warning> warning)?"
    r'(?: msg="(?P<msg>(?:[^"\\]|\\.)*)")?'
    r'(?: hint="(?P<hint>(?:[^"\\]|\\.)*)")?'
)
_HEADER = "# expect: "


def _unescape(s: str | None) -> str | None:
    return None if s is None else re.sub(r"\\(.)", r"\1", s)


@dataclass(frozen=True)
class Case:
    path: Path
    kind: str  # "plan" or "config"
    code: str
    line: int
    col: int
    severity: str
    msg: str | None
    hint: str | None

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.path.name}"

    @property
    def shown(self) -> str:
        """The path validate reports, relative to the workspace."""
        return "gaoxin.yaml" if self.kind == "config" else f"plans/{self.path.name}"


def parse_expectation(text: str, where: str) -> dict[str, Any]:
    m = _EXPECT.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{where}: cannot read expectation {text!r}")
    return {
        "code": m["code"],
        "line": int(m["line"]),
        "col": int(m["col"]),
        "severity": "warning" if m["warning"] else "error",
        "msg": _unescape(m["msg"]),
        "hint": _unescape(m["hint"]),
    }


def _table() -> dict[str, str]:
    with (CORPUS / "EXPECTED.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {name: entry["expect"] for name, entry in data.items()}


def corpus_files() -> list[tuple[str, Path]]:
    return [
        (kind, p)
        for kind in ("plan", "config")
        for p in sorted((CORPUS / kind).iterdir())
        if p.is_file()
    ]


def load_cases() -> list[Case]:
    table = _table()
    cases = []
    for kind, path in corpus_files():
        name = f"{kind}/{path.name}"
        if name in table:
            spec = table[name]
        else:
            first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
            if not first.startswith(_HEADER):
                raise ValueError(f"{name}: no '# expect:' line and no EXPECTED.toml entry")
            spec = first[len(_HEADER) :]
        cases.append(Case(path, kind, **parse_expectation(spec, name)))
    return cases


CASES = load_cases()
runner = CliRunner()


def make_workspace(root: Path, case: Case | None = None) -> Path:
    """The fixture workspace in *root*/ws, with *case* copied in."""
    ws = root / "ws"
    (ws / "plans").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "base-plan.yaml", ws / "plans" / "00-base.yaml")
    if case is not None and case.kind == "config":
        shutil.copyfile(case.path, ws / "gaoxin.yaml")
    else:
        shutil.copyfile(FIXTURES / "gaoxin.yaml", ws / "gaoxin.yaml")
        if case is not None:
            shutil.copyfile(case.path, ws / "plans" / case.path.name)
    return ws


def run(ws: Path, *args: str, lang: str = "en") -> Any:
    result = runner.invoke(app, ["-C", str(ws), "--lang", lang, "--as-of", AS_OF, *args])
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    return result


def run_json(ws: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run(ws, "validate", "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


# --- the corpus itself ---------------------------------------------------------------


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} corpus files"
    kinds = {c.kind for c in CASES}
    assert kinds == {"plan", "config"}


def test_expected_table_names_existing_files() -> None:
    for name in _table():
        assert (CORPUS / name).is_file(), name


def test_fixture_workspace_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise every corpus case would be judged against a broken baseline."""
    ws = make_workspace(tmp_path)
    monkeypatch.chdir(ws)
    code, data = run_json(ws, "--strict")
    assert data["diagnostics"] == []
    assert (data["files"], data["tasks"], code) == (2, 1, 0)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    code, data = run_json(ws)
    got = [(d["path"], d["code"], d["line"], d["col"], d["severity"]) for d in data["diagnostics"]]
    assert got == [(case.shown, case.code, case.line, case.col, case.severity)]
    diag = data["diagnostics"][0]
    if case.msg is not None:
        assert case.msg in diag["message"]
    if case.hint is not None:
        assert diag["hint"] is not None
        assert case.hint in diag["hint"]
    # No raw control characters reach the terminal, whatever the file held.
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", diag["message"])
    if case.severity == "error":
        assert code == 1
        assert (data["errors"], data["warnings"]) == (1, 0)
    else:
        assert code == 0
        assert (data["errors"], data["warnings"]) == (0, 1)
        assert run_json(ws, "--strict")[0] == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case_text_zh(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default (zh) text output names the same place and code on one line."""
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    result = run(ws, "validate", lang="zh")
    severity = "错误" if case.severity == "error" else "警告"
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{case.shown}:{case.line}:{case.col}: {severity} {case.code} ")
    assert "{" not in first  # every template parameter was filled in
    assert result.exit_code == (1 if case.severity == "error" else 0)
    assert "\x1b" not in result.stdout


# --- cases that are generated, not committed -----------------------------------------


def test_file_over_5mb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path)
    monkeypatch.chdir(ws)
    big = ws / "plans" / "big.yaml"
    padding = b"# " + b"x" * 1021 + b"\n"  # 1 KiB a line
    big.write_bytes(b"tasks: []\n" + padding * (MAX_BYTES // len(padding) + 1))
    assert big.stat().st_size > MAX_BYTES
    code, data = run_json(ws)
    got = [(d["path"], d["code"], d["line"], d["col"]) for d in data["diagnostics"]]
    assert got == [("plans/big.yaml", "Y107", 1, 1)]
    assert str(MAX_BYTES) in data["diagnostics"][0]["message"]
    assert code == 1


def test_file_of_exactly_5mb_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path)
    monkeypatch.chdir(ws)
    body = b"tasks: []\n"
    line = b"#" + b"x" * 1022 + b"\n"
    n, rest = divmod(MAX_BYTES - len(body), len(line))
    content = body + line * n + b"#" + b"x" * (rest - 2) + b"\n"
    assert len(content) == MAX_BYTES
    (ws / "plans" / "edge.yaml").write_bytes(content)
    code, data = run_json(ws)
    assert data["diagnostics"] == []
    assert code == 0


def test_duplicate_key_names_both_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c.name == "plan/y103_duplicate_key.yaml")
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    _, data = run_json(ws)
    (diag,) = data["diagnostics"]
    assert diag["line"] == 6
    assert diag["message"] == 'duplicate key "title" (first defined on line 4)'


def test_warning_only_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c.name == "plan/w401_due_rest_day.yaml")
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    assert run(ws, "validate").exit_code == 0
    assert run(ws, "validate", "--strict").exit_code == 1
    assert run(ws, "validate", "--format", "github").exit_code == 0


# --- whole outputs -------------------------------------------------------------------

_TEXT_OUTPUTS = {
    ("plan/x302_unknown_lead.yaml", "en"): (
        'plans/x302_unknown_lead.yaml:5:11: error X302 lead unit (lead) names an unknown unit "jianshi"\n'
        '    Hint: did you mean "jianshe"?\n',
        "3 file(s), 2 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/x302_unknown_lead.yaml", "zh"): (
        'plans/x302_unknown_lead.yaml:5:11: 错误 X302 牵头单位（lead） 引用了未知单位 "jianshi"\n'
        '    提示：是否指 "jianshe"？\n',
        "3 个文件，2 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/y103_duplicate_key.yaml", "en"): (
        'plans/y103_duplicate_key.yaml:6:5: error Y103 duplicate key "title" '
        "(first defined on line 4)\n",
        "3 file(s), 2 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/y103_duplicate_key.yaml", "zh"): (
        'plans/y103_duplicate_key.yaml:6:5: 错误 Y103 键 "title" 重复（第一次出现在第 4 行）\n',
        "3 个文件，2 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/w401_due_rest_day.yaml", "en"): (
        "plans/w401_due_rest_day.yaml:7:10: warning W401 due date 2020-10-01 is a rest day "
        "(Thursday); the next working day is 2020-10-09\n"
        "    Hint: consider 2020-10-09 unless the rest day is intended\n",
        "3 file(s), 2 task(s): 0 error(s), 1 warning(s)\n",
    ),
    ("plan/w401_due_rest_day.yaml", "zh"): (
        "plans/w401_due_rest_day.yaml:7:10: 警告 W401 完成时限 2020-10-01 是休息日（周四），"
        "下一个工作日是 2020-10-09\n"
        "    提示：如无特殊安排，可改为 2020-10-09\n",
        "3 个文件，2 项任务：0 个错误，1 个警告\n",
    ),
    # The three common YAML slips, each at its own line with the fix (issue 14).
    ("plan/y117_fullwidth_colon.yaml", "zh"): (
        "plans/y117_fullwidth_colon.yaml:6:8: 错误 Y117 “due”后面用了全角冒号“：”："
        "YAML 只认半角冒号，这一行没有被读成字段\n"
        "    提示：改成半角冒号加一个空格：“due: ”\n",
        "3 个文件，1 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/y117_fullwidth_colon.yaml", "en"): (
        'plans/y117_fullwidth_colon.yaml:6:8: error Y117 full-width colon "：" after "due": '
        "YAML only reads an ASCII colon, so this line is not a field\n"
        '    Hint: write an ASCII colon and a space: "due: "\n',
        "3 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/y118_tab_indentation.yaml", "zh"): (
        "plans/y118_tab_indentation.yaml:5:1: 错误 Y118 缩进里有 Tab：YAML 只能用空格缩进\n"
        "    提示：把行首的 Tab 换成空格（上一行缩进 4 个空格）\n",
        "3 个文件，1 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/y118_tab_indentation.yaml", "en"): (
        "plans/y118_tab_indentation.yaml:5:1: error Y118 a tab in the indentation: "
        "YAML indents with spaces only\n"
        "    Hint: replace the tab with spaces (the line above is indented 4)\n",
        "3 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/y119_under_indented_milestone.yaml", "zh"): (
        "plans/y119_under_indented_milestone.yaml:10:1: 错误 Y119 第 10 行缩进 7 个空格，"
        "与同级字段的 8 个空格不一致\n"
        "    提示：改为缩进 8 个空格，与第 9 行对齐\n",
        "3 个文件，1 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/y119_under_indented_milestone.yaml", "en"): (
        "plans/y119_under_indented_milestone.yaml:10:1: error Y119 line 10 is indented "
        "7 spaces, but its siblings use 8\n"
        "    Hint: indent it 8 spaces, in line with line 9\n",
        "3 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/w405_chinese_comma_list.yaml", "zh"): (
        "plans/w405_chinese_comma_list.yaml:6:16: 警告 W405 列表项里有中文逗号“，”或顿号“、”："
        "YAML 把它读成 1 项，而不是 2 项\n"
        "    提示：要分成几项，请用半角逗号加空格分隔，如 [完成征地, 主体施工]；本来就是一项，请加引号\n",
        "3 个文件，2 项任务：0 个错误，1 个警告\n",
    ),
    ("plan/w405_chinese_comma_list.yaml", "en"): (
        "plans/w405_chinese_comma_list.yaml:6:16: warning W405 a list item holds a Chinese "
        'comma ("，" or "、"): YAML reads it as 1 item, not 2\n'
        "    Hint: to list them separately use ASCII commas: [完成征地, 主体施工]; "
        "if it is one item, quote it\n",
        "3 file(s), 2 task(s): 0 error(s), 1 warning(s)\n",
    ),
    # A field is named by the task's id and its Chinese name, not tasks[0].due.
    ("plan/s201_missing_due.yaml", "zh"): (
        "plans/s201_missing_due.yaml:3:5: 错误 S201 任务 T-01 的 完成时限（due）缺失（必填）\n",
        "3 个文件，1 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/s201_missing_due.yaml", "en"): (
        "plans/s201_missing_due.yaml:3:5: error S201 task T-01: due date (due) is missing "
        "(required)\n",
        "3 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("plan/s205_date_feb30.yaml", "zh"): (
        "plans/s205_date_feb30.yaml:7:10: 错误 S205 任务 T-01 的 完成时限（due） "
        "应为有效日期，格式 YYYY-MM-DD\n",
        "3 个文件，1 项任务：1 个错误，0 个警告\n",
    ),
    ("plan/s205_date_feb30.yaml", "en"): (
        "plans/s205_date_feb30.yaml:7:10: error S205 task T-01: due date (due): "
        "expected a real date written YYYY-MM-DD\n",
        "3 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
    ("config/s202_mail_password.yaml", "en"): (
        'gaoxin.yaml:18:3: error S202 mail: unknown field "password"\n'
        "    Hint: passwords never go into gaoxin.yaml: set the environment variable named "
        "by mail.password_env (default GAOXIN_SMTP_PASSWORD)\n",
        "2 file(s), 1 task(s): 1 error(s), 0 warning(s)\n",
    ),
}


@pytest.mark.parametrize(("name", "lang"), sorted(_TEXT_OUTPUTS), ids=lambda v: str(v))
def test_whole_text_output(
    name: str, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = next(c for c in CASES if c.name == name)
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    result = run(ws, "validate", lang=lang)
    stdout, stderr = _TEXT_OUTPUTS[(name, lang)]
    assert result.stdout == stdout
    assert result.stderr == stderr


def test_password_value_is_never_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c.name == "config/s202_mail_password.yaml")
    ws = make_workspace(tmp_path, case)
    monkeypatch.chdir(ws)
    for fmt in ("text", "json", "github"):
        result = run(ws, "validate", "--format", fmt)
        assert "hunter2" not in result.output
