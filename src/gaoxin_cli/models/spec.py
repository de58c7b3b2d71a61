"""Pydantic specs of the workspace: gaoxin.yaml (config) and plans/*.yaml (tasks).

No I/O here. Every model rejects unknown keys and coerces nothing silently: an int is
never read from a string, a date only from ``YYYY-MM-DD``. Rule thresholds carry the
defaults of DESIGN.md / research/domain.md, each one overridable in gaoxin.yaml.
One module of some length on purpose: it is the whole plan format, read top to bottom
by whoever changes it (the records are generated from it, ``models/_codegen.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from gaoxin_cli.models import records
from gaoxin_cli.models.base import (
    EMAIL_PATTERN,
    ENV_NAME_PATTERN,
    ID_PATTERN,
    LONG_TEXT_PATTERN,
    PILLAR_ID_PATTERN,
    PILLAR_PATH_PATTERN,
    TEXT_PATTERN,
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

if TYPE_CHECKING:
    from gaoxin_cli.models import Plan

# --- scalar types -------------------------------------------------------------------

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
PillarId = Annotated[str, StringConstraints(pattern=PILLAR_ID_PATTERN)]
PillarPath = Annotated[str, StringConstraints(pattern=PILLAR_PATH_PATTERN)]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=TEXT_PATTERN),
]
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=5000, pattern=LONG_TEXT_PATTERN)
]
Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN)]


def parse_plan_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` text (or a date): no timestamps, no day counts."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_invalid", "not a real calendar date") from None
    raise PydanticCustomError("date_format", "expected a date written YYYY-MM-DD")


PlanDate = Annotated[date, BeforeValidator(parse_plan_date)]

RANGE_SEP = ".."
MAX_RANGE_DAYS = 366


def expand_date_ranges(value: Any) -> Any:
    """A list of dates where an item may be a range ``2027-02-05..2027-02-11`` (both ends
    included): ranges become their days, single dates are left for the item validator."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if not (isinstance(item, str) and RANGE_SEP in item):
            out.append(item)
            continue
        a, _, b = item.partition(RANGE_SEP)
        a, b = a.strip(), b.strip()
        if not (DATE_RE.fullmatch(a) and DATE_RE.fullmatch(b)):
            raise PydanticCustomError("date_range", "bad date range {item}", {"item": item})
        try:
            first, last = date.fromisoformat(a), date.fromisoformat(b)
        except ValueError:
            raise PydanticCustomError(
                "date_range", "bad date range {item}", {"item": item}
            ) from None
        if not 0 <= (last - first).days <= MAX_RANGE_DAYS:
            raise PydanticCustomError("date_range", "bad date range {item}", {"item": item})
        out.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
    return out


