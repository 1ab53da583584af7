"""Insights tell an account manager about their own accounts only, over real HTTP."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.personas import build_world


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    return build_world(session)


def get(live_server, world, persona: str, path: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.get(f"{live_server.url}{path}", headers=world.auth(persona), timeout=60)


@pytest.mark.parametrize(("persona", "seen"), [("bob", {"ACC-B"}), ("alice", {"ACC-A"}),
                                               ("charlie", {"ACC-A", "ACC-B"}),
                                               ("carol", {"ACC-A", "ACC-B"})])  # fmt: skip
def test_insight_rows_cover_only_visible_accounts(live_server, world, persona, seen) -> None:  # type: ignore[no-untyped-def]
    rows = get(live_server, world, persona, "/api/insights/accounts").json()
    assert {r["id"] for r in rows} == seen
    for account in ("ACC-A", "ACC-B"):
        status = get(live_server, world, persona, f"/api/insights/accounts/{account}").status_code
        assert status == (200 if account in seen else 404)


def test_aggregates_count_only_visible_accounts(live_server, world) -> None:  # type: ignore[no-untyped-def]
    gaps = get(live_server, world, "bob", "/api/insights/kpi-gap").json()
    assert sum(g["delivered"] for g in gaps) == 1  # Bob's one fulfilment, not Alice's
    coverage = get(live_server, world, "bob", "/api/insights/coverage").json()
    assert coverage["accounts"] <= 1
    money = get(live_server, world, "bob", "/api/insights/revenue-at-risk").json()
    assert money["model"] is None and money["problem"]  # two accounts: nothing to learn from


@pytest.mark.parametrize("path", ["/api/insights/drivers", "/api/insights/segments"])
def test_too_little_data_is_a_clear_422(live_server, world, path) -> None:  # type: ignore[no-untyped-def]
    r = get(live_server, world, "carol", path)
    assert r.status_code == 422
    assert "not enough" in r.json()["detail"]
