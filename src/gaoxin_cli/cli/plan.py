"""Plan commands: ``validate``, ``schema``, ``init``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli.app import app, settings
from gaoxin_cli.cli.help import H
from gaoxin_cli.errors import EXIT_OK, EXIT_PROBLEM, UsageError
from gaoxin_cli.i18n import t


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class SchemaKind(StrEnum):
    config = "config"
    plan = "plan"


@app.command(help=H("validate"))
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help=H("validate.paths"), show_default=False)
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=H("validate.format"))] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help=H("validate.strict"))] = False,
) -> None:
    from gaoxin_cli.loading.paths import (
        CONFIG_NAME,
        YAML_SUFFIXES,
        find_workspace,
        require_workspace,
    )
    from gaoxin_cli.loading.workspace import load
    from gaoxin_cli.render import diagnostics as out

    s = settings(ctx)
    root: Path | None
    extra: list[Path] = []
    if not paths:
        root = require_workspace(s.workspace or s.cwd)
    else:
        root = find_workspace(s.workspace) if s.workspace else None
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
    result = load(root, extra, base=s.cwd)
    diags = result.diagnostics
    if fmt is Format.json:
        sys.stdout.write(
            out.as_json(diags, s.lang, files=len(result.files), tasks=len(result.entries))
        )
    elif fmt is Format.github:
        sys.stdout.write(out.as_github(diags, s.lang))
    else:
        sys.stdout.write(out.as_text(diags, s.lang))
    errors = len(result.errors)
    warnings = len(result.warnings)
    if errors or warnings:
        summary = t(
            "validate.summary",
            s.lang,
            files=len(result.files),
            tasks=len(result.entries),
            errors=errors,
            warnings=warnings,
        )
    else:
        summary = t(
            "validate.summary_clean", s.lang, files=len(result.files), tasks=len(result.entries)
        )
    sys.stderr.write(summary + "\n")
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(EXIT_PROBLEM if failed else EXIT_OK)


@app.command(help=H("schema"))
def schema(
    ctx: typer.Context,
    kind: Annotated[SchemaKind, typer.Argument(help=H("schema.kind"))] = SchemaKind.plan,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write", metavar="DIR", help=H("schema.write"), file_okay=False, show_default=False
        ),
    ] = None,
) -> None:
    from gaoxin_cli.loading.jsonschema import FILE_NAMES, json_schema_text
    from gaoxin_cli.loading.scaffold import atomic_write

    s = settings(ctx)
    if write is None:
        sys.stdout.write(json_schema_text(kind.value))
        return
    write.mkdir(parents=True, exist_ok=True)
    for k in ("config", "plan"):
        target = write / FILE_NAMES[k]
        atomic_write(target, json_schema_text(k))
        sys.stderr.write(t("schema.wrote", s.lang, path=str(target)) + "\n")


@app.command(help=H("init"))
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help=H("init.dir"), file_okay=False)] = Path("."),
) -> None:
    from gaoxin_cli.loading.scaffold import workspace_files, write_new_files

    s = settings(ctx)
    written = write_new_files(directory, workspace_files(s.today()))
    for path in written:
        sys.stderr.write(t("init.wrote", s.lang, path=str(path)) + "\n")
    sys.stdout.write(t("init.done", s.lang, path=str(directory)) + "\n")
