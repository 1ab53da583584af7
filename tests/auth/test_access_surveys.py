"""Who may use the survey endpoints, per role, over real HTTP: every role reads surveys, only cx
managers and admins create, replace, (de)activate and import them; a survey's invitations are
listed only on accounts the caller may see. A refused change stores nothing and writes no audit
entry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry
from accord.listening import surveys
from accord.listening.invitations import create_invitations
from accord.listening.survey_schema import parse_text
from tests.factories import audit_count
from tests.personas import World, build_world

PERSONAS = ("alice", "bob", "charlie", "carol", "ada")
EDITORS = {"carol", "ada"}
REL = "relationship-2026"
NEW: dict[str, Any] = {
    "id": "pulse-x",
    "name": "Pulse X",
    "kind": "pulse",
    "supplier": "Acme",
    "questions": [{"id": "ces", "type": "ces", "text": "How easy was it?"}],
}


@pytest.fixture
def world(session: Session) -> World:
    w = build_world(session)
    for text in surveys.shipped_definitions().values():
        surveys.save_survey(session, OPERATOR, parse_text(text))
    session.flush()
    picks = [("CON-A", None, "a"), ("CON-B", None, "b")]
    from datetime import UTC, datetime

    create_invitations(session, OPERATOR, REL, picks, datetime.now(UTC).replace(tzinfo=None))
    session.commit()
    return w


VISIBLE_INVITES = {"alice": ["ACC-A"], "bob": ["ACC-B"], "charlie": ["ACC-A", "ACC-B"],
                   "carol": ["ACC-A", "ACC-B"], "ada": ["ACC-A", "ACC-B"]}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_surveys(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    listed = http.get("/api/surveys", headers=h)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [REL, "scenario-delivery"]
    assert (
        http.get("/api/surveys", params={"kind": "scenario"}, headers=h).json()[0]["questions"] == 2
    )
    got = http.get(f"/api/surveys/{REL}", headers=h)
    assert got.status_code == 200 and got.json()["definition"]["questions"][0]["id"] == "nps"
    exported = http.get(f"/api/surveys/{REL}/export", headers=h)
    assert exported.status_code == 200 and exported.json()["format"] == "accord.survey.v1"
    assert http.get("/api/surveys/nope", headers=h).status_code == 404
    invites = http.get(f"/api/surveys/{REL}/invitations", headers=h).json()
    assert sorted(i["account_id"] for i in invites) == VISIBLE_INVITES[persona]


def _changes(world_export: dict[str, Any]) -> list[tuple[str, str, Any]]:
    renamed = copy.deepcopy(world_export["definition"])
    renamed["name"] = "Renamed"
    return [
        ("POST", "/api/surveys", NEW),
        ("PUT", f"/api/surveys/{REL}", renamed),
        ("POST", f"/api/surveys/{REL}/deactivate", None),
        ("POST", f"/api/surveys/{REL}/activate", None),
        ("POST", "/api/surveys/import", {**world_export, "definition": renamed}),
    ]


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
def test_account_managers_and_viewers_change_no_survey(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    export = http.get(f"/api/surveys/{REL}/export", headers=h).json()
    before = audit_count(session)
    for method, url, body in _changes(export):
        r = http.request(method, url, json=body, headers=h)
        assert r.status_code == 403, (method, url, r.status_code)
    assert audit_count(session) == before
    assert http.get(f"/api/surveys/{REL}", headers=h).json()["name"] == "Relationship survey 2026"
    assert http.get("/api/surveys/pulse-x", headers=h).status_code == 404


@pytest.mark.parametrize("persona", sorted(EDITORS))
def test_cx_managers_and_admins_change_surveys(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    export = http.get(f"/api/surveys/{REL}/export", headers=h).json()
    expected = {"POST": {"/api/surveys": 201}}
    for method, url, body in _changes(export):
        r = http.request(method, url, json=body, headers=h)
        assert r.status_code == expected.get(method, {}).get(url, 200), (method, url, r.text)
    assert http.get(f"/api/surveys/{REL}", headers=h).json()["name"] == "Renamed"
    assert http.get("/api/surveys/pulse-x", headers=h).json()["active"] is True
    assert http.post("/api/surveys", json=NEW, headers=h).status_code == 409
    session.rollback()
    actors = session.scalars(
        select(AuditEntry.actor).where(AuditEntry.entity == "surveys", AuditEntry.entity_id == REL)
    ).all()
    assert set(actors) >= {f"{persona}@example.com"}


def test_a_bad_definition_is_refused_with_its_question_and_field(http, world) -> None:  # type: ignore[no-untyped-def]
    h = world.auth("carol")
    bad = copy.deepcopy(NEW)
    bad["questions"][0]["variants"] = {"purchaser": "x"}
    r = http.post("/api/surveys", json=bad, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("question 'ces' (questions[0]): variants: unknown role")
    mismatch = http.put(f"/api/surveys/{REL}", json=NEW, headers=h)
    assert mismatch.status_code == 422 and "id: the definition says 'pulse-x'" in mismatch.text
    assert http.get("/api/surveys/pulse-x", headers=h).status_code == 404
