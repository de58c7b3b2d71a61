"""Work-group robots (自定义机器人) of 钉钉 / 政务钉钉, 企业微信 and 飞书: the messages, the
signatures, the HTTP post and what each platform's answer means.

Pure up to :func:`deliver`: :func:`build` turns one group's notices into one or more
:class:`Post` values (split only where a platform's size limit requires it);
:func:`payload` is the JSON a platform takes, :func:`signed` adds the signature as the
platform documents it (timestamp + HMAC-SHA256), :func:`answer` reads the reply.
:func:`deliver` posts with httpx (imported there: start-up stays cheap), paces each
webhook below its documented rate and waits out a rate-limit answer instead of dropping
the message. A post counts as delivered only when the platform answered success
(``errcode: 0`` / ``code: 0``); the caller records it then (``accepted``).

User text (titles, reasons, names) is made inert before it reaches a message: markdown
and mention syntax (``[ ] ( ) * _ # ` ~ | < > @ !``) become their full-width forms,
which read the same to a person and mean nothing to the platform, and control
characters become spaces. Only gaoxin's own mentions (from gaoxin.yaml) are live.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from gaoxin_cli.i18n import Lang, Msg, t
from gaoxin_cli.models.notice import StoredNotice
from gaoxin_cli.notify.digest import clean, kind_name, org_name, reasons

if TYPE_CHECKING:
    import httpx

    from gaoxin_cli.models import Config
    from gaoxin_cli.models.records import Robot

Kind = Literal["dingtalk", "wecom", "feishu"]

# --- inert text ----------------------------------------------------------------------

# Markdown, mention and tag syntax of the three platforms, as full-width look-alikes.
_INERT = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "*": "＊",
        "_": "＿",
        "#": "＃",
        "`": "｀",
        "~": "～",
        "|": "｜",
        "<": "＜",
        ">": "＞",
        "@": "＠",
        "!": "！",
        "\\": "＼",
        "&": "＆",
    }
)


def inert(value: object) -> str:
    """*value* as one line of plain text no platform reads as markup, a link or a
    mention (``@all``, ``[x](…)``, ``<at id=all>``, ``<@user>`` all stay words)."""
    text = clean(value).translate(_INERT)
    return text.replace("://", "：//")  # no bare link either


# --- messages ------------------------------------------------------------------------

# Bytes of message text each platform takes (企业微信 markdown: 4096; 钉钉 and 飞书
# allow ~20,000): a day's notices beyond that go in further messages.
SIZE_LIMIT: dict[str, int] = {"dingtalk": 18_000, "wecom": 3_800, "feishu": 18_000}


@dataclass(frozen=True, slots=True)
class Channel:
    """One robot of one owner (a unit or a leader), as gaoxin.yaml names it."""

    key: str  # robot:unit:<id>:<name> or robot:leader:<id>:<name> (the delivery recipient)
    owner: str  # the unit's or leader's display name
    name: str
    robot: Robot


@dataclass(frozen=True, slots=True)
class Post:
    """One message to one robot (a part of the group's day when it had to be split)."""

    channel: Channel
    title: str
    text: str  # markdown, mentions included
    at_mobiles: tuple[str, ...]
    at_user_ids: tuple[str, ...]
    notice_ids: tuple[int, ...]  # empty in a dry run (drafts have no id)
    numbers: tuple[str, ...]  # the notices it carries, 督办〔2020〕12号 …
    part: int = 1
    parts: int = 1

    @property
    def kind(self) -> Kind:
        kind: Kind = self.channel.robot.kind
        return kind


@dataclass(frozen=True, slots=True)
class Mention:
    """Someone the notices address in this group, and how the group can @ them."""

    name: str
    mobile: str | None
    user_id: str | None


def _entry(config: Config, ns: Sequence[StoredNotice], today: date, lang: Lang) -> list[str]:
    """One task (or problem) as markdown lines: its notices today, highest rung first
    (rung and number), the task, lead unit, card reasons, reply deadline."""
    n = ns[0]
    body = n.body
    labels = []
    for x in ns:
        label = f"{kind_name(x.kind, lang)} {inert(x.number)}"
        if x.issued_on < today:
            label += t("robot.issued", lang, date=x.issued_on.isoformat())
        labels.append(label)
    head = ("、" if lang == "zh" else ", ").join(labels)
    card = int(body.get("card") or 0)
    if card:
        head += t("robot.card", lang, card=t(f"level.{min(card, 4)}", lang))
    lines = [f"**{head}**"]
    subject = body.get("task") or body.get("problem") or n.subject
    lines.append(t("robot.task", lang, task=inert(f"{subject} {body.get('title') or ''}")))
    lead = body.get("lead") or body.get("unit") or n.unit
    if lead:
        lines.append(t("robot.lead", lang, lead=inert(config.unit_name(str(lead)))))
    why = reasons(body, lang)
    if why:
        sep = "；" if lang == "zh" else "; "
        lines.append(t("robot.why", lang, why=inert(sep.join(why))))
    if n.response_due is not None:
        lines.append(t("robot.reply_by", lang, date=n.response_due.isoformat()))
    return [lines[0], *(f"- {x}" for x in lines[1:])]


def _line(config: Config, ns: Sequence[StoredNotice], lang: Lang, with_due: bool) -> str:
    """One task on one line: its notices, the task, the card (and the reply deadline)."""
    n = ns[0]
    body = n.body
    sep = "、" if lang == "zh" else ", "
    numbers = sep.join(inert(x.number) for x in ns)
    subject = body.get("task") or body.get("problem") or n.subject
    card = int(body.get("card") or 0)
    label = t("robot.card", lang, card=t(f"level.{min(card, 4)}", lang)) if card else ""
    task = inert(f"{subject} {body.get('title') or ''}")
    line = t("robot.line", lang, numbers=numbers, task=task, card=label)
    if with_due and n.response_due is not None:
        line += t("robot.line_due", lang, date=n.response_due.isoformat())
    return line


def _footer(config: Config, lang: Lang) -> str:
    """How to 签收: in the group, or with the office, who records it."""
    office = config.units.get(config.org.office)
    if office is None:
        return t("robot.sign_group", lang)
    p = office.contact
    phone = t("robot.phone", lang, phone=inert(p.phone)) if p.phone else ""
    office_name = inert(office.short or office.name)
    return t("robot.sign", lang, office=office_name, name=inert(p.name), phone=phone)


def build(
    config: Config,
    channel: Channel,
    notices: Sequence[StoredNotice],
    mentions: Iterable[Mention],
    today: date,
    lang: Lang = "zh",
) -> list[Post]:
    """The group's message(s) for *notices* (highest rung first), @-ing *mentions* and
    the robot's own ``at_mobiles`` / ``at_user_ids``."""
    robot = channel.robot
    kind: Kind = robot.kind
    subjects: dict[tuple[str, str], list[StoredNotice]] = {}
    for n in sorted(notices, key=lambda n: (-n.rung, n.issued_on, n.year, n.seq)):
        subjects.setdefault((n.subject_kind, n.subject), []).append(n)
    mobiles: dict[str, None] = dict.fromkeys(robot.at_mobiles)
    users: dict[str, None] = dict.fromkeys(robot.at_user_ids)
    if robot.mention:
        for m in mentions:
            if m.user_id:
                users[m.user_id] = None
            elif m.mobile:
                mobiles[m.mobile] = None
    tail = _mention_text(kind, tuple(mobiles), tuple(users))
    footer = _footer(config, lang)
    budget = SIZE_LIMIT[kind] - len((footer + tail).encode()) - 600
    entries: list[tuple[str, list[StoredNotice]]] = []
    sep, size = "\n\n", 0
    for ns in subjects.values():
        entries.append(("\n".join(_entry(config, ns, today, lang)), ns))
        size += len(entries[-1][0].encode()) + 2
        if size > budget:
            break
    compact = ""
    if size > budget:
        # A big day (the first run files a 交办单 for every open task): one line a task,
        # so the group gets a few messages, not dozens; the mail carries the details.
        # One reply deadline for all (the usual case) is said once, above the lines.
        dues = {n.response_due for ns in subjects.values() for n in ns}
        (one,) = dues if len(dues) == 1 else (None,)
        key = "robot.compact_due" if one is not None else "robot.compact"
        compact = t(key, lang, date=one.isoformat() if one is not None else "")
        entries = [(_line(config, ns, lang, one is None), ns) for ns in subjects.values()]
        sep = "\n"
    chunks: list[list[tuple[str, list[StoredNotice]]]] = [[]]
    size = 0
    for text, ns in entries:
        b = len(text.encode()) + len(sep)
        if chunks[-1] and size + b > budget:
            chunks.append([])
            size = 0
        chunks[-1].append((text, ns))
        size += b
    posts = []
    for i, chunk in enumerate(chunks, 1):
        carried = [n for _, ns in chunk for n in ns]
        title = _title(config, channel, len(carried), today, lang, i, len(chunks))
        head = f"### {title}" if kind != "feishu" else ""
        body = sep.join(text for text, _ in chunk)
        if compact:
            body = compact + "\n\n" + body
        text = "\n\n".join(p for p in (head, body, footer, tail) if p)
        posts.append(
            Post(
                channel,
                title,
                text,
                tuple(mobiles),
                tuple(users),
                tuple(n.id for n in carried if n.id is not None),
                tuple(n.number for n in carried),
                i,
                len(chunks),
            )
        )
    return posts


def _title(
    config: Config, channel: Channel, n: int, today: date, lang: Lang, part: int, parts: int
) -> str:
    keyword = channel.robot.keyword
    title = t("robot.title", lang, org=inert(org_name(config)), date=today.isoformat(), n=n)
    if parts > 1:
        title += t("robot.part", lang, part=part, parts=parts)
    if keyword and keyword not in title:
        title += f" · {keyword}"  # the robot's own keyword, from gaoxin.yaml: kept as is
    return title


def _mention_text(kind: Kind, mobiles: tuple[str, ...], users: tuple[str, ...]) -> str:
    """The mentions as each platform wants them in the text (钉钉 also lists them in
    ``at``; 企业微信 markdown and 飞书 cards @ by user id only)."""
    if kind == "dingtalk":
        return " ".join(f"@{x}" for x in (*mobiles, *users))
    if kind == "wecom":
        return " ".join(f"<@{u}>" for u in users)
    return " ".join(f"<at id={u}></at>" for u in users)


def payload(post: Post) -> dict[str, Any]:
    """The JSON body the platform takes (before signing)."""
    if post.kind == "dingtalk":
        return {
            "msgtype": "markdown",
            "markdown": {"title": post.title, "text": post.text},
            "at": {
                "atMobiles": list(post.at_mobiles),
                "atUserIds": list(post.at_user_ids),
                "isAtAll": False,
            },
        }
    if post.kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": post.text}}
    return {
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": post.title}},
            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": post.text}}],
        },
    }


