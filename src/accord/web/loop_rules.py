"""The routing rules editor (``/tickets/rules``): the ordered list, add, edit, delete and
reorder (admins and cx managers; everyone else reads), and the dry run — which rule fires for a
feedback item and why, condition by condition. All through ``accord.loop.routing``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from accord.api.deps import SessionDep
from accord.errors import AccordError, InvalidInput, NotFound
from accord.listening import service as listening
from accord.listening.schemas import FeedbackFilter
from accord.loop import routing
from accord.loop.models import RoutingRule
from accord.loop.schemas import RuleIn
from accord.loop.tickets import PRIORITIES, TEAMS
from accord.vocabulary import DRIVERS, Channel, Role, UserRole
from accord.web.deps import Viewer, ViewerDep, csrf_ok
from accord.web.leads import problem
from accord.web.templating import render

router = APIRouter(include_in_schema=False)

EDITORS = (UserRole.admin, UserRole.cx_manager)
LISTS = ("channels", "drivers", "roles")
NUMBERS = ("sentiment_below", "sentiment_at_least", "min_annual_value")


def rule_values(rule: RoutingRule) -> dict[str, Any]:
    """A rule as the editor's form shows it."""
    c = rule.conditions or {}
    veto = c.get("veto")
    return {
        "name": rule.name,
        "position": str(rule.position),
        "enabled": rule.enabled,
        "team": rule.team,
        "priority": rule.priority,
        **{k: list(c.get(k) or []) for k in LISTS},
        "segments": ", ".join(c.get("segments") or []),
        **{k: "" if c.get(k) is None else f"{c[k]:g}" for k in NUMBERS},
        "veto": "" if veto is None else ("yes" if veto else "no"),
    }


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(v).strip() for k, v in form.items() if k not in LISTS}
    for key in LISTS:
        values[key] = [str(v) for v in form.getlist(key)]
    values["enabled"] = values.get("enabled") == "yes"
    return values


def conditions_of(values: dict[str, Any]) -> dict[str, Any]:
    """The rule's conditions from the form: empty fields are no condition."""
    out: dict[str, Any] = {k: values[k] for k in LISTS if values.get(k)}
    segments = [s.strip() for s in str(values.get("segments", "")).split(",") if s.strip()]
    if segments:
        out["segments"] = segments
    for key in NUMBERS:
        raw = str(values.get(key, "")).strip()
        if raw:
            try:
                out[key] = float(raw)
            except ValueError:
                raise InvalidInput(f"{key}: {raw!r} is not a number") from None
    if values.get("veto") in ("yes", "no"):
        out["veto"] = values["veto"] == "yes"
    return out


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    feedback: str = "",
    edit: str = "",
    error: str = "",
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    rules = routing.rules(session)
    editing = next((r for r in rules if str(r.id) == edit), None)
    run, run_error = None, ""
    if feedback:
        try:
            run = routing.dry_run(session, viewer.actor, feedback[:64])
        except NotFound:
            run_error = f"No feedback {feedback!r} you can see."
    recent = listening.list_feedback(session, viewer.actor, FeedbackFilter(), limit=20).items
    next_position = (max((r.position for r in rules), default=0) // 10 + 1) * 10
    context = {
        "rules": rules,
        "can_edit": viewer.actor.role in EDITORS,
        "editing": editing,
        "values": values
        or (rule_values(editing) if editing else {"position": str(next_position), "enabled": True}),
        "error": error,
        "feedback": feedback,
        "run": run,
        "run_error": run_error,
        "recent": recent,
        "teams": TEAMS,
        "priorities": PRIORITIES,
        "channels": [c.value for c in Channel],
        "drivers": DRIVERS,
        "roles": [r.value for r in Role],
    }
    return render(request, "loop/rules.html", context, viewer=viewer, status_code=status)


@router.get("/tickets/rules")
def rules_page(
    request: Request, session: SessionDep, viewer: ViewerDep, feedback: str = "", edit: str = ""
) -> Response:
    return _page(request, session, viewer, feedback=feedback.strip(), edit=edit)


async def _change(
    request: Request, session: Session, viewer: Viewer, run: Any, *, edit: str = ""
) -> Response:
    form = await request.form()
    values = _form_values(form)
    if not csrf_ok(request, values.pop("csrf", "")):
        return _page(request, session, viewer, error="This form expired; send it again.",
                     status=403)  # fmt: skip
    try:
        run(values)
    except (AccordError, ValidationError, ValueError) as exc:
        session.rollback()
        code = exc.status_code if isinstance(exc, AccordError) else 422
        return _page(request, session, viewer, edit=edit, error=problem(exc), values=values,
                     status=code)  # fmt: skip
    return RedirectResponse("/tickets/rules", status_code=303)


def _rule_data(values: dict[str, Any]) -> dict[str, Any]:
    body = RuleIn(
        position=int(values.get("position") or 0),
        name=values.get("name", ""),
        enabled=values.get("enabled", False),
        conditions=conditions_of(values),
        team=values.get("team", ""),  # type: ignore[arg-type]
        priority=values.get("priority", ""),  # type: ignore[arg-type]
    )
    return body.model_dump()


@router.post("/tickets/rules")
async def create_rule(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    def run(values: dict[str, Any]) -> None:
        routing.create_rule(session, viewer.actor, _rule_data(values))

    return await _change(request, session, viewer, run)


@router.post("/tickets/rules/{rule_id}")
async def update_rule(
    request: Request, session: SessionDep, viewer: ViewerDep, rule_id: int
) -> Response:
    def run(values: dict[str, Any]) -> None:
        routing.update_rule(session, viewer.actor, rule_id, _rule_data(values))

    return await _change(request, session, viewer, run, edit=str(rule_id))


@router.post("/tickets/rules/{rule_id}/delete")
async def delete_rule(
    request: Request, session: SessionDep, viewer: ViewerDep, rule_id: int
) -> Response:
    def run(values: dict[str, Any]) -> None:
        routing.delete_rule(session, viewer.actor, rule_id)

    return await _change(request, session, viewer, run)


@router.post("/tickets/rules/{rule_id}/move")
async def move_rule(
    request: Request, session: SessionDep, viewer: ViewerDep, rule_id: int
) -> Response:
    def run(values: dict[str, Any]) -> None:
        routing.move_rule(session, viewer.actor, rule_id, -1 if values.get("to") == "up" else 1)

    return await _change(request, session, viewer, run)
