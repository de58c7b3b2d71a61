"""L4 (问责) follows the real 督办单, and status, overdue, sweep and notify agree.

Issue 12, item 2: a task first seen long overdue was shown 问责 by ``status`` and
recorded 问责 by ``sweep`` from an *estimated* reply deadline (of a 督办单 never filed),
while ``overdue`` said red with 督办 next; once ``notify`` filed the 督办单 the card fell
back to red, so the history read 问责 on 6/22 and 红牌 on 6/23 for a task still late.

The rule (docs/escalation.md, docs/daily.md): a task is 问责 only when it is red and the
reply deadline of a 督办单 actually filed has passed. These tests drive the real CLI
(``notify --outbox``: no SMTP) on one workspace, day by day, in every cron order.

2020 calendar: 6/25–6/27 the Dragon Boat holiday, Sunday 6/28 a 调休 working day.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from gaoxin_cli.models.state import Level
from gaoxin_cli.store import Store
from helpers import TWO_UNIT_CONFIG, run

CONFIG = TWO_UNIT_CONFIG

# OLD-01 is long overdue on the first day gaoxin sees it (red since 6/15 by lateness);
# LT-01 turns red on 6/24 in the window; LT-04 is listed and urgent; ST-01 has not started
# three months after its planned start (red without being late); DN-01 reports 100 %.
PLAN = """\
tasks:
  - id: OLD-01
    title: 人才公寓建设
    lead: jianshe
    leader: L-wang
    measures: [完成主体]
    due: 2020-06-05
  - id: LT-01
    title: 口袋公园建设
    lead: jianshe
    measures: [完成设计]
    due: 2020-06-16
  - id: LT-04
    title: 智能制造产业园三期招商签约
    lead: jianshe
    leader: L-wang
    measures: [完成招商签约]
    due: 2020-06-24
    urgency: urgent
    listed: {since: 2020-04-01, by: L-wang}
  - id: ST-01
    title: 海川路北延
    lead: jianshe
    measures: [开工建设]
    start: 2020-03-20
    due: 2020-12-31
  - id: DN-01
    title: 财政专项资金拨付
    lead: jianshe
    measures: [拨付资金]
    due: 2020-06-19
