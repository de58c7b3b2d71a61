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
