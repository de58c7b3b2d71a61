"""Help pages that stand on their own (issue 14, item 6): whole summaries, one style
for what options take, the daily commands up front, references that resolve for a
pip-installed user."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from gaoxin_cli.i18n import _catalogue
from gaoxin_cli.i18n.help_text import HELP
from helpers import gaoxin


def commands_section(page: str, heading: str) -> list[str]:
    return page.split(f"\n{heading}\n", 1)[1].splitlines()


@pytest.mark.parametrize(
    ("lang", "heading", "end"), [("zh", "命令：", "。"), ("en", "Commands:", ".")]
)
def test_command_summaries_are_whole_sentences(lang: str, heading: str, end: str) -> None:
    page = gaoxin("-h", lang=lang).stdout
    entries: list[str] = []
    for line in commands_section(page, heading):
        if re.match(r"  \S", line):
            entries.append(line.strip())
        elif line.strip():
            entries[-1] += " " + line.strip()
    assert len(entries) > 20
    for entry in entries:
        assert "..." not in entry, entry
        assert entry.endswith(end), entry


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_top_page_names_the_daily_commands(lang: str) -> None:
    page = gaoxin("-h", lang=lang).stdout
    intro = " ".join(page.split("\n\n")[3].split())
    for command in ("status", "overdue", "feedback", "notify"):
        assert f"gaoxin {command}" in intro


@pytest.mark.parametrize(
    "args",
    [(), ("status",), ("feedback",), ("overdue",), ("notice", "show"), ("ledger", "export")],
)
def test_metavars_are_upper_case_names(args: tuple[str, ...]) -> None:
    page = gaoxin(*args, "-h", lang="en").stdout
    assert not re.search(r"<\w+>|\{\w+\}", page), page
    for line in page.splitlines():
        m = re.match(r"\s+(?:-\w, )?--[\w-]+ (\S+)\s", line)
        if m:
            assert m.group(1).upper() == m.group(1) or "|" in m.group(1), line


def test_no_reference_to_files_a_pip_user_does_not_have() -> None:
    texts = [s for pair in HELP.values() for s in pair]
    texts += [s for pair in _catalogue().values() for s in pair]
    for name in ("gaoxin.yaml.tmpl", "example-plan.yaml.tmpl"):
        texts.append(resources.files("gaoxin_cli.templates").joinpath(name).read_text("utf-8"))
    assert not [s for s in texts if "docs/" in s or ".md" in s]
