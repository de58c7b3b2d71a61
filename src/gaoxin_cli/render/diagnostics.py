"""Validation results as text for people, JSON for tools, or GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence

from gaoxin_cli.i18n import Lang, t
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.render.text import safe


def as_text(diags: Sequence[Diagnostic], lang: Lang) -> str:
    lines = []
    hint_label = t("error.hint_prefix", lang)
    for d in diags:
        sev = t(f"validate.severity.{d.severity}", lang)
        lines.append(f"{safe(d.path)}:{d.line}:{d.col}: {sev} {d.code} {safe(d.message(lang))}")
        hint = d.hint_text(lang)
        if hint:
            sep = "：" if lang == "zh" else ": "
            for i, h in enumerate(safe(hint, multiline=True).splitlines()):
                lines.append(("    " + hint_label + sep if i == 0 else "    ") + h)
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(diags: Sequence[Diagnostic], lang: Lang, *, files: int, tasks: int) -> str:
    doc = {
        "files": files,
        "tasks": tasks,
        "errors": sum(d.severity == "error" for d in diags),
        "warnings": sum(d.severity == "warning" for d in diags),
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "severity": d.severity,
                "code": d.code,
                "message": d.message(lang),
                "hint": d.hint_text(lang),
            }
            for d in diags
        ],
    }
    from gaoxin_cli.render.json_text import indented  # orjson: only for --json

    return indented(doc)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def as_github(diags: Sequence[Diagnostic], lang: Lang) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` line per problem."""
    out = []
    for d in diags:
        msg = d.message(lang)
        hint = d.hint_text(lang)
        if hint:
            msg += "\n" + hint
        title = _gh_prop("gaoxin " + d.code)
        props = f"file={_gh_prop(d.path)},line={d.line},col={d.col},title={title}"
        out.append(f"::{d.severity} {props}::{_gh_data(safe(msg, multiline=True))}")
    return "\n".join(out) + ("\n" if out else "")
