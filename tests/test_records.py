"""The runtime records mirror the pydantic specs, and the read path stays free of pydantic."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from cogapp import Cog
from pydantic import BaseModel

from gaoxin_cli import models
from gaoxin_cli.loading.workspace import load
from gaoxin_cli.models import records, spec

REPO = Path(__file__).resolve().parent.parent


def test_records_are_generated_from_the_current_specs() -> None:
    path = REPO / "src" / "gaoxin_cli" / "models" / "records.py"
    assert Cog().main(["cog", "--check", str(path)]) == 0, f"run python3 -m cogapp -r {path}"


def test_every_spec_has_a_record_with_the_same_fields() -> None:
    for s in spec.SPECS:
        assert s.__name__.endswith("Spec"), s.__name__
        record = getattr(records, spec.record_name(s))
        assert record._fields == tuple(s.model_fields), s.__name__


def test_no_spec_shares_a_name_with_a_record() -> None:
    """Every pydantic class is named *Spec, so ``Task`` always means the record."""
    specs = {
        name
        for name, value in vars(spec).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
    }
    assert specs and all(n.endswith("Spec") or n == "Strict" for n in specs), specs
    assert not specs & set(vars(records)), specs & set(vars(records))


def test_example_plan_converts_pickles_and_dumps_like_the_specs() -> None:
    loaded = load(REPO)
    assert not loaded.errors and loaded.config is not None
    plan = spec.to_plan(loaded.config, loaded.tasks)
    assert len(plan.tasks) == len(loaded.tasks) > 50
    for task, original in zip(plan.tasks, loaded.tasks, strict=True):
        assert isinstance(task, models.Task)
        assert models.dump(task) == original.model_dump(mode="json")
    assert models.dump(plan.config) == loaded.config.model_dump(mode="json")
    back = pickle.loads(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.tasks == plan.tasks and back.config == plan.config
    assert type(back.tasks[0].source) is models.Source
    assert back.by_id.keys() == plan.by_id.keys()


def test_lists_become_tuples_and_records_are_immutable() -> None:
    task = spec.to_record(
        spec.TaskSpec.model_validate(
            {"id": "T-1", "title": "试", "lead": "u", "measures": ["a"], "due": "2020-06-30"}
        )
    )
    assert task.measures == ("a",) and task.support == () and task.milestones == ()
    try:
        task.title = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a record must not change")


def test_reading_a_cached_plan_never_imports_pydantic_or_the_yaml_reader(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from gaoxin_cli.loading.plancache import load_plan\n"
        f"load_plan(Path({str(REPO)!r}), Path({str(tmp_path)!r}))\n"  # fills the cache
        "for m in [m for m in sys.modules if m.startswith(('pydantic', 'yaml', 'gaoxin_cli'))]:\n"
        "    del sys.modules[m]\n"
        "from gaoxin_cli.loading.plancache import load_plan\n"
        f"plan = load_plan(Path({str(REPO)!r}), Path({str(tmp_path)!r}))\n"
        "assert len(plan.tasks) > 50\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'yaml'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
