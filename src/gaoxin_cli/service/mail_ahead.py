"""The day's mails built on two cores: a forked child builds the second part of them
while this process builds, writes or sends the first.

A city's first run words some 84,000 digest entries into 88 mails; building them is about
half of ``notify``. ``notify`` starts the child as soon as the day's digests are known,
before the notices' rows are written (service/notify.py, ``prepare``'s *meanwhile*): the
child builds while this process writes and commits the filing and records the intents,
so it takes the larger part (:data:`CHILD_SHARE`).

Nothing goes out before the filing has committed and every intent is recorded. Until
then the child writes each mail it built, pickled, into an unlinked temporary file (the
spool). SMTP: each mail still goes out from this process, in order, read back from the
spool when the transport asks for it (given its intent). An outbox: once the intents are
recorded this process tells the child each of its mails' intent (:meth:`Mails.go_ahead`),
and the child writes its mails to the outbox itself, the spooled ones first, through the
same ``notify/outbox.py`` (synced, linked, never replacing a file), and tells of each
file through a pipe. This process records them in order, as its own, after checking that
each file it was told of holds that mail's Message-ID; a mail the child could not write
(the outbox refused it), or told of wrongly, is written here from the spool. So this
process neither reads back nor writes the child's 70 MB (a city's first run ended ~0.1 s
sooner, bench/README.md, seventeenth round). The child touches no database, lock or
connection of this process: it builds from what was in memory at the fork and ends with
``os._exit`` (service/forked.py).

A child that fails or dies costs time only: the mails it did not write or spool whole
are built here, and a file it wrote before it died is this mail's file (written whole
before it was linked; checked as above). The mails are the same either way
(tests/test_notify_outbox_paths.py).
"""

from __future__ import annotations

import os
import pickle
import select
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import IO, NamedTuple

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
# Writes a mail (with its intent) to the outbox; returns the file's name (the child's
# mails: notify/outbox.py ``write``).
Deliver = Callable[[Outgoing], str]
# Where the child put each mail: its Message-ID, offset and length in the file.
Placed = list[tuple[str, int, int]]


class Done(NamedTuple):
    """What the child sends back when it ends."""

    placed: Placed  # the mails in the spool (those it did not write, at least)
    wrote: list[str]  # the Message-IDs of the mails it wrote to the outbox


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
    planned: Sequence[Planned],
    make: Make,
    cache_for: Callable[[Sequence[Planned]], EntryCache],
    deliver: Deliver | None = None,
) -> Iterator[Mails]:
    """The mails of *planned* for the transport (:class:`Mails`): *make* (with an entry
    cache *cache_for* made for the mails it builds) here for the first part, the child's
    for the rest when it was started (:data:`PARALLEL_MIN_ITEMS`, :func:`forked.can_fork`).
    *deliver* (an outbox): the child also writes its mails, once :meth:`Mails.go_ahead` has
    given them their intents."""
    cut = split_at(planned)
    if sum(len(p.digest.items) for p in planned) < PARALLEL_MIN_ITEMS or cut >= len(planned):
        yield Mails(planned, (), make, cache_for)
        return
    mine, theirs = planned[:cut], planned[cut:]
    with ExitStack() as stack:
        spool = stack.enter_context(tempfile.TemporaryFile())
        go_read, go_write = _pipe(stack) if deliver is not None else (None, None)
        told_read, told_write = _pipe(stack) if deliver is not None else (None, None)

        def work() -> Done:
            for end in (go_write, told_read):  # this process's ends, not the child's
                if end is not None:
                    end.close()
            child = _Child(theirs, spool, deliver, go_read, told_write)
            cache = cache_for(theirs)
            for i, p in enumerate(theirs):
                child.built(i, make(p, cache))
            child.finish()
            return Done(child.placed, child.wrote)

        # The child builds from memory and writes only the spool, the pipe and, told
        # to, the outbox; it must not touch this process's store connection, which
        # stays open across the fork unused.
        pending = stack.enter_context(forked.started(work))
        for end in (go_read, told_write):  # the child's ends: its copies are its own
            if end is not None:
                end.close()
        if pending is None:
            go_write = told_read = None  # no child: every mail is built here
        yield Mails(mine, theirs, make, cache_for, pending, spool, go_write, told_read)