def _int_as_float(value: Any) -> Any:
    """Strict floats still take a whole number (30 → 30.0), but never text or a bool."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


_AS_FLOAT = BeforeValidator(_int_as_float)
# Bounds come before the validator, or the JSON Schema shows raw "gt"/"le" keys.
Weight = Annotated[float, Field(gt=0, le=100), _AS_FLOAT]
Seconds = Annotated[float, Field(gt=0, le=300), _AS_FLOAT]


def _unique(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise PydanticCustomError("list_duplicate", "duplicate entry")
        seen.add(v)
    return values


DateList = Annotated[
    list[PlanDate],
    BeforeValidator(expand_date_ranges),
    AfterValidator(_unique),
    WithJsonSchema(
        {
            "type": "array",
            "items": {
                "type": "string",
                "pattern": r"^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$",
                "description": "YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD (both days included)",
            },
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- gaoxin.yaml --------------------------------------------------------------------


Mobile = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9-]{4,19}$")]
ChatUserId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")]


class PersonSpec(Strict):
    """A named person with an optional mail address."""

    name: Text
    email: Email | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+() -]{3,30}$")] | None = None
    user_id: ChatUserId | None = Field(
        None,
        description="The person's id in the work-group chat (钉钉 userId, 企业微信 userid, "
        "飞书 open_id): a robot @s them by it, else by phone",
    )


class RobotSpec(Strict):
    """A work-group robot (自定义机器人) that ``notify`` posts the day's notices to."""

    kind: RobotKind = Field(
        description="dingtalk (钉钉, 政务钉钉), wecom (企业微信) or feishu (飞书)"
    )
    webhook: Annotated[
        str,
        StringConstraints(max_length=2000, pattern=r"^https?://[A-Za-z0-9.\[\]:-]+(/[^\s]*)?$"),
    ] = Field(description="The webhook address exactly as the robot shows it")
    secret_env: Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)] | None = Field(
        None,
        description="Environment variable holding the signing secret (加签), when the robot "
        "has one; the secret itself is never written here",
    )
    keyword: Text | None = Field(
        None, description="The robot's custom keyword (自定义关键词): every message carries it"
    )
    mention: bool = Field(
        True,
        description="@ the people the notices address (their user_id, else phone)",
    )
    at_mobiles: Annotated[list[Mobile], AfterValidator(_unique)] = Field(
        default_factory=list, description="Mobile numbers always @-ed in this group"
    )
    at_user_ids: Annotated[list[ChatUserId], AfterValidator(_unique)] = Field(
        default_factory=list, description="User ids always @-ed in this group"
    )
    allow_http: bool = Field(
        False, description="Allow a plain http:// webhook (an intranet gateway); https otherwise"
    )
    timeout_s: Seconds = 10


RobotId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Robots = Annotated[
    dict[RobotId, RobotSpec],
    Field(description="Work-group robots (钉钉, 企业微信, 飞书) by a name of your choice"),
]


class UnitSpec(Strict):
    """A department (单位): bureau, 街道, company, office …"""

    name: Text
    short: Text | None = Field(None, description="Short name for narrow tables")
    kind: UnitKind = "bureau"
    head: PersonSpec = Field(description="The unit's principal (主要负责人)")
    contact: PersonSpec = Field(description="The unit's contact (联络员), first mail recipient")
    cadence: Cadence | None = Field(None, description="Feedback cadence for this unit's tasks")
    robots: Robots = Field(default_factory=dict)


class LeaderSpec(Strict):
    """A zone leader (区级领导) who can be 责任领导 or supervise a listed task."""

    name: Text
    title: Text | None = None
    email: Email | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+() -]{3,30}$")] | None = None
    user_id: ChatUserId | None = Field(
        None, description="The leader's id in the work-group chat, for @"
    )
    robots: Robots = Field(default_factory=dict)


class PillarSpec(Strict):
    """A node of the pillar tree (工作体系, org.system); children nest to any depth."""

    name: Text
    short: Text | None = None
    children: dict[PillarId, PillarSpec] = Field(default_factory=dict)


class OrgSpec(Strict):
    """The organisation and its supervising office."""

    name: Text = Field(description="Organisation, e.g. 济宁高新区")
    short: Text | None = None
    office: Id = Field(description="Unit id of the supervising office (指挥部办公室 / 督查室)")
    system: Text | None = Field(
        None,
        description="Heading of the pillar tree in status, e.g. 工作体系（1+235）"
        " (default 工作体系 / Pillars)",
    )


WorkDays = Annotated[int, Field(ge=0, le=250)]
Points = Annotated[float, Field(ge=0, le=100), _AS_FLOAT]
Percent = Annotated[float, Field(ge=0, le=100), _AS_FLOAT]


