"""Log in and out of the web UI.

The login form carries a CSRF token kept in the (pre-login) session, so another site cannot log
a browser into an account of its choosing. A successful login starts a fresh session — new
contents, new CSRF token — so nothing set before login survives it (session fixation).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from accord.api.deps import SessionDep, session_user
from accord.auth.audit import record_change
from accord.auth.models import User
from accord.auth.service import actor_for, authenticate
from accord.vocabulary import UserRole
from accord.web.deps import csrf_ok, new_csrf
from accord.web.templating import render

router = APIRouter(include_in_schema=False)

HOME = "/"  # `home` sends each role to its start page


def safe_next(target: str | None) -> str:
    """Where to go after login: a local path only. ``//host`` and ``/\\host`` are read by
    browsers as other sites, and control characters could split the Location header."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
        or target.startswith(("/login", "/logout"))
    ):
        return HOME
    return target


def _login_page(
    request: Request, *, email: str = "", next_url: str = "", error: str = "", status: int = 200
) -> Response:
    context = {"email": email, "next": safe_next(next_url), "error": error}
    return render(request, "login.html", context, status_code=status)


@router.get("/")
def home(request: Request, session: SessionDep) -> RedirectResponse:
    """Staff start on their accounts; a team member, who sees only tickets, on the board."""
    return RedirectResponse(start_page(session_user(request, session)), status_code=303)


def start_page(user: User | None) -> str:
    return "/tickets" if user is not None and user.role == UserRole.team_member else "/accounts"


@router.get("/login")
def login_form(request: Request, session: SessionDep, next: str = "") -> Response:
    if (user := session_user(request, session)) is not None:
        target = safe_next(next)
        return RedirectResponse(start_page(user) if target == HOME else target, status_code=303)
    return _login_page(request, next_url=next)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    email = email.strip()[:254]
    if not csrf_ok(request, csrf):
        new_csrf(request)
        return _login_page(
            request,
            email=email,
            next_url=next,
            error="This form expired. Please log in again.",
            status=403,
        )
    user = authenticate(session, email, password) if email and password else None
    if user is None:
        return _login_page(
            request, email=email, next_url=next, error="Wrong email or password.", status=400
        )
    request.session.clear()
    request.session["user_id"] = user.id
    new_csrf(request)
    record_change(session, actor_for(user), "login", "user", user.id, detail="web login")
    target = safe_next(next)
    return RedirectResponse(start_page(user) if target == HOME else target, status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    if "user_id" in request.session and not csrf_ok(request, csrf):
        # A cross-site form cannot log a user out; the user's own button always carries it.
        return render(
            request,
            "errors/error.html",
            {
                "title": "Could not log out",
                "message": "This form expired. Reload the page and try again.",
            },
            status_code=403,
        )
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
