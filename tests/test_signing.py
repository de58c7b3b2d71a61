"""签收 (issue 16 item 4): ``notice sign`` records that the addressed unit acknowledged a
notice; a task notice unsigned past its reply deadline is a reason on the task's card,
which status, sweep, overdue and notify all see; the listings show what waits."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.models.notice import SignRow, signed_days
from gaoxin_cli.rules.signing import overdue_unsigned
from gaoxin_cli.store import Store
from helpers import run

FILED = "2020-03-02"  # notify files 交办〔2020〕1号 (JC-01) and 2号 (JC-02), reply by 3/05
JC02 = "交办〔2020〕2号"


@pytest.fixture
def filed(ws: Path) -> Path:
    code, _, err = run(ws, "--as-of", FILED, "notify", "--outbox", str(ws / "box"))
    assert code == 0, err
    return ws


def card(ws: Path, day: str, task: str = "JC-02") -> tuple[str, list[str]]:
    code, out, err = run(ws, "--as-of", day, "status", "--json")
    assert code == 0, err
    row = next(r for r in json.loads(out)["tasks"] if r["id"] == task)
    return row["card"], row["reasons"]


def sign(ws: Path, day: str, *args: str) -> tuple[int, str, str]:
    return run(ws, "--as-of", day, "notice", "sign", *args)


def sign_rows(ws: Path) -> list[tuple[str, str | None, str]]:
    conn = sqlite3.connect(ws / "data" / "gaoxin.db")
    try:
        return conn.execute("SELECT action, unit, at FROM notice_signs ORDER BY id").fetchall()
    finally:
        conn.close()


def test_an_unsigned_notice_turns_the_card_blue_after_its_reply_deadline(filed: Path) -> None:
    # JC-02 is on plan: no card of its own, only its unsigned 交办单 can give it one
    assert card(filed, "2020-03-05") == ("none", [])  # the reply deadline itself
    level, reasons = card(filed, "2020-03-06")
    assert level == "blue"
    assert reasons == [f"{JC02} 未签收，回复期限 2020-03-05 已过 1 个工作日"]
    # overdue and notify read the same picture: a 提醒 is due today for JC-02
    code, out, _ = run(filed, "--as-of", "2020-03-06", "overdue", "--json")
    row = next(r for r in json.loads(out)["tasks"] if r["id"] == "JC-02")
    assert (row["card"], row["next_kind"], row["next_on"]) == ("blue", "remind", "2020-03-06")
    # signed (as the unit said on 3/04): the cause is gone, and so is the card
    code, out, err = sign(filed, "2020-03-06", JC02, "--by", "建设局", "--at", "2020-03-04")
    assert (code, out, err) == (0, f"已登记签收：{JC02}，建设局，2020-03-04\n", "")
    assert card(filed, "2020-03-06") == ("none", [])
    code, out, _ = run(filed, "--as-of", "2020-03-06", "notify", "--dry-run")
    assert code == 0 and "提醒" not in out.splitlines()[0]
    # the past stays as it was: on 3/03 (before the 签收 day) the notice waited
    code, out, _ = run(filed, "--as-of", "2020-03-03", "notice", "list", "--json")
    by_number = {n["number"]: n for n in json.loads(out)["notices"]}
    assert (by_number[JC02]["signed"], by_number[JC02]["waiting_wd"]) == (False, 1)


def test_sweep_records_the_card_and_its_fall(filed: Path) -> None:
    assert run(filed, "--as-of", "2020-03-06", "sweep")[0] == 0
    assert sign(filed, "2020-03-09", JC02, "--by", "jianshe")[0] == 0
    assert run(filed, "--as-of", "2020-03-09", "sweep")[0] == 0
    with Store.open(filed / "data" / "gaoxin.db", write=False) as st:
        cards = [(e.at, (e.data or {})["level"]) for e in st.history("JC-02") if e.kind == "card"]
    assert cards == [(date(2020, 3, 6), 1), (date(2020, 3, 9), 0)]


def test_signing_twice_records_once(filed: Path) -> None:
    assert sign(filed, "2020-03-04", JC02, "--by", "jianshe")[0] == 0
    code, out, _ = sign(filed, "2020-03-05", JC02, "--by", "建设局", "--at", "2020-03-05")
    assert (code, out) == (0, f"{JC02} 已于 2020-03-04 签收，未重复登记\n")
    code, out, _ = sign(filed, "2020-03-05", "交办[2020]2", "--by", "jianshe", "--json")
    doc = json.loads(out)
    assert (doc["action"], doc["already"], doc["signed_on"]) == (None, True, "2020-03-04")
    assert sign_rows(filed) == [("sign", "jianshe", "2020-03-04")]


def test_withdraw_and_sign_again(filed: Path) -> None:
    assert sign(filed, "2020-03-04", JC02, "--by", "jianshe")[0] == 0
    code, _, err = sign(filed, "2020-03-09", JC02, "--withdraw")
    assert (code, err) == (1, "错误：撤回签收须写明原因（--reason）\n")
    code, out, _ = sign(filed, "2020-03-09", JC02, "--withdraw", "--reason", "误登，实为财政局")
    assert (code, out) == (0, f"已撤回 {JC02} 的签收（误登，实为财政局）；该通知已等 5 个工作日\n")
    assert card(filed, "2020-03-09")[0] == "blue"
    assert card(filed, "2020-03-06")[0] == "none"  # as of 3/06 it was still signed
    code, _, err = sign(filed, "2020-03-09", JC02, "--by", "jianshe", "--at", "2020-03-05")
    assert code == 1 and "2020-03-09 或之后" in err  # a sign before the withdrawal is undone by it
    assert sign(filed, "2020-03-10", JC02, "--by", "jianshe")[0] == 0
    assert card(filed, "2020-03-10")[0] == "none"
    assert sign_rows(filed) == [
        ("sign", "jianshe", "2020-03-04"),
        ("withdraw", None, "2020-03-09"),
        ("sign", "jianshe", "2020-03-10"),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--by", "财政局"], 1, f"{JC02} 发给 建设局，不是 财政局：签收须由收文单位"),
        (
            ["--by", "jianshe", "--at", "2020-03-07"],
            1,
            "签收日期 2020-03-07 晚于今天（2020-03-06）",
        ),
        (
            ["--by", "jianshe", "--at", "2020-03-01"],
            1,
            "早于 交办〔2020〕2号 的签发日期 2020-03-02",
        ),
        (["--by", "nosuch"], 1, "nosuch"),
        ([], 2, "--by"),
        (["--by", "jianshe", "--reason", "x"], 2, "--withdraw"),
        (["--withdraw", "--at", "2020-03-05", "--reason", "x"], 2, "--at"),
    ],
)
def test_refusals_record_nothing(filed: Path, args: list[str], code: int, message: str) -> None:
    got, out, err = sign(filed, "2020-03-06", JC02, *args)
    assert (got, out) == (code, "")
    assert message in err
    assert sign_rows(filed) == []


def test_unknown_and_future_notices(filed: Path) -> None:
    code, _, err = sign(filed, "2020-03-06", "交办〔2020〕9号", "--by", "jianshe")
    assert code == 1 and "交办〔2020〕9号" in err
    code, _, _ = sign(filed, "2020-03-01", JC02, "--by", "jianshe")  # not filed yet that day
    assert code == 1


def test_listings_show_what_waits(filed: Path) -> None:
    assert sign(filed, "2020-03-04", "交办〔2020〕1号", "--by", "jianshe")[0] == 0
    code, out, _ = run(filed, "--as-of", "2020-03-09", "notice", "list", "--unsigned")
    assert code == 0 and JC02 in out and "交办〔2020〕1号" not in out
    assert "未签 5" in out
    code, out, _ = run(filed, "--as-of", "2020-03-09", "status")
    assert "未签收通知 1 份（逾回复期限 1 份）" in out
    assert f"{JC02}   JC-02" in out and "5 个工作日，已逾期" in out
    code, out, _ = run(filed, "--as-of", "2020-03-09", "status", "--json")
    assert json.loads(out)["unsigned"] == [
        {
            "number": JC02,
            "kind": "assign",
            "task": "JC-02",
            "unit": "jianshe",
            "issued_on": "2020-03-02",
            "response_due": "2020-03-05",
            "waiting_wd": 5,
            "late": True,
        }
    ]
    code, out, _ = run(filed, "--as-of", "2020-03-09", "notice", "show", "交办〔2020〕1号")
    assert out.splitlines()[-1] == "签收：建设局 2020-03-04"
    code, out, _ = run(filed, "--as-of", "2020-03-09", "notice", "show", JC02, "--json")
    doc = json.loads(out)
    assert (doc["signed"], doc["signed_on"], doc["waiting_wd"]) == (False, None, 5)


def test_signatures_are_append_only(filed: Path) -> None:
    assert sign(filed, "2020-03-04", JC02, "--by", "jianshe")[0] == 0
    conn = sqlite3.connect(filed / "data" / "gaoxin.db")
    try:
        for sql in ("UPDATE notice_signs SET at = '2020-03-03'", "DELETE FROM notice_signs"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    finally:
        conn.close()


class _Notice:
    def __init__(self, number: str, due: date, signed_on: date | None = None) -> None:
        self.number, self.issued_on, self.response_due = number, date(2020, 3, 2), due
        self.signed_on = signed_on


def test_the_rule_counts_only_what_is_late_and_unsigned_that_day() -> None:
    a = _Notice("交办〔2020〕1号", date(2020, 3, 5))
    b = _Notice("提醒〔2020〕1号", date(2020, 3, 9))
    c = _Notice("催办〔2020〕1号", date(2020, 3, 4), signed_on=date(2020, 3, 8))
    assert overdue_unsigned([a, b], date(2020, 3, 5)) is None  # a's deadline is today
    found = overdue_unsigned([a, b, c], date(2020, 3, 5))
    assert found is not None and (found.number, found.total) == ("催办〔2020〕1号", 1)
    found = overdue_unsigned([b, a, c], date(2020, 3, 6))
    assert found is not None and (found.number, found.total) == ("催办〔2020〕1号", 2)
    found = overdue_unsigned([a, b, c], date(2020, 3, 10))
    assert found is not None and (found.number, found.total) == ("交办〔2020〕1号", 2)
    rows = [
        SignRow(1, "sign", "u", date(2020, 3, 3), id=1),
        SignRow(1, "sign", "u", date(2020, 3, 4), id=2),  # already signed: no change
        SignRow(2, "sign", "u", date(2020, 3, 4), id=3),
        SignRow(2, "withdraw", None, date(2020, 3, 5), "wrong unit", id=4),
    ]
    assert signed_days(rows) == {1: date(2020, 3, 3)}
    assert signed_days(rows[:3]) == {1: date(2020, 3, 3), 2: date(2020, 3, 4)}
