"""API schemas of the loop."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from accord.schemas import Email, ListQuery, Name, Read, RecordId, Strict, UtcOut

Team = Literal["support", "logistics", "quality", "rnd", "finance", "sales"]
Priority = Literal["urgent", "high", "normal", "low"]
Status = Literal["new", "assigned", "in_progress", "waiting_on_customer", "resolved", "closed"]


class TicketCreate(Strict):
    account_id: RecordId
    title: Name
    team: Team
    priority: Priority = "normal"
    assignee_email: Email | None = None
    feedback_ids: list[RecordId] = []


class TicketFields(Strict):
    """What a PATCH may change; status moves via ``/status``, resolution via ``/resolve``."""

    title: Name | None = None
    team: Team | None = None
    priority: Priority | None = None
    assignee_email: Email | None = None


class TicketFilter(ListQuery):
    account_id: RecordId | None = None
    team: Team | None = None
    status: Status | None = None
    assignee_email: Email | None = None


class TicketRead(Read):
    id: str
    account_id: str
    title: str
    team: str
    priority: str
    status: str
    assignee_email: str | None
    source: str
    rule_id: int | None
    opened_at: UtcOut
    first_response_due: UtcOut
    resolution_due: UtcOut
    first_response_at: UtcOut | None
    resolved_at: UtcOut | None
    closed_at: UtcOut | None
    escalation_level: int
    escalated_to: str | None
    merged_into: str | None


class StatusIn(Strict):
    status: Status
    note: str = Field(default="", max_length=2000)


class ResolveIn(Strict):
    root_cause: Literal[
        "product_defect",
        "process_gap",
        "logistics",
        "supplier",
        "communication",
        "pricing_billing",
        "training",
        "other",
    ]
    prevention: str = Field(min_length=1, max_length=4000)
    owner_email: Email
    due_date: date
    shared_with_customer: bool = False


class ActionRead(Read):
    id: str
    account_id: str
    team: str
    root_cause: str
    driver: str | None
    prevention: str
    owner_email: str
    due_date: date
    done: bool
    shared_with_customer: bool
    resolved_at: UtcOut
    not_preventing: bool
    recurred_in: str | None


class MergeIn(Strict):
    into: str = Field(min_length=1, max_length=64)


class LinkIn(Strict):
    feedback_id: RecordId


class EventRead(Read):
    id: int
    ticket_id: str
    at: UtcOut
    actor: str
    kind: str
    detail: dict[str, Any]


class RuleIn(Strict):
    position: int = Field(ge=0)
    name: Name
    enabled: bool = True
    conditions: dict[str, Any] = {}
    team: Team
    priority: Priority


class RuleFields(Strict):
    position: int | None = Field(default=None, ge=0)
    name: Name | None = None
    enabled: bool | None = None
    conditions: dict[str, Any] | None = None
    team: Team | None = None
    priority: Priority | None = None


class RuleRead(Read):
    id: int
    position: int
    name: str
    enabled: bool
    conditions: dict[str, Any]
    team: str
    priority: str


class CommentIn(Strict):
    text: str = Field(min_length=1, max_length=4000)


class WebhookIn(Strict):
    name: Name = "webhook"
    url: str = Field(min_length=8, max_length=2000)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    event_kinds: list[str] = []
    slack: bool = False


class WebhookRead(Read):
    """A subscription as read back: never its secret."""

    id: int
    name: str
    url: str
    event_kinds: list[str]
    slack: bool
    active: bool
    cursor: int


class WebhookCreated(WebhookRead):
    secret: str  # shown in the creation answer only


class DeliveryRead(Read):
    id: int
    webhook_id: int
    event_id: int
    attempt: int
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: float
    at: UtcOut
