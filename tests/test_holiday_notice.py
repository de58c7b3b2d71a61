"""The holiday-notice reader against the published notices, chinesecalendar and the
sourced table of research/domain.md §6.3 — never against its own output."""

from __future__ import annotations

import ast
import contextlib
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.loading.holiday_notice import (
    Holiday,
    HolidayNotice,
    NoticeError,
    notice_yaml,
    parse_notice,
)
from gaoxin_cli.models.spec import expand_date_ranges

NOTICES = Path(__file__).parent / "data" / "notices"
MODULE = Path(__file__).parent.parent / "src" / "gaoxin_cli" / "loading" / "holiday_notice.py"
YEARS = (2012, 2017, 2020, 2024, 2025, 2026)


def notice_text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def days_of(spec: str, year: int) -> set[date]:
    """Days written like the §6.3 table: ``1/24–1/30; 4/4``."""
    out: set[date] = set()
    for part in spec.split(";"):
        a, _, b = part.strip().partition("–")
        first = date(year, *map(int, a.split("/")))
        last = date(year, *map(int, b.split("/"))) if b else first
        out |= {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return out


# research/domain.md §6.3, copied by hand from the sourced table (2020: the original
# notice, before the COVID extension; the table's 2/1 make-up day belongs to it).
TABLE = {
    2020: (
        "1/1; 1/24–1/30; 4/4–4/6; 5/1–5/5; 6/25–6/27; 10/1–10/8",
        "1/19; 2/1; 4/26; 5/9; 6/28; 9/27; 10/10",
    ),
    2024: (
        "1/1; 2/10–2/17; 4/4–4/6; 5/1–5/5; 6/10; 9/15–9/17; 10/1–10/7",
        "2/4; 2/18; 4/7; 4/28; 5/11; 9/14; 9/29; 10/12",
    ),
    2025: (
        "1/1; 1/28–2/4; 4/4–4/6; 5/1–5/5; 5/31–6/2; 10/1–10/8",
        "1/26; 2/8; 4/27; 9/28; 10/11",
    ),
    2026: (
        "1/1–1/3; 2/15–2/23; 4/4–4/6; 5/1–5/5; 6/19–6/21; 9/25–9/27; 10/1–10/7",
        "1/4; 2/14; 2/28; 5/9; 9/20; 10/10",
    ),
}

# 国务院办公厅关于延长2020年春节假期的通知 (国办发明电〔2020〕1号) extended the Spring
# Festival to 2/2 after the original notice: 1/31 (Fri) became a rest day and the 2/1
# (Sat) make-up day was void. chinesecalendar holds the extended calendar; the original
# notice in tests/data cannot know it, so these two days — and only these — differ.
COVID_2020 = {date(2020, 1, 31), date(2020, 2, 1)}


def every_day(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


# --- the published notices ------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_day_agrees_with_chinesecalendar(year: int) -> None:
    notice = parse_notice(notice_text(year))
    assert notice.year == year
    differ = {d for d in every_day(year) if notice.is_workday(d) != chinese_calendar.is_workday(d)}
    assert differ == (COVID_2020 if year == 2020 else set())
    # days stated outside the year (2012's 2011-12-31) agree too
    outside = [d for d in notice.rest + notice.work if d.year != year]
    assert all(notice.is_workday(d) == chinese_calendar.is_workday(d) for d in outside)


@pytest.mark.parametrize("year", sorted(TABLE))
def test_rest_and_work_match_the_sourced_table(year: int) -> None:
    notice = parse_notice(notice_text(year))
    rest, work = TABLE[year]
    assert set(notice.rest) == days_of(rest, year)
    assert set(notice.work) == days_of(work, year)


@pytest.mark.parametrize("year", YEARS)
def test_each_item_names_its_holiday_and_line(year: int) -> None:
    lines = notice_text(year).splitlines()
    notice = parse_notice(notice_text(year))
    assert len(notice.holidays) in (6, 7)
    for h in notice.holidays:
        assert f"{h.name}：" in lines[h.line - 1]
        assert list(h.rest) == sorted(h.rest) and list(h.work) == sorted(h.work)
        assert all(d.weekday() >= 5 for d in h.work)  # make-up days are weekend days
    assert notice.holidays[0].name == "元旦"


def test_2012_make_up_day_falls_in_the_previous_year() -> None:
    notice = parse_notice(notice_text(2012))
    new_year = notice.holidays[0]
    assert new_year.rest == (date(2012, 1, 1), date(2012, 1, 2), date(2012, 1, 3))
    assert new_year.work == (date(2011, 12, 31),)
    assert chinese_calendar.is_workday(date(2011, 12, 31))
    assert notice.holidays[4].rest == tuple(sorted(days_of("6/22–6/24", 2012)))  # 放假公休
    assert notice.holidays[5].name == "中秋节、国庆节"


def test_2017_bu_xiu_day_is_a_rest_day() -> None:
    notice = parse_notice(notice_text(2017))
    assert notice.holidays[0].rest == (date(2017, 1, 1), date(2017, 1, 2))  # 1月2日补休
    assert not chinese_calendar.is_workday(date(2017, 1, 2))
    assert notice.holidays[3].rest == (date(2017, 5, 1),)  # 与周末连休


def test_2024_eve_advice_is_not_a_rest_day() -> None:
    notice = parse_notice(notice_text(2024))
    eve = date(2024, 2, 9)  # "鼓励各单位……安排职工在除夕（2月9日）休息"
    assert "除夕（2月9日）" in notice_text(2024)
    assert eve not in notice.rest
    assert notice.is_workday(eve) and chinese_calendar.is_workday(eve)


def test_is_workday_work_then_rest_then_weekdays() -> None:
    notice = HolidayNotice(2027, (Holiday("春节", (date(2027, 2, 8),), (date(2027, 2, 14),), 3),))
    assert notice.is_workday(date(2027, 2, 14))  # a Sunday made a working day
    assert not notice.is_workday(date(2027, 2, 8))  # a Monday made a rest day
    assert notice.is_workday(date(2027, 2, 9))  # an ordinary Tuesday
    assert not notice.is_workday(date(2027, 2, 13))  # an ordinary Saturday
    assert notice.rest == (date(2027, 2, 8),) and notice.work == (date(2027, 2, 14),)


# --- noise from pasting ---------------------------------------------------------------


def _days(notice: HolidayNotice) -> tuple[tuple[str, tuple[date, ...], tuple[date, ...]], ...]:
    return tuple((h.name, h.rest, h.work) for h in notice.holidays)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda s: s.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda s: s.replace("\n", "\r"), id="cr"),
        pytest.param(lambda s: "\n".join("  \t" + ln for ln in s.split("\n")), id="indent"),
        pytest.param(lambda s: s.replace("日", "日\u00a0").replace("月", " 月"), id="nbsp"),
        pytest.param(lambda s: s.translate(FULL_WIDTH), id="full-width-digits"),
        pytest.param(
            lambda s: s.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ","),
            id="half-width-punctuation",
        ),
        pytest.param(lambda s: "\ufeff" + s.replace("。", "。\u200b"), id="bom-zero-width"),
    ],
)
def test_paste_noise_reads_the_same(mangle: object) -> None:
    assert callable(mangle)
    for year in (2012, 2025):
        clean = parse_notice(notice_text(year))
        noisy = parse_notice(mangle(notice_text(year)))
        assert _days(noisy) == _days(clean)
        assert [h.line for h in noisy.holidays] == [h.line for h in clean.holidays]


