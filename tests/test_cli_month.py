"""ranking / flag award|history|score / bulletin through the real CLI.

Runs on the hand-computed workspace of tests/test_ranking.py (tests/data/ranking).
Golden files: GAOXIN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_cli_month.py
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import helpers
from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store
from helpers import golden

DATA = Path(__file__).parent / "data" / "ranking"
DAY = "2020-07-01"


def run(ws: Path, *args: str, columns: int = 80, as_of: str = DAY) -> tuple[int, str, str]:
    """As helpers.run, on this file's day unless *as_of* says otherwise."""
    return helpers.run(ws, "--as-of", as_of, *args, columns=columns)


def ok(ws: Path, *args: str, **kw: Any) -> str:
    code, out, err = run(ws, *args, **kw)
    assert code == 0, err
    return out


def load_history(root: Path) -> None:
    events = []
    for line in (root / "history.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc["at"] = date.fromisoformat(doc["at"])
        events.append(Event(**doc))
    with Store.open(root / "data" / "gaoxin.db", write=True) as store:
        store.add(events)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("month") / "ws"
    shutil.copytree(DATA, root)
    load_history(root)
    ok(
        root,
        "flag",
        "score",
        "weijian",
        "-p",
        "2020-05",
        "--points",
        "2",
        "--reason",
        "疫情防控表现突出",
        "--by",
        "L-wang",
    )
    for unit, points in (("jianshe", "95"), ("caizheng", "85"), ("jiaoyu", "90")):
        ok(
            root,
            "flag",
            "score",
            unit,
            "-p",
            "2020Q2",
            "--kind",
            "inspection",
            "--points",
            points,
            "--reason",
            "二季度现场督查",
            "--by",
            "L-li",
        )
    return root


@pytest.fixture
def ws(base: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(base, target)
    return target


# --- ranking ------------------------------------------------------------------------------


def test_ranking_whole_output(base: Path) -> None:
    code, out, err = run(base, "ranking", "--period", "2020-06")
    assert (code, err) == (0, "")
    golden("ranking-2020-06.txt", out)
    golden("ranking-2020-06-en.txt", ok(base, "--lang", "en", "ranking", "-p", "2020-06"))
    golden(
        "ranking-2020-04-cards-100.txt",
        ok(base, "ranking", "-p", "2020-04", "--cards", columns=100),
    )


def test_ranking_quarter_with_warning(base: Path) -> None:
    code, out, err = run(base, "ranking", "--period", "2020Q2")
    assert code == 0
    assert err == "注意：2020Q2 以下单位没有领导督查评分，季度得分按各月平均：卫生健康局\n"
    golden("ranking-2020Q2.txt", out)


def test_explain(base: Path) -> None:
    golden(
        "ranking-explain-jianshe-2020-06.txt",
        ok(base, "ranking", "-p", "2020-06", "--explain", "jianshe"),
    )
    out = ok(base, "ranking", "-p", "2020Q2", "--explain", "weijian", columns=100)
    golden("ranking-explain-weijian-2020Q2.txt", out)
    # the quarter's lines, then each month's own table, each with its total
    totals = [line.split()[-1] for line in out.splitlines() if line.startswith("合计")]
    assert totals == ["95.17", "86.00", "94.50", "105.00"]


def test_default_period_follows_the_config(base: Path) -> None:
    doc = json.loads(ok(base, "ranking", "--json", as_of="2020-06-10"))
    assert (doc["period"], doc["complete"]) == ("2020-06", False)


def test_csv_and_json(base: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(base, "ranking", "-p", "2020-05", "--csv"))))
    assert [
        (r["rank"], r["unit"], r["score"], r["flag"], r["bottom"], r["exempt"]) for r in rows
    ] == [
        ("1", "caizheng", "101.00", "true", "false", "false"),
        ("2", "jianshe", "99.00", "false", "false", "false"),
        ("3", "jiaoyu", "95.00", "false", "false", "true"),
        ("4", "weijian", "94.50", "false", "true", "false"),
    ]
    doc = json.loads(ok(base, "ranking", "-p", "2020-05", "--json", "--explain", "weijian"))
    assert [u["unit"] for u in doc["units"]] == ["weijian"]
    assert doc["frozen"] is None and doc["previous"] == "2020-04"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("ranking", "-p", "2020-13"), 2, '"2020-13" 不是有效的期间：年写 2020'),
        (
            ("ranking", "-p", "2020-06-01"),
            2,
            '评比期须是月、季度或年（2020-05、2020Q2、2020），"2020-06-01" 不是',
        ),
        (("bulletin", "-p", "2020-05..2020-06"), 2, "评比期须是月、季度或年"),
        (("ranking", "--json", "--csv"), 2, "--json 和 --csv 只能选一个"),
        (("ranking", "--explain", "jiansh"), 1, '是否指 "jianshe"'),
        (
            ("ranking", "--explain", "duchashi", "-p", "2020-05"),
            1,
            "duchashi 不在 2020-05 的排名中",
        ),
        (("bulletin", "-f", "pdf"), 2, "pdf"),
    ],
)
def test_bad_options(base: Path, args: tuple[str, ...], code: int, message: str) -> None:
    got, out, err = run(base, *args)
    assert (got, out) == (code, "")
    assert message in err


