"""Quick note: log what a stakeholder said, from the account page, in seconds — one form, the
speaker chosen from the account's village (or unknown), the channel (default: note) and the time
(default: now). The same service as ``POST /api/accounts/{id}/notes``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from accord.api.deps import SessionDep
from accord.errors import AccordError, Forbidden, NotFound
from accord.listening import capture
from accord.web.deps import Viewer, ViewerDep, csrf_ok
from accord.web.errors import missing
from accord.web.templating import render

router = APIRouter(include_in_schema=False)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        names = {"text": "What they said", "contact_id": "Who", "channel": "Channel"}
        return "; ".join(
            f"{names.get(str(e['loc'][0]), e['loc'][0]) if e['loc'] else 'Form'}: {e['msg']}"
            for e in exc.errors()
        )
    return exc.message if isinstance(exc, AccordError) else str(exc)


def _page(
    request: Request,
    session: Any,
    viewer: Viewer,
    account_id: str,
    values: dict[str, str],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    from accord.accounts import service as accounts

    try:
        account = accounts.get_account(session, viewer.actor, account_id)
        people = capture.speakers(session, viewer.actor, account_id, _now().date())
    except NotFound:
        return missing(request, viewer, "account")
    if not viewer.actor.can_write:
        context = {"title": "Read only", "message": "Viewers cannot log notes."}
        return render(request, "errors/error.html", context, viewer=viewer, status_code=403)
    context = {
        "account": account,
        "people": people,
        "channels": capture.NOTE_CHANNELS,
        "values": values,
        "error": error,
        "today": _now().date(),
    }
    return render(request, "capture/note.html", context, viewer=viewer, status_code=status_code)


@router.get("/accounts/{account_id}/notes/new")
def note_form(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str, contact: str = ""
) -> Response:
    values = {
        "contact_id": contact,
        "channel": "note",
        "occurred_at": _now().strftime(LOCAL_FORMAT),
    }
    return _page(request, session, viewer, account_id, values)


@router.post("/accounts/{account_id}/notes")
async def note_submit(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return _page(
            request, session, viewer, account_id, form,
            error="This form expired; log the note again.", status_code=403,
        )  # fmt: skip
    try:
        when = form.get("occurred_at", "").strip()
        note = capture.NoteIn(
            text=form.get("text", ""),
            contact_id=form.get("contact_id", "").strip() or None,
            channel=form.get("channel") or "note",  # type: ignore[arg-type]
            occurred_at=datetime.fromisoformat(when) if when else None,
        )
        capture.log_note(session, viewer.actor, account_id, note, _now())
    except ValueError as exc:  # ValidationError is one; so is a malformed date
        session.rollback()
        message = _problem(exc) if isinstance(exc, ValidationError) else f"When: {exc}"
        return _page(request, session, viewer, account_id, form, error=message, status_code=422)
    except (AccordError, Forbidden) as exc:
        session.rollback()
        if isinstance(exc, NotFound):
            return _page(request, session, viewer, account_id, form)  # renders the 404 page
        return _page(
            request, session, viewer, account_id, form,
            error=_problem(exc), status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/accounts/{account_id}#feedback", status_code=303)
