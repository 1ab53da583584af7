"""The REST endpoints of accounts, stakeholders, opportunities, fulfilments and feedback."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from accord.accounts import service as accounts
from accord.accounts.models import InfluenceProfile
from accord.accounts.schemas import (
    AccountCreate,
    AccountFields,
    AccountFilter,
    AccountRead,
    ContactCreate,
    ContactFields,
    ContactFilter,
    ContactRead,
    InfluenceProfileRead,
)
from accord.api.crud import add_record_routes
from accord.api.deps import ActorDep, SessionDep
from accord.journey import service as journey
from accord.journey.schemas import (
    FulfilmentCreate,
    FulfilmentFields,
    FulfilmentFilter,
    FulfilmentRead,
    OpportunityCreate,
    OpportunityFields,
    OpportunityFilter,
    OpportunityRead,
)
from accord.listening import service as listening
from accord.listening.schemas import FeedbackCreate, FeedbackFields, FeedbackFilter, FeedbackRead
from accord.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

add_record_routes(
    router,
    "/accounts",
    noun="account",
    read=AccountRead,
    create=AccountCreate,
    update=AccountFields,
    filters=AccountFilter,
    list_fn=accounts.list_accounts,
    get_fn=accounts.get_account,
    create_fn=accounts.create_account,
    update_fn=accounts.update_account,
)
add_record_routes(
    router,
    "/contacts",
    noun="contact",
    read=ContactRead,
    create=ContactCreate,
    update=ContactFields,
    filters=ContactFilter,
    list_fn=accounts.list_contacts,
    get_fn=accounts.get_contact,
    create_fn=accounts.create_contact,
    update_fn=accounts.update_contact,
)
add_record_routes(
    router,
    "/opportunities",
    noun="opportunity",
    read=OpportunityRead,
    create=OpportunityCreate,
    update=OpportunityFields,
    filters=OpportunityFilter,
    list_fn=journey.list_opportunities,
    get_fn=journey.get_opportunity,
    create_fn=journey.create_opportunity,
    update_fn=journey.update_opportunity,
)
add_record_routes(
    router,
    "/fulfilments",
    noun="fulfilment",
    read=FulfilmentRead,
    create=FulfilmentCreate,
    update=FulfilmentFields,
    filters=FulfilmentFilter,
    list_fn=journey.list_fulfilments,
    get_fn=journey.get_fulfilment,
    create_fn=journey.create_fulfilment,
    update_fn=journey.update_fulfilment,
)
add_record_routes(
    router,
    "/feedback",
    noun="feedback item",
    read=FeedbackRead,
    create=FeedbackCreate,
    update=FeedbackFields,
    filters=FeedbackFilter,
    list_fn=listening.list_feedback,
    get_fn=listening.get_feedback,
    create_fn=listening.create_feedback,
    update_fn=listening.update_feedback,
)


class StakeholderOut(BaseModel):
    contact: ContactRead
    active: bool
    weight: float
    weight_source: str
    veto: bool
    latest_feedback: FeedbackRead | None


@router.get("/accounts/{account_id}/village", response_model=list[StakeholderOut])
def account_village(
    account_id: str, session: SessionDep, actor: ActorDep, on: date | None = None
) -> list[StakeholderOut]:
    """The account's stakeholders with effective weight, veto, and latest feedback."""
    return [
        StakeholderOut(
            contact=ContactRead.model_validate(s.contact),
            active=s.active,
            weight=s.weight,
            weight_source=s.weight_source,
            veto=s.veto,
            latest_feedback=FeedbackRead.model_validate(s.latest) if s.latest else None,
        )
        for s in accounts.village(session, actor, account_id, on=on)
    ]


@router.get("/influence-profiles", response_model=list[InfluenceProfileRead])
def influence_profiles(session: SessionDep, actor: ActorDep) -> list[InfluenceProfile]:
    """Role weights and veto per purchase type and phase (the defaults for unrecorded influence)."""
    order = (InfluenceProfile.purchase_type, InfluenceProfile.phase, InfluenceProfile.role)
    return list(session.scalars(select(InfluenceProfile).order_by(*order)))