def test_blank_lines_move_the_line_numbers() -> None:
    clean = parse_notice(notice_text(2025))
    noisy = parse_notice("\n\n\n" + notice_text(2025).replace("\n\n", "\n\n\n"))
    assert _days(noisy) == _days(clean)
    lines = ("\n\n\n" + notice_text(2025).replace("\n\n", "\n\n\n")).split("\n")
    assert [lines[h.line - 1][:4] for h in noisy.holidays] == [
        "一、元旦",
        "二、春节",
        "三、清明",
        "四、劳动",
        "五、端午",
        "六、国庆",
    ]


def test_whole_notice_pasted_as_one_line() -> None:
    one = parse_notice(notice_text(2024).replace("\n", ""))
    assert _days(one) == _days(parse_notice(notice_text(2024)))
    assert {h.line for h in one.holidays} == {1}


def test_heading_on_its_own_line_and_unnumbered_items() -> None:
    text = (
        "国务院办公厅关于2012年部分节假日安排的通知\n"
        "元旦：\n\n"
        "2012年1月1日至3日放假调休，共3天。\n"
        "2011年12月31日（星期六）上班。\n"
        "国庆节、中秋节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。\n"
    )
    notice = parse_notice(text)
    assert _days(notice) == (
        ("元旦", tuple(sorted(days_of("1/1–1/3", 2012))), (date(2011, 12, 31),)),
        ("国庆节、中秋节", tuple(sorted(days_of("9/30–10/7", 2012))), (date(2012, 9, 29),)),
    )
    assert [h.line for h in notice.holidays] == [2, 6]


