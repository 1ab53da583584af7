"""Who may use the endpoints of leads, events and the value report, per role, over real HTTP.

The rule (docs/leads.md): a lead linked to an account is seen by whoever sees the account; an
unlinked lead by admins, cx managers and viewers, and by the account manager it was handed to.
Marketing's moves (definition, bulk re-score, stage by hand, events) are cx managers' and
admins'. Events are visible to all; invitations belong to the invitee's account. A refused
request changes nothing and writes no audit entry.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.engagement import service as engagement
from accord.engagement.schemas import EventCreate, EventFeedbackIn, InviteIn
from accord.leads.feedback import add_sales_feedback
from accord.leads.schemas import SalesFeedbackCreate
from tests.factories import audit_count
from tests.leads.builders import COLD, HOT, make_lead
from tests.personas import World, build_world

PERSONAS = ("alice", "bob", "charlie", "carol", "ada")


@pytest.fixture
def world(session: Session) -> World:
    w = build_world(session)
    make_lead(session, "L-A", HOT, account_id="ACC-A", email="a@alice.example")
    make_lead(session, "L-B", HOT, account_id="ACC-B")
    make_lead(session, "L-P", COLD, company="Prospect Co")
    make_lead(session, "L-PA", HOT, company="Handed Co", owner_email="alice@example.com")
    add_sales_feedback(session, OPERATOR, SalesFeedbackCreate(id="SF-A", lead_id="L-A", text="a"))
    add_sales_feedback(session, OPERATOR, SalesFeedbackCreate(id="SF-B", account_id="ACC-B"))
    engagement.create_event(
        session, OPERATOR,
        EventCreate(id="EV-1", kind="webcast", title="Briefing", starts_at="2026-05-01T10:00:00"),  # type: ignore[arg-type]
    )  # fmt: skip
    engagement.invite(session, OPERATOR, "EV-1", InviteIn(contact_ids=["CON-A", "CON-B"]))
    engagement.add_event_feedback(
        session, OPERATOR, "EV-1", EventFeedbackIn(contact_id="CON-B", nps=9)
    )
    session.commit()
    return w


def ids(response: httpx.Response) -> list[str]:
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return sorted(i["id"] if "id" in i else i["lead"]["id"] for i in items)


# -- reads: who sees what ----------------------------------------------------------------------

VISIBLE_LEADS = {
    "alice": ["L-A", "L-PA"], "bob": ["L-B"],
    "charlie": ["L-A", "L-B", "L-P", "L-PA"], "carol": ["L-A", "L-B", "L-P", "L-PA"],
    "ada": ["L-A", "L-B", "L-P", "L-PA"],
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_lists_the_leads_it_may_see(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    assert ids(http.get("/api/leads", headers=h)) == VISIBLE_LEADS[persona]
    for lead_id in ("L-A", "L-B", "L-P", "L-PA"):
        expected = 200 if lead_id in VISIBLE_LEADS[persona] else 404
        assert http.get(f"/api/leads/{lead_id}", headers=h).status_code == expected
        assert http.get(f"/api/leads/{lead_id}/score", headers=h).status_code == expected
    sql = [i["lead"]["id"] for i in http.get("/api/leads/nurture", headers=h).json()]
    assert set(sql) <= set(VISIBLE_LEADS[persona])
    assert all(i["lead"]["id"] in VISIBLE_LEADS[persona]
               for i in http.get("/api/leads/overdue", headers=h).json())  # fmt: skip
    assert http.get("/api/leads/report", headers=h).json()["leads"] == len(VISIBLE_LEADS[persona])
    feedback = ids(http.get("/api/sales-feedback", headers=h))
    assert feedback == {"alice": ["SF-A"], "bob": ["SF-B"]}.get(persona, ["SF-A", "SF-B"])
    for path in ("/api/lead-definition", "/api/lead-definition/versions", "/api/events",
                 "/api/events/EV-1"):  # fmt: skip
        assert http.get(path, headers=h).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_invitations_engagement_and_reports_follow_the_account(http, world, persona) -> None:  # type: ignore[no-untyped-def]
    h = world.auth(persona)
    mine = {"alice": ["EV-1:CON-A"], "bob": ["EV-1:CON-B"]}.get(
        persona, ["EV-1:CON-A", "EV-1:CON-B"]
    )
    assert ids(http.get("/api/attendance", headers=h)) == mine
    for account, attendance in (("ACC-A", "EV-1:CON-A"), ("ACC-B", "EV-1:CON-B")):
        expected = 200 if attendance in mine else 404
        assert http.get(f"/api/attendance/{attendance}", headers=h).status_code == expected
        assert http.get(f"/api/accounts/{account}/engagement", headers=h).status_code == expected
        report = http.get(f"/api/reports/value/{account}", params={"period": "2026Q2"}, headers=h)
        assert report.status_code == expected
    pdf = http.get("/api/reports/value/ACC-B/pdf", params={"period": "2026Q2"}, headers=h)
    assert pdf.status_code == (200 if "EV-1:CON-B" in mine else 404)
    if pdf.status_code == 200:
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


# -- changes: who may, and a refusal changes nothing -------------------------------------------

CHANGES: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    # (method, path, body, status per persona; the last persona listed is the one allowed)
    ("POST", "/api/leads", {"source": "referral", "company": "Z", "account_id": "ACC-A"},
     {"charlie": 403, "bob": 404, "alice": 201}),
    ("PATCH", "/api/leads/L-A", {"employees": 9000}, {"charlie": 403, "bob": 404, "alice": 200}),
    ("POST", "/api/leads/L-A/activity", {"kind": "event"},
     {"charlie": 403, "bob": 404, "alice": 200}),
    ("POST", "/api/leads/L-A/stage", {"stage": "disqualified", "reason": "spam"},
     {"charlie": 403, "bob": 403, "alice": 403, "carol": 200}),
    ("POST", "/api/leads/L-A/accept", {}, {"charlie": 403, "bob": 404, "alice": 200}),
    ("POST", "/api/leads/L-PA/reject", {"reason": "timing"},
     {"charlie": 403, "bob": 404, "alice": 200}),
    ("POST", "/api/lead-definition", {"yaml": "name: x\nthresholds: {mql: 10, sql: 20}\n"},
     {"charlie": 403, "alice": 403, "carol": 201}),
    ("POST", "/api/lead-definition/rescore", {}, {"charlie": 403, "alice": 403, "ada": 200}),
    ("POST", "/api/sales-feedback", {"lead_id": "L-A", "pain_points": ["lead times"]},
     {"charlie": 403, "bob": 404, "alice": 201}),
    ("POST", "/api/events", {"id": "EV-2", "kind": "seminar", "title": "S",
                             "starts_at": "2026-06-01T09:00:00"},
     {"charlie": 403, "alice": 403, "carol": 201}),
    ("PATCH", "/api/events/EV-1", {"title": "Renamed"},
     {"charlie": 403, "alice": 403, "ada": 200}),
    ("POST", "/api/events/EV-1/invitations", {"contact_ids": ["CON-A"], "status": "registered"},
     {"charlie": 403, "bob": 404, "alice": 201}),
    ("POST", "/api/events/EV-1/feedback", {"contact_id": "CON-A", "nps": 3, "text": "dull"},
     {"charlie": 403, "bob": 404, "alice": 201}),
    ("PATCH", "/api/attendance/EV-1:CON-A", {"status": "attended"},
     {"charlie": 403, "bob": 404, "alice": 200}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), CHANGES, ids=[f"{m} {p}" for m, p, _, _ in CHANGES]
)
def test_only_the_right_roles_change_leads_and_events(  # type: ignore[no-untyped-def]
    http, world, session, method, path, body, expected
) -> None:
    *refused, allowed = expected.items()
    before = audit_count(session)
    for persona, status in refused:
        r = http.request(method, path, json=body, headers=world.auth(persona))
        assert r.status_code == status, (persona, r.text)
    assert audit_count(session) == before  # a refusal changes nothing
    persona, status = allowed
    r = http.request(method, path, json=body, headers=world.auth(persona))
    assert r.status_code == status, (persona, r.text)
    assert audit_count(session) > before
