"""Request dependencies: a database session per request and the acting user.

An API call authenticates with ``Authorization: Bearer <token>``; the web UI's own calls ride on
the session cookie and then must echo the session's CSRF token in ``X-CSRF-Token`` for any
change, so another site cannot make a logged-in browser change data.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from accord.auth.access import Actor
from accord.auth.models import User
from accord.auth.service import actor_for, user_for_token
from accord.errors import Forbidden, NotAuthenticated

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a client told "200" can rely on it.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def session_user(request: Request, session: Session) -> User | None:
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        request.session.clear()
        return None
    return user


def get_actor(request: Request, session: SessionDep) -> Actor:
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("use 'Authorization: Bearer <token>'")
        user = user_for_token(session, token.strip())
        if user is None:
            raise NotAuthenticated("invalid or revoked API token")
        return actor_for(user)
    user = session_user(request, session)
    if user is None:
        raise NotAuthenticated("log in or send an API token")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token", "")
        expected = str(request.session.get("csrf", ""))
        if not expected or not secrets.compare_digest(sent, expected):
            raise Forbidden("missing or wrong X-CSRF-Token header")
    return actor_for(user)


ActorDep = Annotated[Actor, Depends(get_actor)]
