"""The scores of a month that is over, kept between runs (a ``ranking.MonthMemo``).

Scoring a month reads every task's facts of it from the store: at 100,000 tasks and
10,000,000 events ~0.8 s, and a month's ranking scores the month before it as well (the
change column), a bulletin two months. Once a month is over its scores can change only
when

- the plan changes (the digest of its files, as the plan cache has it),
- an event dated on or before the month's last day is written after they were scored
  (a late report, an entry dated back, an import),
- a manual score item of the month is recorded or the store is another one,
- gaoxin or chinesecalendar is upgraded.

So a month scored after its end is kept in the user's cache folder
(``GAOXIN_HOME/cache/scores``, a file per store and month), with everything in the list
but the events, and the last event id it was scored at with that event's row. It is
used again only when all of those are the same, and no event after that one is dated
within the month (one lookup by primary key and a range scan of the events written
since, in the same transaction as the rest of the reads). Anything else — no such
file, a file of another format, one that does not unpickle, a different row, a late
event — means the month is scored from the store as before; a file that cannot be
written costs nothing.

The folder keeps the :data:`KEEP` files written last (one per store and month). The
month being scored on the day it ends or before is never kept: events of today may
still come. Nothing here changes what is shown (tests/test_month_scores.py holds the
kept scores equal to fresh ones, and a late event or a changed plan scoring again).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaoxin_cli import __version__
from gaoxin_cli.loading.cachefiles import prune_oldest, write_whole
from gaoxin_cli.ranking.scores import Line, Stats, UnitScore

if TYPE_CHECKING:
    from gaoxin_cli.calendar import WorkCalendar
    from gaoxin_cli.ranking.inputs import ScoreItem
    from gaoxin_cli.ranking.period import Period
    from gaoxin_cli.store import Store

# Bump when what a month's scores are computed from, or how, changes within a version.
FORMAT = 1
# The folder keeps the files written last, this many: five years of months of one store,
# or the months of several (each store has a file per month; a test's store, too).
KEEP = 60
_HEADER = f"month-scores|{FORMAT}|{__version__}"
_LAST_EVENT = "SELECT id, task, kind, at, data, recorded_at FROM events WHERE id = ?"
_LATE = "SELECT EXISTS (SELECT 1 FROM events WHERE id > ?1 AND at <= ?2)"


class MonthScores:
    """The months of one run's scoring, kept in and recalled from *folder*.

    *cardless* is the scoring source's list of month ends read with no card recorded
    (``ranking.live.MonthSource.cardless``), and *calendar* the run's calendar: a month
    recalled adds to them what scoring it would have added."""

    def __init__(
        self,
        folder: Path,
        st: Store,
        db: Path,
        plan_digest: str,
        today: date,
        cardless: list[date],
        calendar: WorkCalendar,
    ) -> None:
        self.folder, self.st, self.today = folder, st, today
        self.cardless, self.calendar = cardless, calendar
        self.db = str(db.resolve())
        self._base = (_HEADER, _calendar_version(), self.db, plan_digest)
        self._estimated_before: dict[str, set[int]] = {}

    def _place(self, month: Period, end: date, items: Sequence[ScoreItem]) -> _Place | None:
        """The file of *month* and what its scores were made from; None: not kept."""
        if month.kind != "month" or end != month.end or end >= self.today:
            return None  # still running (or ending today): events may still come
        own = tuple(repr(it) for it in items if it.period == month.key)
        key = repr((*self._base, month.key, end.isoformat(), own))
        name = hashlib.blake2b(self.db.encode(), digest_size=8).hexdigest()
        return self.folder / f"month-{month.key}-{name}.pickle", key

    def recall(
        self, month: Period, end: date, items: Sequence[ScoreItem]
    ) -> dict[str, UnitScore] | None:
        place = self._place(month, end, items)
        if place is None:
            return None
        path, key = place
        self._estimated_before[month.key] = set(self.calendar.estimated)
        try:
            with open(path, "rb") as fh:
                head = self._head(fh, key, end)
                if head is None:
                    return None
                cardless, estimated = head
                scores = _scores(pickle.load(fh))
        except Exception:  # none yet, unreadable, or not ours: score it
            return None
        if cardless:
            self.cardless.append(end)
        self.calendar.estimated.update(estimated)
        return scores

    def holds(self, month: Period, end: date, items: Sequence[ScoreItem]) -> bool:
        """Whether :meth:`recall` would find the month's scores (their file's head read
        alone)."""
        place = self._place(month, end, items)
        if place is None:
            return False
        path, key = place
        try:
            with open(path, "rb") as fh:
                return self._head(fh, key, end) is not None
        except Exception:
            return False

    def _head(self, fh: Any, key: str, end: date) -> tuple[bool, list[int]] | None:
        """The head of a kept month (whether it was cardless, the years its calendar
        estimated) when it was made of *key* and still holds."""
        header, made_of, mark, row, cardless, estimated = pickle.load(fh)
        if header != _HEADER or made_of != key or not self._still_holds(mark, row, end):
            return None
        return bool(cardless), list(estimated)

    def keep(
        self,
        month: Period,
        end: date,
        items: Sequence[ScoreItem],
        scores: Mapping[str, UnitScore],
    ) -> None:
        place = self._place(month, end, items)
        if place is None or any(s.parts for s in scores.values()):
            return
        path, key = place
        mark = self.st.query("SELECT max(id) FROM events")[0][0] or 0
        row = self._row(mark)
        before = self._estimated_before.pop(month.key, set())
        estimated = sorted(set(self.calendar.estimated) - before)
        cardless = bool(self.cardless) and self.cardless[-1] == end
        # Written whole or not at all; one that cannot be written is scored next time.
        write_whole(path, (_HEADER, key, mark, row, cardless, estimated), _rows(scores))
        prune_oldest(self.folder, "month-", KEEP)

    def _row(self, mark: int) -> tuple[Any, ...] | None:
        found = self.st.query(_LAST_EVENT, (mark,))
        return tuple(found[0]) if found else None

    def _still_holds(self, mark: int, row: tuple[Any, ...] | None, end: date) -> bool:
        """The store still has the event the scores were made at, unchanged, and no
        event written since is dated within the month."""
        if not isinstance(mark, int) or self._row(mark) != row:
            return False
        return not self.st.query(_LATE, (mark, end.isoformat()))[0][0]


def memo_for(
    cache: Path | None,
    st: Store,
    db: Path,
    plan_digest: str | None,
    today: date,
    cardless: list[date],
    calendar: WorkCalendar,
) -> MonthScores | None:
    """A :class:`MonthScores` in *cache*/scores, or None when there is no cache folder or
    the plan's digest is not known (a plan not read through the plan cache)."""
    if cache is None or plan_digest is None:
        return None
    return MonthScores(cache / "scores", st, db, plan_digest, today, cardless, calendar)


def _calendar_version() -> str:
    import chinese_calendar

    return str(getattr(chinese_calendar, "__version__", "?"))


# Stored as plain tuples, one per unit with its lines, not as the dataclasses: a month of
# 100,000 tasks has ~28,000 lines, which unpickle as objects in ~0.17 s.
_Row = tuple[str, str, int, tuple[int, ...], list[tuple[Any, ...]]]
_Place = tuple[Path, str]
_STATS = tuple(f.name for f in fields(Stats))


def _rows(scores: Mapping[str, UnitScore]) -> list[_Row]:
    return [
        (
            s.unit,
            s.period,
            s.points,
            tuple(getattr(s.stats, f) for f in _STATS),
            [(ln.rule, ln.points, ln.task, ln.title, dict(ln.detail)) for ln in s.lines],
        )
        for s in scores.values()
    ]


def _scores(rows: list[_Row]) -> dict[str, UnitScore]:
    return {
        unit: UnitScore(unit, period, points, tuple(starmap(Line, lines)), Stats(*stats))
        for unit, period, points, stats, lines in rows
    }
