"""Messages of the escalation ladder: overdue, notify, notice, listed, extend."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- notices (三单) ---------------------------------------------------------------
    "notice.kind.assign": ("交办单", "assignment"),
    "notice.kind.remind": ("提醒单", "reminder"),
    "notice.kind.urge": ("催办单", "urging notice"),
    "notice.kind.supervise": ("督办单", "supervision notice"),
    "notice.kind.report": ("通报单", "public report"),
    "notice.short.assign": ("交办", "assign"),
    "notice.short.remind": ("提醒", "remind"),
    "notice.short.urge": ("催办", "urge"),
    "notice.short.supervise": ("督办", "supervise"),
    "notice.short.report": ("通报", "report"),
    "notice.role.contact": ("联络员", "contact"),
    "notice.role.support": ("配合单位联络员", "support contact"),
    "notice.role.head": ("主要负责人", "head"),
    "notice.role.leader": ("责任领导", "leader in charge"),
    "notice.role.office_contact": ("联络员", "contact"),
    "notice.role.office_head": ("主要负责人", "head"),
    "notice.role.supervisor": ("督办领导", "supervising leader"),
    "notice.person": ("{name}（{role}）", "{name} ({role})"),
    "notice.sheet_title": ("{org}重点工作{kind}", "{org}: {kind}"),
    "notice.to": ("主送：{who}", "To: {who}"),
    "notice.cc": ("抄送：{who}", "Cc: {who}"),
    "notice.subject": ("事项：{task} {title}", "Task: {task} {title}"),
    "notice.lead": ("牵头单位：{lead}", "Lead unit: {lead}"),
    "notice.support": ("配合单位：{units}", "Support: {units}"),
    "notice.leader": ("责任领导：{name}", "Leader in charge: {name}"),
    "notice.listed": ("挂牌督办：{name}", "Listed, supervised by: {name}"),
    "notice.due": ("完成时限：{due}", "Due: {due}"),
    "notice.due_extended": (
        "完成时限：{due}（已批准延期，原定 {planned}）",
        "Due: {due} (extension approved; originally {planned})",
    ),
    "notice.state": ("当前情况：{card}。{why}", "Situation: {card}. {why}"),
    "notice.state_none": ("当前情况：{progress}% 完成", "Situation: {progress}% done"),
    "notice.measures": ("工作措施：{measures}", "Measures: {measures}"),
    "notice.require.assign": (
        "办理要求：请按定责任、定措施、定时限的要求抓好落实，于 {date} 前签收并反馈工作安排。",
        "Required: carry it out as assigned (owner, measures, deadline); acknowledge and send "
        "your work plan by {date}.",
    ),
    "notice.require.remind": (
        "办理要求：该事项即将到期，请抓紧办理，于 {date} 前反馈进展情况。",
        "Required: the deadline is near; report progress by {date}.",
    ),
    "notice.require.urge": (
        "办理要求：请于 {date} 前书面说明未按时限或序时进度完成的原因及整改措施。",
        "Required: explain in writing by {date} why it is late or behind plan, and how it "
        "will be put right.",
    ),
    "notice.require.supervise": (
        "办理要求：请于 {date} 前将办理情况书面反馈{office}；逾期仍未办结的，将予以通报。",
        "Required: report in writing to {office} by {date}; if still not done, it will be "
        "reported publicly.",
    ),
    "notice.require.report": (
        "办理要求：该事项经督办仍未办结，现予通报。请于 {date} 前提交书面说明，并落实整改。",
        "Required: still not done after the supervision notice, it is hereby reported. "
        "Submit a written explanation by {date} and put it right.",
    ),
    "notice.issuer": ("{org} {office}", "{org}, {office}"),
    "notice.deliveries": ("送达记录：", "Deliveries:"),
    "notice.delivered": ("  {date} {email}", "  {date} {email}"),
    "notice.delivered_outbox": (
        "  {date} {email}（写入 {file}）",
        "  {date} {email} (written to {file})",
    ),
    "notice.not_delivered": ("  未送达：{who}", "  not delivered: {who}"),
    "notice.no_email": ("  无邮箱：{who}", "  no e-mail address: {who}"),
    "notice.list_title": ("通知台账（{n} 份）", "Notices ({n})"),
    "notice.list_none": ("没有符合条件的通知", "no notice matches"),
    "notice.col.number": ("编号", "number"),
    "notice.col.kind": ("种类", "kind"),
    "notice.col.issued": ("签发日期", "issued"),
    "notice.col.response_due": ("回复期限", "reply by"),
    "notice.col.sent": ("送达", "sent"),
    "error.notice_bad_number": (
        "看不懂通知编号“{value}”：请写成 督办〔2020〕12号（也可写 督办[2020]12 或 supervise-2020-12）",
        'cannot read notice number "{value}": write 督办〔2020〕12号 (or 督办[2020]12, '
        "supervise-2020-12)",
    ),
    "error.notice_not_found": ("没有编号为 {number} 的通知", "no notice numbered {number}"),
    "error.notice_bad_kind": (
        "不认识的通知种类“{value}”：可用 assign、remind、urge、supervise、report（或 交办、提醒、催办、督办、通报）",
        'unknown notice kind "{value}": use assign, remind, urge, supervise or report',
    ),
    # --- overdue --------------------------------------------------------------------
    "overdue.title": (
        "逾期和预警任务（截至 {date}，{weekday}）",
        "Late and warned tasks (as of {date}, {weekday})",
    ),
    "overdue.counts": ("共 {total} 项：", "{total} task(s): "),
    "overdue.issue_today": ("今天待发 {n}", "{n} notice(s) due today"),
    "overdue.none": ("没有逾期或预警的任务", "no task is late or warned"),
    "overdue.late": ("逾期{wd}", "{wd} late"),
    "overdue.left": ("还剩{wd}", "{wd} left"),
    "overdue.today": ("今天", "today"),
    # Working days late, or left for a task carded before its due date (lag, no start).
    "overdue.col.late": ("逾期/剩余", "late/left"),
    "overdue.col.due": ("时限", "due"),
    "overdue.col.rung": ("已发", "filed"),
    "overdue.col.next": ("下一步", "next"),
    # --- listed --------------------------------------------------------------------
    "listed.title": ("挂牌督办事项（截至 {date}）", "Listed tasks (挂牌督办, as of {date})"),
    "listed.counts": (
        "共 {total} 项：挂牌中 {active}，已摘牌 {delisted}",
        "{total} task(s): {active} listed, {delisted} delisted",
    ),
    "listed.none": ("没有挂牌督办的任务", "no task is listed"),
    "listed.active": ("挂牌中", "listed"),
    "listed.delisted": ("已摘牌 {date}", "delisted {date}"),
    "listed.pending": ("{date} 挂牌", "listed from {date}"),
    "listed.col.supervisor": ("督办领导", "supervisor"),
    "listed.col.since": ("挂牌", "since"),
    "listed.col.days_listed": ("天数", "days"),
    "listed.col.status": ("状态", "status"),
    # --- extend --------------------------------------------------------------------
    "extend.requested": (
        "已提交 {task} 的延期申请：完成时限 {due} → {to}，待领导批准（gaoxin extend {task} --approve --by 领导）",
        "extension requested for {task}: due {due} → {to}, awaiting a leader's approval "
        "(gaoxin extend {task} --approve --by LEADER)",
    ),
    "extend.approved": (
        "已批准 {task} 延期至 {to}（{by}）；原定时限 {planned} 仍用于考核",
        "extension of {task} to {to} approved ({by}); scoring still counts the original {planned}",
    ),
    "extend.rejected": ("已驳回 {task} 的延期申请（{by}）", "extension of {task} refused ({by})"),
    "extend.withdrawn": (
        "已撤回 {task} 延期至 {to} 的批准（{by}）；现行时限恢复为 {due}",
        "approved extension of {task} to {to} withdrawn ({by}); the due date is {due} again",
    ),
    "extend.replaced": (
        "已将 {task} 的延期由 {old} 改为 {to}（{by}）；原定时限 {planned} 仍用于考核",
        "extension of {task} changed from {old} to {to} ({by}); scoring still counts the "
        "original {planned}",
    ),
    "extend.show": (
        "{task} {title}：原定时限 {planned}，现行时限 {due}",
        "{task} {title}: planned due {planned}, current due {due}",
    ),
    "extend.pending": (
        "待批：{at} 申请延期至 {to}（{reason}）",
        "pending: requested {at}, to {to} ({reason})",
    ),
    "extend.none": ("没有延期记录", "no extension recorded"),
    "event.extension": ("延期", "extension"),
    "extend.event.request": ("申请延期至 {to}：{reason}", "requested {to}: {reason}"),
    "extend.event.request_late": (
        "逾期后申请延期至 {to}：{reason}",
        "requested {to} after the due date: {reason}",
    ),
    "extend.event.approve": ("{by} 批准延期至 {to}", "{by} approved {to}"),
    "extend.event.reject": ("{by} 驳回：{reason}", "{by} refused: {reason}"),
    "extend.event.withdraw": (
        "{by} 撤回延期至 {to} 的批准：{reason}",
        "{by} withdrew the extension to {to}: {reason}",
    ),
    "extend.line.request": ("{at} 申请延期至 {to}：{reason}", "{at} requested {to}: {reason}"),
    "extend.line.request_late": (
        "{at} 逾期后申请延期至 {to}：{reason}",
        "{at} requested {to} after the due date: {reason}",
    ),
    "extend.line.approve": ("{at} {by} 批准延期至 {to}", "{at} {by} approved {to}"),
    "extend.line.reject": ("{at} {by} 驳回：{reason}", "{at} {by} refused: {reason}"),
    "extend.line.withdraw": (
        "{at} {by} 撤回延期至 {to} 的批准：{reason}",
        "{at} {by} withdrew the extension to {to}: {reason}",
    ),
    "extend.line.replace": (
        "{at} {by} 批准延期至 {to}（替换 {old}）",
        "{at} {by} approved {to} (replacing {old})",
    ),
    "error.extend_task_over": (
        "任务 {task} {state}，不能再申请或批准延期",
        "task {task} is {state}; it can no longer be extended",
    ),
    "error.extend_approve_and_reject": (
        "--approve 和 --reject 只能选一个",
        "--approve and --reject cannot be used together",
    ),
    "error.extend_late_needs_approve": (
        "--late 只能与 --approve --by 领导 一起使用：逾期延期须由领导批准",
        "--late goes with --approve --by LEADER: only a leader grants a late extension",
    ),
    "error.extend_needs_by": (
        "批准、驳回、撤回或替换延期须写明领导：--by 领导编号",
        "approving, refusing, withdrawing or replacing needs the leader: --by LEADER",
    ),
    "error.extend_by_without_decision": (
        "--by 只用于 --approve、--reject、--withdraw 或 --replace",
        "--by goes with --approve, --reject, --withdraw or --replace",
    ),
    "error.extend_options_conflict": (
        "{a} 和 {b} 不能同时使用",
        "{a} and {b} cannot be used together",
    ),
    "error.extend_take_back_needs_reason": (
        "{option} 须用 --reason 说明为什么收回已批准的延期（记入历史）",
        "{option} needs --reason: why the approved extension is taken back (kept in the history)",
    ),
    "error.extend_nothing_to_withdraw": (
        "任务 {task} 没有已批准的延期可撤回或替换（现行时限即原定时限 {due}）",
        "task {task} has no approved extension to withdraw or replace (its due date is the "
        "planned {due})",
    ),
    "error.extend_replace_same": (
        "任务 {task} 的延期已是 {to}，无需替换",
        "the extension of {task} is already {to}; nothing to replace",
    ),
    "error.extend_beyond_horizon": (
        "新时限 {to} 太远：最晚可到 {horizon}（今天 {today} 之后 {years} 年的年底）",
        "the new date {to} is too far ahead: the latest allowed is {horizon} (the end of the "
        "year {years} year(s) after today, {today})",
    ),
    "error.extend_needs_to": (
        "请用 --to 日期 给出新的完成时限",
        "give the new due date: --to DATE",
    ),
    "error.extend_needs_reason": ("请用 --reason 说明延期理由", "give the reason: --reason TEXT"),
    "error.extend_done": ("任务 {task} 已完成，无需延期", "task {task} is done; nothing to extend"),
    "error.extend_nothing_pending": (
        "任务 {task} 没有待批的延期申请",
        "task {task} has no pending extension request",
    ),
    "error.extend_already_pending": (
        "任务 {task} 已于 {at} 申请延期至 {to}，请先批准或驳回",
        "task {task} already has a request from {at} (to {to}): approve or refuse it first",
    ),
    "error.extend_not_later": (
        "新时限 {to} 应晚于现行时限 {due}",
        "the new date {to} must be after the current due date {due}",
    ),
    "error.extend_after_due": (
        "任务 {task} 已于 {due} 到期（今天 {today}）：延期须在到期前申请",
        "task {task} was due {due} (today is {today}): an extension must be requested before "
        "the due date",
    ),
    "hint.extend_horizon": (
        "日期有误请更正；确需更远的时限，请在 gaoxin.yaml 中调大 calendar.horizon_years（现为 {years}）",
        "correct the date if it is a typo; to allow later dates, raise calendar.horizon_years "
        "in gaoxin.yaml (now {years})",
    ),
    "hint.extend_replace": (
        "如要改为另一个日期：gaoxin extend 任务 --replace --to 日期 --reason 理由 --by 领导",
        "to change it to another date: gaoxin extend TASK --replace --to DATE --reason TEXT "
        "--by LEADER",
    ),
    "hint.extend_grant": (
        "如要批准新的延期：gaoxin extend 任务 --to 日期 --reason 理由 --approve --by 领导",
        "to grant a new extension: gaoxin extend TASK --to DATE --reason TEXT --approve --by "
        "LEADER",
    ),
    "hint.extend_late": (
        "如领导同意逾期延期：gaoxin extend 任务 --to 日期 --reason 理由 --approve --by 领导 --late",
        "if a leader grants it late: gaoxin extend TASK --to DATE --reason TEXT --approve "
        "--by LEADER --late",
    ),
    # --- notify: the mail -----------------------------------------------------------
    "notify.subject": (
        "【督查督办】{org} {date}：{kinds}（{total}）",
        "[Supervision] {org} {date}: {kinds} ({total})",
    ),
    "notify.subject_red": (
        "【督查督办】{org} {date}：{kinds}（{total}，红牌 {red}）",
        "[Supervision] {org} {date}: {kinds} ({total}, {red} red)",
    ),
    "notify.subject_total": ("共 {n} 项", "{n} items"),
    "notify.subject_total_one": ("共 1 项", "1 item"),
    "notify.greeting": ("{who}：", "Dear {who},"),
    "notify.intro": (
        "截至 {date}（{weekday}），您有 {n} 项督查督办事项：",
        "As of {date} ({weekday}) you have {n} item(s) under supervision:",
    ),
    "notify.repeat": ("（再次提醒，{date} 签发）", " (reminder again; issued {date})"),
    "notify.belated": ("（{date} 签发）", " (issued {date})"),
    "notify.lead_due": ("牵头单位：{lead}；完成时限：{due}", "Lead: {lead}; due: {due}"),
    "notify.due_extended": ("{due}（延期，原定 {planned}）", "{due} (extended from {planned})"),
    "notify.why": ("现状：{why}", "Situation: {why}"),
    "notify.measures": ("措施：{measures}", "Measures: {measures}"),
    "notify.problem_head": ("{what}", "Problem {what}"),
    "notify.problem_due": (
        "责任单位：{unit}；{stage}时限：{due}",
        "Whose move: {unit}; {stage} due {due}",
    ),
    "notify.problem_late": ("（已逾期 {wd} 个工作日）", " ({wd} WD late)"),
    "notify.problem_text": ("问题：{text}", "Problem: {text}"),
    "notify.problem_task": ("涉及事项：{task}", "Task: {task}"),
    "notify.answer": ("请于 {date} 前反馈办理情况。", "Please report by {date}."),
    "notify.answer_assign": (
        "请于 {date} 前签收并反馈工作安排。",
        "Please acknowledge and send your plan by {date}.",
    ),
    "notify.support": (
        "贵单位为配合单位，请配合牵头单位 {lead} 办理。",
        "Your unit supports this task: please assist the lead unit, {lead}.",
    ),
    "notify.reply": (
        "请回复本邮件或联系{office} {name}{phone}签收并反馈。",
        "To acknowledge and report, reply to this mail or contact {name}, {office}{phone}.",
    ),
    "notify.reply_no_mail": (
        "请联系{office} {name}{phone}签收并反馈。",
        "To acknowledge and report, contact {name}, {office}{phone}.",
    ),
    "notify.reply_phone": ("（电话 {phone}）", " (tel. {phone})"),
    "notify.auto": (
        "本邮件在工作日自动发送。",
        "Sent automatically on working days.",
    ),
    # --- notify: the run ------------------------------------------------------------
    "notify.rest_day": (
        "{date}（{weekday}）不是工作日：不签发通知，不发送邮件（--any-day 可强制运行）",
        "{date} ({weekday}) is not a working day: no notice filed, no mail sent (--any-day "
        "runs anyway)",
    ),
    "notify.filed": ("{date}：新签发通知 {n} 份{kinds}", "{date}: {n} new notice(s){kinds}"),
    "notify.filed_dry": (
        "{date}：将签发通知 {n} 份{kinds}（演练，未写入）",
        "{date}: would file {n} notice(s){kinds} (dry run, nothing written)",
    ),
    "notify.kinds": ("（{list}）", " ({list})"),
    "notify.mails": (
        "邮件：应发 {due} 封，已发送 {sent} 封",
        "mail: {due} due, {sent} sent",
    ),
    "notify.mail_off": (
        "邮件：gaoxin.yaml 没有 mail 配置，只发群机器人",
        "mail: gaoxin.yaml has no mail section; group robots only",
    ),
    "notify.mails_outbox": (
        "邮件：{sent} 封已写入 {dir}",
        "mail: {sent} written to {dir}",
    ),
    "notify.mails_dry": ("邮件：将发送 {due} 封", "mail: {due} would be sent"),
    "notify.no_email": (
        "注意：以下收件人没有邮箱，{n} 份通知未通过邮件送达：{who}",
        "note: no e-mail address, so {n} notice(s) were not mailed to: {who}",
    ),
    "notify.bad_address": (
        "邮箱地址无效，未发送：{email}",
        "invalid address, not sent: {email}",
    ),
    "notify.dry_header": ("—— {i}/{n} ——", "—— {i}/{n} ——"),
    "notify.dry_to": ("收件人：{to}", "To: {to}"),
    "notify.dry_subject": ("主题：{subject}", "Subject: {subject}"),
    "notify.fail_auth": (
        "邮件服务器 {server} 拒绝登录（{reply}）：请检查 mail.username 和密码环境变量",
        "the mail server {server} refused the login ({reply}): check mail.username and the "
        "password environment variable",
    ),
    "notify.fail_starttls": (
        "邮件服务器 {server} 不支持 STARTTLS：请改 mail.security（ssl 或 none）",
        "the mail server {server} does not offer STARTTLS: change mail.security (ssl or none)",
    ),
    "notify.fail_connect": (
        "无法连接邮件服务器 {server}：{reason}",
        "cannot connect to the mail server {server}: {reason}",
    ),
    "notify.fail_dropped": (
        "与邮件服务器 {server} 的连接中断（{reason}）",
        "the connection to the mail server {server} was lost ({reason})",
    ),
    "notify.fail_refused": (
        "服务器拒收该收件人（{reply}）",
        "the server refused the recipient ({reply})",
    ),
    "notify.fail_sender": (
        "服务器拒绝发件人（{reply}）",
        "the server refused the sender ({reply})",
    ),
    "notify.fail_data": ("服务器拒收邮件（{reply}）", "the server refused the message ({reply})"),
    "notify.fail_no_auth": (
        "邮件服务器 {server} 不支持登录（没有 AUTH）：请删除 mail.username，或换用支持登录的服务器",
        "the mail server {server} offers no login (no AUTH): remove mail.username, or use a "
        "server that does",
    ),
    "notify.fail_record": (
        "发给 {email} 的邮件已被接受，但无法记录（{why}）：下次运行将以同一 Message-ID 重发，"
        "其余邮件未发送",
        "the mail to {email} was accepted but cannot be recorded ({why}): the next run sends "
        "it again with the same Message-ID; the rest were not sent",
    ),
    "notify.waiting_lock": (
        "状态库正被另一个进程写入：发给 {email} 的邮件已送出，等待记录（已等 {seconds} 秒）…",
        "the status database is being written by another process: the mail to {email} went "
        "out and waits to be recorded ({seconds} s so far) …",
    ),
    "notify.fail_line": ("  {email}：{why}", "  {email}: {why}"),
    "notify.unsent_line": ("  {email}：未发送", "  {email}: not sent"),
    "error.notify_failed": (
        "{count} 封邮件未送达，已送达的已记录，其余将在下次运行时重发：\n{lines}",
        "{count} mail(s) not delivered; those accepted are recorded, the rest go out on the "
        "next run:\n{lines}",
    ),
    "error.notify_running": (
        "另一个 gaoxin notify 正在运行（锁文件 {path}）：请等它结束后再试",
        "another gaoxin notify is running (lock file {path}): try again when it has finished",
    ),
    "error.notify_lock_io": (
        "无法创建锁文件 {path}：{reason}",
        "cannot create the lock file {path}: {reason}",
    ),
    "error.notify_outbox": ("无法写入 {path}：{reason}", "cannot write to {path}: {reason}"),
    "error.mail_not_configured": (
        "gaoxin.yaml 没有 mail 配置（SMTP 服务器、端口、发件人），也没有群机器人：请补上其一，或用 --dry-run / --outbox 目录",
        "gaoxin.yaml has no mail section (SMTP host, port, sender) and no group robot: add "
        "either, or use --dry-run or --outbox DIR",
    ),
    "error.mail_plaintext_auth": (
        "mail.security 为 none，登录会以明文发送密码（邮件服务器 {server}）：请改用 starttls 或 ssl；"
        "确需明文时在 mail 中写 allow_plaintext_auth: true",
        "mail.security is none, so logging in would send the password in clear (mail server "
        "{server}): use starttls or ssl; where that is really meant, write "
        "allow_plaintext_auth: true under mail",
    ),
    "error.mail_no_password": (
        "已配置 mail.username，但环境变量 {env} 没有设置密码",
        "mail.username is set but the environment variable {env} holds no password",
    ),
    "error.notify_dry_and_outbox": (
        "--dry-run 和 --outbox 只能选一个",
        "--dry-run and --outbox cannot be used together",
    ),
}
