"""API shapes of events, invitations and attendance, and event feedback."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from accord.engagement.models import AttendanceStatus, EventKind
from accord.listening.schemas import FeedbackScores
from accord.schemas import (
    DateRange,
    ListQuery,
    Name,
    Read,
    RecordId,
    ShortText,
    Strict,
    UtcDateTime,
    UtcOut,
)


class EventFields(Strict):
    kind: EventKind | None = None
    title: Name | None = None
    starts_at: UtcDateTime | None = None
    ends_at: UtcDateTime | None = None
    location: ShortText | None = None
    description: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class EventCreate(EventFields):
    id: RecordId
    kind: EventKind
    title: Name
    starts_at: UtcDateTime


class EventRead(Read):
    id: str
    kind: str
    title: str
    starts_at: UtcOut
    ends_at: UtcOut | None
    location: str | None
    description: str | None


class EventFilter(DateRange):
    """``since``/``until`` bound ``starts_at``."""

    kind: EventKind | None = None


class AttendanceFields(Strict):
    status: AttendanceStatus | None = None


class AttendanceRead(Read):
    id: str
    event_id: str
    account_id: str
    contact_id: str
    status: str
    invited_at: UtcOut | None
    feedback_id: str | None


class AttendanceFilter(ListQuery):
    event_id: str | None = None
    account_id: str | None = None
    contact_id: str | None = None
    status: AttendanceStatus | None = None


class InviteIn(Strict):
    """Invite stakeholders (of accounts the caller may change) to an event."""

    contact_ids: list[RecordId] = Field(min_length=1, max_length=500)
    status: AttendanceStatus = AttendanceStatus.invited


class EventFeedbackIn(FeedbackScores):
    """What a stakeholder said about an event; stored as Feedback on channel ``event``."""

    contact_id: RecordId
    id: RecordId | None = None
    occurred_at: UtcDateTime | None = None


class RoleEngagement(BaseModel):
    role: str
    stakeholders: int  # active stakeholders in this role
    invited: int  # invitations (any status)
    attended: int
    people_reached: int  # stakeholders in this role who attended at least once
    last_attended: UtcOut | None
    feedback: int  # event feedback items
    average_nps: float | None
