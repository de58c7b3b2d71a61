"""A task's progress chart as inline SVG: the reported progress (a step line) against
序时进度 (the planned line, from ``rules.progress``), today marked. No script, no style
attribute (the site's CSP), every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.models import Task
from gaoxin_cli.models.state import Event
from gaoxin_cli.render.bulletin import esc
from gaoxin_cli.rules.progress import planned_progress, window_start

W, H = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 28


def progress_chart(
    task: Task, events: Sequence[Event], today: date, due: date, until: date, lang: Lang
) -> str:
    start = min(window_start(task), *(e.at for e in events)) if events else window_start(task)
    end = max(until, due, start + timedelta(days=1))
    span = (end - start).days or 1

    def x(day: date) -> float:
        return LEFT + (day - start).days / span * (W - LEFT - RIGHT)

    def y(pct: float) -> float:
        return TOP + (1 - max(0.0, min(100.0, pct)) / 100) * (H - TOP - BOTTOM)

    # the planned line: straight between its corners (rules.progress: linear from the
    # window's start to the due date, or steps at the milestones' dates)
    days = {start, window_start(task), end}
    days.update(m.due for m in task.milestones if start <= m.due <= end)
    days.update(m.due - timedelta(days=1) for m in task.milestones if start < m.due <= end)
    days.add(due)
    planned = " ".join(
        f"{x(d):.1f},{y(planned_progress(task, d, due)):.1f}" for d in sorted(days) if d <= end
    )
    # the reported line: a step at each change of the reported progress
    kx = (W - LEFT - RIGHT) / span
    ky = (H - TOP - BOTTOM) / 100
    base = H - BOTTOM
    reported: list[str] = [f"{LEFT:.1f},{base:.1f}"]
    level = 0.0
    for e in events:
        p = e.progress
        if p is None or p == level or e.kind not in ("feedback", "correction"):
            continue
        px = LEFT + (e.at - start).days * kx
        reported.append(f"{px:.1f},{base - level * ky:.1f} {px:.1f},{base - p * ky:.1f}")
        level = p
    reported.append(f"{x(min(today, end)):.1f},{y(level):.1f}")
    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{esc(t("site.chart.label", lang))}"'
        ' font-family="sans-serif" font-size="11">'
    ]
    for pct in (0, 50, 100):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(pct):.1f}" x2="{W - RIGHT}" y2="{y(pct):.1f}"'
            ' stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y(pct) + 4:.1f}" text-anchor="end" fill="#444">{pct}%</text>'
        )
    if start <= today <= end:
        tx = x(today)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{H - BOTTOM}" stroke="#c00"'
            ' stroke-dasharray="4 3"/>'
            f'<text x="{tx - 3:.1f}" y="{TOP + 10}" text-anchor="end" fill="#c00">'
            f"{esc(t('site.chart.today', lang))}</text>"
        )
    parts.append(
        f'<polyline points="{planned}" fill="none" stroke="#888" stroke-width="2"'
        ' stroke-dasharray="6 4"/>'
        f'<polyline points="{" ".join(reported)}" fill="none" stroke="#1565c0"'
        ' stroke-width="2.5"/>'
        f'<text x="{LEFT}" y="{H - 4}" fill="#444">{start.isoformat()}</text>'
        f'<text x="{W - RIGHT}" y="{H - 4}" text-anchor="end" fill="#444">{end.isoformat()}</text>'
        "</svg>"
    )
    caption = esc(t("site.chart.caption", lang))
    return f"<figure>{''.join(parts)}<figcaption>{caption}</figcaption></figure>"