def test_without_any_card_history_says_so(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(DATA, ws)
    code, out, err = run(ws, "ranking", "-p", "2020-05")
    assert code == 0
    assert err == (
        "注意：截至 2020-05-31 没有任何牌色记录（gaoxin sweep 没有运行过），红黄牌未扣分：请每个工作日运行 gaoxin sweep（可放进 cron）\n"
    )
    assert not (ws / "data" / "gaoxin.db").exists()  # reading never creates the store
    assert "流动红旗：" in out


# --- flag award / history / score -----------------------------------------------------------


def _frozen_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("frozen",)}


def test_award_is_frozen_against_later_plan_and_rule_changes(ws: Path) -> None:
    before = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json"))
    out = ok(ws, "flag", "award", "--period", "2020-05")
    assert (
        out == "已评定 2020年5月：流动红旗 财政局；末位 卫生健康局。结果已冻结（第 1 号评定）。\n"
    )
    # Change the rules and the plan: red cards weigh 1, the top 2 with 100 or more hold
    # the flag, C2 is gone.
    cfg = ws / "gaoxin.yaml"
    text = cfg.read_text(encoding="utf-8").replace("red_card: 5", "red_card: 1")
    cfg.write_text(
        text.replace("top_n: 1", "top_n: 1\n    flag_threshold: 100").replace(
            "top_n: 1", "top_n: 2"
        ),
        encoding="utf-8",
    )
    plan = ws / "plans" / "q2.yaml"
    plan.write_text(
        "\n".join(x for x in plan.read_text(encoding="utf-8").splitlines() if "id: C2" not in x)
        + "\n",
        encoding="utf-8",
    )
    frozen = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json"))
    assert frozen["frozen"]["award"] == 1 and frozen["frozen"]["awarded_on"] == DAY
    assert _frozen_view(frozen) == _frozen_view(before)
    text = ok(ws, "ranking", "-p", "2020-05")
    assert "已于 2020-07-01 评定，以下为冻结结果（--live 按当前计划和规则重算）" in text
    live = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json", "--live"))
    assert live["frozen"] is None
    # Red cards now −1: 财政局 without C2: C1 −1, 1/1 done +5 → 104; 建设局 J1 −1, J2 −1,
    # +5 → 103; 教育局 E1's two reds −2, +5 → 103 (more red cards: below 建设局);
    # 卫健局 W3 −1, W1 late −5, +2, +2.50 → 98.50
    assert [(u["unit"], u["score"]) for u in live["units"]] == [
        ("caizheng", 104.0),
        ("jianshe", 103.0),
        ("jiaoyu", 103.0),
        ("weijian", 98.5),
    ]
    assert live["holders"] == ["caizheng", "jianshe"] and frozen["holders"] == ["caizheng"]
    # The quarter takes the frozen May as it was awarded.
    quarter = json.loads(ok(ws, "ranking", "-p", "2020Q2", "--json"))
    may = {u["unit"]: u["parts"][1]["score"] for u in quarter["units"]}
    assert may == {u["unit"]: u["score"] for u in before["units"]}
    # and June now compares with the award of May
    june = json.loads(ok(ws, "ranking", "-p", "2020-06", "--json"))
    assert june["previous_frozen"] is True


