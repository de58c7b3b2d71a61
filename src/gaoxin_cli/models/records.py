"""The validated workspace as runtime records: one NamedTuple per spec in ``spec.py``,
named without its ``Spec`` suffix (``TaskSpec`` → ``Task``).

Generated from the pydantic specs by cog (``models/_codegen.py``) — edit
``models/spec.py``, then run ``python3 -m cogapp -r src/gaoxin_cli/models/records.py``
(a test fails when this file is stale). Records are built only by
:func:`gaoxin_cli.models.spec.to_record` from a spec that passed validation, so every
value here is already checked. They import nothing heavy and unpickle from the plan
cache with one C call each (``__reduce__``).

No ``from __future__ import annotations`` here: ``typing.NamedTuple`` compiles a string
annotation into a ``ForwardRef`` for every field, so every command that imports the
records paid that at start-up (5.8 → 3.9 ms for these classes). A record used above its
own class is named in quotes.
"""

from datetime import date
from typing import Any, NamedTuple

from gaoxin_cli.models.base import (
    Cadence,
    CardCounting,
    Period,
    RestDayShift,
    RobotKind,
    Security,
    SourceKind,
    UnitKind,
    UnknownYears,
    Urgency,
)

_REBUILD = tuple.__new__  # unpickling calls it directly: no Python frame per record


# [[[cog
# import cog
# from gaoxin_cli.models._codegen import records_source
# cog.out(records_source())
# ]]]
class Person(NamedTuple):
    """A named person with an optional mail address."""

    name: str
    email: str | None
    phone: str | None
    user_id: str | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Robot(NamedTuple):
    """A work-group robot (自定义机器人) that ``notify`` posts the day's notices to."""

    kind: RobotKind
    webhook: str
    secret_env: str | None
    keyword: str | None
    mention: bool
    at_mobiles: tuple[str, ...]
    at_user_ids: tuple[str, ...]
    allow_http: bool
    timeout_s: float

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Unit(NamedTuple):
    """A department (单位): bureau, 街道, company, office …"""

    name: str
    short: str | None
    kind: UnitKind
    head: Person
    contact: Person
    cadence: Cadence | None
    robots: dict[str, Robot]

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Leader(NamedTuple):
    """A zone leader (区级领导) who can be 责任领导 or supervise a listed task."""

    name: str
    title: str | None
    email: str | None
    phone: str | None
    user_id: str | None
    robots: dict[str, Robot]

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Pillar(NamedTuple):
    """A node of the pillar tree (工作体系, org.system); children nest to any depth."""

    name: str
    short: str | None
    children: dict[str, "Pillar"]

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Org(NamedTuple):
    """The organisation and its supervising office."""

    name: str
    short: str | None
    office: str
    system: str | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class CardRules(NamedTuple):
    """Warning-card thresholds (红黄蓝牌), research/domain.md §4.2."""

    blue_within_wd: int
    yellow_overdue_wd: int
    red_overdue_wd: int
    yellow_lag_pp: float
    red_lag_pp: float
    red_not_started_months: int
    accountability_response_wd: int

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class FeedbackRules(NamedTuple):
    """反馈 cadence: by default every task reports weekly, by Friday."""

    cadence: Cadence
    weekday: int
    monthly_day: int
    on_rest_day: RestDayShift

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class LadderRules(NamedTuple):
    """The 三单 escalation ladder, research/domain.md §5."""

    response_wd: int
    repeat_reminder_wd: int
    listed_start_rung: int
    urgent_start_rung: int

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Deductions(NamedTuple):
    """Points taken off a unit's monthly score, per occurrence."""

    yellow_card: float
    red_card: float
    overdue_task: float
    returned_feedback: float
    missed_report: float

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Bonuses(NamedTuple):
    """Points added to a unit's monthly score."""

    early_finish: float
    completion_rate: float

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class RankingRules(NamedTuple):
    """流动红旗 and 正负激励, research/domain.md §7.2."""

    period: Period
    base: float
    flag_threshold: float
    top_n: int
    bottom_n: int
    deductions: Deductions
    bonuses: Bonuses
    cards: CardCounting

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class ProblemRules(NamedTuple):
    """问题提报 stage limits in working days (枣庄 1/2/10/25, domain.md §3.2)."""

    accept_wd: int
    answer_wd: int
    resolve_wd: int
    hard_resolve_wd: int

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Rules(NamedTuple):
    """Every rule threshold, each with the default of DESIGN.md."""

    cards: CardRules
    feedback: FeedbackRules
    ladder: LadderRules
    ranking: RankingRules
    problems: ProblemRules

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class CalendarConfig(NamedTuple):
    """Working-day overrides on top of the State Council tables (chinesecalendar)."""

    rest: tuple[date, ...]
    work: tuple[date, ...]
    years: tuple[int, ...]
    unknown_years: UnknownYears
    assume_weekends: bool
    horizon_years: int

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class MailConfig(NamedTuple):
    """SMTP settings. Never a password: it comes from the environment variable named here."""

    host: str
    port: int
    security: Security
    sender: str
    sender_name: str | None
    username: str | None
    password_env: str
    timeout_s: float
    allow_plaintext_auth: bool

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Config(NamedTuple):
    """gaoxin.yaml: the workspace configuration."""

    org: Org
    units: dict[str, Unit]
    leaders: dict[str, Leader]
    pillars: dict[str, Pillar]
    rules: Rules
    calendar: CalendarConfig
    mail: MailConfig | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))

    def unit_name(self, unit: str | None, *, short: bool = False) -> str:
        """A unit's display name: its full name, or with *short* its short name when it
        has one; an id the config does not know is shown as given."""
        if not unit:
            return ""
        u = self.units.get(unit)
        if u is None:
            return unit
        return (u.short or u.name) if short else u.name

    def leader_name(self, leader: str | None) -> str:
        """A leader's name; an id the config does not know is shown as given."""
        if not leader:
            return ""
        p = self.leaders.get(leader)
        return p.name if p else leader

    def unit_ids(self, text: str) -> tuple[str, ...]:
        """The ids of the units *text* names: an id (letter case aside), a full name or
        a short name. An exact id wins; more than one id means the name is shared."""
        key = text.strip()
        if key in self.units:
            return (key,)
        low = key.casefold()
        return tuple(
            uid
            for uid, u in self.units.items()
            if uid.casefold() == low or key in (u.name, u.short)
        )

    def leader_ids(self, text: str) -> tuple[str, ...]:
        """The ids of the leaders *text* names: an id (letter case aside) or a name."""
        key = text.strip()
        if key in self.leaders:
            return (key,)
        low = key.casefold()
        return tuple(
            lid for lid, p in self.leaders.items() if lid.casefold() == low or key == p.name
        )

    def resolve_unit(self, text: str) -> str | None:
        """The id of the one unit *text* names (see :meth:`unit_ids`), else None."""
        ids = self.unit_ids(text)
        return ids[0] if len(ids) == 1 else None

    def resolve_leader(self, text: str) -> str | None:
        """The id of the one leader *text* names (see :meth:`leader_ids`), else None."""
        ids = self.leader_ids(text)
        return ids[0] if len(ids) == 1 else None


