"""The insights through their interfaces — service, REST API and CLI — on a small synthetic
world: the promised fields are there, and an account manager sees only their own accounts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.imports import import_files
from accord.insights import service
from accord.synthetic import generate_world
from accord.vocabulary import DRIVERS, UserRole
from tests.factories import make_token, make_user

ALICE = "alice.martin@accord.example"  # owns accounts in every synthetic world
ACCOUNT_FIELDS = {
    "axi", "axi_low", "axi_high", "nps", "coverage", "veto_risk", "unheard",
    "renewal_risk", "revenue_at_risk",
}  # fmt: skip


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> Path:
    out = tmp_path / "world"
    generate_world(out, accounts=60, seed=11, today=date.today())
    report = import_files(engine, [p for p in sorted(out.iterdir()) if p.suffix == ".csv"])
    assert report.ok, report.errors[:5]
    return out


@pytest.fixture
def tokens(session: Session, world: Path) -> dict[str, str]:
    tokens = {
        "alice": make_token(session, make_user(session, ALICE, UserRole.account_manager)),
        "carol": make_token(session, make_user(session, "carol@example.com", UserRole.cx_manager)),
    }
    session.commit()
    return tokens


def test_account_table_is_scoped_to_the_owner(session: Session, world: Path) -> None:
    everyone = service.account_table(session, OPERATOR)
    alices = service.account_table(session, Actor(ALICE, UserRole.account_manager))
    assert everyone.height == 60
    assert 0 < alices.height < 60
    assert set(alices["owner_email"]) == {ALICE}
    assert everyone.filter(everyone["owner_email"] == ALICE).height == alices.height


def test_the_book_is_recomputed_only_when_data_changes(session: Session, world: Path) -> None:
    first = service.book(session)
    assert service.book(session) is first
    from accord.accounts.schemas import AccountFields
    from accord.accounts.service import update_account

    update_account(session, OPERATOR, "ACC-0001", AccountFields(region="Elsewhere"))
    session.commit()
    assert service.book(session) is not first


def test_api_lists_insights_per_account_and_hides_other_owners(live_server, tokens) -> None:  # type: ignore[no-untyped-def]
    def get(path: str, who: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {tokens[who]}"}
        return httpx.get(f"{live_server.url}{path}", headers=headers, timeout=60)

    carol_rows = get("/api/insights/accounts", "carol").json()
    alice_rows = get("/api/insights/accounts", "alice").json()
    assert len(carol_rows) == 60
    assert set(carol_rows[0]) >= ACCOUNT_FIELDS
    assert 0 < len(alice_rows) < 60
    alice_ids = {r["id"] for r in alice_rows}
    other = next(r["id"] for r in carol_rows if r["id"] not in alice_ids)
    assert get(f"/api/insights/accounts/{other}", "alice").status_code == 404
    assert get(f"/api/insights/accounts/{other}", "carol").status_code == 200
    money = get("/api/insights/revenue-at-risk", "alice").json()
    assert {o["owner_email"] for o in money["by_owner"]} <= {ALICE}
    assert 0.5 < money["model"]["auc"] <= 1
    drivers = get("/api/insights/drivers?target=renewal", "carol").json()
    assert {d["driver"] for d in drivers["drivers"]} == set(DRIVERS)
    assert abs(sum(d["importance"] for d in drivers["drivers"]) - drivers["r2"]) < 1e-3
    assert get("/api/insights/drivers?target=mood", "carol").status_code == 422
    gaps = get("/api/insights/kpi-gap?by=region", "carol").json()
    assert {"region", "reported_on_time_rate", "measured_on_time_rate", "beautified"} <= set(
        gaps[0]
    )


def test_cli_prints_the_insight_fields(engine: Engine, database_url: str, world: Path) -> None:
    env = {**os.environ, "ACCORD_DATABASE_URL": database_url}

    def run(*args: str) -> str:
        cmd = [sys.executable, "-m", "accord.cli", *args]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    accounts = json.loads(run("accounts", "list", "--json"))
    assert len(accounts) == 60 and set(accounts[0]) >= ACCOUNT_FIELDS
    assert isinstance(accounts[0]["unheard"], list)
    drivers = json.loads(run("drivers", "--target", "renewal", "--json"))["drivers"]
    assert {"importance", "ci_low", "ci_high", "r2"} <= set(drivers[0])
    assert all(d["ci_low"] <= d["importance"] <= d["ci_high"] for d in drivers)
    gaps = json.loads(run("kpi-gap", "--json"))
    assert gaps and "beautified" in gaps[0]
    segments = json.loads(run("segments", "--json"))
    assert segments["k"] >= 2 and all(s["description"] for s in segments["segments"])


def test_api_sorts_accounts_by_the_pessimistic_bound(live_server, tokens) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {tokens['carol']}"}
    url = f"{live_server.url}/api/insights/accounts"
    rows = httpx.get(url, headers=headers, timeout=60).json()
    lows = [r["axi_low"] for r in rows if r["axi_low"] is not None]
    assert lows == sorted(lows)
    risky = httpx.get(url, params={"sort": "revenue_at_risk"}, headers=headers, timeout=60).json()
    money = [r["revenue_at_risk"] for r in risky if r["revenue_at_risk"] is not None]
    assert money == sorted(money, reverse=True)
    assert httpx.get(url, params={"sort": "name; drop"}, headers=headers).status_code == 422
