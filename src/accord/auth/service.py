"""Users and API tokens: create, authenticate, resolve."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, require_role
from accord.auth.audit import record_change, snapshot
from accord.auth.models import ApiToken, User
from accord.auth.passwords import hash_password, needs_rehash, verify_password
from accord.errors import Conflict, InvalidInput, NotFound
from accord.vocabulary import UserRole

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "acc_"


def actor_for(user: User) -> Actor:
    return Actor(email=user.email, role=UserRole(user.role), user_id=user.id, team=user.team)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
    actor: Actor,
    *,
    email: str,
    password: str,
    role: UserRole,
    name: str = "",
    team: str | None = None,
) -> User:
    require_role(actor, UserRole.admin)
    team = _check_team(role, team)
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidInput(f"email: {email!r} is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    if get_user_by_email(session, email) is not None:
        raise Conflict(f"a user with email {email} already exists")
    user = User(
        email=email,
        name=name,
        role=UserRole(role).value,
        team=team,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record_change(session, actor, "create", "user", user.id, after=snapshot(user))
    return user


def _check_team(role: UserRole, team: str | None) -> str | None:
    """A team member needs one of the loop's teams; other roles have none."""
    from accord.loop.tickets import TEAMS  # the loop's teams; imported late (loop imports auth)

    if UserRole(role) != UserRole.team_member:
        if team:
            raise InvalidInput("team: only team members have a team")
        return None
    if team not in TEAMS:
        raise InvalidInput(f"team: a team member needs one of {', '.join(TEAMS)}")
    return team


def set_password(session: Session, actor: Actor, email: str, password: str) -> User:
    require_role(actor, UserRole.admin)
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFound(f"no user with email {email}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    record_change(session, actor, "update", "user", user.id, detail="password set")
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Upgrades old hashes in place."""
    user = get_user_by_email(session, email)
    if user is None or not user.is_active:
        # Spend the same time as a real check so timing does not reveal which emails exist.
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


_DUMMY_HASH = hash_password("not-a-real-password")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, actor: Actor, user: User, name: str) -> str:
    """A new bearer token for ``user``; the plain token is returned once and never stored."""
    if actor.user_id != user.id:
        require_role(actor, UserRole.admin)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(token))
    session.add(row)
    session.flush()
    record_change(
        session, actor, "create", "api_token", row.id, detail=f"token {name!r} for {user.email}"
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked.is_(False)
        )
    )
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_used_at = datetime.now(UTC).replace(tzinfo=None)
    return user
