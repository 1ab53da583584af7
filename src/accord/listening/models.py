"""Feedback: anything heard from a stakeholder, on any channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, SmallInteger, String, Text, func
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
