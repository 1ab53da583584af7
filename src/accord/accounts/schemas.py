"""API shapes of accounts and stakeholders."""

from __future__ import annotations

from datetime import date

from accord.schemas import (
    Email,
    ListQuery,
    Money,
    Name,
    Read,
    RecordId,
    ShortText,
    Strict,
    Unit,
    UtcOut,
)
from accord.vocabulary import Phase, Role


class AccountFields(Strict):
    """Every field optional: the shape of an update."""

    name: Name | None = None
    segment: ShortText | None = None
    industry: ShortText | None = None
    region: ShortText | None = None
    annual_value: Money | None = None
    renewal_date: date | None = None
    owner_email: Email | None = None
    purchase_type: ShortText | None = None
    phase: Phase | None = None


class AccountCreate(AccountFields):
    id: RecordId
    name: Name


class AccountRead(Read):
    id: str
    name: str
    segment: str | None
    industry: str | None
    region: str | None
    annual_value: float | None
    renewal_date: date | None
    owner_email: str | None
    purchase_type: str | None
    phase: str | None
    updated_at: UtcOut | None = None


class AccountFilter(ListQuery):
    q: str | None = None  # name contains
    segment: str | None = None
    owner: str | None = None  # owner email
    region: str | None = None
    industry: str | None = None


class ContactFields(Strict):
    account_id: RecordId | None = None
    name: Name | None = None
    email: Email | None = None
    title: ShortText | None = None
    role: Role | None = None
    influence: Unit | None = None
    veto: bool | None = None
    active_from: date | None = None
    active_to: date | None = None


class ContactCreate(ContactFields):
    id: RecordId
    account_id: RecordId
    name: Name
    role: Role
    veto: bool = False


class ContactRead(Read):
    id: str
    account_id: str
    name: str
    email: str | None
    title: str | None
    role: str
    influence: float | None
    veto: bool
    active_from: date | None
    active_to: date | None


class ContactFilter(ListQuery):
    account_id: str | None = None
    role: Role | None = None
    active_on: date | None = None  # only stakeholders active on this day


class InfluenceProfileRead(Read):
    purchase_type: str
    phase: str
    role: str
    weight: float
    veto: bool
    note: str | None
