"""`gaoxin bulletin`: the monthly 督查通报 as Markdown or one self-contained HTML file.

The HTML needs nothing from the network: inline CSS (``@page { size: A4 }`` for print),
an inline SVG bar chart, no scripts, no fonts or images to fetch, no URLs at all. Every
piece of user text is escaped (HTML entities, or Markdown backslashes) after control
characters have been made visible. One document in two formats that share their words,
hence one module of some length (its inline CSS and SVG chart included).
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from gaoxin_cli.i18n import Lang, has, t
from gaoxin_cli.render.ranking import (
    bottom_lines,
    change,
    chart_scale,
    holder_line,
    notes,
    period_label,
    points,
    rate,
    rule_line,
    tie_lines,
)
from gaoxin_cli.render.text import safe
from gaoxin_cli.service.bulletin import Bulletin, BulletinTask

# --- the words, shared by both formats ------------------------------------------------


def _title(b: Bulletin, lang: Lang) -> str:
    return t("bulletin.title", lang, org=b.result.org)


def _subtitle(b: Bulletin, lang: Lang) -> str:
    p = b.result.period
    return t(
        "bulletin.subtitle",
        lang,
        period=period_label(p, lang),
        start=p.start.isoformat(),
        end=p.end.isoformat(),
    )


def _basis(b: Bulletin, lang: Lang) -> str:
    r = b.result
    parts = []
    if not r.complete:
        parts.append(t("bulletin.basis_running", lang, day=r.end.isoformat()))
    if b.frozen is not None:
        parts.append(t("bulletin.basis_frozen", lang, day=b.frozen.awarded_on.isoformat()))
    else:
        parts.append(t("bulletin.basis_live", lang))
    parts.append(rule_line(r, lang) + ("。" if lang == "zh" else "."))
    return " ".join(parts)


def _issued(b: Bulletin, lang: Lang) -> str:
    return t("bulletin.issued", lang, office=b.office, day=b.issued.isoformat())


def _figures(b: Bulletin, lang: Lang) -> list[str]:
    rows = b.result.rows
    tot = {
        k: sum(getattr(r.score.stats, k) for r in rows)
        for k in ("tasks", "due", "done", "red", "yellow", "overdue", "missed", "returned", "early")
    }
    return [
        t(
            "bulletin.fig.tasks",
            lang,
            tasks=tot["tasks"],
            due=tot["due"],
            done=tot["done"],
            rate=rate(tot["done"] / tot["due"] if tot["due"] else None),
        ),
        t(
            "bulletin.fig.cards",
            lang,
            red=tot["red"],
            yellow=tot["yellow"],
            overdue=tot["overdue"],
        ),
        t(
            "bulletin.fig.reports",
            lang,
            missed=tot["missed"],
            returned=tot["returned"],
            early=tot["early"],
        ),
        t("bulletin.fig.notices", lang, n=len(b.notices)),
    ]


def _reason(key: str, params: Mapping[str, object], lang: Lang) -> str:
    try:
        return t(key, lang, **params) if has(key) else key
    except (KeyError, IndexError, ValueError):
        return key


def _task_status(task: BulletinTask, lang: Lang) -> str:
    sep = "；" if lang == "zh" else "; "
    out = []
    if task.red_raised:
        out.append(t("bulletin.red_raised", lang, count=task.red_raised))
    if task.card is not None:
        out.append(
            t(
                "bulletin.red_at_end",
                lang,
                level=t(f"level.{min(task.card.level, 4)}", lang),
                since=task.card.since.isoformat(),
            )
        )
        out += [_reason(k, p, lang) for k, p in task.card.reasons]
    if task.listed_since is not None:
        if task.listed_by:
            out.append(
                t(
                    "bulletin.listed_by",
                    lang,
                    since=task.listed_since.isoformat(),
                    leader=task.listed_by,
                )
            )
        else:
            out.append(t("bulletin.listed_since", lang, since=task.listed_since.isoformat()))
    return sep.join(out)


def _notice_table(b: Bulletin, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """The month's notices as a header and rows (the same in Markdown and HTML)."""
    header = [
        t("bulletin.col.number", lang),
        t("bulletin.col.kind", lang),
        t("bulletin.col.subject", lang),
        t("rank.col.unit", lang),
        t("bulletin.col.issued", lang),
    ]
    rows = [
        [
            n.number,
            _notice_kind(n.kind, lang),
            b.subject(n),
            b.unit_names.get(n.unit or "", n.unit or ""),
            n.issued_on.isoformat(),
        ]
        for n in b.notices
    ]
    return header, rows


