"""What every channel says about a ticket event: its JSON body and a one-line summary."""

from __future__ import annotations

from typing import Any

from accord.loop.models import Ticket, TicketEvent


def event_payload(event: TicketEvent, ticket: Ticket | None) -> dict[str, Any]:
    """The event as JSON: the log entry and the ticket it belongs to, as it is now."""
    return {
        "id": event.id,
        "kind": event.kind,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "ticket_id": event.ticket_id,
        "detail": event.detail or {},
        "ticket": None
        if ticket is None
        else {
            "id": ticket.id,
            "account_id": ticket.account_id,
            "title": ticket.title,
            "team": ticket.team,
            "priority": ticket.priority,
            "status": ticket.status,
            "assignee_email": ticket.assignee_email,
            "source": ticket.source,
            "escalation_level": ticket.escalation_level,
        },
    }


def summary(event: TicketEvent, ticket: Ticket | None) -> str:
    """One readable line, e.g. ``AC-000001 escalated to level 1 (owner@x.com): Late delivery``."""
    d = event.detail or {}
    what = {
        "created": lambda: f"opened for {d.get('team')} ({d.get('priority')})",
        "assigned": lambda: f"assigned to {d.get('to') or 'nobody'}",
        "status": lambda: f"moved from {d.get('from')} to {d.get('to')}",
        "reopened": lambda: f"reopened (was {d.get('from')})",
        "breach": lambda: f"breached its SLA: {d.get('reason')}",
        "escalated": lambda: (
            f"escalated to level {d.get('level')} ({d.get('to') or 'no lead set'})"
        ),
        "merged": lambda: f"merged into {d.get('into')}",
        "linked": lambda: f"linked to feedback {d.get('feedback_id')}",
    }.get(event.kind, lambda: event.kind.replace("_", " "))()
    title = f": {ticket.title}" if ticket is not None else ""
    return f"{event.ticket_id} {what}{title}"
