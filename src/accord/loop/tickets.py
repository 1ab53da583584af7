"""Tickets: numbers, the status workflow, assignment, feedback links, merging and history.

Numbers come from one counter row advanced with ``UPDATE loop_counters SET value = value + 1
WHERE name = 'ticket' RETURNING value``: the row lock serialises concurrent writers on
PostgreSQL, and SQLite allows one writer at a time, so no two tickets share a number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accord.auth.access import Actor, account_for
from accord.auth.audit import record_change
from accord.config import get_settings
from accord.errors import InvalidInput, NotFound
from accord.listening.models import Feedback
from accord.loop.models import Counter, Ticket, TicketEvent, TicketFeedback
from accord.loop.scope import check_write, find_ticket, save
from accord.records import create_record

STATUSES = ("new", "assigned", "in_progress", "waiting_on_customer", "resolved", "closed")
OPEN_STATUSES = ("new", "assigned", "in_progress", "waiting_on_customer")
TEAMS = ("support", "logistics", "quality", "rnd", "finance", "sales")
PRIORITIES = ("urgent", "high", "normal", "low")

# The workflow: from each status, where a ticket may go. Resolving needs a root cause
# (``actions.resolve``); a resolved or closed ticket is reopened to ``in_progress``.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("assigned", "in_progress", "closed"),
    "assigned": ("in_progress", "waiting_on_customer", "resolved"),
    "in_progress": ("assigned", "waiting_on_customer", "resolved"),
    "waiting_on_customer": ("in_progress", "resolved"),
    "resolved": ("closed", "in_progress"),
    "closed": ("in_progress",),
}
# Moving to one of these is the team's first response to the customer.
RESPONDING = ("in_progress", "waiting_on_customer", "resolved")


def next_number(session: Session, name: str = "ticket") -> int:
    """The next value of a counter, atomically (creates the counter on first use)."""
    stmt = (
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    value = session.scalar(stmt)
    if value is None:
        try:
            with session.begin_nested():
                session.add(Counter(name=name, value=0))
        except IntegrityError:
            pass  # another transaction created it first
        value = session.scalar(stmt)
    return int(value)  # type: ignore[arg-type]


def format_number(seq: int) -> str:
    return f"{get_settings().loop_ticket_prefix}-{seq:06d}"


def log_event(
    session: Session,
    actor: Actor | str,
    ticket: Ticket,
    kind: str,
    at: datetime,
    detail: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append to the ticket's history and the audit log."""
    who = actor.email if isinstance(actor, Actor) else actor
    event = TicketEvent(ticket_id=ticket.id, at=at, actor=who, kind=kind, detail=detail or {})
    session.add(event)
    record_change(session, actor, kind, "tickets", ticket.id, after=detail or None)
    return event


def open_ticket(
    session: Session,
    actor: Actor,
    *,
    account_id: str,
    title: str,
    team: str,
    priority: str,
    now: datetime,
    source: str = "manual",
    source_key: str | None = None,
    rule_id: int | None = None,
    assignee_email: str | None = None,
    feedback_ids: tuple[str, ...] = (),
) -> Ticket:
    from accord.loop.sla import due_times

    if team not in TEAMS:
        raise InvalidInput(f"team: one of {', '.join(TEAMS)}")
    if priority not in PRIORITIES:
        raise InvalidInput(f"priority: one of {', '.join(PRIORITIES)}")
    account_for(session, actor, account_id, write=True)
    seq = next_number(session)
    first_due, resolve_due = due_times(priority, now)
    ticket = create_record(
        session,
        actor,
        Ticket,
        {
            "id": format_number(seq),
            "seq": seq,
            "account_id": account_id,
            "title": title,
            "team": team,
            "priority": priority,
            "status": "assigned" if assignee_email else "new",
            "assignee_email": assignee_email,
            "source": source,
            "source_key": source_key,
            "rule_id": rule_id,
            "opened_at": now,
            "first_response_due": first_due,
            "resolution_due": resolve_due,
            "escalation_level": 0,
        },
    )
    log_event(session, actor, ticket, "created", now, {"team": team, "priority": priority})
    for fid in feedback_ids:
        link_feedback(session, actor, ticket, fid, now)
    return ticket


def get_ticket(session: Session, actor: Actor, ticket_id: str) -> Ticket:
    """The ticket if the actor may see it (``loop.scope``), else NotFound."""
    return find_ticket(session, actor, ticket_id)


