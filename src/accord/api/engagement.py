"""The REST endpoints of post-purchase engagement: events, invitations and attendance, event
feedback, and an account's engagement per buying role."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from accord.api.crud import add_record_routes
from accord.api.deps import ActorDep, SessionDep
from accord.engagement import service
from accord.engagement.schemas import (
    AttendanceFields,
    AttendanceFilter,
    AttendanceRead,
    EventCreate,
    EventFeedbackIn,
    EventFields,
    EventFilter,
    EventRead,
    InviteIn,
    RoleEngagement,
)
from accord.listening.schemas import FeedbackRead
from accord.schemas import ERROR_RESPONSES, PageOut

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

add_record_routes(
    router,
    "/events",
    noun="event",
    read=EventRead,
    create=EventCreate,
    update=EventFields,
    filters=EventFilter,
    list_fn=service.list_events,
    get_fn=service.get_event,
    create_fn=service.create_event,
    update_fn=service.update_event,
)


@router.post(
    "/events/{record_id}/invitations",
    response_model=list[AttendanceRead],
    status_code=status.HTTP_201_CREATED,
)
def invite(record_id: str, body: InviteIn, session: SessionDep, actor: ActorDep) -> Any:
    """Invite stakeholders to the event (only of accounts the caller may change)."""
    return [
        AttendanceRead.model_validate(a) for a in service.invite(session, actor, record_id, body)
    ]


@router.post(
    "/events/{record_id}/feedback", response_model=FeedbackRead, status_code=status.HTTP_201_CREATED
)
def event_feedback(
    record_id: str, body: EventFeedbackIn, session: SessionDep, actor: ActorDep
) -> Any:
    """What a stakeholder said about the event: Feedback on channel ``event``; their
    invitation is marked attended and linked to it."""
    return FeedbackRead.model_validate(service.add_event_feedback(session, actor, record_id, body))


@router.get("/attendance", response_model=PageOut[AttendanceRead])
def list_attendance(
    session: SessionDep,
    actor: ActorDep,
    event_id: str | None = None,
    account_id: str | None = None,
    contact_id: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Any:
    """Invitations and attendance, of the accounts the caller may see."""
    filters = AttendanceFilter(
        event_id=event_id,
        account_id=account_id,
        contact_id=contact_id,
        status=status,  # type: ignore[arg-type]
        offset=offset,
        limit=limit,
    )
    page = service.list_attendance(
        session, actor, filters, offset=filters.offset, limit=filters.limit
    )
    return PageOut[AttendanceRead](
        items=[AttendanceRead.model_validate(a) for a in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/attendance/{record_id}", response_model=AttendanceRead)
def get_attendance(record_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return AttendanceRead.model_validate(service.get_attendance(session, actor, record_id))


@router.patch("/attendance/{record_id}", response_model=AttendanceRead)
def update_attendance(
    record_id: str, body: AttendanceFields, session: SessionDep, actor: ActorDep
) -> Any:
    """Move an invitation on: registered, declined, attended, no-show."""
    return AttendanceRead.model_validate(service.update_attendance(session, actor, record_id, body))


@router.get("/accounts/{account_id}/engagement", response_model=list[RoleEngagement])
def account_engagement(account_id: str, session: SessionDep, actor: ActorDep) -> Any:
    """Per buying role: stakeholders, invitations, attendance and event feedback."""
    return service.engagement_by_role(session, actor, account_id)
