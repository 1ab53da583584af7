"""What every web page depends on: the logged-in user, and the CSRF check for forms.

Pages ride on the session cookie set at login. A page asked for without one raises
``NotAuthenticated``; the app's error handler turns that into a redirect to ``/login?next=…``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accord.api.deps import SessionDep, session_user
from accord.auth.access import Actor
from accord.auth.models import User
from accord.auth.service import actor_for
from accord.errors import NotAuthenticated


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of a page, with the actor the services scope by."""

    user: User
    actor: Actor


def current_viewer(request: Request, session: SessionDep) -> Viewer:
    user = session_user(request, session)
    if user is None:
        raise NotAuthenticated("log in to see this page")
    return Viewer(user=user, actor=actor_for(user))


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def csrf_ok(request: Request, sent: str | None) -> bool:
    """True when a form echoes the session's CSRF token. An empty token never matches, so a
    request without a session cookie cannot pass by sending an empty field."""
    expected = str(request.session.get("csrf") or "")
    if not expected or not sent:
        return False
    return secrets.compare_digest(sent.encode(), expected.encode())


def new_csrf(request: Request) -> str:
    token = secrets.token_urlsafe(32)
    request.session["csrf"] = token
    return token
