"""Working-day calendar: the worked examples of research/domain.md §6.1 and the edges."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin_cli.calendar import WorkCalendar
from gaoxin_cli.errors import CalendarYearMissing

D = date.fromisoformat


@pytest.mark.parametrize(
    ("assigned", "n", "due"),
    [
        # 1/26 Sun is a 调休 working day (1), 1/27 (2), 1/28–2/4 rest, 2/5, 2/6, 2/7 (5)
        ("2025-01-24", 5, "2025-02-07"),
        # 2/14 Sat works (1), 2/15–2/23 rest, 2/24 (2), 2/25 (3)
        ("2026-02-13", 3, "2026-02-25"),
        # 2020 Spring Festival extended to 2/2: 2/1 Sat is no longer a working day
        ("2020-01-23", 1, "2020-02-03"),
    ],
)
def test_worked_examples_working_days(assigned: str, n: int, due: str) -> None:
    assert WorkCalendar().add_workdays(D(assigned), n) == D(due)


def test_worked_example_calendar_days_end_on_rest_day() -> None:
    # 10 calendar days from 9/25 end on 10/5, inside the 10/1–10/8 rest: the day after.
    assert WorkCalendar().add_calendar_days(D("2025-09-25"), 10) == D("2025-10-09")


def test_2020_spring_festival_extension_is_in_chinesecalendar() -> None:
    cal = WorkCalendar()
    for day in ("2020-01-31", "2020-02-01", "2020-02-02"):
        assert not cal.is_workday(D(day)), day
    assert cal.is_workday(D("2020-01-19"))  # Sunday make-up day
    assert cal.is_workday(D("2020-02-03"))


def test_overrides_win_over_the_tables() -> None:
    cal = WorkCalendar(rest=[D("2020-03-02")], work=[D("2020-03-07")])
    assert not cal.is_workday(D("2020-03-02"))  # a Monday made rest
    assert cal.is_workday(D("2020-03-07"))  # a Saturday made work
    assert cal.add_workdays(D("2020-02-28"), 1) == D("2020-03-03")


def test_year_without_data_fails_loudly_and_names_the_year() -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        WorkCalendar().is_workday(D("2031-03-03"))
    assert exc.value.year == 2031
    assert "2031" in exc.value.message("zh")
    assert "2031" in exc.value.message("en")


def test_year_declared_in_config_uses_weekends_plus_overrides() -> None:
    cal = WorkCalendar(rest=[D("2031-01-01")], years=[2031])
    assert not cal.is_workday(D("2031-01-01"))  # Wednesday, declared rest
    assert cal.is_workday(D("2031-01-02"))
    assert not cal.is_workday(D("2031-01-04"))  # Saturday


def test_an_estimated_year_is_recorded_and_rests_on_the_fixed_holidays() -> None:
    cal = WorkCalendar(estimate=True)
    assert cal.is_workday(D("2031-03-03"))  # a Monday
    assert not cal.is_workday(D("2031-01-01"))  # 元旦, a Wednesday
    assert not cal.is_workday(D("2031-10-02"))  # 国庆, a Thursday
    assert cal.estimated == {2031}
    assert cal.source(2031) == "estimate" and cal.source(2026) == "package"
    # 2026-12-29 (Tue) + 3 working days: 12/30, 12/31, then 1/1 is a rest day → 1/4 (Mon)
    assert cal.add_workdays(D("2026-12-29"), 3) == D("2027-01-04")
    assert cal.estimated == {2027, 2031}


def test_a_year_past_9999_is_a_clear_error_not_a_crash() -> None:
    from gaoxin_cli.errors import CalendarOutOfRange

    cal = WorkCalendar(estimate=True)
    with pytest.raises(CalendarOutOfRange) as exc:
        cal.add_workdays(D("9999-12-30"), 5)
    assert "10000" in exc.value.message("zh") and "extend" in exc.value.message("en")


def test_year_spans_fold_consecutive_years() -> None:
    from gaoxin_cli.calendar import year_spans

    assert year_spans([2029, 2027, 2030, 2031]) == "2027, 2029–2031"
    assert year_spans([]) == ""


def test_counting_across_years() -> None:
    cal = WorkCalendar()
    # 2019-12-31 (Tue) → 2020-01-02 (Thu): 1/1 is a holiday, so one working day.
    assert cal.workdays_between(D("2019-12-31"), D("2020-01-02")) == 1
    assert cal.add_workdays(D("2019-12-31"), 1) == D("2020-01-02")
    assert cal.add_workdays(D("2020-01-02"), -1) == D("2019-12-31")
    assert cal.workdays_between(D("2020-01-02"), D("2019-12-31")) == -1


def test_next_workday_and_days_left_in_year() -> None:
    cal = WorkCalendar()
    assert cal.next_workday(D("2020-10-01")) == D("2020-10-09")
    assert cal.next_workday(D("2020-10-09"), include=True) == D("2020-10-09")
    assert cal.workdays_left_in_year(D("2020-12-30")) == 1
    assert cal.workdays_between(D("2020-01-01"), D("2020-12-31")) == 249


@given(
    st.dates(min_value=D("2005-01-01"), max_value=D("2024-12-31")),  # + 400 WD stays in data
    st.integers(min_value=0, max_value=400),
)
def test_add_and_count_are_inverse(start: date, n: int) -> None:
    cal = WorkCalendar()
    end = cal.add_workdays(start, n)
    assert cal.workdays_between(start, end) == n
    if n:
        assert cal.is_workday(end)
        assert cal.add_workdays(end, -n) <= start
