"""Who may log a quick note and plan a survey's invitations, per role, over real HTTP: an account
manager logs notes only on their own accounts (another owner's answers 404), viewers are refused
(403), cx managers and admins log anywhere; only cx managers and admins plan. A refused request
stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.listening.models import Feedback, Invitation, Survey
from tests.personas import World, build_world

PERSONAS = ("alice", "bob", "charlie", "carol", "ada")
NOTE = {"text": "They want a quarterly review.", "channel": "meeting"}
EXPECTED_NOTE = {"alice": 201, "bob": 404, "charlie": 403, "carol": 201, "ada": 201}


@pytest.fixture
def world(session: Session) -> World:
    w = build_world(session)
    session.add(Survey(id="rel", name="Relationship", kind="relationship", definition={}))
    session.commit()
    return w


def count(session: Session, model: type) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_logs_notes_only_where_it_may(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    before = count(session, Feedback)
    r = http.post("/api/accounts/ACC-A/notes", json=NOTE, headers=world.auth(persona))
    assert r.status_code == EXPECTED_NOTE[persona], r.text
    assert count(session, Feedback) == before + (1 if r.status_code == 201 else 0)
    missing = http.post("/api/accounts/NOPE/notes", json=NOTE, headers=world.auth(persona))
    assert missing.status_code == (403 if persona == "charlie" else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_plan_a_survey(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    r = http.post("/api/surveys/rel/plan", params={"dry_run": "true"}, headers=world.auth(persona))
    allowed = persona in ("carol", "ada")
    assert r.status_code == (200 if allowed else 403), r.text
    if allowed:
        plan = r.json()
        # The personas' contacts have no email address: nobody can be invited, and it says so.
        assert plan["picks"] == [] and plan["exclusion_counts"] == {"no_email": 2}
        assert set(plan["coverage"]) == {"plan", "everyone"}
        missing = http.post("/api/surveys/nope/plan", headers=world.auth(persona))
        assert missing.status_code == 404
    assert count(session, Invitation) == 0


def test_a_manager_turns_the_plan_into_planned_invitations(http, world, session) -> None:  # type: ignore[no-untyped-def]
    from accord.accounts.models import Contact

    for contact_id in ("CON-A", "CON-B"):
        contact = session.get(Contact, contact_id)
        contact.email = f"{contact_id.lower()}@example.com"
    survey = session.get(Survey, "rel")
    survey.definition = {
        "id": "rel", "name": "Relationship", "kind": "relationship", "supplier": "Us",
        "questions": [{"id": "nps", "type": "nps", "text": "Would you recommend us?"}],
    }  # fmt: skip
    session.commit()
    r = http.post("/api/surveys/rel/plan", params={"dry_run": "false"}, headers=world.auth("carol"))
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["created"] == 2 and not plan["dry_run"]
    assert plan["picks"][0]["reason"].startswith("veto holder, technical buyer, not heard for")
    assert count(session, Invitation) == 2