def _pipe(stack: ExitStack) -> tuple[IO[str], IO[str]]:
    read_end, write_end = os.pipe()
    return (
        stack.enter_context(os.fdopen(read_end, encoding="utf-8")),
        stack.enter_context(os.fdopen(write_end, "w", encoding="utf-8")),
    )


class _Child:
    """(In the child.) What becomes of each mail it built: kept in the spool until
    this process tells it the intents (:meth:`Mails.go_ahead`); then written to the outbox
    (*deliver*), in order, and told of, one line each (``"<index> <file name>"``, or
    ``"<index> -"``: in the spool, not written). Without *deliver*, only spooled."""

    def __init__(
        self,
        theirs: Sequence[Planned],
        spool: IO[bytes],
        deliver: Deliver | None,
        go: IO[str] | None,
        told: IO[str] | None,
    ) -> None:
        self.theirs, self.spool, self.deliver = theirs, spool, deliver
        self.go, self.told = go, told
        self.placed: Placed = []
        self.wrote: list[str] = []
        self.intents: list[int | None] | None = None  # None: not told yet
        self.waiting: list[tuple[int, int, int]] = []  # (index, offset, size) spooled
        self.stopped = deliver is None  # no more writing: none asked, or one failed

    def built(self, index: int, out: Outgoing) -> None:
        if self.intents is None and not self.stopped and self._ready():
            self._told()
        if self.intents is not None:
            self._catch_up()
            self._deliver(index, out)
        else:
            self._spool(index, out)

    def finish(self) -> None:
        """Every mail built: wait to be told (unless stopped), write what waits."""
        if self.intents is None and not self.stopped:
            self._told()
        if self.intents is not None:
            self._catch_up()

    def _ready(self) -> bool:
        assert self.go is not None
        return bool(select.select([self.go], [], [], 0)[0])

    def _told(self) -> None:
        """Read the intents (blocking until this process sends them or closes the
        pipe: then it will never say go, and nothing is written)."""
        assert self.go is not None
        line = self.go.readline()
        if not line.endswith("\n"):
            self.stopped = True
            return
        words = line.split()
        if len(words) != len(self.theirs):
            self.stopped = True
            return
        self.intents = [None if w == "-" else int(w) for w in words]

    def _catch_up(self) -> None:
        waiting, self.waiting = self.waiting, []
        for index, at, size in waiting:
            out = pickle.loads(os.pread(self.spool.fileno(), size, at))
            self._deliver(index, out, spooled=True)

    def _deliver(self, index: int, out: Outgoing, *, spooled: bool = False) -> None:
        intents = self.intents
        intent = intents[index] if intents is not None else None
        name = None
        if not self.stopped and intent is not None and self.deliver is not None:
            try:
                name = self.deliver(replace(out, intent=intent))
                self.wrote.append(out.message_id)
            except Exception:  # the outbox refuses: this process writes, and reports
                self.stopped = True
        if name is None and not spooled:
            self._spool(index, out)
        self._tell(index, name)

    def _spool(self, index: int, out: Outgoing) -> None:
        data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        at = self.spool.tell()
        self.spool.write(data)
        self.spool.flush()  # in the file before this process may read it
        self.placed.append((out.message_id, at, len(data)))
        if self.intents is None and not self.stopped:
            self.waiting.append((index, at, len(data)))

    def _tell(self, index: int, name: str | None) -> None:
        if self.told is not None:
            self.told.write(f"{index} {name or '-'}\n")
            self.told.flush()


