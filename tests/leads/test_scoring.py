"""Scoring in the database: every scoring is kept, a definition change re-scores leads under
the new version without losing the old scores, and stages follow the score only while
marketing owns the lead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry
from accord.leads import service, stages
from accord.leads.definition import default_yaml
from accord.leads.models import Lead, LeadScore
from accord.leads.schemas import ActivityIn, DefinitionIn, RejectIn
from tests.leads.builders import AS_OF, COLD, HOT, WARM, make_lead


def scores(session: Session, lead_id: str) -> list[tuple[int, int]]:
    rows = session.execute(
        select(LeadScore.definition_version, LeadScore.score)
        .where(LeadScore.lead_id == lead_id)
        .order_by(LeadScore.id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_captured_lead_is_scored_and_staged_by_its_score(session: Session) -> None:
    hot, warm, cold = (
        make_lead(session, i, f) for i, f in (("L-H", HOT), ("L-W", WARM), ("L-C", COLD))
    )
    assert (hot.score, hot.stage, hot.definition_version) == (79, "sql", 1)
    assert hot.handed_off_at is not None  # the SLA clock started
    assert (warm.score, warm.stage) == (40, "mql")
    assert cold.stage == "nurturing" and cold.handed_off_at is None
    view = service.lead_view(session, OPERATOR, "L-H")
    assert sum(p["points"] for p in view.explanation) == view.lead.score == 79


def test_a_definition_change_rescores_leads_under_the_new_version_and_keeps_old_scores(
    session: Session,
) -> None:
    for lead_id, facts in (("L-H", HOT), ("L-W", WARM), ("L-C", COLD)):
        make_lead(session, lead_id, facts)
    stricter = (
        default_yaml()
        .replace("mql: 40", "mql: 45")
        .replace("industry:\n    points: 20", "industry:\n    points: 25")
    )
    row, outcome = service.save_definition(
        session, OPERATOR, DefinitionIn(yaml=stricter, note="industry matters more"), as_of=AS_OF
    )
    assert row.version == 2 and outcome is not None and outcome.scored == 3
    session.expire_all()
    by_id = {x.id: x for x in session.scalars(select(Lead))}
    assert {i: (x.definition_version, x.score) for i, x in by_id.items()} == {
        "L-H": (2, 84), "L-W": (2, 45), "L-C": (2, 0),
    }  # fmt: skip
    assert scores(session, "L-W") == [(1, 40), (2, 45)]  # the old score is kept
    assert scores(session, "L-H") == [(1, 79), (2, 84)]
    # The new explanation adds up under the new version, with the new points.
    view = service.lead_view(session, OPERATOR, "L-W")
    assert sum(p["points"] for p in view.explanation) == 45
    assert view.history[-1].explanation[0]["points"] == 20  # version 1's parts are kept too
    assert (
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "rescore")
        )
        == 1
    )


def test_an_unchanged_definition_is_not_a_new_version(session: Session) -> None:
    import pytest

    from accord.errors import InvalidInput

    with pytest.raises(InvalidInput, match="unchanged"):
        service.save_definition(session, OPERATOR, DefinitionIn(yaml=default_yaml()))
    assert [d.version for d in service.list_definitions(session)] == [1]


def test_a_stricter_definition_moves_marketing_leads_back_but_not_those_with_sales(
    session: Session,
) -> None:
    make_lead(session, "L-H", HOT)  # sql: with sales now
    make_lead(session, "L-W", WARM)  # mql
    harsh = default_yaml().replace("mql: 40", "mql: 90").replace("sql: 65", "sql: 95")
    service.save_definition(session, OPERATOR, DefinitionIn(yaml=harsh), as_of=AS_OF)
    session.expire_all()
    assert session.get(Lead, "L-W").stage == "nurturing"  # type: ignore[union-attr]
    assert session.get(Lead, "L-H").stage == "sql"  # type: ignore[union-attr]


def test_activity_rescores_and_can_qualify_a_lead(session: Session) -> None:
    lead = make_lead(session, "L-W", {**WARM, "captured_at": datetime(2026, 11, 20)})
    assert lead.stage == "mql"
    for _ in range(2):
        lead = service.record_activity(session, OPERATOR, "L-W", ActivityIn(kind="event"))
    assert lead.events_attended == 2 and lead.stage == "sql"
    assert len(scores(session, "L-W")) == 3


def test_a_lead_sales_sent_back_is_not_handed_over_again_without_new_activity(
    session: Session,
) -> None:
    make_lead(session, "L-H", HOT)
    stages.reject(session, OPERATOR, "L-H", RejectIn(reason="timing", recycle=True))
    service.rescore(session, OPERATOR)
    session.expire_all()
    lead = session.get(Lead, "L-H")
    assert lead is not None and lead.stage == "mql" and lead.disqualified_reason == "timing"
    service.record_activity(session, OPERATOR, "L-H", ActivityIn(kind="content"))
    assert session.get(Lead, "L-H").stage == "sql"  # type: ignore[union-attr]
