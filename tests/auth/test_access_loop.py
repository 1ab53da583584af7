"""Who may use the loop's endpoints, per role, over real HTTP: an account manager sees and
changes only tickets of their accounts (another owner's answers 404), viewers read and never
change, cx managers and admins do both; routing rules, SLA checks and alerts are managers'.
A refused request changes nothing and writes no audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop.tickets import open_ticket
from tests.factories import audit_count
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


# --- Team members, comments, rule deletion and webhooks (issue 5) ----------------------------


def test_a_team_member_sees_and_works_only_their_teams_tickets(http, world, session) -> None:  # type: ignore[no-untyped-def]
    other = open_ticket(session, OPERATOR, account_id="ACC-A", title="logistics",
                        team="logistics", priority="normal", now=MONDAY)  # fmt: skip
    dup = open_ticket(session, OPERATOR, account_id="ACC-A", title="dup", team="support",
                      priority="normal", now=MONDAY)  # fmt: skip
    session.commit()
    h = world.auth("tess")  # support
    listed = http.get("/api/tickets", headers=h).json()
    assert sorted(t["id"] for t in listed["items"]) == [T_A, T_B, dup.id]
    assert http.get(f"/api/tickets/{other.id}", headers=h).status_code == 404
    assert http.post(f"/api/tickets/{other.id}/status", json={"status": "in_progress"},
                     headers=h).status_code == 404  # fmt: skip
    assert http.post(f"/api/tickets/{T_A}/status", json={"status": "in_progress"},
                     headers=h).status_code == 200  # fmt: skip
    assert http.patch(f"/api/tickets/{T_A}", json={"assignee_email": "tess@example.com"},
                      headers=h).status_code == 200  # fmt: skip
    resolved = http.post(f"/api/tickets/{T_A}/resolve", headers=h, json={
        "root_cause": "training", "prevention": "Train the desk", "owner_email": "t@example.com",
        "due_date": "2026-04-01"})  # fmt: skip
    assert resolved.status_code == 200
    merged = http.post(f"/api/tickets/{dup.id}/merge", json={"into": T_A}, headers=h)
    assert merged.status_code == 200
    # Nothing of the accounts beyond what the tickets show, and no new tickets or routing.
    assert http.get("/api/accounts", headers=h).json()["total"] == 0
    assert http.get("/api/accounts/ACC-A", headers=h).status_code == 404
    assert http.get("/api/feedback", headers=h).json()["total"] == 0
    assert http.get("/api/routing/dry-run/FB-A", headers=h).status_code == 404
    new = {"account_id": "ACC-A", "title": "t", "team": "support"}
    assert http.post("/api/tickets", json=new, headers=h).status_code == 403
    rule = {"position": 1, "name": "r", "team": "rnd", "priority": "low"}
    assert http.post("/api/routing-rules", json=rule, headers=h).status_code == 403
    digest = http.get("/api/loop/digest", params={"team": "support"}, headers=h).json()
    assert digest["resolved"] == 1
    other_team = http.get("/api/loop/digest", params={"team": "logistics"}, headers=h).json()
    assert other_team["open_tickets"] == []


def test_a_team_member_without_a_team_cannot_be_created(http, world) -> None:  # type: ignore[no-untyped-def]
    body = {"email": "t2@example.com", "password": "long enough pass", "role": "team_member"}
    r = http.post("/api/users", json=body, headers=world.auth("ada"))
    assert r.status_code == 422 and "team" in r.json()["detail"]
    ok = http.post("/api/users", json={**body, "team": "quality"}, headers=world.auth("ada"))
    assert ok.status_code == 201 and ok.json()["team"] == "quality"


COMMENT = {"alice": 201, "bob": 404, "charlie": 403, "carol": 201, "ada": 201, "tess": 201}


@pytest.mark.parametrize("persona", [*PERSONAS, "tess"])
def test_comments_follow_who_may_change_the_ticket(http, world, session, persona) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(session)
    r = http.post(f"/api/tickets/{T_A}/comments", json={"text": "Called them"},
                  headers=world.auth(persona))  # fmt: skip
    assert r.status_code == COMMENT[persona]
    if r.status_code == 201:
        assert r.json()["kind"] == "comment" and r.json()["detail"] == {"text": "Called them"}
    else:
        assert audit_count(session) == before


@pytest.mark.parametrize("persona", [*PERSONAS, "tess"])
def test_only_managers_delete_rules(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    first = http.get("/api/routing-rules", headers=h).json()[0]["id"]
    r = http.delete(f"/api/routing-rules/{first}", headers=h)
    assert r.status_code == (204 if persona in ("carol", "ada") else 403)


@pytest.mark.parametrize("persona", [*PERSONAS, "tess"])
def test_webhooks_are_managed_by_admins_and_never_show_their_secret(
    http, world, session, persona
) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    body = {"name": "ops", "url": "https://hooks.example.com/accord",
            "secret": "s" * 20, "event_kinds": ["escalated"]}  # fmt: skip
    created = http.post("/api/webhooks", json=body, headers=h)
    if persona != "ada":
        assert created.status_code == 403
        assert http.get("/api/webhooks", headers=h).status_code == 403
        assert http.get("/api/webhooks/1/deliveries", headers=h).status_code == 403
        assert http.delete("/api/webhooks/1", headers=h).status_code == 403
        return
    assert created.status_code == 201 and created.json()["secret"] == "s" * 20
    hook = created.json()["id"]
    listed = http.get("/api/webhooks", headers=h).json()
    assert [w["id"] for w in listed] == [hook] and "secret" not in listed[0]
    assert http.get(f"/api/webhooks/{hook}/deliveries", headers=h).json() == []
    generated = http.post("/api/webhooks", json={**body, "secret": None}, headers=h).json()
    assert len(generated["secret"]) >= 32
    bad = http.post("/api/webhooks", json={**body, "event_kinds": ["nope"]}, headers=h)
    assert bad.status_code == 422
    assert http.delete(f"/api/webhooks/{hook}", headers=h).status_code == 204
    assert http.get(f"/api/webhooks/{hook}/deliveries", headers=h).status_code == 404
