"""``gaoxin init``: write a new workspace from the packaged templates, never overwriting."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.loading.jsonschema import FILE_NAMES, json_schema_text

_TEMPLATES = {
    "gaoxin.yaml": "gaoxin.yaml.tmpl",
    "plans/example.yaml": "example-plan.yaml.tmpl",
    ".gitignore": "gitignore.tmpl",
}


def workspace_files(today: date) -> dict[str, str]:
    """Relative path → content of every file ``init`` writes."""
    pkg = resources.files("gaoxin_cli") / "templates"
    files = {
        rel: (pkg / name).read_text(encoding="utf-8").replace("{year}", str(today.year))
        for rel, name in _TEMPLATES.items()
    }
    files[f"schemas/{FILE_NAMES['config']}"] = json_schema_text("config")
    files[f"schemas/{FILE_NAMES['plan']}"] = json_schema_text("plan")
    return files


def write_new_files(root: Path, files: dict[str, str]) -> list[Path]:
    """Write *files* under *root*; refuse before writing anything if one exists."""
    targets = [(root / rel, text) for rel, text in files.items()]
    for path, _ in targets:
        if path.exists() or path.is_symlink():
            raise GaoxinError("error.init_exists", path=str(path))
    written: list[Path] = []
    try:
        for path, text in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text, exclusive=True)
            written.append(path)
    except OSError as e:
        for path in written:  # leave nothing half-made
            path.unlink(missing_ok=True)
        raise GaoxinError(
            "error.write_failed",
            path=str(e.filename or root),
            reason=e.strerror or type(e).__name__,
        ) from None
    return written


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; plan files are shared
        if exclusive:
            os.link(tmp, path)  # fails if path appeared meanwhile
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
