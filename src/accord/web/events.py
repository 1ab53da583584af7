"""Event pages: the calendar of webcasts, seminars, user groups, trade shows and newsletters,
and one event with who of each account was invited and came (scoped: an account manager sees
their own accounts' people only), with forms to invite, record attendance and feedback."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from accord.api.deps import SessionDep
from accord.engagement import service
from accord.engagement.models import AttendanceStatus, EventKind
from accord.engagement.schemas import (
    AttendanceFields,
    EventCreate,
    EventFeedbackIn,
    EventFilter,
    InviteIn,
)
from accord.errors import AccordError, NotFound
from accord.web.accounts import offset_param
from accord.web.deps import ViewerDep, csrf_ok
from accord.web.leads import not_found, problem
from accord.web.nav import STAFF, register_nav
from accord.web.templating import render

router = APIRouter(include_in_schema=False)
register_nav("Events", "/events", order=40, roles=STAFF)
PAGE = 25


@router.get("/events")
def event_list(
    request: Request, session: SessionDep, viewer: ViewerDep, offset: str = ""
) -> Response:
    start = offset_param(offset)
    page = service.list_events(session, viewer.actor, EventFilter(), offset=start, limit=PAGE)
    context = {
        "page": page,
        "counts": service.event_counts(session, viewer.actor, [e.id for e in page.items]),
        "kinds": [k.value for k in EventKind],
        "marketing": viewer.actor.role in service.MARKETING,
        "prev_url": f"/events?offset={max(0, start - PAGE)}" if start else None,
        "next_url": f"/events?offset={start + PAGE}" if start + PAGE < page.total else None,
        "first": start + 1 if page.items else 0,
        "last": start + len(page.items),
        "error": "",
    }
    return render(request, "events/list.html", context, viewer=viewer)


@router.post("/events")
async def create_event(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return RedirectResponse("/events", status_code=303)
    try:
        data = EventCreate(**{k: v for k, v in form.items() if v})  # type: ignore[arg-type]
        event = service.create_event(session, viewer.actor, data)
    except (AccordError, ValidationError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, AccordError) else 422
        page = service.list_events(session, viewer.actor, EventFilter(), limit=PAGE)
        context = {
            "page": page,
            "counts": service.event_counts(session, viewer.actor, [e.id for e in page.items]),
            "kinds": [k.value for k in EventKind],
            "marketing": viewer.actor.role in service.MARKETING,
            "prev_url": None,
            "next_url": None,
            "first": 1 if page.items else 0,
            "last": len(page.items),
            "error": problem(exc),
        }
        return render(request, "events/list.html", context, viewer=viewer, status_code=status)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


def _event_page(request: Request, session: Any, viewer: Any, event_id: str, *, error: str = "",
                status: int = 200) -> Response:  # fmt: skip
    try:
        event = service.get_event(session, viewer.actor, event_id)
    except NotFound:
        return not_found(request, viewer, "event")
    context = {
        "event": event,
        "invited": service.invitees(session, viewer.actor, event.id),
        "statuses": [s.value for s in AttendanceStatus],
        "counts": service.event_counts(session, viewer.actor, [event.id])[event.id],
        "error": error,
    }
    return render(request, "events/detail.html", context, viewer=viewer, status_code=status)


@router.get("/events/{event_id}")
def event_page(request: Request, session: SessionDep, viewer: ViewerDep, event_id: str) -> Response:
    return _event_page(request, session, viewer, event_id)


async def _act(request: Request, session: Any, viewer: Any, event_id: str, action: Any) -> Response:
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return _event_page(
            request, session, viewer, event_id, error="This form expired.", status=403
        )
    try:
        action(form)
    except (AccordError, ValidationError, ValueError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, AccordError) else 422
        return _event_page(request, session, viewer, event_id, error=problem(exc), status=status)
    return RedirectResponse(f"/events/{event_id}#invited", status_code=303)


@router.post("/events/{event_id}/invite")
async def invite(
    request: Request, session: SessionDep, viewer: ViewerDep, event_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        ids = [c.strip() for c in form.get("contact_ids", "").replace(";", ",").split(",")]
        service.invite(session, viewer.actor, event_id, InviteIn(contact_ids=[c for c in ids if c]))

    return await _act(request, session, viewer, event_id, run)


@router.post("/events/{event_id}/attendance/{attendance_id}")
async def set_status(
    request: Request, session: SessionDep, viewer: ViewerDep, event_id: str, attendance_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        fields = AttendanceFields(status=form.get("status") or None)  # type: ignore[arg-type]
        service.update_attendance(session, viewer.actor, attendance_id, fields)

    return await _act(request, session, viewer, event_id, run)


@router.post("/events/{event_id}/feedback")
async def feedback(
    request: Request, session: SessionDep, viewer: ViewerDep, event_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        nps = form.get("nps")
        data = EventFeedbackIn(
            contact_id=form.get("contact_id", ""),
            nps=int(nps) if nps else None,
            text=form.get("text") or None,
        )
        service.add_event_feedback(session, viewer.actor, event_id, data)

    return await _act(request, session, viewer, event_id, run)