class Milestone(NamedTuple):
    """Milestone"""

    name: str
    due: date
    weight: float | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Listing(NamedTuple):
    """挂牌督办: a publicly listed task with a supervising leader."""

    since: date
    by: str | None
    note: str | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Source(NamedTuple):
    """Where the task comes from: 批示 (instruction), 会商 (meeting), the plan …"""

    kind: SourceKind
    ref: str | None
    date: date | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


class Task(NamedTuple):
    """One supervised task. 三定 — lead unit, measures and due — are required."""

    id: str
    title: str
    pillar: str | None
    lead: str
    support: tuple[str, ...]
    leader: str | None
    measures: tuple[str, ...]
    start: date | None
    due: date
    milestones: tuple[Milestone, ...]
    listed: Listing | None
    source: Source
    urgency: Urgency
    depends: tuple[str, ...]
    cadence: Cadence | None
    note: str | None

    def __reduce__(self) -> tuple[Any, ...]:
        return _REBUILD, (type(self), tuple(self))


# What the plan cache keys on besides the files: a cache written with other fields
# is never read back into these classes.
SHAPE = ";".join(
    f"{cls.__name__}:{','.join(cls._fields)}"
    for cls in (
        Person,
        Robot,
        Unit,
        Leader,
        Pillar,
        Org,
        CardRules,
        FeedbackRules,
        LadderRules,
        Deductions,
        Bonuses,
        RankingRules,
        ProblemRules,
        Rules,
        CalendarConfig,
        MailConfig,
        Config,
        Milestone,
        Listing,
        Source,
        Task,
    )
)
# [[[end]]]
