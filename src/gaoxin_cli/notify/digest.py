"""One digest per recipient: every notice that is theirs today, as plain text and HTML.

Pure: notices (as filed), the config and the day in; strings out. User text (titles,
names, reasons) only ever lands in a body — escaped for HTML, control characters
replaced — never in a header; :mod:`~gaoxin_cli.notify.message` builds the headers.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import compress
from itertools import repeat as _repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any, NamedTuple

from gaoxin_cli.calendar import year_spans
from gaoxin_cli.i18n import Lang, Msg, has, t
from gaoxin_cli.models import Config
from gaoxin_cli.models.notice import StoredNotice
from gaoxin_cli.models.state import Level
from gaoxin_cli.rules.ladder import KINDS
from gaoxin_cli.rules.notice_record import stored_reasons
from gaoxin_cli.strings import CONTROL


def clean(value: object) -> str:
    """One line of text with every control character (CR and LF included) made a space."""
    text = value if type(value) is str else str(value)
    # Printable text holds no control character and no space but " ": already one line
    # unless spaces run together or stand at either end (most titles and names).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _clean(text)


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    # Cached: a run cleans the same unit names, titles and numbers again and again (a
    # task is in the digest of its lead, its supporters and their heads, and in their
    # groups' robot messages): about 180,000 calls, 20,000 distinct strings, on the
    # bench's first notify of 10,000 tasks.
    return " ".join(CONTROL.sub(" ", text).split())


class Item(NamedTuple):
    """One notice in a digest. (Named tuples: a first run of 100,000 tasks makes 157,000
    items and 84,000 entries, each a third of a frozen dataclass's time.)"""

    notice: StoredNotice
    repeat: bool = False  # mailed before: a repeated reminder
    role: str = ""  # the recipient's role on this notice (contact, support, head …)


class Entry(NamedTuple):
    """One task in a digest, with the notices about it (highest rung first)."""

    task: str
    items: tuple[Item, ...]
    card: int  # the card the notices recorded (the highest)

    @property
    def top(self) -> StoredNotice:
        return self.items[0].notice

    @property
    def support(self) -> bool:
        """The recipient has this task only as a support (配合) unit's contact."""
        items = self.items
        if len(items) == 1:
            return items[0].role == "support"
        return all(i.role == "support" for i in items)


_entry = partial(tuple.__new__, Entry)  # Entry(...) without its Python __new__
_item = partial(tuple.__new__, Item)  # Item(...) likewise
_LAST = itemgetter(-1)
_NOTICE_ID = attrgetter("notice.id")

_ROLE_ORDER = ("contact", "head", "office_contact", "office_head", "leader", "supervisor")


@dataclass(slots=True)
class Digest:
    """Everything one address gets today."""

    email: str  # lower-case address (the delivery key)
    name: str
    role: str
    unit: str | None
    items: list[Item] = field(default_factory=list)
    _entries: list[Entry] | None = None
    _ids: tuple[int, ...] | None = None
    _ids_of: int = -1  # how many items _ids was made from

    @property
    def notice_ids(self) -> tuple[int, ...]:
        """The ids of its notices (drafts have none), in item order: made once for the
        items there are (asked for when the mail is planned and again when it is built;
        a city's first run has 157,000 items)."""
        items = self.items
        if self._ids is None or self._ids_of != len(items):
            ids = list(map(_NOTICE_ID, items))
            self._ids = tuple(compress(ids, map(is_not, ids, _repeat(None))))
            self._ids_of = len(items)
        return self._ids

    def entries(self) -> list[Entry]:
        """Per task, most severe first: highest rung, then card, then task id."""
        if self._entries is None:
            tasks: dict[str, list[Item]] = {}
            for i in self.items:
                found = tasks.get(i.notice.subject)
                if found is None:
                    tasks[i.notice.subject] = [i]
                else:
                    found.append(i)
            # Sorted as (-rung, -card, task, entry): the task ids differ, so the entries
            # themselves are never compared, and no key function runs per entry.
            ranked = []
            for k, v in tasks.items():
                if len(v) == 1:  # most tasks: one notice today
                    top = v[0].notice
                    card = _card(top)
                    ranked.append((-top.rung, -card, k, _entry((k, (v[0],), card))))
                    continue
                v.sort(key=lambda i: (-i.notice.rung, i.notice.issued_on))
                card = max(_card(i.notice) for i in v)
                ranked.append((-v[0].notice.rung, -card, k, _entry((k, tuple(v), card))))
            ranked.sort()
            self._entries = list(map(_LAST, ranked))
        return self._entries

    @property
    def red(self) -> int:
        """Tasks carrying a red card (or worse) when their notice was issued."""
        return sum(e.card >= Level.RED for e in self.entries())


def _card(n: StoredNotice) -> int:
    try:
        return int(n.body.get("card") or 0)
    except (TypeError, ValueError):
        return 0


def _role_rank(role: str) -> int:
    return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)


