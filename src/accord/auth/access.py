"""The one place that decides who may see and change what.

An *actor* is whoever acts: a logged-in user, an API token's user, or the local operator on the
CLI. Account managers see and change only the accounts they own (``Account.owner_email`` equals
their email); viewers read everything and change nothing; cx managers and admins do both on all
accounts. Every service goes through these helpers, so no template or endpoint repeats the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.errors import Forbidden, NotFound
from accord.vocabulary import UserRole


@dataclass(frozen=True)
class Actor:
    email: str
    role: UserRole
    user_id: int | None = None

    @property
    def owns_only(self) -> bool:
        return self.role == UserRole.account_manager

    @property
    def can_write(self) -> bool:
        return self.role != UserRole.viewer

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.admin


# The local operator on the command line has full rights, like the owner of the database file.
OPERATOR = Actor(email="cli", role=UserRole.admin)


def owned_by(actor: Actor) -> ColumnElement[bool]:
    return func.lower(Account.owner_email) == actor.email.lower()


def visible_accounts(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Account`` rows the actor may see."""
    return owned_by(actor) if actor.owns_only else true()


def visible_account_ids(actor: Actor) -> Select[tuple[str]]:
    return select(Account.id).where(visible_accounts(actor))


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise Forbidden(f"{actor.role.value} users cannot change data")


def require_role(actor: Actor, *roles: UserRole) -> None:
    if actor.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"this needs one of the roles: {allowed}")


def account_for(session: Session, actor: Actor, account_id: str, *, write: bool = False) -> Account:
    """The account if the actor may see it (and change it, with ``write``); otherwise NotFound —
    an account manager is not told that another owner's account exists."""
    if write:
        require_write(actor)
    account = session.scalar(
        select(Account).where(Account.id == account_id, visible_accounts(actor))
    )
    if account is None:
        raise NotFound(f"account {account_id!r} not found")
    return account


def check_owner_change(actor: Actor, owner_email: str | None) -> None:
    """An account manager may not give an account away or claim one for someone else."""
    if actor.owns_only and (owner_email or "").lower() != actor.email.lower():
        raise Forbidden("account managers can only own accounts themselves")
