"""The REST endpoints of the loop: tickets, routing rules (with a dry run), SLA check, alerts
and the weekly digest. Times come from ``app.state.clock`` when set (tests), else the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from accord.api.deps import ActorDep, SessionDep
from accord.auth.access import require_role
from accord.errors import InvalidInput
from accord.loop import actions, alerts, digest, routing, service, sla, tickets
from accord.loop.channels import webhook as webhooks
from accord.loop.schemas import (
    ActionRead,
    CommentIn,
    DeliveryRead,
    EventRead,
    LinkIn,
    MergeIn,
    ResolveIn,
    RuleFields,
    RuleIn,
    RuleRead,
    StatusIn,
    Team,
    TicketCreate,
    TicketFields,
    TicketFilter,
    TicketRead,
    WebhookCreated,
    WebhookIn,
    WebhookRead,
)
from accord.schemas import ERROR_RESPONSES, PageOut
from accord.vocabulary import UserRole

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def current_time(request: Request) -> datetime:
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else datetime.now(UTC).replace(tzinfo=None)


NowDep = Annotated[datetime, Depends(current_time)]


@router.get("/tickets", response_model=PageOut[TicketRead])
def list_tickets(
    session: SessionDep, actor: ActorDep, query: Annotated[TicketFilter, Query()]
) -> Any:
    page = service.list_tickets(session, actor, query, offset=query.offset, limit=query.limit)
    items = [TicketRead.model_validate(t) for t in page.items]
    return PageOut[TicketRead](items=items, total=page.total, offset=page.offset, limit=page.limit)


@router.post("/tickets", response_model=TicketRead, status_code=status.HTTP_201_CREATED)
def create_ticket(body: TicketCreate, session: SessionDep, actor: ActorDep, now: NowDep) -> Any:
    return service.create_ticket(session, actor, body, now)


@router.get("/tickets/{ticket_id}", response_model=TicketRead)
def get_ticket(ticket_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return tickets.get_ticket(session, actor, ticket_id)


@router.patch("/tickets/{ticket_id}", response_model=TicketRead)
def update_ticket(
    ticket_id: str, body: TicketFields, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    return service.update_ticket(session, actor, ticket_id, body, now)


@router.post("/tickets/{ticket_id}/status", response_model=TicketRead)
def move_ticket(
    ticket_id: str, body: StatusIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    """Move along the workflow; an illegal move answers 422 naming the allowed ones."""
    ticket = tickets.get_ticket(session, actor, ticket_id)
    if body.status == "resolved":
        raise InvalidInput("resolve through /resolve, with a root cause and prevention")
    return tickets.transition(session, actor, ticket, body.status, now, body.note)


@router.post("/tickets/{ticket_id}/resolve", response_model=ActionRead)
def resolve_ticket(
    ticket_id: str, body: ResolveIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    ticket = tickets.get_ticket(session, actor, ticket_id)
    return actions.resolve(session, actor, ticket, now=now, **body.model_dump())


@router.post("/tickets/{ticket_id}/merge", response_model=TicketRead)
def merge_ticket(
    ticket_id: str, body: MergeIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    """Merge this (duplicate) ticket into ``into``; answers the surviving ticket."""
    duplicate = tickets.get_ticket(session, actor, ticket_id)
    into = tickets.get_ticket(session, actor, body.into)
    return tickets.merge(session, actor, duplicate, into, now)


@router.post("/tickets/{ticket_id}/feedback", response_model=TicketRead)
def link_feedback(
    ticket_id: str, body: LinkIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    ticket = tickets.get_ticket(session, actor, ticket_id)
    return tickets.link_feedback(session, actor, ticket, body.feedback_id, now)


@router.post("/tickets/{ticket_id}/comments", response_model=EventRead, status_code=201)
def comment_ticket(
    ticket_id: str, body: CommentIn, session: SessionDep, actor: ActorDep, now: NowDep
) -> Any:
    """An internal note in the ticket's history (never shown on the customer portal)."""
    ticket = tickets.get_ticket(session, actor, ticket_id)
    return tickets.comment(session, actor, ticket, body.text, now)


