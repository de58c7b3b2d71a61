"""The plan commands: ``validate``, ``schema``, ``init``. They work on files, not on a
:class:`~gaoxin_cli.service.session.Session`: ``validate`` must report on a workspace too
broken to load, ``init`` makes one, ``schema`` needs none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from gaoxin_cli.errors import UsageError

if TYPE_CHECKING:
    from gaoxin_cli.loading.workspace import Loaded

SchemaKind = Literal["config", "plan"]


class Validation(NamedTuple):
    loaded: Loaded  # what was read, with every diagnostic
    failed: bool  # errors, or warnings under --strict


def validate(
    paths: Sequence[Path],
    *,
    cwd: Path,
    workspace: Path | None,
    strict: bool,
    cache: Path | None = None,
) -> Validation:
    """Check the workspace (found from *workspace* or *cwd*) and the *paths* given.
    *cache*: the folder of the YAML data kept by text (loading/parsed.py); None: none.

    Without *paths*: the workspace, which must exist. With them: each file, and every
    YAML file under each directory that is not itself a workspace; the workspace is
    *workspace*, else the first directory given that is one, else the one around the
    first path."""
    from gaoxin_cli.loading.paths import (
        CONFIG_NAME,
        YAML_SUFFIXES,
        find_workspace,
        require_workspace,
    )
    from gaoxin_cli.loading.workspace import load

    root: Path | None
    extra: list[Path] = []
    if not paths:
        root = require_workspace(workspace or cwd)
    else:
        root = find_workspace(workspace) if workspace else None
        for p in paths:
            if not p.exists() and not p.is_symlink():
                raise UsageError("error.path_missing", path=str(p))
            if p.is_dir():
                if (p / CONFIG_NAME).is_file():
                    root = root or p.resolve()
                    continue
                extra.extend(
                    sorted(f for f in p.rglob("*") if f.suffix in YAML_SUFFIXES and f.is_file())
                )
            else:
                extra.append(p)
            if root is None:
                root = find_workspace(p)
    loaded = load(root, extra, base=cwd, cache=cache)
    failed = bool(loaded.errors) or (strict and bool(loaded.warnings))
    return Validation(loaded, failed)


def schema_text(kind: SchemaKind) -> str:
    """The JSON Schema of gaoxin.yaml (``config``) or of plan files (``plan``)."""
    from gaoxin_cli.loading.jsonschema import json_schema_text

    return json_schema_text(kind)


def write_schemas(directory: Path) -> list[Path]:
    """Both schemas into *directory* (made if needed); the files written."""
    from gaoxin_cli.loading.jsonschema import FILE_NAMES, json_schema_text
    from gaoxin_cli.loading.scaffold import atomic_write

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ("config", "plan"):
        target = directory / FILE_NAMES[kind]
        atomic_write(target, json_schema_text(kind))
        written.append(target)
    return written


def init(directory: Path, today: date) -> list[Path]:
    """A new workspace in *directory*; the files written. Refused, writing nothing, when
    any of them exists."""
    from gaoxin_cli.loading.scaffold import workspace_files, write_new_files

    return write_new_files(directory, workspace_files(today))
