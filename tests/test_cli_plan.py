"""validate / schema / init through the real CLI: whole outputs, exit codes, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app

MINI = Path(__file__).parent / "data" / "mini"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(MINI, target)
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_clean_workspace(ws: Path) -> None:
    code, out, err = run("-C", str(ws), "validate")
    assert (code, out) == (0, "")
    assert err == "检查通过：2 个文件，2 项任务，没有发现问题\n"


def test_validate_clean_workspace_english(ws: Path) -> None:
    code, out, err = run("-C", str(ws), "--lang", "en", "validate")
    assert (code, out, err) == (0, "", "all clean: 2 file(s), 2 task(s), no problems\n")


def break_plan(ws: Path) -> Path:
    plan = ws / "plans" / "roads.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("lead: jianshe\n    support", "lead: jiansh\n    support")
    text = text.replace("due: 2020-11-30", "due: 2020-11-29")  # a Sunday
    text = text.replace("depends: [JC-01]", "depends: [JC-01]\n    urgency: soon")
    plan.write_text(text, encoding="utf-8")
    return plan


def test_validate_reports_every_problem_text(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    break_plan(ws)
    monkeypatch.chdir(ws)
    code, out, err = run("validate")
    assert code == 1
    assert out == (
        'plans/roads.yaml:5:11: 错误 X302 牵头单位（lead） 引用了未知单位 "jiansh"\n'
        '    提示：是否指 "jianshe"？\n'
        "plans/roads.yaml:23:14: 错误 S204 任务 JC-02 的 紧急程度（urgency） 的取值应为 "
        "'normal', 'urgent', 'special' 之一\n"
    )
    assert err == "2 个文件，1 项任务：2 个错误，0 个警告\n"


def test_validate_json_and_strict(ws: Path) -> None:
    plan = ws / "plans" / "roads.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("2020-11-30", "2020-11-29"), encoding="utf-8"
    )
    code, out, _ = run("-C", str(ws), "--lang", "en", "validate", "--format", "json")
    assert code == 0  # a warning alone does not fail the build …
    doc = json.loads(out)
    assert doc["errors"] == 0 and doc["warnings"] == 1
    assert doc["diagnostics"] == [
        {
            "path": str(plan),
            "line": 21,
            "col": 10,
            "severity": "warning",
            "code": "W401",
            "message": "due date 2020-11-29 is a rest day (Sunday); the next working day is "
            "2020-11-30",
            "hint": "consider 2020-11-30 unless the rest day is intended",
        }
    ]
    code, _, _ = run("-C", str(ws), "validate", "--strict")
    assert code == 1  # … unless --strict


def test_validate_github_annotations_escape_newlines(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_plan(ws)
    monkeypatch.chdir(ws)
    code, out, _ = run("--lang", "en", "validate", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=plans/roads.yaml,line=5,col=11,title=gaoxin X302::"
        'lead unit (lead) names an unknown unit "jiansh"%0Adid you mean "jianshe"?'
    )


def test_validate_given_files_and_directories(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws)
    assert run("validate", "plans/roads.yaml")[0] == 0
    assert run("validate", "plans")[0] == 0
    assert run("validate", ".")[0] == 0
    code, _, err = run("validate", "plans/nope.yaml")
    assert code == 2
    assert err == "错误：路径不存在：plans/nope.yaml\n"


def test_no_workspace_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--lang", "en", "validate")
    assert code == 1 and out == ""
    assert err == (
        f"Error: no gaoxin.yaml in {tmp_path} or any parent directory\n"
        "Hint: run gaoxin init to start one, or point at it with -C DIR / GAOXIN_WORKSPACE\n"
    )


def test_usage_errors_exit_2() -> None:
    assert run("validate", "--format", "xml")[0] == 2
    assert run("--no-such-option")[0] == 2
    code, _, err = run("--as-of", "2020-13-01", "validate")
    assert code == 2 and err == '错误："2020-13-01" 不是有效日期，请写成 YYYY-MM-DD\n'
    code, _, err = run("--lang", "fr", "validate")
    assert code == 2 and "fr" in err


def test_bug_exits_3_with_traceback_in_log(
    ws: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gaoxin_cli.loading.workspace as workspace

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(workspace, "load", boom)
    monkeypatch.setenv("GAOXIN_HOME", str(tmp_path / "home"))
    code, out, err = run("-C", str(ws), "--lang", "en", "validate")
    assert code == 3 and out == ""
    log = tmp_path / "home" / "error.log"
    assert err == (
        f"Error: unexpected error (ZeroDivisionError); this is a bug in gaoxin. Details are in {log}\n"
    )
    assert "Traceback" not in err
    assert "simulated bug" in log.read_text(encoding="utf-8")


def test_interrupt_exits_130(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gaoxin_cli.loading.workspace as workspace

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(workspace, "load", interrupted)
    assert run("-C", str(ws), "validate")[0] == 130


def test_schema_files_in_repo_are_current(repo: Path) -> None:
    for kind, name in (("config", "gaoxin.schema.json"), ("plan", "plan.schema.json")):
        code, out, _ = run("schema", kind)
        assert code == 0
        committed = (repo / "schemas" / name).read_text(encoding="utf-8")
        assert out == committed, f"schemas/{name} is stale: run gaoxin schema --write schemas"


def test_schema_accepts_the_example_and_rejects_unknown_keys(repo: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((repo / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    plan = yaml.safe_load((MINI / "plans" / "roads.yaml").read_text(encoding="utf-8"))
    # JSON has no dates: the schema sees them as strings, as an editor does.
    plan = json.loads(json.dumps(plan, default=str))
    jsonschema.validate(plan, schema, format_checker=jsonschema.FormatChecker())
    plan["tasks"][0]["lead_unit"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plan, schema)


def test_init_scaffolds_a_workspace_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "new"
    code, out, _ = run("--as-of", "2026-03-01", "init", str(target))
    assert code == 0
    assert (
        out
        == f"已在 {target} 新建工作区。下一步：编辑 gaoxin.yaml 和 plans/，然后运行 gaoxin validate\n"
    )
    names = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert names == [
        ".gitignore",
        "gaoxin.yaml",
        "plans/example.yaml",
        "schemas/gaoxin.schema.json",
        "schemas/plan.schema.json",
    ]
    assert "data/*.db" in (target / ".gitignore").read_text(encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (target / "gaoxin.yaml").stat().st_mode & 0o777 == 0o666 & ~umask
    assert run("-C", str(target), "validate", "--strict")[0] == 0


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    (target / "plans").mkdir(parents=True)
    (target / "plans" / "example.yaml").write_text("mine\n", encoding="utf-8")
    code, _, err = run("--lang", "en", "init", str(target))
    assert code == 1
    assert err.startswith("Error: ") and "example.yaml already exists" in err
    assert not (target / "gaoxin.yaml").exists()
    assert (target / "plans" / "example.yaml").read_text(encoding="utf-8") == "mine\n"


def test_real_subprocess(ws: Path) -> None:
    exe = shutil.which("gaoxin")
    cmd = [exe] if exe else [sys.executable, "-m", "gaoxin_cli"]
    proc = subprocess.run(
        [*cmd, "-C", str(ws), "--lang", "en", "validate", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tasks"] == 2
    proc = subprocess.run(
        [sys.executable, "-m", "gaoxin_cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("gaoxin ")