def _task_table(b: Bulletin, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """The red and listed tasks as a header and rows (the same in Markdown and HTML)."""
    header = [
        t("rank.col.task", lang),
        t("rank.col.title", lang),
        t("rank.col.unit", lang),
        t("bulletin.col.kind", lang),
        t("bulletin.col.due", lang),
        t("bulletin.col.progress", lang),
        t("bulletin.col.reason", lang),
    ]
    # A city's bulletin names ~13,000 tasks with ~1,700 different statuses: each is
    # worded once.
    worded: dict[object, str] = {}

    def status(x: BulletinTask) -> str:
        key = _status_key(x)
        if key is None:
            return _task_status(x, lang)
        found = worded.get(key)
        if found is None:
            found = worded[key] = _task_status(x, lang)
        return found

    kind = _task_kinds(lang)
    rows = [
        [
            x.task,
            x.title,
            x.unit,
            kind[bool(x.red_raised or x.card is not None), x.listed_since is not None],
            x.due.isoformat(),
            f"{x.progress:.0f}%",
            status(x),
        ]
        for x in b.tasks
    ]
    return header, rows


def _status_key(x: BulletinTask) -> tuple[object, ...] | None:
    """What :func:`_task_status` reads of *x*, hashable (None when a reason's parameters
    are not). Parameters keep their type: 1 and 1.0 are equal keys but worded apart."""
    c = x.card
    card = None
    if c is not None:
        reasons = tuple((k, tuple((n, type(v), v) for n, v in p.items())) for k, p in c.reasons)
        card = (c.level, c.since, reasons)
    key = (x.red_raised, card, x.listed_since, x.listed_by)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _task_kinds(lang: Lang) -> dict[tuple[bool, bool], str]:
    """A named task's kind by (red: raised in the period or held at its end, listed)."""
    red, listed = t("bulletin.red", lang), t("bulletin.listed", lang)
    return {
        (False, False): "",
        (True, False): red,
        (False, True): listed,
        (True, True): f"{red}/{listed}",
    }


def _notice_kind(kind: str, lang: Lang) -> str:
    key = f"notice.kind.{kind}"
    return t(key, lang) if has(key) else kind


def _header_cells(lang: Lang) -> list[str]:
    return [
        t(f"rank.col.{k}", lang)
        for k in ("rank", "change", "unit", "score", "red", "yellow", "overdue", "rate", "note")
    ]


def _row_cells(b: Bulletin, lang: Lang) -> list[list[str]]:
    compared = b.result.previous is not None
    out = []
    for r in b.result.rows:
        st = r.score.stats
        out.append(
            [
                str(r.rank),
                change(r, lang, compared),
                r.name,
                points(r.score.points),
                str(st.red),
                str(st.yellow),
                str(st.overdue),
                rate(st.rate),
                notes(r, lang),
            ]
        )
    return out


# --- Markdown ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!{}])")


def md(value: object) -> str:
    """User text for Markdown: controls made visible, markup characters escaped, one line."""
    s = safe(value, multiline=True).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    out = ["| " + " | ".join(md(h) for h in header) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    for row in rows:
        out.append("| " + " | ".join(md(c) for c in row) + " |")
    return out


def _md_chart(b: Bulletin, lang: Lang) -> list[str]:
    r = b.result
    lo, hi = chart_scale(r)
    width = 40
    name_w = max(cell_len(safe(row.name)) for row in r.rows)
    out = [
        md(t("rank.chart", lang, lo=lo, hi=hi, threshold=f"{r.threshold / 100:g}")),
        "",
        "```text",
    ]
    for row in r.rows:
        score = row.score.points / 100
        n = round(max(0.0, min(1.0, (score - lo) / (hi - lo))) * width)
        name = safe(row.name).replace("`", "'")
        pad = " " * (name_w - cell_len(name))
        out.append(f"{name}{pad} {'█' * n}{' ' * (width - n)} {points(row.score.points)}")
    pos = round((r.threshold / 100 - lo) / (hi - lo) * width)
    indent = " " * (name_w + 1)
    out.append(indent + " " * pos + f"┃{r.threshold / 100:g}")
    out.append("```")
    return out


def markdown(b: Bulletin, lang: Lang) -> str:
    r = b.result
    lines = [f"# {md(_title(b, lang))}", "", f"**{md(_subtitle(b, lang))}**", ""]
    lines += [md(_issued(b, lang)), ""]
    lines += [f"> {md(_basis(b, lang))}", ""]
    lines += [f"## {md(t('bulletin.sec.summary', lang))}", ""]
    lines += [f"- {md(x)}" for x in _figures(b, lang)] + [""]
    lines += [f"## {md(t('bulletin.sec.ranking', lang))}", ""]
    if r.rows:
        lines += _md_table(_header_cells(lang), _row_cells(b, lang), {0, 1, 3, 4, 5, 6, 7})
        lines.append("")
        lines += _md_chart(b, lang)
    else:
        lines.append(md(t("rank.no_units", lang)))
    lines += ["", f"## {md(t('bulletin.sec.flag', lang))}", ""]
    lines += [f"- **{md(holder_line(r, lang))}**"]
    lines += [f"- {md(x)}" for x in bottom_lines(r, lang) + tie_lines(r, lang)] + [""]
    lines += [f"## {md(t('bulletin.sec.red', lang))}", ""]
    if b.tasks:
        header, rows = _task_table(b, lang)
        lines += _md_table(header, rows, {5})
    else:
        lines.append(md(t("bulletin.red_none", lang)))
    lines += ["", f"## {md(t('bulletin.sec.notices', lang))}", ""]
    if b.notices:
        header, rows = _notice_table(b, lang)
        lines += _md_table(header, rows, set())
    else:
        lines.append(md(t("bulletin.notices_none", lang)))
    lines += ["", "---", ""]
    if b.estimated:
        lines += [md(_estimate_line(b, lang)), ""]
    lines += [md(t("bulletin.footer", lang)), ""]
    return "\n".join(lines)


def _estimate_line(b: Bulletin, lang: Lang) -> str:
    from gaoxin_cli.calendar import year_spans

    return t("calendar.estimated", lang, years=year_spans(b.estimated))


# --- HTML -------------------------------------------------------------------------------


def esc(value: object) -> str:
    """User text for HTML: controls made visible, then entity-escaped (quotes too)."""
    return _html.escape(safe(value, multiline=True), quote=True)


CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; color: #111; background: #fff;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
  font-size: 11pt; line-height: 1.55; }
header { text-align: center; border-bottom: 2px solid #c00; padding-bottom: 4mm;
  margin-bottom: 5mm; }
h1 { color: #c00; font-size: 20pt; letter-spacing: 0.08em; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; page-break-after: avoid; break-after: avoid; }
.sub { font-weight: bold; margin: 0; }
.issued, .basis, footer { color: #444; font-size: 9.5pt; }
.basis { border-left: 3px solid #999; padding-left: 3mm; margin: 3mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #999; padding: 1.2mm 1.8mm; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nowrap, th { white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
table.tasks th.title { width: 34%; }
table.tasks td.title { overflow-wrap: anywhere; }
table.tasks td.reason { min-width: 12em; }
.legend { margin: 1mm 0 0; }
.sw { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em;
  margin: 0 0.3em 0 0.8em; }
.sw:first-child { margin-left: 0; }
.sw.holder { background: #c00; }
.sw.bottom { background: #ef6c00; }
.sw.other { background: #90a4ae; }
@media screen { table.tasks { min-width: 170mm; } }
@media screen and (max-width: 480px) { body { padding: 4mm 3mm; } h1 { font-size: 16pt; } }
@media print { .scroll { overflow: visible; } }
tr.holder td { background: #fde8e8; font-weight: bold; }
tr.bottom td { background: #fff6d6; }
.flag { color: #c00; font-weight: bold; }
figure { margin: 4mm 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-size: 9pt; color: #444; }
svg { width: 100%; height: auto; }
ul { margin: 1mm 0; padding-left: 6mm; }
footer { border-top: 1px solid #999; margin-top: 8mm; padding-top: 2mm; }
"""


# The chart's bar colours: the flag holder red, the 末位 units orange (a warning), the
# others a neutral grey — the legend under the chart says so (bulletin.legend.*).
BAR_FILL = {"holder": "#c00", "bottom": "#ef6c00", "other": "#90a4ae"}


def _legend(lang: Lang) -> str:
    return "".join(
        f'<span class="sw {kind}"></span>{esc(t(f"bulletin.legend.{kind}", lang))}'
        for kind in ("holder", "bottom", "other")
    )


def _svg_chart(b: Bulletin, lang: Lang) -> str:
    r = b.result
    lo, hi = chart_scale(r)
    label_w, bar_w, row_h, top = 150, 430, 22, 8
    width = label_w + bar_w + 70
    height = top + row_h * len(r.rows) + 26
    threshold = r.threshold / 100

    def x(score: float) -> float:
        return label_w + max(0.0, min(1.0, (score - lo) / (hi - lo))) * bar_w

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{esc(t("rank.col.score", lang))}"'
        f' font-family="sans-serif" font-size="12">'
    ]
    for i, row in enumerate(r.rows):
        y = top + i * row_h
        score = row.score.points / 100
        kind = "holder" if row.holder else ("bottom" if row.bottom else "other")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(row.name)}</text>'
            f'<rect class="bar {kind}" x="{label_w}" y="{y + 3}"'
            f' width="{x(score) - label_w:.1f}" height="{row_h - 6}" fill="{BAR_FILL[kind]}"/>'
            f'<text x="{x(score) + 4:.1f}" y="{y + 15}">{esc(points(row.score.points))}</text>'
        )
    base = top + row_h * len(r.rows)
    tx = x(threshold)
    parts.append(
        f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{base}" stroke="#c00"'
        ' stroke-dasharray="4 3"/>'
        f'<line x1="{label_w}" y1="{base}" x2="{label_w + bar_w}" y2="{base}" stroke="#666"/>'
    )
    step = 10 if hi - lo <= 60 else 20
    tick = math.ceil(lo / step) * step
    while tick <= hi:
        parts.append(
            f'<text x="{x(tick):.1f}" y="{base + 16}" text-anchor="middle"'
            f' fill="#444">{tick}</text>'
        )
        tick += step
    parts.append("</svg>")
    return "".join(parts)


def _html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: set[int],
    classes: Sequence[str] | None = None,
    nowrap: frozenset[int] = frozenset(),
    kind: str = "",
    named: Mapping[int, str] | None = None,
) -> str:
    """A table in a horizontally scrollable box (a phone scrolls it, never squeezes it);
    ``named`` gives columns a class (``title``, ``reason``) the CSS sizes."""
    named = named or {}
    cls_attr = f' class="{kind}"' if kind else ""
    out = [f'<div class="scroll"><table{cls_attr}><thead><tr>']
    out += [
        f'<th class="{named[j]}">{esc(h)}</th>' if j in named else f"<th>{esc(h)}</th>"
        for j, h in enumerate(header)
    ]
    out.append("</tr></thead><tbody>")
    width = max(len(header), max(map(len, rows), default=0))
    opens = [
        '<td class="num">'
        if j in numeric
        else '<td class="nowrap">'
        if j in nowrap
        else f'<td class="{named[j]}">'
        if j in named
        else "<td>"
        for j in range(width)
    ]
    # A city's bulletin has ~93,000 cells, most of them repeats (units, kinds, dates,
    # progress, statuses): each distinct text is escaped once.
    escaped: dict[str, str] = {}
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        out.append(f"<tr{cls}>")
        for opened, cell in zip(opens, row, strict=False):
            text = escaped.get(cell)
            if text is None:
                text = escaped[cell] = esc(cell)
            out.append(f"{opened}{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def html(b: Bulletin, lang: Lang) -> str:
    r = b.result
    title = _title(b, lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} · {esc(period_label(r.period, lang))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(_subtitle(b, lang))}</p>',
        f'<p class="issued">{esc(_issued(b, lang))}</p>',
        "</header>",
        f'<p class="basis">{esc(_basis(b, lang))}</p>',
        f'<section id="summary"><h2>{esc(t("bulletin.sec.summary", lang))}</h2><ul>',
    ]
    out += [f"<li>{esc(x)}</li>" for x in _figures(b, lang)]
    out.append("</ul></section>")
    out.append(f'<section id="ranking"><h2>{esc(t("bulletin.sec.ranking", lang))}</h2>')
    if r.rows:
        classes = ["holder" if x.holder else ("bottom" if x.bottom else "") for x in r.rows]
        out.append(
            _html_table(_header_cells(lang), _row_cells(b, lang), {0, 1, 3, 4, 5, 6, 7}, classes)
        )
        caption = t(
            "rank.chart",
            lang,
            lo=chart_scale(r)[0],
            hi=chart_scale(r)[1],
            threshold=f"{r.threshold / 100:g}",
        )
        out.append(
            f"<figure>{_svg_chart(b, lang)}<figcaption>{esc(caption)}"
            f'<p class="legend">{_legend(lang)}</p></figcaption></figure>'
        )
    else:
        out.append(f"<p>{esc(t('rank.no_units', lang))}</p>")
    out.append("</section>")
    out.append(f'<section id="flag"><h2>{esc(t("bulletin.sec.flag", lang))}</h2><ul>')
    out.append(f'<li class="flag">{esc(holder_line(r, lang))}</li>')
    out += [f"<li>{esc(x)}</li>" for x in bottom_lines(r, lang) + tie_lines(r, lang)]
    out.append("</ul></section>")
    out.append(f'<section id="red"><h2>{esc(t("bulletin.sec.red", lang))}</h2>')
    if b.tasks:
        header, rows = _task_table(b, lang)
        out.append(
            _html_table(
                header,
                rows,
                {5},
                nowrap=frozenset({0, 2, 3, 4}),
                kind="tasks",
                named={1: "title", 6: "reason"},
            )
        )
    else:
        out.append(f"<p>{esc(t('bulletin.red_none', lang))}</p>")
    out.append("</section>")
    out.append(f'<section id="notices"><h2>{esc(t("bulletin.sec.notices", lang))}</h2>')
    if b.notices:
        header, rows = _notice_table(b, lang)
        out.append(_html_table(header, rows, {4}, nowrap=frozenset({0, 1, 3})))
    else:
        out.append(f"<p>{esc(t('bulletin.notices_none', lang))}</p>")
    out.append("</section>")
    if b.estimated:
        out.append(f'<p class="basis">{esc(_estimate_line(b, lang))}</p>')
    out.append(f"<footer>{esc(t('bulletin.footer', lang))}</footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def written(path: str, lang: Lang) -> str:
    """The stderr line once the bulletin is written to a file."""
    return t("bulletin.written", lang, path=path) + "\n"
