"""The REST endpoints of informal capture and of the sampling planner: log a quick note on an
account, and plan whom a survey invites (with a dry run). Times come from ``app.state.clock``
when set (tests), else the clock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from accord.api.deps import ActorDep, SessionDep
from accord.api.loop import NowDep
from accord.listening import capture
from accord.listening.schemas import FeedbackRead
from accord.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.post(
    "/accounts/{account_id}/notes",
    response_model=FeedbackRead,
    status_code=status.HTTP_201_CREATED,
)
def log_note(
    account_id: str, body: capture.NoteIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    """Log what a stakeholder said (a quick note): stored as feedback ``note-<uuid>``."""
    return capture.log_note(session, actor, account_id, body, now)


@router.post("/surveys/{survey_id}/plan", response_model=dict[str, Any])
def plan_survey(
    survey_id: str, session: SessionDep, actor: ActorDep, now: NowDep, dry_run: bool = True
) -> Any:
    """Whom the survey should invite, each pick and notable exclusion explained, and the
    coverage the plan reaches beside inviting everyone who transacted (cx managers and admins).
    Without ``dry_run`` the picks become planned invitations."""
    from accord.listening import sampling_service

    plan = sampling_service.plan_survey(session, actor, survey_id, now, dry_run=dry_run)
    return plan.to_dict()
