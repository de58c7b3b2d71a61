"""The bulletin's task table words each different status once (render/bulletin.py): the
rows read as :func:`_task_status` words each task on its own, for many tasks sharing a
few statuses, parameters equal as numbers but not as text (1, 1.0, True), and
parameters that cannot be hashed."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gaoxin_cli.i18n import Lang
from gaoxin_cli.ranking.result import RankingResult
from gaoxin_cli.render import bulletin as rb
from gaoxin_cli.service.bulletin import Bulletin, BulletinTask
from gaoxin_cli.store.awards import CardNow


def _tasks(n: int, seed: int) -> list[BulletinTask]:
    rnd = random.Random(seed)
    reasons: list[tuple[tuple[str, dict[str, object]], ...]] = [
        (("card.overdue", {"wd": 1}),),
        (("card.overdue", {"wd": 1.0}),),
        (("card.overdue", {"wd": True}),),
        (("card.lag", {"pp": 12.5}), ("card.overdue", {"wd": 3})),
        (("card.due_today", {}),),
        (("card.overdue", {"wd": [1, 2]}),),  # unhashable: worded without the memo
        (("no.such.key", {"x": 1}),),
    ]
    out = []
    for i in range(n):
        card = None
        if rnd.random() < 0.8:
            since = date(2020, 10, 1) + timedelta(days=rnd.randrange(2))
            card = CardNow(rnd.choice([3, 4]), since, rnd.choice(reasons))
        listed = rnd.random() < 0.3
        out.append(
            BulletinTask(
                task=f"T-{i}",
                title=f"任务 {i}",
                unit="建设局",
                due=date(2020, 9, 30),
                progress=rnd.choice([0.0, 50.0, 99.5]),
                red_raised=rnd.randrange(3),
                card=card,
                listed_since=date(2020, 6, 1) if listed else None,
                listed_by=rnd.choice([None, "王副主任"]) if listed else None,
            )
        )
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_status_is_worded_as_on_its_own(lang: Lang, monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = _tasks(600, 3)
    plain = rb._task_status
    calls: list[str] = []

    def counted(x: BulletinTask, lang: Lang) -> str:
        calls.append(x.task)
        return plain(x, lang)

    monkeypatch.setattr(rb, "_task_status", counted)
    b = Bulletin(
        result=RankingResult.__new__(RankingResult),
        frozen=None,
        office="督查室",
        issued=date(2020, 11, 2),
        tasks=tuple(tasks),
    )
    _, rows = rb._task_table(b, lang)
    worded = len(calls)
    assert [r[6] for r in rows] == [plain(x, lang) for x in tasks]
    keys = [rb._status_key(x) for x in tasks]
    unhashable = keys.count(None)
    assert unhashable > 0
    assert worded == len(set(keys)) - 1 + unhashable < len(tasks) / 2  # each status once
    # 1, 1.0 and True met with everything else equal, and were worded apart
    met: dict[tuple[object, ...], set[type]] = {}
    for x in tasks:
        if x.card is not None and x.card.reasons[0][0] == "card.overdue":
            wd = x.card.reasons[0][1]["wd"]
            if not isinstance(wd, list):
                key = (x.red_raised, x.card.level, x.card.since, x.listed_since, x.listed_by)
                met.setdefault(key, set()).add(type(wd))
    assert any(len(types) == 3 for types in met.values())
