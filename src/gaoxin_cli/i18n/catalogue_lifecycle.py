"""Messages of the task lifecycle and 问题提报: submit, review, close, cancel, problem …."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- task lifecycle: states and steps -------------------------------------------------
    "lstate.registered": ("已立项", "registered"),
    "lstate.assigned": ("已交办", "assigned"),
    "lstate.in_progress": ("办理中", "in progress"),
    "lstate.extension_pending": ("延期待批", "extension pending"),
    "lstate.under_review": ("审核中", "under review"),
    "lstate.done": ("已办结", "done"),
    "lstate.closed": ("已销号", "closed"),
    "lstate.cancelled": ("已撤销", "cancelled"),
    "laction.assign": ("下发交办单（gaoxin notify）", "issue the 交办单 (gaoxin notify)"),
    "laction.report": ("首次反馈（gaoxin feedback）", "report progress (gaoxin feedback)"),
    "laction.request_extension": (
        "申请延期（gaoxin extend）",
        "request an extension (gaoxin extend)",
    ),
    "laction.approve_extension": (
        "批准延期（gaoxin extend）",
        "approve the extension (gaoxin extend)",
    ),
    "laction.reject_extension": (
        "不批准延期（gaoxin extend）",
        "reject the extension (gaoxin extend)",
    ),
    "laction.submit": ("提交办理结果（gaoxin submit）", "submit the result (gaoxin submit)"),
    "laction.accept": (
        "审核通过、办结（gaoxin review --accept）",
        "accept it as done (gaoxin review --accept)",
    ),
    "laction.return": (
        "退回重办（gaoxin review --return）",
        "return it for more work (gaoxin review --return)",
    ),
    "laction.close": ("销号（gaoxin close）", "close it (gaoxin close)"),
    "laction.cancel": ("撤销（gaoxin cancel）", "cancel it (gaoxin cancel)"),
    "lverb.submit": ("提交", "submit"),
    "lverb.accept": ("审核通过", "accept"),
    "lverb.return": ("退回", "return"),
    "lverb.close": ("销号", "close"),
    "lverb.cancel": ("撤销", "cancel"),
    "hint.lifecycle_allowed": ("当前可以：{steps}", "allowed next: {steps}"),
    "hint.lifecycle_final": (
        "“{state}”是最终状态，不能再有后续步骤",
        "{state} is final: no step follows it",
    ),
    "hint.lifecycle_leaders": ("gaoxin.yaml 中的领导：{names}", "leaders in gaoxin.yaml: {names}"),
    # --- task lifecycle: errors -----------------------------------------------------------
    "error.lifecycle_illegal": (
        "任务 {task} 当前为“{state}”，不能{action}",
        "task {task} is {state}: cannot {action}",
    ),
    "error.lifecycle_needs_by": (
        "{action}需要 --by 指明审核或决定的领导（gaoxin.yaml 中 leaders 下的编号）",
        "to {action}, give --by: the deciding leader (an id under leaders in gaoxin.yaml)",
    ),
    "error.lifecycle_not_leader": (
        '"{by}" 不是 gaoxin.yaml 中的领导，只有领导可以审核、退回或撤销',
        '"{by}" is not a leader in gaoxin.yaml; only leaders accept, return or cancel',
    ),
    "error.lifecycle_support_submits": (
        "{unit} 是 {task} 的配合单位：办理结果由牵头单位 {lead} 提交，配合单位用 gaoxin feedback 反馈",
        "{unit} supports {task}: the lead unit {lead} submits the result; support units "
        "report with gaoxin feedback",
    ),
    "error.lifecycle_needs_result": (
        "提交需要 --result 说明办理结果",
        "submit needs --result: what was achieved",
    ),
    "error.lifecycle_needs_reason": (
        "{action}需要 --reason 说明原因",
        "to {action}, give --reason",
    ),
    "error.lifecycle_before_last": (
        "{task} 在 {last} 已有流程记录，不能记在更早的 {today}",
        "{task} has a step recorded on {last}; cannot record one on the earlier day {today}",
    ),
    "error.review_one_of": (
        "请给出 --accept（审核通过）或 --return（退回）中的一个",
        "give exactly one of --accept or --return",
    ),
    # --- task lifecycle: output -----------------------------------------------------------
    "lifecycle.done.submit": (
        "已提交 {task} 的办理结果，等待领导审核（{old} → {new}）",
        "submitted the result of {task} for review ({old} → {new})",
    ),
    "lifecycle.done.accept": (
        "{task} 审核通过，已办结（{old} → {new}）",
        "{task} accepted: done ({old} → {new})",
    ),
    "lifecycle.done.return": (
        "{task} 已退回重办：{reason}（{old} → {new}）",
        "{task} returned for more work: {reason} ({old} → {new})",
    ),
    "lifecycle.done.close": ("{task} 已销号（{old} → {new}）", "{task} closed ({old} → {new})"),
    "lifecycle.done.cancel": (
        "{task} 已撤销：{reason}（{old} → {new}）",
        "{task} cancelled: {reason} ({old} → {new})",
    ),
    "event.lifecycle": ("流程", "lifecycle"),
    "event.problem": ("问题提报", "problem"),
    "lifecycle.history": ("{action}：{old} → {new}", "{action}: {old} → {new}"),
    "lifecycle.by": ("审核领导 {name}", "by {name}"),
    "lifecycle.step.submit": ("提交结果", "submitted"),
    "lifecycle.step.accept": ("审核通过", "accepted"),
    "lifecycle.step.return": ("退回", "returned"),
    "lifecycle.step.close": ("销号", "closed"),
    "lifecycle.step.cancel": ("撤销", "cancelled"),
    "lcol.state": ("状态", "state"),
    # --- problems: states and steps -------------------------------------------------------
    "pstate.reported": ("已提报", "reported"),
    "pstate.accepted": ("已受理", "accepted"),
    "pstate.assigned": ("已交办", "assigned"),
    "pstate.answered": ("已答复", "answered"),
    "pstate.closed": ("已销号", "closed"),
    "pstate.rejected": ("不予受理", "rejected"),
    "pstage.reported": ("受理", "acceptance"),
    "pstage.accepted": ("交办", "assignment"),
    "pstage.assigned": ("答复", "answer"),
    "pstage.answered": ("办结核实", "resolution"),
    "paction.report": ("提报", "report"),
    "paction.accept": ("受理（gaoxin problem accept）", "accept it (gaoxin problem accept)"),
    "paction.reject": ("不予受理（gaoxin problem reject）", "reject it (gaoxin problem reject)"),
    "paction.assign": (
        "交办（gaoxin problem assign --to 单位）",
        "assign it (gaoxin problem assign --to UNIT)",
    ),
    "paction.answer": ("答复（gaoxin problem answer）", "answer it (gaoxin problem answer)"),
    "paction.verify": (
        "核实销号（gaoxin problem verify --ok）",
        "verify and close it (gaoxin problem verify --ok)",
    ),
    "paction.reopen": (
        "重办（gaoxin problem verify --reopen）",
        "reopen it (gaoxin problem verify --reopen)",
    ),
    "pverb.reopen": ("重办", "reopen"),
    "pverb.reject": ("不予受理", "reject"),
    "pstep.report": ("提报", "reported"),
    "pstep.accept": ("受理", "accepted"),
    "pstep.reject": ("不予受理", "rejected"),
    "pstep.assign": ("交办", "assigned"),
    "pstep.answer": ("答复", "answered"),
    "pstep.verify": ("核实销号", "verified"),
    "pstep.reopen": ("重办", "reopened"),
    "hint.problem_final": (
        "“{state}”是最终状态，不能再有后续步骤",
        "{state} is final: no step follows it",
    ),
    "hint.problem_number": (
        "编号写作 问题〔2020〕3号、2020-3，或本年的 3；gaoxin problem list 列出全部",
        "write a number as 问题〔2020〕3号, 2020-3, or 3 for this year; gaoxin problem list shows them",
    ),
    "problem.card_late": (
        "{stage}逾期 {wd} 个工作日（时限 {due}）",
        "{stage} {wd} WD late (due {due})",
    ),
    "problem.card_passed": (
        "{stage}已过时限 {due}（此后尚无工作日）",
        "{stage} past due {due} (no WD since)",
    ),
    "problem.card_today": ("今天是{stage}时限", "{stage} due today"),
    # --- problems: errors -----------------------------------------------------------------
    "error.problem_illegal": (
        "{number} 当前为“{state}”，不能{action}",
        "{number} is {state}: cannot {action}",
    ),
    "error.unknown_problem": ('没有编号为 "{number}" 的问题', 'no problem numbered "{number}"'),
    "error.problem_empty": ("问题内容不能为空", "the problem text is empty"),
    "error.problem_too_long": (
        "问题内容有 {n} 个字，最多 {max} 个；详细材料请另附",
        "the problem text has {n} characters, at most {max}; attach details elsewhere",
    ),
    "error.problem_needs_satisfied": (
        "核实需要 --satisfied yes|no：回访时提报人是否满意（不满意的重办）",
        "verify needs --satisfied yes|no: was the reporter satisfied (if not, it is reopened)",
    ),
    "error.problem_needs_reason": (
        "{action}需要 --reason 说明原因",
        "to {action} a problem, give --reason",
    ),
    "error.problem_needs_answer": (
        "答复需要 --note 写明答复内容",
        "answer needs --note: the answer",
    ),
    "error.problem_needs_unit": (
        "交办需要 --to 指明承办单位",
        "assign needs --to: the unit to handle it",
    ),
    "error.problem_wrong_unit": (
        "{number} 交办给了 {assigned}，{unit} 不能答复",
        "{number} is assigned to {assigned}; {unit} cannot answer it",
    ),
    "error.problem_before_last": (
        "{number} 在 {last} 已有记录，不能记在更早的 {today}",
        "{number} has a step on {last}; cannot record one on the earlier day {today}",
    ),
    "error.verify_one_of": (
        "请给出 --ok（核实，配合 --satisfied）或 --reopen（重办，配合 --reason）中的一个",
        "give exactly one of --ok (with --satisfied) or --reopen (with --reason)",
    ),
    "error.bad_satisfied": (
        '"{value}" 不是满意度：请写 yes 或 no（满意 / 不满意）',
        '"{value}" is not a satisfaction answer: write yes or no',
    ),
    "error.bad_problem_state": (
        '"{value}" 不是问题状态：{names}',
        '"{value}" is not a problem state: {names}',
    ),
    # --- problems: output -----------------------------------------------------------------
    "problem.reported": (
        "已登记 {number}（{short}），请于 {due} 前受理",
        "registered {number} ({short}); accept it by {due}",
    ),
    "problem.stepped": ("{number}：{old} → {new}", "{number}: {old} → {new}"),
    "problem.next_due": ("{stage}时限 {due}", "{stage} due {due}"),
    "problem.list_title": (
        "问题提报（截至 {date}）：未办结 {open} 个，其中逾期 {late} 个",
        "Problems as of {date}: {open} open, {late} late",
    ),
    "problem.none": ("没有符合条件的问题", "no problem matches"),
    "problem.section": (
        "未办结问题 {open} 个（逾期 {late} 个）",
        "Open problems: {open} ({late} late)",
    ),
    "problem.more": (
        "…另有 {n} 个，gaoxin problem list 查看全部",
        "…{n} more; gaoxin problem list shows all",
    ),
    "problem.show_title": ("{number}：{state}", "{number}: {state}"),
    "problem.field.text": ("问题", "problem"),
    "problem.field.reporter": ("提报单位", "reported by"),
    "problem.field.reported_on": ("提报日期", "reported on"),
    "problem.field.task": ("相关任务", "task"),
    "problem.field.unit": ("承办单位", "assigned to"),
    "problem.field.due": ("当前时限", "stage due"),
    "problem.field.resolve_due": ("办结时限", "resolve by"),
    "problem.field.age": ("已历", "age"),
    "problem.field.card": ("预警", "card"),
    "problem.field.answer": ("答复", "answer"),
    "problem.field.reason": ("不予受理原因", "rejected because"),
    "problem.field.reopened": ("重办", "reopened"),
    "problem.reopened": ("{n} 次，最近一次：{reason}", "{n} time(s), last because: {reason}"),
    "problem.field.satisfied": ("满意度", "satisfied"),
    "problem.wd": ("{wd} 个工作日", "{wd} WD"),
    "problem.hard": ("（难度大，{wd} 个工作日）", " (hard: {wd} WD)"),
    "problem.satisfied.yes": ("满意", "yes"),
    "problem.satisfied.no": ("不满意", "no"),
    "problem.steps": ("办理过程", "Steps"),
    "pcol.number": ("编号", "number"),
    "pcol.reported": ("提报", "reported"),
    "pcol.age": ("已历", "age"),
    "pcol.due": ("时限", "due"),
    "pcol.late": ("逾期", "late"),
    "pcol.wd_note": ("已历、逾期按工作日计", "age and lateness in working days"),
    "pcol.whose": ("待办", "whose move"),
    "pcol.text": ("问题", "problem"),
    "pcol.step": ("步骤", "step"),
}
