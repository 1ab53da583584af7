"""The audit log: every change, with who made it and the record before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from accord.auth.access import Actor
from accord.auth.models import AuditEntry
from accord.db import Base
from accord.errors import InvalidInput


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(record: Base) -> dict[str, Any]:
    """The record's column values, JSON-safe, for the before/after of an audit entry."""
    return {
        attr.key: _json_safe(getattr(record, attr.key))
        for attr in inspect(record).mapper.column_attrs
        if attr.key not in ("created_at", "updated_at", "password_hash", "token_hash")
    }


def record_change(
    session: Session,
    actor: Actor | str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.email if isinstance(actor, Actor) else actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        detail=detail,
    )
    session.add(entry)
    return entry


def apply_changes(
    session: Session, actor: Actor, record: Base, changes: dict[str, Any], action: str = "update"
) -> list[str]:
    """Set ``changes`` on the record and audit the columns that really changed (their values
    before and after); returns their names. Emptying a non-nullable column is refused first,
    with a message naming it, so nothing is half-applied."""
    columns = record.__table__.columns  # type: ignore[attr-defined]
    for key, value in changes.items():
        if value is None and key in columns and not columns[key].nullable:
            raise InvalidInput(f"{key}: may not be empty")
    before = snapshot(record)
    for key, value in changes.items():
        setattr(record, key, value)
    session.flush()
    after = snapshot(record)
    changed = sorted(k for k in after if after[k] != before.get(k))
    if changed:
        record_change(
            session, actor, action, record.__tablename__, record.id,  # type: ignore[attr-defined]
            before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed},
        )  # fmt: skip
    return changed