def group(pairs: Iterable[tuple[StoredNotice, Mapping[str, Any], bool]]) -> list[Digest]:
    """Digests from ``(notice, recipient, repeat)`` triples: one per address (in address
    order), greeting the person in their main role (contact before head before …)."""
    out: dict[str, Digest] = {}
    seen: set[tuple[str, str]] = set()
    # A recipient list is shared by the notices that have it (store/notices.py): each
    # person's address and role read once, by identity (the list holds every person
    # until the end, so no id is reused meanwhile).
    pairs = pairs if isinstance(pairs, list) else list(pairs)
    people: dict[int, tuple[str, str]] = {}
    for notice, person, repeat in pairs:
        known = people.get(id(person))
        if known is None:
            email = str(person.get("email") or "").strip().lower()
            known = people[id(person)] = (email, str(person.get("role") or ""))
        email, role = known
        if not email:
            continue
        d = out.get(email)
        if d is None:
            d = out[email] = Digest(
                email, clean(person.get("name") or email), role, person.get("unit")
            )
        elif role != d.role and _role_rank(role) < _role_rank(d.role):
            d.role, d.unit = role, person.get("unit")
        key = (email, notice.number)
        if key not in seen:
            seen.add(key)
            d.items.append(_item((notice, repeat, role)))
    return [out[k] for k in sorted(out)]


# --- words -----------------------------------------------------------------------------


def _id(value: object) -> str | None:
    """An id read back from a stored notice body (any JSON value) as text."""
    return str(value) if value else None


def who(config: Config, person: Mapping[str, Any], lang: Lang) -> str:
    """ "赵联络（建设局 联络员）"."""
    role = str(person.get("role") or "")
    label = t(f"notice.role.{role}", lang) if has(f"notice.role.{role}") else role
    unit = person.get("unit")
    where = f"{clean(config.unit_name(_id(unit)))} {label}" if unit else label
    return t("notice.person", lang, name=clean(person.get("name") or ""), role=where)


def reasons(body: Mapping[str, Any], lang: Lang) -> list[str]:
    """The card reasons a notice recorded, in words (one line each)."""
    try:
        # The usual reason, {"key": str, "params": {name: value}}, worded once a run: a
        # city's first run words 37,000 notices' reasons, a few hundred distinct ones.
        return [_reason(lang, *_plain_reason(r)) for r in body.get("reasons") or ()]
    except (TypeError, KeyError, AttributeError):  # anything else: message by message
        return [_said(m, lang) for m in stored_reasons(body)]


def _plain_reason(r: Any) -> tuple[str, tuple[tuple[str, Any], ...], tuple[type, ...]]:
    """A reason's key, its parameters and their types (``1`` is not ``1.0``: both hash
    alike), all hashable; TypeError or KeyError for any other shape."""
    key, params = r["key"], r["params"]
    if type(key) is not str or type(params) is not dict:
        raise TypeError(key)
    return key, tuple(params.items()), tuple(map(type, params.values()))


@lru_cache(maxsize=4096)
def _reason(
    lang: Lang, key: str, params: tuple[tuple[str, Any], ...], _types: tuple[type, ...]
) -> str:
    return _said(Msg(key, **dict(params)), lang)


def _said(m: Msg, lang: Lang) -> str:
    try:
        return clean(m.render(lang)) if has(m.key) else clean(m.key)
    except (KeyError, IndexError, ValueError):
        return clean(m.key)


def kind_name(kind: str, lang: Lang) -> str:
    return t(f"notice.kind.{kind}", lang) if has(f"notice.kind.{kind}") else kind


def org_name(config: Config) -> str:
    return clean(config.org.short or config.org.name)


def kind_counts(d: Digest) -> list[tuple[str, int]]:
    """Tasks per kind of their highest notice, highest kind first (kinds with none left
    out)."""
    counts = dict.fromkeys(KINDS, 0)
    for e in d.entries():
        counts[e.top.kind] = counts.get(e.top.kind, 0) + 1
    order = [*reversed(KINDS), *sorted(k for k in counts if k not in KINDS)]
    return [(k, counts[k]) for k in order if counts[k]]


def subject(config: Config, today: date, d: Digest, lang: Lang = "zh") -> str:
    """【督查督办】高新区 2020-06-24：通报 1 · 督办 2 · 催办 1（共 4 项，红牌 1）: the
    kinds (each task counted once, by its highest notice), the tasks, the red cards."""
    red = d.red
    key = "notify.subject_red" if red else "notify.subject"
    n = len(d.entries())
    kinds = " · ".join(f"{short_name(k, lang)} {c}" for k, c in kind_counts(d))
    total = t("notify.subject_total_one", lang) if n == 1 else t("notify.subject_total", lang, n=n)
    return clean(
        t(
            key,
            lang,
            org=org_name(config),
            date=today.isoformat(),
            kinds=kinds,
            total=total,
            red=red,
        )
    )


def short_name(kind: str, lang: Lang) -> str:
    return t(f"notice.short.{kind}", lang) if has(f"notice.short.{kind}") else clean(kind)


@dataclass(frozen=True, slots=True)
class EntryText:
    task: str  # JC-01 济宁大道东延建成通车 · 红牌
    notices: str  # 督办单 督办〔2020〕3号、交办单 交办〔2020〕1号
    lines: tuple[str, ...]  # 牵头单位 … / 现状 … / 请于 … 前反馈
    card: int
    text: str  # the entry as plain text (after its number), every line indented
    html: str  # the entry as an HTML paragraph


class EntryCache:
    """The same task and notices go to several people (contact, head, leader, office …):
    each entry is worded once per run. Key: the notices with their repeat flags, the
    day, the language and whether the recipient is a support unit's (配合单位) contact;
    kept: the entry's plain text and HTML.

    Made with the run's *digests* (all of them, in the order they are worded), an entry
    is kept only while a digest still to come needs it: on a 100,000-task first run two
    entries in three go to one person only, and the ones that are shared are let go
    after their last use (the whole run's words are ~80 MB). Without, all are kept."""

    __slots__ = ("_counted", "_lang", "_today", "left", "words")

    def __init__(
        self, digests: Iterable[Digest] | None = None, today: date | None = None, lang: Lang = "zh"
    ) -> None:
        self.words: dict[tuple[object, ...], tuple[str, str]] = {}
        self.left: dict[tuple[object, ...], int] | None = None
        self._today, self._lang = today, lang
        # Each counted entry with its key, by the entry's id: the key is made once, not
        # again when the entry is worded (the entry is held, so its id stays its own).
        self._counted: dict[int, tuple[Entry, tuple[object, ...]]] = {}
        if digests is not None and today is not None:
            entries = [e for d in digests for e in d.entries()]
            keys = [_key(e, today, lang) for e in entries]
            self.left = Counter(keys)
            self._counted = dict(
                zip(map(id, entries), zip(entries, keys, strict=True), strict=True)
            )

    def __len__(self) -> int:
        return len(self.words)

    def key_of(self, entry: Entry, today: date, lang: Lang) -> tuple[object, ...]:
        """The cache's key of *entry* worded on *today* in *lang*."""
        found = self._counted.get(id(entry))
        if found is not None and found[0] is entry and today == self._today and lang == self._lang:
            return found[1]
        return _key(entry, today, lang)

    def words_of(
        self, key: tuple[object, ...], make: Callable[[], tuple[str, str]]
    ) -> tuple[str, str]:
        found = self.words.get(key)
        if found is None:
            found = make()
        left = self.left
        if left is None:
            self.words[key] = found
            return found
        n = left.get(key, 0) - 1
        if n > 0:
            left[key] = n
            self.words[key] = found
        else:  # its last use (or one not counted): not kept
            left.pop(key, None)
            self.words.pop(key, None)
        return found


