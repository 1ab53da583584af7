"""Jinja2 templates, the filters pages share, and ``render`` — which adds what every page needs
(the user, the CSRF token, the navigation) and the security headers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from accord import __version__
from accord.api.deps import csrf_token
from accord.vocabulary import Stage
from accord.web.deps import Viewer
from accord.web.nav import nav_for

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

# Every asset is local, so the policy can forbid all others; no inline script or style either.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# Human labels for the words of the domain model; anything else is humanised from snake_case.
LABELS = {
    "economic_buyer": "Economic buyer",
    "technical_buyer": "Technical buyer",
    "procurement": "Procurement",
    "gatekeeper": "Gatekeeper",
    "champion": "Champion",
    "blocker": "Blocker",
    "executive": "Executive",
    "user": "User",
    "rebuy": "Straight re-buy",
    "modified_rebuy": "Modified re-buy",
    "cx_manager": "CX manager",
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
}


# Words kept in capitals when a snake_case value is humanised ("mro_supplies" → "MRO supplies").
ACRONYMS = {"b2b", "crm", "erp", "hr", "hse", "hvac", "it", "mro", "oem", "qa", "r&d", "saas"}


def label(value: object) -> str:
    """The human label of a vocabulary word or a free-text code; other text is left alone."""
    if value is None or value == "":
        return "—"
    text = str(value)
    if text in LABELS:
        return LABELS[text]
    if "_" in text or text.islower():
        words = [w.upper() if w in ACRONYMS else w for w in text.replace("_", " ").split(" ")]
        text = " ".join(words)
        return text[:1].upper() + text[1:]
    return text


def money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}"


def when(value: datetime | None) -> str:
    """A time of day only where one was recorded: midnight reads as a plain date."""
    if value is None:
        return "—"
    if (value.hour, value.minute) == (0, 0):
        return day(value)
    return f"{day(value)}, {value:%H:%M}"


def nps_class(score: int | None) -> str:
    if score is None:
        return ""
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


STAGE_NUMBER = {stage.value: n for n, stage in enumerate(Stage, start=1)}


def days_until(value: date | None) -> int | None:
    return None if value is None else (value - date.today()).days


def lateness(promised: datetime | None, delivered: datetime | None) -> str:
    """'3 days late', '5 h late' — how far past the promise a delivery came."""
    if promised is None or delivered is None or delivered <= promised:
        return ""
    hours = (delivered - promised).total_seconds() / 3600
    if hours < 24:
        return f"{max(1, round(hours))} h late"
    days = round(hours / 24)
    return f"{days} day{'s' if days != 1 else ''} late"


templates.env.filters.update(
    label=label, money=money, day=day, when=when, nps_class=nps_class, days_until=days_until
)
templates.env.globals.update(
    lateness=lateness, version=__version__, stage_number=STAGE_NUMBER, stage_count=len(Stage)
)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    viewer: Viewer | None = None,
    status_code: int = 200,
) -> Response:
    """Render a page with the shared context: ``viewer`` (None on public pages), ``csrf_token``
    for forms, ``nav`` for the viewer's role and ``path`` to mark the current item."""
    ctx: dict[str, Any] = {
        "viewer": viewer,
        "csrf_token": csrf_token(request),
        "nav": nav_for(viewer.actor.role) if viewer else [],
        "path": request.url.path,
        "today": date.today(),
        "now": datetime.now(UTC).replace(tzinfo=None),  # stored times are naive UTC
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    # Pages show customer data: never keep them in shared caches or the back-forward cache.
    response.headers["Cache-Control"] = "no-store"
    return response
