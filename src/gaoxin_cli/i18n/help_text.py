"""Every --help text, zh and en, in one table keyed by command.

Keys: ``app`` and ``opt.*`` (global options), a command's name (``status``,
``notice.show``) for its summary, ``<family>.opt.*`` / ``opt.*`` for its options and
``arg.*`` for its arguments. A key is defined once; an option whose meaning differs
between commands (``--by`` is the reporting unit in ``feedback`` and the approving
leader in ``extend``) has a key per family. tests/test_catalogues.py checks the whole
table (both languages, matching placeholders, no key written twice).
"""

from __future__ import annotations

HELP: dict[str, tuple[str, str]] = {
    # --- shared: the app, global options and the daily commands --------------------------
    "app": (
        "gaoxin：重点工作督查督办（计划即代码）。\n\n"
        "计划写在 gaoxin.yaml 和 plans/*.yaml 中；gaoxin 负责校验、记录反馈、亮牌预警、"
        "逐级督办和流动红旗评比。\n\n"
        "每天：gaoxin status（总览）· gaoxin overdue（逾期和督办）· gaoxin feedback（记反馈）"
        "· gaoxin notify（发督办，供 cron）。新建：gaoxin init；改计划后：gaoxin validate。"
        "每个命令的用法：gaoxin 命令 -h。\n\n"
        "退出码：0 成功；1 发现问题或操作被拒绝；2 用法错误；3 意外错误（详情见日志）；130 被中断。",
        "gaoxin: supervision of key work (重点工作督查督办) as plan-as-code.\n\n"
        "The plan lives in gaoxin.yaml and plans/*.yaml; gaoxin validates it, records "
        "feedback, raises warning cards, escalates overdue work and ranks units.\n\n"
        "Every day: gaoxin status (overview) · gaoxin overdue (late work, escalation) · "
        "gaoxin feedback (record progress) · gaoxin notify (send notices, for cron). New "
        "workspace: gaoxin init; after editing the plan: gaoxin validate. Each command: "
        "gaoxin COMMAND -h.\n\n"
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
    "validate.no_cache": (
        "不读也不写已解析的 YAML 缓存，全部重新解析（结果相同，更慢）。",
        "Neither use nor write the YAML data of plan files kept in $GAOXIN_HOME/cache/yaml; "
        "parse every file again (the same result, slower on a big workspace).",
    ),
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
    "opt.progress": (
        "完成进度，0–100，可带 %：45 或 45%。",
        "Progress in percent, 0–100, % optional: 45 or 45%.",
    ),
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
        "从 CSV、JSONL 或 Excel（.xlsx）台账批量导入反馈。重复导入同一文件不会重复记录；有一处出错则整个文件都不导入。",
        "Import reports from a CSV, JSONL or Excel (.xlsx) ledger. Importing the same file "
        "twice adds nothing; one bad row or cell and nothing of the file is written.",
    ),
    "arg.import_file": (
        "台账文件（.csv、.jsonl 或 .xlsx）。",
        "The ledger file (.csv, .jsonl or .xlsx).",
    ),
    "opt.encoding": (
        "CSV/JSONL 台账的编码（如 gb18030、big5）。默认根据内容判断：UTF-8 或 GB18030，无法确定时报错。",
        "The encoding of a CSV/JSONL ledger (e.g. gb18030, big5). By default decided from "
        "the content: UTF-8 or GB18030, an error when unsure.",
    ),
    "opt.accept_plan_change": (
        "导入按另一版计划导出的 .xlsx 台账（所有任务编号仍须存在），改为提示而不拒绝。",
        "Import an .xlsx ledger exported from another version of the plan (every task id "
        "must still exist): a warning instead of a refusal.",
    ),
    "opt.dry_run": (
        "只检查，不写入；报告实际导入时将新增和已存在的记录数。",
        "Check only and write nothing; report how many events the import would add.",
    ),
    "sweep": (
        "每日巡检（供 cron 使用）：计算各任务的牌，把变化记入历史。同一天重复运行不会重复记录。",
        "Daily sweep (for cron): compute every task's card and record changes in the "
        "history. Running it twice a day records nothing new.",
    ),
    # --- overdue, notify, notice, listed, extend -----------------------------------------
    "overdue": (
        "逾期和预警任务：牌、逾期（或剩余）工作日、已发到哪一级督办（三单）、下一级及其日期。",
        "Late and warned tasks: card, working days late (or left), the rung of the escalation ladder "
        "(三单) reached, and the next rung with its date.",
    ),
    "notify": (
        "每日督办（供 cron 使用）：签发今天到期的交办单、提醒、催办单、督办单、通报单，"
        "给每位收件人发一封汇总邮件，并向 gaoxin.yaml 中的钉钉、企业微信、飞书群机器人每群发一条消息。"
        "同一天重复运行不会重复发送；邮件服务器或机器人确认接收后才记为已送达。"
        "退出码：0 全部送达；1 有邮件或群消息未送达（下次运行重发）或另一个 notify 正在运行。",
        "Daily escalation run (for cron): file today's notices (交办单, 提醒, 催办单, 督办单, "
        "通报单), send each recipient one digest mail, and post one message to each "
        "钉钉 / 企业微信 / 飞书 group robot in gaoxin.yaml. Running it twice a day sends "
        "nothing new; a notice counts as delivered only once the mail server or the robot "
        "accepted it. Exit codes: 0 all delivered; 1 some mail or group message not "
        "delivered (sent on the next run) or another notify is running.",
    ),
    "escalation.opt.dry_run": (
        "只显示将签发的通知和将发送的邮件，不写入、不发送。",
        "Show the notices that would be filed and the mail that would be sent; write and "
        "send nothing.",
    ),
    "opt.outbox": (
        "把每封邮件写成此目录下的 .eml 文件，而不是发送（送达记为 outbox:文件名）。",
        "Write each mail as an .eml file into this directory instead of sending it "
        "(recorded as delivered, message id outbox:<file>).",
    ),
    "opt.any_day": (
        "在非工作日也运行（默认非工作日什么也不做）。",
        "Run on a rest day too (by default notify does nothing on a non-working day).",
    ),
    "notice": (
        "督办通知（三单）：show 打印一份通知原件，list 查看通知台账，sign 登记签收。",
        "Formal notices (三单): show prints one as filed, list the register, sign records "
        "an acknowledgement (签收).",
    ),
    "notice.sign": (
        "登记签收：收文单位已确认收到这份通知（电话、工作群或回复邮件）。"
        "重复签收只提示、不重复登记；--withdraw --reason 撤回误登的签收。",
        "Record that the addressed unit acknowledged a notice (签收: by phone, in the work "
        "group, by replying to the mail). Signing twice records nothing; --withdraw "
        "--reason takes a mistaken record back.",
    ),
    "notice.opt.sign_by": (
        "签收单位（编号、简称或全称），须是通知的收文单位。",
        "The acknowledging unit (id, short or full name): the unit the notice is addressed to.",
    ),
    "notice.opt.sign_at": (
        "签收日期（默认今天），不能晚于今天，也不能早于通知签发日期。",
        "Day of the acknowledgement (default: today); not in the future, not before the "
        "notice was filed.",
    ),
    "notice.opt.sign_withdraw": (
        "撤回这份通知的签收（须 --reason）。",
        "Withdraw the notice's acknowledgement (needs --reason).",
    ),
    "notice.opt.sign_reason": ("撤回签收的原因。", "Why the acknowledgement is withdrawn."),
    "notice.opt.unsigned": (
        "只看尚未签收的通知。",
        "Only the notices not yet acknowledged (签收).",
    ),
    "notice.show": (
        "按编号打印一份通知（交办单、催办单、督办单……），供打印和归档，附送达记录。",
        "Print one notice as the formal sheet (单), for print and filing, with its "
        "deliveries. NUMBER: 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12.",
    ),
    "notice.number": (
        "通知编号，如 督办〔2020〕12号、督办[2020]12 或 supervise-2020-12。",
        "Notice number: 督办〔2020〕12号, 督办[2020]12 or supervise-2020-12.",
    ),
    "notice.list": (
        "通知台账：按种类、单位、任务、期间筛选。",
        "The register of notices, filtered by kind, unit, task and period.",
    ),
    "escalation.opt.kind": (
        "只看这种通知：assign、remind、urge、supervise、report"
        "（或 交办、提醒、催办、督办、通报；可重复）。",
        "Only this kind: assign, remind, urge, supervise, report (or 交办 … 通报; repeatable).",
    ),
    "escalation.opt.unit": ("只看这个牵头单位（可重复）。", "Only this lead unit (repeatable)."),
    "opt.task": ("只看这项任务（可重复）。", "Only this task (repeatable)."),
    "escalation.opt.period": (
        "期间：年 2020、季度 2020Q2、月 2020-06、日 2020-06-01，或区间 2020-06-01..2020-06-30。",
        "Period: a year 2020, quarter 2020Q2, month 2020-06, day 2020-06-01, or FROM..TO "
        "(2020-06-01..2020-06-30).",
    ),
    "escalation.opt.pillar": ("只看这个工作体系节点及其下级。", "Only this pillar and below."),
    "escalation.opt.card": (
        "只看这种牌：red、yellow、blue、accountability（可重复）。",
        "Only this card: red, yellow, blue, accountability (repeatable).",
    ),
    "escalation.opt.leader": (
        "只看这位责任领导的任务（可重复）。",
        "Only tasks of this leader (repeatable).",
    ),
    "listed": (
        "挂牌督办事项：督办领导、挂牌天数、牌和进度；完成即摘牌，并显示摘牌日期。",
        "Listed tasks (挂牌督办): supervising leader, days listed, card and progress; a task "
        "is delisted (摘牌) when done, and the day is shown.",
    ),
    "opt.supervisor": (
        "只看这位督办领导的挂牌事项（可重复）。",
        "Only this supervising leader (repeatable).",
    ),
    "extend": (
        "延期：到期前申请（--to 日期 --reason 理由），领导批准（--approve --by 领导）或驳回"
        "（--reject --by 领导 --reason）。批准后的时限用于亮牌和督办，原时限仍用于考核。"
        "到期后申请须领导当场批准：--approve --by 领导 --late。领导可撤回已批准的延期"
        "（--withdraw --by 领导 --reason，时限恢复为上一次批准的日期或原定时限）或改为另一日期"
        "（--replace --to 日期 --by 领导 --reason），均记入历史。--to 最晚到 calendar.horizon_years"
        " 年后的年底（默认明年年底）。不带选项时显示延期记录。",
        "Extensions (延期): request before the due date (--to DATE --reason TEXT); a leader "
        "approves (--approve --by LEADER) or refuses (--reject --by LEADER --reason). The "
        "approved date drives cards and the ladder; scoring keeps the original date. After "
        "the due date only a leader can grant one, as late: --approve --by LEADER --late. "
        "A leader can take an approved extension back (--withdraw --by LEADER --reason: the "
        "due date falls back to the approval before it, else the plan's) or change its date "
        "(--replace --to DATE --by LEADER --reason); both stay in the history. --to reaches "
        "at most the end of the year calendar.horizon_years after today (default: next "
        "year). Without options, shows the task's extensions.",
    ),
    "escalation.opt.to": (
        "新的完成时限（YYYY-MM-DD），最晚到 calendar.horizon_years 年后的年底。",
        "The new due date (YYYY-MM-DD), at most the end of the year calendar.horizon_years "
        "after today.",
    ),
    "escalation.opt.reason": (
        "理由（批准时可省略；撤回、替换时必填）。",
        "Why (optional when approving; required to withdraw or replace).",
    ),
    "opt.approve": ("批准（须 --by 领导）。", "Approve (needs --by LEADER)."),
    "opt.reject": (
        "驳回（须 --by 领导 和 --reason）。",
        "Refuse (needs --by LEADER and --reason).",
    ),
    "escalation.opt.by": (
        "批准、驳回、撤回或替换的领导（编号或姓名）。",
        "The leader who approves, refuses, withdraws or replaces (leader id or name).",
    ),
    "opt.withdraw": (
        "撤回最近一次已批准的延期（须 --by 领导 和 --reason）。",
        "Withdraw the latest approved extension (needs --by LEADER and --reason).",
    ),
    "opt.replace": (
        "把最近一次已批准的延期改为 --to 日期（须 --by 领导 和 --reason）。",
        "Replace the latest approved extension by --to DATE (needs --by LEADER and --reason).",
    ),
    "escalation.opt.late": (
        "到期后由领导批准的逾期延期。",
        "A late extension, granted by a leader after the due date.",
    ),
    # --- submit, review, close, cancel ---------------------------------------------------
    "submit": (
        "牵头单位提交办理结果，任务进入“审核中”，等待领导审核（办理中 → 审核中）。",
        "The lead unit submits the result; the task goes under review until a leader "
        "decides (in progress → under review).",
    ),
    "review": (
        "领导审核办理结果：--accept 办结，或 --return --reason 退回重办（原因记入历史）。",
        "A leader reviews the submitted result: --accept makes the task done; --return "
        "--reason sends it back to in progress (the reason is kept).",
    ),
    "close": (
        "销号：办结的任务核验后从台账中销去（已办结 → 已销号）。",
        "Close (销号) a done task after verification: it leaves the ledger (done → closed).",
    ),
    "cancel": (
        "撤销一项未办结的任务（须领导决定并说明原因）。撤销后不再亮牌、不再督办。",
        "Cancel an open task (a leader decides, with a reason). No cards or notices follow.",
    ),
    "opt.result": ("办理结果（必填）。", "What was achieved (required)."),
    "opt.submit_by": (
        "提交单位：牵头单位（默认）或督查室代报。",
        "Submitting unit: the lead unit (default) or the office on its behalf.",
    ),
    "opt.accept": ("审核通过，任务办结。", "Accept the result: the task is done."),
    "opt.return": ("退回重办（须 --reason）。", "Return it for more work (needs --reason)."),
    "lifecycle.opt.leader": (
        "作出决定的领导（gaoxin.yaml 中 leaders 下的编号或姓名）。",
        "The deciding leader (an id or name under leaders in gaoxin.yaml).",
    ),
    "lifecycle.opt.reason": (
        "原因（退回、撤销、重办、不予受理时必填）。",
        "Why (required to return, cancel, reopen or reject).",
    ),
    "lifecycle.opt.note": ("说明。", "A note."),
    # --- the problem group ---------------------------------------------------------------
    "problem.opt.reason": (
        "原因（退回、撤销、重办、不予受理时必填）。",
        "Why (required to return, cancel, reopen or reject).",
    ),
    "problem.opt.note": ("说明。", "A note."),
    "problem": (
        "问题提报闭环：提报 → 受理 → 交办 → 答复 → 核实销号（或重办、不予受理）。"
        "各环节时限按工作日计算（rules.problems，默认 1/1/2/10 个工作日，难度大的 25 个），"
        "逾期亮牌并进入同一督办流程。",
        "问题提报 closed loop: report → accept → assign → answer → verify and close (or "
        "reopen, or reject). Each stage has a limit in working days (rules.problems; "
        "defaults 1/1/2/10, 25 when hard); a late problem gets a card and enters the same "
        "notice ladder as tasks.",
    ),
    "problem.report": (
        "提报一个问题，得到编号（问题〔年〕N号），1 个工作日内应受理。",
        "Report a problem and get its number (问题〔YEAR〕N号); accept it within 1 working day.",
    ),
    "problem.accept": ("受理问题（已提报 → 已受理）。", "Accept a problem (reported → accepted)."),
    "problem.reject": (
        "不予受理（须 --reason，只能在受理前）。",
        "Reject a problem (needs --reason; only before it is accepted).",
    ),
    "problem.assign": (
        "把已受理的问题交办给承办单位（--to）；--hard 表示难度大或涉及多部门，办结时限放宽。",
        "Assign an accepted problem to a unit (--to); --hard for a difficult or multi-unit "
        "problem: the longer resolve limit.",
    ),
    "problem.answer": (
        "承办单位答复问题（--note 写明答复内容）。",
        "The assigned unit answers the problem (--note: the answer).",
    ),
    "problem.verify": (
        "核实答复：--ok --satisfied yes 销号；"
        "回访不满意（--satisfied no）或 --reopen --reason 重办。",
        "Verify the answer: --ok --satisfied yes closes it; an unsatisfied reporter "
        "(--satisfied no) or --reopen --reason sends it back to the unit.",
    ),
    "problem.list": (
        "列出问题：状态、已历工作日、当前时限、逾期和待办单位。默认只列未办结的。",
        "List problems with state, age in working days, stage deadline, lateness and whose "
        "move it is. Open ones by default.",
    ),
    "problem.show": ("一个问题的详情和办理过程。", "One problem in full, with every step."),
    "arg.text": ("问题内容。", "What the problem is."),
    "arg.number": (
        "问题编号：问题〔2020〕3号、2020-3，或本年的 3。",
        "Problem number: 问题〔2020〕3号, 2020-3, or 3 for this year.",
    ),
    "opt.problem_task": ("相关任务编号。", "The related task id."),
    "opt.reporter": (
        "提报单位（默认督查室）。",
        "Reporting unit (default: the supervision office).",
    ),
    "opt.actor": ("办理单位（默认督查室）。", "Acting unit (default: the supervision office)."),
    "problem.opt.to": (
        "承办单位（编号、简称或全称）。",
        "The unit to handle it (id, short or full name).",
    ),
    "opt.hard": (
        "难度大或涉及多部门：办结时限用 hard_resolve_wd（默认 25 个工作日）。",
        "Difficult or multi-unit: resolve within hard_resolve_wd (default 25 WD).",
    ),
    "opt.answer": ("答复内容。", "The answer."),
    "opt.answer_by": ("答复单位（默认承办单位）。", "Answering unit (default: the assigned unit)."),
    "opt.ok": ("核实无误（须 --satisfied）。", "The answer checks out (needs --satisfied)."),
    "opt.satisfied": (
        "回访提报人是否满意：yes 或 no（不满意的重办）。",
        "Was the reporter satisfied: yes or no (if not, it is reopened).",
    ),
    "opt.reopen": (
        "核实不通过，退回承办单位重办（须 --reason）。",
        "Send it back to the unit (needs --reason).",
    ),
    "opt.state": (
        "只看这些状态：reported、accepted、assigned、answered、closed、rejected（可重复）。",
        "Only these states: reported, accepted, assigned, answered, closed, rejected (repeatable).",
    ),
    "problem.opt.unit": (
        "只看交办给这个单位或轮到它办理的问题（可重复）。",
        "Only problems assigned to this unit or waiting on it (repeatable).",
    ),
    "problem.opt.late": ("只看逾期的。", "Only late problems."),
    "opt.all": ("包括已销号和不予受理的。", "Include closed and rejected problems."),
    # --- ranking, flag, bulletin ---------------------------------------------------------
    "ranking": (
        "流动红旗评比：各牵头单位的得分、名次及变化、红黄牌、完成率，流动红旗和末位，附得分条形图。\n\n"
        "得分 = 100 − 扣分 + 加分（--explain 单位 逐项列出扣分和加分，权重在 gaoxin.yaml 的 rules.ranking）。"
        "默认是今天所在的月份（rules.ranking.period 为 quarter/year 时是季度/年度）；"
        "已评定的期间显示冻结结果。",
        "The 流动红旗 ranking: each lead unit's score, rank and change, red and yellow cards, "
        "completion rate, the flag holder and the bottom units, with a bar chart.\n\n"
        "Score = 100 − deductions + bonuses (--explain UNIT lists each deduction and bonus; weights in rules.ranking of "
        "gaoxin.yaml). Default: the month containing today (the quarter or year when "
        "rules.ranking.period says so). An awarded period prints its frozen result.",
    ),
    "month.opt.period": (
        "评比期：2020-05（月）、2020Q2（季度）或 2020（年）。",
        "The period: 2020-05 (month), 2020Q2 (quarter) or 2020 (year).",
    ),
    "opt.live": (
        "忽略已冻结的评定结果，按当前计划、记录和规则重新计算。",
        "Ignore frozen awards: recompute from today's plan, history and rules.",
    ),
    "opt.explain": (
        "列出这个单位的每一项扣分和加分（任务和依据的规则），合计即得分。",
        "List every deduction and bonus of this unit, with its task and rule; they sum to "
        "the score.",
    ),
    "opt.cards": (
        "显示单位双亮牌（位次牌 / 进退牌）。",
        "Show unit rank cards (双亮牌: standing / change).",
    ),
    "opt.csv": ("输出 CSV（每个单位一行）。", "Print CSV, one row per unit."),
    "opt.excel": (
        "与 --csv 同用：带 BOM 的 UTF-8、中文列名（--lang en 时为英文），Excel 直接打开不乱码。",
        "With --csv: UTF-8 with a byte-order mark and column names in the output language, so Excel opens it without mojibake.",
    ),
    "opt.xlsx": (
        "把本视图写入 Excel 文件 FILE（.xlsx，格式同屏幕：亮牌着色；排名中流动红旗所在行标出），不在屏幕上显示。",
        "Write this view to the Excel file FILE (.xlsx, formatted like the screen: cards coloured; in the ranking the 流动红旗 row marked) instead of showing it.",
    ),
    "flag": (
        "流动红旗：评定并冻结某一期的结果（award），查看历史（history），记录领导督查评分和加减分（score）。",
        "The 流动红旗: freeze a period's result (award), show who held it (history), record "
        "a leader's inspection score or points with a reason (score).",
    ),
    "award": (
        "评定一期：把得分、名次、流动红旗和末位写入数据库并冻结，"
        "此后计划或规则的改变都不会改变它。默认评定刚结束的一期。"
        "已评定的期间只有加 --force --reason 才能重新评定，原评定保留在历史中。",
        "Award a period: scores, ranks, the flag holder and the bottom units are written to "
        "the store and frozen; later plan or rule changes never alter them. Default: the "
        "period that ended last. A period already awarded is awarded again only with "
        "--force --reason; the history keeps both.",
    ),
    "award.short": (
        "评定一期并冻结结果：得分、名次、流动红旗和末位。",
        "Freeze a period's result: scores, ranks, the flag holder, the bottom units.",
    ),
    "opt.force": (
        "重新评定已评定的期间（须给出 --reason）。",
        "Award an awarded period again (needs --reason).",
    ),
    "opt.force_reason": ("重新评定的原因。", "Why the period is awarded again."),
    "month.history": (
        "流动红旗历史：每期由谁获得、连续获得的期数、如何转移，以及末位。",
        "Who held the flag each awarded period, streaks, how it moved, and the bottom units.",
    ),
    "score": (
        "记录一项评分：领导督查评分（inspection，按季度，0–100，季度得分 = 各月 90% + 督查 10%），"
        "或加分（bonus）、扣分（deduction），须说明原因和记录领导。记录只增不改；"
        "督查评分以最后一次为准。",
        "Record a score item: a leader's inspection score (inspection, per quarter, 0–100; "
        "quarter = months 90% + inspection 10%), or a bonus or deduction with a reason and "
        "the leader who gave it. Items are only ever added; the latest inspection score counts.",
    ),
    "score.short": (
        "记录领导督查评分（按季度），或有理由的加分、扣分。",
        "Record a leader's inspection score (per quarter), or points with a reason.",
    ),
    "arg.unit": ("单位（编号、简称或全称）。", "Unit (id, short or full name)."),
    "opt.points": (
        "分值：督查评分 0–100；加分、扣分 0.01–100（扣分时自动取负）。",
        "Points: inspection 0–100; bonus and deduction 0.01–100 (a deduction is subtracted).",
    ),
    "opt.item_reason": ("原因（必填）。", "The reason (required)."),
    "month.opt.kind": (
        "inspection（领导督查评分）、bonus（加分，默认）或 deduction（扣分）。",
        "inspection (a leader's score), bonus (default) or deduction.",
    ),
    "opt.by_leader": (
        "评分或批准的领导（编号或姓名）。",
        "The leader who scored or approved it (leader id or name).",
    ),
    "bulletin": (
        "月度督查通报：总体情况、排名和得分图、流动红旗和末位、红牌和挂牌督办事项、本期发出的督办文书。"
        "--format html 生成单个自包含的 HTML 文件（无需网络，可按 A4 打印）。默认是刚结束的一期。",
        "The monthly 督查通报: summary figures, the ranking with a chart, the flag holder and "
        "bottom units, red-card and listed tasks with reasons, notices issued in the period. "
        "--format html writes one self-contained file (no network needed; prints on A4). "
        "Default: the period that ended last.",
    ),
    "site": (
        "静态站点（供领导在手机上看）：总览、各单位、各任务、逾期与督办、挂牌督办、问题提报、流动红旗、督查通报和督办文书。"
        "不依赖任何外部资源；只重写有变化的页面，适合 sweep、notify 之后由 cron 重新生成。",
        "A static site for leaders' phones: overview, units, tasks, overdue, listed, problems, "
        "ranking, bulletins and notices. It loads nothing from outside; only changed pages are "
        "rewritten, so cron can rebuild it after sweep and notify.",
    ),
    "site.opt.output": (
        "写入这个目录（不存在则创建）。",
        "Write the site into this folder (created if missing).",
    ),
    "site.opt.unit": (
        "只包含这个单位可以看到的内容（它牵头的任务、相关文书和问题、它自己的排名）。",
        "Only what this unit may see (the tasks it leads, their notices and problems, its own ranking).",
    ),
    "site.opt.serve": (
        "生成后在 127.0.0.1 上预览（仅本机），Ctrl-C 结束。",
        "After building, preview the site on 127.0.0.1 (this machine only); Ctrl-C stops.",
    ),
    "site.opt.port": (
        "--serve 的端口；0 表示任选空闲端口。",
        "Port for --serve; 0 picks a free one.",
    ),
    "opt.format": ("md（Markdown，默认）或 html。", "md (Markdown, default) or html."),
    "opt.output": (
        "写入这个文件，而不是标准输出。",
        "Write to this file instead of standard output.",
    ),
    # --- the Excel 台账 -------------------------------------------------------------------
    "ledger": (
        "Excel 台账：导出给各单位填报的工作簿（export）。格式见 gaoxin ledger export -h。",
        "The Excel 台账: export the workbook units fill in (export). See gaoxin ledger export -h.",
    ),
    "ledger.export": (
        "导出督查台账工作簿：每个单位一张表，每行一项该单位牵头或配合的未完成任务，"
        "含任务编号、名称、措施、完成时限、工作体系、本期节点、上次进度和当前牌（只读），"
        "以及单位填写的本期进度、进展情况、存在问题、下步计划、实际开工日期和填报人。"
        "隐藏页记录计划版本，导入时据此核对。",
        "Export the ledger workbook: a sheet per unit, a row per open task it leads or "
        "supports, with the task's id, title, measures, due date, pillar, milestones of "
        "the period, last progress and card (read-only) and the columns the unit fills: "
        "progress, work done, problems, next steps, actual start date and who reported. "
        "A hidden sheet records the plan version, checked on import.",
    ),
    "ledger.opt.unit": (
        "只导出这个单位（编号、简称或全称，可重复）。默认全部单位。",
        "Only this unit (id, short or full name; repeatable). Default: every unit.",
    ),
    "ledger.opt.period": (
        "本期：列出这段时间内到期的节点。写法同 ranking --period（2020-06、2020Q2、"
        "2020、2020-06-01..2020-06-15）。默认是今天所在的月份。",
        "The period whose milestones are listed; the --period grammar of ranking "
        "(2020-06, 2020Q2, 2020, 2020-06-01..2020-06-15). Default: this month.",
    ),
    "ledger.opt.output": (
        "写入这个 .xlsx 文件（必填；已有的文件会被替换）。",
        "Write to this .xlsx file (required; an existing file is replaced).",
    ),
    # --- the calendar group --------------------------------------------------------------
    "calendar": (
        "工作日日历：查看某年的放假和调休，录入国务院办公厅的放假通知，"
        "升级 chinesecalendar 后核对本地条目。",
        "The working-day calendar: look at a year's holidays and make-up days, load the "
        "State Council holiday notice, check local entries after a chinesecalendar upgrade.",
    ),
    "calendar.show": (
        "按月显示一年的日历：休 = 放假，班 = 调休上班，灰色 = 周末；并说明数据来源"
        "（chinesecalendar、本地条目或估算）。",
        "Show a year as month grids: 休 = holiday, 班 = make-up working day, dim = weekend; "
        "and where the data comes from (chinesecalendar, local entries or an estimate).",
    ),
    "calendar.year": ("年份（默认今年）。", "The year (default: this year)."),
    "calendar.add": (
        "读取国务院办公厅关于某年部分节假日安排的通知原文（从政府网站复制），先按月显示供核对，"
        "加 --write（或在终端确认）后写入 calendar/年份.yaml。"
        "读不懂的句子报错并注明行号，不写入任何内容。",
        "Read the text of the State Council notice on a year's holidays (as pasted from the "
        "government site), show it as month grids for checking, then write calendar/YEAR.yaml "
        "with --write (or after a yes at a terminal). A sentence it cannot read is an error "
        "with its line, and nothing is written.",
    ),
    "calendar.notice": (
        "通知原文文件；- 表示从标准输入读取。",
        "The notice text file; - reads standard input.",
    ),
    "calendar.write": ("不再询问，直接写入。", "Write without asking."),
    "calendar.force": (
        "覆盖已有的 calendar/年份.yaml。",
        "Replace an existing calendar/YEAR.yaml.",
    ),
    "calendar.check": (
        "chinesecalendar 升级后运行：列出与其数据重复或矛盾的本地条目（calendar/*.yaml、"
        "calendar.rest/work/years），并说明哪些可以删除。有发现时退出码为 1。",
        "Run after upgrading chinesecalendar: list local entries (calendar/*.yaml, "
        "calendar.rest/work/years) that now repeat or contradict its data, and say which to "
        "remove. Exit code 1 when there is something to do.",
    ),
}
