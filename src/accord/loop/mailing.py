"""The digests by email, over the SMTP channel of the notifications (``ACCORD_NOTIFY_SMTP_*``):

* **You said, we did** to chosen contacts of one account: the customer-safe digest (as on the
  portal: unshared root causes and preventions left out, no alert tickets) for the last N days,
  with a portal link to follow progress. One email per contact, so no one sees the others'
  addresses. Only an actor who may change the account sends it (viewers read the preview).
* **The weekly digest** per team to the team lead (``ACCORD_LOOP_TEAM_LEADS``).

Both are written as plain text (``compose_*``), previewable without sending; every send is
audited. Sending with the SMTP host unset is refused (422) rather than silently skipped."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.access import Actor, account_for, require_role
from accord.auth.audit import record_change
from accord.config import Settings, get_settings
from accord.errors import InvalidInput
from accord.loop import digest as weekly
from accord.loop.portal import portal_link
from accord.loop.tickets import TEAMS
from accord.loop.youwesaid import you_said_we_did
from accord.vocabulary import UserRole

PORTAL_DAYS = 30


@dataclass
class Draft:
    """An email ready to send (or to preview)."""

    to: list[str]
    subject: str
    body: str


def _day(value: datetime) -> str:
    return f"{value.day} {value:%b %Y}"


PREVIEW_LINK = "[a portal link for this contact, made when the email is sent]"


def compose_you_said(
    session: Session,
    actor: Actor,
    account_id: str,
    now: datetime,
    days: int = 90,
    contact_id: str | None = None,
) -> Draft:
    """The account's "you said, we did" for the ``days`` up to ``now``, customer-safe (no
    recipients yet: ``send_you_said`` adds one per contact). Only a draft for a contact carries
    a real portal link (signed for that contact); a preview shows a placeholder, so reading the
    preview mints no credential."""
    account = account_for(session, actor, account_id)
    start = now - timedelta(days=days)
    d = you_said_we_did(session, account.id, start, now, for_customer=True)
    lines = [
        f"Dear {d['account_name']} team,",
        "",
        f"Here is what you told us between {_day(start)} and {_day(now)}, and what we did.",
        "",
        "YOU SAID",
    ]
    if not d["said"]:
        lines.append("  No feedback in this period.")
    for group in d["said"]:
        lines.append(f"  {group['label']} ({len(group['items'])})")
        for item in group["items"]:
            who = str(item["role"] or "your team").replace("_", " ")
            text = " ".join((item["text"] or "").split())
            lines.append(f"  - {_day(item['at'])}, {who}: {text or '(scores only)'}")
    lines += ["", "WE DID"]
    if not d["done"]:
        lines.append("  Nothing resolved in this period.")
    for entry in d["done"]:
        lines.append(
            f"  - {entry['number']} {entry['title']} (resolved {_day(entry['resolved_at'])})"
        )
        action = entry.get("action")
        if action:
            lines.append(f"    {action['summary']}")
            if action.get("prevention"):
                state = "done" if action.get("done") else f"due {action['due_date']:%d %b %Y}"
                lines.append(f"    To prevent it: {action['prevention']} ({state})")
    link = portal_link(account.id, PORTAL_DAYS, contact_id) if contact_id else PREVIEW_LINK
    lines += [
        "",
        f"Follow every request and delivery on your portal: {link}",
        f"(the link works for {PORTAL_DAYS} days).",
    ]
    subject = f"You said, we did: {d['account_name']}, last {days} days"
    return Draft([], subject, "\n".join(lines) + "\n")


def mailable_contacts(session: Session, actor: Actor, account_id: str) -> list[Contact]:
    """The account's contacts with an email address, active first, by name."""
    account_for(session, actor, account_id)
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.account_id == account_id, Contact.email.is_not(None))
            .order_by(Contact.active_to.is_not(None), Contact.name, Contact.id)
        )
    )


def _send(drafts: list[Draft], settings: Settings) -> None:
    if not settings.notify_smtp_host:
        raise InvalidInput("email is off: set ACCORD_NOTIFY_SMTP_HOST to send")
    with smtplib.SMTP(settings.notify_smtp_host, settings.notify_smtp_port, timeout=30) as smtp:
        if settings.notify_smtp_starttls:
            smtp.starttls()
        for draft in drafts:
            msg = EmailMessage()
            msg["From"] = settings.notify_smtp_from
            msg["To"] = ", ".join(draft.to)
            msg["Subject"] = draft.subject[:250]
            msg.set_content(draft.body)
            smtp.send_message(msg)