"""

FIRST, LAST = date(2020, 6, 10), date(2020, 7, 10)
NAMES = Level.NAMES  # level → "none", "blue", "yellow", "red", "accountability"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path / "ws")


def workspace(root: Path) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "gaoxin.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "plans" / "cards.yaml").write_text(PLAN, encoding="utf-8")
    return root


def report(ws: Path) -> None:
    """LT-01, LT-04 and DN-01 are on track on 6/9 (their cards come from the dates);
    DN-01 reports 100 % on 6/17: its card falls because its cause is gone."""
    for task in ("LT-01", "LT-04", "DN-01"):
        ok(ws, date(2020, 6, 9), "feedback", task, "--progress", "90")
    ok(ws, date(2020, 6, 17), "feedback", "DN-01", "--progress", "100")


def ok(ws: Path, day: date, *args: str) -> str:
    code, out, err = run(ws, "--as-of", day.isoformat(), *args, columns=120)
    assert code == 0, (day, args, out, err)
    return out


def notify(ws: Path, day: date) -> str:
    return ok(ws, day, "notify", "--outbox", str(ws / "outbox"))


def acknowledge(ws: Path, day: date) -> None:
    """The units acknowledge (签收) what was filed, the day it came, and the office records
    it: a notice left unsigned would put a card (blue) on a task in the orders that run
    notify only, which is the 签收 rule's business (test_signing.py), not this file's."""
    doc = json.loads(ok(ws, day, "notice", "list", "--unsigned", "--json"))
    for n in doc["notices"]:
        ok(ws, day, "notice", "sign", n["number"], "--by", n["unit"])


def status_cards(ws: Path, day: date) -> dict[str, str]:
    doc = json.loads(ok(ws, day, "status", "--json", "--limit", "0"))
    return {t["id"]: t["card"] for t in doc["tasks"]}


def overdue_cards(ws: Path, day: date) -> dict[str, str]:
    doc = json.loads(ok(ws, day, "overdue", "--json"))
    return {t["id"]: t["card"] for t in doc["tasks"]}


def recorded_cards(ws: Path, day: date) -> dict[str, str]:
    """The card each task carries on *day* by the ``card`` events sweep recorded."""
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        states = st.states(day)
    return {tid: NAMES[s.card_level or 0] for tid, s in states.items()}


def card_events(ws: Path, task: str, day: date) -> list[tuple[str, str]]:
    doc = json.loads(ok(ws, day, "history", task, "--json"))
    return [(e["at"], NAMES[e["data"]["level"]]) for e in doc["events"] if e["kind"] == "card"]


def days() -> list[date]:
    return [FIRST + timedelta(n) for n in range((LAST - FIRST).days + 1)]


# --- the history of the issue ---------------------------------------------------------


def test_a_task_first_seen_long_overdue_is_red_until_its_supervise_notice_lapses(
    ws: Path,
) -> None:
    """sweep 6/22 (before any notify) → notify 6/22 → sweep 6/23: red, red — never 问责
    then 红牌. 问责 comes the first working day after the 督办单's reply deadline."""
    day1, day2 = date(2020, 6, 22), date(2020, 6, 23)
    assert status_cards(ws, day1)["OLD-01"] == "red"
    ok(ws, day1, "sweep")
    assert recorded_cards(ws, day1)["OLD-01"] == "red"
    notify(ws, day1)
    # filed 6/22: reply by 6/28 (6/23, 6/24 and the 调休 Sunday 6/28)
    doc = json.loads(ok(ws, day1, "notice", "list", "--task", "OLD-01", "--json"))
    (supervise,) = [n for n in doc["notices"] if n["kind"] == "supervise"]
    assert supervise["response_due"] == "2020-06-28"
    ok(ws, day2, "sweep")
    for day in (date(2020, 6, 24), date(2020, 6, 28), date(2020, 6, 29)):
        ok(ws, day, "sweep")
    assert card_events(ws, "OLD-01", date(2020, 6, 29)) == [
        ("2020-06-22", "red"),
        ("2020-06-29", "accountability"),
    ]
    doc = json.loads(ok(ws, date(2020, 6, 29), "status", "--json"))
    (old,) = [t for t in doc["tasks"] if t["id"] == "OLD-01"]
    assert old["card"] == "accountability"
    assert old["reasons"][0] == "红牌督办回复期限 2020-06-28 已过"


def test_status_never_shows_accountability_without_a_filed_supervise_notice(ws: Path) -> None:
    """No notify ever ran: however long a task stays red, no 督办单 was filed, so it is
    红牌, in status and in what sweep records (and overdue names 督办 as the next step)."""
    for day in (date(2020, 6, 22), date(2020, 7, 10), date(2020, 12, 31)):
        assert status_cards(ws, day)["OLD-01"] == "red", day
        ok(ws, day, "sweep")
        assert recorded_cards(ws, day)["OLD-01"] == "red", day
        doc = json.loads(ok(ws, day, "overdue", "--json"))
        (old,) = [t for t in doc["tasks"] if t["id"] == "OLD-01"]
        assert (old["card"], old["next_kind"], old["next_on"]) == (
            "red",
            "supervise",
            day.isoformat(),
        )
    code, out, _ = run(ws, "--as-of", "2020-07-10", "status", "--card", "问责", "--json")
    assert code == 0 and json.loads(out)["tasks"] == []


def test_overdue_and_status_agree_before_the_first_notify(ws: Path) -> None:
    """The first day gaoxin sees the workspace (no notice filed yet), overdue and status
    give every task the same card."""
    day = date(2020, 6, 22)
    shown = status_cards(ws, day)
    late = overdue_cards(ws, day)
    assert late == {tid: card for tid, card in shown.items() if card != "none"}
    assert late["OLD-01"] == "red"


# --- every day, every cron order --------------------------------------------------------

ORDERS = {
    "sweep, then notify": ("sweep", "notify"),
    "notify, then sweep": ("notify", "sweep"),
    "sweep alone": ("sweep",),
    "notify alone": ("notify",),
}


