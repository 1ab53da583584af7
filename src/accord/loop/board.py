"""Reads behind the web pages of the loop: the ticket board (filters, counts per status, urgency
order), one ticket with everything around it, and an account's open tickets and actions.

Every read is scoped by ``loop.scope.visible_tickets``: a team member sees their team's tickets
and, of an account, only what those tickets show (its name, the linked feedback and speakers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for
from accord.listening.models import Feedback
from accord.loop.models import Action, Ticket, TicketEvent, TicketFeedback
from accord.loop.scope import find_ticket, visible_tickets
from accord.loop.sla import SLA_BANDS, Clock, sla_band, targets
from accord.loop.tickets import OPEN_STATUSES, PRIORITIES, STATUSES, TEAMS, TRANSITIONS

PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
BAND_RANK = {b: i for i, b in enumerate(SLA_BANDS)}
BOARD_LIMIT = 200


@dataclass
class BoardFilter:
    team: str = ""
    status: str = "open"  # "open" (every open status), "all", or one status
    sla: str = ""  # one of SLA_BANDS
    priority: str = ""
    account: str = ""

    def clean(self) -> BoardFilter:
        """Unknown values read as "no filter": the board's links are hand-edited and bookmarked."""
        return BoardFilter(
            team=self.team if self.team in TEAMS else "",
            status=self.status if self.status in (*STATUSES, "open", "all") else "open",
            sla=self.sla if self.sla in SLA_BANDS else "",
            priority=self.priority if self.priority in PRIORITIES else "",
            account=self.account.strip()[:64],
        )


@dataclass
class BoardRow:
    ticket: Ticket
    account_name: str
    band: str
    next_due: datetime | None


@dataclass
class Board:
    rows: list[BoardRow]
    total: int  # matching tickets (rows holds the first BOARD_LIMIT)
    counts: dict[str, int]  # per status, under every filter but the status
    accounts: list[tuple[str, str]]  # (id, name) of the accounts with visible tickets


def _next_due(t: Ticket) -> datetime | None:
    if t.status not in OPEN_STATUSES:
        return None
    return t.first_response_due if t.first_response_at is None else t.resolution_due


def board(session: Session, actor: Actor, f: BoardFilter, now: datetime) -> Board:
    """Tickets the actor may see under the filters, most urgent first: SLA band (breached, due
    soon, on track), then priority, then the next due time; resolved and closed ones last."""
    f = f.clean()
    where: list[Any] = [visible_tickets(actor)]
    if f.team:
        where.append(Ticket.team == f.team)
    if f.priority:
        where.append(Ticket.priority == f.priority)
    if f.account:
        where.append(Ticket.account_id == f.account)
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in session.execute(
        select(Ticket.status, func.count()).where(*where).group_by(Ticket.status)
    ).all():
        counts[status] = n
    if f.status == "open":
        where.append(Ticket.status.in_(OPEN_STATUSES))
    elif f.status != "all":
        where.append(Ticket.status == f.status)
    found = session.execute(
        select(Ticket, Account.name).join(Account, Account.id == Ticket.account_id).where(*where)
    ).all()
    clock = Clock.from_settings()
    rows = [BoardRow(t, name, sla_band(t, now, clock), _next_due(t)) for t, name in found]
    if f.sla:
        rows = [r for r in rows if r.band == f.sla]
    rows.sort(
        key=lambda r: (
            r.ticket.status not in OPEN_STATUSES,
            BAND_RANK[r.band],
            PRIORITY_RANK.get(r.ticket.priority, 9),
            r.next_due or datetime.max,
            r.ticket.seq,
        )
    )
    accounts = session.execute(
        select(Account.id, Account.name)
        .where(Account.id.in_(select(Ticket.account_id).where(visible_tickets(actor))))
        .order_by(Account.name)
    ).all()
    return Board(rows[:BOARD_LIMIT], len(rows), counts, [(a, n) for a, n in accounts])


@dataclass
class Clocks:
    """One SLA clock: its target, due time, when it was met, and the state now."""

    what: str
    hours: float
    due: datetime
    met_at: datetime | None
    late: bool


