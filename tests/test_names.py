"""Units and leaders by id, short name or full name wherever a command takes one; names,
not ids, in what the commands print; the formal notice's full names; the pillar
heading from org.system (issue 14, items 3 and 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import golden, run

WEIJIAN = """  weijian:
    name: 卫健局
    short: 卫健
    head: {name: 钱局长, email: head@weijian.example.org}
    contact: {name: 吴联络, email: contact@weijian.example.org}
"""


def _config(ws: Path, old: str, new: str) -> None:
    cfg = ws / "gaoxin.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert old in text
    cfg.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def named(ws: Path) -> Path:
    """The mini workspace with short names (建设, 财政) and one more unit, 卫健局."""
    _config(ws, "    name: 建设局\n", "    name: 建设局\n    short: 建设\n")
    _config(ws, "    name: 财政局\n", "    name: 财政局\n    short: 财政\n")
    _config(ws, "leaders:\n", WEIJIAN + "leaders:\n")
    return ws


def ok(ws: Path, *args: str) -> str:
    code, out, err = run(ws, *args)
    assert (code, err) == (0, ""), (args, err)
    return out


def test_config_resolves_ids_short_and_full_names(named: Path) -> None:
    from gaoxin_cli.loading import workspace
    from gaoxin_cli.models import Config
    from gaoxin_cli.models.spec import to_record

    spec = workspace.load(named).config
    assert spec is not None
    cfg = to_record(spec)
    assert isinstance(cfg, Config)
    for text in ("卫健", "卫健局", "weijian", "WeiJian", " 卫健 "):
        assert cfg.resolve_unit(text) == "weijian", text
    assert cfg.resolve_unit("卫生") is None
    for text in ("王主任", "L-wang", "l-wang"):
        assert cfg.resolve_leader(text) == "L-wang", text
    assert cfg.unit_name("weijian") == "卫健局"
    assert cfg.unit_name("weijian", short=True) == "卫健"


@pytest.mark.parametrize("unit", ["建设", "建设局", "jianshe", "JIANSHE"])
def test_every_unit_filter_takes_id_short_or_full_name(named: Path, unit: str) -> None:
    day = ("--as-of", "2020-06-30")
    for cmd in (
        ("status", "--json"),
        ("overdue", "--json"),
        ("countdown", "--json"),
        ("notice", "list", "--json"),
        ("listed", "--json"),
        ("problem", "list", "--json"),
    ):
        assert ok(named, *day, *cmd, "--unit", unit) == ok(
            named, *day, *cmd, "--unit", "jianshe"
        ), cmd
    doc = json.loads(ok(named, *day, "status", "--json", "--unit", unit))
    assert doc["tasks"] and {r["lead"] for r in doc["tasks"]} == {"jianshe"}, doc


def test_weijian_by_short_name_full_name_and_id(named: Path) -> None:
    day = ("--as-of", "2020-06-30")
    outs = {u: ok(named, *day, "countdown", "--unit", u) for u in ("卫健", "卫健局", "weijian")}
    assert len(set(outs.values())) == 1, outs


def test_leaders_by_name(named: Path) -> None:
    day = ("--as-of", "2020-06-30")
    for cmd in (("status", "--json", "--leader"), ("overdue", "--json", "--leader")):
        assert ok(named, *day, *cmd, "王主任") == ok(named, *day, *cmd, "L-wang")
    assert ok(named, *day, "listed", "--by", "王主任") == ok(
        named, *day, "listed", "--by", "L-wang"
    )


def test_actions_take_names_and_record_ids(named: Path, tmp_path: Path) -> None:
    ok(named, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "10", "--by", "建设")
    ok(named, "--as-of", "2020-04-01", "submit", "JC-01", "--result", "完成", "--by", "建设局")
    ok(named, "--as-of", "2020-04-02", "review", "JC-01", "--return", "--by", "王主任",
       "--reason", "缺少验收材料")  # fmt: skip
    events = json.loads(ok(named, "--as-of", "2020-04-02", "history", "JC-01", "--json"))["events"]
    assert [e["unit"] for e in events if e["kind"] == "feedback"] == ["jianshe"]
    assert [e["data"]["by"] for e in events if e["kind"] == "lifecycle"][-1] == "L-wang"
    # problems: reported by a short name, assigned to a full name
    ok(named, "--as-of", "2020-04-30", "problem", "report", "路灯不亮", "--by", "财政")
    ok(named, "--as-of", "2020-05-06", "problem", "accept", "1")
    ok(named, "--as-of", "2020-05-06", "problem", "assign", "1", "--to", "卫健局")
    shown = json.loads(ok(named, "--as-of", "2020-05-06", "problem", "show", "1", "--json"))
    assert (shown["reporter"], shown["unit"]) == ("caizheng", "weijian"), shown
    # flag score and the ledger export
    out = ok(named, "--as-of", "2020-06-30", "flag", "score", "卫健", "--period", "2020-06",
             "--points", "1", "--reason", "亮点工作", "--by", "王主任")  # fmt: skip
    assert "卫健局" in out and "王主任" in out
    target = tmp_path / "t.xlsx"
    code, _, err = run(named, "--as-of", "2020-06-30", "ledger", "export", "-o", str(target),
                       "-u", "卫健")  # fmt: skip
    assert code == 0, err


def test_an_unknown_name_hints_over_ids_and_names(named: Path) -> None:
    code, _, err = run(named, "--as-of", "2020-06-30", "status", "--unit", "卫健委")
    assert (code, err) == (
        1,
        '错误：没有编号、简称或全称为 "卫健委" 的单位\n提示：是否指 "卫健"？\n',
    )
    code, _, err = run(
        named, "--lang", "en", "--as-of", "2020-06-30", "overdue", "--leader", "王主"
    )
    assert code == 1
    assert err.startswith('Error: no leader with id or name "王主"\n'), err
    code, _, err = run(
        named, "--as-of", "2020-06-30", "feedback", "JC-01", "-p", "5", "--by", "建投"
    )
    assert (code, err.splitlines()[0]) == (1, '错误：没有编号、简称或全称为 "建投" 的单位')


def test_an_ambiguous_short_name_lists_the_ids(named: Path) -> None:
    twin = WEIJIAN.replace("weijian:", "weijianwei:").replace("卫健局", "卫健委")
    _config(named, "leaders:\n", twin + "leaders:\n")
    code, _, err = run(named, "--as-of", "2020-06-30", "countdown", "--unit", "卫健")
    assert (code, err) == (1, '错误："卫健" 可指多个单位（weijian / weijianwei），请用编号\n')
    code, _, err = run(named, "--lang", "en", "--as-of", "2020-04-30", "problem", "report", "x",
                       "--by", "卫健")  # fmt: skip
    assert (code, err) == (
        1,
        'Error: "卫健" names more than one unit (weijian / weijianwei): give the id\n',
    )
    assert run(named, "--as-of", "2020-06-30", "countdown", "--unit", "卫健委")[0] == 0


def test_history_names_the_leader_not_the_id(named: Path) -> None:
    ok(named, "--as-of", "2020-04-01", "feedback", "JC-01", "--progress", "100")
    ok(named, "--as-of", "2020-04-01", "submit", "JC-01", "--result", "完成")
    ok(named, "--as-of", "2020-04-02", "review", "JC-01", "--accept", "--by", "L-wang")
    for lang, words in (("zh", "审核领导 王主任"), ("en", "王主任")):
        code, out, err = run(
            named, "--lang", lang, "--as-of", "2020-04-02", "history", "JC-01", columns=200
        )
        assert (code, err) == (0, "")
        assert words in out and "L-wang" not in out, out
        doc = json.loads(
            ok(named, "--lang", lang, "--as-of", "2020-04-02", "history", "JC-01", "--json")
        )
        texts = [e["text"] for e in doc["events"] if e["kind"] == "lifecycle"]
        assert texts and all("L-wang" not in x for x in texts), texts
        assert "王主任" in texts[-1]


# --- formal notices address units by their full name -------------------------------------------


def test_notice_sheet_addresses_units_by_full_name(named: Path, tmp_path: Path) -> None:
    for day in ("2020-06-23", "2020-06-24"):
        assert run(named, "--as-of", day, "notify", "--outbox", str(tmp_path / "box"))[0] == 0
    out = ok(named, "--as-of", "2020-06-24", "notice", "show", "督办〔2020〕1号")
    # every table says 建设 / 财政; the sheet says 建设局 / 财政局
    golden("notice-full-names.txt", out)
    assert "主送：建设局 赵联络" in out and "牵头单位：建设局" in out, out
    assert "配合单位：财政局" in out, out
    en = ok(named, "--lang", "en", "--as-of", "2020-06-24", "notice", "show", "督办〔2020〕1号")
    golden("notice-full-names-en.txt", en)
    assert "To: 建设局" in en or "建设局 赵联络" in en, en
    listed = ok(named, "--as-of", "2020-06-24", "notice", "list")
    assert "建设" in listed
    # the mails' notice text too: 牵头单位 by full name
    import email
    from email import policy

    bodies = []
    for p in sorted((tmp_path / "box").glob("*.eml")):
        msg = email.message_from_bytes(p.read_bytes(), policy=policy.default)
        part = msg.get_body(preferencelist=("plain",))
        assert part is not None
        bodies.append(part.get_content())
    assert any("建设局" in b for b in bodies)


# --- the pillar heading: org.system ----------------------------------------------------------


def _pillar_heading(ws: Path, lang: str) -> str:
    out = ok(ws, "--lang", lang, "--as-of", "2020-06-30", "status")
    return out.splitlines()[3].rstrip()


def test_pillar_heading_defaults_to_a_plain_word(ws: Path) -> None:
    assert _pillar_heading(ws, "zh") == "工作体系"
    assert _pillar_heading(ws, "en") == "Pillars"


def test_pillar_heading_from_org_system(ws: Path) -> None:
    _config(ws, "office: duchashi}", "office: duchashi, system: 三大攻坚体系}")
    assert _pillar_heading(ws, "zh") == "三大攻坚体系"
    assert _pillar_heading(ws, "en") == "三大攻坚体系"
