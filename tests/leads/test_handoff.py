"""The hand-off: an sql lead accepted by sales becomes an Opportunity in the buying cycle (in its
account, or a new prospect account), a rejected one records why, overdue hand-offs are listed
against the SLA, and the nurture queue says what each lead is missing. Leads are linked to
accounts and stakeholders by address, domain or company name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import OPERATOR, Actor
from accord.auth.models import AuditEntry
from accord.errors import Conflict, Forbidden, NotFound
from accord.journey.models import Opportunity
from accord.leads import stages
from accord.leads.models import Lead
from accord.leads.schemas import AcceptIn, RejectIn, StageIn
from accord.leads.service import utcnow
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact
from tests.leads.builders import COLD, HOT, WARM, make_lead

ALICE = Actor("alice@example.com", UserRole.account_manager)
BOB = Actor("bob@example.com", UserRole.account_manager)


@pytest.fixture
def acme(session: Session) -> Account:
    account = make_account(session, "ACME", "alice@example.com", name="Acme Precision GmbH")
    make_contact(session, "ANN", "ACME", name="Ann Berg", email="ann@acme.example", role="user")
    return account


def test_an_sql_lead_accepted_by_sales_becomes_an_opportunity(session: Session, acme) -> None:  # type: ignore[no-untyped-def]
    lead = make_lead(session, "L-1", HOT, email="ann@acme.example")
    assert (lead.account_id, lead.contact_id, lead.owner_email) == (
        "ACME",
        "ANN",
        "alice@example.com",
    )
    done = stages.accept(session, ALICE, "L-1", AcceptIn(amount=42_000))
    opportunity = session.get(Opportunity, done.opportunity_id)
    assert opportunity is not None
    assert (opportunity.account_id, opportunity.kind, opportunity.stage, opportunity.amount) == (
        "ACME", "new", "consideration", 42_000,
    )  # fmt: skip
    assert (done.lead.stage, done.lead.opportunity_id) == ("opportunity", opportunity.id)
    assert done.lead.accepted_at is not None
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "L-1")))
    assert {"create", "score", "accept"} <= actions


def test_accepting_a_prospect_opens_an_account_a_stakeholder_and_an_opportunity(
    session: Session,
) -> None:
    make_lead(session, "L-2", HOT, company="Newco Sensors", email="cto@newco.example",
              name="Nia Okafor", owner_email="alice@example.com")  # fmt: skip
    done = stages.accept(session, ALICE, "L-2", AcceptIn())
    account = session.get(Account, done.account_id)
    assert account is not None and account.name == "Newco Sensors"
    assert account.owner_email == "alice@example.com" and account.industry == "medical devices"
    contact = session.scalar(select(Contact).where(Contact.account_id == account.id))
    assert contact is not None and (contact.name, contact.role) == ("Nia Okafor", "technical_buyer")
    assert session.get(Lead, "L-2").contact_id == contact.id  # type: ignore[union-attr]


def test_only_an_sql_lead_can_be_accepted_or_rejected(session: Session) -> None:
    make_lead(session, "L-W", WARM)
    with pytest.raises(Conflict, match="this one is mql"):
        stages.accept(session, OPERATOR, "L-W", AcceptIn())
    with pytest.raises(Conflict):
        stages.reject(session, OPERATOR, "L-W", RejectIn(reason="no budget"))
    assert session.scalar(select(Opportunity)) is None


def test_a_rejected_lead_keeps_its_reason(session: Session) -> None:
    make_lead(session, "L-1", HOT)
    lead = stages.reject(session, OPERATOR, "L-1", RejectIn(reason="no decision maker"))
    assert (lead.stage, lead.disqualified_reason) == ("disqualified", "no decision maker")
    assert lead.rejected_at is not None and lead.handed_off_at is None


def test_an_account_manager_cannot_take_another_owners_lead(session: Session, acme) -> None:  # type: ignore[no-untyped-def]
    make_lead(session, "L-1", HOT, email="ann@acme.example")
    with pytest.raises(NotFound):
        stages.accept(session, BOB, "L-1", AcceptIn())
    viewer = Actor("v@example.com", UserRole.viewer)
    with pytest.raises(Forbidden):
        stages.reject(session, viewer, "L-1", RejectIn(reason="x"))
    with pytest.raises(Forbidden):  # moving stages by hand is marketing's
        stages.set_stage(session, ALICE, "L-1", StageIn(stage="disqualified", reason="x"))


def test_marketing_disqualifies_with_a_reason_and_recycles(session: Session) -> None:
    make_lead(session, "L-C", COLD)
    from accord.errors import InvalidInput

    with pytest.raises(InvalidInput, match="reason"):
        stages.set_stage(session, OPERATOR, "L-C", StageIn(stage="disqualified"))
    lead = stages.set_stage(
        session, OPERATOR, "L-C", StageIn(stage="disqualified", reason="student")
    )
    assert (lead.stage, lead.disqualified_reason) == ("disqualified", "student")
    lead = stages.set_stage(session, OPERATOR, "L-C", StageIn(stage="nurturing"))
    assert lead.stage == "nurturing" and lead.disqualified_reason is None


def test_overdue_lists_sql_leads_past_the_sla(session: Session) -> None:
    make_lead(session, "L-1", HOT)
    make_lead(session, "L-2", HOT)
    session.get(Lead, "L-1").handed_off_at = utcnow() - timedelta(hours=50)  # type: ignore[union-attr]
    session.flush()
    late = stages.overdue(session, OPERATOR)
    assert [o.lead.id for o in late] == ["L-1"]
    assert 1.5 <= late[0].hours_overdue <= 2.5  # 50 h against the default 48 h


def test_the_nurture_queue_shows_what_each_lead_is_missing(session: Session) -> None:
    make_lead(session, "L-C", COLD)
    make_lead(session, "L-N", {"industry": "chemicals", "employees": 100, "role": "procurement"},
              captured_at=utcnow() - timedelta(days=400))  # fmt: skip
    queue = stages.nurture_queue(session, OPERATOR)
    assert [n.lead.id for n in queue] == ["L-N", "L-C"]  # reachable and closest first
    near = queue[0]
    assert (near.score, near.to_mql) == (34, 6)  # 20 industry + 4 size + 10 role
    assert near.reachable and any(g.rule == "engagement.events_attended" for g in near.gaps)
    far = {g.rule for g in queue[1].gaps}  # a tiny hospitality firm: known poor fit is no gap
    assert "fit.industry" not in far and "fit.size" not in far and "fit.role" in far


@pytest.mark.parametrize(
    ("email", "company", "expected"),
    [
        ("ann@acme.example", "whatever", ("ACME", "ANN")),  # a stakeholder's address
        ("new.person@acme.example", "whatever", ("ACME", None)),  # the account's domain
        ("someone@gmail.com", "ACME precision gmbh.", ("ACME", None)),  # the company name
        ("someone@gmail.com", "Acme Other", (None, None)),  # free mail never matches by domain
    ],
)
def test_leads_are_linked_by_address_domain_or_company(  # type: ignore[no-untyped-def]
    session: Session, acme, email, company, expected
) -> None:
    lead = make_lead(session, "L-1", COLD, email=email, company=company)
    assert (lead.account_id, lead.contact_id) == expected


def test_an_account_manager_links_only_to_their_own_accounts(session: Session, acme) -> None:  # type: ignore[no-untyped-def]
    lead = make_lead(session, "L-1", COLD, email="ann@acme.example", actor=BOB)
    assert lead.account_id is None and lead.owner_email == "bob@example.com"
