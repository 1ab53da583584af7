"""API shapes of feedback."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from accord.schemas import DateRange, Read, RecordId, Strict, UtcDateTime, UtcOut, score
from accord.vocabulary import Channel

Nps = score(0, 10)
Csat = score(1, 5)
Ces = score(1, 7)
Rating = score(1, 5)


class FeedbackScores(Strict):
    """What was said: the scores on their scales and the free text."""

    nps: Nps | None = None
    csat: Csat | None = None
    ces: Ces | None = None
    product: Rating | None = None
    price: Rating | None = None
    fulfilment: Rating | None = None
    ease: Rating | None = None
    presence: Rating | None = None
    trust: Rating | None = None
    text: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class FeedbackFields(FeedbackScores):
    account_id: RecordId | None = None
    contact_id: RecordId | None = None
    fulfilment_id: RecordId | None = None
    channel: Channel | None = None
    occurred_at: UtcDateTime | None = None


class FeedbackCreate(FeedbackFields):
    id: RecordId
    account_id: RecordId
    channel: Channel
    occurred_at: UtcDateTime


class FeedbackRead(Read):
    id: str
    account_id: str
    contact_id: str | None
    fulfilment_id: str | None
    channel: str
    occurred_at: UtcOut
    nps: int | None
    csat: int | None
    ces: int | None
    product: int | None
    price: int | None
    fulfilment: int | None
    ease: int | None
    presence: int | None
    trust: int | None
    text: str | None


class FeedbackFilter(DateRange):
    """``since``/``until`` bound ``occurred_at``."""

    account_id: str | None = None
    contact_id: str | None = None
    channel: Channel | None = None
