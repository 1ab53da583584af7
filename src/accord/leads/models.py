"""Leads, the versioned lead definition they are scored under, their score history, and what
sales learns and logs (quality, pain points, decision roles met, micro-trends)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow


class LeadSource(StrEnum):
    trade_show = "trade_show"
    webinar = "webinar"
    white_paper = "white_paper"  # a download
    web_form = "web_form"
    referral = "referral"


class LeadStage(StrEnum):
    """raw → nurturing → mql → sql → opportunity, or disqualified (with a reason)."""

    raw = "raw"
    nurturing = "nurturing"
    mql = "mql"  # marketing-qualified: meets the definition's mql threshold
    sql = "sql"  # sales-qualified: handed to sales, who accept or reject within the SLA
    opportunity = "opportunity"  # accepted by sales: an Opportunity in the buying cycle
    disqualified = "disqualified"


# The score moves a lead between these on its own; later stages belong to people.
AUTO_STAGES = frozenset({LeadStage.raw, LeadStage.nurturing, LeadStage.mql})


class Quality(StrEnum):
    """How sales rates a lead it worked."""

    good = "good"
    fair = "fair"
    poor = "poor"


class Lead(Base):
    """A response to a marketing programme, with the fit and engagement facts the definition
    scores. ``score`` and ``definition_version`` are the latest scoring; ``lead_scores`` keeps
    every one. Linked to an account and contact when its company or address matches."""

    __tablename__ = "leads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(20), index=True)
    captured_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    company: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(32))  # buying role, when known
    industry: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    employees: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(100))
    events_attended: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    content_read: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    owner_email: Mapped[str | None] = mapped_column(String(254), index=True)  # sales owner
    stage: Mapped[str] = mapped_column(
        String(20), default=LeadStage.raw.value, server_default=LeadStage.raw.value, index=True
    )
    stage_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    disqualified_reason: Mapped[str | None] = mapped_column(String(100))
    handed_off_at: Mapped[datetime | None] = mapped_column(DateTime)  # became sql: SLA starts
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime)
    opportunity_id: Mapped[str | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL")
    )
    score: Mapped[int | None] = mapped_column(Integer)
    definition_version: Mapped[int | None] = mapped_column(Integer)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (
        CheckConstraint("employees >= 0", name="employees_not_negative"),
        CheckConstraint(
            "events_attended >= 0 AND content_read >= 0", name="engagement_not_negative"
        ),
    )


class LeadDefinition(Base):
    """One version of the lead definition marketing and sales agreed, as the YAML they wrote.
    Versions are never changed: a change is a new version."""

    __tablename__ = "lead_definitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    yaml: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class LeadScore(Base):
    """Every scoring of a lead: the version, the score and its rule-by-rule explanation."""

    __tablename__ = "lead_scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    definition_version: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    qualifies: Mapped[str | None] = mapped_column(String(10))  # "mql", "sql" or none
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    as_of: Mapped[date] = mapped_column(Date)  # the day recency was measured from
    scored_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_lead_scores_lead_id_scored_at", "lead_id", "scored_at"),)


class SalesFeedback(Base):
    """What sales learned about a lead, an opportunity or an account: a quality mark, pain
    points, decision roles met and micro-trends (each a ``; ``-separated list of tags) and free
    text. ``account_id`` is filled from the lead or opportunity when they have one."""

    __tablename__ = "sales_feedback"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_id: Mapped[str | None] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    opportunity_id: Mapped[str | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str | None] = mapped_column(String(254))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    quality: Mapped[str | None] = mapped_column(String(10))
    pain_points: Mapped[str | None] = mapped_column(Text)
    decision_roles: Mapped[str | None] = mapped_column(Text)
    micro_trends: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (
        CheckConstraint(
            "lead_id IS NOT NULL OR opportunity_id IS NOT NULL OR account_id IS NOT NULL",
            name="has_a_subject",
        ),
    )
