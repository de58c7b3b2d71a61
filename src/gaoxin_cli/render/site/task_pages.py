"""The task pages: 三定, standing, milestones with 序时进度, the progress chart and the
whole timeline; and which of them a rebuild can skip (their fingerprint)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date

from gaoxin_cli.i18n import has
from gaoxin_cli.models import Task
from gaoxin_cli.models.state import Event
from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.render.site.base import Page, SiteBase, code_version, task_path
from gaoxin_cli.render.site.chart import progress_chart
from gaoxin_cli.render.site.layout import Col, card_badge, esc_text, meter, section, table


class TaskPages(SiteBase):
    def task_plan(self) -> tuple[list[Page], dict[str, tuple[Task, str]]]:
        """The task pages whose fingerprint is the previous build's (not made again, nor
        their events read), and the others to make: task id → (task, fingerprint)."""
        base = hashlib.blake2b(digest_size=16)
        base.update(
            repr((code_version(), self.site.today, self.lang, self.site.unit, self.config)).encode()
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
