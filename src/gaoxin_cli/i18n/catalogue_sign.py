"""Messages of 签收 (a unit acknowledging a notice): ``notice sign``, the card reason, the
unsigned notices in ``status``, ``overdue`` and ``notice list``, and the mail's line."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the card reason (rules/signing.py) --------------------------------------------
    "card.unsigned": (
        "{number} 未签收，回复期限 {deadline} 已过 {wd} 个工作日",
        "{number} not acknowledged, {wd} WD past its reply deadline {deadline}",
    ),
    "card.unsigned_more": (
        "{number} 等 {total} 份通知未签收，最早的回复期限 {deadline} 已过 {wd} 个工作日",
        "{total} notices not acknowledged ({number} first, {wd} WD past its reply deadline {deadline})",
    ),
    # --- notice sign ---------------------------------------------------------------------
    "sign.done": (
        "已登记签收：{number}，{unit}，{at}",
        "recorded: {unit} acknowledged {number} on {at}",
    ),
    "sign.already": (
        "{number} 已于 {at} 签收，未重复登记",
        "{number} was already acknowledged on {at}; nothing recorded",
    ),
    "sign.withdrawn": (
        "已撤回 {number} 的签收（{reason}）；该通知已等 {wd} 个工作日",
        "withdrew the acknowledgement of {number} ({reason}); it has waited {wd} WD",
    ),
    "sign.not_signed": (
        "{number} 尚未签收，没有可撤回的签收",
        "{number} is not acknowledged: nothing to withdraw",
    ),
    "error.sign_wrong_unit": (
        "{number} 发给 {addressed}，不是 {unit}：签收须由收文单位",
        "{number} is addressed to {addressed}, not {unit}: only the addressed unit acknowledges it",
    ),
    "error.sign_needs_by": (
        "登记签收须用 --by 写明签收单位",
        "recording an acknowledgement needs --by UNIT",
    ),
    "error.sign_withdraw_at": (
        "撤回签收记在今天，不能同时用 --at",
        "a withdrawal is recorded today: --at cannot go with --withdraw",
    ),
    "error.sign_reason_alone": (
        "--reason 只用于撤回签收（--withdraw）",
        "--reason goes with --withdraw only",
    ),
    "error.sign_withdraw_reason": (
        "撤回签收须写明原因（--reason）",
        "withdrawing an acknowledgement needs --reason",
    ),
    "error.sign_future": (
        "签收日期 {at} 晚于今天（{today}）",
        "the acknowledgement date {at} is after today ({today})",
    ),
    "error.sign_before_issue": (
        "签收日期 {at} 早于 {number} 的签发日期 {issued}",
        "the acknowledgement date {at} is before {number} was filed ({issued})",
    ),
    "error.sign_before_last": (
        "签收日期 {at} 早于 {number} 上一条签收记录的日期 {last}；请写 {last} 或之后的日期",
        "the acknowledgement date {at} is before the last record of {number} ({last}); give {last} or later",
    ),
    # --- showing unsigned notices --------------------------------------------------------
    "sign.col.signed": ("签收", "signed"),
    "sign.unsigned_cell": ("未签 {wd}", "no ({wd})"),
    "sign.section": (
        "未签收通知 {n} 份（逾回复期限 {late} 份）",
        "{n} notices not acknowledged ({late} past their reply deadline)",
    ),
    "sign.section_more": (
        "…另有 {n} 份，见 gaoxin notice list --unsigned",
        "… {n} more: gaoxin notice list --unsigned",
    ),
    "sign.col.waited": ("已等", "waited"),
    "sign.waited": ("{wd} 个工作日", "{wd} WD"),
    "sign.late": ("，已逾期", ", late"),
    "notice.signed_on": ("签收：{unit} {date}", "Acknowledged: {unit}, {date}"),
    "notice.unsigned": (
        "未签收（已等 {wd} 个工作日）",
        "Not acknowledged (waiting {wd} WD)",
    ),
    # --- the mail ------------------------------------------------------------------------
    "notify.sign_howto": (
        "签收：收到后请在工作群中回复，或回复本邮件、致电{office}，由{office}登记签收；"
        "过了期限仍未签收的，任务亮蓝牌提醒。",
        "To acknowledge (签收): reply in the work group, reply to this mail or call the "
        "{office}; the {office} records it. A notice not acknowledged by its deadline puts "
        "a blue card on the task.",
    ),
    "notify.sign_howto_no_mail": (
        "签收：收到后请在工作群中告知，或致电{office}，由{office}登记签收；"
        "过了期限仍未签收的，任务亮蓝牌提醒。",
        "To acknowledge (签收): say so in the work group or call the {office}; the "
        "{office} records it. A notice not acknowledged by its deadline puts a blue card "
        "on the task.",
    ),
}