@pytest.mark.parametrize(
    ("year", "item"),
    [
        # 2010: a list day without its month continues the month before it
        (2010, "二、春节：2月13日至19日放假调休，共7天。2月20日（星期六）、21日（星期日）上班。"),
        (2010, "六、中秋节：9月22日至24日放假调休，共3天。9月19日（星期日）、25日（星期六）上班。"),
        # 2011: 放假公休, and a lunar note alone
        (2011, "一、元旦：1月1日至3日放假公休，共3天。"),
        (
            2011,
            "二、春节：2月2日（农历除夕）至8日放假调休，共7天。1月30日（星期日）、2月12日（星期六）上班。",
        ),
        # 2019: a rest range across the new year, both ends with their year
        (
            2019,
            "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。",
        ),
    ],
)
def test_older_phrasings_agree_with_chinesecalendar(year: int, item: str) -> None:
    notice = parse_notice(f"国务院办公厅关于{year}年部分节假日安排的通知\n{item}\n")
    (holiday,) = notice.holidays
    assert holiday.rest and all(not chinese_calendar.is_workday(d) for d in holiday.rest)
    assert all(chinese_calendar.is_workday(d) for d in holiday.work)
    stated = "".join(x for x in item.split("。") if x.endswith("上班"))
    assert len(holiday.work) == stated.count("日（")  # every 上班 day has its weekday note
    count = item.split("共")[1].split("天")[0] if "共" in item else None
    if count:
        assert len(holiday.rest) == int(count)


def test_year_from_the_opening_sentence_alone() -> None:
    text = notice_text(2026).split("\n", 3)[3]  # without the title and 发文字号
    assert "关于2026年" not in text
    assert _days(parse_notice(text)) == _days(parse_notice(notice_text(2026)))


def test_an_opening_after_the_items_does_not_hide_them() -> None:
    text = (
        "一、元旦：1月1日（周三）放假1天，不调休。\n"
        "现将2025年元旦放假调休日期的具体安排通知如下。\n"
        "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。\n"
    )
    assert [h.name for h in parse_notice(text).holidays] == ["元旦", "劳动节"]


def test_xinhua_dateline_is_not_a_date_to_read() -> None:
    text = (
        "新华社北京11月4日电 国务院办公厅关于2026年部分节假日安排的通知，全文如下：\n"
        "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n"
    )
    assert parse_notice(text).rest == tuple(sorted(days_of("1/1–1/3", 2026)))


def test_lunar_note_with_comma_and_range_across_months() -> None:
    text = (
        "国务院办公厅关于2020年部分节假日安排的通知\n"
        "春节：1月24日（农历除夕，星期五）至2月2日（农历正月初九，星期日）放假调休，共10天。\n"
    )
    assert parse_notice(text).rest == tuple(sorted(days_of("1/24–2/2", 2020)))


# --- errors ---------------------------------------------------------------------------

T = "国务院办公厅关于2025年部分节假日安排的通知\n"


def _edit(year: int, old: str, new: str) -> str:
    text = notice_text(year)
    assert text.count(old) == 1
    return text.replace(old, new)


def _raises(text: str) -> NoticeError:
    with pytest.raises(NoticeError) as info:
        parse_notice(text)
    err = info.value
    zh, en = err.message("zh"), err.message("en")
    assert f"第{err.line}行" in zh and "未写入任何内容" in zh
    assert f"line {err.line}" in en and "othing was written" in en
    assert err.exit_code == 1
    return err


