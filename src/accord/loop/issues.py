"""Tickets as the value report's issues (``accord.reports.issues.register_issue_source``).

Tickets supersede the feedback source, but complaints that no ticket tracks still count: the
source lists the account's tickets, then the feedback issues not linked to any ticket (their
status stays "not tracked"), so nothing is counted twice and nothing is lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.loop.models import Action, Ticket, TicketFeedback
from accord.reports.issues import FeedbackIssues, Issue

# Teams named as the experience driver they mostly concern, for the report's themes.
TEAM_THEME = {
    "support": "ease",
    "logistics": "fulfilment",
    "quality": "product",
    "rnd": "product",
    "finance": "price",
    "sales": "trust",
}


class TicketIssues:
    name = "tickets"
    note = (
        "Issues are the account's tickets opened in the period, with their status, resolution "
        "date and the preventive action recorded on resolution; complaints no ticket tracks "
        "are listed as not tracked."
    )

    def issues(
        self, session: Session, account_id: str, start: datetime, end: datetime
    ) -> list[Issue]:
        rows = session.execute(
            select(Ticket, Action)
            .outerjoin(Action, Action.id == Ticket.id)
            .where(
                Ticket.account_id == account_id,
                Ticket.opened_at >= start,
                Ticket.opened_at < end,
                Ticket.merged_into.is_(None),
            )
            .order_by(Ticket.opened_at, Ticket.seq)
        ).all()
        tracked = [
            Issue(
                raised_at=t.opened_at,
                source=f"ticket {t.id}",
                theme=TEAM_THEME.get(t.team, "unclassified"),
                summary=t.title,
                status="resolved" if t.status in ("resolved", "closed") else "open",
                resolved_at=t.resolved_at,
                action=f"{a.root_cause.replace('_', ' ')}: {a.prevention}" if a else None,
            )
            for t, a in rows
        ]
        linked = select(TicketFeedback.feedback_id)
        untracked = FeedbackIssues().issues_excluding(session, account_id, start, end, linked)
        return sorted(tracked + untracked, key=lambda i: i.raised_at)


def register() -> None:
    from accord.reports.issues import ISSUE_SOURCES, register_issue_source

    if not any(isinstance(s, TicketIssues) for s in ISSUE_SOURCES):
        register_issue_source(TicketIssues())
