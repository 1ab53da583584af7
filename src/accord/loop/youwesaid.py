"""What the customer sees: the portal's view of one account, and "you said, we did".

Everything here is read for ONE account id (the portal's signed token, or an account the staff
actor may see) and turned into plain customer language: no owner or assignee emails, no internal
priorities or teams, no alert tickets (they are the account team's own notes), and root cause
and prevention only where the action is marked ``shared_with_customer``.

"You said, we did" (``you_said_we_did``): for one account and period, what the account's
stakeholders raised — feedback grouped by driver (the drivers rated 1–2, else "general"), with
the speaker's buying role — and what was done: tickets resolved and their actions.
Sending it by email: ``loop.mailing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for
from accord.journey.models import Fulfilment
from accord.listening.models import Feedback
from accord.loop.models import Action, Ticket, TicketEvent, TicketFeedback
from accord.loop.tickets import OPEN_STATUSES
from accord.text.models import TextTag
from accord.vocabulary import DRIVERS

# Plain words for the workflow, as a customer reads them.
STATUS_WORDS = {
    "new": "Received",
    "assigned": "With our team",
    "in_progress": "Being worked on",
    "waiting_on_customer": "Waiting for your reply",
    "resolved": "Resolved",
    "closed": "Closed",
}
ROOT_CAUSE_WORDS = {
    "product_defect": "a product defect",
    "process_gap": "a gap in our process",
    "logistics": "logistics",
    "supplier": "one of our suppliers",
    "communication": "communication",
    "pricing_billing": "pricing or billing",
    "training": "training",
    "other": "another cause",
}
DRIVER_WORDS = {
    "product": "Product quality",
    "price": "Price",
    "fulfilment": "Delivery",
    "ease": "Ease of doing business",
    "presence": "Our presence and contact",
    "trust": "Trust",
    "general": "General feedback",
}
FULFILMENT_LIMIT = 20


def _raised_by(contact_id: str) -> Any:
    """Tickets behind which lies feedback of this contact: what a contact-scoped link shows."""
    return Ticket.id.in_(
        select(TicketFeedback.ticket_id)
        .join(Feedback, Feedback.id == TicketFeedback.feedback_id)
        .where(Feedback.contact_id == contact_id)
    )


def _customer_tickets(
    session: Session, account_id: str, contact_id: str | None = None
) -> list[Ticket]:
    """The account's tickets a customer may see: not alerts, not merged duplicates; with
    ``contact_id``, only those raised from that contact's feedback."""
    query = select(Ticket).where(
        Ticket.account_id == account_id,
        Ticket.merged_into.is_(None),
        ~Ticket.source.startswith("alert:"),
    )
    if contact_id is not None:
        query = query.where(_raised_by(contact_id))
    return list(session.scalars(query.order_by(Ticket.opened_at.desc(), Ticket.id)))


def portal_contact(session: Session, account_id: str, contact_id: str | None) -> Contact | None:
    """The contact a link is scoped to; ``LookupError`` when it is not one of the account's."""
    if contact_id is None:
        return None
    contact = session.get(Contact, contact_id)
    if contact is None or contact.account_id != account_id:
        raise LookupError(contact_id)
    return contact


def _progress(events: list[TicketEvent]) -> list[dict[str, Any]]:
    """The status history in plain words (who did it and internal notes left out)."""
    steps: list[dict[str, Any]] = []
    for event in events:
        if event.kind == "created":
            steps.append({"at": event.at, "text": "We received your request"})
        elif event.kind in ("status", "reopened"):
            to = str(event.detail.get("to", ""))
            if event.kind == "reopened":
                steps.append({"at": event.at, "text": "Reopened and being worked on again"})
            else:
                steps.append({"at": event.at, "text": STATUS_WORDS.get(to, "Updated")})
        elif event.kind == "assigned" and event.detail.get("to"):
            steps.append({"at": event.at, "text": "Assigned to a specialist"})
    return steps


def _action_view(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    if not action.shared_with_customer:
        return {"shared": False, "summary": "Resolved by our team."}
    return {
        "shared": True,
        "summary": f"The cause was {ROOT_CAUSE_WORDS.get(action.root_cause, 'another cause')}.",
        "prevention": action.prevention,
        "done": action.done,
        "due_date": action.due_date,
    }


@dataclass
class TicketView:
    number: str
    title: str
    status: str
    open: bool
    opened_at: datetime
    resolved_at: datetime | None
    progress: list[dict[str, Any]] = field(default_factory=list)
    action: dict[str, Any] | None = None


def ticket_view(session: Session, ticket: Ticket, *, with_progress: bool = True) -> TicketView:
    events: list[TicketEvent] = []
    if with_progress:
        events = list(
            session.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id)
                .order_by(TicketEvent.at, TicketEvent.id)
            )
        )
    return TicketView(
        number=ticket.id,
        title=ticket.title,
        status=STATUS_WORDS.get(ticket.status, ticket.status),
        open=ticket.status in OPEN_STATUSES,
        opened_at=ticket.opened_at,
        resolved_at=ticket.resolved_at,
        progress=_progress(events),
        action=_action_view(session.get(Action, ticket.id)),
    )