@pytest.mark.parametrize(
    ("text", "key", "line", "quoted"),
    [
        pytest.param(
            _edit(2025, "4月27日（周日）上班", "4月27日（周日）照常上班"),
            "notice_text.unreadable",
            17,
            "照常上班",
            id="unreadable-date-sentence",
        ),
        pytest.param(
            _edit(2025, "放假调休，共8天。1月26日", "放假调休，共7天。1月26日"),
            "notice_text.count",
            13,
            "共7天",
            id="count-mismatch",
        ),
        pytest.param(
            _edit(2025, "1月26日（周日）", "1月26日（周六）"),
            "notice_text.weekday",
            13,
            "1月26日（周六）",
            id="wrong-weekday",
        ),
        pytest.param(
            _edit(2024, "4月28日（星期日）", "4月28日（星期一）"),
            "notice_text.weekday",
            15,
            "4月28日（星期一）",
            id="wrong-weekday-xingqi",
        ),
        pytest.param(
            "各省、自治区、直辖市人民政府：\n一、元旦：1月1日放假，与周末连休。\n",
            "notice_text.no_year",
            1,
            "各省",
            id="missing-year",
        ),
        pytest.param(
            _edit(2026, "1月4日（周日）上班", "1月3日（周六）上班"),
            "notice_text.both",
            9,
            "1月3日（周六）上班",
            id="rest-and-work",
        ),
        pytest.param(
            _edit(2025, "4月27日（周日）上班", "4月28日（周一）上班"),
            "notice_text.work_weekday",
            17,
            "4月28日（周一）上班",
            id="work-on-a-weekday",
        ),
        pytest.param(
            _edit(2024, "鼓励各单位", "各单位"),
            "notice_text.unreadable",
            11,
            "安排职工在除夕（2月9日）休息",
            id="advice-not-marked-as-advice",
        ),
        pytest.param(
            T + "一、元旦：2月30日放假。\n",
            "notice_text.bad_date",
            2,
            "2月30日",
            id="no-such-date",
        ),
        pytest.param(
            T + "\n一、春节：2月8日至2日放假调休，共7天。\n",
            "notice_text.backwards",
            3,
            "2月8日至2日",
            id="range-backwards",
        ),
        pytest.param(
            T + "一、元旦：2023年1月1日放假。\n",
            "notice_text.out_of_range",
            2,
            "2023年1月1日",
            id="year-far-away",
        ),
        pytest.param(
            T + "一、元旦：1月1日（公休）放假。\n",
            "notice_text.note",
            2,
            "（公休）",
            id="unknown-note",
        ),
        pytest.param(
            T + "一、元旦：放假一天。\n",
            "notice_text.no_rest",
            2,
            "元旦",
            id="item-without-rest-day",
        ),
        pytest.param(
            T + "1月1日放假。\n",
            "notice_text.orphan",
            2,
            "1月1日放假",
            id="date-outside-any-item",
        ),
        pytest.param(
            T + "一、元旦：1月1日放假。\n节假日期间要安排好值班。\n1月2日补休。\n",
            "notice_text.orphan",
            4,
            "1月2日补休",
            id="date-after-the-closing-paragraph",
        ),
        pytest.param(
            T + "八、植树节：3月12日放假。\n",
            "notice_text.unknown_item",
            2,
            "植树节",
            id="unknown-holiday",
        ),
        pytest.param(
            T + "一、元旦：1月1日放假。\n八、植树节：3月12日放假。\n",
            "notice_text.unknown_item",
            3,
            "植树节",
            id="unknown-holiday-after-an-item",
        ),
        pytest.param(
            T + "各省、自治区、直辖市人民政府：\n",
            "notice_text.no_holidays",
            1,
            "",
            id="no-items",
        ),
        pytest.param(
            T + "经国务院批准，现将2026年元旦放假调休日期的具体安排通知如下。\n"
            "一、元旦：1月1日放假。\n",
            "notice_text.year_conflict",
            1,
            "",
            id="title-and-opening-disagree",
        ),
        pytest.param(
            T + "一、元旦：1月1日放假，与周末连休，另加1天。\n",
            "notice_text.unreadable",
            2,
            "另加1天",
            id="unknown-clause",
        ),
        pytest.param(
            T + "一、元旦：1日放假。\n",
            "notice_text.unreadable",
            2,
            "1日放假",
            id="day-without-month",
        ),
    ],
)
def test_errors_name_the_line_and_the_sentence(text: str, key: str, line: int, quoted: str) -> None:
    err = _raises(text)
    assert err.msg.key == key
    assert err.line == line
    assert quoted in err.text or quoted in err.message("zh")
    assert text.splitlines()[line - 1].strip()  # the line named is a real line of the text


def test_error_text_carries_no_control_characters() -> None:
    err = _raises(T + "一、元旦：1月1日放假\x1b[31m，另加\x07一天。\n")
    assert "\x1b" not in err.text and "\x07" not in err.text
    assert "\x1b" not in err.message("en")


# --- calendar/YYYY.yaml ---------------------------------------------------------------

