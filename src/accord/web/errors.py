"""A friendly HTML 404 for unknown web paths. The API keeps FastAPI's JSON answer: this handler
hands every ``/api`` path, and every status other than 404, back to FastAPI's own handler."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.responses import Response

from accord.web.templating import render

# Paths that belong to the API or its documentation answer in JSON, as a client expects.
NON_HTML_PREFIXES = ("/api", "/docs", "/redoc", "/openapi.json", "/static", "/healthz")


async def not_found_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code != 404 or request.url.path.startswith(NON_HTML_PREFIXES):
        return await http_exception_handler(request, exc)
    context = {"what": "page", "back_url": "/", "back_label": "Go to Accord"}
    return render(request, "errors/404.html", context, status_code=404)


# Where a "not found" page sends the reader back to, by what was missing.
BACK_TO = {
    "account": ("/accounts", "Back to accounts"),
    "feedback item": ("/accounts", "Back to accounts"),
    "ticket": ("/tickets", "Back to tickets"),
    "survey": ("/surveys", "Back to surveys"),
    "lead": ("/leads", "Back to leads"),
    "event": ("/events", "Back to events"),
}


def missing(request: Request, viewer: Any, what: str) -> Response:
    """The 404 page for a record the viewer cannot see (another owner's reads as missing too:
    its existence is not disclosed)."""
    back_url, back_label = BACK_TO[what]
    context = {"what": what, "back_url": back_url, "back_label": back_label}
    return render(request, "errors/404.html", context, viewer=viewer, status_code=404)


def add_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, not_found_page)
