"""The site's pages, each a function of the :class:`~gaoxin_cli.service.site.Site` value:
总览, one page per unit and per task, 逾期与督办, 挂牌督办, 问题提报, 流动红旗, the
bulletin archive and the notices as filed. Words come from the catalogue, figures from
the renderers the commands use (``render/status``, ``render/ladder``, ``render/ranking``,
``render/notices``, ``render/daily``); user text is escaped by ``layout.esc``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from gaoxin_cli.i18n import Lang, has, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.models.notice import StoredNotice
from gaoxin_cli.models.state import Event, Level
from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.render.site.chart import progress_chart
from gaoxin_cli.render.site.layout import (
    NAV_OFFICE,
    NAV_UNIT,
    Col,
    card_badge,
    esc_text,
    href,
    meter,
    page,
    section,
    slug,
    table,
)
from gaoxin_cli.rules.dashboard import TaskRow
from gaoxin_cli.service.site import Site


class Page(NamedTuple):
    path: str  # relative to the site's root
    text: str | None  # None: unchanged since the build that left *fingerprint*
    fingerprint: str = ""  # what the page was made from (task pages), else ""


def _code_version() -> str:
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


class Pages:
    """Every page of one site, by path (relative to its root)."""

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

    def others(self) -> Iterator[Page]:
        """Every page but the task pages."""
        yield self.index()
        yield self.overdue()
        yield self.listed()
        yield self.problems()
        yield self.ranking()
        yield self.notices()
        if self.site.unit is None:
            yield self.bulletins()
            for b in self.site.bulletins:
                yield self.bulletin(b)
        for unit in self.units:
            yield self.unit(unit)
        for n in self.site.notices:
            yield self.notice(n)

    def index(self) -> Page:
        dash = self.site.status.dashboard
        cfg = self.config
        title = (
            self.t("site.unit_title", unit=cfg.unit_name(self.site.unit), org=cfg.org.name)
            if self.site.unit
            else self.t("status.title", org=cfg.org.name)
        )
        tiles = [(self.t("site.tile.tasks"), str(len(dash.rows)), "")]
        for level in (Level.ACCOUNTABILITY, Level.RED, Level.YELLOW, Level.BLUE):
            tiles.append((self.t(f"level.{level}"), str(dash.counts[level]), f"lv{level}"))
        tiles.append((self.t("status.done"), str(dash.done), ""))
        tiles.append((self.t("status.missed"), str(dash.missed), ""))
        tiles.append((self.t("site.tile.workdays_left"), str(dash.workdays_left), ""))
        parts = [
            '<ul class="tiles">'
            + "".join(
                f'<li><span class="{cls}">{esc(label)}</span><b>{esc(n)}</b></li>'
                if cls
                else f"<li>{esc(label)}<b>{esc(n)}</b></li>"
                for label, n, cls in tiles
            )
            + "</ul>"
        ]
        pillars = [p for p in dash.pillars if p.tasks]
        parts.append(
            section(
                self.t("status.pillars"),
                table(
                    [
                        Col(self.t("col.pillar"), "title"),
                        Col(self.t("col.tasks"), "num"),
                        Col(self.t("col.progress"), "num"),
                        Col(self.t("col.planned"), "num"),
                        Col(self.t("site.col.worst")),
                    ],
                    [
                        [
                            "　" * p.depth + esc(p.name),
                            str(p.tasks),
                            meter(p.progress),
                            f"{p.planned:.0f}%",
                            card_badge(p.worst, self.lang),
                        ]
                        for p in pillars
                    ],
                ),
                id_="pillars",
                empty=self.t("site.none"),
            )
        )
        parts.append(
            section(
                self.t("status.units"),
                table(
                    [
                        Col(self.t("col.unit")),
                        Col(self.t("col.tasks"), "num"),
                        Col(self.t("col.done"), "num"),
                        Col(self.t("level.3"), "num"),
                        Col(self.t("level.2"), "num"),
                        Col(self.t("level.1"), "num"),
                        Col(self.t("col.missed"), "num"),
                        Col(self.t("col.progress"), "num"),
                    ],
                    [
                        [
                            self.unit_link(u.unit, 0),
                            str(u.tasks),
                            str(u.done),
                            str(u.levels[3] + u.levels[4]),
                            str(u.levels[2]),
                            str(u.levels[1]),
                            str(u.missed),
                            meter(u.progress),
                        ]
                        for u in dash.units
                    ],
                ),
                id_="units",
                empty=self.t("site.none"),
            )
        )
        attention = [
            r
            for r in dash.rows
            if not r.finished and (r.assessment.card.level or r.missed_report is not None)
        ]
        parts.append(
            section(
                self.t("status.attention"),
                self.task_table(attention, 0),
                id_="attention",
                empty=self.t("status.all_clear"),
            )
        )
        open_problems = [ln for ln in self.site.status.problems if ln.status.open]
        parts.append(
            section(
                self.t("site.nav.problems"),
                self.problem_table(open_problems, 0),
                id_="problems",
                empty=self.t("site.problems_none"),
            )
        )
        return self.page("index.html", title, "\n".join(parts))

    def overdue(self) -> Page:
        from gaoxin_cli.render.ladder import kind_short, reasons

        rows = self.site.overdue.tasks
        sep = "；" if self.lang == "zh" else "; "
        cells = []
        for r in rows:
            s = r.standing
            a = s.assessment
            late = (
                self.t("overdue.late", wd=a.overdue_wd)
                if a.overdue_wd
                else self.t("overdue.left", wd=a.left_wd if a.left_wd is not None else 0)
            )
            nxt = f"{kind_short(r.next[0], self.lang)} {r.next[1].isoformat()}" if r.next else "—"
            cells.append(
                [
                    card_badge(a.card.level, self.lang),
                    self.task_link(s.task.id, 0),
                    self.task_link(s.task.id, 0, s.task.title),
                    self.unit_link(s.task.lead, 0),
                    esc(late),
                    s.due.isoformat(),
                    esc(kind_short(s.rung, self.lang)) if s.rung else "—",
                    esc(nxt),
                    esc(sep.join(reasons(s, self.lang))),
                ]
            )
        body = section(
            self.t("site.overdue_tasks"),
            table(
                [
                    Col(self.t("col.card")),
                    Col(self.t("col.task")),
                    Col(self.t("col.title"), "title"),
                    Col(self.t("col.lead")),
                    Col(self.t("overdue.col.late")),
                    Col(self.t("overdue.col.due")),
                    Col(self.t("overdue.col.rung")),
                    Col(self.t("overdue.col.next")),
                    Col(self.t("col.why")),
                ],
                cells,
            ),
            empty=self.t("overdue.none"),
        )
        if self.site.overdue.problems:
            body += section(
                self.t("site.overdue_problems"),
                self.problem_table(self.site.overdue.problems, 0),
            )
        return self.page("overdue.html", self.t("site.nav.overdue"), body)

    def listed(self) -> Page:
        today = self.site.today
        cells = []
        for r in self.site.listed:
            s = r.standing
            if r.delisted is not None:
                status = self.t("listed.delisted", date=r.delisted.isoformat())
            elif r.since > today:
                status = self.t("listed.pending", date=r.since.isoformat())
            else:
                status = self.t("listed.active")
            cells.append(
                [
                    self.task_link(s.task.id, 0),
                    self.task_link(s.task.id, 0, s.task.title),
                    self.unit_link(s.task.lead, 0),
                    esc(self.config.leader_name(r.by)),
                    r.since.isoformat(),
                    str(r.days),
                    card_badge(s.assessment.card.level, self.lang),
                    meter(s.state.progress),
                    esc(status),
                ]
            )
        body = section(
            self.t("site.nav.listed"),
            table(
                [
                    Col(self.t("col.task")),
                    Col(self.t("col.title"), "title"),
                    Col(self.t("col.lead")),
                    Col(self.t("listed.col.supervisor")),
                    Col(self.t("listed.col.since")),
                    Col(self.t("listed.col.days_listed"), "num"),
                    Col(self.t("col.card")),
                    Col(self.t("col.progress"), "num"),
                    Col(self.t("listed.col.status")),
                ],
                cells,
            ),
            empty=self.t("listed.none"),
        )
        return self.page("listed.html", self.t("site.nav.listed"), body)

    def problems(self) -> Page:
        body = section(
            self.t("site.nav.problems"),
            self.problem_table(self.site.problems, 0),
            empty=self.t("site.problems_none"),
        )
        return self.page("problems.html", self.t("site.nav.problems"), body)

    def ranking(self) -> Page:
        from gaoxin_cli.render.ranking import (
            bottom_lines,
            change,
            detail_text,
            holder_line,
            notes,
            period_label,
            points,
            rate,
            rule_label,
            signed,
            status_line,
        )

        people = {lid: p.name for lid, p in self.config.leaders.items()}
        parts = []
        for ranked in self.site.rankings:
            r = ranked.result
            label = period_label(r.period, self.lang)
            head = [f'<p class="asof">{esc(status_line(r, ranked.frozen, self.lang))}</p>']
            if self.site.unit is None:
                lines = [holder_line(r, self.lang), *bottom_lines(r, self.lang)]
                head.append('<ul class="plain">' + "".join(f"<li>{esc(x)}</li>" for x in lines))
                head.append("</ul>")
            compared = r.previous is not None
            cols = [
                Col(self.t("rank.col.rank"), "num"),
                Col(self.t("rank.col.change")),
                Col(self.t("rank.col.unit")),
                Col(self.t("rank.col.score"), "num"),
                Col(self.t("rank.col.red"), "num"),
                Col(self.t("rank.col.yellow"), "num"),
                Col(self.t("rank.col.overdue"), "num"),
                Col(self.t("rank.col.rate"), "num"),
                Col(self.t("rank.col.note")),
            ]
            cells = [
                [
                    str(row.rank),
                    esc(change(row, self.lang, compared)),
                    self.unit_link(row.unit, 0),
                    points(row.score.points),
                    str(row.score.stats.red),
                    str(row.score.stats.yellow),
                    str(row.score.stats.overdue),
                    rate(row.score.stats.rate),
                    esc(notes(row, self.lang)),
                ]
                for row in r.rows
            ]
            classes = ["holder" if x.holder else ("bottom" if x.bottom else "") for x in r.rows]
            explain = []
            for row in r.rows:
                explained = [
                    [
                        esc(rule_label(line.rule, self.lang)),
                        self.task_link(line.task, 0) if line.task else "",
                        esc(detail_text(line, self.lang, people)),
                        signed(line.points),
                    ]
                    for line in row.score.lines
                ]
                explain.append(
                    f'<details id="{esc(slug(r.period.key))}-{esc(slug(row.unit))}">'
                    f"<summary>{esc(self.t('site.explain', unit=row.name))} "
                    f"{points(row.score.points)}</summary>"
                    + table(
                        [
                            Col(self.t("rank.col.rule")),
                            Col(self.t("rank.col.task")),
                            Col(self.t("rank.col.detail"), "title"),
                            Col(self.t("rank.col.points"), "num"),
                        ],
                        explained,
                    )
                    + "</details>"
                )
            parts.append(
                section(
                    label,
                    "\n".join(head) + table(cols, cells, classes=classes) + "\n".join(explain),
                    id_=f"p-{slug(r.period.key)}",
                    empty=self.t("rank.no_units"),
                )
            )
        flag = self.site.flag
        if flag is not None:
            parts.append(self.flag_history())
        if not parts:
            parts.append(f'<p class="empty">{esc(self.t("rank.no_units"))}</p>')
        return self.page("ranking.html", self.t("site.nav.ranking"), "\n".join(parts))

    def flag_history(self) -> str:
        from gaoxin_cli.render.flag import _move
        from gaoxin_cli.render.ranking import joined, period_label, points

        flag = self.site.flag
        assert flag is not None
        cells = []
        for e in reversed(flag.entries):
            a = e.award
            holders = joined([flag.names.get(u, u) for u in a.holders], self.lang)
            cells.append(
                [
                    esc(period_label(a.period, self.lang)),
                    esc(holders or self.t("flag.nobody")),
                    points(a.holder_points if a.holders else a.top_points),
                    str(e.streak),
                    esc(_move(e, flag.names, self.lang)),
                    esc(joined([flag.names.get(u, u) for u in a.bottom], self.lang) or "—"),
                    a.awarded_on.isoformat(),
                ]
            )
        return section(
            self.t("flag.history_title", org=flag.org),
            table(
                [
                    Col(self.t("flag.col.period")),
                    Col(self.t("flag.col.holder")),
                    Col(self.t("flag.col.score"), "num"),
                    Col(self.t("site.col.streak"), "num"),
                    Col(self.t("flag.col.move")),
                    Col(self.t("flag.col.bottom")),
                    Col(self.t("flag.col.awarded")),
                ],
                cells,
            ),
            id_="flag",
            empty=self.t("flag.history_empty"),
        )

    def bulletins(self) -> Page:
        from gaoxin_cli.render.ranking import period_label

        items = [
            f'<li><a href="{esc(bulletin_path(b.result.period.key))}">'
            f"{esc(period_label(b.result.period, self.lang))}</a></li>"
            for b in self.site.bulletins
        ]
        body = (
            '<ul class="plain">' + "".join(items) + "</ul>"
            if items
            else f'<p class="empty">{esc(self.t("site.bulletins_none"))}</p>'
        )
        return self.page("bulletins.html", self.t("site.nav.bulletins"), body)

    def bulletin(self, b: object) -> Page:
        """The bulletin as ``gaoxin bulletin -f html`` writes it, with the site's CSP and a
        way back (its own stylesheet is inline: the CSP allows that one by its hash)."""
        from gaoxin_cli.render import bulletin as view
        from gaoxin_cli.render.site.layout import bulletin_csp
        from gaoxin_cli.service.bulletin import Bulletin

        assert isinstance(b, Bulletin)
        doc = view.html(b, self.lang)
        meta = '<meta charset="utf-8">'
        csp = f'<meta http-equiv="Content-Security-Policy" content="{bulletin_csp(view.CSS)}">'
        doc = doc.replace(meta, meta + "\n" + csp, 1)
        back = f'<p><a href="../bulletins.html">{esc(self.t("site.back_bulletins"))}</a></p>'
        doc = doc.replace("<body>\n", "<body>\n" + back + "\n", 1)
        return Page(bulletin_path(b.result.period.key), doc)

    def notices(self) -> Page:
        body = section(
            self.t("site.nav.notices"),
            self.notice_table(self.site.notices, 0),
            empty=self.t("site.notices_none"),
        )
        return self.page("notices.html", self.t("site.nav.notices"), body)

    def notice(self, n: StoredNotice) -> Page:
        from gaoxin_cli.render.notices import sheet_lines

        sent = self.site.deliveries.get(n.id or 0, [])
        lines = sheet_lines(n, sent, self.config, self.lang)
        body = '<div class="sheet">' + "".join(
            f'<p class="{align}">{esc(text)}</p>' if align else f"<p>{esc(text)}</p>"
            for text, align in lines
        )
        body += "</div>"
        return self.page(notice_path(n), n.number, body)

    def unit(self, unit: str) -> Page:
        from gaoxin_cli.render.ranking import period_label, points

        depth = 1
        rows = [r for r in self.site.status.dashboard.rows if r.task.lead == unit]
        carded = [r for r in rows if not r.finished and r.assessment.card.level]
        missed = [r for r in rows if r.missed_report is not None]
        tasks = {r.task.id for r in rows}
        notices = [
            n
            for n in self.site.notices
            if (n.subject_kind == "task" and n.subject in tasks) or n.unit == unit
        ]
        parts = [
            section(
                self.t("site.unit_tasks"),
                self.task_table(rows, depth, lead=False),
                empty=self.t("status.nothing"),
            )
        ]
        parts.append(
            section(
                self.t("site.unit_cards"),
                self.task_table(carded, depth, lead=False),
                empty=self.t("status.all_clear"),
            )
        )
        parts.append(
            section(
                self.t("site.unit_reports"),
                table(
                    [
                        Col(self.t("col.task")),
                        Col(self.t("col.title"), "title"),
                        Col(self.t("site.col.last_report")),
                        Col(self.t("site.col.missed_report")),
                    ],
                    [
                        [
                            self.task_link(r.task.id, depth),
                            self.task_link(r.task.id, depth, r.task.title),
                            r.state.last_report.isoformat() if r.state.last_report else "—",
                            r.missed_report.isoformat() if r.missed_report else "—",
                        ]
                        for r in missed
                    ],
                ),
                empty=self.t("site.reports_none"),
            )
        )
        parts.append(
            section(
                self.t("site.nav.notices"),
                self.notice_table(notices, depth),
                empty=self.t("site.notices_none"),
            )
        )
        history = []
        for ranked in self.site.rankings:
            row = ranked.result.row(unit)
            if row is None:
                continue
            label = period_label(ranked.result.period, self.lang)
            anchor = f"ranking.html#{slug(ranked.result.period.key)}-{slug(unit)}"
            history.append(
                [
                    f'<a href="{esc(href(anchor, depth))}">{esc(label)}</a>',
                    str(row.rank),
                    points(row.score.points),
                    esc(self.t("rank.flag") if row.holder else ""),
                ]
            )
        parts.append(
            section(
                self.t("site.unit_ranking"),
                table(
                    [
                        Col(self.t("flag.col.period")),
                        Col(self.t("rank.col.rank"), "num"),
                        Col(self.t("rank.col.score"), "num"),
                        Col(self.t("rank.col.note")),
                    ],
                    history,
                ),
                empty=self.t("site.ranking_none"),
            )
        )
        title = self.config.unit_name(unit)
        return self.page(unit_path(unit), title, "\n".join(parts))

    def task_plan(self) -> tuple[list[Page], dict[str, tuple[Task, str]]]:
        """The task pages whose fingerprint is the previous build's (not made again, nor
        their events read), and the others to make: task id → (task, fingerprint)."""
        base = hashlib.blake2b(digest_size=16)
        base.update(
            repr(
                (_code_version(), self.site.today, self.lang, self.site.unit, self.config)
            ).encode()
        )
        fresh: list[Page] = []
        stale: dict[str, tuple[Task, str]] = {}
        signatures = self.site.histories.signatures
        for task in self.tasks:
            h = base.copy()
            h.update(
                repr(
                    (
                        task,
                        self.rows.get(task.id),
                        signatures.get(task.id),
                        self.by_task.get(task.id),
                        self.problems_of.get(task.id),
                    )
                ).encode()
            )
            fp = h.hexdigest()
            path = task_path(task.id)
            if self.previous.get(path) == fp:
                fresh.append(Page(path, None, fp))
            else:
                stale[task.id] = (task, fp)
        return fresh, stale

    def made(self, stale: Mapping[str, tuple[Task, str]]) -> Iterator[Page]:
        """The task pages of *stale* (:meth:`task_plan`), their events read a batch of
        tasks at a time."""
        for tid, events in self.site.histories.stream(stale):
            task, fp = stale[tid]
            yield self.task(task, events)._replace(fingerprint=fp)

    def task(self, task: Task, events: Sequence[Event]) -> Page:
        from gaoxin_cli.render.daily import describe

        depth = 1
        cfg = self.config
        row = self.rows.get(task.id)
        sep = "、" if self.lang == "zh" else ", "
        facts: list[tuple[str, str]] = [
            (self.t("site.f.lead"), self.unit_link(task.lead, depth)),
        ]
        if task.support:
            facts.append(
                (self.t("site.f.support"), sep.join(self.unit_link(u, depth) for u in task.support))
            )
        if task.leader:
            facts.append((self.t("col.leader"), esc(cfg.leader_name(task.leader))))
        facts.append(
            (
                self.t("site.f.measures"),
                '<ol class="plain">'
                + "".join(f"<li>{esc(m)}</li>" for m in task.measures)
                + "</ol>",
            )
        )
        facts.append((self.t("site.f.start"), task.start.isoformat() if task.start else "—"))
        due = task.due.isoformat()
        if row is not None and row.due != task.due:
            due = esc(self.t("site.f.extended", due=row.due.isoformat(), planned=due))
        facts.append((self.t("site.col.due"), due))
        if task.pillar:
            facts.append((self.t("col.pillar"), esc(self.pillars.get(task.pillar, task.pillar))))
        if task.listed is not None:
            facts.append(
                (
                    self.t("site.f.listed"),
                    esc(
                        self.t(
                            "site.f.listed_by",
                            since=task.listed.since.isoformat(),
                            leader=cfg.leader_name(task.listed.by) or "—",
                        )
                    ),
                )
            )
        if task.source.ref:
            facts.append((self.t("site.f.source"), esc(task.source.ref)))
        if row is not None:
            a = row.assessment
            facts.append((self.t("col.card"), card_badge(a.card.level, self.lang)))
            if a.card.level or row.missed_report is not None:
                facts.append((self.t("col.why"), self.reasons(row)))
            facts.append((self.t("col.progress"), meter(row.state.progress)))
            facts.append((self.t("col.planned"), f"{a.planned:.0f}%"))
            if row.lifecycle:
                key = f"lstate.{row.lifecycle}"
                facts.append((self.t("site.f.lifecycle"), esc(self.t(key) if has(key) else key)))
        dl = '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
        parts = [section(self.t("site.task_facts"), dl + "</dl>")]
        from gaoxin_cli.rules.progress import planned_progress

        done = row.state.milestones_done if row is not None else {}
        effective_due = row.due if row is not None else task.due
        parts.append(
            section(
                self.t("site.task_milestones"),
                table(
                    [
                        Col(self.t("col.milestone"), "title"),
                        Col(self.t("site.col.due")),
                        Col(self.t("site.col.weight"), "num"),
                        Col(self.t("site.col.planned_by"), "num"),
                        Col(self.t("site.col.reached")),
                    ],
                    [
                        [
                            esc(m.name),
                            m.due.isoformat(),
                            f"{m.weight:g}" if m.weight is not None else "—",
                            f"{planned_progress(task, m.due, effective_due):.0f}%",
                            done[m.name].isoformat() if m.name in done else "—",
                        ]
                        for m in task.milestones
                    ],
                ),
                empty=self.t("site.milestones_none"),
            )
        )
        until = max(self.site.today, task.due)
        chart = progress_chart(
            task,
            events,
            self.site.today,
            row.due if row is not None else task.due,
            until,
            self.lang,
        )
        parts.append(section(self.t("site.task_chart"), chart))
        timeline = self.timeline(task, events, depth, describe)
        parts.append(section(self.t("site.task_timeline"), timeline, empty=self.t("history.none")))
        title = f"{task.id} {task.title}"
        return self.page(task_path(task.id), title, "\n".join(parts))

    def timeline(self, task: Task, events: Sequence[object], depth: int, describe: object) -> str:
        """Reports, cards, extensions, lifecycle steps, notices and problems by date."""
        from collections.abc import Callable

        from gaoxin_cli.rules.problem_cards import ProblemLine

        assert callable(describe)
        words: Callable[..., str] = describe
        items: list[tuple[date, int, list[str]]] = []
        kinds = self._kind_words
        for i, e in enumerate(events):
            assert isinstance(e, Event)
            kind = kinds.get(e.kind)
            if kind is None:
                key = f"event.{e.kind}"
                kind = kinds[e.kind] = esc(self.t(key) if has(key) else e.kind)
            items.append(
                (
                    e.at,
                    i,
                    [
                        e.at.isoformat(),
                        kind,
                        self.unit_link(e.unit, depth) if e.unit else "",
                        esc_text(words(e, self.lang, self.config)),
                    ],
                )
            )
        base = len(items)
        for j, n in enumerate(self.by_task.get(task.id, [])):
            items.append(
                (
                    n.issued_on,
                    base + j,
                    [
                        n.issued_on.isoformat(),
                        esc(self.kind_word(n.kind)),
                        self.unit_link(n.unit, depth),
                        self.notice_link(n, depth),
                    ],
                )
            )
        base = len(items)
        for j, line in enumerate(self.problems_of.get(task.id, [])):
            assert isinstance(line, ProblemLine)
            st = line.status
            state = self.t(f"pstate.{st.state}") if has(f"pstate.{st.state}") else st.state
            items.append(
                (
                    st.reported_on,
                    base + j,
                    [
                        st.reported_on.isoformat(),
                        esc(self.t("event.problem")),
                        self.unit_link(st.reporter, depth),
                        esc(f"{st.number} · {state} · {st.text}"),
                    ],
                )
            )
        items.sort(key=lambda x: (x[0], x[1]))
        return table(
            [
                Col(self.t("col.date")),
                Col(self.t("col.event")),
                Col(self.t("col.by")),
                Col(self.t("col.note"), "title"),
            ],
            [cells for _, _, cells in items],
        )
