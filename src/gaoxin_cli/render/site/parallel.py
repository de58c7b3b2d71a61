"""Making the task pages on two cores: a big site's time goes to its task pages (reading a
million events and writing their timelines), which are independent of each other. The
process forks once; the child makes every other stale task page, writes them into the
same folder and reports back through a pipe what it wrote; the parent makes the rest and
every other page, and writes the manifest once the child is done.

Only where ``os.fork`` exists, with more than one CPU and enough pages to be worth a
process (:data:`MIN_TASKS`); otherwise one process makes everything. No store connection
is open across the fork: each process reads its tasks' events on a connection of its own.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Mapping
from typing import Any

from gaoxin_cli.models import Task
from gaoxin_cli.render.site.output import Writer
from gaoxin_cli.render.site.pages import Pages

# Fewer stale task pages than this are made in one process (a fork costs ~10 ms and
# doubles the memory for its lifetime).
MIN_TASKS = 2000


def workers(stale: int) -> int:
    if stale < MIN_TASKS or not hasattr(os, "fork"):
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cpus or 1) > 1 else 1


def make_tasks(pages: Pages, stale: Mapping[str, tuple[Task, str]], writer: Writer) -> None:
    """Make and write the task pages of *stale*: in two processes when it pays."""
    if workers(len(stale)) == 1:
        for page in pages.made(stale):
            writer.write(page)
        return
    ids = sorted(stale)
    mine = {t: stale[t] for t in ids[: len(ids) // 2]}
    theirs = {t: stale[t] for t in ids[len(ids) // 2 :]}
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: its half, then what it wrote, then out without any clean-up
        os.close(read_end)
        status = 0
        report: dict[str, object]
        try:
            child = Writer(writer.out)
            for page in pages.made(theirs):
                child.write(page)
            report = {"written": child.written, "unchanged": child.unchanged}
            report["listed"] = child.listed
        except BaseException as exc:  # reported to the parent, which raises it
            report = {"error": "".join(traceback.format_exception(exc))}
            status = 1
        data = json.dumps(report).encode("utf-8")
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        os._exit(status)
    os.close(write_end)
    try:
        for page in pages.made(mine):
            writer.write(page)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
    back: dict[str, Any] = json.loads(data.decode("utf-8") or "{}")
    if "error" in back or "listed" not in back:
        raise RuntimeError(f"the second process making task pages failed:\n{back.get('error')}")
    writer.merge(list(back["written"]), int(back["unchanged"]), dict(back["listed"]))
