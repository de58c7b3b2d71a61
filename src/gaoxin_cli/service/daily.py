"""The daily commands: status, countdown, sweep, feedback, history, import."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, NoReturn

from gaoxin_cli.errors import GaoxinError, UsageError
from gaoxin_cli.i18n import Joined, Msg
from gaoxin_cli.service.session import Session
from gaoxin_cli.service.snapshot import Snapshot

if TYPE_CHECKING:
    from gaoxin_cli.models import Task
    from gaoxin_cli.models.state import Event, Report
    from gaoxin_cli.rules.countdown import Countdown
    from gaoxin_cli.rules.dashboard import Dashboard
    from gaoxin_cli.rules.feedback import Start
    from gaoxin_cli.rules.filters import Filters
    from gaoxin_cli.rules.problem_cards import ProblemLine
    from gaoxin_cli.rules.signing import Waiting

CountdownMode = Literal["start", "due", "milestones"]


class Status(NamedTuple):
    dashboard: Dashboard
    problems: list[ProblemLine]
    unsigned: list[Waiting]  # notices of the open tasks shown, not yet signed (签收)


def status(session: Session, filters: Filters) -> Status:
    """The dashboard as of the session's today, and the 问题提报 lines."""
    from gaoxin_cli.rules.dashboard import build
    from gaoxin_cli.rules.signing import waiting

    plan, today, cal = session.plan, session.today, session.calendar
    with session.store(write=False) as st:
        snap = Snapshot.read(st, plan, today, problems=True)
    dash = build(
        plan.tasks,
        snap.states,
        plan.config,
        today,
        cal,
        filters,
        snap.dues,
        snap.lifecycle,
        snap.red_dues,
        snap.unsigned,
    )
    lines = []
    if snap.problems:  # the 问题提报's rules imported only when there are some
        from gaoxin_cli.rules.problem_cards import problem_lines
        from gaoxin_cli.rules.problems import replay

        statuses = [replay(r, e) for r, e in snap.problems]
        lines = problem_lines(statuses, today, cal, plan, red_notice_dues=snap.problem_red_dues)
    notices = [n for ns in snap.unsigned.values() for n in ns]
    if not notices:  # the open tasks shown are asked about only for a notice
        return Status(dash, lines, [])
    shown = {r.task.id for r in dash.rows if not r.finished}
    return Status(dash, lines, waiting(notices, today, cal, shown.__contains__))


class CountdownResult(NamedTuple):
    mode: CountdownMode
    rows: list[Countdown]


def countdown(
    session: Session, *, due: bool, within: int | None, units: Sequence[str] = ()
) -> CountdownResult:
    """Starts (default), due dates (*due*) or milestones within N working days."""
    from gaoxin_cli.rules import countdown as rules
    from gaoxin_cli.store.extensions import effective_dues

    plan, today, cal = session.plan, session.today, session.calendar
    tasks = [tk for tk in plan.tasks if not units or tk.lead in units]
    with session.store(write=False) as st:
        states = st.states(today)
        dues = effective_dues(st, today) if due else {}
    if within is not None:
        return CountdownResult(
            "milestones", rules.milestones_within(tasks, states, today, cal, within)
        )
    if due:
        return CountdownResult("due", rules.deadlines(tasks, states, today, cal, dues))
    return CountdownResult("start", rules.starts(tasks, states, today, cal))


class SweepResult(NamedTuple):
    tasks: int
    changes: list[Event]


def sweep(session: Session, recorded_at: str) -> SweepResult:
    """Every task's card as of today; record the changes (twice a day records nothing)."""
    from gaoxin_cli.rules.dashboard import assess_all
    from gaoxin_cli.rules.sweep import card_changes

    plan, today = session.plan, session.today
    with session.store(write=True) as st, st.transaction():
        snap = Snapshot.read(st, plan, today)
        rows = assess_all(
            plan.tasks,
            snap.states,
            plan.config,
            today,
            session.calendar,
            snap.dues,
            snap.lifecycle,
            snap.red_dues,
            snap.unsigned,
        )
        changes = card_changes(rows, today, recorded_at)
        st.add(changes)
    return SweepResult(len(rows), changes)


def feedback(session: Session, report: Report, recorded_at: str) -> list[Event]:
    """Record one report (progress, note, milestone, start); the events written."""
    from gaoxin_cli.rules.feedback import feedback_events, find_task, start_of
    from gaoxin_cli.store.lifecycle import task_lifecycle

    find_task(session.plan, report.task)  # a clear error before the database is touched
    with session.store(write=True) as st, st.transaction():
        life = task_lifecycle(st, report.task, report.at).state
        if life in ("closed", "cancelled"):
            raise GaoxinError(
                "error.feedback_task_over", task=report.task, state=Msg(f"lstate.{life}")
            )
        state = st.state(report.task, report.at)
        start = None
        if report.started and state.started is not None:  # refused: say on what ground
            start = start_of(st.history(report.task, until=report.at))
        events = feedback_events(
            session.plan,
            report,
            state,
            session.today,
            source="cli",
            recorded_at=recorded_at,
            start=start,
        )
        st.add(events)
    return events


class History(NamedTuple):
    task: Task
    events: list[Event]
    start: Start | None = None  # when the task started: recorded, or inferred from a report


def history(session: Session, task_id: str) -> History:
    from gaoxin_cli.rules.feedback import find_task, start_of

    found = find_task(session.plan, task_id)
    with session.store(write=False) as st:
        events = st.history(task_id, until=session.today)
    return History(found, events, start_of(events))


