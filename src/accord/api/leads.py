"""The REST endpoints of leads: capture and facts, the score and its explanation, the hand-off
(accept, reject, recycle, disqualify), the work lists, the definition and its versions, sales
feedback, and marketing's report. Who may do what is decided in ``accord.leads``."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel

from accord.api.crud import add_record_routes
from accord.api.deps import ActorDep, SessionDep
from accord.leads import feedback as sales
from accord.leads import reports, service, stages
from accord.leads.models import LeadDefinition
from accord.leads.schemas import (
    AcceptIn,
    AcceptOut,
    ActivityIn,
    DefinitionIn,
    DefinitionRead,
    LeadCreate,
    LeadDetail,
    LeadFields,
    LeadFilter,
    LeadRead,
    NurtureItem,
    OverdueItem,
    RejectIn,
    RescoreOut,
    SalesFeedbackCreate,
    SalesFeedbackFilter,
    SalesFeedbackRead,
    ScoreRead,
    StageIn,
)
from accord.schemas import ERROR_RESPONSES, PageOut

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


# The work lists first: "/leads/overdue" must not be read as the lead with id "overdue".
@router.get("/leads/overdue", response_model=list[OverdueItem])
def overdue_leads(session: SessionDep, actor: ActorDep) -> list[OverdueItem]:
    """sql leads sales has not accepted or rejected within the hand-off SLA, most overdue
    first (``ACCORD_LEAD_HANDOFF_SLA_HOURS``)."""
    return [
        OverdueItem(
            lead=LeadRead.model_validate(o.lead), due_at=o.due_at, hours_overdue=o.hours_overdue
        )
        for o in stages.overdue(session, actor)
    ]


@router.get("/leads/nurture", response_model=list[NurtureItem])
def nurture_queue(session: SessionDep, actor: ActorDep, limit: int = 200) -> list[NurtureItem]:
    """Nurturing leads, closest to mql first, each with what it is missing under the current
    definition and whether nurturing can close the gap."""
    return [
        NurtureItem(
            lead=LeadRead.model_validate(n.lead),
            to_mql=n.to_mql,
            gaps=[{"rule": g.rule, "action": g.action, "points": g.points} for g in n.gaps],
            reachable=n.reachable,
        )
        for n in stages.nurture_queue(session, actor, limit=max(1, min(limit, 1000)))
    ]


@router.get("/leads/report")
def marketing_report(
    session: SessionDep, actor: ActorDep, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """Conversion by score band and source, rejected reasons, pain points by industry and
    segment over time, and the calibration of the current definition's thresholds."""
    return reports.report_dict(reports.marketing_report(session, actor, since=since, until=until))


add_record_routes(
    router,
    "/leads",
    noun="lead",
    read=LeadRead,
    create=LeadCreate,
    update=LeadFields,
    filters=LeadFilter,
    list_fn=service.list_leads,
    get_fn=service.get_lead,
    create_fn=service.capture_lead,
    update_fn=service.update_lead,
)


@router.get("/leads/{record_id}/score", response_model=LeadDetail)
def lead_score(record_id: str, session: SessionDep, actor: ActorDep) -> LeadDetail:
    """The latest score's rule-by-rule explanation (its points add up to the score), every
    earlier score with its definition version, and the hand-off due time."""
    view = service.lead_view(session, actor, record_id)
    return LeadDetail(
        lead=LeadRead.model_validate(view.lead),
        explanation=view.explanation,
        history=[ScoreRead.model_validate(h) for h in view.history],
        due_at=view.due_at,
        overdue=view.overdue,
    )


@router.post("/leads/{record_id}/activity", response_model=LeadRead)
def lead_activity(record_id: str, body: ActivityIn, session: SessionDep, actor: ActorDep) -> Any:
    """Record an event attended or content read; the lead is re-scored."""
    return LeadRead.model_validate(service.record_activity(session, actor, record_id, body))


@router.post("/leads/{record_id}/stage", response_model=LeadRead)
def lead_stage(record_id: str, body: StageIn, session: SessionDep, actor: ActorDep) -> Any:
    """Marketing recycles a lead into nurturing or disqualifies it (with a reason)."""
    return LeadRead.model_validate(stages.set_stage(session, actor, record_id, body))


