"""Loop pages: the ticket board (``/tickets``) and one ticket (``/tickets/{number}``) with its
feedback, SLA clocks, history and the forms to act on it. The routing rules editor is
``web/loop_rules.py``. Everything goes through ``accord.loop`` with the viewer's actor, so each
role sees and changes here exactly what the API allows (a team member: their team's tickets)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from accord.api.deps import SessionDep
from accord.api.loop import current_time
from accord.errors import AccordError, InvalidInput, NotFound
from accord.loop import actions, board, tickets
from accord.loop.actions import ROOT_CAUSES
from accord.loop.schemas import LinkIn, MergeIn, ResolveIn, StatusIn, TicketFields
from accord.loop.sla import SLA_BANDS
from accord.loop.tickets import PRIORITIES, STATUSES, TEAMS
from accord.web import loop_rules
from accord.web.deps import Viewer, ViewerDep, csrf_ok
from accord.web.errors import missing
from accord.web.leads import problem
from accord.web.nav import register_nav
from accord.web.templating import render

router = APIRouter(include_in_schema=False)
# The rules editor first: "/tickets/rules" is not the ticket numbered "rules".
router.include_router(loop_rules.router)
register_nav("Tickets", "/tickets", order=25)

BAND_WORDS = {"breached": "Breached", "due_soon": "Due soon", "on_track": "On track"}


def _not_found(request: Request, viewer: Viewer) -> Response:
    return missing(request, viewer, "ticket")


@router.get("/tickets")
def ticket_board(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    team: str = "",
    status: str = "open",
    sla: str = "",
    priority: str = "",
    account: str = "",
) -> Response:
    f = board.BoardFilter(team, status, sla, priority, account).clean()
    data = board.board(session, viewer.actor, f, current_time(request))
    chosen = {"team": f.team, "status": f.status, "sla": f.sla, "priority": f.priority,
              "account": f.account}  # fmt: skip

    def status_url(value: str) -> str:
        params = {**{k: v for k, v in chosen.items() if v}, "status": value}
        return "/tickets?" + urlencode(params)

    context = {
        "board": data,
        "chosen": chosen,
        "filtered": any(v for k, v in chosen.items() if k != "status") or f.status != "open",
        "teams": TEAMS if not viewer.actor.team_only else (viewer.actor.team,),
        "statuses": STATUSES,
        "bands": SLA_BANDS,
        "band_words": BAND_WORDS,
        "priorities": PRIORITIES,
        "status_url": status_url,
        "open_count": sum(data.counts[s] for s in tickets.OPEN_STATUSES),
    }
    return render(request, "loop/board.html", context, viewer=viewer)


def _ticket(
    request: Request,
    session: Session,
    viewer: Viewer,
    number: str,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    try:
        page = board.ticket_page(session, viewer.actor, number[:64], current_time(request))
    except NotFound:
        return _not_found(request, viewer)
    context = {
        "page": page,
        "t": page.ticket,
        "error": error,
        "values": values or {},
        "band_words": BAND_WORDS,
        "event_text": board.event_text,
        "root_causes": ROOT_CAUSES,
        "can_resolve": "resolved" in tickets.TRANSITIONS[page.ticket.status]
        and not page.ticket.merged_into,
        "default_due": date.fromordinal(current_time(request).date().toordinal() + 30),
    }
    return render(request, "loop/ticket.html", context, viewer=viewer, status_code=status)


@router.get("/tickets/{number}")
def ticket_detail(
    request: Request, session: SessionDep, viewer: ViewerDep, number: str
) -> Response:
    return _ticket(request, session, viewer, number)


async def _act(
    request: Request,
    session: Session,
    viewer: Viewer,
    number: str,
    change: Callable[[dict[str, str], tickets.Ticket], Any],
    anchor: str = "",
) -> Response:
    """Run a change from a form of the ticket page; a refusal shows the page with the reason."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return _ticket(request, session, viewer, number, error="This form expired; send it again.",
                       status=403)  # fmt: skip
    try:
        ticket = tickets.get_ticket(session, viewer.actor, number[:64])
    except NotFound:
        return _not_found(request, viewer)
    try:
        change(form, ticket)
    except (AccordError, ValidationError, ValueError) as exc:
        session.rollback()
        code = exc.status_code if isinstance(exc, AccordError) else 422
        return _ticket(request, session, viewer, number, error=problem(exc), values=form,
                       status=code)  # fmt: skip
    return RedirectResponse(f"/tickets/{number.upper()}{anchor}", status_code=303)


@router.post("/tickets/{number}/assign")
async def assign(request: Request, session: SessionDep, viewer: ViewerDep, number: str) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        body = TicketFields(assignee_email=form.get("assignee_email", "").strip() or None)
        tickets.assign(session, viewer.actor, ticket, body.assignee_email, now)

    return await _act(request, session, viewer, number, run)


