"""The public survey page ``/s/{token}``: no login, the signed link is the only credential.

Plain server-rendered HTML that works without JavaScript: GET shows the questions worded for the
contact's role; POST checks and stores the answers (``accord.listening.survey_response``) and
shows the thank-you page. No CSRF token: the unguessable token in the URL is the capability, and
a forged POST could only answer the survey it already holds. Friendly pages, never a traceback:
tampered 403, unknown invitation 404, expired or closed 410, already answered 200 with thanks,
an unknown question 400 naming it, an answer off its scale 422 with the form again (answers kept,
the message beside its question).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.api.deps import SessionDep
from accord.listening.survey_response import Closed, Opened, open_invitation, submit
from accord.listening.survey_schema import SurveyDefinition, UnknownQuestion
from accord.web.templating import SECURITY_HEADERS, templates

router = APIRouter(include_in_schema=False)

# The token is the credential: never send it on to another site, never let robots index it.
PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
CLOSED_STATUS = {"invalid": 403, "missing": 404, "expired": 410, "closed": 410, "answered": 200}
MAX_FORM_BYTES = 64 * 1024
_PAGES: dict[tuple[str, int, tuple[tuple[str, Any], ...]], bytes] = {}
# Rendered blank forms by (role, definition): the form posts to its own URL (no action), so it
# holds nothing of the invitation and one rendering serves every contact of that role.
_BLANK_FORMS: dict[tuple[str, str], bytes] = {}


def _now(request: Request) -> datetime:
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else datetime.now(UTC).replace(tzinfo=None)


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a page. Pages whose context is only short strings (thanks, expired, …) are the
    same for many requests, so their rendering is kept (bounded) and served again."""
    key = None
    if all(isinstance(v, str) for v in context.values()):
        key = (name, status_code, tuple(sorted(context.items())))
        body = _PAGES.get(key)
        if body is not None:
            return Response(body, status_code, PAGE_HEADERS, "text/html; charset=utf-8")
    response = templates.TemplateResponse(
        request, f"survey_page/{name}", {"viewer": None, **context}, status_code=status_code
    )
    response.headers.update(PAGE_HEADERS)
    if key is not None:
        if len(_PAGES) >= 256:
            _PAGES.clear()
        _PAGES[key] = bytes(response.body)
    return response


def _supplier(definition: SurveyDefinition | None) -> str:
    return definition.supplier if definition else ""


def _closed(request: Request, closed: Closed) -> Response:
    context = {
        "reason": closed.reason,
        "message": closed.message,
        "supplier": _supplier(closed.definition),
        "thank_you": closed.definition.thank_you if closed.definition else "",
    }
    name = "thanks.html" if closed.reason == "answered" else "closed.html"
    return _page(request, name, context, status_code=CLOSED_STATUS[closed.reason])


def _questions(opened: Opened) -> list[dict[str, Any]]:
    d = opened.definition
    out = []
    for q in d.questions:
        low, high = q.labels()
        out.append(
            {
                "id": q.id,
                "type": q.type,
                "text": q.wording(opened.role, d.supplier),
                "required": q.is_required,
                "scale": list(range(q.scale[0], q.scale[1] + 1)) if q.scale else None,
                "low_label": low,
                "high_label": high,
            }
        )
    return out


def _form(
    request: Request,
    token: str,
    opened: Opened,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    d = opened.definition
    key = None
    if not values and not errors:  # the blank form is the same for every contact of a role
        key = (opened.role or "", d.model_dump_json())
        body = _BLANK_FORMS.get(key)
        if body is not None:
            return Response(body, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)
    context = {
        "token": token,
        "survey": d,
        "supplier": d.supplier,
        "intro": d.intro.replace("{supplier}", d.supplier),
        "questions": _questions(opened),
        "values": {k: str(v) for k, v in (values or {}).items()},
        "errors": errors or {},
    }
    response = _page(request, "form.html", context, status_code=status_code)
    if key is not None:
        if len(_BLANK_FORMS) >= 256:
            _BLANK_FORMS.clear()
        _BLANK_FORMS[key] = bytes(response.body)
    return response


@router.get("/s/{token}")
def survey_form(request: Request, session: SessionDep, token: str) -> Response:
    opened = open_invitation(session, token, _now(request))
    if isinstance(opened, Closed):
        return _closed(request, opened)
    return _form(request, token, opened)


@router.post("/s/{token}")
async def survey_submit(request: Request, token: str) -> Response:
    # Read the body here (async, at most MAX_FORM_BYTES), then do the database work in a worker
    # thread. The form is a plain urlencoded form; anything else is refused, never guessed at.
    def refused(message: str, status_code: int) -> Response:
        return _page(request, "closed.html", {"reason": "invalid", "message": message}, status_code)

    if request.headers.get("content-type", "").split(";")[0].strip().lower() != (
        "application/x-www-form-urlencoded"
    ):
        return refused("Please send your answers with the survey form.", 415)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return refused("Too much text sent.", 413)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return refused("This form could not be read.", 400)
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return await run_in_threadpool(_submit_sync, request, token, form)


# SQLite lets one writer at a time and makes the others poll (busy_timeout, sleeping in steps
# of up to 100 ms). Queueing this process's submissions on a lock wakes the next one as soon as
# the previous commits: the same exactly-once guarantee, far shorter tails under a burst
# (benchmarks/submit_bench.py). PostgreSQL needs no such help.
_SQLITE_WRITER = threading.Lock()


def _writer(session: Session) -> AbstractContextManager[object]:
    return _SQLITE_WRITER if session.get_bind().dialect.name == "sqlite" else nullcontext()


def _submit_sync(request: Request, token: str, form: dict[str, str]) -> Response:
    now = _now(request)
    session = request.app.state.sessions()
    try:
        opened = open_invitation(session, token, now)
        if isinstance(opened, Closed):
            return _closed(request, opened)  # a resubmit of an answered survey: thanks again
        try:
            with _writer(session):
                result, _answers, errors = submit(session, opened, form, now)
                if errors:
                    session.rollback()
                else:
                    session.commit()
        except UnknownQuestion as exc:
            session.rollback()
            context = {
                "reason": "unknown_question",
                "message": f"This form sent an answer to a question the survey does not have: "
                f"{exc.question_id[:60]!r}. Nothing was stored; please reload the survey.",
                "supplier": opened.definition.supplier,
                "retry": f"/s/{token}",
            }
            return _page(request, "closed.html", context, status_code=400)
        if errors:
            return _form(request, token, opened, form, errors, status_code=422)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    assert result is not None
    context = {
        "reason": "stored" if result.stored else "answered",
        "supplier": opened.definition.supplier,
        "thank_you": opened.definition.thank_you,
        "message": "Thank you — your answers are saved."
        if result.stored
        else "You already answered this survey — thank you.",
    }
    return _page(request, "thanks.html", context)
