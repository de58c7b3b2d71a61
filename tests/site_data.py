"""The workspace the site tests publish: the hand-computed ranking workspace
(tests/data/ranking) with its history, June awarded, notices filed by ``notify``, a
problem reported, and — with *inject* — the bulletin tests' injection payloads in a task
title, a unit name, a note and a problem's text."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store
from helpers import run

DATA = Path(__file__).parent / "data" / "ranking"
AS_OF = "2020-07-06"

# The payloads of tests/test_cli_month.py::test_user_text_is_escaped_everywhere, and two
# more: an attribute break-out in a note and a script in a problem.
TITLE = "<script>alert(1)</script> *x* | y"
UNIT = "[red]建设局</td><b>|"
NOTE = '"><img src=x onerror=alert(2)>'
PROBLEM = "管线迁改<script>alert(3)</script>"


def ok(ws: Path, *args: str) -> tuple[str, str]:
    code, out, err = run(ws, *args)
    assert code == 0, err
    return out, err


def make_ws(root: Path, *, inject: bool = False) -> Path:
    ws = root / "ws"
    shutil.copytree(DATA, ws)
    if inject:
        cfg = ws / "gaoxin.yaml"
        text = cfg.read_text(encoding="utf-8").replace("name: 建设局", f"name: '{UNIT}'")
        cfg.write_text(text, encoding="utf-8")
        plan = ws / "plans" / "q2.yaml"
        text = plan.read_text(encoding="utf-8").replace("title: 海川路北延", f"title: '{TITLE}'")
        plan.write_text(text, encoding="utf-8")
    events = []
    for line in (ws / "history.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc["at"] = date.fromisoformat(doc["at"])
        events.append(Event(**doc))
    with Store.open(ws / "data" / "gaoxin.db", write=True) as store:
        store.add(events)
    ok(ws, "--as-of", "2020-06-20", "problem", "report", PROBLEM, "--task", "J3", "--by", "jianshe")
    if inject:
        ok(ws, "--as-of", "2020-06-22", "feedback", "J3", "-p", "85", "-m", NOTE)
    ok(ws, "--as-of", "2020-07-01", "notify", "--outbox", str(root / "outbox"))
    ok(ws, "--as-of", "2020-07-02", "flag", "award", "-p", "2020-06")
    ok(ws, "--as-of", "2020-07-03", "sweep")
    return ws


def build(ws: Path, out: Path, *args: str, as_of: str = AS_OF) -> str:
    """``gaoxin site -o OUT`` as of *as_of*; its stderr line."""
    _, err = ok(ws, "--as-of", as_of, "site", "-o", str(out), *args)
    return err


def pages(out: Path) -> dict[str, str]:
    """Every HTML page of the site at *out*, by path relative to it."""
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
    }
