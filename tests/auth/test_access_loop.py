"""Who may use the loop's endpoints, per role, over real HTTP: an account manager sees and
changes only tickets of their accounts (another owner's answers 404), viewers read and never
change, cx managers and admins do both; routing rules, SLA checks and alerts are managers'.
A refused request changes nothing and writes no audit entry."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry
from accord.loop.tickets import open_ticket
from tests.loop.builders import MONDAY, make_rules
from tests.personas import World, build_world

PERSONAS = ("alice", "bob", "charlie", "carol", "ada")
T_A, T_B = "AC-000001", "AC-000002"


@pytest.fixture
def world(session: Session) -> World:
    w = build_world(session)
    for acc in ("ACC-A", "ACC-B"):
        open_ticket(session, OPERATOR, account_id=acc, title=f"t {acc}", team="support",
                    priority="normal", now=MONDAY)  # fmt: skip
    make_rules(session)
    session.commit()
    return w


@pytest.fixture
def http(live_server):  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=live_server.url, timeout=20) as client:
        yield client


def audit_count(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


VISIBLE = {"alice": [T_A], "bob": [T_B], "charlie": [T_A, T_B], "carol": [T_A, T_B],
           "ada": [T_A, T_B]}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_sees_the_tickets_of_its_accounts(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    listed = http.get("/api/tickets", headers=h).json()
    assert sorted(t["id"] for t in listed["items"]) == VISIBLE[persona]
    for number in (T_A, T_B):
        code = 200 if number in VISIBLE[persona] else 404
        assert http.get(f"/api/tickets/{number}", headers=h).status_code == code
        assert http.get(f"/api/tickets/{number}/history", headers=h).status_code == code
    fb = "FB-A" if persona != "bob" else "FB-B"
    assert http.get(f"/api/routing/dry-run/{fb}", headers=h).status_code == 200
    assert http.get("/api/routing-rules", headers=h).status_code == 200
    digest = http.get("/api/loop/digest", params={"team": "support"}, headers=h).json()
    assert sorted(t["ticket"] for t in digest["open_tickets"]) == VISIBLE[persona]


def _changes(number: str) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("PATCH", f"/api/tickets/{number}", {"priority": "high"}),
        ("POST", f"/api/tickets/{number}/status", {"status": "in_progress"}),
        ("POST", f"/api/tickets/{number}/feedback", {"feedback_id": "FB-A"}),
        ("POST", f"/api/tickets/{number}/merge", {"into": number}),
        ("POST", f"/api/tickets/{number}/resolve", {
            "root_cause": "other", "prevention": "p", "owner_email": "o@example.com",
            "due_date": "2026-04-01"}),
        ("POST", "/api/tickets", {"account_id": "ACC-A", "title": "t", "team": "support"}),
        ("POST", "/api/routing/route/FB-A", {}),
    ]  # fmt: skip


@pytest.mark.parametrize(("persona", "expected"), [("bob", 404), ("charlie", 403)])
def test_others_cannot_change_alices_tickets(http, world, session, persona, expected) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(session)
    for method, path, body in _changes(T_A):
        r = http.request(method, path, json=body, headers=world.auth(persona))
        assert r.status_code == expected, (path, r.text)
    assert audit_count(session) == before
    got = http.get(f"/api/tickets/{T_A}", headers=world.auth("ada")).json()
    assert (got["status"], got["priority"]) == ("new", "normal")


@pytest.mark.parametrize("persona", ["alice", "carol", "ada"])
def test_owners_and_managers_work_alices_tickets(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    r = http.post(f"/api/tickets/{T_A}/status", json={"status": "resolved"}, headers=h)
    assert r.status_code == 422
    illegal = http.post(f"/api/tickets/{T_A}/status", json={"status": "waiting_on_customer"},
                        headers=h)  # fmt: skip
    assert illegal.status_code == 422
    assert "cannot move to waiting_on_customer" in illegal.json()["detail"]
    assert http.patch(f"/api/tickets/{T_A}", json={"assignee_email": "sam@example.com"},
                      headers=h).status_code == 200  # fmt: skip
    assert http.post(f"/api/tickets/{T_A}/feedback", json={"feedback_id": "FB-A"},
                     headers=h).status_code == 200  # fmt: skip
    assert http.post(f"/api/tickets/{T_A}/status", json={"status": "in_progress"},
                     headers=h).status_code == 200  # fmt: skip
    action = http.post(f"/api/tickets/{T_A}/resolve", headers=h, json={
        "root_cause": "process_gap", "prevention": "Checklist", "owner_email": "o@example.com",
        "due_date": "2026-04-01"})  # fmt: skip
    assert action.status_code == 200 and action.json()["root_cause"] == "process_gap"
    new = http.post("/api/tickets", headers=h,
                    json={"account_id": "ACC-A", "title": "dup", "team": "support"})  # fmt: skip
    assert new.status_code == 201
    merged = http.post(f"/api/tickets/{new.json()['id']}/merge", json={"into": T_A}, headers=h)
    assert merged.status_code == 200 and merged.json()["id"] == T_A
    routed = http.post("/api/routing/route/FB-A", headers=h)
    assert routed.status_code == 200  # FB-A (NPS 8) fires no rule: null


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_edit_rules_and_run_checks(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    allowed = persona in ("carol", "ada")
    rule = {"position": 5, "name": "r", "team": "finance", "priority": "low",
            "conditions": {"channels": ["email"]}}  # fmt: skip
    created = http.post("/api/routing-rules", json=rule, headers=h)
    assert created.status_code == (201 if allowed else 403)
    first = http.get("/api/routing-rules", headers=h).json()[0]["id"]
    patched = http.patch(f"/api/routing-rules/{first}", json={"enabled": False}, headers=h)
    assert patched.status_code == (200 if allowed else 403)
    assert http.post("/api/loop/sla-check", headers=h).status_code == (200 if allowed else 403)
    assert http.post("/api/loop/alerts", headers=h).status_code == (200 if allowed else 403)
