"""What every run of a daily command pays before its work: the classes it makes.

``typing.NamedTuple`` compiles each string annotation into a ``ForwardRef``, and typer's
``get_type_hints`` compiles each string annotation of a command's parameters: under
``from __future__ import annotations`` every start-up paid both (bench/README.md, tenth
round). These tests run ``status`` and ``overdue`` in a child on the example workspace
and look at what the run made.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import example_workspace

# After the run: the gaoxin modules loaded, and for each NamedTuple class they define,
# its annotations left as text (a string, or the ForwardRef NamedTuple compiled it into); then the annotations of the command's typer functions.
_PROBE = """
import json, os, sys, typing
import gaoxin_cli.cli as cli

def probe(code):
    mods = sorted(m for m in sys.modules if m.startswith(("gaoxin_cli", "pydantic")))
    quoted = {}
    for name in mods:
        if not name.startswith("gaoxin_cli"):
            continue
        for obj in list(vars(sys.modules[name]).values()):
            if (
                isinstance(obj, type)
                and issubclass(obj, tuple)
                and hasattr(obj, "_fields")
                and obj.__module__ == name
            ):
                found = [f for f, a in obj.__dict__.get("__annotations__", {}).items()
                         if isinstance(a, (str, typing.ForwardRef))]
                if found:
                    quoted[f"{name}.{obj.__qualname__}"] = found
    from gaoxin_cli.cli import daily, escalation, root
    typer_quoted = [
        f"{f.__module__}.{f.__name__}"
        for f in (root._root, daily.status, escalation.overdue)
        if any(isinstance(a, str) for a in f.__annotations__.values())
    ]
    sys.__stderr__.write(json.dumps({"code": code, "modules": mods, "quoted": quoted,
                                     "typer_quoted": typer_quoted}))
    sys.__stderr__.flush()
    os._exit(0)

cli._exit = probe
cli.main()
"""

# Forward references: a record that names itself.
ALLOWED_QUOTED = {
    "gaoxin_cli.models.records.Pillar": ["children"],
}
# Modules whose named tuples keep text annotations: their fields name types imported for
# mypy only (so that the commands that do not use them do not import them), or a class
# named in its own methods. Their few fields cost ~1 ms in all.
TEXT_ANNOTATIONS = (
    "gaoxin_cli.loading.plancache.",
    "gaoxin_cli.rules.filters.",
    "gaoxin_cli.service.daily.",
    "gaoxin_cli.service.escalation.",
    "gaoxin_cli.service.snapshot.",
    "gaoxin_cli.store.checkpoint.",
)


def _run(ws: Path, command: str, *args: str) -> dict[str, object]:
    argv = ["gaoxin", "-C", str(ws), "--as-of", "2020-06-24", command, *args]
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = {argv!r}\n{_PROBE}"],
        capture_output=True,
        text=True,
        check=False,
    )
    out: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    assert out["code"] == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    ws = example_workspace(tmp_path_factory.mktemp("startup") / "ws")
    return {c: _run(ws, c) for c in ("status", "overdue")}


@pytest.mark.parametrize("command", ["status", "overdue"])
def test_named_tuples_made_at_start_up_have_evaluated_annotations(
    runs: dict[str, dict[str, object]], command: str
) -> None:
    quoted = runs[command]["quoted"]
    assert isinstance(quoted, dict)
    assert "gaoxin_cli.models.records.Task" not in quoted  # the records are loaded
    extra = {
        k: v
        for k, v in quoted.items()
        if ALLOWED_QUOTED.get(k) != v and not k.startswith(TEXT_ANNOTATIONS)
    }
    assert extra == {}, "string annotations on named tuples made at every start-up"
    assert runs[command]["typer_quoted"] == []


def test_status_does_not_import_the_ladder(runs: dict[str, dict[str, object]]) -> None:
    """``status`` reads the red-notice deadlines (``NO_RED_NOTICE`` lives in
    rules/cards.py) without importing rules/ladder.py, which ``overdue`` needs."""
    assert "gaoxin_cli.models.records" in runs["status"]["modules"]  # type: ignore[operator]
    assert "gaoxin_cli.rules.ladder" not in runs["status"]["modules"]  # type: ignore[operator]
    assert "gaoxin_cli.rules.ladder" in runs["overdue"]["modules"]  # type: ignore[operator]


def test_notify_without_a_mail_section_does_not_import_the_plan_format(tmp_path: Path) -> None:
    """An outbox run on a workspace with no ``mail:`` (the example's) takes the stand-in
    sender as a record: pydantic and the spec models (~0.2 s) stay unloaded, and the run
    files and writes as before."""
    ws = example_workspace(tmp_path / "ws")
    assert not re.search(r"^mail:", (ws / "gaoxin.yaml").read_text(encoding="utf-8"), re.M)
    _run(ws, "status")  # the first run checks the plan (pydantic) and caches it
    out = _run(ws, "notify", "--outbox", str(tmp_path / "box"))
    modules = out["modules"]
    assert isinstance(modules, list)
    assert "gaoxin_cli.notify.message" in modules  # the mails were built
    assert len(list((tmp_path / "box").glob("*.eml"))) > 0
    assert "gaoxin_cli.models.spec" not in modules
    assert not [m for m in modules if m.startswith("pydantic")]
