"""What the plan commands print: ``validate``'s diagnostics and summary, the files
``schema --write`` and ``init`` wrote."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gaoxin_cli.i18n import Lang, t

if TYPE_CHECKING:  # init prints through here without loading a plan
    from gaoxin_cli.loading.workspace import Loaded

DiagnosticFormat = Literal["text", "json", "github"]


def diagnosed(loaded: Loaded, fmt: DiagnosticFormat, lang: Lang) -> str:
    """Every diagnostic, for people (``text``), tools (``json``) or GitHub annotations."""
    from gaoxin_cli.render import diagnostics

    diags = loaded.diagnostics
    if fmt == "json":
        return diagnostics.as_json(diags, lang, files=len(loaded.files), tasks=len(loaded.entries))
    if fmt == "github":
        return diagnostics.as_github(diags, lang)
    return diagnostics.as_text(diags, lang)


def validate_summary(loaded: Loaded, lang: Lang) -> str:
    """The closing line on stderr: files and tasks read, errors and warnings found."""
    files, tasks = len(loaded.files), len(loaded.entries)
    errors, warnings = len(loaded.errors), len(loaded.warnings)
    if errors or warnings:
        return t(
            "validate.summary", lang, files=files, tasks=tasks, errors=errors, warnings=warnings
        )
    return t("validate.summary_clean", lang, files=files, tasks=tasks)


def schema_wrote(path: Path, lang: Lang) -> str:
    return t("schema.wrote", lang, path=str(path))


def init_wrote(path: Path, lang: Lang) -> str:
    return t("init.wrote", lang, path=str(path))


def init_done(directory: Path, lang: Lang) -> str:
    return t("init.done", lang, path=str(directory))
