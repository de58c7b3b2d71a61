"""The status store: SQLite through sqlite-utils, append-only events, derived state.

    from gaoxin_cli.store import Store

    with Store.open(path, write=True) as store:
        with store.transaction():                 # BEGIN IMMEDIATE … COMMIT
            if event.progress >= store.state(task, today).progress:
                store.add([event])
        store.states(as_of)                       # {task: TaskState}

See docs/store.md for the schema, migrations, locking, state checkpoints and the errors
raised. Importing this package is cheap: sqlite-utils is imported only when a migration
has to run or :attr:`Store.db` is asked for.
"""

from __future__ import annotations

from gaoxin_cli.store.core import Store

__all__ = ["Store"]