@router.get("/tickets/{ticket_id}/history", response_model=list[EventRead])
def ticket_history(ticket_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return tickets.history(session, actor, ticket_id)


@router.get("/routing-rules", response_model=list[RuleRead])
def list_rules(session: SessionDep, actor: ActorDep) -> Any:
    return routing.rules(session)


@router.post("/routing-rules", response_model=RuleRead, status_code=status.HTTP_201_CREATED)
def create_rule(body: RuleIn, session: SessionDep, actor: ActorDep) -> Any:
    return routing.create_rule(session, actor, body.model_dump())


@router.patch("/routing-rules/{rule_id}", response_model=RuleRead)
def update_rule(rule_id: int, body: RuleFields, session: SessionDep, actor: ActorDep) -> Any:
    return routing.update_rule(session, actor, rule_id, body.model_dump(exclude_unset=True))


@router.delete("/routing-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(rule_id: int, session: SessionDep, actor: ActorDep) -> None:
    routing.delete_rule(session, actor, rule_id)


class DryRunOut(BaseModel):
    feedback_id: str
    facts: dict[str, Any]
    fired: dict[str, Any] | None
    team: str | None
    priority: str | None
    rules: list[dict[str, Any]]


@router.get("/routing/dry-run/{feedback_id}", response_model=DryRunOut)
def dry_run(feedback_id: str, session: SessionDep, actor: ActorDep) -> Any:
    """Which rule fires for this feedback, and why each rule does or does not; changes nothing."""
    return routing.dry_run_dict(routing.dry_run(session, actor, feedback_id))


@router.post("/routing/route/{feedback_id}", response_model=TicketRead | None)
def route(feedback_id: str, session: SessionDep, actor: ActorDep, now: NowDep) -> Any:
    """Open a ticket by the rule that fires (null when none fires)."""
    return routing.route(session, actor, feedback_id, now)


@router.post("/loop/sla-check", response_model=list[dict[str, Any]])
def sla_check(session: SessionDep, actor: ActorDep, now: NowDep) -> Any:
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    return [e.__dict__ for e in sla.check_sla(session, actor, now)]


@router.post("/loop/alerts", response_model=list[TicketRead])
def run_alerts(session: SessionDep, actor: ActorDep, now: NowDep, today: date | None = None) -> Any:
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    return alerts.run_alerts(session, actor, today or now.date(), now)


@router.get("/loop/digest", response_model=dict[str, Any])
def weekly_digest(team: Team, session: SessionDep, actor: ActorDep, now: NowDep) -> Any:
    return digest.weekly_digest(session, actor, team, now)


@router.get("/webhooks", response_model=list[WebhookRead])
def list_webhooks(session: SessionDep, actor: ActorDep) -> Any:
    """Admins only; a webhook's secret is never read back."""
    return webhooks.list_webhooks(session, actor)


@router.post("/webhooks", response_model=WebhookCreated, status_code=status.HTTP_201_CREATED)
def create_webhook(body: WebhookIn, session: SessionDep, actor: ActorDep) -> Any:
    """Subscribe an endpoint from the next ticket event on. Without ``secret`` one is generated;
    this answer is the only one that shows it."""
    hook, secret = webhooks.create_webhook(session, actor, **body.model_dump())
    return WebhookCreated.model_validate({**WebhookRead.model_validate(hook).model_dump(),
                                          "secret": secret})  # fmt: skip


@router.delete("/webhooks/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: int, session: SessionDep, actor: ActorDep) -> None:
    webhooks.delete_webhook(session, actor, webhook_id)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryRead])
def webhook_deliveries(
    webhook_id: int, session: SessionDep, actor: ActorDep, limit: int = Query(100, ge=1, le=1000)
) -> Any:
    """Every delivery attempt (newest first): status code, error, duration."""
    return webhooks.recent_deliveries(session, actor, webhook_id, limit)
