"""The customer journey: purchases through the buying cycle, and the fulfilments that follow."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow


class Opportunity(Base):
    """A purchase in the ten-stage buying cycle. Its outcome is the booking insights link to."""

    __tablename__ = "opportunities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float | None] = mapped_column(Float)
    opened_at: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20), default="open", index=True)
    rfp_notes: Mapped[str | None] = mapped_column(Text)
    negotiation_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)


class Fulfilment(Base):
    """A delivery or service event: what was promised, what happened, and what the front line
    *reported* — the gap between the last two exposes beautified KPIs."""

    __tablename__ = "fulfilments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    promised_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    complete: Mapped[bool | None] = mapped_column(Boolean)
    reported_on_time: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    @property
    def on_time(self) -> bool | None:
        """Measured on-time: delivered no later than promised."""
        if self.promised_at is None or self.delivered_at is None:
            return None
        return self.delivered_at <= self.promised_at
