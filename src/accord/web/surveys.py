"""Survey pages for staff: the list, a form to create or replace a survey by pasting YAML or JSON
(validated on the server, the error shown beside the form), and each survey's questions as a
chosen stakeholder role is asked them. Everyone reads; cx managers and admins change."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from accord.api.deps import SessionDep
from accord.errors import AccordError, InvalidInput, NotFound
from accord.listening import surveys
from accord.listening.models import Invitation, Survey
from accord.listening.survey_schema import ROLES, parse_text
from accord.web.deps import ViewerDep, csrf_ok
from accord.web.errors import missing
from accord.web.nav import STAFF, register_nav
from accord.web.templating import render

router = APIRouter(include_in_schema=False)
register_nav("Surveys", "/surveys", order=35, roles=STAFF)


def _can_edit(viewer: ViewerDep) -> bool:
    return viewer.actor.role in surveys.EDITORS


def _example() -> str:
    shipped = surveys.shipped_definitions()
    return next(iter(shipped.values()), "")


def _counts(session: SessionDep) -> dict[str, dict[str, int]]:
    """Invitations per survey and status (all accounts: figures, not records)."""
    rows = session.execute(
        select(Invitation.survey_id, Invitation.status, func.count()).group_by(
            Invitation.survey_id, Invitation.status
        )
    ).all()
    out: dict[str, dict[str, int]] = {}
    for survey_id, status, n in rows:
        out.setdefault(survey_id, {})[status] = n
    return out


def _list(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    *,
    text: str | None = None,
    error: str = "",
    saved: str = "",
    status: int = 200,
) -> Response:
    context = {
        "surveys": surveys.list_surveys(session, viewer.actor),
        "counts": _counts(session),
        "can_edit": _can_edit(viewer),
        "text": text or "",
        "example": _example(),
        "error": error,
        "saved": saved,
    }
    return render(request, "surveys/list.html", context, viewer=viewer, status_code=status)


@router.get("/surveys")
def survey_list(
    request: Request, session: SessionDep, viewer: ViewerDep, saved: str = ""
) -> Response:
    return _list(request, session, viewer, saved=saved[:200])


def _saved_redirect(survey: Survey, created: bool) -> Response:
    message = f"{'Created' if created else 'Updated'} survey {survey.id}."
    url = f"/surveys/{quote(survey.id)}?" + urlencode({"saved": message})
    return RedirectResponse(url, status_code=303)


@router.post("/surveys")
def survey_save(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    definition: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    if not csrf_ok(request, csrf):
        return _list(
            request, session, viewer, text=definition, error="This form expired.", status=403
        )
    try:
        survey, created = surveys.load_text(session, viewer.actor, definition)
    except AccordError as exc:
        session.rollback()
        return _list(
            request, session, viewer, text=definition, error=exc.message, status=exc.status_code
        )
    return _saved_redirect(survey, created)


def _preview(definition: Any, role: str) -> list[dict[str, Any]]:
    out = []
    for q in definition.questions:
        out.append(
            {
                "id": q.id,
                "type": q.type,
                "driver": q.driver,
                "scale": q.scale,
                "required": q.is_required,
                "text": q.wording(role, definition.supplier),
                "varied": role in q.variants,
                "variant_roles": sorted(q.variants),
            }
        )
    return out


def _detail(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    survey_id: str,
    *,
    role: str = "",
    text: str | None = None,
    error: str = "",
    saved: str = "",
    status: int = 200,
) -> Response:
    try:
        survey = surveys.get_survey(session, viewer.actor, survey_id)
    except NotFound:
        return missing(request, viewer, "survey")
    definition = surveys.definition_of(survey)
    role = role if role in ROLES else ""
    dumped = yaml.safe_dump(
        definition.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    context = {
        "survey": survey,
        "definition": definition,
        "role": role,
        "roles": ROLES,
        "preview": _preview(definition, role),
        "counts": _counts(session).get(survey.id, {}),
        "can_edit": _can_edit(viewer),
        "text": text if text is not None else dumped,
        "error": error,
        "saved": saved,
    }
    return render(request, "surveys/detail.html", context, viewer=viewer, status_code=status)


@router.get("/surveys/{survey_id}")
def survey_detail(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    survey_id: str,
    role: str = "",
    saved: str = "",
) -> Response:
    return _detail(request, session, viewer, survey_id, role=role, saved=saved[:200])


@router.post("/surveys/{survey_id}")
def survey_update(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    survey_id: str,
    definition: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    if not csrf_ok(request, csrf):
        return _detail(request, session, viewer, survey_id, text=definition,
                       error="This form expired.", status=403)  # fmt: skip
    try:
        surveys.require_editor(viewer.actor)
        parsed = parse_text(definition)
        if parsed.id != survey_id:
            raise InvalidInput(
                f"id: the definition says {parsed.id!r}; to make a new survey, use the form on "
                "the survey list"
            )
        survey = surveys.update_survey(session, viewer.actor, survey_id, parsed)
    except AccordError as exc:
        session.rollback()
        return _detail(request, session, viewer, survey_id, text=definition, error=exc.message,
                       status=exc.status_code)  # fmt: skip
    return _saved_redirect(survey, False)


@router.post("/surveys/{survey_id}/active")
def survey_set_active(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    survey_id: str,
    active: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    if not csrf_ok(request, csrf):
        return _detail(request, session, viewer, survey_id, error="This form expired.", status=403)
    try:
        survey = surveys.set_active(session, viewer.actor, survey_id, active == "yes")
    except AccordError as exc:
        session.rollback()
        return _detail(request, session, viewer, survey_id, error=exc.message,
                       status=exc.status_code)  # fmt: skip
    state = "active" if survey.active else "deactivated"
    url = f"/surveys/{quote(survey.id)}?" + urlencode({"saved": f"Survey {survey.id} {state}."})
    return RedirectResponse(url, status_code=303)
