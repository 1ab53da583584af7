"""What the text classifier said about each feedback item, and what users corrected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow

SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
SOURCES: tuple[str, ...] = ("model", "user")


class TextTag(Base):
    """The current tags of one feedback item: from the model, or from a user's correction
    (``source = 'user'``), which the model never overwrites."""

    __tablename__ = "text_tags"

    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    drivers: Mapped[list[str]] = mapped_column(JSON)
    sentiment: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)  # null for a user's correction
    model_version: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))
    tagged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("sentiment IN ('negative', 'neutral', 'positive')", name="sentiment"),
        CheckConstraint("source IN ('model', 'user')", name="source"),
    )


class TextCorrection(Base):
    """A user's correction of a feedback item's tags. The latest one per feedback item is its
    tag, and joins the training data at the next ``accord classify --train``."""

    __tablename__ = "text_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    drivers: Mapped[list[str]] = mapped_column(JSON)
    sentiment: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("sentiment IN ('negative', 'neutral', 'positive')", name="sentiment"),
    )
