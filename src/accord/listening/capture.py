"""Informal capture: the account team logs what a stakeholder said, in seconds.

A quick note is a ``Feedback`` row with id ``note-<uuid>``, filed under the account, with the
speaker (a contact of that account, or unknown), the words, the channel it was heard on and when
(default: now). Only those who may change the account may log one: its account manager, cx
managers and admins; viewers are refused (403), another owner's account reads as missing (404).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts.models import Contact
from accord.auth.access import Actor, account_for
from accord.listening.models import Feedback
from accord.listening.schemas import FeedbackCreate
from accord.listening.service import create_feedback
from accord.schemas import RecordId, Strict, UtcDateTime


class NoteChannel(StrEnum):
    """Where an informal comment is heard (the informal subset of ``vocabulary.Channel``)."""

    note = "note"
    call = "call"
    meeting = "meeting"
    email = "email"
    event = "event"
    social = "social"
    forum = "forum"


NOTE_CHANNELS: tuple[str, ...] = tuple(c.value for c in NoteChannel)

NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class NoteIn(Strict):
    """What was said, by whom (a contact id of the account; empty: unknown), where and when."""

    text: NoteText
    contact_id: RecordId | None = None
    channel: NoteChannel = NoteChannel.note
    occurred_at: UtcDateTime | None = None


def note_id() -> str:
    return f"note-{uuid.uuid4()}"


def log_note(
    session: Session, actor: Actor, account_id: str, note: NoteIn, now: datetime
) -> Feedback:
    """Store a quick note as feedback of the account; refuses (and stores nothing) when the
    actor may not change the account or the speaker is not one of its contacts."""
    account_for(session, actor, account_id, write=True)
    data = FeedbackCreate(
        id=note_id(),
        account_id=account_id,
        contact_id=note.contact_id,
        channel=str(note.channel),  # type: ignore[arg-type]
        occurred_at=note.occurred_at or now,
        text=note.text,
    )
    return create_feedback(session, actor, data)


def speakers(session: Session, actor: Actor, account_id: str, on: date) -> list[Contact]:
    """The account's contacts to choose the speaker from: active ones first, then by name."""
    account_for(session, actor, account_id)
    contacts = session.scalars(
        select(Contact).where(Contact.account_id == account_id).order_by(Contact.name, Contact.id)
    ).all()
    return sorted(contacts, key=lambda c: not c.is_active(on))
