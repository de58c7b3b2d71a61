"""The site's pages, shared: the :class:`Page` value, file paths from ids, and
:class:`SiteBase` — the site value, the catalogue and the links, tables and frame every
page uses. The pages themselves: ``pages`` (overview, ladder, problems, notices, units),
``task_pages`` and ``month_pages``."""

import functools
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from gaoxin_cli.i18n import Lang, has, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.models.notice import StoredNotice
from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.render.site.layout import (
    NAV_OFFICE,
    NAV_UNIT,
    Col,
    card_badge,
    href,
    meter,
    page,
    slug,
    table,
)
from gaoxin_cli.rules.dashboard import TaskRow
from gaoxin_cli.service.site import Site


class Page(NamedTuple):
    path: str  # relative to the site's root
    text: str | None  # None: unchanged since the build that left *fingerprint*
    fingerprint: str = ""  # what the page was made from (task pages), else ""


def code_version() -> str:
    """The code a task page is made with: a new version of it rebuilds every page."""
    import gaoxin_cli

    h = hashlib.blake2b(gaoxin_cli.__version__.encode(), digest_size=12)
    here = Path(__file__).parent
    for path in [*sorted(here.glob("*.py")), *(here.parent / n for n in _WORDS)]:
        h.update(path.read_bytes())
    return h.hexdigest()


# The renderers a task page borrows its words from.
_WORDS = ("daily.py", "lifecycle.py", "notices.py", "status.py", "bulletin.py")


def task_path(task_id: str) -> str:
    return f"tasks/{slug(task_id)}.html"


def unit_path(unit: str) -> str:
    return f"units/{slug(unit)}.html"


def notice_path(n: StoredNotice) -> str:
    return f"notices/{slug(n.kind)}-{n.year}-{n.seq:03d}.html"


def bulletin_path(period: str) -> str:
    return f"bulletins/{slug(period)}.html"


