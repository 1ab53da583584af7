"""Shared mechanics of the domain services: scoped listing with pagination, scoped get, and
audited create/update. Each domain's ``service.py`` adds its own rules on top.

Every record here either is an ``Account`` or hangs off one through ``account_id``; visibility
is always decided by ``accord.auth.access``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import Actor, account_for, visible_account_ids, visible_accounts
from accord.auth.audit import apply_changes, record_change, snapshot
from accord.db import Base
from accord.errors import Conflict, NotFound

T = TypeVar("T", bound=Base)


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


def scoped(model: type[T], actor: Actor) -> Select[tuple[T]]:
    """``SELECT model`` restricted to what the actor may see."""
    if model is Account:
        return select(model).where(visible_accounts(actor))
    return select(model).where(model.account_id.in_(visible_account_ids(actor)))  # type: ignore[attr-defined]


def list_records(
    session: Session,
    actor: Actor,
    model: type[T],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[Any] = (),
    offset: int = 0,
    limit: int = 50,
) -> Page[T]:
    stmt = scoped(model, actor).where(*where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(stmt.order_by(*order_by).offset(offset).limit(limit)).all()
    return Page(items=list(items), total=total, offset=offset, limit=limit)


def get_record(session: Session, actor: Actor, model: type[T], record_id: str) -> T:
    record = session.scalar(scoped(model, actor).where(model.id == record_id))  # type: ignore[attr-defined]
    if record is None:
        raise NotFound(f"{model.__tablename__.rstrip('s')} {record_id!r} not found")
    return record


def create_record(session: Session, actor: Actor, model: type[T], data: dict[str, Any]) -> T:
    """Insert a record of an account the actor may change; the caller checked the fields."""
    if model is not Account:
        account_for(session, actor, data["account_id"], write=True)
    if session.get(model, data["id"]) is not None:
        raise Conflict(f"{model.__tablename__.rstrip('s')} {data['id']!r} already exists")
    record = model(**data)
    session.add(record)
    session.flush()
    record_change(session, actor, "create", model.__tablename__, data["id"], after=snapshot(record))
    return record


def update_record(session: Session, actor: Actor, record: T, changes: dict[str, Any]) -> T:
    """Apply changes to a record already fetched through ``get_record``; audit what changed."""
    account_id = record.id if isinstance(record, Account) else record.account_id  # type: ignore[attr-defined]
    account_for(session, actor, account_id, write=True)
    if "account_id" in changes and changes["account_id"] != account_id:
        account_for(session, actor, changes["account_id"], write=True)
    apply_changes(session, actor, record, changes)  # type: ignore[arg-type]
    return record
