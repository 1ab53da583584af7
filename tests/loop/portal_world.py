"""A two-account world for the portal and "you said, we did" tests (times relative to now, as
the pages read the last 90 days up to the wall clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop.actions import resolve
from accord.loop.models import Ticket
from accord.loop.tickets import assign, open_ticket, transition
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact, make_feedback, make_fulfilment, make_user

ALICE = "alice@example.com"  # account manager of Acme
BOB = "bob@example.com"  # account manager of Cobalt


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def build(session: Session) -> dict[str, str]:
    """Acme (Alice) with one resolved (shared action) and one open ticket, an alert ticket, two
    deliveries and feedback; Cobalt (Bob) with a ticket of its own."""
    t0 = now() - timedelta(days=20)
    make_user(session, ALICE, UserRole.account_manager)
    make_user(session, BOB, UserRole.account_manager)
    make_account(session, "acme", ALICE, name="Acme Precision")
    make_account(session, "cobalt", BOB, name="Cobalt Mining")
    make_contact(session, "ingrid", "acme", name="Ingrid Holm", role="technical_buyer")
    make_contact(session, "paul", "acme", name="Paul Weber", role="procurement")
    make_feedback(session, "fb-1", "acme", contact_id="ingrid", occurred_at=t0, nps=3,
                  fulfilment=1, text="Deliveries keep arriving late.")  # fmt: skip
    make_feedback(session, "fb-2", "acme", contact_id="paul", occurred_at=t0 + timedelta(1),
                  nps=9, text="Happy with the new price list.")  # fmt: skip
    make_feedback(session, "fb-c", "cobalt", occurred_at=t0, nps=2, text="Cobalt secret grief")
    late = t0 - timedelta(days=5)
    make_fulfilment(session, "fu-late", "acme", promised_at=late, delivered_at=late + timedelta(3))
    make_fulfilment(session, "fu-c", "cobalt", promised_at=late, delivered_at=late)

    def ticket(account: str, title: str, team: str, at: datetime, **kw: object) -> Ticket:
        return open_ticket(session, OPERATOR, account_id=account, title=title, team=team,
                           priority=str(kw.pop("priority", "normal")), now=at, **kw)  # type: ignore[arg-type]  # fmt: skip

    done = ticket("acme", "Late deliveries", "logistics", t0, priority="high",
                  feedback_ids=("fb-1",))  # fmt: skip
    assign(session, OPERATOR, done, "dispatcher@internal.example", t0 + timedelta(hours=1))
    transition(session, OPERATOR, done, "in_progress", t0 + timedelta(hours=2), note="internal")
    resolve(session, OPERATOR, done, root_cause="logistics",
            prevention="A second carrier on the lane", owner_email="ops@internal.example",
            due_date=date.today() + timedelta(30), now=t0 + timedelta(days=2),
            shared_with_customer=True)  # fmt: skip
    waiting = ticket("acme", "Certificate missing", "quality", t0 + timedelta(days=3))
    alert = ticket("acme", "Veto holder unhappy (alert)", "sales", t0, priority="urgent",
                   source="alert:veto_negative")  # fmt: skip
    other = ticket("cobalt", "Cobalt conveyor broke", "support", t0)
    session.commit()  # the live server reads through its own connection
    return {"done": done.id, "open": waiting.id, "alert": alert.id, "other": other.id}
