"""Where the value report's "issues raised and resolved" come from.

Accord has no tickets yet, so the one source today reads the listening portfolio: feedback on
the ``ticket`` channel, and complaints — feedback with CSAT 1–2 or any driver rated 1. Such
feedback says an issue was raised, not whether it was solved, so its status is "not tracked".
When tickets exist, their module registers a source that knows status, resolution date and the
action taken (``register_issue_source``), and the report shows those without other changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from accord.listening.models import Feedback
from accord.vocabulary import DRIVERS, Channel


@dataclass(frozen=True)
class Issue:
    raised_at: datetime
    source: str  # "ticket" (feedback channel), "complaint", later "ticket #123"…
    theme: str  # a driver (product, price, fulfilment, ease, presence, trust) or "unclassified"
    summary: str
    status: str  # "resolved", "open" or "not tracked"
    resolved_at: datetime | None = None
    action: str | None = None  # what was done about it, when the source knows


class IssueSource(Protocol):
    name: str
    note: str  # one sentence for the report: where these issues come from

    def issues(
        self, session: Session, account_id: str, start: datetime, end: datetime
    ) -> list[Issue]: ...


class FeedbackIssues:
    """Ticket-channel feedback and complaints, from the listening portfolio."""

    name = "feedback"
    note = (
        "Issues come from feedback on the ticket channel and from complaints (CSAT 1–2 or a "
        "driver rated 1); Accord does not track tickets yet, so resolution and actions are not "
        "shown."
    )

    def issues(
        self, session: Session, account_id: str, start: datetime, end: datetime
    ) -> list[Issue]:
        none = select(Feedback.id).where(false())
        return self.issues_excluding(session, account_id, start, end, none)

    def issues_excluding(
        self,
        session: Session,
        account_id: str,
        start: datetime,
        end: datetime,
        exclude: Select,  # type: ignore[type-arg]
    ) -> list[Issue]:
        """The issues less the feedback ids ``exclude`` selects (those a ticket already tracks)."""
        ratings = [getattr(Feedback, d) for d in DRIVERS]
        rows = session.scalars(
            select(Feedback)
            .where(
                Feedback.id.not_in(exclude),
                Feedback.account_id == account_id,
                Feedback.occurred_at >= start,
                Feedback.occurred_at < end,
                or_(
                    Feedback.channel == Channel.ticket.value,
                    Feedback.csat <= 2,
                    *(r == 1 for r in ratings),
                ),
            )
            .order_by(Feedback.occurred_at, Feedback.id)
        ).all()
        out = []
        for f in rows:
            rated = {d: getattr(f, d) for d in DRIVERS if getattr(f, d) is not None}
            theme = min(rated, key=lambda d: (rated[d], DRIVERS.index(d))) if rated else None
            text = " ".join((f.text or "").split())
            out.append(
                Issue(
                    raised_at=f.occurred_at,
                    source="ticket" if f.channel == Channel.ticket.value else "complaint",
                    theme=theme or "unclassified",
                    summary=text[:137] + "…" if len(text) > 140 else text,
                    status="not tracked",
                )
            )
        return out


ISSUE_SOURCES: list[IssueSource] = [FeedbackIssues()]


def register_issue_source(source: IssueSource, *, replace: bool = True) -> None:
    """Use ``source`` for the value report's issues; ``replace`` drops the feedback source
    (tickets supersede it — keeping both would count an issue twice)."""
    if replace:
        ISSUE_SOURCES.clear()
    ISSUE_SOURCES.append(source)
