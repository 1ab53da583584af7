"""What a purchase would have cost at list price, so the value report can show savings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, func
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow


class ListPrice(Base):
    """The list value of a won opportunity; its ``amount`` is what the customer paid.
    Savings = list_amount − amount."""

    __tablename__ = "list_prices"

    opportunity_id: Mapped[str] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    list_amount: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (CheckConstraint("list_amount >= 0", name="list_amount_not_negative"),)
