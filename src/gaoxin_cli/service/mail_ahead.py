"""The day's mails built on two cores: a forked child builds the second part of them
while this process builds, writes or sends the first.

A city's first run words some 84,000 digest entries into 88 mails; building them is about
half of ``notify``. ``notify`` starts the child as soon as the day's digests are known,
before the notices' rows are written (service/notify.py, ``prepare``'s *meanwhile*): the
child builds while this process writes and commits the filing and records the intents,
so it takes the larger part (:data:`CHILD_SHARE`). The mails it built before the intents
were recorded are given theirs when read back. Each mail still goes out from this
process, in order, through the same transport, and is recorded as before, and none
before the filing has committed: the child only builds. It writes each mail
it built, pickled, into an unlinked temporary file and sends back where each one lies,
so a mail is read back when the transport asks for it, one at a time (and again if it
asks twice). The child touches no database, lock or connection of this process: it
builds from what was in memory at the fork and ends with ``os._exit``
(service/forked.py).

A child that fails or dies costs time only: the mails it did not deliver are built here.
The mails are the same either way (tests/test_notify_outbox_paths.py).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import IO

from gaoxin_cli.notify.digest import EntryCache
from gaoxin_cli.notify.message import Outgoing, Planned
from gaoxin_cli.service import forked

# Fewer digest items than this are built in one process: a fork, and reading the mails
# back, cost more than the half of the wording they take over.
PARALLEL_MIN_ITEMS = 5000
# The child's part of the digest items. It starts while the notices' rows are written
# (about a second at 100,000 tasks), this process only after: 60 % for the child took
# a city's first run from 5.3-5.5 s to 4.7 s (alternating pairs, bench/README.md,
# fifteenth round).
CHILD_SHARE = 0.6

Make = Callable[[Planned, EntryCache], Outgoing]
# Where the child put each mail: its Message-ID, offset and length in the file.
Placed = list[tuple[str, int, int]]


def split_at(planned: Sequence[Planned], share: float = CHILD_SHARE) -> int:
    """Where the child's part begins: about *share* of the digest items after it, the
    mails kept in order (the first part is sent while the rest is built)."""
    sizes = [len(p.digest.items) for p in planned]
    mine, seen = sum(sizes) * (1 - share), 0
    for i, n in enumerate(sizes):
        if seen + n / 2 > mine:
            return i
        seen += n
    return len(planned)


@contextmanager
def built(
    planned: Sequence[Planned], make: Make, cache_for: Callable[[Sequence[Planned]], EntryCache]
) -> Iterator[Callable[[Planned], Outgoing]]:
    """A ``build`` for the transport: *make* (with an entry cache *cache_for* made for
    the mails it builds) here for the first part of *planned*, the child's for the rest
    when it was started (:data:`PARALLEL_MIN_ITEMS`, :func:`forked.can_fork`)."""
    cut = split_at(planned)
    if sum(len(p.digest.items) for p in planned) < PARALLEL_MIN_ITEMS or cut >= len(planned):
        cache = cache_for(planned)
        yield lambda p: make(p, cache)
        return
    mine, theirs = planned[:cut], planned[cut:]
    with tempfile.TemporaryFile() as spool:

        def work() -> Placed:
            cache = cache_for(theirs)
            placed: Placed = []
            for p in theirs:
                data = pickle.dumps(make(p, cache), protocol=pickle.HIGHEST_PROTOCOL)
                placed.append((p.message_id, spool.tell(), len(data)))
                spool.write(data)
            spool.flush()
            return placed

        # The child builds from memory and writes only the spool; it must not touch
        # this process's store connection, which stays open across the fork unused.
        with forked.started(work) as pending:
            yield _Builder(mine, theirs, make, cache_for, pending, spool)


class _Builder:
    """``build(p)``: the mails of the first part made here, the others read from the
    child's spool (made here when the child failed or left one out)."""

    def __init__(
        self,
        mine: Sequence[Planned],
        theirs: Sequence[Planned],
        make: Make,
        cache_for: Callable[[Sequence[Planned]], EntryCache],
        pending: forked.Pending[Placed] | None,
        spool: IO[bytes],
    ) -> None:
        self.make, self.cache_for = make, cache_for
        # By Message-ID: the transport is given the same mails with their intents.
        self.mine = {p.message_id for p in mine}
        self.theirs = theirs
        self.cache = cache_for(mine)
        self.pending = pending
        self.spool = spool
        self.placed: dict[str, tuple[int, int]] | None = None
        self.fallback: EntryCache | None = None

    def __call__(self, p: Planned) -> Outgoing:
        if p.message_id in self.mine:
            return self.make(p, self.cache)
        where = self._placed().get(p.message_id)
        if where is not None:
            try:
                self.spool.seek(where[0])
                out = pickle.loads(self.spool.read(where[1]))
            except (OSError, EOFError, pickle.UnpicklingError):  # a spool cut short
                out = None
            if isinstance(out, Outgoing) and out.message_id == p.message_id:
                # Built before the intents were recorded: *p* carries its intent.
                return out if out.intent == p.intent else replace(out, intent=p.intent)
        if self.fallback is None:  # the child's part, built here
            self.fallback = self.cache_for(self.theirs)
        return self.make(p, self.fallback)

    def _placed(self) -> dict[str, tuple[int, int]]:
        if self.placed is None:
            got = self.pending.result() if self.pending is not None else None
            self.placed = {mid: (at, n) for mid, at, n in got or ()}
        return self.placed