def _notice_label(item: Item, today: date, lang: Lang) -> str:
    n = item.notice
    label = f"{_kind_name(n.kind, lang)} {clean(n.number)}"
    if item.repeat:
        label += _issued(True, n.issued_on, lang)
    elif n.issued_on < today:
        label += _issued(False, n.issued_on, lang)
    return label


# The words an entry is made of repeat across entries (a unit's name and a due date, the
# reply deadline, a card): each is worded once and remembered (pure functions of their
# arguments; a first run of 100,000 tasks words 84,000 entries).


@lru_cache(maxsize=256)
def _kind_name(kind: str, lang: Lang) -> str:
    return kind_name(kind, lang)


@lru_cache(maxsize=4096)
def _issued(repeat: bool, issued_on: date, lang: Lang) -> str:
    key = "notify.repeat" if repeat else "notify.belated"
    return t(key, lang, date=issued_on.isoformat())


@lru_cache(maxsize=64)
def _level(card: int, lang: Lang) -> str:
    return f" · {t(f'level.{card}', lang)}"


@lru_cache(maxsize=1 << 14)
def _lead_due(lead: str, due: str, planned: str, lang: Lang) -> str:
    due_text = due if due == planned else t("notify.due_extended", lang, due=due, planned=planned)
    return t("notify.lead_due", lang, lead=lead, due=clean(due_text))


@lru_cache(maxsize=1024)
def _support(lead: str, lang: Lang) -> str:
    return t("notify.support", lang, lead=lead)


@lru_cache(maxsize=4096)
def _answer(assign: bool, response_due: date, lang: Lang) -> str:
    key = "notify.answer_assign" if assign else "notify.answer"
    return t(key, lang, date=response_due.isoformat())


_escape = html.escape
_BREAK = "\n   "  # between an entry's parts in its plain text


def entry_text(config: Config, entry: Entry, today: date, lang: Lang) -> EntryText:
    task, notices, lines, text, page = _entry_parts(config, entry, today, lang, entry.support)
    return EntryText(task, notices, tuple(lines), entry.card, text, page)


def _words(
    config: Config, entry: Entry, today: date, lang: Lang, cache: EntryCache | None
) -> tuple[str, str]:
    """The entry's plain text and HTML, worded once per *cache*."""

    def make() -> tuple[str, str]:
        parts = _entry_parts(config, entry, today, lang, entry.support)
        return parts[3], parts[4]

    if cache is None:
        return make()
    return cache.words_of(cache.key_of(entry, today, lang), make)


def _key(entry: Entry, today: date, lang: Lang) -> tuple[object, ...]:
    items = entry.items
    if len(items) == 1:  # (entry.support, written out: most entries)
        one = items[0]
        return (lang, today, one.role == "support", one.notice.number, one.repeat)
    return (lang, today, entry.support, *((i.notice.number, i.repeat) for i in items))


def _is_problem(n: StoredNotice) -> bool:
    return n.subject_kind == "problem" or n.body.get("subject_kind") == "problem"


