"""The day's notices' bodies encoded on the second core while the filing gets the rest
of their rows ready (``store.notices.file_notices``, its *encoded*).

A city's first run files some 57,000 notices, each with a JSON snapshot of its task
(~24 MB in all): encoding them is about a third of the filing's Python. A forked child
encodes every body of *new*, each shared body once, into an unlinked temporary file,
and sends back where each notice's text lies. This process numbers the notices and
makes every other value of their rows meanwhile, then reads the file once and binds
each body's bytes from it. The child touches no database, lock or connection: it
encodes from what was in memory at the fork and ends with ``os._exit``
(service/forked.py).

A child that fails or dies, or a file that reads short, costs time only: the bodies
are then encoded in this process. The rows are the same either way
(tests/test_notify_outbox_paths.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from gaoxin_cli.models.notice import JSON, NewNotice
from gaoxin_cli.service import forked
from gaoxin_cli.store.notices import BodyTexts

# Fewer notices than this are encoded in this process: a fork and reading the file back
# cost more than the encoding they take over (about 5 µs a body).
PARALLEL_MIN_NOTICES = 5000

# Where the child put each notice's text: offset and length in the file, by index of *new*.
Placed = list[tuple[int, int]]


@contextmanager
def encoded(new: Sequence[NewNotice]) -> Iterator[Callable[[], BodyTexts | None] | None]:
    """For :func:`~gaoxin_cli.store.notices.file_notices`: the bodies of *new* encoded by
    a child started now, or None when none was (too few notices, :func:`forked.can_fork`
    said no). Asked, it waits for the child; None then means encode them yourself."""
    if len(new) < PARALLEL_MIN_NOTICES:
        yield None
        return
    with tempfile.TemporaryFile() as spool:

        def work() -> Placed:
            encode = JSON.encode
            at: dict[int, tuple[int, int]] = {}  # by id: the bodies live as long as *new*
            placed: Placed = []
            offset = 0
            for n in new:
                body = n.body
                where = at.get(id(body))
                if where is None:
                    data = encode(body if type(body) is dict else dict(body)).encode("utf-8")
                    spool.write(data)
                    where = at[id(body)] = (offset, len(data))
                    offset += len(data)
                placed.append(where)
            spool.flush()
            return placed

        with forked.started(work) as pending:
            if pending is None:
                yield None
                return

            def ready() -> BodyTexts | None:
                placed = pending.result()
                if placed is None or len(placed) != len(new):
                    return None
                spool.seek(0)
                blob = memoryview(spool.read())
                if not _tiled(placed, len(blob)):
                    return None  # a file cut short, or places that are not its texts

                def text_of(index: int) -> memoryview:
                    at, size = placed[index]
                    return blob[at : at + size]

                return text_of

            yield ready


def _tiled(placed: Placed, size: int) -> bool:
    """Do the places cover a file of *size* bytes as the child wrote it: each text right
    after the one before, or one already written (a shared body), and nothing after?"""
    end = 0
    for at, length in placed:
        if at == end:
            end += length
        elif at + length > end:
            return False
    return end == size
