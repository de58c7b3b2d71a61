"""Messages of the month: ranking, flag, bulletin."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- periods ------------------------------------------------------------------------
    "period.month": ("{year}年{month}月", "{year}-{month:02d}"),
    "period.quarter": ("{year}年第{number}季度", "{year} Q{number}"),
    "period.year": ("{year}年度", "{year}"),
    # --- ranking ------------------------------------------------------------------------
    "rank.title": ("{org} 流动红旗评比 · {period}", "{org}: 流动红旗 ranking · {period}"),
    "rank.span": ("{start} 至 {end}", "{start} to {end}"),
    "rank.running": (
        "本期尚未结束，计分截至 {day}",
        "the period is still running; counted to {day}",
    ),
    "rank.frozen": (
        "已于 {day} 评定，以下为冻结结果（--live 按当前计划和规则重算）",
        "awarded on {day}: the frozen result (--live recomputes with today's plan and rules)",
    ),
    "rank.frozen_forced": (
        "已于 {day} 重新评定（原因：{reason}），以下为冻结结果（--live 按当前计划和规则重算）",
        "awarded again on {day} (reason: {reason}): the frozen result (--live recomputes)",
    ),
    "rank.live": (
        "实时计算，尚未评定（gaoxin flag award 评定后冻结）",
        "live result, not awarded yet (gaoxin flag award freezes it)",
    ),
    "rank.rule_month": (
        "月度得分 = {base} − 扣分 + 加分；流动红旗：前 {top} 名且不低于 {threshold} 分；"
        "末位：后 {bottom} 名（完成本期目标的豁免）",
        "Monthly score = {base} − deductions + bonuses; flag: top {top} with at least "
        "{threshold}; bottom: last {bottom} (exempt if the period target was met)",
    ),
    "rank.rule_quarter": (
        "季度得分 = 各月得分的平均（有领导督查评分时：各月合计 90% + 督查评分 10%）；"
        "流动红旗：前 {top} 名且不低于 {threshold} 分；末位：后 {bottom} 名（完成本期目标的豁免）",
        "Quarterly score = mean of the months (with a leader's inspection score: months 90% + "
        "inspection 10%); flag: top {top} with at least {threshold}; bottom: last {bottom} "
        "(exempt if the target was met)",
    ),
    "rank.rule_year": (
        "年度得分 = 各季度得分的平均；流动红旗：前 {top} 名且不低于 {threshold} 分；"
        "末位：后 {bottom} 名（完成本期目标的豁免）",
        "Yearly score = mean of the quarters; flag: top {top} with at least {threshold}; "
        "bottom: last {bottom} (exempt if the target was met)",
    ),
    "rank.compare": ("“变化”与 {period} 相比", "change compared with {period}"),
    "rank.compare_frozen": (
        "“变化”与 {period} 的评定结果相比",
        "change compared with the award of {period}",
    ),
    "rank.col.rank": ("名次", "rank"),
    "rank.col.change": ("变化", "change"),
    "rank.col.unit": ("单位", "unit"),
    "rank.col.score": ("得分", "score"),
    "rank.col.red": ("红牌", "red"),
    "rank.col.yellow": ("黄牌", "yellow"),
    "rank.col.overdue": ("逾期", "overdue"),
    "rank.col.rate": ("完成率", "done"),
    "rank.col.note": ("备注", "note"),
    "rank.col.cards": ("双亮牌", "cards"),
    # ranking --csv --excel: the column names (English: the plain CSV's)
    "csv.col.rank": ("名次", "rank"),
    "csv.col.unit": ("单位代码", "unit"),
    "csv.col.name": ("单位", "name"),
    "csv.col.score": ("得分", "score"),
    "csv.col.previous_rank": ("上期名次", "previous_rank"),
    "csv.col.change": ("名次变化", "change"),
    "csv.col.red_cards": ("红牌", "red_cards"),
    "csv.col.yellow_cards": ("黄牌", "yellow_cards"),
    "csv.col.overdue_tasks": ("逾期任务", "overdue_tasks"),
    "csv.col.overdue_workdays": ("逾期工作日", "overdue_workdays"),
    "csv.col.returned_feedback": ("反馈被退回", "returned_feedback"),
    "csv.col.missed_reports": ("应报未报", "missed_reports"),
    "csv.col.early_finishes": ("提前完成", "early_finishes"),
    "csv.col.completion_rate": ("完成率", "completion_rate"),
    "csv.col.target_met": ("完成目标", "target_met"),
    "csv.col.flag": ("流动红旗", "flag"),
    "csv.col.bottom": ("末位", "bottom"),
    "csv.col.exempt": ("豁免末位", "exempt"),
    "csv.col.tie_break": ("并列依据", "tie_break"),
    "rank.flag": ("流动红旗", "flag"),
    "rank.bottom": ("末位", "bottom"),
    "rank.exempt": ("豁免末位", "exempt"),
    "rank.new": ("新", "new"),
    "rank.holder": ("流动红旗：{units}", "流动红旗 (red flag): {units}"),
    "rank.vacant": (
        "流动红旗：本期空缺（最高 {score} 分，未达 {threshold} 分）",
        "流动红旗: vacant this period (best score {score}, below {threshold})",
    ),
    "rank.vacant_empty": (
        "流动红旗：本期空缺（没有参评单位）",
        "流动红旗: vacant (no unit ranked)",
    ),
    "rank.bottom_list": ("末位：{units}", "bottom: {units}"),
    "rank.bottom_none": ("末位：无", "bottom: none"),
    "rank.exempt_list": (
        "豁免末位（本期到期任务均按原定时限完成）：{units}",
        "exempt from the bottom list (every task due in the period done on time): {units}",
    ),
    "rank.tie": (
        "同分 {score}：{above} 排在 {below} 之前（{why}）",
        "tied at {score}: {above} ahead of {below} ({why})",
    ),
    "rank.tie.completion_rate": ("完成率 {a} 高于 {b}", "completion rate {a} > {b}"),
    "rank.tie.red_cards": ("红牌 {a} 次少于 {b} 次", "red cards {a} < {b}"),
    "rank.tie.overdue_wd": (
        "逾期 {a} 个工作日少于 {b} 个",
        "overdue working days {a} < {b}",
    ),
    "rank.tie_shared": (
        "同分 {score}：{above} 与 {below} 完成率、红牌、逾期工作日均相同，并列第 {rank} 名",
        "tied at {score}: {above} and {below} are equal on every tie-break and share rank {rank}",
    ),
    "rank.chart": (
        "得分（横轴 {lo}–{hi} 分，┃ 为红旗线 {threshold} 分）",
        "scores (axis {lo}–{hi}; ┃ marks the flag line {threshold})",
    ),
    "rank.no_units": (
        "本期没有参评单位（没有单位牵头未撤销的任务）",
        "no unit to rank (no unit leads a task that is not cancelled)",
    ),
    "rank.cards_legend": (
        "双亮牌：位次牌（前三分之一蓝、中间黄、后三分之一红）/ 进退牌（上升蓝、下降 1–2 位黄、下降 3 位以上红）",
        "rank cards: standing (top third blue, middle yellow, bottom third red) / change "
        "(up blue, down 1–2 yellow, down 3+ red)",
    ),
    "rank.warn_no_cards": (
        "截至 {day} 没有任何牌色记录（gaoxin sweep 没有运行过），红黄牌未扣分：请每个工作日运行 gaoxin sweep（可放进 cron）",
        "no card was recorded up to {day} (gaoxin sweep has never run), so no card "
        "deductions: run gaoxin sweep every working day (cron can)",
    ),
    "rank.warn_item_unscored": (
        "{unit} 没有参评（不牵头任务），其 {period} 的评分项未计入",
        "{unit} is not ranked (leads no task); its score items for {period} do not count",
    ),
    "rank.warn_no_inspection": (
        "{period} 以下单位没有领导督查评分，季度得分按各月平均：{units}",
        "no inspection score for {period}, so the mean of the months counts: {units}",
    ),
    "rank.warning": ("注意", "Warning"),
    # --- explain ----------------------------------------------------------------------
    "rank.explain_title": (
        "{unit} · {period} 得分明细",
        "{unit} · {period}: how the score is made",
    ),
    "rank.explain_total": ("合计", "total"),
    "rank.explain_rank": ("第 {rank} 名", "rank {rank}"),
    "rank.col.rule": ("项目", "rule"),
    "rank.col.task": ("任务", "task"),
    "rank.col.title": ("名称", "title"),
    "rank.col.detail": ("说明", "detail"),
    "rank.col.points": ("分值", "points"),
    "rule.base": ("基础分", "base"),
    "rule.month": ("月度得分", "month"),
    "rule.quarter": ("季度得分", "quarter"),
    "rule.inspection": ("领导督查评分", "inspection"),
    "rule.rounding": ("四舍五入", "rounding"),
    "rule.red_card": ("红牌", "red card"),
    "rule.yellow_card": ("黄牌", "yellow card"),
    "rule.overdue_task": ("逾期未完成", "overdue"),
    "rule.returned_feedback": ("反馈被退回", "feedback returned"),
    "rule.missed_report": ("应报未报", "missed report"),
    "rule.early_finish": ("提前完成", "finished early"),
    "rule.completion_rate": ("完成率", "completion rate"),
    "rule.bonus": ("加分", "bonus"),
    "rule.deduction": ("扣分", "deduction"),
    "detail.red_card": ("本期亮红牌 {count} 次", "{count} red card(s) this period"),
    "detail.yellow_card": (
        "本期亮黄牌 {count} 次，第 2 次起扣分（{counted} 次）",
        "{count} yellow cards this period; from the 2nd on ({counted}) count",
    ),
    "detail.held_since": ("自 {days} 起持有", "held since {days}"),
    "detail.overdue_task": (
        "时限 {due}，期末逾期 {wd} 个工作日",
        "due {due}; {wd} WD overdue at the end",
    ),
    "detail.extended": (
        "已延期至 {to}，按原时限计分",
        "extended to {to}; scored on the original date",
    ),
    "detail.returned_feedback": ("反馈被退回 {count} 次", "returned {count} time(s)"),
    "detail.missed_report": ("{dates} 应报未报", "no report by {dates}"),
    "detail.early_finish": (
        "{done} 完成，早于时限 {due}",
        "done {done}, before the due date {due}",
    ),
    "detail.completion_rate": (
        "期末到期 {due} 项，已完成 {done} 项",
        "{done} of {due} task(s) due by the period's end done",
    ),
    "detail.manual": ("{reason}（{by}，第 {item} 号）", "{reason} ({by}, item {item})"),
    "detail.part": ("{period} 得分 {score} × {weight}", "{period}: {score} × {weight}"),
    "detail.inspection": (
        "督查评分 {score} × {weight}：{reason}（{by}）",
        "inspection {score} × {weight}: {reason} ({by})",
    ),
    # --- flag -------------------------------------------------------------------------
    "flag.awarded": (
        "已评定 {period}：流动红旗 {holder}；末位 {bottom}。结果已冻结（第 {id} 号评定）。",
        "{period} awarded: flag {holder}; bottom {bottom}. The result is frozen (award {id}).",
    ),
    "flag.awarded_again": (
        "已重新评定 {period}（原因：{reason}），取代第 {old} 号评定：流动红旗 {holder}；末位 {bottom}。"
        "结果已冻结（第 {id} 号评定），原评定保留在历史中。",
        "{period} awarded again (reason: {reason}), superseding award {old}: flag {holder}; "
        "bottom {bottom}. Frozen as award {id}; the earlier award stays in the history.",
    ),
    "flag.nobody": ("空缺", "vacant"),
    "flag.none": ("无", "none"),
    "flag.history_title": ("{org} 流动红旗历史", "{org}: 流动红旗 history"),
    "flag.history_empty": (
        "还没有评定过流动红旗（gaoxin flag award --period …）",
        "no period has been awarded yet (gaoxin flag award --period …)",
    ),
    "flag.col.period": ("评比期", "period"),
    "flag.col.holder": ("流动红旗", "flag"),
    "flag.col.score": ("得分", "score"),
    "flag.col.move": ("变动", "move"),
    "flag.col.bottom": ("末位", "bottom"),
    "flag.col.awarded": ("评定日期", "awarded"),
    "flag.move.new": ("首次获得", "first win"),
    "flag.move.kept": ("连续第 {n} 期", "held {n} in a row"),
    "flag.move.moved": ("从 {from_} 转来", "moved from {from_}"),
    "flag.move.regained": ("重新获得", "won back"),
    "flag.move.vacant": ("空缺（最高 {score} 分）", "vacant (best {score})"),
    "flag.move.vacant_empty": ("空缺", "vacant"),
    "flag.superseded": (
        "{day} 曾评定为 {holder}，已于 {later} 重新评定：{reason}",
        "awarded to {holder} on {day}, awarded again on {later}: {reason}",
    ),
    "flag.streaks": ("最长连续：{unit} {n} 期", "longest streak: {unit}, {n} period(s)"),
    "flag.kind.inspection": ("领导督查评分", "inspection score"),
    "flag.kind.bonus": ("加分", "bonus"),
    "flag.kind.deduction": ("扣分", "deduction"),
    "flag.scored": (
        "已记录 {unit} {period} {kind} {points}：{reason}（{by}，第 {id} 号）",
        "recorded for {unit}, {period}: {kind} {points}: {reason} ({by}, item {id})",
    ),
    "flag.warn_frozen": (
        "{period} 已评定并冻结，此项不改变已评定结果；如需计入，请用 gaoxin flag award --period {period} --force --reason … 重新评定",
        "{period} is awarded and frozen: this item does not change it; to count it, award "
        "again with gaoxin flag award --period {period} --force --reason …",
    ),
    # --- errors -----------------------------------------------------------------------
    "error.period_not_scoring": (
        '评比期须是月、季度或年（2020-05、2020Q2、2020），"{value}" 不是',
        'a ranking period is a month, quarter or year (2020-05, 2020Q2, 2020): "{value}" is not',
    ),
    "error.period_not_begun": (
        "{period} 还没有开始（今天是 {today}）",
        "{period} has not begun yet (today is {today})",
    ),
    "error.award_not_over": (
        "{period} 到 {end} 才结束，结束后才能评定",
        "{period} runs until {end}; it can be awarded once it is over",
    ),
    "error.award_exists": (
        "{period} 已于 {day} 评定（流动红旗：{holder}），结果已冻结",
        "{period} was awarded on {day} (flag: {holder}) and is frozen",
    ),
    "error.award_exists_hint": (
        "确需重新评定，请加 --force --reason 说明原因；原评定仍保留在历史中",
        "to award it again, add --force --reason; the earlier award stays in the history",
    ),
    "error.force_needs_reason": (
        "--force 须同时用 --reason 说明重新评定的原因",
        "--force needs --reason: say why the period is awarded again",
    ),
    "error.reason_without_force": (
        "--reason 只和 --force 一起使用",
        "--reason goes with --force only",
    ),
    "error.inspection_quarter": (
        "领导督查评分按季度记录：--period 请写季度，如 {year}Q2",
        "an inspection score is for a quarter: write --period like {year}Q2",
    ),
    "error.points_range": (
        "{kind}的分值须在 {lo} 到 {hi} 之间（收到 {points}）",
        "{kind} points must be {lo} to {hi} (got {points})",
    ),
    "error.points_sign": (
        "加分须为正数；扣分请用 --kind deduction 和正的分值",
        "a bonus is positive; for a deduction use --kind deduction with positive points",
    ),
    "error.bad_reason": (
        "原因不能为空，不能超过 500 字，也不能含控制字符",
        "the reason must be 1–500 characters without control characters",
    ),
    "error.explain_unranked": (
        "{unit} 不在 {period} 的排名中（没有牵头的任务）",
        "{unit} is not ranked for {period} (it leads no task)",
    ),
    "error.json_and_csv": ("--json 和 --csv 只能选一个", "choose one of --json and --csv"),
    "error.excel_without_csv": ("--excel 只与 --csv 同用", "--excel goes with --csv"),
    "error.write_output": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    # --- bulletin ---------------------------------------------------------------------
    "bulletin.title": ("{org}重点工作督查通报", "{org}: supervision bulletin"),
    "bulletin.subtitle": ("{period}（{start} 至 {end}）", "{period} ({start} to {end})"),
    "bulletin.issued": ("{office} · {day}", "{office} · {day}"),
    "bulletin.basis_frozen": (
        "排名为 {day} 评定的冻结结果。",
        "The ranking is the award frozen on {day}.",
    ),
    "bulletin.basis_live": (
        "排名为实时计算结果，尚未评定。",
        "The ranking is computed live; the period has not been awarded.",
    ),
    "bulletin.basis_running": (
        "本期尚未结束，数据截至 {day}。",
        "The period is still running; figures to {day}.",
    ),
    "bulletin.sec.summary": ("一、总体情况", "1. Summary"),
    "bulletin.sec.ranking": ("二、评比排名", "2. Ranking"),
    "bulletin.sec.flag": ("三、流动红旗和末位", "3. The flag and the bottom units"),
    "bulletin.sec.red": ("四、红牌和挂牌督办事项", "4. Red-card and listed tasks"),
    "bulletin.sec.notices": ("五、本期发出的督办文书", "5. Notices issued in the period"),
    "bulletin.fig.tasks": (
        "督办事项 {tasks} 项，期末到期 {due} 项、已完成 {done} 项，完成率 {rate}。",
        "{tasks} supervised task(s); {due} due by the period's end, {done} done ({rate}).",
    ),
    "bulletin.fig.cards": (
        "本期亮红牌 {red} 次、黄牌 {yellow} 次；期末逾期未完成 {overdue} 项。",
        "{red} red and {yellow} yellow card(s) in the period; {overdue} task(s) overdue at its end.",
    ),
    "bulletin.fig.reports": (
        "应报未报 {missed} 次，反馈被退回 {returned} 次，提前完成 {early} 项。",
        "{missed} missed report(s), {returned} returned feedback, {early} task(s) finished early.",
    ),
    "bulletin.fig.notices": ("发出督办文书 {n} 件。", "{n} notice(s) issued."),
    "bulletin.red_none": (
        "本期没有红牌或挂牌督办事项。",
        "No red-card or listed task this period.",
    ),
    "bulletin.notices_none": ("本期没有发出督办文书。", "No notice was issued this period."),
    "bulletin.col.kind": ("类别", "kind"),
    "bulletin.col.reason": ("情况", "status"),
    "bulletin.col.number": ("文号", "number"),
    "bulletin.col.subject": ("事项", "subject"),
    "bulletin.col.issued": ("日期", "issued"),
    "bulletin.col.due": ("时限", "due"),
    "bulletin.col.progress": ("进度", "progress"),
    "bulletin.red": ("红牌", "red"),
    "bulletin.listed": ("挂牌督办", "listed"),
    "bulletin.red_raised": ("本期亮红牌 {count} 次", "{count} red card(s) this period"),
    "bulletin.red_at_end": (
        "期末仍为{level}（{since} 起）",
        "{level} at the period's end (since {since})",
    ),
    "bulletin.listed_by": (
        "{since} 起挂牌，督办领导 {leader}",
        "listed since {since}, supervised by {leader}",
    ),
    "bulletin.listed_since": ("{since} 起挂牌", "listed since {since}"),
    "bulletin.legend.holder": ("流动红旗单位", "flag holder (流动红旗)"),
    "bulletin.legend.bottom": ("末位单位", "bottom units"),
    "bulletin.legend.other": ("其他单位", "other units"),
    "bulletin.done": ("已完成", "done"),
    "bulletin.footer": (
        "本通报由 gaoxin 依据计划和督查记录生成；得分 = 100 − 扣分 + 加分，"
        "各项权重见 gaoxin.yaml 的 rules.ranking。",
        "Made by gaoxin from the plan and the supervision records; score = 100 − deductions "
        "+ bonuses, weighted as rules.ranking of gaoxin.yaml says.",
    ),
    "bulletin.written": ("已写入 {path}", "written to {path}"),
}
