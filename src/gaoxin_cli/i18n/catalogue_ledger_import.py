"""Messages of ``gaoxin import`` reading an Excel 台账 (loading/ledger_xlsx.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the file refused whole -------------------------------------------------------
    "ledger.refused_format": (
        "不能导入 {file}：{suffix} 格式不受支持（旧版或含宏的工作簿）。请在 Excel 中“另存为 .xlsx”后再导入",
        "cannot import {file}: {suffix} is not supported (legacy or macro-enabled workbook). "
        'In Excel, "Save As" .xlsx and import that',
    ),
    "ledger.not_xlsx": (
        "{file} 不是有效的 .xlsx 工作簿（不是 zip 文件）。请在 Excel 中“另存为 .xlsx”后再导入",
        '{file} is not a valid .xlsx workbook (not a zip file). In Excel, "Save As" .xlsx',
    ),
    "ledger.zip_bomb": (
        "拒绝导入 {file}：其中 {part} 解压后过大（总计不得超过 {max_mb} MB，压缩比不得超过 {ratio}），疑似压缩炸弹",
        "refusing {file}: its part {part} expands too far (at most {max_mb} MB in all and a "
        "compression ratio of {ratio}); it looks like a zip bomb",
    ),
    "ledger.xml_dtd": (
        "拒绝导入 {file}：其中 {part} 含有 DOCTYPE/ENTITY 声明（Excel 不会写入这些内容，疑似 XML 实体攻击）",
        "refusing {file}: its part {part} declares a DOCTYPE/ENTITY (Excel never writes one; "
        "it looks like an XML entity attack)",
    ),
    "ledger.meta_bad": (
        "{file} 的隐藏工作表 {sheet} 不是 gaoxin 导出的台账信息（A1 应为 gaoxin-ledger）",
        "the hidden sheet {sheet} of {file} is not gaoxin ledger information (A1 should be "
        "gaoxin-ledger)",
    ),
    "ledger.meta_version": (
        "{file} 的台账格式版本 {version} 不受支持（本程序读取版本 1）",
        "{file} has ledger format version {version}; this program reads version 1",
    ),
    "ledger.meta_unit": (
        "{file}：{ref} 的单位 {unit} 不在 gaoxin.yaml 的 units 中",
        "{file}: unit {unit} at {ref} is not among the units of gaoxin.yaml",
    ),
    "ledger.plan_changed": (
        "{file} 是按另一版计划导出的（导出于 {exported}），计划此后已有改动，未导入任何内容。"
        "请重新导出台账发给各单位；确认无误时可加 --accept-plan-change 导入（所有任务编号仍须存在）",
        "{file} was exported from another version of the plan (exported {exported}); the plan "
        "has changed since, and nothing was imported. Export the ledger again, or when sure "
        "add --accept-plan-change (every task id must still exist)",
    ),
    "ledger.plan_changed_gone": (
        "{file} 是按另一版计划导出的，其中的任务在当前计划中已不存在：{tasks}。未导入任何内容",
        "{file} was exported from another version of the plan and names tasks the plan no "
        "longer has: {tasks}. Nothing was imported",
    ),
    # --- warnings ------------------------------------------------------------------------
    "ledger.plan_changed_accepted": (
        "提示：{file} 是按另一版计划导出的；已按 --accept-plan-change 导入（所有任务编号仍存在）",
        "note: {file} was exported from another version of the plan; imported as "
        "--accept-plan-change asks (every task id still exists)",
    ),
    "ledger.hidden_sheet": (
        "提示：已忽略隐藏的工作表 {sheet}",
        "note: hidden sheet {sheet} ignored",
    ),
    "ledger.sheet_not_exported": (
        "提示：工作表 {sheet} 不是导出时的单位工作表，已忽略",
        "note: sheet {sheet} was not one of the exported unit sheets; ignored",
    ),
    # --- problems at a cell ------------------------------------------------------------
    "import.cell": ("  {ref}：{problem}", "  {ref}: {problem}"),
    "import.more_cells": ("  …另有 {n} 处", "  …and {n} more"),
    "error.import_bad_cells": (
        "{file} 有 {count} 处问题，整个文件都没有导入：\n{rows}",
        "{file} has {count} problem(s); nothing from it was imported:\n{rows}",
    ),
    "ledger.bad_progress": (
        "本期进度应为 0–100 的数字（如 45 或 45%），不能是“{value}”",
        'progress must be a number 0–100 (e.g. 45 or 45%), not "{value}"',
    ),
    "ledger.bad_date": (
        "“{value}”不是日期，请写 2020-03-16 或设为日期格式",
        '"{value}" is not a date; write 2020-03-16 or use a date cell',
    ),
    "ledger.formula_no_value": (
        "公式没有计算结果（未保存计算值）：请在 Excel 中打开、保存后再导入，或填写数值",
        "a formula without a computed value: open and save the file in Excel, or type the value",
    ),
    "ledger.no_task": ("这一行填了内容，但没有任务编号", "this row has content but no task id"),
    "ledger.no_task_column": (
        "找不到“任务编号”列（第 1 行应为列名）",
        'no "任务编号" (task id) column (row 1 holds the headers)',
    ),
    "ledger.no_header": (
        "第 1 行应为列名（任务编号、本期进度(%)、进展情况…）",
        "row 1 should hold the headers (任务编号, 本期进度(%), 进展情况 …)",
    ),
    "ledger.unknown_column": (
        "未知的列名“{name}”，{hint}（列名有误时该列内容会被忽略，请改正列名）",
        'unknown column "{name}"; {hint} (a misspelt column would be ignored; fix its name)',
    ),
    "ledger.duplicate_column": (
        "与前面的列重复（都是 {field}）",
        "repeats an earlier column (both are {field})",
    ),
}
