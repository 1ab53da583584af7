"""Sales feedback: what sales learns about a lead, an opportunity or an account — a quality mark,
pain points, decision roles met, micro-trends (tags) and free text — so marketing can target
the right problems and the right people.

Tags are stored in one canonical form (trimmed, single spaces, lower case, ``; ``-separated,
first occurrence kept) so that "Lead Times" and "lead  times" count as one pain point.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from accord.auth.access import Actor, account_for, require_write, visible_account_ids
from accord.auth.audit import record_change, snapshot
from accord.errors import Conflict, InvalidInput
from accord.journey import service as journey
from accord.leads.models import Lead, SalesFeedback
from accord.leads.schemas import SalesFeedbackCreate, SalesFeedbackFilter
from accord.leads.service import get_lead, new_id, utcnow, visible_leads
from accord.records import Page


def canonical_tags(tags: Iterable[str]) -> str | None:
    seen: list[str] = []
    for tag in tags:
        word = " ".join(tag.split()).lower()
        if word and word not in seen:
            seen.append(word)
    return "; ".join(seen) or None


def split_tags(value: str | None) -> list[str]:
    return [t for t in (p.strip() for p in (value or "").split(";")) if t]


def visible_feedback(actor: Actor) -> ColumnElement[bool]:
    """Feedback on a visible account, or on a visible lead not linked to any account."""
    if not actor.owns_only:
        return true()
    return or_(
        SalesFeedback.account_id.in_(visible_account_ids(actor)),
        and_(
            SalesFeedback.account_id.is_(None),
            SalesFeedback.lead_id.in_(select(Lead.id).where(visible_leads(actor))),
        ),
    )


def add_sales_feedback(session: Session, actor: Actor, data: SalesFeedbackCreate) -> SalesFeedback:
    require_write(actor)
    if not (data.lead_id or data.opportunity_id or data.account_id):
        raise InvalidInput("say what the feedback is about: lead_id, opportunity_id or account_id")
    account_id = data.account_id
    if data.lead_id:
        lead = get_lead(session, actor, data.lead_id, write=True)
        if account_id and lead.account_id and account_id != lead.account_id:
            raise InvalidInput(f"account_id: the lead belongs to account {lead.account_id!r}")
        account_id = account_id or lead.account_id
    if data.opportunity_id:
        opportunity = journey.get_opportunity(session, actor, data.opportunity_id)
        if account_id and opportunity.account_id != account_id:
            raise InvalidInput(f"opportunity_id: belongs to account {opportunity.account_id!r}")
        account_id = opportunity.account_id
    if account_id:
        account_for(session, actor, account_id, write=True)
    record = SalesFeedback(
        id=data.id or new_id("SF"),
        lead_id=data.lead_id,
        opportunity_id=data.opportunity_id,
        account_id=account_id,
        author=actor.email,
        occurred_at=data.occurred_at or utcnow(),
        quality=data.quality,
        pain_points=canonical_tags(data.pain_points),
        decision_roles=canonical_tags(data.decision_roles),
        micro_trends=canonical_tags(data.micro_trends),
        text=data.text,
    )
    if session.get(SalesFeedback, record.id) is not None:
        raise Conflict(f"sales feedback {record.id!r} already exists")
    session.add(record)
    session.flush()
    record_change(session, actor, "create", "sales_feedback", record.id, after=snapshot(record))
    return record


def list_sales_feedback(
    session: Session,
    actor: Actor,
    filters: SalesFeedbackFilter,
    *,
    offset: int = 0,
    limit: int = 50,
) -> Page[SalesFeedback]:
    where = [visible_feedback(actor)]
    for column, value in (
        (SalesFeedback.lead_id, filters.lead_id),
        (SalesFeedback.opportunity_id, filters.opportunity_id),
        (SalesFeedback.account_id, filters.account_id),
    ):
        if value:
            where.append(column == value)
    stmt = select(SalesFeedback).where(*where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = [SalesFeedback.occurred_at.desc(), SalesFeedback.id]
    items = session.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return Page(items=list(items), total=total, offset=offset, limit=limit)
