"""The picture as of a day, read from the store in one transaction.

Status, sweep, overdue and notify all start from the same reads: each task's reported
state, its lifecycle state, its effective due date (approved extensions), the notices
filed about it (and which are not yet signed, 签收) and the reply deadlines of its 督办单,
and the 问题提报. This is the only
module that knows which store reads make that picture.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from gaoxin_cli.models import Plan
    from gaoxin_cli.models.notice import StoredNotice
    from gaoxin_cli.models.state import Event, TaskState
    from gaoxin_cli.store import Store
    from gaoxin_cli.store.problems import ProblemRow

NoticeDetail = Literal["none", "brief", "full"]


class Snapshot(NamedTuple):
    today: date
    states: dict[str, TaskState]
    lifecycle: dict[str, str]
    dues: dict[str, date]
    # Reply deadlines of the filed 督办单s, by task: only the tasks sent one. A task
    # without one is not in it and cannot be at 问责 yet (L4 follows the real notice,
    # never an estimate); at 100,000 tasks a map of them all took 9 ms to make.
    red_dues: dict[str, date]
    # Filed notices by task ("brief": without their bodies), when asked for.
    issued: dict[str, list[StoredNotice]]
    problems: list[tuple[ProblemRow, list[Event]]]
    # The reply deadlines of the 问题提报's filed 督办单s by number, when problems are read
    # (a problem without one cannot be at 问责).
    problem_red_dues: dict[str, date]
    # The 问题提报's notices by problem number, when asked for (notify climbs their ladder).
    problem_issued: dict[str, list[StoredNotice]]
    # The tasks' notices not signed (签收) by today, by task, oldest first ("brief").
    unsigned: dict[str, list[StoredNotice]]
    # Read with open_only: the tasks at 100 %, left out of *states* (else empty).
    done: Collection[str] = frozenset()

    @classmethod
    def read(
        cls,
        st: Store,
        plan: Plan,
        today: date,
        *,
        tasks: Collection[str] | None = None,
        notices: NoticeDetail = "none",
        problems: bool = False,
        problem_notices: NoticeDetail = "none",
        lock: bool = False,
        open_only: bool = False,
    ) -> Snapshot:
        """Everything as of *today*, for *tasks* (default: every task of the plan).
        *open_only*: ``states`` holds the tasks below 100 % only, ``done`` the ids of the
        others (a reader that leaves them out has no state made for them)."""
        from gaoxin_cli.store.extensions import effective_dues
        from gaoxin_cli.store.lifecycle import lifecycle_states
        from gaoxin_cli.store.notices import red_notice_dues

        ids = [t.id for t in plan.tasks] if tasks is None else list(tasks)
        with st.transaction(lock=lock):
            done: Collection[str] = frozenset()
            if open_only:
                states, done = st.open_states(today)
            else:
                states = st.states(today)
            life = lifecycle_states(st, ids, today)
            dues = effective_dues(st, today)
            red = red_notice_dues(st, today)
            issued = {} if notices == "none" else _issued(st, today, full=notices == "full")
            found = _problems(st, today) if problems else []
            problem_red = problem_red_dues(st, today) if problems else {}
            by_problem = (
                {}
                if problem_notices == "none"
                else _issued(st, today, full=problem_notices == "full", subject_kind="problem")
            )
            unsigned = _unsigned(st, today) if notices == "none" else _still_unsigned(issued)
        return cls(
            today, states, life, dues, red, issued, found, problem_red, by_problem, unsigned, done
        )


def _unsigned(st: Store, today: date) -> dict[str, list[StoredNotice]]:
    from gaoxin_cli.store.notices import notices

    out: dict[str, list[StoredNotice]] = {}
    for n in notices(st, as_of=today, full=False, subject_kind="task", unsigned_only=True):
        out.setdefault(n.subject, []).append(n)
    return out


def _still_unsigned(issued: dict[str, list[StoredNotice]]) -> dict[str, list[StoredNotice]]:
    """The notices of *issued* (read with their 签收 as of the same day) not signed."""
    out: dict[str, list[StoredNotice]] = {}
    for subject, ns in issued.items():
        waiting = [n for n in ns if n.signed_on is None]
        if waiting:
            out[subject] = waiting
    return out


def _issued(
    st: Store, today: date, *, full: bool, subject_kind: str = "task"
) -> dict[str, list[StoredNotice]]:
    from gaoxin_cli.store.notices import by_subject

    return by_subject(st, today, full=full, subject_kind=subject_kind)


def _problems(st: Store, today: date) -> list[tuple[ProblemRow, list[Event]]]:
    from gaoxin_cli.store.problems import all_problems

    return all_problems(st, today)


def problem_red_dues(st: Store, today: date) -> dict[str, date]:
    """The reply deadline of each problem's filed 督办单, by problem number."""
    from gaoxin_cli.store.notices import red_notice_dues

    return red_notice_dues(st, today, subject_kind="problem")


def problems_as_of(st: Store, today: date) -> list[tuple[ProblemRow, list[Event]]]:
    """The 问题提报 part of the picture alone: every problem reported by *today* with its
    steps up to then (``problem list`` needs no task state, which is the costly read)."""
    return _problems(st, today)
