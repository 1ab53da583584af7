"""Linking a lead to the account and stakeholder it belongs to.

In order: the address is a known stakeholder's (that contact and their account); else the
address's domain is used by the stakeholders of exactly one account (that account); else the
company name equals one account's name, ignoring case, spaces and punctuation. Free-mail
domains (gmail.com, …) never match an account by domain. An ambiguous match links nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, func, select, true
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact

FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "yandex.ru",
        "qq.com",
        "163.com",
    }
)


def domain_of(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    return domain or None


def company_key(name: str | None) -> str:
    """ "ACME Precision GmbH" and "Acme precision gmbh." read the same."""
    return re.sub(r"[^0-9a-z]+", "", (name or "").casefold())


@dataclass
class Matcher:
    """Lookup tables over the accounts an actor may link to, built in three queries."""

    contacts: dict[str, tuple[str, str]]  # email → (contact_id, account_id)
    domains: dict[str, str]  # domain → the one account using it
    names: dict[str, str]  # company key → the one account with that name

    @classmethod
    def build(
        cls, db: Session | Connection, accounts: ColumnElement[bool] | None = None
    ) -> Matcher:
        where = accounts if accounts is not None else true()
        visible = select(Account.id).where(where)
        rows = db.execute(
            select(Contact.id, Contact.account_id, Contact.email).where(
                Contact.email.is_not(None), Contact.account_id.in_(visible)
            )
        ).all()
        contacts: dict[str, tuple[str, str]] = {}
        by_domain: dict[str, set[str]] = defaultdict(set)
        for contact_id, account_id, email in rows:
            contacts.setdefault(email.strip().lower(), (contact_id, account_id))
            domain = domain_of(email)
            if domain and domain not in FREE_MAIL:
                by_domain[domain].add(account_id)
        by_name: dict[str, set[str]] = defaultdict(set)
        for account_id, name in db.execute(select(Account.id, Account.name).where(where)):
            by_name[company_key(name)].add(account_id)
        return cls(
            contacts=contacts,
            domains={d: next(iter(a)) for d, a in by_domain.items() if len(a) == 1},
            names={k: next(iter(a)) for k, a in by_name.items() if k and len(a) == 1},
        )

    def match(self, email: str | None, company: str | None) -> tuple[str | None, str | None]:
        """(account_id, contact_id) for a lead; either may be None."""
        address = (email or "").strip().lower()
        if address in self.contacts:
            contact_id, account_id = self.contacts[address]
            return account_id, contact_id
        domain = domain_of(address)
        if domain and domain in self.domains:
            return self.domains[domain], None
        return self.names.get(company_key(company)), None


def match_one(
    db: Session | Connection,
    email: str | None,
    company: str | None,
    accounts: ColumnElement[bool] | None = None,
) -> tuple[str | None, str | None]:
    """``Matcher.match`` for a single lead, with a few indexed queries instead of tables."""
    where = accounts if accounts is not None else true()
    visible = select(Account.id).where(where)
    address = (email or "").strip().lower()
    if address:
        hit = db.execute(
            select(Contact.id, Contact.account_id)
            .where(func.lower(Contact.email) == address, Contact.account_id.in_(visible))
            .order_by(Contact.id)
            .limit(1)
        ).first()
        if hit:
            return hit.account_id, hit.id
    domain = domain_of(address)
    if domain and domain not in FREE_MAIL:
        found = db.execute(
            select(Contact.account_id)
            .where(
                func.lower(Contact.email).endswith("@" + domain), Contact.account_id.in_(visible)
            )
            .distinct()
            .limit(2)
        ).all()
        if len(found) == 1:
            return found[0].account_id, None
    key = company_key(company)
    words = (company or "").split()
    if key and words:
        rows = db.execute(
            select(Account.id, Account.name).where(
                where, func.lower(Account.name).contains(words[0].lower(), autoescape=True)
            )
        ).all()
        same = [r.id for r in rows if company_key(r.name) == key]
        if len(same) == 1:
            return same[0], None
    return None, None
