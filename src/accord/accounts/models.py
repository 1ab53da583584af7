"""Accounts, their stakeholder villages and the influence profiles that weigh them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.db import Base, utcnow


class Account(Base):
    """A business customer. ``annual_value`` is the yearly bookings it brings."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    segment: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    annual_value: Mapped[float | None] = mapped_column(Float)
    renewal_date: Mapped[date | None] = mapped_column(Date)
    owner_email: Mapped[str | None] = mapped_column(String(254), index=True)
    # What the account buys and how long we have worked together choose its influence profile.
    purchase_type: Mapped[str | None] = mapped_column(String(100))
    phase: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="account", lazy="raise", order_by="Contact.id"
    )

    __table_args__ = (CheckConstraint("annual_value >= 0", name="annual_value_not_negative"),)


class Contact(Base):
    """A stakeholder in the account's buying village. Influence is ephemeral: people join
    (``active_from``) and leave (``active_to``)."""

    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), index=True)
    influence: Mapped[float | None] = mapped_column(Float)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=utcnow
    )

    account: Mapped[Account] = relationship(back_populates="contacts", lazy="raise")

    __table_args__ = (
        CheckConstraint("influence >= 0 AND influence <= 1", name="influence_in_unit_range"),
    )

    def is_active(self, on: date) -> bool:
        return (self.active_from is None or self.active_from <= on) and (
            self.active_to is None or self.active_to >= on
        )


class InfluenceProfile(Base):
    """The default weight and veto of a role, per purchase type and cooperation phase.

    Precision components: the engineer's word carries and can veto; employee gifts: the buyer
    decides and users barely count. Used where a stakeholder has no recorded influence.
    """

    __tablename__ = "influence_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purchase_type: Mapped[str] = mapped_column(String(100))
    phase: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(32))
    weight: Mapped[float] = mapped_column(Float)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("purchase_type", "phase", "role", name="uq_influence_profiles_key"),
        CheckConstraint("weight >= 0 AND weight <= 1", name="weight_in_unit_range"),
    )
