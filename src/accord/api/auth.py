"""Who am I, API tokens, and user administration."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel
from sqlalchemy import select

from accord.api.deps import ActorDep, SessionDep
from accord.auth import service as auth
from accord.auth.access import require_role
from accord.auth.models import User
from accord.errors import NotFound
from accord.schemas import ERROR_RESPONSES, Email, Name, Read, Strict
from accord.vocabulary import UserRole

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


class UserRead(Read):
    id: int
    email: str
    name: str
    role: str
    team: str | None = None
    is_active: bool


class UserCreate(Strict):
    email: Email
    password: str
    role: UserRole
    name: str = ""
    team: str | None = None  # required for team_member: support, logistics, quality, rnd, …


class TokenCreate(Strict):
    name: Name


class TokenOut(BaseModel):
    token: str
    name: str


def _current_user(session: SessionDep, actor: ActorDep) -> User:
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound("user not found")
    return user


@router.get("/me", response_model=UserRead)
def me(session: SessionDep, actor: ActorDep) -> User:
    return _current_user(session, actor)


@router.post("/tokens", response_model=TokenOut, status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, session: SessionDep, actor: ActorDep) -> TokenOut:
    """A bearer token for the current user; shown once, stored only as a hash."""
    token = auth.create_api_token(session, actor, _current_user(session, actor), body.name)
    return TokenOut(token=token, name=body.name)


@router.get("/users", response_model=list[UserRead])
def list_users(session: SessionDep, actor: ActorDep) -> list[User]:
    require_role(actor, UserRole.admin)
    return list(session.scalars(select(User).order_by(User.email)))


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, actor: ActorDep) -> User:
    return auth.create_user(
        session, actor, email=body.email, password=body.password, role=body.role, name=body.name,
        team=body.team,
    )  # fmt: skip
