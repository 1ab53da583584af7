"""Tables of the loop: counters, routing rules, tickets, their feedback links and event log,
and the actions (root cause and prevention) recorded on resolution."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow


class Counter(Base):
    """A named sequence, advanced atomically with ``UPDATE … SET value = value + 1 RETURNING``."""

    __tablename__ = "loop_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class RoutingRule(Base):
    """One ordered rule: when every condition holds, feedback goes to ``team`` at ``priority``.

    ``conditions`` keys (all optional, all must hold): ``channels``, ``drivers`` (any of),
    ``sentiment_below``, ``sentiment_at_least``, ``segments``, ``min_annual_value``, ``roles``,
    ``veto`` (true/false)."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    conditions: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    team: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )


class Ticket(Base):
    """A numbered case (``id`` is the number, e.g. ``AC-000123``) routed to a team."""

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(40), index=True)
    priority: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), index=True)
    assignee_email: Mapped[str | None] = mapped_column(String(254))
    source: Mapped[str] = mapped_column(String(60))  # "manual", "feedback", "alert:<kind>"
    source_key: Mapped[str | None] = mapped_column(String(200), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rules.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    first_response_due: Mapped[datetime] = mapped_column(DateTime)
    resolution_due: Mapped[datetime] = mapped_column(DateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_to: Mapped[str | None] = mapped_column(String(254))
    merged_into: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )


class TicketFeedback(Base):
    """Feedback items behind a ticket (several may share one)."""

    __tablename__ = "ticket_feedback"

    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TicketEvent(Base):
    """The ticket's history, in order: the log the portal, digests and webhooks read."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]


class Action(Base):
    """Root cause and preventive action recorded when a ticket is resolved (``id`` = ticket)."""

    __tablename__ = "loop_actions"

    id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str] = mapped_column(String(40), index=True)
    root_cause: Mapped[str] = mapped_column(String(40), index=True)
    driver: Mapped[str | None] = mapped_column(String(20))  # of the linked feedback, if any
    prevention: Mapped[str] = mapped_column(Text)
    owner_email: Mapped[str] = mapped_column(String(254))
    due_date: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    not_preventing: Mapped[bool] = mapped_column(Boolean, default=False)
    recurred_in: Mapped[str | None] = mapped_column(String(64))
    recurred_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )
