"""Events, invitations and attendance, and event feedback.

Events themselves are the vendor's and visible to every user; marketing (cx managers, admins)
creates and changes them. Invitations belong to the invited stakeholder's account, so the usual
rule holds: account managers see and change only their own accounts' invitations, viewers read.
What a stakeholder says about an event becomes Feedback on channel ``event`` — part of the
listening portfolio like any other feedback — linked from their invitation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for, require_role, visible_account_ids
from accord.auth.audit import apply_changes, record_change, snapshot
from accord.engagement.models import Attendance, AttendanceStatus, Event
from accord.engagement.schemas import (
    AttendanceFields,
    AttendanceFilter,
    EventCreate,
    EventFeedbackIn,
    EventFields,
    EventFilter,
    InviteIn,
    RoleEngagement,
)
from accord.errors import Conflict, InvalidInput, NotFound
from accord.listening import service as listening
from accord.listening.models import Feedback
from accord.listening.schemas import FeedbackCreate
from accord.records import Page, create_record, get_record, list_records, update_record
from accord.vocabulary import Channel, Role, UserRole

MARKETING = (UserRole.admin, UserRole.cx_manager)
ATTENDED = AttendanceStatus.attended.value


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- events ------------------------------------------------------------------------------------


def list_events(
    session: Session, actor: Actor, filters: EventFilter, *, offset: int = 0, limit: int = 50
) -> Page[Event]:
    where = filters.bounds(Event.starts_at)
    if filters.kind:
        where.append(Event.kind == filters.kind)
    stmt = select(Event).where(*where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        stmt.order_by(Event.starts_at.desc(), Event.id).offset(offset).limit(limit)
    ).all()
    return Page(items=list(items), total=total, offset=offset, limit=limit)


def get_event(session: Session, actor: Actor, event_id: str) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"event {event_id!r} not found")
    return event


def _check_times(starts: datetime | None, ends: datetime | None) -> None:
    if starts and ends and ends < starts:
        raise InvalidInput(f"ends_at: {ends} is before starts_at {starts}")


def create_event(session: Session, actor: Actor, data: EventCreate) -> Event:
    require_role(actor, *MARKETING)
    _check_times(data.starts_at, data.ends_at)
    if session.get(Event, data.id) is not None:
        raise Conflict(f"event {data.id!r} already exists")
    event = Event(**data.model_dump())
    session.add(event)
    session.flush()
    record_change(session, actor, "create", "events", event.id, after=snapshot(event))
    return event


def update_event(session: Session, actor: Actor, event_id: str, changes: EventFields) -> Event:
    require_role(actor, *MARKETING)
    event = get_event(session, actor, event_id)
    values = changes.model_dump(exclude_unset=True)
    for key in ("kind", "title", "starts_at"):
        if key in values and values[key] is None:
            raise InvalidInput(f"{key}: may not be empty")
    _check_times(values.get("starts_at", event.starts_at), values.get("ends_at", event.ends_at))
    apply_changes(session, actor, event, values)
    return event


@dataclass
class EventCounts:
    invited: int = 0
    attended: int = 0
    feedback: int = 0


def event_counts(session: Session, actor: Actor, event_ids: list[str]) -> dict[str, EventCounts]:
    """Invitations, attendance and feedback per event, over the accounts the actor may see."""
    out: dict[str, EventCounts] = {e: EventCounts() for e in event_ids}
    if not event_ids:
        return out
    rows = session.execute(
        select(
            Attendance.event_id,
            Attendance.status,
            func.count(),
            func.count(Attendance.feedback_id),
        )
        .where(
            Attendance.event_id.in_(event_ids),
            Attendance.account_id.in_(visible_account_ids(actor)),
        )
        .group_by(Attendance.event_id, Attendance.status)
    )
    for event_id, status, n, feedback in rows:
        counts = out[event_id]
        counts.invited += n
        counts.feedback += feedback
        if status == ATTENDED:
            counts.attended += n
    return out


# -- invitations and attendance ----------------------------------------------------------------


def list_attendance(
    session: Session, actor: Actor, filters: AttendanceFilter, *, offset: int = 0, limit: int = 50
) -> Page[Attendance]:
    where = []
    for column, value in (
        (Attendance.event_id, filters.event_id),
        (Attendance.account_id, filters.account_id),
        (Attendance.contact_id, filters.contact_id),
        (Attendance.status, filters.status),
    ):
        if value:
            where.append(column == value)
    order = [Attendance.event_id, Attendance.account_id, Attendance.contact_id]
    return list_records(
        session, actor, Attendance, where=where, order_by=order, offset=offset, limit=limit
    )


def get_attendance(session: Session, actor: Actor, attendance_id: str) -> Attendance:
    return get_record(session, actor, Attendance, attendance_id)


def _contact(session: Session, actor: Actor, contact_id: str) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id!r} not found")
    account_for(session, actor, contact.account_id, write=True)  # NotFound for another's
    return contact


def invite(session: Session, actor: Actor, event_id: str, data: InviteIn) -> list[Attendance]:
    """Invite stakeholders; someone already invited keeps their invitation (its status is
    moved to the one given, if that differs)."""
    event = get_event(session, actor, event_id)
    out = []
    for contact_id in dict.fromkeys(data.contact_ids):
        contact = _contact(session, actor, contact_id)
        existing = session.scalar(
            select(Attendance).where(
                Attendance.event_id == event.id, Attendance.contact_id == contact.id
            )
        )
        if existing is not None:
            out.append(update_record(session, actor, existing, {"status": data.status}))
            continue
        values = {
            "id": f"{event.id}:{contact.id}"[:64],
            "event_id": event.id,
            "account_id": contact.account_id,
            "contact_id": contact.id,
            "status": data.status,
            "invited_at": _now(),
        }
        out.append(create_record(session, actor, Attendance, values))
    return out


def update_attendance(
    session: Session, actor: Actor, attendance_id: str, changes: AttendanceFields
) -> Attendance:
    record = get_attendance(session, actor, attendance_id)
    values = changes.model_dump(exclude_unset=True)
    if "status" in values and values["status"] is None:
        raise InvalidInput("status: may not be empty")
    return update_record(session, actor, record, values)


def add_event_feedback(
    session: Session, actor: Actor, event_id: str, data: EventFeedbackIn
) -> Feedback:
    """Feedback from a stakeholder about an event, on channel ``event``; their invitation is
    marked attended (created if they came uninvited) and linked to it."""
    event = get_event(session, actor, event_id)
    contact = _contact(session, actor, data.contact_id)
    attendance = session.scalar(
        select(Attendance).where(
            Attendance.event_id == event.id, Attendance.contact_id == contact.id
        )
    )
    if attendance is None:
        invite(session, actor, event.id, InviteIn(contact_ids=[contact.id], status=ATTENDED))
        attendance = session.scalar(
            select(Attendance).where(
                Attendance.event_id == event.id, Attendance.contact_id == contact.id
            )
        )
    assert attendance is not None
    fields = data.model_dump(exclude={"id", "contact_id", "occurred_at"})
    feedback = listening.create_feedback(
        session,
        actor,
        FeedbackCreate(
            id=data.id or f"FBE-{attendance.id}"[:64],
            account_id=contact.account_id,
            contact_id=contact.id,
            channel=Channel.event,
            occurred_at=data.occurred_at or event.ends_at or event.starts_at,
            **fields,
        ),
    )
    update_record(session, actor, attendance, {"status": ATTENDED, "feedback_id": feedback.id})
    return feedback


# -- the account page --------------------------------------------------------------------------


@dataclass
class _Tally:
    invited: int = 0
    attended: int = 0
    feedback: int = 0
    people: set[str] = field(default_factory=set)
    last: datetime | None = None
    nps: list[int] = field(default_factory=list)


def engagement_by_role(session: Session, actor: Actor, account_id: str) -> list[RoleEngagement]:
    """Per buying role of the account's village: how many were invited, came, and what they
    said — so the account team sees whether the people who decide are the ones who engage."""
    account = account_for(session, actor, account_id)
    today = _now().date()
    contacts = session.scalars(select(Contact).where(Contact.account_id == account.id)).all()
    role_of = {c.id: c.role for c in contacts}
    active: dict[str, int] = defaultdict(int)
    for c in contacts:
        if c.is_active(today):
            active[c.role] += 1
    rows = session.execute(
        select(
            Attendance.contact_id,
            Attendance.status,
            Event.starts_at,
            Feedback.nps,
            Attendance.feedback_id,
        )
        .join(Event, Event.id == Attendance.event_id)
        .outerjoin(Feedback, Feedback.id == Attendance.feedback_id)
        .where(Attendance.account_id == account.id)
    ).all()
    stats: dict[str, _Tally] = defaultdict(_Tally)
    for contact_id, status, starts_at, nps, feedback_id in rows:
        tally = stats[role_of.get(contact_id, "unknown")]
        tally.invited += 1
        if status == ATTENDED:
            tally.attended += 1
            tally.people.add(contact_id)
            if tally.last is None or starts_at > tally.last:
                tally.last = starts_at
        if feedback_id:
            tally.feedback += 1
            if nps is not None:
                tally.nps.append(nps)
    out = []
    for role in [r.value for r in Role if r.value in active or r.value in stats]:
        tally = stats[role]
        out.append(
            RoleEngagement(
                role=role,
                stakeholders=active.get(role, 0),
                invited=tally.invited,
                attended=tally.attended,
                people_reached=len(tally.people),
                last_attended=tally.last,
                feedback=tally.feedback,
                average_nps=round(sum(tally.nps) / len(tally.nps), 1) if tally.nps else None,
            )
        )
    return out


@dataclass
class Invitee:
    attendance: Attendance
    contact: Contact
    account_name: str


def invitees(session: Session, actor: Actor, event_id: str, *, limit: int = 500) -> list[Invitee]:
    """The event's invitations the actor may see, with the person and their account's name."""
    rows = session.execute(
        select(Attendance, Contact, Account.name)
        .join(Contact, Contact.id == Attendance.contact_id)
        .join(Account, Account.id == Attendance.account_id)
        .where(
            Attendance.event_id == event_id,
            Attendance.account_id.in_(visible_account_ids(actor)),
        )
        .order_by(Account.name, Contact.name)
        .limit(limit)
    ).all()
    return [Invitee(a, c, name) for a, c, name in rows]