def transition(
    session: Session, actor: Actor, ticket: Ticket, to: str, now: datetime, note: str = ""
) -> Ticket:
    """Move a ticket along the workflow; an illegal move is refused (422)."""
    check_write(session, actor, ticket)
    if to not in STATUSES:
        raise InvalidInput(f"status: one of {', '.join(STATUSES)}")
    allowed = TRANSITIONS[ticket.status]
    if to not in allowed:
        raise InvalidInput(
            f"a {ticket.status} ticket cannot move to {to}; allowed: {', '.join(allowed)}"
        )
    changes: dict[str, Any] = {"status": to}
    if to in RESPONDING and ticket.first_response_at is None:
        changes["first_response_at"] = now
    if to == "closed":
        changes["closed_at"] = now
    if to == "in_progress" and ticket.status in ("resolved", "closed"):  # reopening
        changes.update(resolved_at=None, closed_at=None)
    reopening = to == "in_progress" and ticket.status in ("resolved", "closed")
    kind = "reopened" if reopening else "status"
    before = ticket.status
    save(session, actor, ticket, changes)
    log_event(session, actor, ticket, kind, now, {"from": before, "to": to, "note": note})
    return ticket


def assign(
    session: Session, actor: Actor, ticket: Ticket, assignee_email: str | None, now: datetime
) -> Ticket:
    changes: dict[str, Any] = {"assignee_email": assignee_email}
    if assignee_email and ticket.status == "new":
        changes["status"] = "assigned"
    save(session, actor, ticket, changes)
    log_event(session, actor, ticket, "assigned", now, {"to": assignee_email})
    return ticket


def link_feedback(
    session: Session, actor: Actor, ticket: Ticket, feedback_id: str, now: datetime
) -> Ticket:
    """Attach a feedback item of the same account to the ticket."""
    check_write(session, actor, ticket)
    fb = session.get(Feedback, feedback_id)
    if fb is None or fb.account_id != ticket.account_id:
        raise NotFound(f"feedback {feedback_id!r} not found on account {ticket.account_id}")
    if session.get(TicketFeedback, (ticket.id, feedback_id)) is None:
        session.add(TicketFeedback(ticket_id=ticket.id, feedback_id=feedback_id))
        log_event(session, actor, ticket, "linked", now, {"feedback_id": feedback_id})
        session.flush()
    return ticket


def comment(
    session: Session, actor: Actor, ticket: Ticket, text: str, now: datetime
) -> TicketEvent:
    """An internal note in the ticket's history (never shown on the customer portal)."""
    check_write(session, actor, ticket)
    text = text.strip()
    if not text:
        raise InvalidInput("comment: write something")
    if len(text) > 4000:
        raise InvalidInput("comment: at most 4000 characters")
    event = log_event(session, actor, ticket, "comment", now, {"text": text})
    session.flush()
    return event


def feedback_ids(session: Session, ticket_id: str) -> list[str]:
    return list(
        session.scalars(
            select(TicketFeedback.feedback_id)
            .where(TicketFeedback.ticket_id == ticket_id)
            .order_by(TicketFeedback.feedback_id)
        )
    )


def merge(session: Session, actor: Actor, duplicate: Ticket, into: Ticket, now: datetime) -> Ticket:
    """Close ``duplicate`` into ``into``: its feedback links move over, both histories say so."""
    check_write(session, actor, duplicate)
    check_write(session, actor, into)
    if duplicate.id == into.id:
        raise InvalidInput("a ticket cannot be merged into itself")
    if duplicate.account_id != into.account_id:
        raise InvalidInput("only tickets of the same account can be merged")
    if into.merged_into:
        raise InvalidInput(f"{into.id} was itself merged into {into.merged_into}")
    for fid in feedback_ids(session, duplicate.id):
        link_feedback(session, actor, into, fid, now)
    save(session, actor, duplicate, {"status": "closed", "closed_at": now, "merged_into": into.id})
    log_event(session, actor, duplicate, "merged", now, {"into": into.id})
    log_event(session, actor, into, "merged_from", now, {"duplicate": duplicate.id})
    return into


def history(session: Session, actor: Actor, ticket_id: str) -> list[TicketEvent]:
    ticket = get_ticket(session, actor, ticket_id)
    return list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.at, TicketEvent.id)
        )
    )


def events_since(session: Session, after_id: int = 0, limit: int = 500) -> list[TicketEvent]:
    """Every ticket event after ``after_id``, oldest first: the feed notifications read."""
    return list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.id > after_id)
            .order_by(TicketEvent.id)
            .limit(limit)
        )
    )
