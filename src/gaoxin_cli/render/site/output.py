"""Writing the site: only the pages whose bytes changed are rewritten (so rsync, the web
server's ETags and the browsers' caches see the others untouched), each through a
temporary file renamed into place (a reader never sees half a page), and pages a previous
build wrote that are gone now (a cancelled task's notices, say) are removed. Only files
this tool wrote — listed in the site's manifest — are ever removed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError

MANIFEST = ".gaoxin-site"


class Written(NamedTuple):
    written: list[str]  # pages (re)written, relative paths
    unchanged: int
    removed: list[str]


def write_site(pages: Mapping[str, str], out: Path) -> Written:
    """Write *pages* (relative path → text) under *out*."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        before = _manifest(out)
        written: list[str] = []
        unchanged = 0
        for rel, text in sorted(pages.items()):
            data = text.encode("utf-8")
            target = out / rel
            if _same(target, data):
                unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            written.append(rel)
        removed = []
        for rel in sorted(before - pages.keys()):
            target = out / rel
            if _inside(out, target) and target.is_file():
                target.unlink()
                removed.append(rel)
        listing = "".join(f"{rel}\n" for rel in sorted(pages))
        if not _same(out / MANIFEST, listing.encode("utf-8")):
            (out / MANIFEST).write_text(listing, encoding="utf-8")
    except OSError as exc:
        raise GaoxinError(
            "error.write_output", path=str(exc.filename or out), reason=exc.strerror or exc
        ) from exc
    return Written(written, unchanged, removed)


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except FileNotFoundError:
        return False


def _manifest(out: Path) -> set[str]:
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    return {line for line in lines if line and not line.startswith(("/", "."))}


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())
