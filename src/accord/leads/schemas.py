"""API shapes of leads, the lead definition, hand-off decisions and sales feedback."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from accord.leads.models import LeadSource, LeadStage, Quality
from accord.schemas import (
    DateRange,
    Email,
    ListQuery,
    Money,
    Name,
    Read,
    RecordId,
    ShortText,
    Strict,
    UtcDateTime,
    UtcOut,
)
from accord.vocabulary import OpportunityKind, Role

Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class LeadFields(Strict):
    """Every field optional: the shape of an update (facts; the stage has its own actions)."""

    source: LeadSource | None = None
    captured_at: UtcDateTime | None = None
    company: Name | None = None
    name: ShortText | None = None
    email: Email | None = None
    title: ShortText | None = None
    role: Role | None = None
    industry: ShortText | None = None
    segment: ShortText | None = None
    employees: Count | None = None
    region: ShortText | None = None
    events_attended: Count | None = None
    content_read: Count | None = None
    last_activity_at: UtcDateTime | None = None
    account_id: RecordId | None = None
    contact_id: RecordId | None = None
    owner_email: Email | None = None


class LeadCreate(LeadFields):
    """Capture a lead. Without an id one is made; without ``captured_at``, now."""

    id: RecordId | None = None
    source: LeadSource
    company: Name
    events_attended: Count = 0
    content_read: Count = 0


class LeadRead(Read):
    id: str
    source: str
    captured_at: UtcOut
    company: str
    name: str | None
    email: str | None
    title: str | None
    role: str | None
    industry: str | None
    segment: str | None
    employees: int | None
    region: str | None
    events_attended: int
    content_read: int
    last_activity_at: UtcOut | None
    account_id: str | None
    contact_id: str | None
    owner_email: str | None
    stage: str
    stage_changed_at: UtcOut | None
    disqualified_reason: str | None
    handed_off_at: UtcOut | None
    accepted_at: UtcOut | None
    rejected_at: UtcOut | None
    opportunity_id: str | None
    score: int | None
    definition_version: int | None
    scored_at: UtcOut | None


class LeadFilter(DateRange):
    """``since``/``until`` bound ``captured_at``."""

    stage: LeadStage | None = None
    source: LeadSource | None = None
    account_id: str | None = None
    owner: str | None = None
    q: str | None = None  # company, name or email contains


class ScoreRead(Read):
    definition_version: int
    score: int
    qualifies: str | None
    explanation: list[dict[str, Any]]
    as_of: date
    scored_at: UtcOut


class LeadDetail(BaseModel):
    lead: LeadRead
    explanation: list[dict[str, Any]]  # the latest score's parts; their points add up to it
    history: list[ScoreRead]
    due_at: UtcOut | None  # when an sql lead must be accepted or rejected
    overdue: bool


class ActivityIn(Strict):
    """Engagement that happened: an event attended or a piece of content read."""

    kind: Literal["event", "content"]
    at: UtcDateTime | None = None
    count: Annotated[int, Field(strict=True, ge=1, le=100)] = 1


class StageIn(Strict):
    """Marketing's moves: recycle a lead into nurturing, or disqualify it with a reason."""

    stage: Literal["nurturing", "disqualified"]
    reason: Reason | None = None


class AcceptIn(Strict):
    """Sales accepts an sql lead: an Opportunity is opened (in a new account when the lead has
    none; give ``account_id`` to use an existing one)."""

    account_id: RecordId | None = None
    opportunity_id: RecordId | None = None
    kind: OpportunityKind = OpportunityKind.new
    amount: Money | None = None


class RejectIn(Strict):
    reason: Reason
    recycle: bool = False  # back to nurturing ("not yet") rather than disqualified


class AcceptOut(BaseModel):
    lead: LeadRead
    opportunity_id: str
    account_id: str


class DefinitionIn(Strict):
    yaml: Annotated[str, StringConstraints(min_length=1, max_length=100_000)]
    note: ShortText | None = None
    rescore: bool = True  # re-score every open lead under the new version


class DefinitionRead(Read):
    version: int
    yaml: str
    note: str | None
    created_by: str
    created_at: UtcOut | None = None
    thresholds: dict[str, int] = {}


class RescoreOut(BaseModel):
    version: int
    rescored: int
    stage_changes: int


# -- sales feedback ----------------------------------------------------------------------------

Tag = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class SalesFeedbackCreate(Strict):
    """About a lead, an opportunity or an account (at least one); tags are short phrases."""

    id: RecordId | None = None
    lead_id: RecordId | None = None
    opportunity_id: RecordId | None = None
    account_id: RecordId | None = None
    occurred_at: UtcDateTime | None = None
    quality: Quality | None = None
    pain_points: list[Tag] = Field(default=[], max_length=20)
    decision_roles: list[Role] = Field(default=[], max_length=len(Role))
    micro_trends: list[Tag] = Field(default=[], max_length=20)
    text: Annotated[str, StringConstraints(max_length=10_000)] | None = None

    @field_validator("pain_points", "micro_trends")
    @classmethod
    def _no_separator(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if ";" in tag:
                raise ValueError(f"{tag!r}: a tag may not contain ';'")
        return tags


class SalesFeedbackRead(Read):
    id: str
    lead_id: str | None
    opportunity_id: str | None
    account_id: str | None
    author: str | None
    occurred_at: UtcOut
    quality: str | None
    pain_points: list[str]
    decision_roles: list[str]
    micro_trends: list[str]
    text: str | None

    @field_validator("pain_points", "decision_roles", "micro_trends", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [t for t in (p.strip() for p in value.split(";")) if t]
        return value


class SalesFeedbackFilter(ListQuery):
    lead_id: str | None = None
    opportunity_id: str | None = None
    account_id: str | None = None


class ReportQuery(Strict):
    since: date | None = None
    until: date | None = None


class NurtureItem(BaseModel):
    lead: LeadRead
    to_mql: int  # points still missing
    gaps: list[dict[str, Any]]
    reachable: bool  # can the gaps close the distance?


class OverdueItem(BaseModel):
    lead: LeadRead
    due_at: UtcOut
    hours_overdue: float