@router.post("/tickets/{number}/status")
async def move(request: Request, session: SessionDep, viewer: ViewerDep, number: str) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        body = StatusIn(status=form.get("status", ""), note=form.get("note", "").strip())  # type: ignore[arg-type]
        if body.status == "resolved":
            raise InvalidInput("resolve with the form below: root cause and prevention")
        tickets.transition(session, viewer.actor, ticket, body.status, now, body.note)

    return await _act(request, session, viewer, number, run)


@router.post("/tickets/{number}/resolve")
async def resolve(
    request: Request, session: SessionDep, viewer: ViewerDep, number: str
) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        body = ResolveIn(
            root_cause=form.get("root_cause", ""),  # type: ignore[arg-type]
            prevention=form.get("prevention", "").strip(),
            owner_email=form.get("owner_email", "").strip(),
            due_date=form.get("due_date", ""),  # type: ignore[arg-type]
            shared_with_customer=form.get("shared_with_customer") == "yes",
        )
        actions.resolve(session, viewer.actor, ticket, now=now, **body.model_dump())

    return await _act(request, session, viewer, number, run)


@router.post("/tickets/{number}/comment")
async def comment(
    request: Request, session: SessionDep, viewer: ViewerDep, number: str
) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        tickets.comment(session, viewer.actor, ticket, form.get("text", ""), now)

    return await _act(request, session, viewer, number, run, "#history")


@router.post("/tickets/{number}/merge")
async def merge(request: Request, session: SessionDep, viewer: ViewerDep, number: str) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        body = MergeIn(into=form.get("into", "").strip())
        try:
            into = tickets.get_ticket(session, viewer.actor, body.into)
        except NotFound:
            raise InvalidInput(f"no ticket {body.into} you can see to merge into") from None
        tickets.merge(session, viewer.actor, ticket, into, now)

    return await _act(request, session, viewer, number, run)


@router.post("/tickets/{number}/link")
async def link(request: Request, session: SessionDep, viewer: ViewerDep, number: str) -> Response:
    now = current_time(request)

    def run(form: dict[str, str], ticket: tickets.Ticket) -> None:
        body = LinkIn(feedback_id=form.get("feedback_id", "").strip())
        tickets.link_feedback(session, viewer.actor, ticket, body.feedback_id, now)

    return await _act(request, session, viewer, number, run, "#feedback")


# --- "You said, we did" by email: preview, choose contacts, send ----------------------------


def _you_said_email(
    request: Request,
    session: Session,
    viewer: Viewer,
    account_id: str,
    days: int,
    *,
    error: str = "",
    sent: str = "",
    chosen: list[str] | None = None,
    status: int = 200,
) -> Response:
    from accord.loop import mailing

    try:
        draft = mailing.compose_you_said(
            session, viewer.actor, account_id, current_time(request), days
        )
        contacts = mailing.mailable_contacts(session, viewer.actor, account_id)
    except NotFound:
        return missing(request, viewer, "account")
    context = {
        "account_id": account_id,
        "draft": draft,
        "contacts": contacts,
        "days": days,
        "error": error,
        "sent": sent,
        "chosen": chosen or [],
        "can_send": viewer.actor.can_write,
    }
    return render(request, "loop/you_said_email.html", context, viewer=viewer, status_code=status)


def _days(value: str) -> int:
    from accord.web.portal import _period

    return _period(value)


@router.get("/accounts/{account_id}/you-said-we-did/email")
def you_said_email(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    account_id: str,
    days: str = "",
    sent: str = "",
) -> Response:
    return _you_said_email(request, session, viewer, account_id, _days(days), sent=sent[:500])


@router.post("/accounts/{account_id}/you-said-we-did/email")
async def send_you_said(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str
) -> Response:
    from accord.loop import mailing

    form = await request.form()
    days = _days(str(form.get("days", "")))
    chosen = [str(v) for v in form.getlist("to")]
    if not csrf_ok(request, str(form.get("csrf", ""))):
        return _you_said_email(request, session, viewer, account_id, days, chosen=chosen,
                               error="This form expired; send it again.", status=403)  # fmt: skip
    try:
        drafts = mailing.send_you_said(
            session, viewer.actor, account_id, chosen, current_time(request), days
        )
    except NotFound:
        session.rollback()
        return _you_said_email(request, session, viewer, account_id, days, status=404)
    except (AccordError, OSError) as exc:
        session.rollback()
        code = exc.status_code if isinstance(exc, AccordError) else 502
        message = exc.message if isinstance(exc, AccordError) else f"the mail server: {exc}"
        return _you_said_email(request, session, viewer, account_id, days, chosen=chosen,
                               error=message, status=code)  # fmt: skip
    sent = ", ".join(d.to[0] for d in drafts)
    query = urlencode({"days": days, "sent": sent})
    return RedirectResponse(f"/accounts/{account_id}/you-said-we-did/email?{query}", 303)
