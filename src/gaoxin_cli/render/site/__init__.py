"""``gaoxin site``: the static, phone-first site (pages, frame, chart, writer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.models import Config, Task
from gaoxin_cli.render.site.base import Page
from gaoxin_cli.render.site.output import Writer, Written, previous
from gaoxin_cli.render.site.pages import Pages
from gaoxin_cli.service.site import Site

__all__ = ["publish", "serving", "written"]


def publish(site: Site, config: Config, tasks: Sequence[Task], lang: Lang, out: Path) -> Written:
    """Make the pages of *site* and write them under *out* (only what changed); the task
    pages on two cores when there are many (``render/site/parallel``)."""
    from gaoxin_cli.render.site.layout import CSS, JS
    from gaoxin_cli.render.site.parallel import make_tasks

    pages = Pages(site, config, tasks, lang, previous(out))
    writer = Writer(out)
    writer.write(Page("site.css", CSS.lstrip()))
    writer.write(Page("site.js", JS))
    fresh, stale = pages.task_plan()
    for page in fresh:
        writer.write(page)
    make_tasks(pages, stale, writer)
    for page in pages.others():
        writer.write(page)
    return writer.finish()


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
