"""The zh / en message catalogue.

Core modules never format user-facing text themselves: they raise errors or return
diagnostics that carry a message key and parameters, and the CLI renders them in the
chosen language. Chinese is the default; ``--lang en`` or ``GAOXIN_LANG=en`` switch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Msg:
    """A translatable message: a catalogue key and its parameters."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def render(self, lang: Lang) -> str:
        return t(self.key, lang, **self.params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class Joined(Msg):
    """Messages rendered one after another (lines of an error, by default)."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: tuple[Msg, ...], sep: str = "\n") -> None:
        super().__init__("", parts=parts)
        self.parts = parts
        self.sep = sep

    def render(self, lang: Lang) -> str:
        return self.sep.join(p.render(lang) for p in self.parts)


_CATALOGUE: dict[str, tuple[str, str]] = {}


def has(key: str) -> bool:
    return key in _catalogue()


def t(key: str, lang: Lang = "zh", /, **params: object) -> str:
    """Format message *key* in *lang*; nested :class:`Msg` parameters are rendered too."""
    zh, en = _catalogue()[key]
    template = zh if lang == "zh" else en
    if not any(isinstance(v, Msg) for v in params.values()):
        return template.format(**params)  # the common case: plain values
    rendered = {k: (v.render(lang) if isinstance(v, Msg) else v) for k, v in params.items()}
    return template.format(**rendered)


def _catalogue() -> dict[str, tuple[str, str]]:
    if not _CATALOGUE:
        from gaoxin_cli.i18n import (
            catalogue,
            catalogue_calendar,
            catalogue_channels,
            catalogue_escalation,
            catalogue_import,
            catalogue_ledger,
            catalogue_ledger_import,
            catalogue_lifecycle,
            catalogue_month,
            catalogue_notice,
            catalogue_sign,
            catalogue_site,
            catalogue_status,
        )

        for block in (
            catalogue.MESSAGES,
            catalogue_status.MESSAGES,
            catalogue_escalation.MESSAGES,
            catalogue_month.MESSAGES,
            catalogue_lifecycle.MESSAGES,
            catalogue_calendar.MESSAGES,
            catalogue_notice.MESSAGES,
            catalogue_ledger.MESSAGES,
            catalogue_ledger_import.MESSAGES,
            catalogue_sign.MESSAGES,
            catalogue_channels.MESSAGES,
            catalogue_import.MESSAGES,
            catalogue_site.MESSAGES,
        ):
            clash = _CATALOGUE.keys() & block.keys()
            if clash:
                raise KeyError(f"message keys defined twice: {sorted(clash)}")
            _CATALOGUE.update(block)
    return _CATALOGUE


def parse_lang(value: str | None) -> Lang | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v.startswith("zh") or v in ("cn", "chinese", "中文"):
        return "zh"
    if v.startswith("en") or v == "english":
        return "en"
    return None


def initial_lang(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> Lang:
    """The language before option parsing (for --help texts): argv, then GAOXIN_LANG."""
    args = sys.argv[1:] if argv is None else argv
    env = os.environ if environ is None else environ
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = parse_lang(args[i + 1])
            if lang:
                return lang
        if arg.startswith("--lang="):
            lang = parse_lang(arg.split("=", 1)[1])
            if lang:
                return lang
    return parse_lang(env.get("GAOXIN_LANG")) or "zh"
