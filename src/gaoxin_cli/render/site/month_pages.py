"""流动红旗 and the bulletin archive: the ranking of the running period and of every
awarded one with each unit's ``--explain`` lines, the flag's history, and the awarded
periods' bulletins as ``gaoxin bulletin -f html`` writes them."""

from __future__ import annotations

from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.render.site.base import Page, SiteBase, bulletin_path
from gaoxin_cli.render.site.layout import Col, section, slug, table


class MonthPages(SiteBase):
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
