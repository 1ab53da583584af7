"""Leads: who may see them, capture, facts and engagement, scoring, and the definition's versions.

Who sees a lead (built on ``accord.auth.access``): a lead linked to an account is seen by whoever
may see that account; a lead not linked to any account yet is seen by admins, cx managers
(marketing works through that role) and viewers, and by the account manager it was handed to
(``owner_email``). Changing needs a role that writes; changing the definition, re-scoring in
bulk and moving stages by hand are marketing's (cx manager, admin).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.access import (
    Actor,
    account_for,
    check_owner_change,
    require_role,
    require_write,
    visible_account_ids,
    visible_accounts,
)
from accord.auth.audit import apply_changes, record_change, snapshot
from accord.config import get_settings
from accord.errors import Conflict, InvalidInput, NotFound
from accord.leads.definition import Definition, parse
from accord.leads.matching import match_one
from accord.leads.models import AUTO_STAGES, Lead, LeadDefinition, LeadScore, LeadStage
from accord.leads.schemas import ActivityIn, DefinitionIn, LeadCreate, LeadFields, LeadFilter
from accord.leads.scoring import Outcome, definition_row, load_definition, score_leads
from accord.records import Page
from accord.vocabulary import UserRole

MARKETING = (UserRole.admin, UserRole.cx_manager)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def visible_leads(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Lead`` rows the actor may see."""
    if not actor.owns_only:
        return true()
    return or_(
        Lead.account_id.in_(visible_account_ids(actor)),
        and_(Lead.account_id.is_(None), func.lower(Lead.owner_email) == actor.email.lower()),
    )