def walk(ws: Path, order: tuple[str, ...]) -> dict[date, dict[str, str]]:
    """Run *order* every day from FIRST to LAST; check that status, overdue and (when
    sweep runs) the recorded cards agree on every task, before and after the runs; return
    each day's status cards."""
    seen: dict[date, dict[str, str]] = {}
    for day in days():
        before = status_cards(ws, day)
        for command in order:
            if command == "sweep":
                ok(ws, day, "sweep")
            else:
                notify(ws, day)
                acknowledge(ws, day)
            # status is the same whichever of the day's runs it follows
            assert status_cards(ws, day) == before, (day, command)
        late = overdue_cards(ws, day)
        assert late == {t: c for t, c in before.items() if c != "none"}, day
        if "sweep" in order:
            recorded = recorded_cards(ws, day)
            assert {t: recorded.get(t, "none") for t in before} == before, day
        seen[day] = before
    return seen


def falls(seen: dict[date, dict[str, str]], task: str) -> list[tuple[date, str, str]]:
    """Days on which *task*'s card went down (no report in this plan: none should)."""
    out = []
    last = 0
    for day, cards in sorted(seen.items()):
        level = NAMES.index(cards[task])
        if level < last:
            out.append((day, NAMES[last], cards[task]))
        last = level
    return out


def test_every_cron_order_gives_the_same_cards_every_day(tmp_path: Path) -> None:
    results = {}
    for name, order in ORDERS.items():
        ws = workspace(tmp_path / name.replace(", ", "-").replace(" ", "-"))
        report(ws)
        results[name] = walk(ws, order)
    # notify filing the 督办单 is what makes L4 possible: whenever notify runs every
    # working day, the order does not matter.
    with_notify = [results[n] for n in ORDERS if "notify" in ORDERS[n]]
    assert all(r == with_notify[0] for r in with_notify)
    cards = with_notify[0]
    for task in ("OLD-01", "LT-01", "LT-04", "ST-01"):
        assert falls(cards, task) == [], task
    # sweep alone files no 督办单: never 问责, the same cards otherwise
    alone = results["sweep alone"]
    assert all(c != "accountability" for cs in alone.values() for c in cs.values())
    downgraded = {
        d: {t: ("red" if c == "accountability" else c) for t, c in cs.items()}
        for d, cs in cards.items()
    }
    assert alone == downgraded
    # the days 问责 begins: the first working day after each 督办单's reply deadline
    first_l4 = {
        t: min((d for d, cs in cards.items() if cs[t] == "accountability"), default=None)
        for t in ("OLD-01", "LT-01", "LT-04", "ST-01")
    }
    assert first_l4 == {
        "OLD-01": date(2020, 6, 16),  # red (100 points behind) on 6/10: 督办单, reply by 6/15
        "ST-01": date(2020, 6, 19),  # red by lag Sunday 6/14: 督办单 Monday, reply by 6/18
        "LT-01": date(2020, 7, 1),  # 6 WD late on 6/24: 督办单, reply by 6/30
        "LT-04": date(2020, 7, 9),  # 6 WD late on 7/3: 督办单, reply by 7/8
    }


# --- 问题提报 follow the same rule ----------------------------------------------------


def problem_cards(ws: Path, day: date) -> dict[str, dict[str, str]]:
    """The problem's card by ``status``, ``overdue`` and ``problem list`` on *day*."""
    out = {}
    for command in (("status", "--json"), ("overdue", "--json"), ("problem", "list", "--json")):
        doc = json.loads(ok(ws, day, *command))
        out[command[0]] = {p["number"]: p["card"] for p in doc["problems"]}
    return out


def test_a_late_problem_is_red_until_its_own_supervise_notice_lapses(ws: Path) -> None:
    """Reported 4/30 and never accepted (due 5/6): red from 5/14, but 问责 only after the
    reply deadline of the 督办单 notify files — the same in status, overdue and
    ``problem list``, before and after notify runs."""
    ok(ws, date(2020, 4, 30), "problem", "report", "路灯不亮")
    number = "问题〔2020〕1号"
    first = date(2020, 5, 25)  # 14 WD late when gaoxin is first run
    seen = problem_cards(ws, first)
    assert seen == {name: {number: "red"} for name in seen}
    notify(ws, first)  # files its 督办单: reply by 5/28
    assert problem_cards(ws, first) == seen
    assert problem_cards(ws, date(2020, 5, 28)) == seen
    late = problem_cards(ws, date(2020, 5, 29))
    assert late == {name: {number: "accountability"} for name in late}
