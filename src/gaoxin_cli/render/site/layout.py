"""The site's frame: the page shell (CSP, navigation, the "截至" line), its stylesheet and
its one script, tables that turn into cards on a phone, and safe file names.

Nothing here loads from the network: the stylesheet and the script are files of the site
(``site.css``, ``site.js``), charts are inline SVG, and the Content-Security-Policy of
every page allows nothing else. Every piece of user text goes through :func:`esc`.
"""

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.bulletin import esc

# Only the site's own files; no inline script or style, no frames, no forms, no base.
CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


def bulletin_csp(css: str) -> str:
    """The CSP of an archived bulletin: nothing but its own inline stylesheet (by hash)."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


_SAFE = re.compile(r"[A-Za-z0-9_-]")


@functools.lru_cache(maxsize=65536)
def slug(value: str) -> str:
    """A file name stem for an id: letters, digits, ``_`` and ``-`` kept, anything else
    (dots, slashes, CJK, spaces) as ``~XX`` per UTF-8 byte, so that two ids never share a
    name and no id leaves its folder; never empty, never starting with a dot."""
    out = []
    for ch in value:
        if _SAFE.fullmatch(ch):
            out.append(ch)
        else:
            out.append("".join(f"~{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out) or "~"


_MARKUP = re.compile(r"[&<>\"']")


def esc_text(value: str) -> str:
    """:func:`esc` for a string, with a fast path for the common one that needs nothing
    (printable, no markup character): a task's timeline escapes a million of them."""
    if value.isprintable() and _MARKUP.search(value) is None:
        return value
    return esc(value)


class Nav(NamedTuple):
    href: str  # relative to the site's root
    key: str  # catalogue key of its label


NAV_OFFICE = (
    Nav("index.html", "site.nav.home"),
    Nav("overdue.html", "site.nav.overdue"),
    Nav("listed.html", "site.nav.listed"),
    Nav("problems.html", "site.nav.problems"),
    Nav("ranking.html", "site.nav.ranking"),
    Nav("bulletins.html", "site.nav.bulletins"),
    Nav("notices.html", "site.nav.notices"),
)
NAV_UNIT = tuple(n for n in NAV_OFFICE if n.href != "bulletins.html")


def href(path: str, depth: int) -> str:
    """A link from a page *depth* folders down to *path* (relative to the root)."""
    return "../" * depth + path


def link(path: str, label: str, depth: int) -> str:
    return f'<a href="{esc(href(path, depth))}">{esc(label)}</a>'


def page(
    *,
    title: str,
    body: str,
    lang: Lang,
    depth: int,
    asof: str,
    nav: Sequence[Nav] = NAV_OFFICE,
    org: str = "",
) -> str:
    """A whole page: *body* is HTML already escaped; *asof* the dated line under the title
    (with the calendar-estimate mark when it applies)."""
    items = "".join(f"<li>{link(n.href, t(n.key, lang), depth)}</li>" for n in nav)
    head_title = f"{title} · {org}" if org else title
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(head_title)}</title>\n"
        f'<link rel="stylesheet" href="{href("site.css", depth)}">\n'
        f'<script src="{href("site.js", depth)}" defer></script>\n'
        "</head>\n<body>\n"
        f'<nav aria-label="{esc(t("site.nav", lang))}"><ul>{items}</ul></nav>\n'
        f"<main>\n<h1>{esc(title)}</h1>\n"
        f'<p class="asof">{asof}</p>\n'
        f"{body}\n</main>\n"
        f"<footer>{esc(t('site.footer', lang))}</footer>\n"
        "</body>\n</html>\n"
    )


class Col(NamedTuple):
    label: str
    kind: str = ""  # "num" right-aligns; "title" may wrap anywhere


def table(
    cols: Sequence[Col], rows: Sequence[Sequence[str]], *, classes: Sequence[str] = ()
) -> str:
    """A table whose cells are HTML already escaped. On a phone each row becomes a card
    and each cell shows its column's name (``data-label``); the script may sort and
    filter it (``sortable``), the page reads the same without."""
    if not rows:
        return ""
    head = "".join(
        f'<th class="{c.kind}" scope="col">{esc(c.label)}</th>'
        if c.kind
        else f'<th scope="col">{esc(c.label)}</th>'
        for c in cols
    )
    out = [f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>']
    # each cell's opening tag, made once per column (a table may have 100,000 cells)
    opens = [
        f'<td class="{c.kind}" data-label="{esc(c.label)}">'
        if c.kind
        else f'<td data-label="{esc(c.label)}">'
        for c in cols
    ]
    width = len(cols)
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} cells in a table of {width} columns")
        cls = classes[i] if i < len(classes) and classes[i] else ""
        out.append(f'<tr class="{cls}">' if cls else "<tr>")
        out.append("".join(o + cell + "</td>" for o, cell in zip(opens, row, strict=True)))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def section(title: str, body: str, *, id_: str = "", empty: str = "") -> str:
    ident = f' id="{id_}"' if id_ else ""
    inner = body or f'<p class="empty">{esc(empty)}</p>'
    return f"<section{ident}><h2>{esc(title)}</h2>\n{inner}\n</section>"


