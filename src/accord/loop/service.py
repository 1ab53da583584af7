"""Entry points shared by the API and the CLI: listing, manual creation and updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import Actor
from accord.loop.models import Ticket
from accord.loop.schemas import TicketCreate, TicketFields, TicketFilter
from accord.loop.scope import save, visible_tickets
from accord.loop.sla import due_times
from accord.loop.tickets import assign, get_ticket, open_ticket
from accord.records import Page


def list_tickets(
    session: Session, actor: Actor, query: TicketFilter, *, offset: int = 0, limit: int = 50
) -> Page[Ticket]:
    where: list[Any] = []
    for name in ("account_id", "team", "status", "assignee_email"):
        value = getattr(query, name)
        if value is not None:
            where.append(getattr(Ticket, name) == value)
    stmt = select(Ticket).where(visible_tickets(actor), *where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(stmt.order_by(Ticket.seq.desc()).offset(offset).limit(limit)).all()
    return Page(items=list(items), total=total, offset=offset, limit=limit)


def create_ticket(session: Session, actor: Actor, body: TicketCreate, now: datetime) -> Ticket:
    return open_ticket(
        session, actor, account_id=body.account_id, title=body.title, team=body.team,
        priority=body.priority, now=now, assignee_email=body.assignee_email,
        feedback_ids=tuple(body.feedback_ids),
    )  # fmt: skip


def update_ticket(
    session: Session, actor: Actor, ticket_id: str, body: TicketFields, now: datetime
) -> Ticket:
    ticket = get_ticket(session, actor, ticket_id)
    changes = body.model_dump(exclude_unset=True)
    if "assignee_email" in changes:
        assign(session, actor, ticket, changes.pop("assignee_email"), now)
    if "priority" in changes:  # the SLA follows the new priority, counted from opening
        first, resolve = due_times(changes["priority"], ticket.opened_at)
        changes.update(first_response_due=first, resolution_due=resolve)
    if changes:
        save(session, actor, ticket, changes)
    return ticket
