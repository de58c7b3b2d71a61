"""What ``gaoxin notify`` prints: the run's summary (cron mails it to the operator), the
mail a dry run would send, the recipients without an address, and the lines of the
error that lists undelivered mail. Plain text, never Rich: cron output reads as is."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, TextIO

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.render.text import safe

if TYPE_CHECKING:
    from gaoxin_cli.service.channels import ChannelReport
    from gaoxin_cli.service.notify import NotifyReport


def rest_day(today: date, lang: Lang) -> str:
    weekday = t(f"weekday.{today.weekday()}", lang)
    return t("notify.rest_day", lang, date=today.isoformat(), weekday=weekday)


def report(out: TextIO, err: TextIO, done: NotifyReport, lang: Lang) -> None:
    """The summary on *out*, the warning about recipients without an address on *err*,
    in the order a reader of both (cron mail) should see them."""

    def line(text: str) -> None:
        out.write(safe(text, multiline=True) + "\n")

    for text in summary(done, lang):
        line(text)
    if done.mail_off:
        line(t("notify.mail_off", lang))
    elif done.dry:
        n = len(done.drafts)
        for i, m in enumerate(done.drafts, 1):
            line(t("notify.dry_header", lang, i=i, n=n))
            line(t("notify.dry_to", lang, to=str(m.headers["To"])))
            line(t("notify.dry_subject", lang, subject=str(m.headers["Subject"])))
            line("")
            line(m.text.rstrip("\n"))
    elif done.outbox is not None:
        line(t("notify.mails_outbox", lang, sent=done.sent, dir=str(done.outbox)))
    else:
        line(t("notify.mails", lang, due=len(done.mails), sent=done.sent))
    if done.robots is not None:
        for text in robot_report(done.robots, lang):
            line(text)
    warning = no_email(done, lang)
    if warning:
        err.write(safe(warning) + "\n")
    if done.estimated_years:
        from gaoxin_cli.calendar import year_spans

        line(t("calendar.estimated", lang, years=year_spans(done.estimated_years)))


def waiting(err: TextIO, msg: Msg, lang: Lang) -> None:
    """A progress line on *err* while an accepted mail waits for the store's write lock."""
    err.write(safe(msg.render(lang)) + "\n")
    err.flush()


def summary(done: NotifyReport, lang: Lang) -> list[str]:
    """What was filed (dry: would be), by kind; dry, how many mails would go."""
    from gaoxin_cli.rules.ladder import KINDS

    counts = Counter(n.kind for n in done.filed)
    sep = "、" if lang == "zh" else ", "
    listed = sep.join(f"{t(f'notice.short.{k}', lang)} {counts[k]}" for k in KINDS if counts[k])
    kinds = t("notify.kinds", lang, list=listed) if listed else ""
    key = "notify.filed_dry" if done.dry else "notify.filed"
    lines = [t(key, lang, date=done.today.isoformat(), n=len(done.filed), kinds=kinds)]
    if done.dry and not done.mail_off:
        lines.append(t("notify.mails_dry", lang, due=done.digests))
    return lines


def no_email(done: NotifyReport, lang: Lang) -> str | None:
    """The warning naming the recipients who have no address (None: everyone has one)."""
    if not done.unmailed:
        return None
    people: dict[str, None] = {}
    for _, p in done.unmailed:
        role = str(p.get("role") or "")
        label = t(f"notice.role.{role}", lang)
        people[t("notice.person", lang, name=str(p.get("name") or ""), role=label)] = None
    sep = "、" if lang == "zh" else ", "
    notices = len({n.number for n, _ in done.unmailed})
    return t("notify.no_email", lang, n=notices, who=sep.join(people))


def failure_lines(done: NotifyReport, lang: Lang) -> list[str]:
    """One line per undelivered mail (why the connection ended first, if it did)."""
    lines = [] if done.fatal is None else ["  " + done.fatal.render(lang)]
    lines += [
        t("notify.fail_line", lang, email=f.recipient, why=f.why.render(lang))
        for f in done.failures
    ]
    lines += [t("notify.unsent_line", lang, email=e) for e in done.unsent]
    lines += [
        t("notify.fail_line", lang, email=e, why=t("notify.bad_address", lang, email=e))
        for e in done.bad_addresses
    ]
    return lines


# --- group robots (service/channels.py) ------------------------------------------------


def robot_report(robots: ChannelReport, lang: Lang) -> list[str]:
    """The robots' summary line(s); in a dry run, each message as it would be posted."""
    lines: list[str] = []
    if robots.mode == "dry":
        lines.append(t("notify.robots_dry", lang, due=len(robots.posts), groups=robots.groups))
        n = len(robots.posts)
        for i, p in enumerate(robots.posts, 1):
            lines.append(t("notify.robot_dry_header", lang, i=i, n=n))
            c = p.channel
            lines.append(t("notify.robot_dry_to", lang, owner=c.owner, name=c.name, kind=p.kind))
            who = " ".join((*p.at_mobiles, *p.at_user_ids))
            if who:
                lines.append(t("notify.robot_dry_at", lang, who=who))
            lines.append("")
            lines.append(p.text.rstrip("\n"))
    elif robots.outbox is not None:
        lines.append(t("notify.robots_outbox", lang, sent=robots.sent, dir=str(robots.outbox)))
    else:
        due = len(robots.posts)
        lines.append(t("notify.robots", lang, due=due, groups=robots.groups, sent=robots.sent))
    if robots.waited_s:
        lines.append(t("notify.robots_waited", lang, seconds=f"{robots.waited_s:.1f}"))
    return lines


def robot_failure_lines(done: NotifyReport, lang: Lang) -> list[str]:
    """One line per robot message not delivered: the group, its notices, why."""
    if done.robots is None:
        return []
    sep = "、" if lang == "zh" else ", "
    return [
        t(
            "notify.robot_fail_line",
            lang,
            owner=p.channel.owner,
            name=p.channel.name,
            numbers=sep.join(p.numbers),
            why=why.render(lang),
        )
        for p, why in done.robots.failures
    ]
