"""Messages of the group robots (钉钉 / 政务钉钉, 企业微信, 飞书) that ``notify`` posts to:
the message in the group, what the platforms' answers mean, the run's summary."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the message in the group (notify/robots.py) ----------------------------------
    "robot.title": (
        "【督查督办】{org} {date}：通知 {n} 份",
        "[Supervision] {org} {date}: {n} notice(s)",
    ),
    "robot.part": ("（第 {part}/{parts} 条）", " (part {part}/{parts})"),
    "robot.card": ("（{card}）", " ({card})"),
    "robot.issued": ("（{date} 签发）", " (issued {date})"),
    "robot.task": ("事项：{task}", "Task: {task}"),
    "robot.lead": ("牵头单位：{lead}", "Lead unit: {lead}"),
    "robot.why": ("原因：{why}", "Why: {why}"),
    "robot.reply_by": ("请于 {date} 前反馈", "Reply by {date}"),
    "robot.sign": (
        "签收：请在群内回复“收到＋通知编号”，或联系{office} {name}{phone}，由督查室登记。",
        "To acknowledge (签收), reply in this group with “received” and the notice number, or contact {name}, {office}{phone}; the office records it.",
    ),
    "robot.sign_group": (
        "签收：请在群内回复“收到＋通知编号”，由督查室登记。",
        "To acknowledge (签收), reply in this group with “received” and the notice number; the office records it.",
    ),
    "robot.compact": (
        "事项较多，每项一行（通知编号、事项），详情见督办邮件：",
        "Many items today, one line each (notices, task); the mail has the details:",
    ),
    "robot.compact_due": (
        "事项较多，每项一行（通知编号、事项），详情见督办邮件；请于 {date} 前反馈：",
        "Many items today, one line each (notices, task); the mail has the details. Reply by {date}:",
    ),
    "robot.line": ("- **{numbers}** {task}{card}", "- **{numbers}** {task}{card}"),
    "robot.line_due": ("，{date} 前反馈", ", reply by {date}"),
    "robot.phone": ("（电话 {phone}）", " (tel. {phone})"),
    # --- what a platform answered ------------------------------------------------------
    "robot.err.rate": (
        "发送太频繁，被机器人限流（已等待后重试仍未成功）",
        "rate limited by the robot (still refused after waiting)",
    ),
    "robot.err.removed": (
        "机器人已被移除、停用或 webhook 地址无效（{code} {msg}）：请在群设置中重新添加并更新 gaoxin.yaml",
        "the robot was removed or disabled, or the webhook is invalid ({code} {msg}): add it again in the group settings and update gaoxin.yaml",
    ),
    "robot.err.sign": (
        "签名校验失败（{code} {msg}）：检查加签密钥所在的环境变量和本机时钟（误差须在 1 小时内）",
        "bad signature ({code} {msg}): check the secret in the environment variable and this machine's clock (within an hour)",
    ),
    "robot.err.keyword": (
        "消息不含机器人的自定义关键词（{code} {msg}）：在 gaoxin.yaml 的 keyword 写上该关键词",
        "the message lacks the robot's custom keyword ({code} {msg}): set keyword in gaoxin.yaml",
    ),
    "robot.err.ip": (
        "本机 IP 不在机器人的 IP 白名单中（{code} {msg}）",
        "this machine's IP address is not in the robot's whitelist ({code} {msg})",
    ),
    "robot.err.security": (
        "机器人安全设置不通过（{code} {msg}）：检查关键词、加签和 IP 白名单",
        "refused by the robot's security settings ({code} {msg}): check keyword, signing and IP whitelist",
    ),
    "robot.err.format": (
        "机器人拒收消息格式（{code} {msg}）",
        "the robot refused the message format ({code} {msg})",
    ),
    "robot.err.other": ("机器人返回错误 {code}：{msg}", "the robot answered error {code}: {msg}"),
    "robot.err.http": (
        "机器人服务器返回 HTTP {status}",
        "the robot's server answered HTTP {status}",
    ),
    "robot.err.reply": (
        "机器人服务器的回答看不懂（HTTP {status}）",
        "the robot's server gave an unreadable answer (HTTP {status})",
    ),
    "robot.err.timeout": (
        "{seconds} 秒内没有回答（消息可能已发出，下次运行会再发一次）",
        "no answer within {seconds} s (the message may have arrived; the next run sends it again)",
    ),
    "robot.err.connect": ("连接失败：{reason}", "could not connect: {reason}"),
    "robot.err.plain_http": (
        "webhook 是 http:// 地址，消息会明文传输：改用 https://，或在 gaoxin.yaml 写 allow_http: true",
        "the webhook is plain http://, so messages would travel unencrypted: use https://, or set allow_http: true in gaoxin.yaml",
    ),
    "robot.err.no_secret": (
        "环境变量 {env} 没有设置：这个机器人需要加签密钥",
        "the environment variable {env} is not set: this robot needs its signing secret",
    ),
    # --- the run's summary (render/notify.py) -----------------------------------------
    "notify.robots": (
        "群机器人：{groups} 个群应发 {due} 条，已发送 {sent} 条",
        "group robots: {due} message(s) due to {groups} group(s), {sent} sent",
    ),
    "notify.robots_dry": (
        "群机器人：将向 {groups} 个群发送 {due} 条",
        "group robots: {due} message(s) would go to {groups} group(s)",
    ),
    "notify.robots_outbox": (
        "群机器人：{sent} 条已写入 {dir}",
        "group robots: {sent} message(s) written to {dir}",
    ),
    "notify.robots_waited": (
        "群机器人：因限流等待 {seconds} 秒",
        "group robots: {seconds} s spent waiting on rate limits",
    ),
    "notify.robot_dry_header": ("—— 群机器人 {i}/{n} ——", "—— group robot {i}/{n} ——"),
    "notify.robot_dry_to": (
        "机器人：{owner} {name}（{kind}）",
        "Robot: {owner} {name} ({kind})",
    ),
    "notify.robot_dry_at": ("@：{who}", "@: {who}"),
    "notify.robot_fail_line": (
        "  群机器人 {owner} {name}（{numbers}）：{why}",
        "  group robot {owner} {name} ({numbers}): {why}",
    ),
    "error.robots_failed": (
        "{count} 条群机器人消息未送达，已送达的已记录，其余将在下次运行时重发：\n{lines}",
        "{count} group robot message(s) not delivered; those accepted are recorded, the rest go out on the next run:\n{lines}",
    ),
}