def portal_overview(
    session: Session, account_id: str, contact_id: str | None = None
) -> dict[str, Any]:
    """The portal's home: open and resolved tickets with progress, and recent deliveries; a
    contact-scoped link sees the tickets raised from that contact's feedback only."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    contact = portal_contact(session, account_id, contact_id)
    tickets = _customer_tickets(session, account_id, contact_id)
    views = [ticket_view(session, t) for t in tickets]
    fulfilments = list(
        session.scalars(
            select(Fulfilment)
            .where(Fulfilment.account_id == account_id)
            .order_by(Fulfilment.promised_at.desc().nulls_last(), Fulfilment.id)
            .limit(FULFILMENT_LIMIT)
        )
    )
    deliveries = [
        {
            "promised_at": f.promised_at,
            "delivered_at": f.delivered_at,
            "complete": f.complete,
            "on_time": f.on_time,
        }
        for f in fulfilments
    ]
    return {
        "account_name": account.name,
        "contact_name": contact.name if contact is not None else None,
        "open_tickets": [v for v in views if v.open],
        "resolved_tickets": [v for v in views if not v.open],
        "deliveries": deliveries,
    }


def portal_ticket(
    session: Session, account_id: str, number: str, contact_id: str | None = None
) -> TicketView | None:
    """One ticket of the account (of the contact's, for a contact-scoped link), or None:
    another account's or another contact's number reads as missing."""
    ticket = session.get(Ticket, number.upper())
    if (
        ticket is None
        or ticket.account_id != account_id
        or ticket.merged_into
        or ticket.source.startswith("alert:")
    ):
        return None
    if contact_id is not None and ticket not in _customer_tickets(session, account_id, contact_id):
        return None
    return ticket_view(session, ticket)


def _topics(fb: Feedback, tag: TextTag | None) -> list[str]:
    """The drivers rated 1–2, and those a negative or neutral comment speaks of (text tags)."""
    heard = {d for d in DRIVERS if getattr(fb, d, None) in (1, 2)}
    if tag is not None and tag.sentiment != "positive":
        heard.update(tag.drivers)
    return [d for d in DRIVERS if d in heard] or ["general"]


def you_said_we_did(
    session: Session,
    account_id: str,
    start: datetime,
    end: datetime,
    *,
    for_customer: bool,
    contact_id: str | None = None,
) -> dict[str, Any]:
    """What the account said in ``[start, end)`` grouped by topic, and what was done then.

    ``for_customer`` keeps unshared root causes and preventions out (the portal); ``contact_id``
    keeps to what that contact said and the tickets raised from it (a contact-scoped link)."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    rows = session.execute(
        select(Feedback, Contact.role, TextTag)
        .outerjoin(Contact, Contact.id == Feedback.contact_id)
        .outerjoin(TextTag, TextTag.feedback_id == Feedback.id)
        .where(
            Feedback.account_id == account_id,
            Feedback.occurred_at >= start,
            Feedback.occurred_at < end,
            Feedback.contact_id == contact_id if contact_id is not None else true(),
        )
        .order_by(Feedback.occurred_at, Feedback.id)
    ).all()
    groups: dict[str, list[dict[str, Any]]] = {}
    for fb, role, tag in rows:
        item = {"at": fb.occurred_at, "role": role, "channel": fb.channel, "text": fb.text}
        for topic in _topics(fb, tag):
            groups.setdefault(topic, []).append(item)
    order = [*DRIVERS, "general"]
    said = [
        {"topic": topic, "label": DRIVER_WORDS.get(topic, topic), "items": groups[topic]}
        for topic in order
        if topic in groups
    ]
    resolved = list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.account_id == account_id,
                Ticket.merged_into.is_(None),
                Ticket.resolved_at.is_not(None),
                Ticket.resolved_at >= start,
                Ticket.resolved_at < end,
                _raised_by(contact_id) if contact_id is not None else true(),
            )
            .order_by(Ticket.resolved_at, Ticket.id)
        )
    )
    done = []
    for ticket in resolved:
        if for_customer and ticket.source.startswith("alert:"):
            continue
        action = session.get(Action, ticket.id)
        entry: dict[str, Any] = {
            "number": ticket.id,
            "title": ticket.title,
            "resolved_at": ticket.resolved_at,
        }
        if for_customer:
            entry["action"] = _action_view(action)
        elif action is not None:
            entry["action"] = {
                "shared": action.shared_with_customer,
                "summary": f"Root cause: {ROOT_CAUSE_WORDS.get(action.root_cause, 'other')}.",
                "prevention": action.prevention,
                "done": action.done,
                "due_date": action.due_date,
                "not_preventing": action.not_preventing,
            }
        else:
            entry["action"] = None
        done.append(entry)
    return {
        "account_id": account.id,
        "account_name": account.name,
        "start": start,
        "end": end,
        "said": said,
        "said_count": len(rows),
        "done": done,
    }


def you_said_we_did_for(
    session: Session, actor: Actor, account_id: str, start: datetime, end: datetime
) -> dict[str, Any]:
    """The staff view: the account must be one the actor may see (else NotFound)."""
    account = account_for(session, actor, account_id)
    return you_said_we_did(session, account.id, start, end, for_customer=False)
