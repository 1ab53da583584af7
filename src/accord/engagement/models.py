"""Post-purchase engagement: the events a vendor runs for its customers (webcasts, seminars,
user groups, trade shows, newsletters) and who of each account's village was invited and came."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from accord.db import Base, utcnow


class EventKind(StrEnum):
    webcast = "webcast"
    seminar = "seminar"
    user_group = "user_group"
    trade_show = "trade_show"
    newsletter = "newsletter"


class AttendanceStatus(StrEnum):
    """An invitation's life: invited, then registered or declined, then attended or no-show.
    A newsletter is "attended" when it was opened."""

    invited = "invited"
    registered = "registered"
    declined = "declined"
    attended = "attended"
    no_show = "no_show"


class Event(Base):
    """An event of the vendor's. Events are not account data: everyone may see them; who was
    invited and came belongs to each account (``Attendance``)."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )


class Attendance(Base):
    """One stakeholder's invitation to one event and whether they came; ``feedback_id`` is what
    they said about it (a Feedback item on channel ``event``)."""

    __tablename__ = "event_attendance"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=AttendanceStatus.invited.value)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime)
    feedback_id: Mapped[str | None] = mapped_column(ForeignKey("feedback.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    __table_args__ = (UniqueConstraint("event_id", "contact_id", name="uq_event_attendance_who"),)