def test_an_award_frozen_with_new_cards_reads_back_the_same(ws: Path) -> None:
    """May awarded while the workspace counted only the cards raised in a month (``new``,
    the one rule before ``in_force``), then the rule changes to the default: the award
    reads back exactly as frozen; only ``--live`` counts the cards held from April."""
    cfg = ws / "gaoxin.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + "    cards: new\n", encoding="utf-8")
    before = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json"))
    bulletin = ok(ws, "bulletin", "-p", "2020-05", as_of="2020-07-02")
    ok(ws, "flag", "award", "--period", "2020-05")
    cfg.write_text(text, encoding="utf-8")  # back to the default, in_force
    frozen = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json"))
    assert _frozen_view(frozen) == _frozen_view(before)
    assert frozen["rules"]["cards"] == "new"
    assert [(u["unit"], u["score"]) for u in frozen["units"]] == [
        ("caizheng", 106.0),
        ("jianshe", 104.0),
        ("jiaoyu", 100.0),
        ("weijian", 99.5),
    ]
    explained = ok(ws, "ranking", "-p", "2020-05", "--explain", "jiaoyu", columns=120)
    assert "起持有" not in explained and "本期亮红牌 1 次" in explained
    after = ok(ws, "bulletin", "-p", "2020-05", as_of="2020-07-02")
    assert (
        after.replace("排名为 2020-07-01 评定的冻结结果。", "排名为实时计算结果，尚未评定。")
        == bulletin
    )
    live = json.loads(ok(ws, "ranking", "-p", "2020-05", "--json", "--live"))
    assert [(u["unit"], u["score"]) for u in live["units"]] == [
        ("caizheng", 101.0),
        ("jianshe", 99.0),
        ("jiaoyu", 95.0),
        ("weijian", 94.5),
    ]
    # The quarter takes May as frozen (April and June count the same cards either way).
    quarter = json.loads(ok(ws, "ranking", "-p", "2020Q2", "--json"))
    assert [p["score"] for u in quarter["units"] for p in u["parts"][1:2]] == [
        100.0,
        99.5,
        104.0,
        106.0,
    ]


def test_award_again_needs_force_and_reason_and_keeps_both(ws: Path) -> None:
    ok(ws, "flag", "award", "-p", "2020-06")
    code, out, err = run(ws, "flag", "award", "-p", "2020-06")
    assert (code, out) == (1, "")
    assert err == (
        "错误：2020-06 已于 2020-07-01 评定（流动红旗：教育局），结果已冻结\n"
        "提示：确需重新评定，请加 --force --reason 说明原因；原评定仍保留在历史中\n"
    )
    assert run(ws, "flag", "award", "-p", "2020-06", "--force")[0] == 2
    # The docs say the same (issue 12 item 7): a missing --reason is a usage error.
    doc = " ".join((helpers.REPO / "docs" / "ranking.md").read_text("utf-8").split())
    assert (
        "`--force` without `--reason`, or `--reason` without `--force`, is a usage error"
        " (exit 2)" in doc
    )
    assert run(ws, "flag", "award", "-p", "2020-06", "--reason", "x")[0] == 2
    assert run(ws, "flag", "award", "-p", "2020-06", "--force", "--reason", "a\x1b[31m")[0] == 2
    out = ok(
        ws,
        "flag",
        "award",
        "-p",
        "2020-06",
        "--force",
        "--reason",
        "补录领导督查意见",
        as_of="2020-07-02",
    )
    assert out.startswith("已重新评定 2020年6月（原因：补录领导督查意见），取代第 1 号评定")
    doc = json.loads(ok(ws, "flag", "history", "--json"))
    (entry,) = doc["awards"]
    assert (entry["award"], entry["supersedes"], entry["force_reason"]) == (
        2,
        1,
        "补录领导督查意见",
    )
    assert [(a["award"], a["awarded_on"]) for a in entry["superseded"]] == [(1, "2020-07-01")]
    with Store.open(ws / "data" / "gaoxin.db", write=False) as store:
        assert [r[0] for r in store.query("SELECT supersedes FROM awards ORDER BY id")] == [None, 1]
    text = ok(ws, "ranking", "-p", "2020-06")
    assert "已于 2020-07-02 重新评定（原因：补录领导督查意见）" in text


def test_award_only_after_the_period_ends(ws: Path) -> None:
    code, _, err = run(ws, "flag", "award", "-p", "2020-06", as_of="2020-06-30")
    assert code == 1
    assert err == "错误：2020-06 到 2020-06-30 才结束，结束后才能评定\n"
    # the default is the period that ended last
    assert "2020年6月" in ok(ws, "flag", "award")


def test_history_timeline(ws: Path) -> None:
    assert (
        ok(ws, "flag", "history")
        == "测试区 流动红旗历史\n还没有评定过流动红旗（gaoxin flag award --period …）\n"
    )
    for period in ("2020-04", "2020-05", "2020-06", "2020Q2"):
        ok(ws, "flag", "award", "-p", period)
    ok(
        ws,
        "flag",
        "award",
        "-p",
        "2020-06",
        "--force",
        "--reason",
        "更正六月记录",
        as_of="2020-07-03",
    )
    golden("flag-history.txt", ok(ws, "flag", "history"))
    golden("flag-history-en.txt", ok(ws, "--lang", "en", "flag", "history"))
    doc = json.loads(ok(ws, "flag", "history", "--json"))
    assert [
        (a["period"], a["holders"], a["move"], a["streak"], a["moved_from"]) for a in doc["awards"]
    ] == [
        ("2020-04", [], "vacant", 0, []),
        ("2020-05", ["caizheng"], "new", 1, []),
        ("2020-06", ["jiaoyu"], "moved", 1, ["caizheng"]),
        ("2020Q2", ["jiaoyu"], "new", 1, []),
    ]


def test_score_items(ws: Path) -> None:
    out = ok(
        ws,
        "flag",
        "score",
        "jianshe",
        "-p",
        "2020-06",
        "--kind",
        "deduction",
        "--points",
        "1.5",
        "--reason",
        "信息报送不及时",
        "--by",
        "L-li",
    )
    assert out == "已记录 建设局 2020年6月 扣分 -1.5：信息报送不及时（李副主任，第 5 号）\n"
    doc = json.loads(ok(ws, "ranking", "-p", "2020-06", "--json"))
    jianshe = next(u for u in doc["units"] if u["unit"] == "jianshe")
    assert jianshe["score"] == 86.83
    assert jianshe["items"][-1] == {
        "rule": "deduction",
        "points": -1.5,
        "task": None,
        "title": None,
        "detail": {"reason": "信息报送不及时", "by": "L-li", "item": 5},
    }
    # the latest inspection score of a quarter counts
    ok(
        ws,
        "flag",
        "score",
        "jianshe",
        "-p",
        "2020Q2",
        "--kind",
        "inspection",
        "--points",
        "75",
        "--reason",
        "复核",
        "--by",
        "L-wang",
    )
    doc = json.loads(ok(ws, "ranking", "-p", "2020Q2", "--json"))
    assert (
        next(u for u in doc["units"] if u["unit"] == "jianshe")["score"] == 89.65
    )  # 0.3 × (88 + 99 + 86.83) + 0.1 × 75 = 89.649
    ok(ws, "flag", "award", "-p", "2020-06")
    code, _, err = run(
        ws,
        "flag",
        "score",
        "jiaoyu",
        "-p",
        "2020-06",
        "--points",
        "1",
        "--reason",
        "表扬",
        "--by",
        "L-li",
    )
    assert code == 0
    assert err.startswith("注意：2020-06 已评定并冻结，此项不改变已评定结果")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("jianshe", "-p", "2020-05", "--kind", "inspection", "--points", "90"), 2, "按季度记录"),
        (("jianshe", "-p", "2020Q2", "--kind", "inspection", "--points", "101"), 2, "0 到 100"),
        (("jianshe", "-p", "2020-05", "--points=-2"), 2, "扣分请用 --kind deduction"),
        (("jianshe", "-p", "2020-05", "--points", "0"), 2, "0.01 到 100"),
        (("jianshe", "-p", "2020-05", "--points", "0.001"), 2, "0.01 到 100"),
        (("jiansh", "-p", "2020-05", "--points", "1"), 1, '是否指 "jianshe"'),
        (("jianshe", "-p", "2020-5-1", "--points", "1"), 2, "评比期须是月、季度或年"),
    ],
)
def test_score_item_errors(ws: Path, args: tuple[str, ...], code: int, message: str) -> None:
    got, out, err = run(ws, "flag", "score", *args, "--reason", "理由", "--by", "L-li")
    assert (got, out) == (code, "")
    assert message in err
    assert (
        run(
            ws,
            "flag",
            "score",
            "jianshe",
            "-p",
            "2020-05",
            "--points",
            "1",
            "--reason",
            "x",
            "--by",
            "L-nobody",
        )[0]
        == 1
    )
    assert (
        run(
            ws,
            "flag",
            "score",
            "jianshe",
            "-p",
            "2020-05",
            "--points",
            "1",
            "--reason",
            " ",
            "--by",
            "L-li",
        )[0]
        == 2
    )


