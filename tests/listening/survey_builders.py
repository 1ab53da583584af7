"""Builders for the survey tests: the shipped definitions loaded, a small village to invite,
invitations ready to answer, and a local SMTP server that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.config import Settings, get_settings
from accord.listening import surveys
from accord.listening.invitations import create_invitations, survey_token
from accord.listening.models import Invitation
from accord.listening.survey_schema import parse_text
from tests.factories import make_account, make_contact, make_fulfilment

RELATIONSHIP = "relationship-2026"
SCENARIO = "scenario-delivery"
# Every answer of the relationship survey, as a form posts it.
FULL_ANSWERS = {
    "nps": "9", "product": "4", "price": "3", "fulfilment": "2", "ease": "4", "presence": "5",
    "trust": "5", "comment": "Deliveries were late twice in March.",
}  # fmt: skip


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def load_shipped(session: Session) -> None:
    for text in surveys.shipped_definitions().values():
        surveys.save_survey(session, OPERATOR, parse_text(text))
    session.flush()


def make_village(session: Session) -> None:
    """ACC-1 (owned by alice) with a procurement manager and a user; ACC-2 (bob) with a user."""
    make_account(session, "ACC-1", "alice@example.com", name="Nordwerk GmbH")
    make_contact(session, "CON-P", "ACC-1", role="procurement", email="petra@nordwerk.example",
                 name="Petra Procurement")  # fmt: skip
    make_contact(session, "CON-U", "ACC-1", role="user", email="uwe@nordwerk.example",
                 name="Uwe User")  # fmt: skip
    make_fulfilment(session, "FUL-1", "ACC-1")
    make_account(session, "ACC-2", "bob@example.com", name="Southline Ltd")
    make_contact(session, "CON-B", "ACC-2", role="user", email="bea@southline.example")
    session.flush()


def invite(
    session: Session, contact_id: str = "CON-P", survey_id: str = RELATIONSHIP,
    fulfilment_id: str | None = None, at: datetime | None = None,
) -> Invitation:  # fmt: skip
    [inv] = create_invitations(
        session, OPERATOR, survey_id, [(contact_id, fulfilment_id, "test pick")], at or now()
    )
    inv.status = "sent"
    inv.sent_at = inv.created_at
    session.flush()
    return inv


def world(session: Session) -> dict[str, Any]:
    """The shipped surveys, the village and one sent invitation per contact, committed."""
    load_shipped(session)
    make_village(session)
    out = {
        "P": invite(session, "CON-P"),
        "U": invite(session, "CON-U"),
        "S": invite(session, "CON-U", SCENARIO, "FUL-1"),
    }
    session.commit()
    return out


def token(inv: Invitation) -> str:
    return survey_token(inv.id)


def smtp_settings(port: int, **kw: Any) -> Settings:
    """The running settings (same secret key as the live server) pointed at a local SMTP."""
    return get_settings().model_copy(
        update={"notify_smtp_host": "127.0.0.1", "notify_smtp_port": port, **kw}
    )


class Inbox:
    """An SMTP handler that keeps every message and refuses the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
