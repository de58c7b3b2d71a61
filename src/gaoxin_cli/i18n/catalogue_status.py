"""Messages of the daily commands: cards, status, countdown, feedback, history, import, sweep."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- card levels and reasons -------------------------------------------------------
    "level.0": ("无", "none"),
    "level.1": ("蓝牌", "blue"),
    "level.2": ("黄牌", "yellow"),
    "level.3": ("红牌", "red"),
    "level.4": ("问责", "accountability"),
    "levelshort.1": ("蓝牌", "blue"),
    "levelshort.2": ("黄牌", "yellow"),
    "levelshort.3": ("红牌", "red"),
    "levelshort.4": ("问责", "L4"),
    "card.overdue": ("逾期 {wd} 个工作日", "{wd} WD overdue"),
    "card.due_passed": (
        "已过完成时限 {due}（此后尚无工作日）",
        "past due {due} (no WD since)",
    ),
    "card.due_today": ("今天到期", "due today"),
    "card.due_soon": ("还剩 {wd} 个工作日到期", "due in {wd} WD"),
    "card.lag": ("滞后序时进度 {pp} 个百分点", "{pp} pts behind plan"),
    "card.not_started": (
        "计划{m}月{d}日开工，尚未开工",
        "not started (plan: {m}/{d})",
    ),
    "card.not_started_long": (
        "计划{m}月{d}日开工，{months} 个月后仍未开工",
        "not started {months} mo. after {m}/{d}",
    ),
    "card.accountability": (
        "红牌督办回复期限 {deadline} 已过",
        "red notice unanswered past {deadline}",
    ),
    "card.missed_report": ("{m}月{d}日应报未报", "no report for {m}/{d}"),
    # --- status -----------------------------------------------------------------------
    "status.title": ("{org} 重点工作督查督办", "{org}: supervision of key work"),
    "status.asof": (
        "截至 {date}（{weekday}）· 本年还剩 {left} 个工作日",
        "as of {date} ({weekday}) · {left} working day(s) left this year",
    ),
    "status.counts": ("共 {total} 项：", "{total} task(s): "),
    "status.done": ("已完成", "done"),
    "status.missed": ("漏报", "missed"),
    "status.pillars": ("工作体系", "Pillars"),
    "status.units": ("牵头单位", "Lead units"),
    "status.attention": ("需要关注（按严重程度）", "Needs attention (most severe first)"),
    "status.more": ("…另有 {n} 项，用 --limit 0 显示全部", "…{n} more; --limit 0 shows all"),
    "status.nothing": ("没有符合条件的任务", "no task matches"),
    "status.all_clear": ("没有需要关注的任务", "nothing needs attention"),
    "col.card": ("牌", "card"),
    "col.task": ("任务", "task"),
    "col.title": ("名称", "title"),
    "col.lead": ("牵头", "lead"),
    "col.unit": ("单位", "unit"),
    "col.leader": ("责任领导", "leader"),
    "col.progress": ("进度", "progress"),
    "col.planned": ("序时", "plan"),
    "col.why": ("原因", "why"),
    "col.tasks": ("任务", "tasks"),
    "col.done": ("完成", "done"),
    "col.pillar": ("工作体系", "pillar"),
    "col.missed": ("漏报", "missed"),
    "col.target": ("日期", "date"),
    "col.wd": ("工作日", "work days"),
    "col.days": ("自然日", "days"),
    "col.milestone": ("节点", "milestone"),
    "col.date": ("日期", "date"),
    "col.event": ("事项", "event"),
    "col.by": ("填报单位", "by"),
    "col.note": ("说明", "note"),
    "col.listed_since": ("挂牌日期", "listed since"),
    # --- --xlsx FILE (render/xlsx_views.py) ---------------------------------------------
    "xlsx.written": ("已写入 {path}", "written to {path}"),
    "xlsx.sheet.status": ("任务", "Tasks"),
    "xlsx.sheet.overdue": ("逾期预警", "Overdue"),
    "xlsx.sheet.countdown": ("倒计时", "Countdown"),
    "xlsx.sheet.ranking": ("排名", "Ranking"),
    "xlsx.sheet.scoring": ("评分明细", "Scoring"),
    "xlsx.sheet.problems": ("问题提报", "Problems"),
    "error.xlsx_suffix": (
        "--xlsx 只写 .xlsx 文件（收到 {path}）",
        "--xlsx writes .xlsx files only (got {path})",
    ),
    "error.xlsx_with": (
        "--xlsx 不能与 {option} 同时使用",
        "--xlsx cannot be combined with {option}",
    ),
    # --- countdown --------------------------------------------------------------------
    "countdown.title_start": ("开工倒计时（截至 {date}）", "Start countdown (as of {date})"),
    "countdown.title_due": ("完成时限倒计时（截至 {date}）", "Deadline countdown (as of {date})"),
    "countdown.title_milestones": (
        "未来 {n} 个工作日内到期的节点（截至 {date}）",
        "Milestones due in the next {n} working day(s) (as of {date})",
    ),
    "countdown.in": ("还有 {wd} 个工作日", "in {wd} WD"),
    "countdown.today": ("今天", "today"),
    "countdown.missed": ("已过 {wd} 个工作日", "missed by {wd} WD"),
    "countdown.none": ("没有待开工的项目", "no project waiting to start"),
    "countdown.none_due": ("没有未完成的任务", "no open task"),
    "countdown.none_milestones": ("这段时间没有到期的节点", "no milestone falls due in that time"),
    # --- feedback ---------------------------------------------------------------------
    "feedback.recorded": (
        "已记录 {task} 的反馈：{what}",
        "recorded for {task}: {what}",
    ),
    "feedback.what_progress": ("进度 {progress}%", "progress {progress}%"),
    "feedback.what_note": ("说明", "note"),
    "feedback.what_milestone": ("节点“{name}”完成", 'milestone "{name}" done'),
    "feedback.what_started": ("已开工（{date}）", "started ({date})"),
    "feedback.what_correction": ("更正进度为 {progress}%", "progress corrected to {progress}%"),
    "error.unknown_task": ('没有编号为 "{task}" 的任务', 'no task with id "{task}"'),
    "error.unknown_unit": (
        '没有编号、简称或全称为 "{unit}" 的单位',
        'no unit with id, short name or name "{unit}"',
    ),
    "error.unknown_leader": (
        '没有编号或姓名为 "{leader}" 的领导',
        'no leader with id or name "{leader}"',
    ),
    "error.ambiguous_unit": (
        '"{name}" 可指多个单位（{ids}），请用编号',
        '"{name}" names more than one unit ({ids}): give the id',
    ),
    "error.ambiguous_leader": (
        '"{name}" 可指多位领导（{ids}），请用编号',
        '"{name}" names more than one leader ({ids}): give the id',
    ),
    "error.unknown_pillar": ('没有名为 "{pillar}" 的工作体系节点', 'no pillar "{pillar}"'),
    "error.bad_card": (
        '不认识的牌色 "{value}"：可用 red、yellow、blue、accountability、none（或 红、黄、蓝、问责、无）',
        'unknown card "{value}": use red, yellow, blue, accountability or none',
    ),
    "error.unknown_milestone": (
        "任务 {task} 没有名为“{name}”的节点（可选：{names}）",
        'task {task} has no milestone "{name}" (choose from: {names})',
    ),
    "error.no_milestones": ("任务 {task} 没有设置节点", "task {task} has no milestones"),
    "error.feedback_empty": (
        "没有要记录的内容：请给出 --progress、--note、--milestone 或 --started",
        "nothing to record: give --progress, --note, --milestone or --started",
    ),
    "error.progress_range": (
        "进度应在 0 到 100 之间（收到 {value}）",
        "progress must be 0–100 (got {value})",
    ),
    "error.future_date": (
        "日期 {at} 晚于今天（{today}），不能提前填报",
        "{at} is after today ({today}); feedback cannot be dated in the future",
    ),
    "error.before_task": (
        "日期 {at} 早于任务 {task} 的开始（{opened}）",
        "{at} is before task {task} began ({opened})",
    ),
    "error.progress_backwards": (
        "进度从 {old}%（{old_at}）降到 {new}%：如确需更正，请加 --correct --reason 说明原因",
        "progress would go back from {old}% ({old_at}) to {new}%: to correct it, add "
        "--correct --reason",
    ),
    "error.feedback_task_over": (
        "任务 {task} {state}，不再接受反馈",
        "task {task} is {state}; it takes no more reports",
    ),
    "error.correct_needs_reason": ("--correct 需要同时给出 --reason", "--correct needs --reason"),
    "error.milestone_done": (
        "节点“{name}”已于 {date} 标记完成",
        'milestone "{name}" was already marked done on {date}',
    ),
    "error.already_started": (
        "任务 {task} 已于 {date} 开工{basis}，本次未记录任何内容{lost}",
        "task {task} already started on {date}{basis}; nothing was recorded{lost}",
    ),
    "feedback.start_inferred": (
        "（未登记开工，据当日进度 {progress}% 的反馈推定）",
        " (no start was recorded; inferred from that day's report of {progress}%)",
    ),
    "feedback.start_refused_rest": (
        "（包括 {what}）；去掉 --started 重新提交即可",
        ", not even the {what}; run it again without --started to keep it",
    ),
    "error.unit_not_on_task": (
        '单位 "{unit}" 不是任务 {task} 的牵头或配合单位',
        'unit "{unit}" is neither the lead nor a support unit of {task}',
    ),
    "error.text_control": (
        "{field} 含有控制字符，请删除后重试",
        "{field} contains control characters; remove them and try again",
    ),
    # --- history ----------------------------------------------------------------------
    "history.title": ("{task} {title}：全部记录", "{task} {title}: the whole timeline"),
    "history.plan": (
        "计划：{start} 开工 · {due} 完成 · 牵头 {lead}",
        "plan: start {start} · due {due} · lead {lead}",
    ),
    "history.none": ("还没有任何记录", "nothing recorded yet"),
    "event.feedback": ("反馈", "feedback"),
    "event.correction": ("更正", "correction"),
    "event.milestone": ("节点完成", "milestone"),
    "event.start": ("开工", "started"),
    "event.start_inferred": ("开工（推定）", "started (inferred)"),
    "history.start_inferred": (
        "未登记开工，据当日进度 {progress}% 的反馈推定",
        "no start was recorded; inferred from this day's report of {progress}%",
    ),
    "event.card": ("亮牌", "card"),
    "history.card_change": ("{level}：{reasons}", "{level}: {reasons}"),
    "history.card_clear": ("撤牌（原因已消除）", "card cleared (cause gone)"),
    # --- import -----------------------------------------------------------------------
    "import.done": (
        "{file}：读取 {rows} 行，新增 {added} 条记录，{skipped} 条已存在",
        "{file}: {rows} row(s) read, {added} event(s) added, {skipped} already present",
    ),
    "import.dry_run": (
        "{file}：读取 {rows} 行，将新增 {added} 条记录，{skipped} 条已存在（试运行，未写入）",
        "{file}: {rows} row(s) read, {added} event(s) would be added, {skipped} already present"
        " (dry run, nothing written)",
    ),
    "error.import_bad_rows": (
        "{file} 有 {count} 行有问题，整个文件都没有导入：\n{rows}",
        "{file} has {count} bad row(s); nothing from it was imported:\n{rows}",
    ),
    "error.import_format": (
        "无法识别 {file} 的格式：请用 .csv、.jsonl 或 .xlsx 文件",
        "cannot tell the format of {file}: use a .csv, .jsonl or .xlsx file",
    ),
    "error.import_header": (
        "{file} 缺少必需的列：{missing}（第 1 行应为列名，如 date,task,progress,note）",
        "{file} lacks required column(s): {missing} (line 1 names the columns, e.g. "
        "date,task,progress,note)",
    ),
    "import.row": ("  第 {line} 行：{problem}", "  line {line}: {problem}"),
    "import.more": ("  …另有 {n} 行", "  …and {n} more"),
    "import.bad_json": ("不是有效的 JSON 对象", "not a valid JSON object"),
    "import.missing": ("缺少 {field}", "missing {field}"),
    "import.bad_number": ("{field} 不是数字：{value}", "{field} is not a number: {value}"),
    "import.bad_bool": ("{field} 应为 true/false 或 是/否", "{field} must be true/false"),
    "import.bad_kind": (
        "kind 应为 feedback、correction、milestone 或 start",
        "kind must be feedback, correction, milestone or start",
    ),
    "import.backwards": (
        "进度从 {old}%（{old_at}）降到 {new}%，更正请写 kind=correction 并填 reason",
        "progress goes back from {old}% ({old_at}) to {new}%; mark corrections kind=correction with a reason",
    ),
    "import.unreadable": ("无法读取 {file}：{reason}", "cannot read {file}: {reason}"),
    # --- sweep --------------------------------------------------------------------------
    "sweep.done": (
        "{date}：检查 {tasks} 项任务，{changed} 项牌色变化已记录",
        "{date}: {tasks} task(s) checked, {changed} card change(s) recorded",
    ),
}
