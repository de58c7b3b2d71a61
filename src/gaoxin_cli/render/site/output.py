"""Writing the site: only the pages whose bytes changed are rewritten (so rsync, the web
server's ETags and the browsers' caches see the others untouched), each through a
temporary file renamed into place (a reader never sees half a page), and pages a previous
build wrote that are gone now (a cancelled task's notices, say) are removed. Only files
this tool wrote — listed in the site's manifest — are ever removed.

The manifest (``.gaoxin-site``) also keeps each task page's fingerprint — what the page
was made from — so that the next build skips the pages whose fingerprint is the same,
without reading their events or making them again.
"""

import os
from pathlib import Path
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.render.site.base import Page

MANIFEST = ".gaoxin-site"


class Written(NamedTuple):
    written: list[str]  # pages (re)written, relative paths
    unchanged: int
    removed: list[str]


def previous(out: Path) -> dict[str, str]:
    """The fingerprints of the last build's pages that are still there."""
    return {rel: fp for rel, fp in _manifest(out).items() if fp and (out / rel).is_file()}


class Writer:
    """Writes pages under *out* one at a time, then (:meth:`finish`) removes what the
    last build wrote and this one did not, and writes the manifest."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[str] = []
        self.unchanged = 0
        self.listed: dict[str, str] = {}
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(exc, out) from exc

    def write(self, page: Page) -> None:
        rel = page.path
        self.listed[rel] = page.fingerprint
        if page.text is None:
            self.unchanged += 1
            return
        data = page.text.encode("utf-8")
        target = self.out / rel
        try:
            if _same(target, data):
                self.unchanged += 1
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            raise _error(exc, target) from exc
        self.written.append(rel)

    def merge(self, written: list[str], unchanged: int, listed: dict[str, str]) -> None:
        """What another process wrote into the same folder (its share of the pages)."""
        self.written += written
        self.unchanged += unchanged
        self.listed.update(listed)

    def finish(self) -> Written:
        out = self.out
        try:
            before = _manifest(out)
            removed = []
            for rel in sorted(before.keys() - self.listed.keys()):
                target = out / rel
                if target.resolve().is_relative_to(out.resolve()) and target.is_file():
                    target.unlink()
                    removed.append(rel)
            text = "".join(f"{rel}\t{fp}\n" for rel, fp in sorted(self.listed.items()))
            if not _same(out / MANIFEST, text.encode("utf-8")):
                tmp = out / f"{MANIFEST}.tmp"
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, out / MANIFEST)
        except OSError as exc:
            raise _error(exc, out) from exc
        return Written(sorted(self.written), self.unchanged, removed)


def _error(exc: OSError, path: Path) -> GaoxinError:
    return GaoxinError(
        "error.write_output", path=str(exc.filename or path), reason=exc.strerror or exc
    )


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def _manifest(out: Path) -> dict[str, str]:
    """Path → fingerprint of what the last build wrote (relative paths only)."""
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):  # a first build; Writer says why not
        return {}
    found = {}
    for line in lines:
        rel, _, fp = line.partition("\t")
        # relative paths inside the folder only: a damaged manifest removes nothing else
        if rel and not rel.startswith(("/", ".", "\\")) and "/../" not in f"/{rel}/":
            found[rel] = fp
    return found
