"""Opportunities and fulfilments: the rules for reading and changing them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.auth.access import Actor
from accord.errors import InvalidInput
from accord.journey.models import Fulfilment, Opportunity
from accord.journey.schemas import (
    FulfilmentCreate,
    FulfilmentFields,
    FulfilmentFilter,
    OpportunityCreate,
    OpportunityFields,
    OpportunityFilter,
)
from accord.records import Page, create_record, get_record, list_records, update_record


def list_opportunities(
    session: Session, actor: Actor, filters: OpportunityFilter, *, offset: int = 0, limit: int = 50
) -> Page[Opportunity]:
    where = filters.bounds(Opportunity.opened_at)
    for column, value in (
        (Opportunity.account_id, filters.account_id),
        (Opportunity.kind, filters.kind),
        (Opportunity.stage, filters.stage),
        (Opportunity.outcome, filters.outcome),
    ):
        if value:
            where.append(column == value)
    order = [Opportunity.opened_at.desc(), Opportunity.id]
    return list_records(
        session, actor, Opportunity, where=where, order_by=order, offset=offset, limit=limit
    )


def get_opportunity(session: Session, actor: Actor, opportunity_id: str) -> Opportunity:
    return get_record(session, actor, Opportunity, opportunity_id)


def _check_dates(opened: object, closed: object, first: str, second: str) -> None:
    if opened is not None and closed is not None and closed < opened:  # type: ignore[operator]
        raise InvalidInput(f"{second}: {closed} is before {first} {opened}")


def create_opportunity(session: Session, actor: Actor, data: OpportunityCreate) -> Opportunity:
    _check_dates(data.opened_at, data.closed_at, "opened_at", "closed_at")
    return create_record(session, actor, Opportunity, data.model_dump())


def update_opportunity(
    session: Session, actor: Actor, opportunity_id: str, changes: OpportunityFields
) -> Opportunity:
    record = get_opportunity(session, actor, opportunity_id)
    values = changes.model_dump(exclude_unset=True)
    _check_dates(
        values.get("opened_at", record.opened_at),
        values.get("closed_at", record.closed_at),
        "opened_at",
        "closed_at",
    )
    return update_record(session, actor, record, values)


def list_fulfilments(
    session: Session, actor: Actor, filters: FulfilmentFilter, *, offset: int = 0, limit: int = 50
) -> Page[Fulfilment]:
    where = filters.bounds(Fulfilment.promised_at)
    if filters.account_id:
        where.append(Fulfilment.account_id == filters.account_id)
    order = [Fulfilment.promised_at.desc(), Fulfilment.id]
    return list_records(
        session, actor, Fulfilment, where=where, order_by=order, offset=offset, limit=limit
    )


def get_fulfilment(session: Session, actor: Actor, fulfilment_id: str) -> Fulfilment:
    return get_record(session, actor, Fulfilment, fulfilment_id)


def create_fulfilment(session: Session, actor: Actor, data: FulfilmentCreate) -> Fulfilment:
    return create_record(session, actor, Fulfilment, data.model_dump())


def update_fulfilment(
    session: Session, actor: Actor, fulfilment_id: str, changes: FulfilmentFields
) -> Fulfilment:
    record = get_fulfilment(session, actor, fulfilment_id)
    return update_record(session, actor, record, changes.model_dump(exclude_unset=True))
