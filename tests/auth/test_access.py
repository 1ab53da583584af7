"""An account manager can neither read nor change another owner's account, through any
endpoint; viewers read but never change; cx managers and admins do both. Checked over real HTTP.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.models import AuditEntry
from tests.factories import audit_count
from tests.personas import build_world

RECORDS = {
    "accounts": "ACC",
    "contacts": "CON",
    "opportunities": "OPP",
    "fulfilments": "FUL",
    "feedback": "FB",
}
# A harmless change per record type, and a creation inside a given account.
PATCHES = {
    "accounts": {"region": "South"},
    "contacts": {"title": "Head of Quality"},
    "opportunities": {"stage": "evaluation"},
    "fulfilments": {"complete": False},
    "feedback": {"text": "changed"},
}


def creation(kind: str, account_id: str) -> dict[str, object]:
    return {
        "accounts": {"id": "ACC-NEW", "name": "New Co", "owner_email": "alice@example.com"},
        "contacts": {"id": "CON-NEW", "account_id": account_id, "name": "N", "role": "user"},
        "opportunities": {
            "id": "OPP-NEW",
            "account_id": account_id,
            "kind": "new",
            "stage": "need",
        },
        "fulfilments": {"id": "FUL-NEW", "account_id": account_id},
        "feedback": {
            "id": "FB-NEW",
            "account_id": account_id,
            "channel": "note",
            "occurred_at": "2026-05-01T10:00:00",
        },
    }[kind]


# Every endpoint of the API, and where this file proves who may use it.
COVERED = {
    ("GET", "/api/accounts"), ("POST", "/api/accounts"),
    ("GET", "/api/accounts/{record_id}"), ("PATCH", "/api/accounts/{record_id}"),
    ("GET", "/api/accounts/{account_id}/village"),
    ("GET", "/api/contacts"), ("POST", "/api/contacts"),
    ("GET", "/api/contacts/{record_id}"), ("PATCH", "/api/contacts/{record_id}"),
    ("GET", "/api/opportunities"), ("POST", "/api/opportunities"),
    ("GET", "/api/opportunities/{record_id}"), ("PATCH", "/api/opportunities/{record_id}"),
    ("GET", "/api/fulfilments"), ("POST", "/api/fulfilments"),
    ("GET", "/api/fulfilments/{record_id}"), ("PATCH", "/api/fulfilments/{record_id}"),
    ("GET", "/api/feedback"), ("POST", "/api/feedback"),
    ("GET", "/api/feedback/{record_id}"), ("PATCH", "/api/feedback/{record_id}"),
    ("POST", "/api/import"), ("GET", "/api/users"), ("POST", "/api/users"),
    ("GET", "/api/me"), ("POST", "/api/tokens"), ("GET", "/api/influence-profiles"),
    # Leads, events and the value report: cases in test_access_leads.py.
    ("GET", "/api/leads"), ("POST", "/api/leads"),
    ("GET", "/api/leads/{record_id}"), ("PATCH", "/api/leads/{record_id}"),
    ("GET", "/api/leads/{record_id}/score"), ("POST", "/api/leads/{record_id}/activity"),
    ("POST", "/api/leads/{record_id}/stage"), ("POST", "/api/leads/{record_id}/accept"),
    ("POST", "/api/leads/{record_id}/reject"), ("GET", "/api/leads/overdue"),
    ("GET", "/api/leads/nurture"), ("GET", "/api/leads/report"),
    ("GET", "/api/lead-definition"), ("POST", "/api/lead-definition"),
    ("GET", "/api/lead-definition/versions"), ("POST", "/api/lead-definition/rescore"),
    ("GET", "/api/sales-feedback"), ("POST", "/api/sales-feedback"),
    ("GET", "/api/events"), ("POST", "/api/events"),
    ("GET", "/api/events/{record_id}"), ("PATCH", "/api/events/{record_id}"),
    ("POST", "/api/events/{record_id}/invitations"), ("POST", "/api/events/{record_id}/feedback"),
    ("GET", "/api/attendance"), ("GET", "/api/attendance/{record_id}"),
    ("PATCH", "/api/attendance/{record_id}"), ("GET", "/api/accounts/{account_id}/engagement"),
    ("GET", "/api/reports/value/{account_id}"), ("GET", "/api/reports/value/{account_id}/pdf"),
    # Insights: cases in test_access_insights.py.
    ("GET", "/api/insights/accounts"), ("GET", "/api/insights/accounts/{account_id}"),
    ("GET", "/api/insights/drivers"), ("GET", "/api/insights/kpi-gap"),
    ("GET", "/api/insights/segments"), ("GET", "/api/insights/revenue-at-risk"),
    ("GET", "/api/insights/coverage"),
    # The loop: cases in test_access_loop.py.
    ("GET", "/api/tickets"), ("POST", "/api/tickets"),
    ("GET", "/api/tickets/{ticket_id}"), ("PATCH", "/api/tickets/{ticket_id}"),
    ("POST", "/api/tickets/{ticket_id}/status"), ("POST", "/api/tickets/{ticket_id}/resolve"),
    ("POST", "/api/tickets/{ticket_id}/merge"), ("POST", "/api/tickets/{ticket_id}/feedback"),
    ("GET", "/api/tickets/{ticket_id}/history"),
    ("GET", "/api/routing-rules"), ("POST", "/api/routing-rules"),
    ("PATCH", "/api/routing-rules/{rule_id}"), ("GET", "/api/routing/dry-run/{feedback_id}"),
    ("POST", "/api/routing/route/{feedback_id}"),
    ("POST", "/api/loop/sla-check"), ("POST", "/api/loop/alerts"), ("GET", "/api/loop/digest"),
    ("POST", "/api/tickets/{ticket_id}/comments"), ("DELETE", "/api/routing-rules/{rule_id}"),
    ("GET", "/api/webhooks"), ("POST", "/api/webhooks"), ("DELETE", "/api/webhooks/{webhook_id}"),
    ("GET", "/api/webhooks/{webhook_id}/deliveries"),
    # Quick notes and the sampling planner: cases in test_access_capture.py.
    ("POST", "/api/accounts/{account_id}/notes"), ("POST", "/api/surveys/{survey_id}/plan"),
    # Text analytics: cases in test_access_text.py.
    ("GET", "/api/feedback/{feedback_id}/tags"), ("PUT", "/api/feedback/{feedback_id}/tags"),
    ("POST", "/api/text/classify"),
    # Surveys: cases in test_access_surveys.py.
    ("GET", "/api/surveys"), ("POST", "/api/surveys"), ("POST", "/api/surveys/import"),
    ("GET", "/api/surveys/{survey_id}"), ("PUT", "/api/surveys/{survey_id}"),
    ("POST", "/api/surveys/{survey_id}/deactivate"), ("POST", "/api/surveys/{survey_id}/activate"),
    ("GET", "/api/surveys/{survey_id}/export"), ("GET", "/api/surveys/{survey_id}/invitations"),
}  # fmt: skip


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    return build_world(session)


def test_every_api_endpoint_has_an_authorisation_case(live_server) -> None:  # type: ignore[no-untyped-def]
    spec = httpx.get(f"{live_server.url}/openapi.json").json()
    served = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert served == COVERED, f"endpoints without an authorisation case: {served - COVERED}"


@pytest.mark.parametrize("kind", RECORDS)
def test_account_manager_cannot_read_another_owners_records(http, world, kind) -> None:  # type: ignore[no-untyped-def]
    theirs = f"{RECORDS[kind]}-A"
    assert http.get(f"/api/{kind}/{theirs}", headers=world.auth("bob")).status_code == 404
    listed = http.get(f"/api/{kind}", headers=world.auth("bob")).json()
    assert [r["id"] for r in listed["items"]] == [f"{RECORDS[kind]}-B"]
    assert listed["total"] == 1
    if kind != "accounts":
        filtered = http.get(
            f"/api/{kind}", params={"account_id": "ACC-A"}, headers=world.auth("bob")
        )
        assert filtered.json()["total"] == 0
    # Alice, the owner, sees it.
    assert http.get(f"/api/{kind}/{theirs}", headers=world.auth("alice")).status_code == 200


@pytest.mark.parametrize("kind", RECORDS)
def test_account_manager_cannot_change_another_owners_records(http, world, session, kind) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(session)
    theirs = f"{RECORDS[kind]}-A"
    r = http.patch(f"/api/{kind}/{theirs}", json=PATCHES[kind], headers=world.auth("bob"))
    assert r.status_code == 404
    r = http.post(f"/api/{kind}", json=creation(kind, "ACC-A"), headers=world.auth("bob"))
    assert r.status_code in (403, 404), r.text
    assert audit_count(session) == before
    # Nothing was created or changed.
    assert (
        http.get(f"/api/{kind}/{RECORDS[kind]}-NEW", headers=world.auth("ada")).status_code == 404
    )
    got = http.get(f"/api/{kind}/{theirs}", headers=world.auth("ada")).json()
    for field, value in PATCHES[kind].items():
        assert got[field] != value


@pytest.mark.parametrize("kind", ["contacts", "opportunities", "fulfilments", "feedback"])
def test_account_manager_cannot_move_a_record_into_another_owners_account(
    http, world, kind
) -> None:  # type: ignore[no-untyped-def]
    mine = f"{RECORDS[kind]}-B"
    changes = {"account_id": "ACC-A"}
    if kind == "feedback":
        changes["contact_id"] = "CON-A"
    r = http.patch(f"/api/{kind}/{mine}", json=changes, headers=world.auth("bob"))
    assert r.status_code == 404
    assert (
        http.get(f"/api/{kind}/{mine}", headers=world.auth("bob")).json()["account_id"] == "ACC-B"
    )


def test_account_manager_cannot_see_another_owners_village(http, world) -> None:  # type: ignore[no-untyped-def]
    assert http.get("/api/accounts/ACC-A/village", headers=world.auth("bob")).status_code == 404
    village = http.get("/api/accounts/ACC-A/village", headers=world.auth("alice")).json()
    assert [s["contact"]["id"] for s in village] == ["CON-A"]


def test_account_manager_cannot_give_an_account_away(http, world) -> None:  # type: ignore[no-untyped-def]
    r = http.patch(
        "/api/accounts/ACC-B", json={"owner_email": "alice@example.com"}, headers=world.auth("bob")
    )
    assert r.status_code == 403
    new = {"id": "ACC-BOB2", "name": "Bob Two"}
    r = http.post("/api/accounts", json=new, headers=world.auth("bob"))
    assert r.status_code == 201
    assert r.json()["owner_email"] == "bob@example.com"


@pytest.mark.parametrize("kind", RECORDS)
def test_viewer_reads_everything_and_changes_nothing(http, world, session, kind) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(session)
    assert http.get(f"/api/{kind}", headers=world.auth("charlie")).json()["total"] == 2
    theirs = f"{RECORDS[kind]}-A"
    r = http.patch(f"/api/{kind}/{theirs}", json=PATCHES[kind], headers=world.auth("charlie"))
    assert r.status_code == 403
    r = http.post(f"/api/{kind}", json=creation(kind, "ACC-A"), headers=world.auth("charlie"))
    assert r.status_code == 403
    assert audit_count(session) == before


@pytest.mark.parametrize("persona", ["carol", "ada", "alice"])
@pytest.mark.parametrize("kind", RECORDS)
def test_owner_cx_manager_and_admin_can_change_records(http, world, session, persona, kind) -> None:  # type: ignore[no-untyped-def]
    theirs = f"{RECORDS[kind]}-A"
    r = http.patch(f"/api/{kind}/{theirs}", json=PATCHES[kind], headers=world.auth(persona))
    assert r.status_code == 200, r.text
    for field, value in PATCHES[kind].items():
        assert r.json()[field] == value
    session.rollback()
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.action, entry.entity_id) == ("update", theirs)
    assert entry.actor.startswith(persona)
    assert set(entry.after) == set(PATCHES[kind])


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
def test_only_admin_and_cx_manager_may_import(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    files = {"files": ("accounts.csv", b"account_id,name\nACC-Z,Zed\n", "text/csv")}
    r = http.post("/api/import", files=files, headers=world.auth(persona))
    assert r.status_code == 403
    assert http.get("/api/accounts/ACC-Z", headers=world.auth("ada")).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "charlie", "carol"])
def test_only_admin_manages_users(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    assert http.get("/api/users", headers=world.auth(persona)).status_code == 403
    body = {"email": "eve@example.com", "password": "long enough pw", "role": "admin"}
    assert http.post("/api/users", json=body, headers=world.auth(persona)).status_code == 403
    assert http.post("/api/users", json=body, headers=world.auth("ada")).status_code == 201


def test_anyone_logged_in_reads_their_profile_and_makes_tokens(http, world) -> None:  # type: ignore[no-untyped-def]
    assert http.get("/api/me", headers=world.auth("bob")).json()["email"] == "bob@example.com"
    token = http.post("/api/tokens", json={"name": "ci"}, headers=world.auth("bob")).json()["token"]
    me = http.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["email"] == "bob@example.com"
    assert http.get("/api/influence-profiles", headers=world.auth("charlie")).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer acc_wrong"}, {"Authorization": "Basic abc"}],
)
def test_no_endpoint_answers_without_a_valid_token(http, world, headers) -> None:  # type: ignore[no-untyped-def]
    for method, path in sorted(COVERED):
        url = path.replace("{record_id}", "ACC-A").replace("{account_id}", "ACC-A")
        r = http.request(method, url, headers=headers)
        assert r.status_code == 401, (method, path, r.status_code)
