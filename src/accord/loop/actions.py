"""Resolution with a root cause and a preventive action, and recurrence detection.

A ticket is resolved only with a root-cause category and a preventive action that has an owner
and a due date. The action also keeps the ticket's *driver*: the lowest-rated driver (1–2) of its
linked feedback, if any (the text classifier's tags later).

Recurrence: when a ticket is resolved with the same root cause **or** the same driver as an
earlier action resolved within ``ACCORD_LOOP_RECURRENCE_DAYS`` (default 90) days before, at the
same account (``ACCORD_LOOP_RECURRENCE_SCOPE=account``, the default) or at any account of the
same segment (``segment``), the earlier action is flagged *not preventing* (``not_preventing``,
``recurred_in``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import Actor
from accord.auth.audit import record_change, snapshot
from accord.config import get_settings
from accord.errors import InvalidInput
from accord.listening.models import Feedback
from accord.loop.models import Action, Ticket, TicketFeedback
from accord.loop.scope import check_write, save
from accord.loop.tickets import TRANSITIONS, log_event, transition
from accord.vocabulary import DRIVERS

ROOT_CAUSES = (
    "product_defect",
    "process_gap",
    "logistics",
    "supplier",
    "communication",
    "pricing_billing",
    "training",
    "other",
)


def resolve(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    *,
    root_cause: str,
    prevention: str,
    owner_email: str,
    due_date: date,
    now: datetime,
    shared_with_customer: bool = False,
    recurrence_days: int | None = None,
) -> Action:
    """Resolve the ticket, record its action, and flag earlier actions it proves not preventing."""
    check_write(session, actor, ticket)
    if root_cause not in ROOT_CAUSES:
        raise InvalidInput(f"root_cause: one of {', '.join(ROOT_CAUSES)}")
    if not prevention.strip():
        raise InvalidInput("prevention: describe the preventive action")
    if "resolved" not in TRANSITIONS[ticket.status]:
        allowed = ", ".join(TRANSITIONS[ticket.status])
        raise InvalidInput(f"a {ticket.status} ticket cannot move to resolved; allowed: {allowed}")
    transition(session, actor, ticket, "resolved", now)
    save(session, actor, ticket, {"resolved_at": now})
    fields = {
        "account_id": ticket.account_id,
        "team": ticket.team,
        "root_cause": root_cause,
        "driver": ticket_driver(session, ticket.id),
        "prevention": prevention.strip(),
        "owner_email": owner_email,
        "due_date": due_date,
        "shared_with_customer": shared_with_customer,
        "resolved_at": now,
    }
    action = session.get(Action, ticket.id)
    if action is None:
        action = Action(id=ticket.id, **fields)
        session.add(action)
        session.flush()
        record_change(session, actor, "create", "loop_actions", action.id, after=snapshot(action))
    else:  # a reopened ticket resolved again
        save(session, actor, action, fields)
    log_event(session, actor, ticket, "action", now, {"root_cause": root_cause})
    flag_recurrences(session, actor, action, now, recurrence_days)
    return action


def ticket_driver(session: Session, ticket_id: str) -> str | None:
    """The lowest-rated driver (1 or 2) across the ticket's linked feedback, if any."""
    rows = session.scalars(
        select(Feedback)
        .join(TicketFeedback, TicketFeedback.feedback_id == Feedback.id)
        .where(TicketFeedback.ticket_id == ticket_id)
    ).all()
    rated = [(getattr(f, d), DRIVERS.index(d), d) for f in rows for d in DRIVERS]
    low = sorted(r for r in rated if r[0] is not None and r[0] <= 2)
    return low[0][2] if low else None


def flag_recurrences(
    session: Session, actor: Actor, action: Action, now: datetime, days: int | None = None
) -> list[Action]:
    """Earlier actions this one proves not preventing (see the module docstring)."""
    settings = get_settings()
    days = days or settings.loop_recurrence_days
    if settings.loop_recurrence_scope == "segment":
        segment = select(Account.segment).where(Account.id == action.account_id).scalar_subquery()
        where = Action.account_id.in_(select(Account.id).where(Account.segment == segment))
    else:
        where = Action.account_id == action.account_id
    same = Action.root_cause == action.root_cause
    if action.driver:
        same = or_(same, Action.driver == action.driver)
    earlier = session.scalars(
        select(Action).where(
            where,
            same,
            Action.id != action.id,
            Action.resolved_at >= action.resolved_at - timedelta(days=days),
            Action.resolved_at <= action.resolved_at,
            Action.not_preventing.is_(False),
        )
    ).all()
    for prior in earlier:
        before = snapshot(prior)
        prior.not_preventing, prior.recurred_in, prior.recurred_at = True, action.id, now
        session.flush()
        record_change(
            session, actor, "recurrence", "loop_actions", prior.id,
            before={"not_preventing": before["not_preventing"]},
            after={"not_preventing": True, "recurred_in": action.id},
        )  # fmt: skip
        ticket = session.get(Ticket, prior.id)
        if ticket is not None:
            log_event(session, actor, ticket, "recurred", now, {"in": action.id})
    return list(earlier)


def complete_action(session: Session, actor: Actor, action: Action) -> Action:
    return save(session, actor, action, {"done": True})
