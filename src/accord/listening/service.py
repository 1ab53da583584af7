"""Feedback: capture and read what stakeholders say, on every channel."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.access import Actor
from accord.errors import InvalidInput
from accord.journey.models import Fulfilment
from accord.listening.models import Feedback
from accord.listening.schemas import FeedbackCreate, FeedbackFields, FeedbackFilter
from accord.records import Page, create_record, get_record, list_records, update_record


def list_feedback(
    session: Session, actor: Actor, filters: FeedbackFilter, *, offset: int = 0, limit: int = 50
) -> Page[Feedback]:
    where = filters.bounds(Feedback.occurred_at)
    for column, value in (
        (Feedback.account_id, filters.account_id),
        (Feedback.contact_id, filters.contact_id),
        (Feedback.channel, filters.channel),
    ):
        if value:
            where.append(column == value)
    order = [Feedback.occurred_at.desc(), Feedback.id]
    return list_records(
        session, actor, Feedback, where=where, order_by=order, offset=offset, limit=limit
    )


def get_feedback(session: Session, actor: Actor, feedback_id: str) -> Feedback:
    return get_record(session, actor, Feedback, feedback_id)


def _check_same_account(session: Session, values: dict[str, Any]) -> None:
    """The speaker and the fulfilment must belong to the account the feedback is filed under."""
    account_id = values["account_id"]
    for field, model in (("contact_id", Contact), ("fulfilment_id", Fulfilment)):
        ref = values.get(field)
        if ref is None:
            continue
        row = session.get(model, ref)
        if row is None or row.account_id != account_id:
            raise InvalidInput(
                f"{field}: {ref!r} is not a {model.__tablename__[:-1]} of account {account_id!r}"
            )


def create_feedback(session: Session, actor: Actor, data: FeedbackCreate) -> Feedback:
    values = data.model_dump()
    _check_same_account(session, values)
    return create_record(session, actor, Feedback, values)


def update_feedback(
    session: Session, actor: Actor, feedback_id: str, changes: FeedbackFields
) -> Feedback:
    record = get_feedback(session, actor, feedback_id)
    values = changes.model_dump(exclude_unset=True)
    merged = {
        "account_id": values.get("account_id", record.account_id),
        "contact_id": values.get("contact_id", record.contact_id),
        "fulfilment_id": values.get("fulfilment_id", record.fulfilment_id),
    }
    _check_same_account(session, merged)
    return update_record(session, actor, record, values)
