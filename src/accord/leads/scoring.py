"""Scoring in bulk: the definition's versions in the database, and scoring many leads at once.

Written in SQLAlchemy Core so the same code runs inside a request's ``Session`` and inside the
importer's ``Connection`` (the import of a leads file scores what it brought in, in the file's
own transaction). Every scoring appends a row to ``lead_scores`` — old scores are never
overwritten — and sets the lead's current ``score`` and ``definition_version``.

Stages move with the score only while marketing owns the lead (raw, nurturing, mql): below the
mql threshold it is nurturing, then mql, then sql — handed to sales, which starts the SLA clock.
A lead already with sales, converted or disqualified keeps its stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from accord.leads.definition import Definition, Facts, default_yaml, parse
from accord.leads.models import AUTO_STAGES, Lead, LeadDefinition, LeadScore, LeadStage

Db = Session | Connection
CHUNK = 2000  # leads per round trip

FACT_COLUMNS = (
    Lead.id,
    Lead.industry,
    Lead.employees,
    Lead.region,
    Lead.role,
    Lead.events_attended,
    Lead.content_read,
    Lead.last_activity_at,
    Lead.captured_at,
    Lead.stage,
    Lead.rejected_at,
)


def next_stage(
    stage: str,
    qualifies: str | None,
    rejected_at: datetime | None = None,
    last_activity_at: datetime | None = None,
) -> str:
    """The stage a score puts a lead in; people's stages (sql onwards) are left alone. A lead
    sales sent back to nurturing is not handed over again until it shows new activity."""
    if stage not in AUTO_STAGES:
        return stage
    if (
        qualifies == LeadStage.sql.value
        and rejected_at is not None
        and (last_activity_at is None or last_activity_at <= rejected_at)
    ):
        return LeadStage.mql.value
    return qualifies or LeadStage.nurturing.value


def definition_row(db: Db, version: int | None = None) -> Any:
    """The given version's row, or the latest; the default definition becomes version 1 the
    first time one is needed."""
    table = LeadDefinition.__table__
    stmt = select(table)
    stmt = (
        stmt.where(table.c.version == version)
        if version is not None
        else stmt.order_by(table.c.version.desc()).limit(1)
    )
    row = db.execute(stmt).first()
    if row is None and version is None:
        db.execute(
            insert(table).values(
                version=1,
                yaml=default_yaml(),
                note="Accord's default definition",
                created_by="system",
            )
        )
        row = db.execute(stmt).first()
    return row


def load_definition(db: Db, version: int | None = None) -> Definition:
    row = definition_row(db, version)
    if row is None:
        raise LookupError(f"lead definition version {version} does not exist")
    return parse(row.yaml, row.version)


@dataclass
class Outcome:
    scored: int = 0
    stage_changes: int = 0


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def score_leads(
    db: Db,
    definition: Definition,
    *,
    where: ColumnElement[bool] | None = None,
    ids: Sequence[str] | None = None,
    as_of: date,
    now: datetime,
) -> Outcome:
    """Score the leads matching ``where`` (or with these ``ids``) under ``definition``."""
    outcome = Outcome()
    if ids is not None:
        for chunk in _chunks(list(ids)):
            more = score_leads(db, definition, where=Lead.id.in_(chunk), as_of=as_of, now=now)
            outcome.scored += more.scored
            outcome.stage_changes += more.stage_changes
        return outcome
    stmt = select(*FACT_COLUMNS).order_by(Lead.id)
    if where is not None:
        stmt = stmt.where(where)
    rows = db.execute(stmt).all()
    table = Lead.__table__
    same = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            score=bindparam("b_score"),
            definition_version=bindparam("b_version"),
            scored_at=bindparam("b_now"),
        )
    )
    moved = same.values(
        stage=bindparam("b_stage"),
        stage_changed_at=bindparam("b_now"),
        handed_off_at=bindparam("b_handed"),
    )
    for chunk in _chunks(rows):
        history: list[dict[str, Any]] = []
        stay: list[dict[str, Any]] = []
        move: list[dict[str, Any]] = []
        for row in chunk:
            scored = definition.score(Facts.of(row._mapping), as_of)
            params = {
                "b_id": row.id,
                "b_score": scored.score,
                "b_version": definition.version,
                "b_now": now,
            }
            stage = next_stage(row.stage, scored.qualifies, row.rejected_at, row.last_activity_at)
            if stage != row.stage:
                handed = now if stage == LeadStage.sql.value else None
                move.append({**params, "b_stage": stage, "b_handed": handed})
            else:
                stay.append(params)
            history.append(
                {
                    "lead_id": row.id,
                    "definition_version": definition.version,
                    "score": scored.score,
                    "qualifies": scored.qualifies,
                    "explanation": scored.explanation,
                    "as_of": as_of,
                    "scored_at": now,
                }
            )
        if stay:
            db.execute(same, stay)
        if move:
            db.execute(moved, move)
        if history:
            db.execute(insert(LeadScore.__table__), history)
        outcome.scored += len(chunk)
        outcome.stage_changes += len(move)
    return outcome


def latest_version(db: Db) -> int:
    return int(db.execute(select(func.max(LeadDefinition.version))).scalar() or 0)
