"""Surveys: load, list, create, update, deactivate, export and import definitions.

Surveys belong to the listening programme, not to an account: every role reads them, only cx
managers and admins change them. A definition is validated whole (``survey_schema``) before
anything is stored, so a bad one changes nothing. Every change is audited.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, require_role
from accord.auth.audit import apply_changes, record_change, snapshot
from accord.errors import Conflict, InvalidInput, NotFound
from accord.listening.models import Survey
from accord.listening.survey_schema import SurveyDefinition, definition_from, parse_text
from accord.vocabulary import UserRole

EDITORS = (UserRole.cx_manager, UserRole.admin)
EXPORT_FORMAT = "accord.survey.v1"


def require_editor(actor: Actor) -> None:
    require_role(actor, *EDITORS)


def definition_of(survey: Survey) -> SurveyDefinition:
    """The stored definition, validated again (it was valid when stored)."""
    return definition_from(survey.definition)


def list_surveys(
    session: Session, actor: Actor, *, kind: str | None = None, active: bool | None = None
) -> list[Survey]:
    stmt = select(Survey).order_by(Survey.id)
    if kind:
        stmt = stmt.where(Survey.kind == kind)
    if active is not None:
        stmt = stmt.where(Survey.active == active)
    return list(session.scalars(stmt))


def get_survey(session: Session, actor: Actor, survey_id: str) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(f"survey {survey_id!r} not found")
    return survey


def _dump(definition: SurveyDefinition) -> dict[str, Any]:
    return definition.model_dump(mode="json", exclude_none=True)


def create_survey(session: Session, actor: Actor, definition: SurveyDefinition) -> Survey:
    require_editor(actor)
    if session.get(Survey, definition.id) is not None:
        raise Conflict(f"survey {definition.id!r} already exists")
    survey = Survey(
        id=definition.id,
        name=definition.name,
        kind=definition.kind,
        definition=_dump(definition),
        active=True,
    )
    session.add(survey)
    session.flush()
    record_change(session, actor, "create", "surveys", survey.id, after=snapshot(survey))
    return survey


def update_survey(
    session: Session, actor: Actor, survey_id: str, definition: SurveyDefinition
) -> Survey:
    """Replace a survey's definition. Invitations already sent keep their link; their page shows
    the new wording (question ids answered so far stay in the stored responses)."""
    require_editor(actor)
    survey = get_survey(session, actor, survey_id)
    if definition.id != survey_id:
        raise InvalidInput(f"id: the definition says {definition.id!r}, not {survey_id!r}")
    return _apply(session, actor, survey, {"definition": _dump(definition)}, definition)


def set_active(session: Session, actor: Actor, survey_id: str, active: bool) -> Survey:
    require_editor(actor)
    survey = get_survey(session, actor, survey_id)
    return _apply(session, actor, survey, {"active": active}, None)


def _apply(
    session: Session,
    actor: Actor,
    survey: Survey,
    changes: dict[str, Any],
    definition: SurveyDefinition | None,
) -> Survey:
    if definition is not None:
        changes = {**changes, "name": definition.name, "kind": definition.kind}
    apply_changes(session, actor, survey, changes)
    return survey


def save_survey(
    session: Session, actor: Actor, definition: SurveyDefinition
) -> tuple[Survey, bool]:
    """Create the survey or replace its definition (what load and import do); ``created``."""
    if session.get(Survey, definition.id) is None:
        return create_survey(session, actor, definition), True
    return update_survey(session, actor, definition.id, definition), False


def load_text(session: Session, actor: Actor, text: str) -> tuple[Survey, bool]:
    """Validate a YAML or JSON definition and save it."""
    require_editor(actor)
    return save_survey(session, actor, parse_text(text))


def load_file(session: Session, actor: Actor, path: Path) -> tuple[Survey, bool]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    return load_text(session, actor, text)


def export_survey(session: Session, actor: Actor, survey_id: str) -> dict[str, Any]:
    """The survey as portable JSON: the definition and whether it is active."""
    survey = get_survey(session, actor, survey_id)
    return {
        "format": EXPORT_FORMAT,
        "active": survey.active,
        "definition": definition_of(survey).model_dump(mode="json", exclude_none=True),
    }


def import_survey(session: Session, actor: Actor, data: Any) -> tuple[Survey, bool]:
    """Import what ``export_survey`` wrote (or a bare definition); create or replace."""
    require_editor(actor)
    if isinstance(data, dict) and "format" in data:
        if data.get("format") != EXPORT_FORMAT:
            raise InvalidInput(f"format: expected {EXPORT_FORMAT!r}, got {data.get('format')!r}")
        extra = sorted(set(data) - {"format", "active", "definition"})
        if extra:
            raise InvalidInput(f"{extra[0]}: unknown field")
        active = data.get("active", True)
        if not isinstance(active, bool):
            raise InvalidInput("active: must be true or false")
        survey, created = save_survey(session, actor, definition_from(data.get("definition")))
        if survey.active != active:
            set_active(session, actor, survey.id, active)
        return survey, created
    return save_survey(session, actor, definition_from(data))


def shipped_definitions() -> dict[str, str]:
    """The example definitions shipped with Accord: file name → YAML text."""
    folder = files("accord.listening").joinpath("survey_defs")
    return {
        item.name: item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    }
