"""Plan commands: ``validate``, ``schema``, ``init`` (the work is in ``service/plan.py``)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.root import app, log_dir, settings
from gaoxin_cli.errors import EXIT_OK, EXIT_PROBLEM


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
    no_cache: Annotated[bool, typer.Option("--no-cache", help=H("validate.no_cache"))] = False,
) -> None:
    from gaoxin_cli.loading.plancache import yaml_cache
    from gaoxin_cli.render import plan as view
    from gaoxin_cli.service import plan as service

    s = settings(ctx)
    cache = None if no_cache else yaml_cache(log_dir() / "cache")
    done = service.validate(
        paths or [], cwd=s.cwd, workspace=s.workspace, strict=strict, cache=cache
    )
    sys.stdout.write(view.diagnosed(done.loaded, fmt.value, s.lang))
    sys.stderr.write(view.validate_summary(done.loaded, s.lang) + "\n")
    raise typer.Exit(EXIT_PROBLEM if done.failed else EXIT_OK)


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
    from gaoxin_cli.service import plan as service

    s = settings(ctx)
    if write is None:
        sys.stdout.write(service.schema_text(kind.value))
        return
    from gaoxin_cli.render import plan as view

    for target in service.write_schemas(write):
        sys.stderr.write(view.schema_wrote(target, s.lang) + "\n")


@app.command(help=H("init"))
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help=H("init.dir"), file_okay=False)] = Path("."),
) -> None:
    from gaoxin_cli.render import plan as view
    from gaoxin_cli.service import plan as service

    s = settings(ctx)
    for path in service.init(directory, s.today()):
        sys.stderr.write(view.init_wrote(path, s.lang) + "\n")
    sys.stdout.write(view.init_done(directory, s.lang) + "\n")
