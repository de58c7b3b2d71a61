"""Messages of the Excel 台账: ``ledger export``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.doc_title": ("重点工作督查台账", "Supervision ledger (督查台账)"),
    "ledger.written": (
        "已写入 {path}：{sheets} 个单位，{rows} 行",
        "written to {path}: {sheets} unit(s), {rows} row(s)",
    ),
    "error.ledger_not_xlsx": (
        "台账只能导出为 .xlsx 文件，{path} 不是；请换一个以 .xlsx 结尾的文件名",
        "the ledger is exported as an .xlsx file and {path} is not one; "
        "give a file name ending in .xlsx",
    ),
}