def card_badge(level: int, lang: Lang) -> str:
    """A card as a coloured word (never colour alone: the word says it)."""
    if level <= 0:
        return '<span class="lv lv0">—</span>'
    return f'<span class="lv lv{min(level, 4)}">{esc(t(f"level.{min(level, 4)}", lang))}</span>'


def meter(value: float) -> str:
    """A progress figure with a bar the browser draws (no inline style: the CSP)."""
    v = max(0.0, min(100.0, value))
    return f'<meter min="0" max="100" value="{v:.0f}"></meter> {v:.0f}%'


CSS = """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: #111; background: #fff; line-height: 1.55; font-size: 16px;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  system-ui, sans-serif; overflow-wrap: anywhere; }
nav { background: #8b0000; }
nav ul { list-style: none; margin: 0; padding: 0.3rem 0.5rem; display: flex; flex-wrap: wrap;
  gap: 0.1rem 0.9rem; }
nav a { color: #fff; text-decoration: none; display: inline-block; padding: 0.35rem 0; }
nav a:focus, nav a:hover { text-decoration: underline; }
main { max-width: 72rem; margin: 0 auto; padding: 0.75rem; }
h1 { font-size: 1.35rem; color: #8b0000; margin: 0.3rem 0; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; border-bottom: 1px solid #ccc; }
.asof { color: #444; font-size: 0.9rem; margin: 0 0 0.6rem; }
.estimated { color: #8a5a00; font-weight: bold; }
.empty { color: #666; }
footer { color: #666; font-size: 0.8rem; text-align: center; padding: 1rem 0.75rem 2rem; }
a { color: #0645ad; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; white-space: nowrap; }
th.sortable-on { cursor: pointer; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.holder td { background: #fde8e8; font-weight: bold; }
tr.bottom td { background: #fff6d6; }
.lv { display: inline-block; padding: 0 0.35em; border-radius: 0.25em; white-space: nowrap; }
.lv0 { color: #666; }
.lv1 { background: #1565c0; color: #fff; }
.lv2 { background: #f9a825; color: #111; }
.lv3 { background: #c62828; color: #fff; }
.lv4 { background: #4a0000; color: #fff; }
.tiles { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; padding: 0;
  list-style: none; }
.tiles li { border: 1px solid #ccc; border-radius: 0.4rem; padding: 0.35rem 0.7rem;
  min-width: 5.5rem; }
.tiles b { display: block; font-size: 1.3rem; }
meter { width: 4.5rem; height: 0.8rem; vertical-align: middle; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem;
  margin: 0.4rem 0; }
dl.facts dt { color: #444; }
dl.facts dd { margin: 0; }
figure { margin: 0.6rem 0; }
figure svg { width: 100%; height: auto; max-width: 40rem; display: block; }
figcaption { color: #444; font-size: 0.85rem; }
.filter { width: 100%; max-width: 24rem; font-size: 1rem; padding: 0.3rem; margin: 0.3rem 0; }
.sheet { border: 1px solid #999; padding: 1rem; max-width: 48rem; background: #fff; }
.sheet p { margin: 0.2rem 0; min-height: 1em; }
.sheet .center { text-align: center; font-weight: bold; }
.sheet .right { text-align: right; }
ul.plain { padding-left: 1.2rem; }
@media (max-width: 640px) {
  main { padding: 0.5rem; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid #bbb; border-radius: 0.4rem; margin: 0 0 0.5rem; padding: 0.2rem 0; }
  td { border: 0; padding: 0.15rem 0.5rem; }
  td.num { text-align: left; white-space: normal; }
  td::before { content: attr(data-label) "："; color: #555; font-size: 0.85rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.3rem; }
}
@page { size: A4; margin: 15mm 14mm; }
@media print {
  nav, .filter { display: none; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  tr, figure, .sheet { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .sheet { border: 0; padding: 0; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Filtering and sorting, added by the script; without it the tables read the same.
JS = """'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var label = document.documentElement.lang === 'en' ? 'Filter rows' : '筛选';
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 6) { return; }
    var input = document.createElement('input');
    input.type = 'search';
    input.className = 'filter';
    input.placeholder = label;
    input.setAttribute('aria-label', label);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    table.parentNode.insertBefore(input, table);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.classList.add('sortable-on');
      th.tabIndex = 0;
      var sort = function () {
        var down = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(th.parentNode.cells, function (c) {
          c.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', down ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var text = row.cells[col] ? row.cells[col].textContent.trim() : '';
          var n = parseFloat(text.replace(/[^0-9.+-]/g, ''));
          return th.classList.contains('num') && !isNaN(n) ? n : text;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === 'number' && typeof y === 'number'
            ? x - y : String(x).localeCompare(String(y), 'zh-CN');
          return down ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  });
});
"""