class CardRulesSpec(Strict):
    """Warning-card thresholds (红黄蓝牌), research/domain.md §4.2."""

    blue_within_wd: WorkDays = Field(3, description="Blue when due within N working days")
    yellow_overdue_wd: Annotated[int, Field(ge=1, le=250)] = Field(
        1, description="Yellow when overdue at least N working days"
    )
    red_overdue_wd: Annotated[int, Field(ge=1, le=250)] = Field(
        5, description="Red when overdue MORE than N working days"
    )
    yellow_lag_pp: Percent = Field(10, description="Yellow when lag >= N percentage points")
    red_lag_pp: Percent = Field(30, description="Red when lag > N percentage points")
    red_not_started_months: Annotated[int, Field(ge=1, le=24)] = Field(
        3, description="Red when not started N months after the planned start"
    )
    accountability_response_wd: Annotated[int, Field(ge=1, le=60)] = Field(
        3,
        description="Unused, kept so existing gaoxin.yaml files stay valid: 问责 (L4) follows "
        "the filed 督办单's own reply deadline (rules.ladder.response_wd)",
    )


class FeedbackRulesSpec(Strict):
    """反馈 cadence: by default every task reports weekly, by Friday."""

    cadence: Cadence = "weekly"
    weekday: Annotated[int, Field(ge=1, le=7)] = Field(5, description="1 = Monday … 5 = Friday")
    monthly_day: Annotated[int, Field(ge=1, le=28)] = Field(
        25, description="Day of month for monthly reports"
    )
    on_rest_day: RestDayShift = Field(
        "next",
        description="A reporting deadline on a rest day moves to the next working day "
        "(next, 遇节假日顺延) or to the previous one (previous)",
    )


class LadderRulesSpec(Strict):
    """The 三单 escalation ladder, research/domain.md §5."""

    response_wd: Annotated[int, Field(ge=1, le=60)] = Field(
        3, description="Response deadline of a notice, in working days"
    )
    repeat_reminder_wd: Annotated[int, Field(ge=0, le=60)] = Field(
        0, description="Repeat an unanswered notice every N working days (0 = never)"
    )
    listed_start_rung: Annotated[int, Field(ge=1, le=4)] = Field(
        2, description="Lowest rung for listed (挂牌) tasks"
    )
    urgent_start_rung: Annotated[int, Field(ge=1, le=4)] = Field(
        2, description="Lowest rung for urgent/special tasks"
    )


class DeductionsSpec(Strict):
    """Points taken off a unit's monthly score, per occurrence."""

    yellow_card: Points = Field(1, description="Per repeated (2nd+) yellow card of a task")
    red_card: Points = 2
    overdue_task: Points = 1
    returned_feedback: Points = 0.5
    missed_report: Points = 0.5


class BonusesSpec(Strict):
    """Points added to a unit's monthly score."""

    early_finish: Points = 1
    completion_rate: Points = Field(5, description="Times the lead-unit completion rate (0–1)")


class RankingRulesSpec(Strict):
    """流动红旗 and 正负激励, research/domain.md §7.2."""

    period: Period = "month"
    base: Points = 100
    flag_threshold: Points = Field(90, description="The flag goes to rank 1 only at this score")
    top_n: Annotated[int, Field(ge=1, le=20)] = 1
    bottom_n: Annotated[int, Field(ge=0, le=20)] = 3
    deductions: DeductionsSpec = Field(default_factory=DeductionsSpec)
    bonuses: BonusesSpec = Field(default_factory=BonusesSpec)
    cards: CardCounting = Field(
        "in_force",
        description="in_force: a card deducts in every month it is held, at the highest"
        " level it reached there; new: only in the month it is raised",
    )


class ProblemRulesSpec(Strict):
    """问题提报 stage limits in working days (枣庄 1/2/10/25, domain.md §3.2)."""

    accept_wd: Annotated[int, Field(ge=1, le=60)] = 1
    answer_wd: Annotated[int, Field(ge=1, le=60)] = 2
    resolve_wd: Annotated[int, Field(ge=1, le=120)] = 10
    hard_resolve_wd: Annotated[int, Field(ge=1, le=250)] = 25


