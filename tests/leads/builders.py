"""Builders for lead tests: leads captured through the service (linked, audited, scored)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.leads import service
from accord.leads.models import Lead
from accord.leads.schemas import LeadCreate

# Facts that score 79 under the default definition on 23 Nov 2026 (an sql lead).
HOT: dict[str, Any] = {
    "industry": "medical devices", "employees": 450, "region": "North",
    "role": "technical_buyer", "events_attended": 3, "content_read": 2,
    "last_activity_at": datetime(2026, 11, 1, 9), "captured_at": datetime(2026, 10, 1),
}  # fmt: skip
# 20 + 10 + 3 + 4 + 0 + 3 + 0 = 40 on 23 Nov 2026: just mql.
WARM: dict[str, Any] = {
    "industry": "electronics", "employees": 300, "region": "South", "role": "user",
    "content_read": 1, "captured_at": datetime(2026, 1, 5),
}  # fmt: skip
COLD: dict[str, Any] = {
    "industry": "hospitality",
    "employees": 8,
    "captured_at": datetime(2025, 1, 1),
}
AS_OF = date(2026, 11, 23)


def make_lead(
    session: Session,
    lead_id: str,
    facts: dict[str, Any] | None = None,
    *,
    actor: Actor = OPERATOR,
    **kw: Any,
) -> Lead:
    values = {"source": "webinar", "company": f"Company of {lead_id}", **(facts or {}), **kw}
    return service.capture_lead(session, actor, LeadCreate(id=lead_id, **values), as_of=AS_OF)
