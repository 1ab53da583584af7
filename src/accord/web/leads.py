"""Lead pages: the pipeline board, capturing a lead, one lead with its score explained rule by
rule and the hand-off (accept, reject, recycle, disqualify), sales feedback, the nurture queue
and the overdue hand-offs. Everything goes through ``accord.leads`` with the viewer's actor, so
an account manager sees here exactly the leads the API shows them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from accord.api.deps import SessionDep
from accord.errors import AccordError, NotFound
from accord.leads import feedback as sales
from accord.leads import service, stages
from accord.leads.models import LeadSource, LeadStage, Quality
from accord.leads.schemas import (
    AcceptIn,
    ActivityIn,
    LeadCreate,
    LeadFilter,
    RejectIn,
    SalesFeedbackCreate,
    SalesFeedbackFilter,
    StageIn,
)
from accord.vocabulary import OpportunityKind, Role
from accord.web import lead_definition
from accord.web.deps import ViewerDep, csrf_ok
from accord.web.errors import missing
from accord.web.nav import STAFF, register_nav
from accord.web.templating import render

router = APIRouter(include_in_schema=False)
# The definition and report pages first: "/leads/report" is not the lead with id "report".
router.include_router(lead_definition.router)
register_nav("Leads", "/leads", order=20, roles=STAFF)

STAGES = [s.value for s in LeadStage]
PER_COLUMN = 12


def problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors()
        )
    return exc.message if isinstance(exc, AccordError) else str(exc)


def not_found(request: Request, viewer: Any, what: str = "lead") -> Response:
    return missing(request, viewer, what)


@router.get("/leads")
def board(
    request: Request, session: SessionDep, viewer: ViewerDep, source: str = "", q: str = ""
) -> Response:
    source = source if source in {s.value for s in LeadSource} else ""
    q = q.strip()[:100]
    columns = []
    for stage in STAGES:
        filters = LeadFilter(stage=stage, source=source or None, q=q or None)  # type: ignore[arg-type]
        page = service.list_leads(session, viewer.actor, filters, limit=PER_COLUMN)
        columns.append({"stage": stage, "page": page})
    context = {
        "columns": columns,
        "sources": [s.value for s in LeadSource],
        "chosen": {"source": source, "q": q},
        "overdue": len(stages.overdue(session, viewer.actor)),
        "definition": service.current_definition(session),
        "query": urlencode({k: v for k, v in {"source": source, "q": q}.items() if v}),
    }
    return render(request, "leads/board.html", context, viewer=viewer)


@router.get("/leads/new")
def new_lead_form(request: Request, viewer: ViewerDep) -> Response:
    return _new_form(request, viewer, {})


def _new_form(request: Request, viewer: Any, values: dict[str, str], error: str = "",
              status: int = 200) -> Response:  # fmt: skip
    context = {
        "values": values,
        "error": error,
        "sources": [s.value for s in LeadSource],
        "roles": [r.value for r in Role],
    }
    return render(request, "leads/new.html", context, viewer=viewer, status_code=status)


@router.post("/leads/new")
async def capture(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return _new_form(request, viewer, form, "This form expired; send it again.", 403)
    data = {k: v.strip() for k, v in form.items() if v.strip()}
    try:
        for key in ("employees", "events_attended", "content_read"):
            if key in data:
                data[key] = int(data[key])  # type: ignore[assignment]
        lead = service.capture_lead(session, viewer.actor, LeadCreate(**data))  # type: ignore[arg-type]
    except (AccordError, ValidationError, ValueError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, AccordError) else 422
        return _new_form(request, viewer, form, problem(exc), status)
    return RedirectResponse(f"/leads/{lead.id}", status_code=303)


@router.get("/leads/nurture")
def nurture(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    queue = stages.nurture_queue(session, viewer.actor, limit=100)
    current = service.definition(session)
    context = {"queue": queue, "mql": current.mql, "version": current.version}
    return render(request, "leads/nurture.html", context, viewer=viewer)


@router.get("/leads/overdue")
def overdue(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    from accord.config import get_settings

    context = {
        "items": stages.overdue(session, viewer.actor),
        "sla": get_settings().lead_handoff_sla_hours,
    }
    return render(request, "leads/overdue.html", context, viewer=viewer)


def _lead_page(
    request: Request,
    session: Any,
    viewer: Any,
    lead_id: str,
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    try:
        view = service.lead_view(session, viewer.actor, lead_id)
    except NotFound:
        return not_found(request, viewer)
    notes = sales.list_sales_feedback(
        session, viewer.actor, SalesFeedbackFilter(lead_id=lead_id), limit=50
    )
    context = {
        "view": view,
        "lead": view.lead,
        "total": sum(p["points"] for p in view.explanation),
        "thresholds": service.thresholds(service.current_definition(session)),
        "notes": notes,
        "error": error,
        "roles": [r.value for r in Role],
        "qualities": [q.value for q in Quality],
        "kinds": [k.value for k in OpportunityKind],
        "marketing": viewer.actor.role in service.MARKETING,
        "split": sales.split_tags,
    }
    return render(request, "leads/detail.html", context, viewer=viewer, status_code=status)


@router.get("/leads/{lead_id}")
def lead_page(request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str) -> Response:
    return _lead_page(request, session, viewer, lead_id)


async def _act(request: Request, session: Any, viewer: Any, lead_id: str, action: Any) -> Response:
    """Run a change from a lead page's form; on a refusal, show the page with the reason."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not csrf_ok(request, form.pop("csrf", "")):
        return _lead_page(request, session, viewer, lead_id, error="This form expired.", status=403)
    try:
        action(form)
    except NotFound:
        session.rollback()
        return not_found(request, viewer)
    except (AccordError, ValidationError, ValueError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, AccordError) else 422
        return _lead_page(request, session, viewer, lead_id, error=problem(exc), status=status)
    return RedirectResponse(f"/leads/{lead_id}", status_code=303)