def send_you_said(
    session: Session,
    actor: Actor,
    account_id: str,
    contact_ids: list[str],
    now: datetime,
    days: int = 90,
    settings: Settings | None = None,
) -> list[Draft]:
    """Email the digest to each chosen contact of the account (one email each)."""
    account_for(session, actor, account_id, write=True)
    if not contact_ids:
        raise InvalidInput("to: choose at least one contact")
    contacts = {c.id: c for c in mailable_contacts(session, actor, account_id)}
    unknown = [c for c in contact_ids if c not in contacts]
    if unknown:
        raise InvalidInput(f"to: no contact with an email at {account_id}: {', '.join(unknown)}")
    drafts = []
    for cid in contact_ids:
        draft = compose_you_said(session, actor, account_id, now, days, contact_id=cid)
        drafts.append(Draft([str(contacts[cid].email)], draft.subject, draft.body))
    _send(drafts, settings or get_settings())
    record_change(
        session, actor, "email", "accounts", account_id,
        detail=f"you said, we did ({days} days) to {', '.join(contact_ids)}",
    )  # fmt: skip
    return drafts


def compose_digest(
    session: Session, actor: Actor, team: str, now: datetime, settings: Settings | None = None
) -> Draft:
    """The team's weekly digest as an email to its lead (no recipient when none is set)."""
    settings = settings or get_settings()
    d: dict[str, Any] = weekly.weekly_digest(session, actor, team, now)
    lead = settings.loop_team_leads.get(team)
    lines = [
        f"Week to {_day(now)} for {team}: {d['opened']} opened, {d['resolved']} resolved, "
        f"{len(d['open_tickets'])} open ({d['breached']} breached).",
        "",
        "OPEN TICKETS",
    ]
    base = settings.base_url.rstrip("/")
    for t in d["open_tickets"] or [{"ticket": None}]:
        if t["ticket"] is None:
            lines.append("  none")
            continue
        level = f", escalated L{t['escalation_level']}" if t["escalation_level"] else ""
        lines.append(
            f"  - {t['ticket']} [{t['priority']}, {t['status'].replace('_', ' ')}, "
            f"SLA {t['sla']}{level}] {t['title']}  {base}/tickets/{t['ticket']}"
        )
    lines += ["", "OPEN ACTIONS"]
    for a in d["open_actions"] or [{"ticket": None}]:
        if a["ticket"] is None:
            lines.append("  none")
            continue
        flags = (" OVERDUE" if a["overdue"] else "") + (
            " NOT PREVENTING" if a["not_preventing"] else ""
        )
        lines.append(
            f"  - {a['ticket']} {a['prevention']} ({a['owner']}, due {a['due_date']}){flags}"
        )
    lines += ["", "RECURRENCES THIS WEEK"]
    for r in d["recurrences"] or [{"ticket": None}]:
        lines.append(
            "  none" if r["ticket"] is None else f"  - {r['ticket']} recurred in {r['recurred_in']}"
        )
    return Draft([lead] if lead else [], f"[Accord] Weekly digest: {team}", "\n".join(lines) + "\n")


def send_digests(
    session: Session,
    actor: Actor,
    now: datetime,
    teams: list[str] | None = None,
    settings: Settings | None = None,
) -> tuple[list[Draft], list[str]]:
    """Email each team's weekly digest to its lead; returns (sent, teams without a lead)."""
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    chosen = teams or list(TEAMS)
    bad = [t for t in chosen if t not in TEAMS]
    if bad:
        raise InvalidInput(f"team: one of {', '.join(TEAMS)}")
    drafts: list[Draft] = []
    no_lead: list[str] = []
    for team in chosen:
        draft = compose_digest(session, actor, team, now, settings)
        if draft.to:
            drafts.append(draft)
        else:
            no_lead.append(team)
    if drafts:
        _send(drafts, settings or get_settings())
    for draft in drafts:
        detail = f"{draft.subject} to {draft.to[0]}"
        record_change(session, actor, "email", "digest", None, detail=detail)
    return drafts, no_lead
