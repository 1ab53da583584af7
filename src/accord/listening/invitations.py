"""Survey invitations: planned by the sampling planner, sent by email with a signed link.

A link is ``{base_url}/s/{token}``: the invitation id signed with ``ACCORD_SECRET_KEY`` through
``itsdangerous.URLSafeTimedSerializer`` under its own salt (``survey``), so a token minted for the
portal or another secret never opens a survey. It expires ``ACCORD_SURVEY_LINK_DAYS`` after it is
sent (checked both on the token's own timestamp and on the invitation's ``expires_at``) and is
single use: once a response is stored (``responded_at``), the page only thanks.

Mail goes through the same SMTP settings as notifications (``ACCORD_NOTIFY_SMTP_*``). A message
that cannot be sent marks its invitation ``failed`` with the error, so nothing is silently lost;
``send_invitations`` with failed ones retries them.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.access import Actor, require_role
from accord.auth.audit import record_change
from accord.config import Settings, get_settings
from accord.errors import InvalidInput, NotFound
from accord.journey.models import Fulfilment
from accord.listening.models import Invitation, Survey
from accord.listening.survey_schema import SurveyDefinition, definition_from
from accord.loop.channels.email import open_smtp
from accord.vocabulary import UserRole

SURVEY_SALT = "survey"
SENDABLE = ("planned", "failed")


class SurveyLinkError(Exception):
    """A survey token that cannot be used: ``reason`` is ``invalid`` or ``expired``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _serializer(settings: Settings | None = None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer((settings or get_settings()).secret_key, salt=SURVEY_SALT)


def survey_token(invitation_id: str, settings: Settings | None = None) -> str:
    return str(_serializer(settings).dumps(invitation_id))


def survey_link(invitation_id: str, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return f"{settings.base_url.rstrip('/')}/s/{survey_token(invitation_id, settings)}"


def read_survey_token(token: str, settings: Settings | None = None) -> str:
    """The invitation id a token names; ``SurveyLinkError`` when it is tampered with, signed for
    another purpose, or older than ``ACCORD_SURVEY_LINK_DAYS``."""
    settings = settings or get_settings()
    serializer = _serializer(settings)
    try:
        payload = serializer.loads(token[:400], max_age=settings.survey_link_days * 86400)
    except SignatureExpired as exc:
        raise SurveyLinkError("expired", "This survey link has expired.") from exc
    except BadSignature as exc:
        raise SurveyLinkError("invalid", "This survey link is not valid.") from exc
    if not isinstance(payload, str) or not payload or len(payload) > 36:
        raise SurveyLinkError("invalid", "This survey link is not valid.")
    return payload


def _active_definition(session: Session, survey_id: str) -> tuple[Survey, SurveyDefinition]:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(f"survey {survey_id!r} not found")
    if not survey.active:
        raise InvalidInput(f"survey {survey_id!r} is not active")
    return survey, definition_from(survey.definition)


def create_invitations(
    session: Session,
    actor: Actor,
    survey_id: str,
    picks: list[tuple[str, str | None, str]],
    now: datetime,
) -> list[Invitation]:
    """Plan one invitation per pick ``(contact_id, fulfilment_id or None, reason)``: not sent.

    The survey must exist and be active; every contact must exist, and a fulfilment must belong
    to the contact's account. Any bad pick refuses the whole batch (nothing is stored).
    """
    require_role(actor, UserRole.cx_manager, UserRole.admin)
    _active_definition(session, survey_id)
    days = get_settings().survey_link_days
    contact_ids = {c for c, _, _ in picks}
    contacts = {
        c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))
    }
    fulfilment_ids = {f for _, f, _ in picks if f is not None}
    fulfilments = {
        f.id: f
        for f in session.scalars(select(Fulfilment).where(Fulfilment.id.in_(fulfilment_ids)))
    }
    seen: set[tuple[str, str | None]] = set()
    made: list[Invitation] = []
    for n, (contact_id, fulfilment_id, reason) in enumerate(picks):
        contact = contacts.get(contact_id)
        if contact is None:
            raise InvalidInput(f"picks[{n}].contact_id: contact {contact_id!r} not found")
        if fulfilment_id is not None:
            fulfilment = fulfilments.get(fulfilment_id)
            if fulfilment is None:
                raise InvalidInput(
                    f"picks[{n}].fulfilment_id: fulfilment {fulfilment_id!r} not found"
                )
            if fulfilment.account_id != contact.account_id:
                raise InvalidInput(
                    f"picks[{n}].fulfilment_id: fulfilment {fulfilment_id!r} is not of account "
                    f"{contact.account_id!r} (contact {contact_id!r})"
                )
        if (contact_id, fulfilment_id) in seen:
            raise InvalidInput(f"picks[{n}]: contact {contact_id!r} is picked twice")
        seen.add((contact_id, fulfilment_id))
        made.append(
            Invitation(
                id=str(uuid.uuid4()),
                survey_id=survey_id,
                contact_id=contact_id,
                account_id=contact.account_id,
                fulfilment_id=fulfilment_id,
                reason=reason,
                status="planned",
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    session.add_all(made)
    session.flush()
    if made:
        record_change(
            session,
            actor,
            "create",
            "invitations",
            None,
            detail=f"planned {len(made)} invitation(s) to survey {survey_id!r}",
        )
    return made


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # invitation ids
    failed: dict[str, str] = field(default_factory=dict)  # invitation id -> error
    skipped: dict[str, str] = field(default_factory=dict)  # not planned/failed: id -> status

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.failed)


def invitation_message(
    invitation: Invitation,
    contact: Contact,
    definition: SurveyDefinition,
    link: str,
    expires_at: datetime,
    settings: Settings,
) -> EmailMessage:
    """Plain-text email naming the supplier and the survey, with the personal link."""
    msg = EmailMessage()
    msg["From"] = settings.notify_smtp_from
    msg["To"] = str(contact.email)
    msg["Subject"] = f"{definition.supplier}: {definition.name}"[:250]
    about = (
        "how a recent delivery went"
        if definition.kind == "scenario"
        else f"working with {definition.supplier}"
    )
    greeting = f"Dear {contact.name}," if contact.name else "Hello,"
    n = len(definition.questions)
    msg.set_content(
        f"{greeting}\n\n"
        f"{definition.supplier} would like to hear from you about {about}.\n"
        f'The survey "{definition.name}" has {n} question{"s" if n != 1 else ""} '
        "and takes a few minutes.\n\n"
        f"Answer here (your personal link, valid until {expires_at:%d %B %Y}):\n{link}\n\n"
        "The link works once and needs no login. If you would rather not answer, simply ignore "
        "this message.\n\n"
        f"Thank you,\n{definition.supplier}\n"
    )
    return msg


def send_invitations(
    session: Session,
    invitations: Sequence[Invitation],
    now: datetime,
    settings: Settings | None = None,
) -> SendReport:
    """Email each planned (or failed) invitation its signed link and mark it ``sent``; one
    that cannot be sent is marked ``failed`` with the error. Others are skipped. Never commits;
    an SMTP server that cannot be reached fails every invitation of the batch."""
    settings = settings or get_settings()
    report = SendReport()
    todo = []
    for inv in invitations:
        if inv.status not in SENDABLE:
            report.skipped[inv.id] = inv.status
        else:
            todo.append(inv)
    if not todo:
        return report

    def fail(inv: Invitation, error: str) -> None:
        inv.status = "failed"
        inv.error = error[:2000]
        report.failed[inv.id] = inv.error

    contacts = {
        c.id: c
        for c in session.scalars(
            select(Contact).where(Contact.id.in_({i.contact_id for i in todo}))
        )
    }
    definitions: dict[str, SurveyDefinition] = {}
    for survey_id in {i.survey_id for i in todo}:
        survey = session.get(Survey, survey_id)
        if survey is not None:
            definitions[survey_id] = definition_from(survey.definition)
    if not settings.notify_smtp_host:
        for inv in todo:
            fail(inv, "no SMTP server: set ACCORD_NOTIFY_SMTP_HOST")
        session.flush()
        return report
    try:
        smtp = open_smtp(settings)
    except (OSError, smtplib.SMTPException) as exc:
        for inv in todo:
            fail(inv, f"SMTP {settings.notify_smtp_host}:{settings.notify_smtp_port}: {exc}")
        session.flush()
        return report
    with smtp:
        for inv in todo:
            contact = contacts.get(inv.contact_id)
            definition = definitions.get(inv.survey_id)
            if contact is None or not contact.email:
                fail(inv, f"contact {inv.contact_id!r} has no email address")
                continue
            if definition is None:
                fail(inv, f"survey {inv.survey_id!r} not found")
                continue
            expires_at = now + timedelta(days=settings.survey_link_days)
            link = survey_link(inv.id, settings)
            msg = invitation_message(inv, contact, definition, link, expires_at, settings)
            try:
                smtp.send_message(msg)
            except (OSError, smtplib.SMTPException) as exc:
                fail(inv, f"SMTP: {exc}")
                continue
            inv.status = "sent"
            inv.error = None
            inv.sent_at = now
            inv.expires_at = expires_at
            report.sent.append(inv.id)
    session.flush()
    return report


def planned_invitations(
    session: Session, survey_id: str, *, retry_failed: bool = False
) -> list[Invitation]:
    statuses = SENDABLE if retry_failed else ("planned",)
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.survey_id == survey_id, Invitation.status.in_(statuses))
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def expire_overdue(session: Session, now: datetime, survey_id: str | None = None) -> int:
    """Mark sent invitations past their ``expires_at`` as ``expired``; how many. (The page
    refuses an overdue link either way; this keeps the status honest for reports.)"""
    stmt = (
        update(Invitation)
        .where(Invitation.status == "sent", Invitation.expires_at <= now)
        .values(status="expired")
        .execution_options(synchronize_session=False)
    )
    if survey_id is not None:
        stmt = stmt.where(Invitation.survey_id == survey_id)
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