def _optional(form: dict[str, str], key: str) -> str | None:
    return form.get(key, "").strip() or None


@router.post("/leads/{lead_id}/accept")
async def accept(
    request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        amount = _optional(form, "amount")
        data = AcceptIn(
            kind=form.get("kind") or OpportunityKind.new,  # type: ignore[arg-type]
            amount=float(amount) if amount else None,
            account_id=_optional(form, "account_id"),
        )
        stages.accept(session, viewer.actor, lead_id, data)

    return await _act(request, session, viewer, lead_id, run)


@router.post("/leads/{lead_id}/reject")
async def reject(
    request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        data = RejectIn(reason=form.get("reason", ""), recycle=form.get("recycle") == "yes")
        stages.reject(session, viewer.actor, lead_id, data)

    return await _act(request, session, viewer, lead_id, run)


@router.post("/leads/{lead_id}/stage")
async def move(request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str) -> Response:
    def run(form: dict[str, str]) -> None:
        data = StageIn(stage=form.get("stage", ""), reason=_optional(form, "reason"))  # type: ignore[arg-type]
        stages.set_stage(session, viewer.actor, lead_id, data)

    return await _act(request, session, viewer, lead_id, run)


@router.post("/leads/{lead_id}/activity")
async def activity(
    request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str
) -> Response:
    def run(form: dict[str, str]) -> None:
        data = ActivityIn(kind=form.get("kind", ""))  # type: ignore[arg-type]
        service.record_activity(session, viewer.actor, lead_id, data)

    return await _act(request, session, viewer, lead_id, run)


def _tags(value: str | None) -> list[str]:
    return [t.strip() for t in (value or "").replace(",", ";").split(";") if t.strip()]


@router.post("/leads/{lead_id}/feedback")
async def feedback(
    request: Request, session: SessionDep, viewer: ViewerDep, lead_id: str
) -> Response:
    async def roles() -> list[str]:
        return [str(v) for v in (await request.form()).getlist("decision_roles")]

    chosen = await roles()

    def run(form: dict[str, str]) -> None:
        data = SalesFeedbackCreate(
            lead_id=lead_id,
            quality=_optional(form, "quality"),  # type: ignore[arg-type]
            pain_points=_tags(form.get("pain_points")),
            micro_trends=_tags(form.get("micro_trends")),
            decision_roles=chosen,  # type: ignore[arg-type]
            text=_optional(form, "text"),
        )
        sales.add_sales_feedback(session, viewer.actor, data)

    return await _act(request, session, viewer, lead_id, run)
