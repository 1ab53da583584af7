"""Who may use the text endpoints, per role, over real HTTP: everyone logged in reads the tags
of feedback they can see and classifies texts; an account manager corrects only feedback of
their own accounts (another owner's answers 404); a viewer never corrects (403). A refused
correction stores nothing and writes no audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.models import AuditEntry
from accord.listening.models import Feedback
from accord.text.classifier import TextModel
from accord.text.models import TextCorrection
from tests.personas import World, build_world

PERSONAS = ("alice", "bob", "charlie", "carol", "ada")
FIX = {"drivers": ["trust"], "sentiment": "positive"}


@pytest.fixture
def world(session: Session, text_model: TextModel) -> World:
    w = build_world(session)
    for fid in ("FB-A", "FB-B"):
        session.get(Feedback, fid).text = "Our account manager is honest and always reachable."  # type: ignore[union-attr]
    session.commit()
    return w


def stored(session: Session) -> tuple[int, int]:
    session.rollback()
    return (
        session.scalar(select(func.count()).select_from(TextCorrection)) or 0,
        session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


VISIBLE = {"alice": ["FB-A"], "bob": ["FB-B"], "charlie": ["FB-A", "FB-B"],
           "carol": ["FB-A", "FB-B"], "ada": ["FB-A", "FB-B"]}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reads_the_tags_of_the_feedback_it_sees(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    for fid in ("FB-A", "FB-B"):
        r = http.get(f"/api/feedback/{fid}/tags", headers=world.auth(persona))
        assert r.status_code == (200 if fid in VISIBLE[persona] else 404), (fid, r.text)


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_logged_in_classifies_texts(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    r = http.post("/api/text/classify", json={"texts": ["Fair price."]},
                  headers=world.auth(persona))  # fmt: skip
    assert r.status_code == 200 and len(r.json()["tags"]) == 1


@pytest.mark.parametrize(("persona", "expected"), [("bob", 404), ("charlie", 403)])
def test_others_cannot_correct_alices_feedback(http, world, session, persona, expected) -> None:  # type: ignore[no-untyped-def]
    before = stored(session)
    r = http.put("/api/feedback/FB-A/tags", json=FIX, headers=world.auth(persona))
    assert r.status_code == expected, r.text
    assert stored(session) == before
    tags = http.get("/api/feedback/FB-A/tags", headers=world.auth("ada")).json()
    assert tags["source"] == "model"


@pytest.mark.parametrize("persona", ["alice", "carol", "ada"])
def test_owner_cx_manager_and_admin_correct_alices_feedback(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    corrections, audits = stored(session)
    r = http.put("/api/feedback/FB-A/tags", json=FIX, headers=world.auth(persona))
    assert r.status_code == 200, r.text
    assert (r.json()["source"], r.json()["drivers"]) == ("user", ["trust"])
    assert stored(session) == (corrections + 1, audits + 1)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.entity, entry.entity_id) == ("text_tags", "FB-A")
    assert entry.actor.startswith(persona)
