"""The common YAML slips (issue 14): each named at its own line, with the fix.

PyYAML reports a full-width colon one line late and all three slips in raw English;
the reader turns them into Y117/Y118/Y119, and warns (W405) about a Chinese comma that
makes one list item out of two. Schema errors name the task by id and the field by name.
"""

from __future__ import annotations

from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.schema_errors import where
from gaoxin_cli.loading.yamlstrict import parse

HEAD = "tasks:\n  - id: JC-05\n    title: 测试任务\n"


def _codes(text: str) -> list[tuple[str, int, int]]:
    _, diags = parse(text, "p.yaml")
    return [(d.code, d.line, d.col) for d in diags]


def test_fullwidth_colon_at_its_own_line_not_the_next() -> None:
    text = HEAD + "    due：2027-03-31\n    lead: jianshe\n"
    assert _codes(text) == [("Y117", 4, 8)]


def test_fullwidth_colon_on_the_last_line() -> None:
    assert _codes(HEAD + "    lead: jianshe\n    due：2027-03-31\n") == [("Y117", 5, 8)]


def test_fullwidth_colon_after_a_dash() -> None:
    assert _codes("tasks:\n  - id：JC-05\n    title: 测试\n") == [("Y117", 2, 7)]


def test_fullwidth_colon_inside_text_is_fine() -> None:
    assert _codes(HEAD + "    note: 要求：按时完成\n    measures:\n      - 第一步：征地\n") == []


def test_tab_in_indentation() -> None:
    _, diags = parse(HEAD + "\tlead: jianshe\n", "p.yaml")
    (d,) = diags
    assert (d.code, d.line, d.col) == ("Y118", 4, 1)
    assert d.hint == Msg("hint.tab_indent", want=4)


def test_over_indented_line_names_its_siblings() -> None:
    _, diags = parse(HEAD + "     lead: jianshe\n", "p.yaml")
    (d,) = diags
    assert (d.code, d.line, d.col) == ("Y119", 4, 1)
    assert d.params == {"line": 4, "got": 5, "want": 4}
    assert d.hint == Msg("hint.indent", want=4, sibling=3)


def test_under_indented_line() -> None:
    _, diags = parse(HEAD + "   lead: jianshe\n", "p.yaml")
    (d,) = diags
    assert (d.code, d.line) == ("Y119", 4)
    assert d.params == {"line": 4, "got": 3, "want": 4}


def test_field_at_the_dash_column_is_off() -> None:
    _, diags = parse(HEAD + "  lead: jianshe\n", "p.yaml")
    (d,) = diags
    assert (d.code, d.line) == ("Y119", 4)
    assert d.params["want"] == 4


def test_other_syntax_errors_stay_y102() -> None:
    assert [c for c, _, _ in _codes(HEAD + '    lead: "jianshe\n')] == ["Y102"]
    assert [c for c, _, _ in _codes(HEAD + "    lead: jianshe, x: [a]}\n")] == ["Y102"]


def test_chinese_comma_in_flow_list_warns() -> None:
    _, diags = parse(HEAD + "    measures: [完成征地，主体施工]\n", "p.yaml")
    (d,) = diags
    assert (d.severity, d.code, d.line, d.col) == ("warning", "W405", 4, 16)
    assert d.params == {"parts": 2}


def test_chinese_comma_quoted_or_in_block_list_is_meant() -> None:
    text = HEAD + '    measures: ["完成征地，主体施工"]\n    support:\n      - 甲、乙\n'
    assert _codes(text) == []
    assert _codes(HEAD + "    note: 完成征地，主体施工\n") == []


def test_where_names_task_by_id_and_field_by_name() -> None:
    doc, _ = parse(HEAD + "    lead: jianshe\n", "p.yaml")
    w = where(("tasks", 0, "due"), doc)
    assert w.render("zh") == "任务 JC-05 的 完成时限（due）"
    assert w.render("en") == "task JC-05: due date (due)"
    nested = where(("tasks", 0, "milestones", 1, "due"), doc)
    assert nested.render("zh") == "任务 JC-05 的 节点（milestones）第 2 项 的 完成时限（due）"
    assert nested.render("en") == "task JC-05: milestones #2 › due date (due)"


def test_where_without_a_usable_id_counts_the_task() -> None:
    doc, _ = parse("tasks:\n  - title: x\n  - id: 1bad\n", "p.yaml")
    assert where(("tasks", 1, "lead"), doc).render("zh") == "第 2 项任务 的 牵头单位（lead）"
    assert where(("tasks", 0, "lead"), doc).render("en") == "task #1: lead unit (lead)"
    assert where((), doc).render("en") == "the top level"
