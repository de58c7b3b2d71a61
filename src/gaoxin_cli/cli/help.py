"""--help texts in the user's language (decided before options are parsed)."""

from __future__ import annotations

from gaoxin_cli.i18n import initial_lang

_LANG = initial_lang()

HELP: dict[str, tuple[str, str]] = {
    "app": (
        "gaoxin：重点工作督查督办（计划即代码）。\n\n"
        "计划写在 gaoxin.yaml 和 plans/*.yaml 中；gaoxin 负责校验、记录反馈、亮牌预警、"
        "逐级督办和流动红旗评比。\n\n"
        "常用：gaoxin validate（校验计划）· gaoxin init（新建工作区）· gaoxin schema（编辑器校验用的 JSON Schema）。\n\n"
        "退出码：0 成功；1 发现问题或操作被拒绝；2 用法错误；3 意外错误（详情见日志）；130 被中断。",
        "gaoxin: supervision of key work (重点工作督查督办) as plan-as-code.\n\n"
        "The plan lives in gaoxin.yaml and plans/*.yaml; gaoxin validates it, records "
        "feedback, raises warning cards, escalates overdue work and ranks units.\n\n"
        "Start with: gaoxin validate · gaoxin init · gaoxin schema.\n\n"
        "Exit codes: 0 success; 1 problems found or action refused; 2 usage error; "
        "3 unexpected error (see the log); 130 interrupted.",
    ),
    "opt.workspace": (
        "工作区目录（含 gaoxin.yaml）。默认从当前目录向上查找。",
        "Workspace directory (holds gaoxin.yaml). Default: search upward from here.",
    ),
    "opt.db": (
        "状态数据库文件。默认为工作区的 data/gaoxin.db。",
        "Status database file. Default: data/gaoxin.db in the workspace.",
    ),
    "opt.as_of": (
        "把“今天”固定为这一天（YYYY-MM-DD），便于复现；也可设 GAOXIN_TODAY。",
        "Treat this day (YYYY-MM-DD) as today, for reproducible runs; also GAOXIN_TODAY.",
    ),
    "opt.lang": ("输出语言：zh（默认）或 en。", "Output language: zh (default) or en."),
    "opt.version": ("显示版本并退出。", "Show the version and exit."),
    "validate": (
        "校验工作区的配置和计划文件，报告所有问题（文件:行:列、代码、提示）。\n\n"
        "不带参数时校验整个工作区；可给出文件或目录。发现错误时退出码为 1，适合在 CI 和 "
        "pre-commit 中运行。",
        "Check the workspace's config and plan files and report every problem "
        "(file:line:col, code, hint).\n\nWithout PATHs the whole workspace is checked. "
        "Exits 1 when problems are found, for CI and pre-commit.",
    ),
    "validate.paths": (
        "要校验的文件或目录（默认：整个工作区）。",
        "Files or directories to check (default: the whole workspace).",
    ),
    "validate.format": (
        "输出格式：text（给人看）、json（给程序）或 github（GitHub Actions 注释）。",
        "Output format: text (people), json (tools) or github (Actions annotations).",
    ),
    "validate.strict": ("把警告也当作错误（退出码 1）。", "Treat warnings as errors (exit 1)."),
    "schema": (
        "输出 gaoxin.yaml 或计划文件的 JSON Schema，供 VS Code（yaml-language-server）补全和检查。",
        "Print the JSON Schema of gaoxin.yaml or of plan files, for editor completion "
        "(yaml-language-server in VS Code).",
    ),
    "schema.kind": (
        "config（gaoxin.yaml）或 plan（plans/*.yaml）。",
        "config (gaoxin.yaml) or plan (plans/*.yaml).",
    ),
    "schema.write": (
        "把两个 Schema 写入此目录（gaoxin.schema.json、plan.schema.json），而不是打印。",
        "Write both schemas into this directory (gaoxin.schema.json, plan.schema.json) "
        "instead of printing.",
    ),
    "init": (
        "新建工作区：gaoxin.yaml、一个示例计划、JSON Schema 和 .gitignore。不会覆盖已有文件。",
        "Start a new workspace: gaoxin.yaml, one example plan, the JSON Schemas and a "
        ".gitignore. Never overwrites a file.",
    ),
    "init.dir": ("目标目录（默认当前目录）。", "Target directory (default: here)."),
}


def H(key: str) -> str:
    zh, en = HELP[key]
    return zh if _LANG == "zh" else en
