"""Messages of ``gaoxin import`` reading a CSV or JSON Lines ledger (loading/events_file.py,
loading/encodings.py): the file refused whole, and a problem in one row."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the file refused whole -------------------------------------------------------
    "error.import_not_regular": (
        "{file} 不是普通文件（如命名管道或设备），无法导入。请先把内容保存为文件",
        "{file} is not a regular file (a named pipe or a device); save its content to a "
        "file and import that",
    ),
    "error.import_encoding_mixed": (
        "{file} 是 UTF-8 编码，但有 {bad} 处字节不是 UTF-8（第一处在第 {line} 行：{byte}），"
        "可能混入了其他编码的文字。未导入任何内容。请改正这些字符，或用 --encoding 指定文件的编码",
        "{file} is UTF-8 but has {bad} byte sequence(s) that are not (the first on line "
        "{line}: {byte}), perhaps text pasted from another encoding. Nothing was imported. "
        "Fix those characters, or name the file's encoding with --encoding",
    ),
    "error.import_encoding_guess": (
        "{file} 不是 UTF-8 或 GB18030 编码，看起来是 {encoding}。未导入任何内容。"
        "确认后请加 --encoding {encoding} 导入，或在 Excel 中另存为“CSV UTF-8”",
        "{file} is neither UTF-8 nor GB18030; it looks like {encoding}. Nothing was "
        "imported. If so, import it with --encoding {encoding}, or save it from Excel as "
        '"CSV UTF-8"',
    ),
    "error.import_encoding_unsure": (
        "无法确定 {file} 的编码（不是 UTF-8，也不像 GB18030 中文），未导入任何内容。"
        "请用 --encoding 指定（如 --encoding gb18030 或 --encoding big5），或在 Excel 中另存为“CSV UTF-8”",
        "cannot tell the encoding of {file} (not UTF-8, and it does not read as GB18030 "
        "Chinese); nothing was imported. Name it with --encoding (e.g. --encoding gb18030 or "
        '--encoding big5), or save it from Excel as "CSV UTF-8"',
    ),
    "error.import_encoding_unknown": (
        "--encoding {encoding}：不是可用于台账的编码（应为 utf-8、gb18030、big5 等）",
        "--encoding {encoding}: not an encoding a ledger can be in (utf-8, gb18030, big5 …)",
    ),
    "error.import_encoding_xlsx": (
        "--encoding 只适用于 .csv 和 .jsonl 文件；.xlsx 工作簿自带编码",
        "--encoding applies to .csv and .jsonl files only; an .xlsx workbook names its own",
    ),
    "error.import_decode": (
        "{file} 第 {line} 行不是有效的 {encoding} 文本（字节 {byte}），未导入任何内容。"
        "若文件用了其他编码，请用 --encoding 指定",
        "line {line} of {file} is not valid {encoding} (byte {byte}); nothing was imported. "
        "If the file is in another encoding, name it with --encoding",
    ),
    "error.import_line_too_long": (
        "{file} 第 {line} 行超过 {limit} KB，未导入任何内容（是否不是台账文件？）",
        "line {line} of {file} is longer than {limit} KB; nothing was imported (is it a "
        "ledger at all?)",
    ),
    "error.import_header_bad": (
        "{file} 第 1 行（列名）有误：{problem}",
        "line 1 of {file} (the column names) is malformed: {problem}",
    ),
    "error.import_unknown_column": (
        "{file} 第 1 行：未知的列“{name}”，未导入任何内容（可用的列：date、task、progress、"
        "note、unit、milestone、started、kind、reason）",
        '{file} line 1: unknown column "{name}"; nothing was imported (the columns are '
        "date, task, progress, note, unit, milestone, started, kind, reason)",
    ),
    "error.import_duplicate_column": (
        "{file} 第 1 行：列“{name}”出现了两次，未导入任何内容",
        '{file} line 1: column "{name}" appears twice; nothing was imported',
    ),
    # --- a problem in one row ---------------------------------------------------------
    "import.json_too_deep": (
        "JSON 嵌套过深，不是台账的一行",
        "JSON nested too deep for a ledger row",
    ),
    "import.unknown_key": ("未知的键“{name}”", 'unknown key "{name}"'),
    "import.unknown_key_hint": ("未知的键“{name}”，{hint}", 'unknown key "{name}"; {hint}'),
    "import.duplicate_key": ("键“{key}”出现了两次", 'key "{key}" appears twice'),
    "import.surrogate": (
        "{field} 含有无效字符（孤立的代理项 \\ud800–\\udfff）",
        "{field} holds an invalid character (a lone surrogate \\ud800–\\udfff)",
    ),
    "import.field_too_long": (
        "字段超过 {limit} 个字符",
        "a field is longer than {limit} characters",
    ),
    "import.not_scalar": (
        "{field} 应为文本、数字或 true/false，不能是列表或对象",
        "{field} must be text, a number or true/false, not a list or an object",
    ),
    "import.csv_unclosed_quote": (
        "从本行开始的引号直到文件末尾都没有闭合",
        "a quote opened on this line is never closed",
    ),
    "import.csv_swallowed": (
        "本行的引号未闭合，把第 {line} 行也并进了这一格（请检查引号）",
        "a quote left open on this line swallows line {line} into one cell (check the quotes)",
    ),
    "import.csv_quote": (
        '引号后应是逗号或行尾（格内的引号要写成两个 ""）',
        'a closing quote must be followed by a comma or the line end (write a quote in a cell as "")',
    ),
    "import.csv_error": ("CSV 格式错误：{reason}", "malformed CSV: {reason}"),
    "import.extra_cells": (
        "有 {cells} 格，但只有 {columns} 列（文字中的逗号需要用引号括起来）",
        "{cells} cells but {columns} columns (a comma inside a text needs quotes)",
    ),
}
