"""The customer portal (no login: a signed, expiring link is the credential) and the staff page
"you said, we did".

``/portal/{token}`` shows ONE account — the one signed into the token — in plain customer
language; links inside carry the same token and every ticket number is checked against its
account. A tampered or other-purpose token answers 403 and an expired one 410, each with a
friendly page. ``/accounts/{id}/you-said-we-did`` is the staff view, read with the viewer's actor
(account managers only their own accounts; another's reads as 404).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.api.deps import SessionDep
from accord.errors import NotFound
from accord.loop import youwesaid
from accord.loop.portal import PortalLinkError, read_portal_token
from accord.web.deps import ViewerDep
from accord.web.errors import missing
from accord.web.templating import render

router = APIRouter(include_in_schema=False)

DEFAULT_PERIOD_DAYS = 90
PERIODS = (30, 90, 180, 365)
# The token is the credential: never send it on to another site, never let robots index it.
PORTAL_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _period(days: str) -> int:
    try:
        value = int(days)
    except ValueError:
        return DEFAULT_PERIOD_DAYS
    return value if value in PERIODS else DEFAULT_PERIOD_DAYS


def _portal_page(request: Request, name: str, context: dict, status_code: int = 200) -> Response:  # type: ignore[type-arg]
    response = render(request, name, context, status_code=status_code)
    response.headers.update(PORTAL_HEADERS)
    return response


def _denied(request: Request, exc: PortalLinkError) -> Response:
    expired = exc.reason == "expired"
    context = {"expired": expired, "message": exc.message}
    return _portal_page(request, "portal/denied.html", context, status_code=410 if expired else 403)


def _missing(request: Request, token: str) -> Response:
    context = {"home": f"/portal/{token}"}
    return _portal_page(request, "portal/missing.html", context, status_code=404)


@router.get("/portal/{token}")
def portal_home(request: Request, session: SessionDep, token: str) -> Response:
    try:
        scope = read_portal_token(token)
    except PortalLinkError as exc:
        return _denied(request, exc)
    try:
        overview = youwesaid.portal_overview(session, scope.account_id, scope.contact_id)
    except LookupError:  # the account, or the contact of a contact-scoped link, is gone
        return _denied(request, PortalLinkError("invalid", "This link is not valid."))
    end = _now()
    start = end - timedelta(days=DEFAULT_PERIOD_DAYS)
    digest = youwesaid.you_said_we_did(
        session, scope.account_id, start, end, for_customer=True, contact_id=scope.contact_id
    )
    context = {"token": token, "home": f"/portal/{token}", "digest": digest, **overview}
    return _portal_page(request, "portal/home.html", context)


@router.get("/portal/{token}/tickets/{number}")
def portal_ticket(request: Request, session: SessionDep, token: str, number: str) -> Response:
    try:
        scope = read_portal_token(token)
    except PortalLinkError as exc:
        return _denied(request, exc)
    ticket = youwesaid.portal_ticket(session, scope.account_id, number[:64], scope.contact_id)
    if ticket is None:
        return _missing(request, token)
    context = {"token": token, "home": f"/portal/{token}", "ticket": ticket}
    return _portal_page(request, "portal/ticket.html", context)


@router.get("/accounts/{account_id}/you-said-we-did")
def you_said_we_did_page(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str, days: str = ""
) -> Response:
    period = _period(days)
    end = _now()
    try:
        digest = youwesaid.you_said_we_did_for(
            session, viewer.actor, account_id, end - timedelta(days=period), end
        )
    except NotFound:
        return missing(request, viewer, "account")
    context = {"digest": digest, "period": period, "periods": PERIODS}
    return render(request, "loop/you_said_we_did.html", context, viewer=viewer)
