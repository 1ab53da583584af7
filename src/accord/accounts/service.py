"""Accounts and their villages: the rules for reading and changing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.accounts.schemas import (
    AccountCreate,
    AccountFields,
    AccountFilter,
    ContactCreate,
    ContactFields,
    ContactFilter,
)
from accord.auth.access import (
    Actor,
    account_for,
    check_owner_change,
    require_write,
    visible_accounts,
)
from accord.errors import InvalidInput
from accord.listening.models import Feedback
from accord.records import Page, create_record, get_record, list_records, update_record


def list_accounts(
    session: Session, actor: Actor, filters: AccountFilter, *, offset: int = 0, limit: int = 50
) -> Page[Account]:
    where = []
    if filters.q:
        # Escape LIKE's wildcards: a search for "50%" means the text, not a pattern.
        pattern = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(Account.name.ilike(f"%{pattern}%", escape="\\"))
    if filters.segment:
        where.append(Account.segment == filters.segment)
    if filters.region:
        where.append(Account.region == filters.region)
    if filters.industry:
        where.append(Account.industry == filters.industry)
    if filters.owner:
        where.append(func.lower(Account.owner_email) == filters.owner.lower())
    return list_records(
        session,
        actor,
        Account,
        where=where,
        order_by=[Account.name, Account.id],
        offset=offset,
        limit=limit,
    )


def get_account(session: Session, actor: Actor, account_id: str) -> Account:
    return get_record(session, actor, Account, account_id)


def create_account(session: Session, actor: Actor, data: AccountCreate) -> Account:
    if actor.owns_only:
        check_owner_change(actor, data.owner_email or actor.email)
        data = data.model_copy(update={"owner_email": data.owner_email or actor.email})
    require_write(actor)
    return create_record(session, actor, Account, data.model_dump())


def update_account(
    session: Session, actor: Actor, account_id: str, changes: AccountFields
) -> Account:
    account = get_account(session, actor, account_id)
    values = changes.model_dump(exclude_unset=True)
    if "owner_email" in values:
        check_owner_change(actor, values["owner_email"])
    return update_record(session, actor, account, values)


def _distinct(session: Session, actor: Actor, column: Any) -> list[str]:
    stmt = select(column).where(visible_accounts(actor), column.is_not(None)).distinct()
    return sorted(session.scalars(stmt))


def segments(session: Session, actor: Actor) -> list[str]:
    return _distinct(session, actor, Account.segment)


def owners(session: Session, actor: Actor) -> list[str]:
    return _distinct(session, actor, Account.owner_email)


def regions(session: Session, actor: Actor) -> list[str]:
    return _distinct(session, actor, Account.region)


# --- stakeholders -----------------------------------------------------------------------------


def list_contacts(
    session: Session, actor: Actor, filters: ContactFilter, *, offset: int = 0, limit: int = 50
) -> Page[Contact]:
    where = []
    if filters.account_id:
        where.append(Contact.account_id == filters.account_id)
    if filters.role:
        where.append(Contact.role == filters.role)
    if filters.active_on:
        day = filters.active_on
        where.append(or_(Contact.active_from.is_(None), Contact.active_from <= day))
        where.append(or_(Contact.active_to.is_(None), Contact.active_to >= day))
    return list_records(
        session,
        actor,
        Contact,
        where=where,
        order_by=[Contact.account_id, Contact.id],
        offset=offset,
        limit=limit,
    )


def get_contact(session: Session, actor: Actor, contact_id: str) -> Contact:
    return get_record(session, actor, Contact, contact_id)


def _check_active_period(active_from: date | None, active_to: date | None) -> None:
    if active_from and active_to and active_to < active_from:
        raise InvalidInput(f"active_to: {active_to} is before active_from {active_from}")


def create_contact(session: Session, actor: Actor, data: ContactCreate) -> Contact:
    _check_active_period(data.active_from, data.active_to)
    return create_record(session, actor, Contact, data.model_dump())


def update_contact(
    session: Session, actor: Actor, contact_id: str, changes: ContactFields
) -> Contact:
    contact = get_contact(session, actor, contact_id)
    values = changes.model_dump(exclude_unset=True)
    _check_active_period(
        values.get("active_from", contact.active_from), values.get("active_to", contact.active_to)
    )
    return update_record(session, actor, contact, values)


# --- the village ------------------------------------------------------------------------------


@dataclass
class Stakeholder:
    """A member of the village as the account page shows it."""

    contact: Contact
    active: bool
    weight: float  # recorded influence, or the profile's default for the role
    weight_source: str  # "recorded" | "profile" | "none"
    veto: bool
    latest: Feedback | None


def influence_profile(
    session: Session, purchase_type: str | None, phase: str | None
) -> dict[str, InfluenceProfile]:
    if not purchase_type or not phase:
        return {}
    rows = session.scalars(
        select(InfluenceProfile).where(
            InfluenceProfile.purchase_type == purchase_type, InfluenceProfile.phase == phase
        )
    )
    return {p.role: p for p in rows}


def village(
    session: Session, actor: Actor, account_id: str, *, on: date | None = None
) -> list[Stakeholder]:
    """The account's stakeholders — active first, by weight — each with their effective weight
    (recorded influence, else the influence profile's role default) and latest feedback."""
    account = account_for(session, actor, account_id)
    on = on or date.today()
    profile = influence_profile(session, account.purchase_type, account.phase)
    contacts = session.scalars(select(Contact).where(Contact.account_id == account_id)).all()
    latest_at = (
        select(Feedback.contact_id, func.max(Feedback.occurred_at).label("at"))
        .where(Feedback.account_id == account_id, Feedback.contact_id.is_not(None))
        .group_by(Feedback.contact_id)
        .subquery()
    )
    latest_rows = session.scalars(
        select(Feedback).join(
            latest_at,
            (Feedback.contact_id == latest_at.c.contact_id)
            & (Feedback.occurred_at == latest_at.c.at),
        )
    ).all()
    latest = {f.contact_id: f for f in latest_rows}
    out = []
    for c in contacts:
        role_default = profile.get(c.role)
        if c.influence is not None:
            weight, source = c.influence, "recorded"
        elif role_default is not None:
            weight, source = role_default.weight, "profile"
        else:
            weight, source = 0.0, "none"
        veto = c.veto or bool(role_default and role_default.veto and c.influence is None)
        out.append(Stakeholder(c, c.is_active(on), weight, source, veto, latest.get(c.id)))
    out.sort(key=lambda s: (not s.active, -s.weight, s.contact.name))
    return out
