"""Feedback: anything heard from a stakeholder, on any channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow

# Score scales of the import contract: (column, low, high).
SCORE_SCALES: tuple[tuple[str, int, int], ...] = (
    ("nps", 0, 10),
    ("csat", 1, 5),
    ("ces", 1, 7),
    ("product", 1, 5),
    ("price", 1, 5),
    ("fulfilment", 1, 5),
    ("ease", 1, 5),
    ("presence", 1, 5),
    ("trust", 1, 5),
)


def _in_scale(column: str, low: int, high: int) -> CheckConstraint:
    return CheckConstraint(f"{column} >= {low} AND {column} <= {high}", name=f"{column}_in_scale")


class Feedback(Base):
    """One thing heard: scores (NPS 0–10, CSAT 1–5, CES 1–7, one 1–5 rating per driver), free
    text, who said it and when. ``contact_id`` is empty when the speaker is unknown."""

    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    fulfilment_id: Mapped[str | None] = mapped_column(
        ForeignKey("fulfilments.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    nps: Mapped[int | None] = mapped_column(SmallInteger)
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    ces: Mapped[int | None] = mapped_column(SmallInteger)
    product: Mapped[int | None] = mapped_column(SmallInteger)
    price: Mapped[int | None] = mapped_column(SmallInteger)
    fulfilment: Mapped[int | None] = mapped_column(SmallInteger)
    ease: Mapped[int | None] = mapped_column(SmallInteger)
    presence: Mapped[int | None] = mapped_column(SmallInteger)
    trust: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = tuple(_in_scale(c, lo, hi) for c, lo, hi in SCORE_SCALES)


# --- Surveys, invitations and responses (docs/surveys.md) ---------------------------------------

SURVEY_KINDS: tuple[str, ...] = ("relationship", "scenario", "pulse")
INVITATION_STATUSES: tuple[str, ...] = ("planned", "sent", "responded", "expired", "failed")


class Survey(Base):
    """A survey definition: ``definition`` is the whole validated definition as JSON
    (``accord.listening.survey_schema.SurveyDefinition``); ``kind`` and ``name`` repeat it for
    queries. ``id`` is a slug such as ``relationship-2026``."""

    __tablename__ = "surveys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (
        CheckConstraint("kind IN ('relationship', 'scenario', 'pulse')", name="survey_kind_known"),
    )


class Invitation(Base):
    """One contact asked to answer one survey, through a signed, expiring, single-use link.
    ``reason`` is the sampling planner's explanation of why this contact was picked."""

    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    fulfilment_id: Mapped[str | None] = mapped_column(
        ForeignKey("fulfilments.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), index=True, default="planned")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(
            "status IN ('planned', 'sent', 'responded', 'expired', 'failed')",
            name="invitation_status_known",
        ),
    )


class SurveyResponse(Base):
    """The answers to one invitation. The unique ``invitation_id`` is what makes a double
    submission store exactly once, on SQLite and PostgreSQL alike."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invitation_id: Mapped[str] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