def _problem_lines(config: Config, top: StoredNotice, lang: Lang) -> tuple[str, list[str]]:
    """A late problem's heading and lines: number and text, whose move and the stage
    deadline missed, the card reasons."""
    body = top.body
    sep = "；" if lang == "zh" else "; "
    head = clean(f"{body.get('problem') or top.subject} {body.get('title') or ''}")
    stage_key = f"pstage.{body.get('stage')}"
    stage = t(stage_key, lang) if has(stage_key) else ""
    due = clean(body.get("due") or "")
    try:
        late = int(body.get("late_wd") or 0)
    except (TypeError, ValueError):
        late = 0
    unit = clean(config.unit_name(_id(body.get("unit") or top.unit)))
    lines = [
        t("notify.problem_due", lang, unit=unit, stage=stage, due=due)
        + (t("notify.problem_late", lang, wd=late) if late > 0 else "")
    ]
    text = clean(body.get("text") or "")
    if text and text != clean(body.get("title") or ""):
        lines.append(t("notify.problem_text", lang, text=text))
    if body.get("task"):
        lines.append(t("notify.problem_task", lang, task=clean(body["task"])))
    why = reasons(body, lang)
    if why:
        lines.append(t("notify.why", lang, why=sep.join(why)))
    return head, lines


def _entry_parts(
    config: Config, entry: Entry, today: date, lang: Lang, support: bool
) -> tuple[str, str, list[str], str, str]:
    """The entry's heading, notices and lines, and its plain text and HTML."""
    items = entry.items
    top = items[0].notice
    body = top.body
    sep = "；" if lang == "zh" else "; "
    lines: list[str]
    problem = _is_problem(top)
    if problem:
        task, lines = _problem_lines(config, top, lang)
        task = t("notify.problem_head", lang, what=task)
    else:
        task = clean(f"{body.get('task') or top.subject} {body.get('title') or ''}")
    if entry.card:
        task += _level(min(entry.card, 4), lang)
    if len(items) == 1:
        notices = _notice_label(items[0], today, lang)
        assign = top.kind == "assign"
    else:
        notices = ("、" if lang == "zh" else ", ").join(
            _notice_label(i, today, lang) for i in items
        )
        assign = any(i.notice.kind == "assign" for i in items)
    if not problem:
        due = str(body.get("due") or "")
        planned = str(body.get("planned_due") or due)
        lead = clean(config.unit_name(_id(body.get("lead"))))
        lines = [_lead_due(lead, due, planned, lang)]
        if support:
            lines.append(_support(lead, lang))
        if top.kind != "assign":  # a 交办单 states no situation
            why = reasons(body, lang)
            if why:
                lines.append(t("notify.why", lang, why=sep.join(why)))
        if assign:
            measures = [clean(m) for m in body.get("measures") or []]
            if measures:
                lines.append(t("notify.measures", lang, measures=sep.join(measures)))
    if top.response_due is not None:
        lines.append(_answer(top.kind == "assign", top.response_due, lang))
    text = _BREAK.join([task, notices, *lines])
    return task, notices, lines, text, _page(entry.card, task, notices, lines, text)


def _page(card: int, task: str, notices: str, lines: list[str], text: str) -> str:
    """The entry as an HTML paragraph: the heading in bold, then the notices and each
    line. *text* is the parts joined by :data:`_BREAK`: when no part holds a line
    break, it is escaped at once (one call instead of one a part) and cut back apart."""
    level = min(max(card, 0), 4)
    if text.count("\n") == len(lines) + 1:
        head, _, rest = _escape(text).partition(_BREAK)
        if not lines:
            rest += _BREAK
        return f'<p class="c{level}"><b>{head}</b><br>{rest.replace(_BREAK, "<br>")}</p>'
    e = _escape
    return (
        f'<p class="c{level}"><b>{e(task)}</b><br>{e(notices)}<br>'
        + "<br>".join([e(x) for x in lines])
        + "</p>"
    )


def estimated_years(d: Digest) -> list[int]:
    """Years whose working days the digest's notices counted on an estimate."""
    years: set[int] = set()
    for i in d.items:
        for y in i.notice.body.get("calendar_estimated") or ():
            if isinstance(y, int):
                years.add(y)
    return sorted(years)


