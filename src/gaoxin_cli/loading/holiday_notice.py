"""Reading the State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知). Pure.

chinesecalendar stops at the last year it ships; when the next notice is published the
office pastes its text and ``gaoxin calendar add --notice FILE`` turns it into
``calendar/YYYY.yaml``. This module is that reader: text in, rest and make-up working
days out, and the YAML to keep. One reader, one module: its sentence patterns depend on
each other and read best in order.

It reads the phrasings used since 2008 (``一、元旦：1月1日放假，与周末连休。``,
``M月D日（周三）至D日（周五）放假调休，共N天。``, ``M月D日（星期一）补休``,
``M月D日（星期日）、M月D日（星期六）上班``, explicit years such as ``2011年12月31日``) and
nothing else: every sentence of an item, and every dated sentence after the opening
paragraph, must be read completely, or :class:`NoticeError` names its line. It never
guesses. Sentences that begin with 鼓励 (2024's "鼓励各单位……安排职工在除夕（2月9日）休息")
are advice, not rest days, and are skipped.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Msg, t

HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
FIRST_YEAR, LAST_YEAR = 1950, 2199  # a notice year outside this is a typo


class Holiday(NamedTuple):
    """One item of the notice, e.g. ``二、春节：…``."""

    name: str  # as written: 元旦, 春节, 中秋节、国庆节
    rest: tuple[date, ...]  # every day of the stated rest ranges and 补休 days, sorted
    work: tuple[date, ...]  # the 上班 days, sorted
    line: int  # 1-based line of the text where the holiday is stated


class HolidayNotice(NamedTuple):
    year: int
    holidays: tuple[Holiday, ...]

    @property
    def rest(self) -> tuple[date, ...]:
        return tuple(sorted({d for h in self.holidays for d in h.rest}))

    @property
    def work(self) -> tuple[date, ...]:
        return tuple(sorted({d for h in self.holidays for d in h.work}))

    def is_workday(self, day: date) -> bool:
        """A 上班 day works, a rest day does not, any other day works Monday to Friday."""
        for h in self.holidays:
            if day in h.work:
                return True
        for h in self.holidays:
            if day in h.rest:
                return False
        return day.weekday() < 5


class NoticeError(GaoxinError):
    """A notice text that cannot be read completely (exit 1). Nothing is written."""

    def __init__(
        self, key: str, /, *, line: int, text: str, hint: Msg | None = None, **params: object
    ) -> None:
        super().__init__(key, hint=hint, line=line, text=text, **params)
        self.line = line
        self.text = text


# --- normalising the pasted text ------------------------------------------------------

_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_PUNCT = {ord("("): "（", ord(")"): "）", ord(":"): "：", ord(","): "，", ord(";"): "；"}
_TRANSLATE = {**_DIGITS, **_PUNCT, ord("．"): ".", ord("｡"): "。"}


def _clean(s: str) -> str:
    """*s* without whitespace (NBSP and the ideographic space included), control and
    format characters, with ASCII digits and full-width punctuation."""
    s = s.translate(_TRANSLATE)
    return "".join(ch for ch in s if not ch.isspace() and unicodedata.category(ch)[0] != "C")


def _comment_text(s: str) -> str:
    """*s* made safe for a one-line YAML comment: line breaks become spaces; control and
    format characters (escape sequences, bidi overrides) are dropped."""
    kept = (
        " " if ch.isspace() else ch
        for ch in s
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    return " ".join("".join(kept).split())


# --- the grammar ------------------------------------------------------------------------

_NAME = "|".join(HOLIDAY_NAMES)
_NAMES = rf"(?:{_NAME})(?:[、和与及](?:{_NAME}))*"
_CN_NUM = "一二三四五六七八九十"
_HEADING = re.compile(rf"(?:[{_CN_NUM}]+、|[0-9]{{1,2}}[、.])?(?P<name>{_NAMES})：")
_NUMBERED = re.compile(rf"[{_CN_NUM}]+、")
# A heading may follow another sentence on the same line (text pasted as one paragraph).
_HEADING_SPLIT = re.compile(rf"(?<![{_CN_NUM}])(?=[{_CN_NUM}]+、{_NAMES}：)")
_SENTENCE_END = re.compile(r"[。；]")
_HAS_DATE = re.compile(r"[0-9]+[月日]")
_TITLE = re.compile(r"关于([0-9]{1,6})年部分节假日安排的通知")
_OPENING = re.compile(r"现将([0-9]{1,6})年[^。]{0,80}?通知如下")
_SIGNATURE = re.compile(r"(?:国务院办公厅)?[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日")
_DATELINE = re.compile(r"新华社[^。]{0,12}?[0-9]{1,2}月[0-9]{1,2}日电")
_DATE = re.compile(
    r"(?:(?P<y>[0-9]{1,4})年)?(?:(?P<m>[0-9]{1,2})月)?(?P<d>[0-9]{1,2})日(?:（(?P<note>[^（）]*)）)?"
)
_RANGE_SEP = re.compile(r"至|—|–|-|~|～")
_REST = re.compile(r"(?:放假调休|放假公休|放假|补休)(?:(?P<n>[0-9]{1,3})天)?")
_WORK = "上班"
_COUNT = re.compile(r"共(?P<n>[0-9]{1,3})天")
_NO_EFFECT = ("与周末连休", "不调休")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


class _Sentence(NamedTuple):
    line: int
    text: str  # cleaned; what an error quotes


class _Item:
    """A holiday being read: its rest days, its 上班 days and the counts it states."""

    def __init__(self, name: str, line: int, text: str) -> None:
        self.name = name
        self.line = line
        self.text = text
        self.rest: set[date] = set()
        self.work: dict[date, _Sentence] = {}
        self.counts: list[tuple[int, _Sentence]] = []

    def finish(self) -> Holiday:
        if not self.rest:
            raise NoticeError("notice_text.no_rest", line=self.line, text=self.text, name=self.name)
        for stated, where in self.counts:
            if stated != len(self.rest):
                raise NoticeError(
                    "notice_text.count",
                    line=where.line,
                    text=where.text,
                    name=self.name,
                    stated=stated,
                    counted=len(self.rest),
                )
        return Holiday(self.name, tuple(sorted(self.rest)), tuple(sorted(self.work)), self.line)


def _sentences(text: str) -> list[_Sentence]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[_Sentence] = []
    for no, raw in enumerate(lines, start=1):
        for piece in _HEADING_SPLIT.split(_clean(raw)):
            out.extend(_Sentence(no, s) for s in _SENTENCE_END.split(piece) if s)
    return out


def _year(sentences: list[_Sentence]) -> int:
    joined = "".join(s.text for s in sentences)  # a title is often split over two lines
    title, opening = _TITLE.search(joined), _OPENING.search(joined)
    where = sentences[0] if sentences else _Sentence(1, "")
    if title is None and opening is None:
        raise NoticeError("notice_text.no_year", line=where.line, text=where.text)
    if title and opening and int(title[1]) != int(opening[1]):
        raise NoticeError(
            "notice_text.year_conflict",
            line=where.line,
            text=where.text,
            title=int(title[1]),
            opening=int(opening[1]),
        )
    found = title or opening
    assert found is not None
    year = int(found[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NoticeError("notice_text.bad_year", line=where.line, text=where.text, year=year)
    return year


def parse_notice(text: str) -> HolidayNotice:
    """The rest days and make-up working days the notice *text* states.

    Raises :class:`NoticeError` (with the line and the sentence) for anything it cannot
    read completely, for a ``共N天`` that does not match the range, a weekday note that
    contradicts its date, a day both rest and work, and a 上班 day that is a weekday.
    """
    sentences = _sentences(text)
    year = _year(sentences)
    # Everything up to the opening sentence (…具体安排通知如下) is title, salutation and
    # principles: 2025's paragraph says "自2025年1月1日起" and "国庆节自10月1日起".
    # Only an opening before the first item counts, so no item is ever skipped.
    first_item = next(
        (i for i, s in enumerate(sentences) if _HEADING.match(s.text)), len(sentences)
    )
    start = next((i + 1 for i, s in enumerate(sentences[:first_item]) if "通知如下" in s.text), 0)
    reader = _Reader(year)
    for s in sentences[start:]:
        reader.feed(s)
    return reader.result()


class _Reader:
    def __init__(self, year: int) -> None:
        self.year = year
        self.item: _Item | None = None
        self.done: list[Holiday] = []
        self.work_at: dict[date, _Sentence] = {}  # where each 上班 day is stated
        self.first: _Sentence | None = None

    def feed(self, s: _Sentence) -> None:
        self.first = self.first or s
        body = s.text
        if _SIGNATURE.fullmatch(body):
            self._close()
            return
        dateline = _DATELINE.match(body)
        if dateline:
            body = body[dateline.end() :]
        heading = _HEADING.match(body)
        if heading:
            self._close()
            self.item = _Item(heading["name"], s.line, s.text)
            body = body[heading.end() :]
            if not body:
                return
        if body.startswith("鼓励"):
            return  # advice (安排职工在除夕休息), not a rest day
        dated = bool(_HAS_DATE.search(body))
        if dated and _NUMBERED.match(body):  # 八、植树节：3月12日……
            raise NoticeError("notice_text.unknown_item", line=s.line, text=s.text)
        if self.item is None:
            if dated:
                raise NoticeError("notice_text.orphan", line=s.line, text=s.text)
            return  # prose: salutation, closing paragraph, 国务院办公厅
        if not self._clauses(body, s, dated):
            self._close()  # prose without a date ends the item (节假日期间，……)

    def _clauses(self, body: str, s: _Sentence, dated: bool) -> bool:
        """Read every clause of an item's sentence into the item. A sentence without a
        date that is not made only of 共N天 / 与周末连休 / 不调休 is prose (False)."""
        assert self.item is not None
        clauses = _split_clauses(body)
        if not dated:
            if all(_COUNT.fullmatch(c) or c in _NO_EFFECT for c in clauses):
                for c in clauses:
                    self._count(c, s)
                return True
            return False
        for c in clauses:
            if _COUNT.fullmatch(c):
                self._count(c, s)
            elif c not in _NO_EFFECT:
                self._dates(c, s)
        return True

    def _count(self, clause: str, s: _Sentence) -> None:
        m = _COUNT.fullmatch(clause)
        if m and self.item is not None:
            self.item.counts.append((int(m["n"]), s))

    def _dates(self, clause: str, s: _Sentence) -> None:
        assert self.item is not None
        days, suffix = self._date_list(clause, s)
        rest = _REST.fullmatch(suffix)
        if rest:
            self.item.rest.update(days)
            if rest["n"] is not None:
                self.item.counts.append((int(rest["n"]), s))
        elif suffix == _WORK:
            for day in days:
                if day.weekday() < 5:
                    raise NoticeError(
                        "notice_text.work_weekday",
                        line=s.line,
                        text=s.text,
                        day=day.isoformat(),
                        weekday=Msg(f"weekday.{day.weekday()}"),
                    )
                self.item.work.setdefault(day, s)
        else:
            part = suffix or clause  # the words after the dates, when there are any
            raise NoticeError("notice_text.unreadable", line=s.line, text=s.text, part=part)

    def _date_list(self, clause: str, s: _Sentence) -> tuple[list[date], str]:
        """The days ``M月D日（…）[至M月D日（…）]、…`` at the start of *clause*, and the rest."""
        days: list[date] = []
        pos, prev = 0, None
        while True:
            m = _DATE.match(clause, pos)
            if m is None:
                raise NoticeError("notice_text.unreadable", line=s.line, text=s.text, part=clause)
            first = self._date(m, prev, s)
            pos, last = m.end(), first
            sep = _RANGE_SEP.match(clause, pos)
            if sep:
                m = _DATE.match(clause, sep.end())
                if m is None:
                    raise NoticeError(
                        "notice_text.unreadable", line=s.line, text=s.text, part=clause
                    )
                last = self._date(m, first, s)
                pos = m.end()
                if last <= first:
                    raise NoticeError(
                        "notice_text.backwards",
                        line=s.line,
                        text=s.text,
                        first=first.isoformat(),
                        last=last.isoformat(),
                    )
            days.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
            prev = last
            if clause.startswith("、", pos):
                pos += 1
                continue
            return days, clause[pos:]

    def _date(self, m: re.Match[str], prev: date | None, s: _Sentence) -> date:
        """The day *m* names: without a month it continues *prev* (``1月1日至3日``,
        ``2012年1月1日至3日``); with a month but no year it is in the notice year."""
        part = m[0]
        if m["m"] is not None:
            year, month = int(m["y"]) if m["y"] is not None else self.year, int(m["m"])
        elif prev is not None and m["y"] is None:
            year, month = prev.year, prev.month
        else:
            raise NoticeError("notice_text.unreadable", line=s.line, text=s.text, part=part)
        if abs(year - self.year) > 1:
            raise NoticeError(
                "notice_text.out_of_range", line=s.line, text=s.text, part=part, year=self.year
            )
        try:
            day = date(year, month, int(m["d"]))
        except ValueError:
            raise NoticeError("notice_text.bad_date", line=s.line, text=s.text, part=part) from None
        if m["note"] is not None:
            _check_note(m["note"], day, s)
        return day

    def _close(self) -> None:
        if self.item is not None:
            self.done.append(self.item.finish())
            for day, where in self.item.work.items():
                self.work_at.setdefault(day, where)
            self.item = None

    def result(self) -> HolidayNotice:
        self._close()
        if not self.done:
            where = self.first or _Sentence(1, "")
            raise NoticeError("notice_text.no_holidays", line=where.line, text=where.text)
        rest = {d for h in self.done for d in h.rest}
        for day, where in sorted(self.work_at.items(), key=lambda kv: kv[1].line):
            if day in rest:
                raise NoticeError(
                    "notice_text.both", line=where.line, text=where.text, day=day.isoformat()
                )
        return HolidayNotice(self.year, tuple(self.done))


def _check_note(note: str, day: date, s: _Sentence) -> None:
    """A note after a date: a weekday (checked against the date) and lunar days (ignored)."""
    for token in re.split(r"[、，]", note):
        wd = _WEEKDAY.fullmatch(token)
        if wd:
            noted = _WEEKDAYS[wd["wd"]]
            if noted != day.weekday():
                raise NoticeError(
                    "notice_text.weekday",
                    line=s.line,
                    text=s.text,
                    day=day.isoformat(),
                    noted=token,
                    actual=Msg(f"weekday.{day.weekday()}"),
                )
        elif not (token.startswith("农历") or token == "除夕"):
            raise NoticeError("notice_text.note", line=s.line, text=s.text, note=note)


def _split_clauses(sentence: str) -> list[str]:
    """*sentence* split at commas that are not inside a note ``（农历正月初九，星期日）``."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(depth - 1, 0)
        elif ch == "，" and depth == 0:
            out.append(sentence[start:i])
            start = i + 1
    out.append(sentence[start:])
    return [c for c in out if c]


