"""The weekly cadence digest per originator team: open tickets and SLA breaches, actions still
open (overdue ones flagged), and recurrences found in the week — as data, ready for JSON."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, ticket_visibility
from accord.errors import InvalidInput
from accord.loop.models import Action, Ticket
from accord.loop.sla import sla_state
from accord.loop.tickets import OPEN_STATUSES, TEAMS


def weekly_digest(session: Session, actor: Actor, team: str, now: datetime) -> dict[str, Any]:
    """The seven days up to ``now`` for ``team``, over the accounts the actor may see."""
    if team not in TEAMS:
        raise InvalidInput(f"team: one of {', '.join(TEAMS)}")
    start = now - timedelta(days=7)
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.team == team, ticket_visibility(actor, Ticket.team, Ticket.account_id))
        .order_by(Ticket.seq)
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.team == team, ticket_visibility(actor, Action.team, Action.account_id))
        .order_by(Action.due_date, Action.id)
    ).all()
    open_tickets = [t for t in tickets if t.status in OPEN_STATUSES]
    return {
        "team": team,
        "week_start": start.isoformat(),
        "week_end": now.isoformat(),
        "opened": sum(start <= t.opened_at < now for t in tickets),
        "resolved": sum(bool(t.resolved_at and start <= t.resolved_at < now) for t in tickets),
        "open_tickets": [
            {
                "ticket": t.id,
                "account_id": t.account_id,
                "title": t.title,
                "status": t.status,
                "priority": t.priority,
                "sla": sla_state(t, now),
                "escalation_level": t.escalation_level,
            }
            for t in open_tickets
        ],
        "breached": sum(sla_state(t, now) == "breached" for t in open_tickets),
        "open_actions": [
            {
                "ticket": a.id,
                "account_id": a.account_id,
                "root_cause": a.root_cause,
                "prevention": a.prevention,
                "owner": a.owner_email,
                "due_date": a.due_date.isoformat(),
                "overdue": a.due_date < now.date(),
                "not_preventing": a.not_preventing,
            }
            for a in actions
            if not a.done
        ],
        "recurrences": [
            {
                "ticket": a.id,
                "account_id": a.account_id,
                "root_cause": a.root_cause,
                "recurred_in": a.recurred_in,
                "recurred_at": a.recurred_at.isoformat() if a.recurred_at else None,
            }
            for a in actions
            if a.not_preventing and a.recurred_at and start <= a.recurred_at < now
        ],
    }
