"""The REST endpoints of surveys: list, get, create, update, (de)activate, export and import
definitions, and a survey's invitations. Every role reads; cx managers and admins change.
A definition is JSON in the shape of docs/surveys.md; a bad one answers 422 naming the question
id and field, and stores nothing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from accord.api.deps import ActorDep, SessionDep
from accord.auth.access import visible_account_ids
from accord.listening import surveys
from accord.listening.models import Invitation, Survey
from accord.listening.survey_schema import definition_from
from accord.schemas import ERROR_RESPONSES, UtcOut

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

DefinitionBody = Annotated[
    dict[str, Any],
    Body(description="A survey definition (docs/surveys.md): id, name, kind, supplier, questions"),
]


class SurveySummary(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    questions: int
    created_at: UtcOut


class SurveyRead(SurveySummary):
    definition: dict[str, Any]


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    survey_id: str
    contact_id: str
    account_id: str
    fulfilment_id: str | None
    reason: str
    status: str
    error: str | None
    created_at: UtcOut
    sent_at: UtcOut | None
    expires_at: UtcOut
    responded_at: UtcOut | None


class Saved(BaseModel):
    survey: SurveyRead
    created: bool


def _summary(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.id,
        "name": survey.name,
        "kind": survey.kind,
        "active": survey.active,
        "questions": len(survey.definition.get("questions", [])),
        "created_at": survey.created_at,
    }


def _read(survey: Survey) -> SurveyRead:
    return SurveyRead(**_summary(survey), definition=survey.definition)


@router.get("/surveys", response_model=list[SurveySummary])
def list_surveys(
    session: SessionDep,
    actor: ActorDep,
    kind: Annotated[str | None, Query(pattern="^(relationship|scenario|pulse)$")] = None,
    active: bool | None = None,
) -> Any:
    return [_summary(s) for s in surveys.list_surveys(session, actor, kind=kind, active=active)]


@router.post("/surveys", response_model=SurveyRead, status_code=status.HTTP_201_CREATED)
def create_survey(body: DefinitionBody, session: SessionDep, actor: ActorDep) -> Any:
    surveys.require_editor(actor)
    return _read(surveys.create_survey(session, actor, definition_from(body)))


@router.post("/surveys/import", response_model=Saved)
def import_survey(body: DefinitionBody, session: SessionDep, actor: ActorDep) -> Any:
    """What ``GET /api/surveys/{id}/export`` wrote (or a bare definition): created or replaced."""
    survey, created = surveys.import_survey(session, actor, body)
    return Saved(survey=_read(survey), created=created)


@router.get("/surveys/{survey_id}", response_model=SurveyRead)
def get_survey(survey_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return _read(surveys.get_survey(session, actor, survey_id))


@router.put("/surveys/{survey_id}", response_model=SurveyRead)
def update_survey(
    survey_id: str, body: DefinitionBody, session: SessionDep, actor: ActorDep
) -> Any:
    surveys.require_editor(actor)
    return _read(surveys.update_survey(session, actor, survey_id, definition_from(body)))


@router.post("/surveys/{survey_id}/deactivate", response_model=SurveyRead)
def deactivate_survey(survey_id: str, session: SessionDep, actor: ActorDep) -> Any:
    """No new invitations; links already sent answer "this survey is closed"."""
    return _read(surveys.set_active(session, actor, survey_id, False))


@router.post("/surveys/{survey_id}/activate", response_model=SurveyRead)
def activate_survey(survey_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return _read(surveys.set_active(session, actor, survey_id, True))


@router.get("/surveys/{survey_id}/export")
def export_survey(survey_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return surveys.export_survey(session, actor, survey_id)


@router.get("/surveys/{survey_id}/invitations", response_model=list[InvitationRead])
def list_invitations(
    survey_id: str,
    session: SessionDep,
    actor: ActorDep,
    status_: Annotated[
        str | None,
        Query(alias="status", pattern="^(planned|sent|responded|expired|failed)$"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Any:
    """The survey's invitations on accounts the caller may see (an account manager: theirs)."""
    surveys.get_survey(session, actor, survey_id)
    stmt = select(Invitation).where(
        Invitation.survey_id == survey_id,
        Invitation.account_id.in_(visible_account_ids(actor)),
    )
    if status_:
        stmt = stmt.where(Invitation.status == status_)
    stmt = stmt.order_by(Invitation.created_at.desc(), Invitation.id).limit(limit)
    return list(session.scalars(stmt))