def list_leads(
    session: Session, actor: Actor, filters: LeadFilter, *, offset: int = 0, limit: int = 50
) -> Page[Lead]:
    where = [visible_leads(actor), *filters.bounds(Lead.captured_at)]
    for column, value in (
        (Lead.stage, filters.stage),
        (Lead.source, filters.source),
        (Lead.account_id, filters.account_id),
    ):
        if value:
            where.append(column == value)
    if filters.owner:
        where.append(func.lower(Lead.owner_email) == filters.owner.lower())
    if filters.q:
        pattern = filters.q.strip().lower()
        where.append(
            or_(
                *(
                    func.lower(c).contains(pattern, autoescape=True)
                    for c in (Lead.company, Lead.name, Lead.email)
                )
            )
        )
    stmt = select(Lead).where(*where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = [Lead.score.desc().nulls_last(), Lead.captured_at.desc(), Lead.id]
    items = session.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return Page(items=list(items), total=total, offset=offset, limit=limit)


def get_lead(session: Session, actor: Actor, lead_id: str, *, write: bool = False) -> Lead:
    """The lead if the actor may see it (and change it, with ``write``); otherwise NotFound."""
    if write:
        require_write(actor)
    lead = session.scalar(select(Lead).where(Lead.id == lead_id, visible_leads(actor)))
    if lead is None:
        raise NotFound(f"lead {lead_id!r} not found")
    return lead


def audited_change(
    session: Session, actor: Actor, lead: Lead, changes: dict[str, Any], action: str = "update"
) -> Lead:
    apply_changes(session, actor, lead, changes, action)
    return lead


# -- scoring -----------------------------------------------------------------------------------


def definition(session: Session, version: int | None = None) -> Definition:
    try:
        return load_definition(session, version)
    except LookupError as exc:
        raise NotFound(str(exc)) from None


def score_one(session: Session, actor: Actor, lead: Lead, *, as_of: date | None = None) -> Lead:
    """Score one lead under the current definition (a history row; the stage may move)."""
    session.flush()
    current = definition(session)
    before = lead.stage
    score_leads(session, current, ids=[lead.id], as_of=as_of or utcnow().date(), now=utcnow())
    session.expire(lead)
    record_change(
        session,
        actor,
        "score",
        "leads",
        lead.id,
        after={"score": lead.score, "definition_version": lead.definition_version},
        detail=f"stage {before} → {lead.stage}" if lead.stage != before else None,
    )
    return lead


def _link(session: Session, actor: Actor, values: dict[str, Any]) -> None:
    """Check a given account/contact, or find them from the address and company name; the
    owner defaults to the account's."""
    account_id, contact_id = values.get("account_id"), values.get("contact_id")
    if account_id:
        account_for(session, actor, account_id, write=True)
    if contact_id:
        contact = session.get(Contact, contact_id)
        if contact is None or (account_id and contact.account_id != account_id):
            raise InvalidInput(f"contact_id: {contact_id!r} is not a contact of the lead's account")
        account_for(session, actor, contact.account_id, write=True)
        values["account_id"] = account_id = contact.account_id
    if not account_id:
        found, contact_id = match_one(
            session, values.get("email"), values.get("company"), visible_accounts(actor)
        )
        if found:
            values["account_id"], values["contact_id"] = found, contact_id
    if values.get("account_id") and not values.get("owner_email"):
        values["owner_email"] = account_for(session, actor, values["account_id"]).owner_email


def capture_lead(
    session: Session, actor: Actor, data: LeadCreate, *, as_of: date | None = None
) -> Lead:
    """A lead from a form, an API client or a person: linked, stored, audited and scored."""
    require_write(actor)
    values = data.model_dump()
    values["id"] = values["id"] or new_id("LEAD")
    values["captured_at"] = values["captured_at"] or utcnow()
    if actor.owns_only and values.get("owner_email"):
        check_owner_change(actor, values["owner_email"])
    _link(session, actor, values)
    if actor.owns_only and not values.get("owner_email"):
        values["owner_email"] = actor.email
    if session.get(Lead, values["id"]) is not None:
        raise Conflict(f"lead {values['id']!r} already exists")
    lead = Lead(**values, stage=LeadStage.raw.value)
    session.add(lead)
    session.flush()
    record_change(session, actor, "create", "leads", lead.id, after=snapshot(lead))
    return score_one(session, actor, lead, as_of=as_of)


def update_lead(session: Session, actor: Actor, lead_id: str, changes: LeadFields) -> Lead:
    lead = get_lead(session, actor, lead_id, write=True)
    values = changes.model_dump(exclude_unset=True)
    for key in ("source", "captured_at", "company", "events_attended", "content_read"):
        if key in values and values[key] is None:
            raise InvalidInput(f"{key}: may not be empty")
    if "owner_email" in values and actor.owns_only:
        check_owner_change(actor, values["owner_email"])
    if "account_id" in values or "contact_id" in values:
        linked = {
            "account_id": values.get("account_id", lead.account_id),
            "contact_id": values.get("contact_id", lead.contact_id),
            "email": values.get("email", lead.email),
            "company": values.get("company", lead.company),
            "owner_email": values.get("owner_email", lead.owner_email),
        }
        if linked["account_id"] or linked["contact_id"]:
            _link(session, actor, linked)
        values.update({k: linked[k] for k in ("account_id", "contact_id", "owner_email")})
    audited_change(session, actor, lead, values)
    return score_one(session, actor, lead)


def record_activity(session: Session, actor: Actor, lead_id: str, activity: ActivityIn) -> Lead:
    """An event attended or content read: the counts and recency move, and the lead is
    re-scored (which may qualify it)."""
    lead = get_lead(session, actor, lead_id, write=True)
    at = activity.at or utcnow()
    changes: dict[str, Any] = {}
    if activity.kind == "event":
        changes["events_attended"] = lead.events_attended + activity.count
    else:
        changes["content_read"] = lead.content_read + activity.count
    if lead.last_activity_at is None or at > lead.last_activity_at:
        changes["last_activity_at"] = at
    audited_change(session, actor, lead, changes, action="activity")
    return score_one(session, actor, lead)


@dataclass
class LeadView:
    lead: Lead
    explanation: list[dict[str, Any]]
    history: list[LeadScore]
    due_at: datetime | None
    overdue: bool


def due_at(lead: Lead) -> datetime | None:
    """When sales must have accepted or rejected an sql lead (the hand-off SLA)."""
    if lead.stage != LeadStage.sql.value or lead.handed_off_at is None:
        return None
    return lead.handed_off_at + timedelta(hours=get_settings().lead_handoff_sla_hours)


def lead_view(session: Session, actor: Actor, lead_id: str) -> LeadView:
    lead = get_lead(session, actor, lead_id)
    history = list(
        session.scalars(
            select(LeadScore)
            .where(LeadScore.lead_id == lead.id)
            .order_by(LeadScore.scored_at.desc(), LeadScore.id.desc())
        )
    )
    due = due_at(lead)
    return LeadView(
        lead=lead,
        explanation=history[0].explanation if history else [],
        history=history,
        due_at=due,
        overdue=due is not None and due < utcnow(),
    )


# -- the definition ----------------------------------------------------------------------------


def current_definition(session: Session) -> LeadDefinition:
    row = definition_row(session)
    found = session.get(LeadDefinition, row.id)
    assert found is not None
    return found


def list_definitions(session: Session) -> list[LeadDefinition]:
    current_definition(session)  # version 1 exists from the first look
    return list(session.scalars(select(LeadDefinition).order_by(LeadDefinition.version.desc())))


def get_definition(session: Session, version: int) -> LeadDefinition:
    found = session.scalar(select(LeadDefinition).where(LeadDefinition.version == version))
    if found is None:
        raise NotFound(f"lead definition version {version} not found")
    return found


def thresholds(row: LeadDefinition) -> dict[str, int]:
    parsed = parse(row.yaml, row.version)
    return {"mql": parsed.mql, "sql": parsed.sql}


def save_definition(
    session: Session, actor: Actor, data: DefinitionIn, *, as_of: date | None = None
) -> tuple[LeadDefinition, Outcome | None]:
    """A new version (the YAML is validated first); with ``rescore``, every open lead is scored
    under it at once. An unchanged text makes no version."""
    require_role(actor, *MARKETING)
    parse(data.yaml)  # raises InvalidInput with the reason and place
    latest = current_definition(session)
    if latest.yaml.strip() == data.yaml.strip():
        raise InvalidInput("yaml: unchanged from the current version")
    row = LeadDefinition(
        version=latest.version + 1, yaml=data.yaml, note=data.note, created_by=actor.email
    )
    session.add(row)
    session.flush()
    record_change(
        session,
        actor,
        "create",
        "lead_definitions",
        row.version,
        after={"version": row.version, "note": row.note, "yaml": row.yaml},
    )
    outcome = rescore(session, actor, as_of=as_of) if data.rescore else None
    return row, outcome


def rescore(
    session: Session, actor: Actor, *, include_closed: bool = False, as_of: date | None = None
) -> Outcome:
    """Score every open lead (raw to sql; with ``include_closed`` also converted and
    disqualified ones) under the current definition; earlier scores stay in the history."""
    require_role(actor, *MARKETING)
    session.flush()
    current = definition(session)
    where = None if include_closed else Lead.stage.in_([*AUTO_STAGES, LeadStage.sql.value])
    outcome = score_leads(
        session, current, where=where, as_of=as_of or utcnow().date(), now=utcnow()
    )
    record_change(
        session,
        actor,
        "rescore",
        "leads",
        None,
        after={
            "version": current.version,
            "scored": outcome.scored,
            "moved": outcome.stage_changes,
        },
        detail=f"re-scored {outcome.scored} leads under definition version {current.version}",
    )
    session.expire_all()
    return outcome
