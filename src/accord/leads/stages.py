"""The people's part of a lead's journey: marketing recycles or disqualifies, sales accepts an sql
lead (which opens an Opportunity in the buying cycle) or rejects it with a reason, within the
hand-off SLA. Also the two work lists: overdue hand-offs and the nurture queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts import service as accounts
from accord.accounts.schemas import AccountCreate, ContactCreate
from accord.auth.access import Actor, account_for, require_role
from accord.config import get_settings
from accord.errors import Conflict, InvalidInput
from accord.journey import service as journey
from accord.journey.schemas import OpportunityCreate
from accord.leads.definition import Facts, Gap
from accord.leads.models import Lead, LeadStage
from accord.leads.schemas import AcceptIn, RejectIn, StageIn
from accord.leads.service import (
    MARKETING,
    audited_change,
    definition,
    get_lead,
    score_one,
    utcnow,
    visible_leads,
)
from accord.vocabulary import Role, Stage

ID_LIMIT = 64


def _derived_id(prefix: str, lead_id: str) -> str:
    candidate = f"{prefix}-{lead_id}"
    return candidate if len(candidate) <= ID_LIMIT else f"{prefix}-{lead_id[-(ID_LIMIT - 5) :]}"


def set_stage(session: Session, actor: Actor, lead_id: str, move: StageIn) -> Lead:
    """Marketing recycles a lead into nurturing (it is re-scored at once) or disqualifies it."""
    require_role(actor, *MARKETING)
    lead = get_lead(session, actor, lead_id, write=True)
    if lead.stage == LeadStage.opportunity.value:
        raise Conflict("this lead is already an opportunity")
    now = utcnow()
    if move.stage == LeadStage.disqualified.value:
        if not move.reason:
            raise InvalidInput("reason: say why the lead is disqualified")
        changes = {"stage": move.stage, "disqualified_reason": move.reason}
    else:
        changes = {"stage": move.stage, "disqualified_reason": None, "handed_off_at": None}
    audited_change(session, actor, lead, {**changes, "stage_changed_at": now}, action="stage")
    return score_one(session, actor, lead) if move.stage == "nurturing" else lead


def _require_sql(lead: Lead, verb: str) -> None:
    if lead.stage != LeadStage.sql.value:
        raise Conflict(f"only an sql lead can be {verb}; this one is {lead.stage}")


@dataclass
class Accepted:
    lead: Lead
    opportunity_id: str
    account_id: str


def accept(session: Session, actor: Actor, lead_id: str, data: AcceptIn) -> Accepted:
    """Sales takes the lead: its account (the one it is linked to, the one named, or a new
    prospect account), its person as a stakeholder, and an Opportunity at the consideration
    stage of the buying cycle. Everything is audited and happens in the caller's transaction."""
    lead = get_lead(session, actor, lead_id, write=True)
    _require_sql(lead, "accepted")
    account_id = data.account_id or lead.account_id
    if account_id:
        account = account_for(session, actor, account_id, write=True)
    else:
        fallback = actor.email if "@" in actor.email else None  # the CLI operator is "cli"
        owner = actor.email if actor.owns_only else (lead.owner_email or fallback)
        account = accounts.create_account(
            session,
            actor,
            AccountCreate(
                id=_derived_id("ACC", lead.id),
                name=lead.company,
                segment=lead.segment,
                industry=lead.industry,
                region=lead.region,
                owner_email=owner,
            ),
        )
    contact_id = lead.contact_id if lead.account_id == account.id else None
    if contact_id is None:
        contact_id = _derived_id("CON", lead.id)
        accounts.create_contact(
            session,
            actor,
            ContactCreate(
                id=contact_id,
                account_id=account.id,
                name=lead.name or lead.email or lead.company,
                email=lead.email,
                title=lead.title,
                role=Role(lead.role) if lead.role else Role.user,
            ),
        )
    today = utcnow().date()
    opportunity = journey.create_opportunity(
        session,
        actor,
        OpportunityCreate(
            id=data.opportunity_id or _derived_id("OPP", lead.id),
            account_id=account.id,
            kind=data.kind,
            stage=Stage.consideration,
            amount=data.amount,
            opened_at=today,
        ),
    )
    now = utcnow()
    audited_change(
        session,
        actor,
        lead,
        {
            "stage": LeadStage.opportunity.value,
            "stage_changed_at": now,
            "accepted_at": now,
            "opportunity_id": opportunity.id,
            "account_id": account.id,
            "contact_id": contact_id,
            "owner_email": lead.owner_email or account.owner_email,
        },
        action="accept",
    )
    return Accepted(lead=lead, opportunity_id=opportunity.id, account_id=account.id)


def reject(session: Session, actor: Actor, lead_id: str, data: RejectIn) -> Lead:
    """Sales sends an sql lead back, with a reason: disqualified, or (``recycle``) back to
    nurturing — where it is not handed over again until it shows new activity."""
    lead = get_lead(session, actor, lead_id, write=True)
    _require_sql(lead, "rejected")
    now = utcnow()
    stage = LeadStage.nurturing if data.recycle else LeadStage.disqualified
    changes = {
        "stage": stage.value,
        "stage_changed_at": now,
        "rejected_at": now,
        "disqualified_reason": data.reason,
        "handed_off_at": None,
    }
    return audited_change(session, actor, lead, changes, action="reject")


# -- work lists --------------------------------------------------------------------------------


@dataclass
class Overdue:
    lead: Lead
    due_at: datetime
    hours_overdue: float


def overdue(session: Session, actor: Actor, *, now: datetime | None = None) -> list[Overdue]:
    """sql leads sales has neither accepted nor rejected within the SLA, most overdue first."""
    now = now or utcnow()
    sla = timedelta(hours=get_settings().lead_handoff_sla_hours)
    leads = session.scalars(
        select(Lead)
        .where(
            visible_leads(actor),
            Lead.stage == LeadStage.sql.value,
            Lead.handed_off_at.is_not(None),
            Lead.handed_off_at < now - sla,
        )
        .order_by(Lead.handed_off_at, Lead.id)
    ).all()
    out = []
    for lead in leads:
        due = lead.handed_off_at + sla  # type: ignore[operator]
        out.append(Overdue(lead, due, round((now - due).total_seconds() / 3600, 1)))
    return out


@dataclass
class Nurturing:
    lead: Lead
    score: int  # under the current definition, today
    to_mql: int
    gaps: list[Gap]
    reachable: bool  # could the gaps close the distance to mql?


def nurture_queue(
    session: Session, actor: Actor, *, as_of: date | None = None, limit: int = 200
) -> list[Nurturing]:
    """Nurturing (and raw) leads, closest to mql first, each with what it is missing."""
    current = definition(session)
    as_of = as_of or utcnow().date()
    leads = session.scalars(
        select(Lead).where(
            visible_leads(actor),
            Lead.stage.in_([LeadStage.raw.value, LeadStage.nurturing.value]),
        )
    ).all()
    out = []
    for lead in leads:
        facts = Facts.of(lead)
        scored = current.score(facts, as_of)
        gaps = current.gaps(facts, as_of)
        to_mql = max(0, current.mql - scored.score)
        reachable = sum(g.points for g in gaps) >= to_mql
        out.append(Nurturing(lead, scored.score, to_mql, gaps, reachable))
    out.sort(key=lambda n: (not n.reachable, n.to_mql, n.lead.id))
    return out[:limit]