def reply_to(config: Config) -> tuple[str, str] | None:
    """Whom a reply reaches: the office's contact, else its head (name, address); None
    when neither has an address."""
    office = config.units.get(config.org.office)
    if office is None:
        return None
    for p in (office.contact, office.head):
        if p.email:
            return clean(p.name), p.email
    return None


def _footer(config: Config, lang: Lang, estimated: list[int] | None = None) -> list[str]:
    """The office, and how to answer: reply (Reply-To is the office) or call its contact.
    Recipients have no gaoxin: nothing here asks them to run it."""
    office = config.units.get(config.org.office)
    lines: list[str] = []
    if estimated:
        lines.append(t("calendar.estimated_mail", lang, years=year_spans(estimated)))
    lines.append(clean(f"{config.org.name} {office.name if office else ''}"))
    if office is not None:
        c = office.contact
        phone = clean(c.phone or "")
        key = "notify.reply" if reply_to(config) else "notify.reply_no_mail"
        lines.append(
            t(
                key,
                lang,
                office=clean(office.name),
                name=clean(c.name),
                phone=t("notify.reply_phone", lang, phone=phone) if phone else "",
            )
        )
        how = "notify.sign_howto" if reply_to(config) else "notify.sign_howto_no_mail"
        lines.append(t(how, lang, office=clean(office.name)))  # how to 签收
    lines.append(t("notify.auto", lang))
    return lines


@dataclass(frozen=True, slots=True)
class Bodies:
    subject: str
    text: str
    html: str


def bodies(
    config: Config, today: date, d: Digest, lang: Lang = "zh", cache: EntryCache | None = None
) -> Bodies:
    """The subject, the plain text and the HTML of a digest (each entry worded once;
    pass one *cache* for all digests of a run)."""
    entries = d.entries()
    texts = [_words(config, entry, today, lang, cache) for entry in entries]
    greeting = t(
        "notify.greeting",
        lang,
        who=who(config, {"name": d.name, "role": d.role, "unit": d.unit}, lang),
    )
    intro = t(
        "notify.intro",
        lang,
        date=today.isoformat(),
        weekday=t(f"weekday.{today.weekday()}", lang),
        n=len(entries),
    )
    footer = _footer(config, lang, estimated_years(d))
    title = subject(config, today, d, lang)
    return Bodies(
        title,
        _text(greeting, intro, texts, footer),
        _html(title, greeting, intro, texts, footer, lang),
    )


def text_body(config: Config, today: date, d: Digest, lang: Lang = "zh") -> str:
    return bodies(config, today, d, lang).text


def html_body(config: Config, today: date, d: Digest, lang: Lang = "zh") -> str:
    return bodies(config, today, d, lang).html


def _text(greeting: str, intro: str, texts: list[tuple[str, str]], footer: list[str]) -> str:
    out = [greeting, "", intro]
    for i, (text, _) in enumerate(texts, 1):
        out += ["", f"{i}. {text}"]
    out += ["", "——", *footer]
    return "\n".join(out) + "\n"


_COLOURS = ("#555555", "#1f5fbf", "#b8860b", "#c62828", "#6a1b1b")
_STYLE = (
    "body{margin:0;padding:12px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',"
    "sans-serif;font-size:16px;line-height:1.6;color:#222;max-width:640px}"
    "p.c0,p.c1,p.c2,p.c3,p.c4{border-left:4px solid;padding:4px 10px;margin:14px 0}"
    + "".join(f"p.c{i}{{border-color:{c}}}p.c{i} b{{color:{c}}}" for i, c in enumerate(_COLOURS))
    + "p.f{color:#666;font-size:14px;margin:4px 0}"
)


def _html(
    title: str,
    greeting: str,
    intro: str,
    texts: list[tuple[str, str]],
    footer: list[str],
    lang: Lang,
) -> str:
    """A narrow, single-column page that reads well in a phone's mail app."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<p>{e(greeting)}</p>",
        f"<p>{e(intro)}</p>",
        *(html for _, html in texts),
        '<hr style="border:none;border-top:1px solid #ddd">',
        *(f'<p class="f">{e(x)}</p>' for x in footer),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