@router.post("/leads/{record_id}/accept", response_model=AcceptOut)
def lead_accept(record_id: str, body: AcceptIn, session: SessionDep, actor: ActorDep) -> Any:
    """Sales accepts an sql lead: an Opportunity opens in the buying cycle (and an account and
    stakeholder when the lead had none)."""
    done = stages.accept(session, actor, record_id, body)
    return AcceptOut(
        lead=LeadRead.model_validate(done.lead),
        opportunity_id=done.opportunity_id,
        account_id=done.account_id,
    )


@router.post("/leads/{record_id}/reject", response_model=LeadRead)
def lead_reject(record_id: str, body: RejectIn, session: SessionDep, actor: ActorDep) -> Any:
    """Sales rejects an sql lead with a reason: disqualified, or back to nurturing."""
    return LeadRead.model_validate(stages.reject(session, actor, record_id, body))


def _definition(row: LeadDefinition) -> DefinitionRead:
    out = DefinitionRead.model_validate(row)
    out.thresholds = service.thresholds(row)
    return out


@router.get("/lead-definition", response_model=DefinitionRead)
def current_definition(session: SessionDep, actor: ActorDep) -> DefinitionRead:
    """The lead definition in force: its version and YAML."""
    return _definition(service.current_definition(session))


@router.get("/lead-definition/versions", response_model=list[DefinitionRead])
def definition_versions(session: SessionDep, actor: ActorDep) -> list[DefinitionRead]:
    """Every version, newest first."""
    return [_definition(r) for r in service.list_definitions(session)]


class DefinitionSaved(BaseModel):
    definition: DefinitionRead
    rescored: RescoreOut | None


@router.post(
    "/lead-definition", response_model=DefinitionSaved, status_code=status.HTTP_201_CREATED
)
def save_definition(body: DefinitionIn, session: SessionDep, actor: ActorDep) -> DefinitionSaved:
    """A new version of the definition (cx manager, admin); with ``rescore`` (the default)
    every open lead is scored under it, keeping its earlier scores."""
    row, outcome = service.save_definition(session, actor, body)
    rescored = (
        RescoreOut(
            version=row.version, rescored=outcome.scored, stage_changes=outcome.stage_changes
        )
        if outcome
        else None
    )
    return DefinitionSaved(definition=_definition(row), rescored=rescored)


@router.post("/lead-definition/rescore", response_model=RescoreOut)
def rescore(session: SessionDep, actor: ActorDep, include_closed: bool = False) -> RescoreOut:
    """Re-score every open lead (with ``include_closed``, every lead) under the current
    definition (cx manager, admin)."""
    outcome = service.rescore(session, actor, include_closed=include_closed)
    version = service.current_definition(session).version
    return RescoreOut(version=version, rescored=outcome.scored, stage_changes=outcome.stage_changes)


@router.get("/sales-feedback", response_model=PageOut[SalesFeedbackRead])
def list_sales_feedback(
    session: SessionDep,
    actor: ActorDep,
    lead_id: str | None = None,
    opportunity_id: str | None = None,
    account_id: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> PageOut[SalesFeedbackRead]:
    """What sales logged about leads, opportunities and accounts, newest first."""
    filters = SalesFeedbackFilter(
        lead_id=lead_id,
        opportunity_id=opportunity_id,
        account_id=account_id,
        offset=offset,
        limit=limit,
    )
    page = sales.list_sales_feedback(
        session, actor, filters, offset=filters.offset, limit=filters.limit
    )
    return PageOut[SalesFeedbackRead](
        items=[SalesFeedbackRead.model_validate(f) for f in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post(
    "/sales-feedback", response_model=SalesFeedbackRead, status_code=status.HTTP_201_CREATED
)
def add_sales_feedback(body: SalesFeedbackCreate, session: SessionDep, actor: ActorDep) -> Any:
    """Log what sales learned: quality, pain points, decision roles met, micro-trends."""
    return SalesFeedbackRead.model_validate(sales.add_sales_feedback(session, actor, body))
