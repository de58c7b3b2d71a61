"""One exception tree; the CLI translates it once, at the boundary.

Exit codes (documented in the README):
  0  success
  1  a user problem: bad input, validation problems found, refused action
  2  usage error: unknown option, bad option value
  3  unexpected error (a bug): short message on stderr, traceback in the log file
  130 interrupted (Ctrl-C)
"""

from __future__ import annotations

from gaoxin_cli.i18n import Lang, Msg

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


class GaoxinError(Exception):
    """An error written for people. ``key`` names a message in the catalogue."""

    exit_code = EXIT_PROBLEM

    def __init__(self, key: str, /, *, hint: Msg | None = None, **params: object) -> None:
        super().__init__(key)
        self.msg = Msg(key, **params)
        self.hint = hint

    def message(self, lang: Lang) -> str:
        return self.msg.render(lang)

    def __str__(self) -> str:
        return self.msg.render("en")


class UsageError(GaoxinError):
    """A bad option value or combination (exit 2)."""

    exit_code = EXIT_USAGE


class WorkspaceError(GaoxinError):
    """The workspace cannot be found or read."""


class CalendarYearMissing(GaoxinError):
    """A working-day question about a year that has no holiday data."""

    def __init__(self, year: int, known: tuple[int, int] | None) -> None:
        lo, hi = known if known else (0, 0)
        super().__init__(
            "error.calendar_year_missing",
            hint=Msg("hint.calendar_year", year=year),
            year=year,
            lo=lo,
            hi=hi,
        )
        self.year = year


class CalendarOutOfRange(GaoxinError):
    """A working-day question beyond the years a date can hold (a mistyped date)."""

    def __init__(self, year: int) -> None:
        super().__init__("error.calendar_out_of_range", year=year)
        self.year = year


class StoreError(GaoxinError):
    """The status database is locked, read-only, corrupt or from a newer gaoxin."""
