"""Chinese for the English that click and Typer print themselves.

Typer's own strings go through ``gettext`` (:data:`GETTEXT_ZH`, keyed by the English
msgid); the vendored click writes its strings as plain f-strings, so those are rewritten
in the text it produces (:func:`click_zh`), one pattern per message. English output is
left exactly as click writes it.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["GETTEXT_ZH", "click_zh"]

# typer/core.py ``_(...)`` msgids.
GETTEXT_ZH: dict[str, str] = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
}

# Line-anchored patterns first, then message patterns; applied in this order. Compiled
# on first use (help and errors only: ~2 ms that every other run does not pay).
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Usage: ", "用法："),
    (r"^(\s*)(参数|选项|命令):$", r"\1\2："),
    (r"^Try '(.+)' for help\.$", r"运行 '\1' 查看帮助。"),
    (r"^Error: ", "错误："),
    (r"Show this message and exit\.", "显示帮助并退出。"),
    (r"No such option: (\S+)", r"没有这个选项：\1"),
    (r" ?\(Possible options: (.*)\)", r"（可能是：\1）"),
    (r"No such command (.+?)\.(?=\s|$)", r"没有这个命令：\1。"),
    (r"。?\.? ?Did you mean (.+)\?", r"。是不是要用 \1？"),
    (r"Invalid value for (.+?): ", r"\1 的值无效："),
    (r"Invalid value: ", "值无效："),
    (r"(.+?) is not a valid (?:integer|int)\.", r"\1 不是整数。"),
    (r"(.+?) is not a valid (?:float|number)\.", r"\1 不是数字。"),
    (r"(.+?) is not a valid boolean\. Recognized values: (.*)", r"\1 不是是/否值；可写 \2"),
    (r"(.+?) is not a valid (\w+)\.", r"\1 不是有效的 \2。"),
    (r"(.+?) is not in the range (.+)\.", r"\1 不在 \2 范围内。"),
    (r"Missing argument (.+?)\.", r"缺少参数 \1。"),
    (r"Missing option (.+?)\.", r"缺少选项 \1。"),
    (r"Missing parameter (.+?)\.", r"缺少参数 \1。"),
    (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
    (r"Option (.+?) requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option (.+?) requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Option (.+?) does not take a value\.", r"选项 \1 不带值。"),
    (r"Argument (.+?) takes (\d+) values\.", r"参数 \1 需要 \2 个值。"),
)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p, re.MULTILINE), r) for p, r in _PATTERNS)


def click_zh(text: str) -> str:
    """*text* as click or Typer wrote it, with their English messages in Chinese."""
    for pattern, repl in _compiled():
        text = pattern.sub(repl, text)
    return text