# --- signing -------------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: base64(HMAC-SHA256(key=secret, "{timestamp}\\n{secret}")), ms timestamp."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书 签名校验: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", empty message)),
    timestamp in seconds."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed(post: Post, secret: str | None, now: float) -> tuple[str, dict[str, Any]]:
    """The URL and body to post at *now* (seconds since the epoch)."""
    url, body = post.channel.robot.webhook, payload(post)
    if not secret:
        return url, body
    if post.kind == "dingtalk":
        ts = int(now * 1000)
        query = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(secret, ts)})
        return f"{url}{'&' if '?' in url else '?'}{query}", body
    if post.kind == "feishu":
        ts = int(now)
        return url, {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **body}
    return url, body  # 企业微信: the key in the webhook is the only credential


def redacted(url: str) -> str:
    """*url* without its query (the access token) — for outbox files and messages."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if "/hook/" in path:  # 飞书 puts the token in the path
        path = path[: path.index("/hook/") + 6] + "…"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


# --- answers -------------------------------------------------------------------------

Verdict = Literal["ok", "rate", "fail"]

# The error codes each platform documents, as the words gaoxin reports.
_DINGTALK = {
    130101: "robot.err.rate",  # send too fast, exceed 20 times per minute
    410100: "robot.err.rate",  # 发送速度太快而限流
    300001: "robot.err.removed",  # token is not exist
    400101: "robot.err.removed",  # access_token 不存在
    400102: "robot.err.removed",  # 机器人已停用
    400013: "robot.err.removed",  # 群已被解散
}
_WECOM = {
    45009: "robot.err.rate",  # api freq out of limit
    93000: "robot.err.removed",  # invalid webhook url
    93004: "robot.err.removed",  # webhook url disabled
    40008: "robot.err.format",  # invalid message type
    40058: "robot.err.format",  # invalid parameter
}
_FEISHU = {
    19021: "robot.err.sign",  # sign match fail or timestamp is not within one hour
    19022: "robot.err.ip",  # ip not allowed
    19024: "robot.err.keyword",  # key words not found
    19001: "robot.err.removed",  # incoming webhook access token invalid
    11232: "robot.err.rate",  # frequency limited
    9499: "robot.err.format",  # bad request
}


def answer(kind: Kind, status: int, doc: Any) -> tuple[Verdict, Msg | None]:
    """What a platform's reply means: success, rate-limited (wait and send again) or a
    failure in words."""
    if status == 429:
        return "rate", Msg("robot.err.rate")
    raw = None
    if isinstance(doc, dict):
        raw = doc.get("errcode", doc.get("code", doc.get("StatusCode")))
    if not isinstance(raw, int) or isinstance(raw, bool) or (raw == 0 and status >= 300):
        bad = "robot.err.http" if status >= 300 else "robot.err.reply"
        return "fail", Msg(bad, status=status)
    assert isinstance(doc, dict)
    msg = clean(doc.get("errmsg", doc.get("msg", doc.get("StatusMessage", ""))))[:200]
    if raw == 0:
        return "ok", None
    key: str | None
    if kind == "dingtalk" and raw == 310000:
        low = msg.lower()
        key = (
            "robot.err.sign"
            if "sign" in low or "timestamp" in low
            else "robot.err.keyword"
            if "keyword" in low
            else "robot.err.ip"
            if "ip" in low.split() or "whitelist" in low
            else "robot.err.security"
        )
    else:
        key = {"dingtalk": _DINGTALK, "wecom": _WECOM, "feishu": _FEISHU}[kind].get(raw)
    if key == "robot.err.rate":
        return "rate", Msg(key, code=raw, msg=msg)
    return "fail", Msg(key or "robot.err.other", code=raw, msg=msg)


# --- posting -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """Messages per window and robot (钉钉 and 企业微信: 20 a minute; 飞书: 5 a second),
    and how often a rate-limited message is sent again after waiting a window."""

    per_window: Mapping[str, tuple[int, float]] = field(
        default_factory=lambda: {"dingtalk": (20, 60.0), "wecom": (20, 60.0), "feishu": (5, 1.0)}
    )
    retries: int = 3


@dataclass(slots=True)
class Result:
    sent: list[Post] = field(default_factory=list)
    failed: list[tuple[Post, Msg]] = field(default_factory=list)
    waited_s: float = 0.0  # spent waiting for rate limits (paced or answered)


class _Pacer:
    """A sliding window of send times per webhook."""

    def __init__(self, limits: Limits, sleep: Callable[[float], None]) -> None:
        self.limits = limits
        self.sleep = sleep
        self.sent: dict[str, deque[float]] = {}
        self.waited = 0.0

    def _window(self, post: Post) -> tuple[int, float]:
        return self.limits.per_window.get(post.kind, (20, 60.0))

    def before(self, post: Post) -> None:
        n, span = self._window(post)
        times = self.sent.setdefault(post.channel.robot.webhook, deque())
        now = time.monotonic()
        while times and now - times[0] >= span:
            times.popleft()
        if len(times) >= n:
            self.wait(span - (now - times[0]))
            times.popleft()
        times.append(time.monotonic())

    def backoff(self, post: Post) -> None:
        """The platform said "too fast": wait a whole window."""
        self.wait(self._window(post)[1])

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.sleep(seconds)
            self.waited += seconds


def deliver(
    posts: Sequence[Post],
    secrets: Mapping[str, str],
    accepted: Callable[[Post], object],
    still_due: Callable[[Post], bool],
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    limits: Limits | None = None,
    client: httpx.Client | None = None,
) -> Result:
    """Post each of *posts*; *accepted* is called right after the platform answered
    success. A channel whose post failed gets no further part this run (the next run
    sends what is left). *secrets*: the signing secret by environment variable name."""
    import httpx

    result = Result()
    pacer = _Pacer(limits or Limits(), sleep)
    broken: dict[str, Msg] = {}
    own = client is None
    # Certificates are loaded only when a webhook needs them: the CA bundle costs about
    # 0.1 s, and a run posting only to plain-http webhooks (allow_http, an intranet
    # relay) makes no TLS connection at all (redirects are not followed).
    tls = not all(p.channel.robot.webhook.lower().startswith("http://") for p in posts)
    http = client if client is not None else httpx.Client(follow_redirects=False, verify=tls)
    try:
        for post in posts:
            robot = post.channel.robot
            if post.channel.key in broken:
                result.failed.append((post, broken[post.channel.key]))
                continue
            secret = secrets.get(robot.secret_env) if robot.secret_env else None
            if robot.secret_env and not secret:
                why = Msg("robot.err.no_secret", env=robot.secret_env)
                broken[post.channel.key] = why
                result.failed.append((post, why))
                continue
            if robot.webhook.startswith("http://") and not robot.allow_http:
                why = Msg("robot.err.plain_http")
                broken[post.channel.key] = why
                result.failed.append((post, why))
                continue
            if not still_due(post):
                continue  # another run posted it meanwhile
            refused = _post(http, post, secret, clock, pacer, (limits or Limits()).retries)
            if refused is None:
                accepted(post)
                result.sent.append(post)
            else:
                broken[post.channel.key] = refused
                result.failed.append((post, refused))
    finally:
        if own:
            http.close()
    result.waited_s = pacer.waited
    return result


def _post(
    http: httpx.Client,
    post: Post,
    secret: str | None,
    clock: Callable[[], float],
    pacer: _Pacer,
    retries: int,
) -> Msg | None:
    """Post once (again after a rate-limit answer, up to *retries* times); None on
    success, else why not."""
    import httpx

    timeout = post.channel.robot.timeout_s
    for attempt in range(retries + 1):
        pacer.before(post)
        url, body = signed(post, secret, clock())  # signed afresh: the timestamp is checked
        try:
            r = http.post(url, json=body, timeout=timeout)
        except httpx.TimeoutException:
            return Msg("robot.err.timeout", seconds=f"{timeout:g}")
        except httpx.TransportError as exc:
            return Msg("robot.err.connect", reason=clean(exc) or type(exc).__name__)
        try:
            doc: Any = r.json()
        except ValueError:
            doc = None
        verdict, why = answer(post.kind, r.status_code, doc)
        if verdict == "ok":
            return None
        if verdict == "rate" and attempt < retries:
            pacer.backoff(post)
            continue
        return why
    return Msg("robot.err.rate")
