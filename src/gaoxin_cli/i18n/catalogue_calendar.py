"""Messages of the working-day calendar: estimates, calendar show / check / add."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- estimates ------------------------------------------------------------------
    "calendar.estimated": (
        "注：{years}年放假安排未公布，该年工作日为估算（周一至周五，已扣元旦、劳动节、国庆节，"
        "春节等农历假日和调休未计入）；通知公布后用 gaoxin calendar add --notice 补上",
        "Note: no State Council holiday arrangements for {years} yet; working days there are "
        "estimated Monday–Friday less New Year, Labour Day and National Day (Spring Festival "
        "and other lunar holidays and swaps not counted) — run gaoxin calendar add --notice "
        "once the notice is published",
    ),
    "calendar.estimated_mail": (
        "注：{years} 年的放假安排尚未公布，本邮件中该年的回复期限为估算（按周一至周五，"
        "已扣元旦、劳动节、国庆节），如遇其他节假日以督查室通知为准。",
        "Note: the {years} holiday arrangements are not yet published; reply deadlines in "
        "that year are estimated (Monday–Friday less New Year, Labour Day and National Day) "
        "— if one falls on another holiday, the office's word decides.",
    ),
    "error.calendar_out_of_range": (
        "日期超出可计算的范围（{year} 年）：多半是输错的日期，请检查完成时限和已批准的延期"
        "（gaoxin extend 任务 --withdraw 可撤回延期）",
        "a date beyond what can be counted (year {year}): most likely a mistyped date — check "
        "the due dates and approved extensions (gaoxin extend TASK --withdraw takes one back)",
    ),
}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Day-of-week heads, each four terminal cells wide like the day cells under them.
_WD_ZH = ("一", "二", "三", "四", "五", "六", "日")
_WD_EN = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

MESSAGES.update({f"calendar.month.{i + 1}": (f"{i + 1}月", m) for i, m in enumerate(_MONTHS_EN)})
MESSAGES.update(
    {
        f"calendar.wd.{i}": (f"{z}  ", f"{e}  ")
        for i, (z, e) in enumerate(zip(_WD_ZH, _WD_EN, strict=True))
    }
)
MESSAGES.update(
    {
        "calendar.mark_rest": ("休", "休"),
        "calendar.mark_makeup": ("班", "班"),
        "calendar.kind.rest": ("休息（放假）", "rest day"),
        "calendar.kind.work": ("上班（调休）", "working day"),
        "calendar.show_title": (
            "{year} 年工作日日历：工作日 {work} 天，工作日放假 {holidays} 天，周末调休上班 {makeup} 天",
            "{year}: {work} working days, {holidays} weekday holidays, {makeup} make-up "
            "weekend working days",
        ),
        "calendar.legend": (
            "休 = 放假（本应上班的日子休息）  班 = 调休上班（周末上班）  灰色 = 周末",
            "休 = holiday (a weekday off)  班 = make-up working day (a weekend worked)  "
            "dim = weekend",
        ),
        "calendar.local_entries": (
            "本年的本地条目（gaoxin.yaml 的 calendar.rest / work）{n} 个：",
            "{n} local entries this year (calendar.rest / work in gaoxin.yaml):",
        ),
        "calendar.more": ("…另有 {n} 个", "… and {n} more"),
        "calendar.source.package": (
            "数据来源：chinesecalendar {version}（国务院办公厅放假通知）",
            "Source: chinesecalendar {version} (the State Council holiday notices)",
        ),
        "calendar.source.local": ("数据来源：本地（{where}）", "Source: local ({where})"),
        "calendar.source.estimate": (
            "数据来源：估算——尚无该年的放假安排，按周一至周五计，已扣元旦、劳动节、国庆节；"
            "通知公布后用 gaoxin calendar add --notice 补上",
            "Source: an estimate — no holiday arrangements for this year yet: Monday–Friday "
            "less New Year, Labour Day and National Day; run gaoxin calendar add --notice "
            "once the notice is published",
        ),
        "calendar.source.notice": (
            "数据来源：通知原文（读到 {n} 个节日），请逐月核对",
            "Source: the notice text ({n} holidays read) — check it month by month",
        ),
        "calendar.add_package_agrees": (
            "与 chinesecalendar 的 {year} 年数据逐日一致",
            "agrees day by day with chinesecalendar's data for {year}",
        ),
        "calendar.add_package_differs": (
            "与 chinesecalendar 的 {year} 年数据有 {n} 天不同：{days}",
            "differs from chinesecalendar's data for {year} on {n} day(s): {days}",
        ),
        "calendar.add_confirm": ("写入 {path}？", "Write {path}?"),
        "calendar.add_not_written": (
            "未写入。核对无误后加 --write 写入 {path}",
            "Nothing written. Once checked, add --write to write {path}",
        ),
        "calendar.add_written": (
            "已写入 {path}。下一步：gaoxin validate，然后提交（git add {path}）",
            "Wrote {path}. Next: gaoxin validate, then commit it (git add {path})",
        ),
        "error.calendar_notice_missing": ("找不到通知文件 {path}", "no notice file {path}"),
        "error.calendar_notice_encoding": (
            "{path} 既不是 UTF-8 也不是 GB18030 编码的文本",
            "{path} is neither UTF-8 nor GB18030 text",
        ),
        "error.calendar_file_exists": (
            "{path} 已存在：核对后加 --force 覆盖",
            "{path} already exists: add --force to replace it once checked",
        ),
        "calendar.check_clean": (
            "本地日历条目与 chinesecalendar 没有重复或矛盾",
            "no local calendar entry repeats or contradicts chinesecalendar",
        ),
        "calendar.check_title": (
            "{n} 项本地条目需要处理：",
            "{n} local entr(y/ies) to act on:",
        ),
        "calendar.check.file_repeats": (
            "{path}：与 chinesecalendar 的 {year} 年数据逐日一致",
            "{path}: agrees day by day with chinesecalendar's data for {year}",
        ),
        "calendar.fix.file_repeats": (
            "可删除 {path}（git rm {path}）",
            "remove {path} (git rm {path})",
        ),
        "calendar.check.file_differs": (
            "{path}：与 chinesecalendar 的 {year} 年数据有 {n} 天不同：{days}",
            "{path}: differs from chinesecalendar's data for {year} on {n} day(s): {days}",
        ),
        "calendar.fix.file_differs": (
            "对照国务院办公厅通知核实；确认 chinesecalendar 无误后删除 {path}，本地另有安排的改写到 calendar.rest / work",
            "check against the State Council notice; once chinesecalendar is right, remove "
            "{path} and keep any local arrangement in calendar.rest / work",
        ),
        "calendar.check.entry_repeats": (
            "{list} 中的 {day}：chinesecalendar 已有相同安排",
            "{day} in {list}: chinesecalendar already says the same",
        ),
        "calendar.fix.entry_repeats": (
            "可从 {list} 中删除 {day}",
            "remove {day} from {list}",
        ),
        "calendar.check.entry_contradicts": (
            "{list} 中的 {day}：与 chinesecalendar 的安排相反",
            "{day} in {list}: chinesecalendar says the opposite",
        ),
        "calendar.fix.entry_contradicts": (
            "如是本地另行安排请保留，否则从 {list} 中删除 {day}",
            "keep it if it is a local arrangement; otherwise remove {day} from {list}",
        ),
        "calendar.check.year_known": (
            "calendar.years 中的 {year}：chinesecalendar 已收录该年，本地写法会盖过它",
            "{year} in calendar.years: chinesecalendar now knows that year, and the local "
            "description overrides it",
        ),
        "calendar.fix.year_known": (
            "从 calendar.years 中删除 {year}（该年的本地 rest / work 条目随后用 calendar check 再核对）",
            "remove {year} from calendar.years (then run calendar check again for that "
            "year's rest / work entries)",
        ),
    }
)