class Mails:
    """The transport's ``build(p)``: the mails of the first part made here, the others
    read from the child's spool (made here when the child failed or left one out).
    With an outbox, :meth:`written` tells which of the child's mails it wrote itself."""

    def __init__(
        self,
        mine: Sequence[Planned],
        theirs: Sequence[Planned],
        make: Make,
        cache_for: Callable[[Sequence[Planned]], EntryCache],
        pending: forked.Pending[Done] | None = None,
        spool: IO[bytes] | None = None,
        go: IO[str] | None = None,
        told: IO[str] | None = None,
    ) -> None:
        self.make, self.cache_for = make, cache_for
        # By Message-ID: the transport is given the same mails with their intents.
        self.mine = {p.message_id for p in mine}
        self.theirs = theirs
        self.index = {p.message_id: i for i, p in enumerate(theirs)}
        self.cache = cache_for(mine)
        self.pending = pending
        self.spool = spool
        self.go, self.told = go, told
        self.names: dict[int, str | None] = {}  # what the child told, by index
        self.heard = b""  # the start of a line not yet whole
        self.placed: dict[str, tuple[int, int]] | None = None
        self.fallback: EntryCache | None = None

    def go_ahead(self, planned: Sequence[Planned]) -> None:
        """The filing has committed and every intent is recorded: the child may write
        its mails, each named after its intent in *planned* (none for a mail not in
        it). Once; without a child writing, nothing."""
        go, self.go = self.go, None
        if go is None:
            return
        intents = {p.message_id: p.intent for p in planned}
        words = [intents.get(p.message_id) for p in self.theirs]
        try:
            go.write(" ".join("-" if i is None else str(i) for i in words) + "\n")
            go.close()
        except OSError:  # the child is gone: its mails are made here
            self.told = None

    def written(self, p: Planned) -> str | None:
        """The outbox file name the child wrote *p* to, waiting until it tells; None
        when it did not (not its mail, not told to, or it failed or died)."""
        index = self._index(p)
        if index is None:
            return None
        while index not in self.names and self.told is not None:
            self._hear(wait=True)
        return self.names.get(index)

    def waiting_for(self, p: Planned) -> bool:
        """Whether :meth:`written` would now wait for the child to tell of *p* (the
        transport records what it has meanwhile)."""
        index = self._index(p)
        if index is None or index in self.names or self.told is None:
            return False
        self._hear(wait=False)
        return index not in self.names and self.told is not None

    def _index(self, p: Planned) -> int | None:
        index = self.index.get(p.message_id)
        if index is None or p.message_id in self.mine:
            return None
        self._never_told()  # asked before go_ahead: the child is to write nothing
        return index

    def _hear(self, *, wait: bool) -> None:
        """Take in the lines the child has told (*wait*: at least one, or its end)."""
        told = self.told
        assert told is not None
        if not wait and not select.select([told], [], [], 0)[0]:
            return
        data = os.read(told.fileno(), 1 << 16)
        if not data:  # the end: the child died, or is done
            self._reap()
            return
        self.heard += data
        *lines, self.heard = self.heard.split(b"\n")
        for line in lines:
            at, _, name = line.decode("utf-8", "replace").partition(" ")
            if at.isdigit():
                self.names[int(at)] = None if name == "-" else name
        if len(self.names) >= len(self.theirs):  # told of every mail: it ends now
            self._reap()

    def __call__(self, p: Planned) -> Outgoing:
        if p.message_id in self.mine:
            return self.make(p, self.cache)
        where = self._placed().get(p.message_id)
        if where is not None and self.spool is not None:
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

    def _reap(self) -> None:
        self.told = None
        self._placed()

    def _never_told(self) -> None:
        go, self.go = self.go, None
        if go is not None:
            go.close()  # the child reads the end: it writes nothing, and ends

    def _placed(self) -> dict[str, tuple[int, int]]:
        if self.placed is None:
            self._never_told()  # (a child waiting to be told would never end)
            self.told = None  # the child has ended: it tells no more
            got = self.pending.result() if self.pending is not None else None
            placed = got.placed if isinstance(got, Done) else ()
            self.placed = {mid: (at, n) for mid, at, n in placed}
        return self.placed
