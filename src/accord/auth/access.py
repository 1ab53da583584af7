"""The one place that decides who may see and change what.

An *actor* is whoever acts: a logged-in user, an API token's user, or the local operator on the
CLI. Account managers see and change only the accounts they own (``Account.owner_email`` equals
their email); viewers read everything and change nothing; cx managers and admins do both on all
accounts. A team member (support, logistics, …) sees and acts only on the tickets routed to
their team (``ticket_visibility``) and sees no account as such: only what those tickets show.
Every service goes through these helpers, so no template or endpoint repeats the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.errors import Forbidden, NotFound
from accord.vocabulary import UserRole


@dataclass(frozen=True)
class Actor:
    email: str
    role: UserRole
    user_id: int | None = None
    team: str | None = None  # a team member's team

    @property
    def owns_only(self) -> bool:
        # A team member owns no account: everything scoped by ownership shows them nothing.
        return self.role in (UserRole.account_manager, UserRole.team_member)

    @property
    def team_only(self) -> bool:
        return self.role == UserRole.team_member

    @property
    def can_write(self) -> bool:
        # Team members change tickets of their team only (``require_ticket_write``), no other data.
        return self.role not in (UserRole.viewer, UserRole.team_member)

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.admin


# The local operator on the command line has full rights, like the owner of the database file.
OPERATOR = Actor(email="cli", role=UserRole.admin)


def owned_by(actor: Actor) -> ColumnElement[bool]:
    return func.lower(Account.owner_email) == actor.email.lower()


def visible_accounts(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Account`` rows the actor may see."""
    if actor.team_only:
        return false()
    return owned_by(actor) if actor.owns_only else true()


def visible_account_ids(actor: Actor) -> Select[tuple[str]]:
    return select(Account.id).where(visible_accounts(actor))


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise Forbidden(f"{actor.role.value} users cannot change data")


def ticket_visibility(
    actor: Actor, team: ColumnElement[str], account_id: ColumnElement[str]
) -> ColumnElement[bool]:
    """A filter on tickets (given their team and account columns) the actor may see: a team
    member their team's, everyone else the tickets of the accounts they may see."""
    if actor.team_only:
        return team == actor.team if actor.team else false()
    return account_id.in_(visible_account_ids(actor))


def require_ticket_write(session: Session, actor: Actor, account_id: str, team: str) -> None:
    """May the actor change a ticket of this account and team? Team members: their team's;
    others: tickets of accounts they may change (``account_for``)."""
    if actor.team_only:
        if not actor.team or team != actor.team:
            raise NotFound("ticket not found")
        return
    account_for(session, actor, account_id, write=True)


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
