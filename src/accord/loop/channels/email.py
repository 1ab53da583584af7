"""Email notifications over SMTP (``ACCORD_NOTIFY_SMTP_*``): on assignment (to the new
assignee), a breach (to the assignee, else the account owner) and an escalation (to whom it
escalated, and the assignee). Off while ``ACCORD_NOTIFY_SMTP_HOST`` is empty. The cursor (the
last ticket event handled) is the ``notify_email`` row of ``loop_counters``, so each event is
emailed once."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.config import Settings, get_settings
from accord.loop.channels.common import summary
from accord.loop.models import Counter, Ticket, TicketEvent
from accord.loop.tickets import events_since

CURSOR = "notify_email"
KINDS = ("assigned", "breach", "escalated")


@dataclass
class Mail:
    event_id: int
    to: list[str]
    subject: str


def recipients(session: Session, event: TicketEvent, ticket: Ticket) -> list[str]:
    d = event.detail or {}
    found: list[str | None] = []
    if event.kind == "assigned":
        found = [d.get("to")]
    elif event.kind == "breach":
        account = session.get(Account, ticket.account_id)
        found = [ticket.assignee_email or (account.owner_email if account else None)]
    elif event.kind == "escalated":
        found = [d.get("to"), ticket.assignee_email]
    return list(dict.fromkeys(e for e in found if e))


def message(event: TicketEvent, ticket: Ticket, to: list[str], settings: Settings) -> EmailMessage:
    line = summary(event, ticket)
    msg = EmailMessage()
    msg["From"] = settings.notify_smtp_from
    msg["To"] = ", ".join(to)
    msg["Subject"] = f"[Accord] {line}"[:250]
    msg.set_content(
        f"{line}\n\n"
        f"Account: {ticket.account_id}\nTeam: {ticket.team}\nPriority: {ticket.priority}\n"
        f"Status: {ticket.status}\n\n{settings.base_url}/tickets/{ticket.id}\n"
    )
    return msg


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """A connection to the configured SMTP server (STARTTLS when asked); also used to send
    survey invitations (``accord.listening.invitations``)."""
    smtp = smtplib.SMTP(settings.notify_smtp_host, settings.notify_smtp_port, timeout=30)
    try:
        if settings.notify_smtp_starttls:
            smtp.starttls()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _cursor(session: Session) -> Counter:
    row = session.get(Counter, CURSOR, with_for_update=True)  # one run at a time (PostgreSQL)
    if row is None:
        row = Counter(name=CURSOR, value=0)
        session.add(row)
        session.flush()
    return row


def dispatch_email(session: Session, now: datetime, settings: Settings | None = None) -> list[Mail]:
    """Email the events after the cursor; an SMTP failure stops the run (retried next time)."""
    settings = settings or get_settings()
    if not settings.notify_smtp_host:
        return []
    cursor = _cursor(session)
    sent: list[Mail] = []
    pending = events_since(session, cursor.value)
    if not pending:
        return sent
    with open_smtp(settings) as smtp:
        for event in pending:
            ticket = session.get(Ticket, event.ticket_id)
            to = recipients(session, event, ticket) if ticket and event.kind in KINDS else []
            if ticket is not None and to:
                msg = message(event, ticket, to, settings)
                smtp.send_message(msg)
                sent.append(Mail(event.id, to, str(msg["Subject"])))
            cursor.value = event.id
            session.flush()
    return sent
