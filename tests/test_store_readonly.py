"""Reading a database this user cannot write (issue 13 item 8): the cron jobs run as
``gaoxin`` and own the file; a clerk, or any other account with read access, runs the
read commands.

Two ways to be such a reader, so the tests mean something as root and as a normal user:

* **another user**: as root, the command runs as ``nobody`` through ``setpriv``, keeping
  only CAP_DAC_READ_SEARCH (read any file, write none) so that it can reach the Python
  installation and the test's private temporary directory; file modes then stop it from
  writing as they stop any clerk. Skipped where setpriv or the capability is missing.
* **modes**: the file and its directory ``chmod a-w``; as a normal user SQLite then cannot
  create the -shm index, as root it can (root ignores modes) and the read works either way.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gaoxin_cli.errors import StoreError
from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store
from helpers import MINI, REPO, TESTS, run

AS_OF = "2020-06-24"
NOBODY = 65534
READS = [
    ["status"],
    ["overdue", "--json"],
    ["countdown"],
    ["notice", "list"],
    ["ranking"],
    ["history", "JC-01"],
]


def _setpriv() -> list[str] | None:
    """The command prefix that runs a program as nobody with read access only, or None."""
    tool = shutil.which("setpriv")
    if os.geteuid() != 0 or tool is None:
        return None
    prefix = [tool, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    prefix += ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import gaoxin_cli.cli"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        check=False,
    )
    return prefix if probe.returncode == 0 else None


AS_NOBODY = _setpriv()
needs_nobody = pytest.mark.skipif(
    AS_NOBODY is None, reason="needs root, setpriv and CAP_DAC_READ_SEARCH to run as nobody"
)


def gaoxin_as(
    prefix: list[str], home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m gaoxin_cli ARGS`` run through *prefix* (empty: as this user)."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "COLUMNS": "80",
        "HOME": str(home),
        "GAOXIN_HOME": str(home),
        **(env or {}),
    }
    return subprocess.run(
        [*prefix, sys.executable, "-m", "gaoxin_cli", *args],
        text=True,
        capture_output=True,
        env=full_env,
        check=False,
    )


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory other users can reach (pytest's tmp_path is private to its owner, and
    click checks a workspace with access(2), which ignores the reader's capability)."""
    path = Path(tempfile.mkdtemp(prefix="gaoxin-ro-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(path)


@pytest.fixture
def home(shared: Path) -> Path:
    """A GAOXIN_HOME (logs, plan cache) any user can write."""
    path = shared / "home"
    path.mkdir()
    path.chmod(0o777)
    return path


@pytest.fixture
def ws(shared: Path) -> Path:
    target = shared / "ws"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def filled(ws: Path) -> Iterator[Path]:
    """The mini workspace with reports, cards and filed notices in data/gaoxin.db."""
    for args in (
        ["feedback", "JC-01", "-p", "20", "--note", "征地", "--at", "2020-04-10"],
        ["feedback", "JC-02", "-p", "5", "--note", "设计", "--at", "2020-05-20"],
        ["sweep"],
        ["notify", "--outbox", str(ws / "outbox")],
    ):
        code, _, err = run(ws, "--as-of", AS_OF, *args)
        assert code == 0, err
    yield ws
    for path in (ws / "data", *(ws / "data").iterdir()):
        path.chmod(0o755)


def listing(directory: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}


def test_a_reader_without_write_access_reads(filled: Path, home: Path) -> None:
    """Every read command gives, as another user or on a chmod a-w file and directory,
    what the owner sees; writing is refused with 不可写 and leaves the file as it was."""
    data, db = filled / "data", filled / "data" / "gaoxin.db"
    owner = {
        tuple(args): gaoxin_as([], home, "-C", str(filled), "--as-of", AS_OF, *args)
        for args in READS
    }
    for result in owner.values():
        assert result.returncode == 0, result.stderr
    readers: list[tuple[str, list[str]]] = [("modes", [])]
    if AS_NOBODY is not None:
        readers.insert(0, ("nobody", AS_NOBODY))
    for how, prefix in readers:
        if how == "modes":
            db.chmod(0o444)
            data.chmod(0o555)
        before = listing(data)
        for args in READS:
            got = gaoxin_as(prefix, home, "-C", str(filled), "--as-of", AS_OF, *args)
            assert (how, args, got.returncode, got.stderr) == (how, args, 0, ""), got.stderr
            assert got.stdout == owner[tuple(args)].stdout, (how, args)
        if how == "nobody":
            assert listing(data) == before  # not even a -shm index was left behind
        refused = gaoxin_as(
            prefix, home, "-C", str(filled), "--as-of", AS_OF,
            "feedback", "JC-01", "-p", "30", "--note", "x",
        )  # fmt: skip
        assert refused.returncode == 1
        assert "不可写" in refused.stderr
        assert refused.stdout == ""
    with Store.open(db, write=False) as store:
        assert [e.progress for e in store.history("JC-01") if e.kind == "feedback"] == [20]


@needs_nobody
def test_a_reader_sees_what_a_running_writer_committed(filled: Path, home: Path) -> None:
    """While a writer holds the database open, its committed but not yet folded-in report
    (in the -wal log) is read through the writer's -shm index, which the reader may only
    read."""
    assert AS_NOBODY is not None
    db = filled / "data" / "gaoxin.db"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute(
            "INSERT INTO events (task, kind, at, progress, note) VALUES"
            " ('JC-01', 'feedback', '2020-06-20', 55.0, '写入中')"
        )
        assert (db.parent / "gaoxin.db-wal").stat().st_size > 0
        got = gaoxin_as(AS_NOBODY, home, "-C", str(filled), "--as-of", AS_OF, "history", "JC-01")
        assert got.returncode == 0, got.stderr
        assert "写入中" in got.stdout
    finally:
        writer.close()


@needs_nobody
def test_a_log_left_by_a_killed_writer_is_not_skipped(filled: Path, home: Path) -> None:
    """A -wal log with committed reports and no -shm index the reader could use: reading
    the file alone would silently miss them, so the reader waits, then says why."""
    assert AS_NOBODY is not None
    db = filled / "data" / "gaoxin.db"
    copy = filled / "copy"
    copy.mkdir()
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute(
            "INSERT INTO events (task, kind, at, progress) VALUES"
            " ('JC-01', 'feedback', '2020-06-20', 55.0)"
        )
        shutil.copy(db, copy / "gaoxin.db")  # what a kill -9 leaves: the file and its log
        shutil.copy(db.parent / "gaoxin.db-wal", copy / "gaoxin.db-wal")
    finally:
        writer.close()
    got = gaoxin_as(
        AS_NOBODY, home, "-C", str(filled), "--db", str(copy / "gaoxin.db"), "--as-of", AS_OF,
        "history", "JC-01", env={"GAOXIN_BUSY_TIMEOUT_MS": "200"},
    )  # fmt: skip
    assert got.returncode == 1
    assert "-wal" in got.stderr and "-shm" in got.stderr
    assert got.stdout == ""
    # Anyone who can write the directory reads it (SQLite replays the log).
    with Store.open(copy / "gaoxin.db", write=False) as store:
        assert 55.0 in [e.progress for e in store.history("JC-01")]


@needs_nobody
def test_an_old_database_names_who_must_upgrade_it(ws: Path, home: Path) -> None:
    assert AS_NOBODY is not None
    data = ws / "data"
    data.mkdir()
    shutil.copy(TESTS / "data" / "store" / "schema-m001.db", data / "gaoxin.db")
    snapshot = (data / "gaoxin.db").read_bytes()
    got = gaoxin_as(AS_NOBODY, home, "-C", str(ws), "--as-of", AS_OF, "status")
    assert got.returncode == 1
    assert "gaoxin sweep" in got.stderr and "升级" in got.stderr
    assert (data / "gaoxin.db").read_bytes() == snapshot
    assert sorted(p.name for p in data.iterdir()) == ["gaoxin.db"]


def test_a_file_read_directly_refuses_what_it_read_while_it_changed(tmp_path: Path) -> None:
    """Without the -shm index the file is read directly (immutable): a writer that folds
    its log into the file meanwhile makes every later read an error, never a mixed result."""
    path = tmp_path / "gaoxin.db"

    def fb(progress: float) -> Event:
        return Event(task="T1", kind="feedback", at=date(2020, 3, 2), progress=progress)

    with Store.open(path, write=True) as w:
        w.add([fb(10)])
    reader = Store._open_immutable(path, today=None, timeout_ms=100)
    try:
        assert reader.count() == 1
        held = Store.open(path, write=True)
        held.add([fb(20)])  # in the log only: the file itself is unchanged
        assert reader.count() == 1
        held.close()  # the last connection folds the log into the file
        with pytest.raises(StoreError) as exc:
            reader.count()
        assert exc.value.msg.key == "error.store_changed"
        assert "重新运行" in exc.value.message("zh")
    finally:
        reader.close()
