"""Plain builder functions for test data. Each takes a session, adds, flushes, returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth import service as auth
from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry, User
from accord.journey.models import Fulfilment, Opportunity
from accord.listening.models import Feedback
from accord.vocabulary import UserRole

PASSWORD = "correct horse battery"


def make_user(
    session: Session, email: str, role: UserRole = UserRole.viewer, team: str | None = None
) -> User:
    return auth.create_user(session, OPERATOR, email=email, password=PASSWORD, role=role, team=team)


def make_token(session: Session, user: User) -> str:
    return auth.create_api_token(session, OPERATOR, user, "test")


def make_account(
    session: Session, account_id: str, owner_email: str | None = None, **kw: Any
) -> Account:
    values = {"name": f"Company {account_id}", "segment": "mid_market", "region": "North", **kw}
    account = Account(id=account_id, owner_email=owner_email, **values)
    session.add(account)
    session.flush()
    return account


def make_contact(session: Session, contact_id: str, account_id: str, **kw: Any) -> Contact:
    values = {"name": f"Person {contact_id}", "role": "user", "veto": False, **kw}
    contact = Contact(id=contact_id, account_id=account_id, **values)
    session.add(contact)
    session.flush()
    return contact


def make_opportunity(session: Session, opp_id: str, account_id: str, **kw: Any) -> Opportunity:
    values = {
        "kind": "renewal",
        "stage": "purchase",
        "outcome": "open",
        "opened_at": date(2026, 1, 5),
        **kw,
    }
    opp = Opportunity(id=opp_id, account_id=account_id, **values)
    session.add(opp)
    session.flush()
    return opp


def make_fulfilment(session: Session, ful_id: str, account_id: str, **kw: Any) -> Fulfilment:
    values = {
        "promised_at": datetime(2026, 3, 1, 12),
        "delivered_at": datetime(2026, 3, 2, 9),
        "complete": True,
        "reported_on_time": True,
        **kw,
    }
    ful = Fulfilment(id=ful_id, account_id=account_id, **values)
    session.add(ful)
    session.flush()
    return ful


def make_feedback(session: Session, fb_id: str, account_id: str, **kw: Any) -> Feedback:
    values = {"channel": "survey", "occurred_at": datetime(2026, 4, 1, 10), "nps": 8, **kw}
    fb = Feedback(id=fb_id, account_id=account_id, **values)
    session.add(fb)
    session.flush()
    return fb


def audit_count(session: Session) -> int:
    """Audit entries committed so far (what the live server wrote, seen afresh)."""
    session.rollback()
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
