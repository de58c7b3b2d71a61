"""``gaoxin site``: the static, phone-first site (pages, frame, chart, writer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.render.site.output import Written, previous, write_site
from gaoxin_cli.render.site.pages import render_pages
from gaoxin_cli.service.site import Site

__all__ = ["publish", "render_pages", "serving", "write_site", "written"]


def publish(site: Site, config: Config, tasks: Sequence[Task], lang: Lang, out: Path) -> Written:
    """Make the pages of *site* and write them under *out* (only what changed)."""
    return write_site(render_pages(site, config, tasks, lang, previous(out)), out)


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
