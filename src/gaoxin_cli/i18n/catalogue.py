"""Message templates: key → (中文, English). Parameters use str.format names.

Diagnostic codes (``diag.*``) are stable: CI scripts and editors may match on them, so a
code is never reused for another meaning. docs/validation.md lists them all (a test
keeps that list and this catalogue in step).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- file and YAML level (Y) -------------------------------------------------
    "diag.Y101": (
        "文件不是有效的 UTF-8 文本（第 {line} 行附近有无法解码的字节）",
        "file is not valid UTF-8 text (undecodable bytes near line {line})",
    ),
    "diag.Y102": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "diag.Y103": (
        '键 "{key}" 重复（第一次出现在第 {first_line} 行）',
        'duplicate key "{key}" (first defined on line {first_line})',
    ),
    "diag.Y104": (
        "不允许使用 YAML 锚点或别名（&{name} / *{name}）：请把内容直接写出",
        "YAML anchors and aliases (&{name} / *{name}) are not allowed: write the content out",
    ),
    "diag.Y105": (
        "不允许使用 YAML 合并键 <<：请把字段直接写出",
        "YAML merge keys (<<) are not allowed: write the fields out",
    ),
    "diag.Y106": (
        "不允许使用 YAML 标签 {tag}",
        "YAML tag {tag} is not allowed",
    ),
    "diag.Y107": (
        "文件过大（{size} 字节，上限 {limit} 字节）",
        "file too large ({size} bytes, limit {limit})",
    ),
    "diag.Y108": ("嵌套层级超过 {limit} 层", "nesting deeper than {limit} levels"),
    "diag.Y109": (
        "一个文件只能包含一个 YAML 文档（发现第二个 ---）",
        "a file may hold only one YAML document (found a second ---)",
    ),
    "diag.Y110": (
        '"{value}" 在 YAML 1.1 中会被当作布尔值：布尔值请写 true/false，文本请加引号',
        '"{value}" is a boolean in YAML 1.1: write true/false for a boolean, quote it for text',
    ),
    "diag.Y111": (
        '"{value}" 在不同 YAML 版本中会被读成不同的数字：请写成普通十进制数，文本请加引号',
        '"{value}" reads as a different number in different YAML versions: write a plain '
        "decimal, or quote it for text",
    ),
    "diag.Y112": ("文件为空", "file is empty"),
    "diag.Y113": (
        "文件顶层应为映射（键: 值），实际为{actual}",
        "the top level must be a mapping (key: value), found {actual}",
    ),
    "diag.Y114": ("键必须是文本（{key}）", "keys must be text ({key})"),
    "diag.Y115": ("无法读取文件：{reason}", "cannot read file: {reason}"),
    "diag.Y116": ("这是一个目录，不是 YAML 文件", "this is a directory, not a YAML file"),
    "diag.Y117": (
        "“{key}”后面用了全角冒号“：”：YAML 只认半角冒号，这一行没有被读成字段",
        'full-width colon "：" after "{key}": YAML only reads an ASCII colon, so this line '
        "is not a field",
    ),
    "diag.Y118": (
        "缩进里有 Tab：YAML 只能用空格缩进",
        "a tab in the indentation: YAML indents with spaces only",
    ),
    "diag.Y119": (
        "第 {line} 行缩进 {got} 个空格，与同级字段的 {want} 个空格不一致",
        "line {line} is indented {got} spaces, but its siblings use {want}",
    ),
    # --- schema (S) --------------------------------------------------------------
    "diag.S201": ("{where}缺失（必填）", "{where} is missing (required)"),
    "diag.S202": ('{where} 中有未知字段 "{field}"', '{where}: unknown field "{field}"'),
    "diag.S203": ("{where} 应为{expected}", "{where}: expected {expected}"),
    "diag.S204": ("{where} 的取值应为 {expected} 之一", "{where}: must be one of {expected}"),
    "diag.S205": (
        "{where} 应为有效日期，格式 YYYY-MM-DD",
        "{where}: expected a real date written YYYY-MM-DD",
    ),
    "diag.S206": (
        "{where} 超出范围（应 {op} {limit}）",
        "{where}: out of range (must be {op} {limit})",
    ),
    "diag.S207": ("{where} 格式不对：{what}", "{where}: bad format: {what}"),
    "diag.S209": ("{where} 不能为空", "{where}: must not be empty"),
    "diag.S210": (
        "{where} 过长（最多 {limit} 个字符）",
        "{where}: too long (at most {limit} characters)",
    ),
    "diag.S211": ("{where} 中有重复的条目", "{where}: has a duplicate entry"),
    "diag.S299": ("{where} 无效：{detail}", "{where}: invalid: {detail}"),
    # --- cross-file checks (X) ---------------------------------------------------
    "diag.X301": (
        '任务编号 "{id}" 重复（首次出现在 {first}）',
        'task id "{id}" is used twice (first at {first})',
    ),
    "diag.X302": ('{field} 引用了未知单位 "{name}"', '{field} names an unknown unit "{name}"'),
    "diag.X303": ('{field} 引用了未知领导 "{name}"', '{field} names an unknown leader "{name}"'),
    "diag.X304": (
        'pillar 引用了未知的工作体系节点 "{name}"',
        'pillar names an unknown pillar "{name}"',
    ),
    "diag.X305": ('depends 引用了未知任务 "{name}"', 'depends names an unknown task "{name}"'),
    "diag.X306": ("任务依赖形成循环：{cycle}", "tasks depend on each other in a cycle: {cycle}"),
    "diag.X307": (
        "计划开工日期 {start} 晚于完成时限 {due}",
        "planned start {start} is after the due date {due}",
    ),
    "diag.X308": (
        '节点 "{name}" 的时限 {mdue} 不在任务期限内（{start} 至 {due}）',
        'milestone "{name}" due {mdue} is outside the task window ({start} to {due})',
    ),
    "diag.X309": (
        "节点权重要么都写、要么都不写（{missing} 个节点缺少 weight）",
        "give every milestone a weight or none ({missing} milestone(s) lack a weight)",
    ),
    "diag.X310": (
        "节点权重合计 {total}，超过 100",
        "milestone weights add up to {total}, more than 100",
    ),
    "diag.X311": (
        "挂牌督办的任务须写明督办领导（listed.by）",
        "a listed (挂牌) task must name its supervising leader (listed.by)",
    ),
    "diag.X312": (
        '节点名称 "{name}" 在本任务中重复',
        'milestone name "{name}" is used twice in this task',
    ),
    "diag.X313": (
        '牵头单位 "{name}" 同时出现在配合单位中',
        'the lead unit "{name}" is also listed as a support unit',
    ),
    "diag.X314": (
        'org.office 应为 units 中的单位编号，"{name}" 不存在',
        'org.office must be a unit id from units; "{name}" is not one',
    ),
    "diag.X315": (
        "{year} 年没有节假日数据，无法按工作日计算",
        "no holiday data for {year}: working days cannot be counted",
    ),
    "diag.X316": (
        "{day} 同时出现在 calendar.rest 和 calendar.work 中",
        "{day} is listed in both calendar.rest and calendar.work",
    ),
    "diag.X319": (
        "文件名 {name} 与其中的 year: {year} 不一致",
        "the file name {name} does not match its year: {year}",
    ),
    "diag.X320": (
        "{year} 年的放假安排写了两次（calendar/ 下的文件或 calendar.years）",
        "the {year} holidays are described twice (calendar/ files or calendar.years)",
    ),
    "diag.X317": (
        "没有找到 gaoxin.yaml：单位、领导和工作体系的引用未检查",
        "no gaoxin.yaml found: unit, leader and pillar references were not checked",
    ),
    "diag.X318": ("没有找到任何计划文件（plans/*.yaml）", "no plan files found (plans/*.yaml)"),
    "diag.X331": (
        "机器人 {name} 的 webhook 是 http:// 地址（明文）：改用 https://，或写 allow_http: true",
        "robot {name}: the webhook is plain http://: use https://, or set allow_http: true",
    ),
    # --- warnings (W) -------------------------------------------------------------
    "diag.W401": (
        "完成时限 {due} 是休息日（{weekday}），下一个工作日是 {next}",
        "due date {due} is a rest day ({weekday}); the next working day is {next}",
    ),
    "diag.W402": (
        "{year} 年还没有节假日数据：涉及该年的工作日按估算计（周一至周五，扣元旦、劳动节、国庆节）",
        "no holiday data for {year} yet: working days in that year are estimated "
        "(Monday–Friday less New Year, Labour Day and National Day)",
    ),
    "diag.W403": (
        "{field} {day} 与计划年份（{first}–{last}）相差一年以上，是否输错了年份？",
        "{field} {day} is more than a year away from the plan's years ({first}–{last}): "
        "a mistyped year?",
    ),
    "diag.W404": (
        "calendar.assume_weekends 已不再需要：没有数据的年份默认就按估算计并在结果中注明",
        "calendar.assume_weekends is deprecated: a year without data is estimated, and "
        "marked, by default",
    ),
    "diag.W405": (
        "列表项里有中文逗号“，”或顿号“、”：YAML 把它读成 1 项，而不是 {parts} 项",
        'a list item holds a Chinese comma ("，" or "、"): YAML reads it as 1 item, not {parts}',
    ),
    "diag.W406": (
        "mail.allow_plaintext_auth：security 为 none，登录密码将以明文经过网络",
        "mail.allow_plaintext_auth: with security none the login password crosses the "
        "network in clear",
    ),
    "diag.W407": (
        "mail.username 配合 security: none 会以明文发送密码，gaoxin notify 将拒绝登录",
        "mail.username with security: none would send the password in clear: gaoxin "
        "notify refuses to log in",
    ),
    # --- hints ------------------------------------------------------------------------
    "hint.fullwidth_colon": (
        "改成半角冒号加一个空格：“{key}: ”",
        'write an ASCII colon and a space: "{key}: "',
    ),
    "hint.tab_indent": (
        "把行首的 Tab 换成空格（上一行缩进 {want} 个空格）",
        "replace the tab with spaces (the line above is indented {want})",
    ),
    "hint.indent": (
        "改为缩进 {want} 个空格，与第 {sibling} 行对齐",
        "indent it {want} spaces, in line with line {sibling}",
    ),
    "hint.list_comma": (
        "要分成几项，请用半角逗号加空格分隔，如 [完成征地, 主体施工]；本来就是一项，请加引号",
        "to list them separately use ASCII commas: [完成征地, 主体施工]; if it is one item, "
        "quote it",
    ),
    "hint.did_you_mean": ('是否指 "{name}"？', 'did you mean "{name}"?'),
    "hint.allowed_fields": ("可用字段：{names}", "allowed fields: {names}"),
    "hint.password_env": (
        "密码不写进 gaoxin.yaml：请设置 mail.password_env 指定的环境变量（默认 GAOXIN_SMTP_PASSWORD）",
        "passwords never go into gaoxin.yaml: set the environment variable named by "
        "mail.password_env (default GAOXIN_SMTP_PASSWORD)",
    ),
    "hint.quote": ("如果要表示文本，请加引号", "quote it if you mean text"),
    "hint.calendar_year": (
        "国务院办公厅的放假通知公布后，把通知原文交给 gaoxin calendar add --notice 文件 --write；"
        "在此之前，gaoxin.yaml 中 calendar.unknown_years: estimate（默认）按周一至周五估算并在结果中注明",
        "once the State Council holiday notice is published, pass its text to "
        "gaoxin calendar add --notice FILE --write; until then calendar.unknown_years: estimate "
        "(the default) counts Monday–Friday and marks every result that used it",
    ),
    "hint.year_typo": (
        "计划年份取自多数任务的完成时限；确需跨年的日期可忽略此警告",
        "the plan's years are those of most tasks' due dates; ignore this for a date that "
        "really is that far away",
    ),
    "hint.plaintext_auth": (
        "改用 security: starttls 或 ssl；确需明文（仅限本机或内网中继）时写 allow_plaintext_auth: true",
        "use security: starttls or ssl; where clear text is really meant (a relay on this "
        "machine or the local network) write allow_plaintext_auth: true",
    ),
    "hint.assume_weekends": (
        "删除这一行；要在缺数据时报错，改写 calendar.unknown_years: error",
        "remove the line; for a hard stop on a missing year write calendar.unknown_years: error",
    ),
    "hint.due_rest_day": (
        "如无特殊安排，可改为 {next}",
        "consider {next} unless the rest day is intended",
    ),
    # --- where a schema error is: tasks by id, fields by their Chinese names --------
    "where.root": ("文件顶层", "the top level"),
    "where.task": ("任务 {id}", "task {id}"),
    "where.task_n": ("第 {n} 项任务", "task #{n}"),
    "where.item": ("第 {n} 项", "#{n}"),
    "field.id": ("编号", "id"),
    "field.title": ("名称", "title"),
    "field.pillar": ("工作体系", "pillar"),
    "field.lead": ("牵头单位", "lead unit"),
    "field.support": ("配合单位", "supporting units"),
    "field.leader": ("责任领导", "responsible leader"),
    "field.measures": ("措施", "measures"),
    "field.start": ("计划开工", "planned start"),
    "field.due": ("完成时限", "due date"),
    "field.milestones": ("节点", "milestones"),
    "field.listed": ("挂牌督办", "listed supervision"),
    "field.source": ("任务来源", "source"),
    "field.urgency": ("紧急程度", "urgency"),
    "field.depends": ("前置任务", "depends on"),
    "field.cadence": ("报送频次", "reporting cadence"),
    "field.note": ("备注", "note"),
    "field.name": ("名称", "name"),
    "field.weight": ("权重", "weight"),
    "field.since": ("挂牌日期", "listed since"),
    "field.by": ("督办领导", "supervising leader"),
    "field.kind": ("类别", "kind"),
    "field.ref": ("文号", "reference"),
    "field.date": ("日期", "date"),
    "field.tasks": ("任务", "tasks"),
    "field.org": ("单位信息", "organisation"),
    "field.units": ("单位", "units"),
    "field.leaders": ("领导", "leaders"),
    "field.pillars": ("工作体系", "pillars"),
    "field.rules": ("规则", "rules"),
    "field.calendar": ("日历", "calendar"),
    "field.mail": ("邮件", "mail"),
    "field.robots": ("群机器人", "group robots"),
    "field.webhook": ("机器人地址", "robot webhook"),
    # --- type and pattern names ------------------------------------------------------
    "type.text": ("文本", "text"),
    "type.int": ("整数", "an integer"),
    "type.number": ("数字", "a number"),
    "type.bool": ("布尔值 true 或 false", "true or false"),
    "type.list": ("列表", "a list"),
    "type.mapping": ("映射（键: 值）", "a mapping (key: value)"),
    "type.date": ("日期 YYYY-MM-DD", "a date YYYY-MM-DD"),
    "type.null": ("空值", "null"),
    "type.scalar": ("单个值", "a single value"),
    "pattern.id": (
        "编号须以字母开头，只含字母、数字、- 和 _，最长 64 个字符",
        "ids start with a letter and hold only letters, digits, - and _ (64 at most)",
    ),
    "pattern.pillar_path": (
        "应为用点分隔的工作体系节点编号，如 battles.infrastructure",
        "a dotted path of pillar ids, such as battles.infrastructure",
    ),
    "pattern.text": (
        "文本不能包含控制字符或双向文本控制符",
        "text must not contain control characters or bidi controls",
    ),
    "pattern.email": (
        "应为邮箱地址，如 name@example.org",
        "a mail address such as name@example.org",
    ),
    "pattern.env": ("应为环境变量名，如 GAOXIN_SMTP_PASSWORD", "an environment variable name"),
    "pattern.date_range": (
        "日期或日期范围应写作 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD（首日不晚于末日，跨度不超过一年）",
        "a date or range is written YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD (first day not after the last, at most a year)",
    ),
    "pattern.format": ("格式不符合要求", "does not match the required format"),
    "weekday.0": ("周一", "Monday"),
    "weekday.1": ("周二", "Tuesday"),
    "weekday.2": ("周三", "Wednesday"),
    "weekday.3": ("周四", "Thursday"),
    "weekday.4": ("周五", "Friday"),
    "weekday.5": ("周六", "Saturday"),
    "weekday.6": ("周日", "Sunday"),
    "actual.list": ("列表", "a list"),
    "actual.scalar": ("单个值", "a single value"),
    # --- errors (exit 1 / 2 / 3) -------------------------------------------------
    "error.prefix": ("错误", "Error"),
    "error.hint_prefix": ("提示", "Hint"),
    "error.calendar_year_missing": (
        "{year} 年没有节假日数据（chinesecalendar 收录 {lo}–{hi} 年），无法按工作日计算",
        "no holiday data for {year} (chinesecalendar covers {lo}–{hi}): working days "
        "cannot be counted",
    ),
    "error.no_workspace": (
        "在 {start} 及其上级目录中没有找到 gaoxin.yaml",
        "no gaoxin.yaml in {start} or any parent directory",
    ),
    "error.no_workspace_hint": (
        "用 gaoxin init 新建工作区，或用 -C 目录 / GAOXIN_WORKSPACE 指定",
        "run gaoxin init to start one, or point at it with -C DIR / GAOXIN_WORKSPACE",
    ),
    "error.workspace_not_dir": ("{path} 不是目录", "{path} is not a directory"),
    "error.plan_invalid": (
        "计划有 {errors} 个错误（第一个在 {first}），请先修正",
        "the plan has {errors} error(s) (the first at {first}); fix them first",
    ),
    "error.plan_invalid_hint": (
        "运行 gaoxin validate 查看全部问题",
        "run gaoxin validate to see them all",
    ),
    # the one --period grammar (ranking/period.py)
    "error.bad_period": (
        '"{value}" 不是有效的期间：年写 2020，季度写 2020Q2，月写 2020-05，日写 2020-06-01，'
        "区间写 2020-06-01..2020-06-30",
        '"{value}" is not a period: write 2020 (year), 2020Q2 (quarter), 2020-05 (month), '
        "2020-06-01 (day) or FROM..TO (2020-06-01..2020-06-30)",
    ),
    "error.bad_date": (
        '"{value}" 不是有效日期，请写成 YYYY-MM-DD',
        '"{value}" is not a valid date; write YYYY-MM-DD',
    ),
    "error.bad_progress": (
        '"{value}" 不是进度，请写 0–100 的数，可带 %，如 45 或 45%',
        '"{value}" is not a progress; write a number 0–100, % optional: 45 or 45%',
    ),
    "error.bad_lang": (
        '不支持的语言 "{value}"，可选 zh 或 en',
        'unknown language "{value}"; use zh or en',
    ),
    "error.path_missing": ("路径不存在：{path}", "no such file or directory: {path}"),
    "error.init_exists": (
        "{path} 已存在，不会覆盖；请换一个目录或先移走已有文件",
        "{path} already exists and will not be overwritten; choose another directory",
    ),
    "error.write_failed": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "error.unexpected": (
        "发生意外错误（{kind}），这是 gaoxin 的缺陷。详细信息已写入 {log}",
        "unexpected error ({kind}); this is a bug in gaoxin. Details are in {log}",
    ),
    "error.interrupted": ("已中断", "interrupted"),
    # --- status store (exit 1; the file is never modified when one of these is raised) --
    "error.store_locked": (
        "状态库 {path} 正被另一个进程写入，等待 {seconds} 秒后仍未释放；请稍后重试（可能有定时任务正在运行）",
        "the status database {path} is locked by another process (still busy after {seconds} s); try again in a moment (a scheduled run may be writing)",
    ),
    "error.store_read_only": (
        "状态库 {path} 不可写（{reason}）；请检查该文件及其所在目录的写权限",
        "cannot write the status database {path} ({reason}); check write permission on the file and its directory",
    ),
    "error.store_needs_upgrade": (
        "状态库 {path} 需要升级到本版本 gaoxin 的结构，但当前用户不可写，只读命令不能升级它；请由有写权限的用户（如运行定时任务的账户）执行一次写入命令，如 gaoxin sweep（会自动升级），之后只读命令即可使用",
        "the status database {path} must be upgraded for this version of gaoxin, but this user cannot write it and read commands never upgrade it; have a user who can write it (such as the account the scheduled jobs run as) run one writing command, such as gaoxin sweep (it upgrades itself); read commands then work",
    ),
    "error.store_log_pending": (
        "状态库 {path} 的最新记录还在 -wal 日志中（另一个进程正在写入，或上次写入中断），而当前用户不能在目录 {dir} 中建立 -shm 索引文件，读不到这些记录；请稍后重试，或由有写权限的用户运行一次 gaoxin 命令",
        "the latest records of the status database {path} are still in its -wal log (another process is writing, or a write was interrupted), and this user cannot create the -shm index file in {dir} to read them; try again in a moment, or have a user who can write it run any gaoxin command",
    ),
    "error.store_changed": (
        "状态库 {path} 在读取过程中被另一个进程改写（当前用户不能在其目录中建立 -shm 索引文件，只能直接读取文件）；结果未输出，请重新运行命令",
        "the status database {path} was changed by another process while it was being read (this user cannot create the -shm index file in its directory, so gaoxin reads the file directly); nothing was shown, run the command again",
    ),
    "error.store_corrupt": (
        "{path} 不是有效的 gaoxin 状态库，或文件已损坏（{reason}）；文件未做任何改动。请从备份恢复，或用 --db / GAOXIN_DB 指定其他文件",
        "{path} is not a valid status database or is damaged ({reason}); it was left untouched. Restore it from a backup, or point --db / GAOXIN_DB elsewhere",
    ),
    "error.store_newer": (
        "状态库 {path} 由更新版本的 gaoxin 写入（本版本不认识的结构变更：{names}）；文件未做任何改动，请升级 gaoxin",
        "the status database {path} was written by a newer gaoxin (schema changes this version does not know: {names}); it was left untouched. Upgrade gaoxin",
    ),
    "error.store_foreign": (
        "{path} 是 SQLite 数据库，但不是 gaoxin 状态库（其中有表 {tables}）；文件未做任何改动，请用 --db / GAOXIN_DB 指定正确的文件",
        "{path} is an SQLite database but not a gaoxin status database (it has tables {tables}); it was left untouched. Point --db / GAOXIN_DB at the right file",
    ),
    "error.store_not_file": (
        "状态库路径 {path} 不是普通文件；请用 --db / GAOXIN_DB 指定一个文件",
        "the status database path {path} is not a regular file; point --db / GAOXIN_DB at a file",
    ),
    "error.store_cannot_create": (
        "无法创建状态库 {path}：{reason}",
        "cannot create the status database {path}: {reason}",
    ),
    "error.store_io": (
        "读写状态库 {path} 时出错：{reason}；请检查磁盘空间和文件权限",
        "input/output error on the status database {path}: {reason}; check disk space and permissions",
    ),
    # --- validate -----------------------------------------------------------------
    "validate.summary_clean": (
        "检查通过：{files} 个文件，{tasks} 项任务，没有发现问题",
        "all clean: {files} file(s), {tasks} task(s), no problems",
    ),
    "validate.summary": (
        "{files} 个文件，{tasks} 项任务：{errors} 个错误，{warnings} 个警告",
        "{files} file(s), {tasks} task(s): {errors} error(s), {warnings} warning(s)",
    ),
    "validate.severity.error": ("错误", "error"),
    "validate.severity.warning": ("警告", "warning"),
    # --- init -----------------------------------------------------------------------
    "init.done": (
        "已在 {path} 新建工作区。下一步：编辑 gaoxin.yaml 和 plans/，然后运行 gaoxin validate",
        "new workspace in {path}. Next: edit gaoxin.yaml and plans/, then run gaoxin validate",
    ),
    "init.wrote": ("  已写入 {path}", "  wrote {path}"),
    # --- schema ---------------------------------------------------------------------
    "schema.wrote": ("已写入 {path}", "wrote {path}"),
}