# --- the YAML the workspace keeps --------------------------------------------------------


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _entries(notice: HolidayNotice, work: bool) -> list[tuple[str, str]]:
    seen: set[date] = set()
    entries: list[tuple[date, str, str]] = []
    for h in notice.holidays:
        days = set(h.work if work else h.rest) - seen
        seen |= days
        label = _comment_text(h.name)
        if work:
            label = t("notice_text.yaml.work", "zh", name=label)
        for first, last in _runs(days):
            value = first.isoformat() if first == last else f"{first}..{last}"
            entries.append((first, value, label))
    return [(value, label) for _, value, label in sorted(entries)]


def notice_yaml(notice: HolidayNotice, source: str | None = None) -> str:
    """``calendar/YYYY.yaml`` for *notice*: runs of days as ``first..last``, one comment
    per entry naming its holiday. *source* (e.g. the title) replaces the first comment."""
    rest, work = _entries(notice, False), _entries(notice, True)
    width = max((len(v) for v, _ in rest + work), default=10) + 3
    title = _comment_text(source) if source is not None else ""
    if not title:
        title = t("notice_text.yaml.title", "zh", year=notice.year)
    lines = [f"# {title}", f"# {t('notice_text.yaml.generated', 'zh')}", f"year: {notice.year}"]
    for key, entries in (("rest", rest), ("work", work)):
        if not entries:
            lines.append(f"{key}: []")
            continue
        lines.append(f"{key}:")
        lines.extend(f"  - {value.ljust(width)}# {label}" for value, label in entries)
    return "\n".join(lines) + "\n"
