"""API shapes of opportunities and fulfilments."""

from __future__ import annotations

from datetime import date

from accord.schemas import DateRange, Money, Read, RecordId, Strict, UtcDateTime, UtcOut
from accord.vocabulary import OpportunityKind, Outcome, Stage


class OpportunityFields(Strict):
    account_id: RecordId | None = None
    kind: OpportunityKind | None = None
    stage: Stage | None = None
    amount: Money | None = None
    opened_at: date | None = None
    closed_at: date | None = None
    outcome: Outcome | None = None
    rfp_notes: str | None = None
    negotiation_notes: str | None = None


class OpportunityCreate(OpportunityFields):
    id: RecordId
    account_id: RecordId
    kind: OpportunityKind
    stage: Stage
    outcome: Outcome = Outcome.open


class OpportunityRead(Read):
    id: str
    account_id: str
    kind: str
    stage: str
    amount: float | None
    opened_at: date | None
    closed_at: date | None
    outcome: str
    rfp_notes: str | None
    negotiation_notes: str | None


class OpportunityFilter(DateRange):
    """``since``/``until`` bound ``opened_at``."""

    account_id: str | None = None
    kind: OpportunityKind | None = None
    stage: Stage | None = None
    outcome: Outcome | None = None


class FulfilmentFields(Strict):
    account_id: RecordId | None = None
    promised_at: UtcDateTime | None = None
    delivered_at: UtcDateTime | None = None
    complete: bool | None = None
    reported_on_time: bool | None = None


class FulfilmentCreate(FulfilmentFields):
    id: RecordId
    account_id: RecordId


class FulfilmentRead(Read):
    id: str
    account_id: str
    promised_at: UtcOut | None
    delivered_at: UtcOut | None
    complete: bool | None
    reported_on_time: bool | None
    on_time: bool | None


class FulfilmentFilter(DateRange):
    """``since``/``until`` bound ``promised_at``."""

    account_id: str | None = None
