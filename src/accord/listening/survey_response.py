"""Answering a survey through its link: what the public page reads and stores.

``open_invitation`` turns a token into the invitation, its contact's role and the survey's
definition, or a ``Closed`` saying why the link cannot be used (tampered, expired, answered,
survey closed). ``submit`` stores, in the caller's ONE transaction, a Feedback row, the
SurveyResponse and the invitation's ``responded_at`` — or nothing at all.

Exactly once, under concurrency: the invitation is claimed first with
``UPDATE … SET responded_at = now WHERE id = … AND responded_at IS NULL``. The database lets
only one writer win that row (PostgreSQL re-checks the condition after the row lock; SQLite
serialises writers), so a double click or a resubmit claims nothing and stores nothing more.
The unique ``survey_responses.invitation_id`` is the backstop; its violation reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.audit import record_change, snapshot
from accord.listening.invitations import SurveyLinkError, read_survey_token
from accord.listening.models import Feedback, Invitation, Survey, SurveyResponse
from accord.listening.survey_schema import SurveyDefinition, check_answers, definition_from


@dataclass
class Closed:
    """Why a link cannot be answered: ``invalid`` (403), ``missing`` (404), ``expired`` (410),
    ``closed`` (410, survey deactivated) or ``answered`` (200, thank you)."""

    reason: str
    message: str
    definition: SurveyDefinition | None = None


@dataclass
class Opened:
    invitation: Invitation
    role: str | None
    definition: SurveyDefinition


@dataclass
class Submitted:
    """``stored``: this request stored the response; ``False`` when it was already answered."""

    stored: bool
    feedback_id: str | None = None


# Built once: the page's two hot statements (an invitation with its survey and the contact's
# role; the claim that makes a submission exactly-once).
_OPEN = (
    select(Invitation, Survey, Contact.role)
    .join(Survey, Survey.id == Invitation.survey_id)
    .outerjoin(Contact, Contact.id == Invitation.contact_id)
    .where(Invitation.id == bindparam("invitation_id"))
)
_CLAIM = (
    update(Invitation)
    .where(Invitation.id == bindparam("invitation_id"), Invitation.responded_at.is_(None))
    .values(responded_at=bindparam("now"), status="responded")
    .execution_options(synchronize_session=False)
)


def open_invitation(session: Session, token: str, now: datetime) -> Opened | Closed:
    try:
        invitation_id = read_survey_token(token)
    except SurveyLinkError as exc:
        return Closed(exc.reason, exc.message)
    # One query for the invitation, its survey and the contact's role (the page's hot path).
    row = session.execute(_OPEN, {"invitation_id": invitation_id}).first()
    if row is None:
        return Closed("missing", "This survey link is not valid.")
    invitation, survey, role = row
    definition = definition_from(survey.definition)
    if invitation.responded_at is not None:
        return Closed("answered", "You already answered this survey — thank you.", definition)
    if invitation.expires_at <= now or invitation.status == "expired":
        return Closed("expired", "This survey link has expired.", definition)
    if not survey.active:
        return Closed("closed", "This survey is closed.", definition)
    return Opened(invitation, role, definition)


def submit(
    session: Session, opened: Opened, form: dict[str, str], now: datetime
) -> tuple[Submitted | None, dict[str, int | str], dict[str, str]]:
    """Check the form and store it. Returns ``(result, answers, errors)``: with errors the
    result is None and nothing is stored; ``UnknownQuestion`` (an ``InvalidInput``) propagates
    for a field that names no question. Flushes; never commits."""
    definition, invitation = opened.definition, opened.invitation
    answers, errors = check_answers(definition, form)
    if errors:
        return None, answers, errors
    claimed = session.execute(_CLAIM, {"invitation_id": invitation.id, "now": now})
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return Submitted(stored=False), answers, {}
    scores: dict[str, int] = {}
    texts: list[str] = []
    for q in definition.questions:
        if q.id not in answers:
            continue
        value = answers[q.id]
        if q.type == "text":
            texts.append(str(value))
        else:
            scores[q.column] = int(value)
    feedback_id = f"svy-{invitation.id}"
    feedback = Feedback(
        id=feedback_id,
        account_id=invitation.account_id,
        contact_id=invitation.contact_id,
        fulfilment_id=invitation.fulfilment_id,
        channel=definition.channel(),
        occurred_at=now,
        text="\n\n".join(texts) or None,
        **scores,
    )
    session.add(feedback)
    session.add(
        SurveyResponse(
            invitation_id=invitation.id, feedback_id=feedback_id, answers=answers, submitted_at=now
        )
    )
    record_change(
        session,
        f"survey-link:{invitation.id}",
        "create",
        "feedback",
        feedback_id,
        after=snapshot(feedback),
        detail=f"answer to survey {definition.id!r}",
    )
    try:
        session.flush()
    except IntegrityError:
        # Another transaction stored this invitation's response first (the unique
        # survey_responses.invitation_id, or the feedback id): undo this one whole, claim too.
        session.rollback()
        return Submitted(stored=False), answers, {}
    return Submitted(stored=True, feedback_id=feedback_id), answers, {}
