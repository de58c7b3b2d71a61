"""Patterns and literal types shared by the pydantic specs and the runtime records.

Plain values only: importing this costs nothing (no pydantic), so the commands that only
read a cached plan never pay for the validation machinery.
"""

from __future__ import annotations

from typing import Literal

from gaoxin_cli.strings import MULTILINE_ALLOWED, control_class

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
PILLAR_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
PILLAR_PATH_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}(\.[A-Za-z][A-Za-z0-9_-]{0,63})*$"
# One line of text: none of gaoxin_cli.strings.CONTROL_CHARS (terminal escapes, CR/LF,
# line separators, bidi controls that reorder what a reader sees on screen and in mail).
TEXT_PATTERN = f"^[^{control_class()}]*$"
# Several lines: newlines and tabs allowed, the other controls not.
LONG_TEXT_PATTERN = f"^[^{control_class(MULTILINE_ALLOWED)}]*$"
# Conservative on purpose: nothing that could end or add a mail header.
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
ENV_NAME_PATTERN = r"^[A-Z_][A-Z0-9_]*$"

Cadence = Literal["weekly", "biweekly", "monthly"]
Urgency = Literal["normal", "urgent", "special"]
SourceKind = Literal["plan", "instruction", "meeting", "problem", "upper", "media"]
UnitKind = Literal["bureau", "street", "company", "office", "park", "other"]
Period = Literal["month", "quarter", "year"]
Security = Literal["starttls", "ssl", "none"]
UnknownYears = Literal["estimate", "error"]
#: Where a reporting deadline on a rest day goes: the next working day (遇节假日顺延) or the
#: previous one.
RestDayShift = Literal["next", "previous"]
# How a month counts warning cards (docs/ranking.md): every card held in it, or only
# the cards raised in it.
CardCounting = Literal["in_force", "new"]
# The work-group robots ``notify`` posts to (钉钉 / 政务钉钉, 企业微信, 飞书).
RobotKind = Literal["dingtalk", "wecom", "feishu"]

# The literal types by name, so the generated records spell them as the specs do.
LITERALS = {
    "Cadence": Cadence,
    "Urgency": Urgency,
    "SourceKind": SourceKind,
    "UnitKind": UnitKind,
    "Period": Period,
    "Security": Security,
    "UnknownYears": UnknownYears,
    "RestDayShift": RestDayShift,
    "CardCounting": CardCounting,
    "RobotKind": RobotKind,
}