# Written by hand from the 2025 notice (and §6.3), in the shape the brief asks for.
GOLDEN_2025 = """\
# 国务院办公厅关于2025年部分节假日安排的通知
# 由 gaoxin calendar add --notice 生成；核对无误后提交。
year: 2025
rest:
  - 2025-01-01               # 元旦
  - 2025-01-28..2025-02-04   # 春节
  - 2025-04-04..2025-04-06   # 清明节
  - 2025-05-01..2025-05-05   # 劳动节
  - 2025-05-31..2025-06-02   # 端午节
  - 2025-10-01..2025-10-08   # 国庆节、中秋节
work:
  - 2025-01-26               # 春节 上班
  - 2025-02-08               # 春节 上班
  - 2025-04-27               # 劳动节 上班
  - 2025-09-28               # 国庆节、中秋节 上班
  - 2025-10-11               # 国庆节、中秋节 上班
"""


def _expand(items: list[object]) -> set[date]:
    days = expand_date_ranges([str(i) if isinstance(i, date) else i for i in items])
    return {d if isinstance(d, date) else date.fromisoformat(d) for d in days}


def test_yaml_2025_golden() -> None:
    assert notice_yaml(parse_notice(notice_text(2025))) == GOLDEN_2025


@pytest.mark.parametrize("year", YEARS)
def test_yaml_reads_back_into_the_same_days(year: int) -> None:
    notice = parse_notice(notice_text(year))
    data = yaml.safe_load(notice_yaml(notice))
    assert data["year"] == year
    assert _expand(data["rest"]) == set(notice.rest)
    assert _expand(data["work"]) == set(notice.work)
    if year in TABLE:
        assert _expand(data["rest"]) == days_of(TABLE[year][0], year)
        assert _expand(data["work"]) == days_of(TABLE[year][1], year)


def test_yaml_source_replaces_the_title_and_is_sanitised() -> None:
    notice = parse_notice(notice_text(2025))
    out = notice_yaml(notice, source="tests/2025.txt\nyear: 1999\x1b[2J\r")
    first, second = out.split("\n")[:2]
    assert first == "# tests/2025.txt year: 1999[2J"
    assert second == GOLDEN_2025.split("\n")[1]
    assert yaml.safe_load(out)["year"] == 2025
    assert out.split("\n", 1)[1] == GOLDEN_2025.split("\n", 1)[1]


def test_yaml_without_work_days_and_with_shared_days() -> None:
    notice = HolidayNotice(
        2027,
        (
            Holiday("元旦\n# evil", (date(2027, 1, 1),), (), 1),
            Holiday("春节", (date(2027, 1, 1), date(2027, 1, 2)), (), 2),
        ),
    )
    out = notice_yaml(notice)
    assert "work: []" in out
    assert "# 元旦 # evil" in out  # the newline of the name cannot start a YAML line
    data = yaml.safe_load(out)
    assert data["work"] == []
    # a day shared by two items is written once (the config refuses duplicates)
    assert data["rest"] == [date(2027, 1, 1), date(2027, 1, 2)]


# --- robustness -----------------------------------------------------------------------

FRAGMENTS = [
    "国务院办公厅关于2025年部分节假日安排的通知",
    "一、元旦：",
    "二、春节：",
    "中秋节、国庆节：",
    "1月1日",
    "2024年12月31日",
    "（周三）",
    "（农历除夕、周二）",
    "（",
    "）",
    "至",
    "3日",
    "13月40日",
    "9999年1月1日",
    "放假",
    "放假调休",
    "补休",
    "上班",
    "，共8天",
    "共0天",
    "，",
    "、",
    "。",
    "\n",
    "\r\n",
    "鼓励",
    "与周末连休",
    "现将2025年元旦放假调休日期的具体安排通知如下。",
    "９",
    "\u00a0",
]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_notice_error(text: str) -> None:
    with contextlib.suppress(NoticeError):
        parse_notice(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40))
def test_notice_like_text_raises_only_notice_error(parts: list[str]) -> None:
    try:
        notice = parse_notice("".join(parts))
    except NoticeError as e:
        assert e.message("zh") and e.message("en")
        return
    notice_yaml(notice)  # whatever was read can be written


def test_module_imports_only_allowed_layers() -> None:
    allowed = ("gaoxin_cli.calendar", "gaoxin_cli.models", "gaoxin_cli.errors", "gaoxin_cli.i18n")
    stdlib = {"__future__", "re", "unicodedata", "collections", "datetime", "typing"}
    for node in ast.walk(ast.parse(MODULE.read_text(encoding="utf-8"))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            top = name.split(".")[0]
            assert top in stdlib or name.startswith(allowed), name