# --- bulletin -----------------------------------------------------------------------------


def test_bulletin_markdown(ws: Path) -> None:
    ok(ws, "flag", "award", "-p", "2020-06")
    golden("bulletin-2020-06.md", ok(ws, "bulletin", "-p", "2020-06", as_of="2020-07-02"))
    golden(
        "bulletin-2020-06-en.md",
        ok(ws, "--lang", "en", "bulletin", "-p", "2020-06", as_of="2020-07-02"),
    )


def test_bulletin_html_is_self_contained(ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.html"
    code, out, err = run(ws, "bulletin", "-p", "2020-06", "-f", "html", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"已写入 {target}\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4;" in page and "<svg " in page
    assert not re.search(r"(?i)https?:|//[a-z]|<script|<link|<img|<iframe|@import|url\(", page)
    for name in ("教育局", "卫生健康局", "财政局", "建设局", "海川路北延", "产业基金设立"):
        assert name in page


def test_bulletin_lists_notices_of_the_month(ws: Path) -> None:
    with Store.open(ws / "data" / "gaoxin.db", write=True) as store, store.transaction():
        for seq, (kind, day) in enumerate(
            (("supervise", "2020-06-15"), ("remind", "2020-07-01")), 1
        ):
            store.insert(
                "INSERT INTO notices (number, kind, year, seq, subject, rung, issued_on, unit,"
                " recipients, body) VALUES (?, ?, 2020, ?, 'J3', 3, ?, 'jianshe', '[]', '')",
                (f"督办〔2020〕{seq}号", kind, seq, day),
            )
    out = ok(ws, "bulletin", "-p", "2020-06")
    assert "| 督办〔2020〕1号 | " in out  # then the kind, in words where the catalogue has them
    assert "| J3 海川路北延 | 建设局 | 2020-06-15 |" in out
    assert "督办〔2020〕2号" not in out
    assert "发出督办文书 1 件。" in out


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(DATA, ws)
    cfg = ws / "gaoxin.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("name: 建设局", "name: '[red]建设局</td><b>|'"),
        encoding="utf-8",
    )
    plan = ws / "plans" / "q2.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "title: 海川路北延", "title: '<script>alert(1)</script> *x* | y'"
        ),
        encoding="utf-8",
    )
    load_history(ws)
    text = ok(ws, "ranking", "-p", "2020-06", columns=120)
    assert "[red]建设局</td><b>|" in text
    page = ok(ws, "bulletin", "-p", "2020-06", "-f", "html")
    assert "<script>" not in page and "</td><b>" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        and "[red]建设局&lt;/td&gt;&lt;b&gt;|" in page
    )
    md = ok(ws, "bulletin", "-p", "2020-06")
    assert "\\<script\\>alert(1)\\</script\\> \\*x\\* \\| y" in md
    assert "| \\[red\\]建设局\\</td\\>\\<b\\>\\| |" in md


def test_csv_cells_never_start_a_formula() -> None:
    from gaoxin_cli.render.ranking_export import spreadsheet_text

    assert spreadsheet_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [spreadsheet_text(v) for v in ("+1", "-1", "@a", "建设局")] == [
        "'+1",
        "'-1",
        "'@a",
        "建设局",
    ]
