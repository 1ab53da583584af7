"""The REST API over real HTTP: lists with filters and pages, clear 422s, 404s, audited changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.models import AuditEntry
from accord.vocabulary import UserRole
from tests.factories import (
    make_account,
    make_contact,
    make_feedback,
    make_token,
    make_user,
)


@pytest.fixture
def carol(session: Session) -> dict[str, str]:
    """Headers of a cx manager, who may read and change every account."""
    token = make_token(session, make_user(session, "carol@example.com", UserRole.cx_manager))
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def seed_accounts(session: Session, n: int) -> None:
    for i in range(n):
        segment = "large_enterprise" if i % 3 == 0 else "small_private"
        make_account(session, f"ACC-{i:03d}", f"owner{i % 2}@example.com", segment=segment)
    session.commit()


def test_accounts_list_pages_through_everything_once(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    seed_accounts(session, 23)
    seen: list[str] = []
    for offset in range(0, 30, 10):
        page = http.get(
            "/api/accounts", params={"offset": offset, "limit": 10}, headers=carol
        ).json()
        assert page["total"] == 23
        seen += [a["id"] for a in page["items"]]
    assert sorted(seen) == [f"ACC-{i:03d}" for i in range(23)]


def test_accounts_filter_by_segment_and_owner(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    seed_accounts(session, 12)
    params = {"segment": "large_enterprise", "owner": "OWNER0@example.com"}
    items = http.get("/api/accounts", params=params, headers=carol).json()["items"]
    assert [a["id"] for a in items] == ["ACC-000", "ACC-006"]


def test_feedback_filters_by_channel_and_date_range(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    make_account(session, "ACC-1")
    for day, channel in [(1, "survey"), (10, "note"), (20, "survey"), (30, "survey")]:
        make_feedback(
            session, f"FB-{day}", "ACC-1", channel=channel, occurred_at=datetime(2026, 6, day, 23)
        )
    session.commit()
    params = {"channel": "survey", "since": "2026-06-01", "until": "2026-06-20"}
    items = http.get("/api/feedback", params=params, headers=carol).json()["items"]
    assert [f["id"] for f in items] == ["FB-20", "FB-1"]  # newest first; `until` is inclusive


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"nps": 11}, "nps", "less than or equal to 10"),
        ({"nps": True}, "nps", "valid integer"),
        ({"nps": 7.5}, "nps", "valid integer"),
        ({"channel": "fax"}, "channel", "survey"),
        ({"occurred_at": "yesterday"}, "occurred_at", "datetime"),
        ({"mood": "great"}, "mood", "Extra inputs"),
    ],
)
def test_bad_feedback_gets_a_422_naming_the_field(http, session, carol, body, field, words) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1")
    session.commit()
    good = {
        "id": "FB-1",
        "account_id": "ACC-1",
        "channel": "survey",
        "occurred_at": "2026-06-01T10:00:00",
    }
    r = http.post("/api/feedback", json={**good, **body}, headers=carol)
    assert r.status_code == 422
    errors = r.json()["detail"]
    assert any(e["loc"][-1] == field and words in e["msg"] for e in errors), errors


def test_feedback_from_a_contact_of_another_account_is_refused(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1")
    make_account(session, "ACC-2")
    make_contact(session, "CON-2", "ACC-2")
    session.commit()
    body = {
        "id": "FB-1",
        "account_id": "ACC-1",
        "contact_id": "CON-2",
        "channel": "call",
        "occurred_at": "2026-06-01T10:00:00+02:00",
    }
    r = http.post("/api/feedback", json=body, headers=carol)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("contact_id:")


def test_aware_times_are_stored_as_utc(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1")
    session.commit()
    body = {
        "id": "FB-1",
        "account_id": "ACC-1",
        "channel": "call",
        "occurred_at": "2026-06-01T10:00:00+02:00",
    }
    assert http.post("/api/feedback", json=body, headers=carol).status_code == 201
    assert (
        http.get("/api/feedback/FB-1", headers=carol).json()["occurred_at"]
        == "2026-06-01T08:00:00Z"
    )


@pytest.mark.parametrize(
    "kind", ["accounts", "contacts", "opportunities", "fulfilments", "feedback"]
)
def test_unknown_ids_are_404(http, carol, kind) -> None:  # type: ignore[no-untyped-def]
    assert http.get(f"/api/{kind}/NOPE", headers=carol).status_code == 404
    assert http.patch(f"/api/{kind}/NOPE", json={}, headers=carol).status_code == 404


def test_creating_twice_is_a_conflict(http, carol) -> None:  # type: ignore[no-untyped-def]
    body = {"id": "ACC-9", "name": "Nine Ltd", "segment": "mid_market", "annual_value": 120000}
    assert http.post("/api/accounts", json=body, headers=carol).status_code == 201
    assert http.post("/api/accounts", json=body, headers=carol).status_code == 409


def test_contact_departure_before_arrival_is_refused(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1")
    make_contact(session, "CON-1", "ACC-1", active_from=__import__("datetime").date(2026, 1, 1))
    session.commit()
    r = http.patch("/api/contacts/CON-1", json={"active_to": "2025-12-31"}, headers=carol)
    assert r.status_code == 422
    assert "active_to" in r.json()["detail"]


def test_updates_are_audited_with_before_and_after(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1", region="North")
    session.commit()
    r = http.patch(
        "/api/accounts/ACC-1", json={"region": "South", "name": "Company ACC-1"}, headers=carol
    )
    assert r.status_code == 200
    session.rollback()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == "ACC-1")).one()
    assert (entry.actor, entry.action, entry.entity) == ("carol@example.com", "update", "accounts")
    assert (entry.before, entry.after) == ({"region": "North"}, {"region": "South"})


def test_village_puts_active_stakeholders_first_by_weight(http, session, carol) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, datetime

    from accord.accounts.models import InfluenceProfile

    make_account(session, "ACC-1", purchase_type="precision_components", phase="continuous")
    session.add(
        InfluenceProfile(
            purchase_type="precision_components",
            phase="continuous",
            role="technical_buyer",
            weight=0.6,
            veto=True,
        )
    )
    make_contact(session, "CON-ENG", "ACC-1", role="technical_buyer")  # no recorded influence
    make_contact(session, "CON-BUY", "ACC-1", role="procurement", influence=0.3)
    make_contact(
        session,
        "CON-OLD",
        "ACC-1",
        role="economic_buyer",
        influence=0.9,
        active_to=date(2025, 1, 1),
    )
    make_feedback(
        session, "FB-1", "ACC-1", contact_id="CON-ENG", nps=3, occurred_at=datetime(2026, 1, 1)
    )
    make_feedback(
        session, "FB-2", "ACC-1", contact_id="CON-ENG", nps=2, occurred_at=datetime(2026, 2, 1)
    )
    session.commit()
    village = http.get(
        "/api/accounts/ACC-1/village", params={"on": "2026-06-01"}, headers=carol
    ).json()
    assert [s["contact"]["id"] for s in village] == ["CON-ENG", "CON-BUY", "CON-OLD"]
    eng = village[0]
    assert (eng["weight"], eng["weight_source"], eng["veto"]) == (0.6, "profile", True)
    assert eng["latest_feedback"]["id"] == "FB-2"
    assert village[2]["active"] is False


@pytest.mark.parametrize(
    ("kind", "record", "field"),
    [
        ("accounts", "ACC-1", "name"),
        ("contacts", "CON-1", "role"),
        ("contacts", "CON-1", "veto"),
        ("opportunities", "OPP-1", "kind"),
        ("feedback", "FB-1", "channel"),
        ("feedback", "FB-1", "occurred_at"),
    ],
)
def test_emptying_a_required_field_is_a_422(http, session, carol, kind, record, field) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_opportunity

    make_account(session, "ACC-1")
    make_contact(session, "CON-1", "ACC-1")
    make_opportunity(session, "OPP-1", "ACC-1")
    make_feedback(session, "FB-1", "ACC-1")
    session.commit()
    r = http.patch(f"/api/{kind}/{record}", json={field: None}, headers=carol)
    assert r.status_code == 422
    assert r.json()["detail"] == f"{field}: may not be empty"


def test_an_absurd_offset_is_a_422_not_a_crash(http, carol) -> None:  # type: ignore[no-untyped-def]
    r = http.get("/api/accounts", params={"offset": 10**25}, headers=carol)
    assert r.status_code == 422