class SiteBase:
    """One site's value and what every page uses: words, links, tables, the frame."""

    def __init__(
        self,
        site: Site,
        config: Config,
        tasks: Sequence[Task],
        lang: Lang,
        previous: Mapping[str, str] | None = None,
    ) -> None:
        self.site, self.config, self.lang = site, config, lang
        self.previous = previous or {}
        self._unit_links: dict[tuple[str, int], str] = {}
        self._kind_words: dict[str, str] = {}
        self.rows: dict[str, TaskRow] = {r.task.id: r for r in site.status.dashboard.rows}
        self.tasks = [task for task in tasks if task.id in site.histories]
        self.units = [site.unit] if site.unit else list(config.units)
        self.nav = NAV_UNIT if site.unit else NAV_OFFICE
        self.pillars = {p.path: p.name for p in site.status.dashboard.pillars}
        self.problems_of: dict[str, list[object]] = {}
        for line in site.problems:
            if line.status.task:
                self.problems_of.setdefault(line.status.task, []).append(line)
        self.by_task: dict[str, list[StoredNotice]] = {}
        for n in site.notices:
            if n.subject_kind == "task":
                self.by_task.setdefault(n.subject, []).append(n)

    # --- shared pieces ---------------------------------------------------------------

    def t(self, key: str, /, **params: object) -> str:
        return t(key, self.lang, **params)

    @functools.cached_property
    def asof_line(self) -> str:
        return self.asof()

    def asof(self) -> str:
        today = self.site.today
        line = esc(
            self.t(
                "site.asof",
                date=today.isoformat(),
                weekday=self.t(f"weekday.{today.weekday()}"),
            )
        )
        if self.site.estimated:
            from gaoxin_cli.calendar import year_spans

            mark = self.t("calendar.estimated", years=year_spans(self.site.estimated))
            line += f' <span class="estimated">{esc(mark)}</span>'
        return line

    def page(self, path: str, title: str, body: str) -> Page:
        depth = path.count("/")
        return Page(
            path,
            page(
                title=title,
                body=body,
                lang=self.lang,
                depth=depth,
                asof=self.asof(),
                nav=self.nav,
                org=self.config.org.name,
            ),
        )

    def task_link(self, task_id: str, depth: int, label: str | None = None) -> str:
        text = esc(label if label is not None else task_id)
        if task_id in self.site.histories:
            return f'<a href="{esc(href(task_path(task_id), depth))}">{text}</a>'
        return text

    def unit_link(self, unit: str | None, depth: int) -> str:
        if not unit:
            return ""
        key = (unit, depth)
        found = self._unit_links.get(key)
        if found is None:
            found = self._unit_links[key] = self._unit_link(unit, depth)
        return found

    def _unit_link(self, unit: str, depth: int) -> str:
        name = esc(self.config.unit_name(unit, short=True))
        if unit in self.units:
            return f'<a href="{esc(href(unit_path(unit), depth))}">{name}</a>'
        return name

    def notice_link(self, n: StoredNotice, depth: int) -> str:
        return f'<a href="{esc(href(notice_path(n), depth))}">{esc(n.number)}</a>'

    def kind_word(self, kind: str) -> str:
        key = f"notice.kind.{kind}"
        return self.t(key) if has(key) else kind

    def reasons(self, row: TaskRow) -> str:
        from gaoxin_cli.render.status import reasons

        sep = "；" if self.lang == "zh" else "; "
        return esc(sep.join(reasons(row, self.lang)))

    def task_table(self, rows: Sequence[TaskRow], depth: int, *, lead: bool = True) -> str:
        cols = [
            Col(self.t("col.card")),
            Col(self.t("col.task")),
            Col(self.t("col.title"), "title"),
        ]
        if lead:
            cols.append(Col(self.t("col.lead")))
        cols += [
            Col(self.t("col.progress"), "num"),
            Col(self.t("col.planned"), "num"),
            Col(self.t("site.col.due")),
            Col(self.t("col.why")),
        ]
        cells = []
        for r in rows:
            line = [
                card_badge(r.assessment.card.level, self.lang),
                self.task_link(r.task.id, depth),
                self.task_link(r.task.id, depth, r.task.title),
            ]
            if lead:
                line.append(self.unit_link(r.task.lead, depth))
            line += [
                meter(r.state.progress),
                f"{r.assessment.planned:.0f}%",
                r.due.isoformat(),
                self.reasons(r),
            ]
            cells.append(line)
        return table(cols, cells)

    def notice_table(self, notices: Sequence[StoredNotice], depth: int) -> str:
        cols = [
            Col(self.t("bulletin.col.number")),
            Col(self.t("bulletin.col.kind")),
            Col(self.t("bulletin.col.subject"), "title"),
            Col(self.t("rank.col.unit")),
            Col(self.t("bulletin.col.issued")),
            Col(self.t("site.col.reply_by")),
        ]
        cells = []
        for n in reversed(notices):  # newest first
            if n.subject_kind == "task":
                row = self.rows.get(n.subject)
                title = f"{n.subject} {row.task.title}" if row else n.subject
                subject = self.task_link(n.subject, depth, title)
            else:
                subject = esc(n.subject)
            cells.append(
                [
                    self.notice_link(n, depth),
                    esc(self.kind_word(n.kind)),
                    subject,
                    self.unit_link(n.unit, depth),
                    n.issued_on.isoformat(),
                    n.response_due.isoformat() if n.response_due else "—",
                ]
            )
        return table(cols, cells)

    def problem_table(self, lines: Sequence[object], depth: int) -> str:
        from gaoxin_cli.rules.problem_cards import ProblemLine

        cols = [
            Col(self.t("col.card")),
            Col(self.t("site.col.problem")),
            Col(self.t("site.col.state")),
            Col(self.t("site.col.reported")),
            Col(self.t("site.col.whose")),
            Col(self.t("col.task")),
            Col(self.t("site.col.text"), "title"),
        ]
        cells = []
        office = self.config.org.office
        for line in lines:
            assert isinstance(line, ProblemLine)
            st, card = line.status, line.card
            whose = card.unit if card is not None else (st.unit or office)
            cells.append(
                [
                    card_badge(card.card.level if card else 0, self.lang),
                    esc(st.number),
                    esc(self.t(f"pstate.{st.state}") if has(f"pstate.{st.state}") else st.state),
                    st.reported_on.isoformat(),
                    self.unit_link(whose if st.open else st.unit, depth),
                    self.task_link(st.task, depth) if st.task else "",
                    esc(st.text),
                ]
            )
        return table(cols, cells)

    # --- the pages ---------------------------------------------------------------------
