"""``gaoxin site``: the static, phone-first site (pages, frame, chart, writer)."""

from __future__ import annotations

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.render.site.output import Written, write_site
from gaoxin_cli.render.site.pages import render_pages

__all__ = ["render_pages", "serving", "write_site", "written"]


def written(done: Written, out: str, lang: Lang) -> str:
    """The stderr line once the site is written."""
    return (
        t(
            "site.written",
            lang,
            path=out,
            written=len(done.written),
            unchanged=done.unchanged,
            removed=len(done.removed),
        )
        + "\n"
    )


def serving(url: str, lang: Lang) -> str:
    return t("site.serving", lang, url=url) + "\n"
