"""Who sees and changes which ticket, built on ``accord.auth.access``: account managers the
tickets of their accounts, team members the tickets routed to their team, viewers read only.

Tickets and actions are changed through ``save`` rather than ``records.update_record``: the
generic helper checks the *account*, which a team member may not see as such."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, require_ticket_write, ticket_visibility
from accord.auth.audit import apply_changes
from accord.errors import NotFound
from accord.loop.models import Action, Ticket


def visible_tickets(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Ticket`` rows the actor may see."""
    return ticket_visibility(actor, Ticket.team, Ticket.account_id)


def find_ticket(session: Session, actor: Actor, ticket_id: str) -> Ticket:
    ticket = session.scalar(
        select(Ticket).where(Ticket.id == ticket_id.strip().upper(), visible_tickets(actor))
    )
    if ticket is None:
        raise NotFound(f"ticket {ticket_id!r} not found")
    return ticket


def check_write(session: Session, actor: Actor, ticket: Ticket) -> None:
    """Refuse (403 for read-only roles, 404 outside the actor's scope) unless the actor may
    change this ticket."""
    require_ticket_write(session, actor, ticket.account_id, ticket.team)


def save(session: Session, actor: Actor, record: Ticket | Action, changes: dict[str, Any]) -> Any:
    """Apply changes to a ticket (or its action) the actor may change; audit what changed."""
    ticket = record if isinstance(record, Ticket) else session.get(Ticket, record.id)
    if ticket is None:
        raise NotFound(f"ticket {record.id!r} not found")
    check_write(session, actor, ticket)
    apply_changes(session, actor, record, changes)
    return record