class Imported(NamedTuple):
    rows: int
    added: int  # with dry_run: how many the real import would add
    skipped: int
    dry_run: bool = False
    warnings: tuple[Msg, ...] = ()  # an .xlsx: hidden sheets ignored, a plan change accepted


# How many bad rows an import error lists before "… and N more".
IMPORT_ROWS_SHOWN = 20


class _Problems:
    """The bad rows of an import: how many, and the first :data:`IMPORT_ROWS_SHOWN` by
    line (all that is shown), in bounded memory however many rows are bad."""

    def __init__(self) -> None:
        self.count = 0
        self._first: list[tuple[int, int, Msg]] = []  # (-line, order, msg): a max-heap

    def add(self, line: int, msg: Msg) -> None:
        self.count += 1
        item = (-line, -self.count, msg)
        if len(self._first) < IMPORT_ROWS_SHOWN:
            heapq.heappush(self._first, item)
        elif item[:2] > self._first[0][:2]:
            heapq.heapreplace(self._first, item)

    def merge(self, other: _Problems) -> None:
        shown = other.shown()
        for line, msg in shown:
            self.add(line, msg)
        self.count += other.count - len(shown)

    def shown(self) -> list[tuple[int, Msg]]:
        return [(-line, msg) for line, _, msg in sorted(self._first, reverse=True)]


def import_file(
    session: Session,
    file: Path,
    *,
    dry_run: bool,
    recorded_at: str,
    accept_plan_change: bool = False,
    encoding: str | None = None,
) -> Imported:
    """Read a ledger (.csv, .jsonl or .xlsx) and add its reports: all or nothing, and
    idempotent.

    A CSV or JSONL file is streamed: each row is checked and its events staged in a
    temporary database (store/staging.py), so memory does not grow with the file; the
    store is written once every row has passed, in one transaction. *encoding* names the
    file's encoding instead of deciding it from the content (not for an .xlsx).

    Raises :class:`GaoxinError` ``error.import_bad_rows`` listing the bad rows (or
    ``error.import_bad_cells`` with the cells of a workbook; their messages rendered by
    the caller's language through :class:`Msg` parameters)."""
    from itertools import chain

    from gaoxin_cli.loading.events_file import iter_rows, open_regular
    from gaoxin_cli.loading.ledger_xlsx import is_workbook, read_workbook
    from gaoxin_cli.models.state import TaskState, event_key
    from gaoxin_cli.rules.feedback import backwards, feedback_events
    from gaoxin_cli.store.staging import Staging

    plan, today = session.plan, session.today
    refs: dict[int, str] | None = None
    warnings: tuple[Msg, ...] = ()
    items: Iterable[tuple[int, Report | Msg]]
    if is_workbook(file):
        from gaoxin_cli.loading.plancache import fingerprint

        if encoding is not None:
            raise UsageError("error.import_encoding_xlsx")
        open_regular(file).close()  # a named pipe named .xlsx must not hang either
        book = read_workbook(
            file,
            fingerprint=fingerprint(session.root),
            plan=plan,
            today=today,
            accept_plan_change=accept_plan_change,
        )
        items = chain(book.problems, book.rows)
        refs, warnings = book.refs, tuple(book.warnings)
    else:
        items = iter_rows(file, encoding=encoding)
    problems = _Problems()
    source = f"import:{file.name}"
    empty = TaskState()
    rows = 0
    latest: date | None = None
    with Staging() as staged:
        for line, item in items:
            if isinstance(item, Msg):
                problems.add(line, item)
                continue
            report = item
            rows += 1
            latest = report.at if latest is None else max(latest, report.at)
            try:
                made = feedback_events(
                    plan, report, empty, today, source=source, recorded_at=recorded_at
                )
            except GaoxinError as e:
                problems.add(line, e.msg)
                continue
            progress = None
            if report.progress is not None:
                progress = (report.task, report.at, report.progress, report.correct)
            staged.add(line, made, [event_key(ev) for ev in made], progress)
        # One transaction: the progress check reads what the write will build on.
        with session.store(write=not dry_run) as st, st.transaction():
            present = 0
            if dry_run:
                present = staged.mark_stored(st.stored_keys(staged.distinct_keys()))
            if latest is not None and staged.tasks:
                existing = st.states(latest, staged.tasks)
                # Rows the store already holds are skipped, so they cannot go backwards;
                # look them up (a probe of every key) only when the check finds a row
                # that does: the same file imported again, with two reports on one day.
                found = _Problems()
                for line, msg in backwards(staged.progress_reports(), existing):
                    found.add(line, msg)
                if found.count and not dry_run:
                    staged.mark_stored(st.stored_keys(staged.distinct_keys()))
                    found = _Problems()
                    for line, msg in backwards(staged.progress_reports(), existing):
                        found.add(line, msg)
                problems.merge(found)
            if problems.count:
                _refuse(file, problems, refs)
            added = staged.distinct - present if dry_run else st.add_staged(staged)
        events = staged.events
    return Imported(rows, added, events - added, dry_run, warnings)


def _refuse(file: Path, problems: _Problems, refs: dict[int, str] | None) -> NoReturn:
    if refs is None:
        listed = [Msg("import.row", line=line, problem=msg) for line, msg in problems.shown()]
    else:
        listed = [Msg("import.cell", ref=refs[pos], problem=msg) for pos, msg in problems.shown()]
    if problems.count > IMPORT_ROWS_SHOWN:
        more = "import.more" if refs is None else "import.more_cells"
        listed.append(Msg(more, n=problems.count - IMPORT_ROWS_SHOWN))
    raise GaoxinError(
        "error.import_bad_rows" if refs is None else "error.import_bad_cells",
        file=str(file),
        count=problems.count,
        rows=Joined(tuple(listed)),
    )