@dataclass
class TicketPage:
    ticket: Ticket
    account: Account
    feedback: list[dict[str, Any]]
    events: list[TicketEvent]
    action: Action | None
    band: str
    clocks: list[Clocks]
    allowed: tuple[str, ...]  # statuses the ticket may move to (resolving needs the form)
    can_act: bool
    merged_from: list[str] = field(default_factory=list)


def ticket_page(session: Session, actor: Actor, number: str, now: datetime) -> TicketPage:
    ticket = find_ticket(session, actor, number)
    account = session.get(Account, ticket.account_id)
    assert account is not None  # the foreign key
    rows = session.execute(
        select(Feedback, Contact)
        .join(TicketFeedback, TicketFeedback.feedback_id == Feedback.id)
        .outerjoin(Contact, Contact.id == Feedback.contact_id)
        .where(TicketFeedback.ticket_id == ticket.id)
        .order_by(Feedback.occurred_at, Feedback.id)
    ).all()
    feedback = [{"item": fb, "contact": contact} for fb, contact in rows]
    events = list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.at, TicketEvent.id)
        )
    )
    first, resolve = targets(ticket.priority)
    clocks = [
        Clocks("First response", first, ticket.first_response_due, ticket.first_response_at,
               (ticket.first_response_at or now) > ticket.first_response_due),
        Clocks("Resolution", resolve, ticket.resolution_due, ticket.resolved_at,
               (ticket.resolved_at or now) > ticket.resolution_due),
    ]  # fmt: skip
    merged_from = list(
        session.scalars(
            select(Ticket.id).where(Ticket.merged_into == ticket.id).order_by(Ticket.seq)
        )
    )
    return TicketPage(
        ticket=ticket,
        account=account,
        feedback=feedback,
        events=events,
        action=session.get(Action, ticket.id),
        band=sla_band(ticket, now),
        clocks=clocks,
        allowed=tuple(s for s in TRANSITIONS[ticket.status] if s != "resolved")
        if not ticket.merged_into
        else (),
        can_act=actor.role.value != "viewer",
        merged_from=merged_from,
    )


def account_loop(session: Session, actor: Actor, account_id: str, now: datetime) -> dict[str, Any]:
    """An account's open tickets (with SLA band) and open preventive actions, for its page."""
    account_for(session, actor, account_id)
    tickets = session.scalars(
        select(Ticket)
        .where(
            Ticket.account_id == account_id,
            Ticket.status.in_(OPEN_STATUSES),
            visible_tickets(actor),
        )
        .order_by(Ticket.seq)
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.account_id == account_id, Action.done.is_(False))
        .order_by(Action.due_date, Action.id)
    ).all()
    return {
        "tickets": [{"ticket": t, "band": sla_band(t, now)} for t in tickets],
        "actions": list(actions),
    }


def event_text(event: TicketEvent) -> str:
    """One history entry in words, for the ticket page."""
    d = event.detail or {}
    words = {
        "created": lambda: f"Opened for {d.get('team')} at {d.get('priority')} priority",
        "assigned": lambda: f"Assigned to {d.get('to')}" if d.get("to") else "Unassigned",
        "status": lambda: f"Moved from {d.get('from')} to {d.get('to')}".replace("_", " "),
        "reopened": lambda: f"Reopened (was {d.get('from')})",
        "linked": lambda: f"Feedback {d.get('feedback_id')} linked",
        "merged": lambda: f"Merged into {d.get('into')}",
        "merged_from": lambda: f"{d.get('duplicate')} merged into this ticket",
        "breach": lambda: f"SLA breached: {d.get('reason')}",
        "escalated": lambda: (
            f"Escalated to level {d.get('level')} ({d.get('to') or 'no lead set'})"
        ),
        "action": lambda: f"Resolved; root cause {str(d.get('root_cause')).replace('_', ' ')}",
        "recurred": lambda: f"The problem recurred in {d.get('in')}: the action did not prevent it",
        "comment": lambda: str(d.get("text", "")),
    }
    return words.get(event.kind, lambda: event.kind.replace("_", " "))()
