"""The site's pages, each a function of the :class:`~gaoxin_cli.service.site.Site` value:
总览, one page per unit and per task, 逾期与督办, 挂牌督办, 问题提报, 流动红旗, the
bulletin archive and the notices as filed. Words come from the catalogue, figures from
the renderers the commands use (``render/status``, ``render/ladder``, ``render/ranking``,
``render/notices``, ``render/daily``); user text is escaped by ``layout.esc``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from gaoxin_cli.models.notice import StoredNotice
from gaoxin_cli.models.state import Level
from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.render.site.base import Page, notice_path, unit_path
from gaoxin_cli.render.site.layout import Col, card_badge, href, meter, section, slug, table
from gaoxin_cli.render.site.month_pages import MonthPages
from gaoxin_cli.render.site.task_pages import TaskPages


class Pages(TaskPages, MonthPages):
    """Every page of one site, by path (relative to its root)."""

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
        # Every unfinished task owing a report: the missed ones first (oldest deadline
        # first), then by the next deadline.
        owed = self.site.next_reports
        reporting = sorted(
            (r for r in rows if r.missed_report is not None or r.task.id in owed),
            key=lambda r: (
                r.missed_report is None,
                r.missed_report or owed.get(r.task.id) or r.due,
                r.task.id,
            ),
        )
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
                        Col(self.t("site.col.next_report")),
                    ],
                    [
                        [
                            self.task_link(r.task.id, depth),
                            self.task_link(r.task.id, depth, r.task.title),
                            r.state.last_report.isoformat() if r.state.last_report else "—",
                            r.missed_report.isoformat() if r.missed_report else "—",
                            _day(owed.get(r.task.id)),
                        ]
                        for r in reporting
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


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"
