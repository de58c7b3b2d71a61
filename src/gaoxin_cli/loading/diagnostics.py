"""Problems found in a workspace, as values: file, position, stable code, message, hint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gaoxin_cli.i18n import Lang, Msg

Severity = Literal["error", "warning"]

# Codes reported as warnings (everything else is an error); docs/validation.md lists them.
WARNING_CODES = frozenset(
    {"X313", "X317", "X318", "W401", "W402", "W403", "W404", "W405", "W406", "W407"}
)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str
    path: str
    line: int
    col: int
    params: dict[str, object] = field(default_factory=dict, compare=False)
    hint: Msg | None = field(default=None, compare=False)

    @classmethod
    def at(
        cls,
        code: str,
        path: str,
        pos: tuple[int, int],
        *,
        hint: Msg | None = None,
        **params: object,
    ) -> Diagnostic:
        """A problem with *code* at *pos*; its severity follows from the code."""
        severity: Severity = "warning" if code in WARNING_CODES else "error"
        return cls(severity, code, path, pos[0], pos[1], params, hint)

    def message(self, lang: Lang) -> str:
        return Msg("diag." + self.code, **self.params).render(lang)

    def hint_text(self, lang: Lang) -> str | None:
        return self.hint.render(lang) if self.hint else None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)
