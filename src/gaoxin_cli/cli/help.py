"""--help texts in the user's language (decided before options are parsed)."""

from __future__ import annotations

from collections.abc import Callable

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
    "opt.json": (
        "输出 JSON（键名稳定，供脚本使用）。",
        "Print JSON with stable keys, for scripts.",
    ),
    "opt.unit": ("只看这个牵头单位（可重复）。", "Only tasks led by this unit (repeatable)."),
    "opt.pillar": (
        "只看这个工作体系节点及其下级，如 battles.infrastructure。",
        "Only this pillar and below, e.g. battles.infrastructure.",
    ),
    "opt.card": (
        "只看这种牌：red、yellow、blue、accountability、none（可重复）。",
        "Only tasks with this card: red, yellow, blue, accountability, none (repeatable).",
    ),
    "opt.leader": ("只看这位责任领导的任务（可重复）。", "Only tasks of this leader (repeatable)."),
    "opt.listed": ("只看挂牌督办的任务。", "Only listed (挂牌督办) tasks."),
    "opt.limit": (
        "“需要关注”最多列几项（0 = 全部）。",
        "How many tasks to list under attention (0 = all).",
    ),
    "status": (
        "督查督办总览：各牌数量、工作体系进度、牵头单位情况、最需要关注的任务及原因。",
        "The dashboard: cards by count, progress by pillar, a table per lead unit, and the "
        "tasks that need attention most, with reasons.",
    ),
    "countdown": (
        "开工倒计时：尚未开工的项目按距计划开工的工作日排序（附自然日），已过期的标出。"
        "--due 看完成时限，--within N 看 N 个工作日内到期的节点。",
        "Start countdown: projects not yet started, by working days to the planned start "
        "(calendar days alongside), missed starts flagged. --due for deadlines, --within N "
        "for milestones due in the next N working days.",
    ),
    "opt.due": ("按完成时限倒计时。", "Count down to due dates instead."),
    "opt.within": ("列出 N 个工作日内到期的节点。", "List milestones due within N working days."),
    "feedback": (
        "记录一次反馈：进度、说明、节点完成或开工。进度不能倒退，确需更正时用 --correct --reason。",
        "Record a progress report (反馈): progress, a note, a milestone reached, or the start. "
        "Progress never goes back unless --correct --reason says why.",
    ),
    "arg.task": ("任务编号，如 JC-01。", "Task id, e.g. JC-01."),
    "opt.progress": ("完成进度（0–100）。", "Progress in percent (0–100)."),
    "opt.note": ("进展说明。", "What was done."),
    "opt.by": ("填报单位（默认牵头单位）。", "Reporting unit (default: the lead unit)."),
    "opt.at": (
        "反馈日期（默认今天），不能晚于今天。",
        "Date of the report (default: today); not in the future.",
    ),
    "opt.milestone": ("标记这个节点已完成。", "Mark this milestone as reached."),
    "opt.started": (
        "标记项目已开工（开工日期为 --at）。",
        "Mark the project as started (on --at).",
    ),
    "opt.correct": (
        "更正：允许进度变小，须给出 --reason。",
        "A correction: progress may go down; needs --reason.",
    ),
    "opt.reason": ("更正原因。", "Why the correction."),
    "history": (
        "一项任务的全部记录：反馈、节点、开工、亮牌变化。",
        "A task's whole timeline: reports, milestones, start, card changes.",
    ),
    "import": (
        "从 CSV 或 JSONL 台账批量导入反馈。重复导入同一文件不会重复记录；有一行出错则整个文件都不导入。",
        "Import reports from a CSV or JSONL ledger. Importing the same file twice adds "
        "nothing; one bad row and nothing of the file is written.",
    ),
    "arg.import_file": ("台账文件（.csv 或 .jsonl）。", "The ledger file (.csv or .jsonl)."),
    "opt.dry_run": ("只检查，不写入。", "Check only; write nothing."),
    "sweep": (
        "每日巡检（供 cron 使用）：计算各任务的牌，把变化记入历史。同一天重复运行不会重复记录。",
        "Daily sweep (for cron): compute every task's card and record changes in the "
        "history. Running it twice a day records nothing new.",
    ),
}


def H(key: str) -> str:
    zh, en = HELP[key]
    return zh if _LANG == "zh" else en


def help_table(table: dict[str, tuple[str, str]]) -> Callable[[str], str]:
    """An ``H`` for a command module that keeps its own help texts."""

    def lookup(key: str) -> str:
        zh, en = table[key]
        return zh if _LANG == "zh" else en

    return lookup