class RulesSpec(Strict):
    """Every rule threshold, each with the default of DESIGN.md."""

    cards: CardRulesSpec = Field(default_factory=CardRulesSpec)
    feedback: FeedbackRulesSpec = Field(default_factory=FeedbackRulesSpec)
    ladder: LadderRulesSpec = Field(default_factory=LadderRulesSpec)
    ranking: RankingRulesSpec = Field(default_factory=RankingRulesSpec)
    problems: ProblemRulesSpec = Field(default_factory=ProblemRulesSpec)


class CalendarConfigSpec(Strict):
    """Working-day overrides on top of the State Council tables (chinesecalendar)."""

    rest: DateList = Field(
        default_factory=list,
        description="Extra rest days (local holidays, extensions); "
        "a range is written 2027-02-05..2027-02-11",
    )
    work: DateList = Field(
        default_factory=list, description="Extra working days (调休上班); ranges as in rest"
    )
    years: Annotated[list[Annotated[int, Field(ge=2000, le=2100)]], AfterValidator(_unique)] = (
        Field(
            default_factory=list,
            description="Years described here in full (weekends + rest/work) when "
            "chinesecalendar has no data for them",
        )
    )
    unknown_years: UnknownYears = Field(
        "estimate",
        description="A year with no holiday data: estimate it by weekends and mark every "
        "result that used the estimate (estimate), or stop with an error (error)",
    )
    assume_weekends: bool = Field(
        False, description="Deprecated: the same as unknown_years: estimate (the default)"
    )
    horizon_years: Annotated[int, Field(ge=0, le=50)] = Field(
        1,
        description="How far ahead a date typed at the command line may reach: the end of "
        "the year this many years after today (extend --to)",
    )


class CalendarFileSpec(Strict):
    """calendar/YYYY.yaml: one year's rest and make-up working days, described in full
    (the State Council notice, read by ``gaoxin calendar add --notice``)."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    rest: DateList = Field(default_factory=list, description="Rest days (放假), ranges allowed")
    work: DateList = Field(default_factory=list, description="Make-up working days (调休上班)")


class MailConfigSpec(Strict):
    """SMTP settings. Never a password: it comes from the environment variable named here."""

    host: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.-]{1,253}$")]
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Security = "starttls"
    sender: Email
    sender_name: Text | None = None
    username: Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f]{1,254}$")] | None = None
    password_env: Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)] = (
        "GAOXIN_SMTP_PASSWORD"
    )
    timeout_s: Seconds = 30
    allow_plaintext_auth: bool = Field(
        False,
        description="Log in over `security: none` (the password crosses the network in"
        " clear); without it notify refuses to",
    )


class ConfigSpec(Strict):
    """gaoxin.yaml: the workspace configuration."""

    org: OrgSpec
    units: Annotated[dict[Id, UnitSpec], Field(min_length=1)]
    leaders: dict[Id, LeaderSpec] = Field(default_factory=dict)
    pillars: dict[PillarId, PillarSpec] = Field(default_factory=dict)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    calendar: CalendarConfigSpec = Field(default_factory=CalendarConfigSpec)
    mail: MailConfigSpec | None = None


# --- plans/*.yaml -------------------------------------------------------------------


class MilestoneSpec(Strict):
    name: Text
    due: PlanDate
    weight: Weight | None = Field(
        None, description="Share of the task (percent) this milestone stands for"
    )


class ListingSpec(Strict):
    """挂牌督办: a publicly listed task with a supervising leader."""

    since: PlanDate
    by: Id | None = Field(None, description="Supervising leader (督办领导), a leader id")
    note: Text | None = None


class SourceSpec(Strict):
    """Where the task comes from: 批示 (instruction), 会商 (meeting), the plan …"""

    kind: SourceKind = "plan"
    ref: Text | None = Field(None, description="文号 or 会议纪要号")
    date: PlanDate | None = None


class TaskSpec(Strict):
    """One supervised task. 三定 — lead unit, measures and due — are required."""

    id: Id
    title: Text
    pillar: PillarPath | None = Field(None, description="Dotted path in the pillar tree")
    lead: Id = Field(description="牵头单位 (unit id)")
    support: Annotated[list[Id], AfterValidator(_unique)] = Field(
        default_factory=list, description="配合单位 (unit ids)"
    )
    leader: Id | None = Field(None, description="责任领导 (leader id)")
    measures: Annotated[list[Text], Field(min_length=1)] = Field(description="定措施")
    start: PlanDate | None = Field(None, description="Planned start (开工) date")
    due: PlanDate = Field(description="定时限: the deadline")
    milestones: list[MilestoneSpec] = Field(default_factory=list)
    listed: ListingSpec | None = None
    source: SourceSpec = Field(default_factory=SourceSpec)
    urgency: Urgency = "normal"
    depends: Annotated[list[Id], AfterValidator(_unique)] = Field(default_factory=list)
    cadence: Cadence | None = None
    note: LongText | None = None


class PlanFileSpec(Strict):
    """plans/*.yaml: a list of tasks."""

    tasks: list[TaskSpec] = Field(default_factory=list)


# --- runtime records ----------------------------------------------------------------
#
# Every command but ``validate`` works on the *records* of ``models/records.py``: one
# NamedTuple per spec above, named without the ``Spec`` suffix (``TaskSpec`` → ``Task``),
# same fields, already validated. They cost nothing to import and unpickle ten times
# faster than pydantic models, which is what keeps ``status`` on 10,000 tasks under a
# quarter of a second. ``models/_codegen.py`` writes records.py from SPECS (run by cog)
# and a test fails when they drift.

SPECS: tuple[type[Strict], ...] = (
    PersonSpec,
    RobotSpec,
    UnitSpec,
    LeaderSpec,
    PillarSpec,
    OrgSpec,
    CardRulesSpec,
    FeedbackRulesSpec,
    LadderRulesSpec,
    DeductionsSpec,
    BonusesSpec,
    RankingRulesSpec,
    ProblemRulesSpec,
    RulesSpec,
    CalendarConfigSpec,
    MailConfigSpec,
    ConfigSpec,
    MilestoneSpec,
    ListingSpec,
    SourceSpec,
    TaskSpec,
)


def record_name(spec: type[BaseModel]) -> str:
    """The name of *spec*'s record in ``models/records.py``: ``TaskSpec`` → ``Task``."""
    return spec.__name__.removesuffix("Spec")


_RECORD_OF: dict[type[BaseModel], Any] = {s: getattr(records, record_name(s)) for s in SPECS}


def to_record(value: Any, shared: dict[Any, Any] | None = None) -> Any:
    """A validated spec (or a list / dict of them) as its runtime record(s).

    Lists become tuples: a record is immutable all the way down, like the frozen spec.
    With *shared*, equal short texts and dates become one object (unit ids, kinds, due
    dates repeat across thousands of tasks): the pickled plan is a third smaller and
    loads in two thirds of the time.
    """
    if isinstance(value, BaseModel):
        cls = _RECORD_OF[type(value)]
        return cls(*(to_record(getattr(value, name), shared) for name in cls._fields))
    if isinstance(value, list):
        return tuple(to_record(v, shared) for v in value)
    if isinstance(value, dict):
        return {to_record(k, shared): to_record(v, shared) for k, v in value.items()}
    if shared is not None and (
        isinstance(value, date) or (isinstance(value, str) and len(value) <= 64)
    ):
        return shared.setdefault(value, value)
    return value


def to_plan(config: ConfigSpec, tasks: Iterable[TaskSpec], warnings: int = 0) -> Plan:
    """The :class:`~gaoxin_cli.models.Plan` of a validated config and its tasks."""
    from gaoxin_cli.models import Plan

    shared: dict[Any, Any] = {}
    return Plan(to_record(config, shared), tuple(to_record(t, shared) for t in tasks), warnings)
