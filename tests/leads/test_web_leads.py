"""The lead, event and value-report pages over real HTTP, and in a real browser: the pipeline,
a lead's score explained, accepting it into an opportunity, the definition editor, the report,
events, the account's engagement section and the value report with its PDF."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.engagement import service as engagement
from accord.engagement.schemas import EventCreate, InviteIn
from accord.leads.definition import default_yaml
from accord.vocabulary import UserRole
from tests.factories import PASSWORD, make_account, make_contact, make_user
from tests.leads.builders import HOT, make_lead
from tests.web.test_web_accounts import (
    browser_page,
    csrf_of,
    logged_in,
)

ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"


@pytest.fixture
def world(live_server, engine, session: Session) -> str:  # type: ignore[no-untyped-def]
    make_user(session, ALICE, UserRole.account_manager)
    make_user(session, BOB, UserRole.account_manager)
    make_user(session, CAROL, UserRole.cx_manager)
    make_account(session, "ACME", ALICE, name="Acme Precision", segment="mid_market")
    make_account(session, "BETA", BOB, name="Beta Foods")
    make_contact(session, "ENG", "ACME", name="Erin Eng", role="technical_buyer",
                 email="erin@acme.example")  # fmt: skip
    make_lead(session, "L-A", HOT, company="Acme Precision", email="erin@acme.example")
    make_lead(session, "L-B", HOT, company="Beta Foods", account_id="BETA")
    engagement.create_event(session, OPERATOR, EventCreate(
        id="EV-1", kind="user_group", title="User group 2026",
        starts_at=datetime(2026, 5, 4, 9)))  # type: ignore[arg-type]  # fmt: skip
    engagement.invite(session, OPERATOR, "EV-1", InviteIn(contact_ids=["ENG"], status="attended"))
    session.commit()
    return str(live_server.url)


def test_the_board_and_lead_page_show_only_the_viewers_leads(world: str) -> None:
    with logged_in(world, ALICE) as client:
        board = client.get("/leads")
        assert board.status_code == 200
        assert "/leads/L-A" in board.text and "/leads/L-B" not in board.text
        page = client.get("/leads/L-A")
        total = re.search(r'id="explained-total">(\d+)<', page.text)
        score = re.search(r'id="lead-score">(\d+)<', page.text)
        assert total and score and total.group(1) == score.group(1) == "79"
        assert "Accept lead" in page.text
        assert client.get("/leads/L-B").status_code == 404


def test_accepting_on_the_lead_page_opens_an_opportunity(world: str) -> None:
    with logged_in(world, ALICE) as client:
        token = csrf_of(client.get("/leads/L-A").text)
        r = client.post("/leads/L-A/accept", data={"csrf": token, "kind": "new", "amount": "5000"})
        assert r.status_code == 303 and r.headers["location"] == "/leads/L-A"
        assert "Opportunity OPP-L-A" in client.get("/leads/L-A").text
        assert "5,000" in client.get("/accounts/ACME").text
        again = client.post("/leads/L-A/accept", data={"csrf": token})
        assert again.status_code == 409 and "only an sql lead" in again.text


def test_the_definition_editor_refuses_bad_yaml_and_saves_a_version(world: str) -> None:
    with logged_in(world, ALICE) as client:
        assert "Only cx managers and admins" in client.get("/leads/definition").text
    with logged_in(world, CAROL) as client:
        token = csrf_of(client.get("/leads/definition").text)
        bad = client.post("/leads/definition", data={"csrf": token, "yaml": "name: [x"})
        assert bad.status_code == 422 and "yaml:" in bad.text
        text = default_yaml().replace("sql: 65", "sql: 90")
        form = {"csrf": token, "yaml": text, "note": "stricter", "rescore": "yes"}
        ok = client.post("/leads/definition", data=form)
        assert ok.status_code == 303
        page = client.get(ok.headers["location"])
        assert "Saved version 2. Re-scored 2 leads" in page.text and "stricter" in page.text
        assert "v2" in client.get("/leads/L-A").text


def test_capture_report_events_engagement_and_value_report_pages(world: str) -> None:
    with logged_in(world, ALICE) as client:
        token = csrf_of(client.get("/leads/new").text)
        r = client.post("/leads/new", data={"csrf": token, "company": "Walk-in Ltd",
                                            "source": "referral", "employees": "lots"})  # fmt: skip
        assert r.status_code == 422 and "Walk-in Ltd" in r.text
        r = client.post("/leads/new", data={"csrf": token, "company": "Walk-in Ltd",
                                            "source": "referral", "employees": "120"})  # fmt: skip
        assert r.status_code == 303 and "Walk-in Ltd" in client.get(r.headers["location"]).text
        assert "calibration-verdict" in client.get("/leads/report").text
        event = client.get("/events/EV-1").text
        assert "Erin Eng" in event and "Beta" not in event
        account = client.get("/accounts/ACME").text
        assert 'id="engagement"' in account and "Technical buyer" in account
        value = client.get("/reports/value/ACME", params={"period": "2026Q2"})
        assert value.status_code == 200 and "Value report · 2026Q2" in value.text
        pdf = client.get("/reports/value/ACME.pdf", params={"period": "2026Q2"})
        assert pdf.headers["content-type"] == "application/pdf"
        assert client.get("/reports/value/BETA").status_code == 404


@pytest.mark.browser
def test_a_salesperson_accepts_a_lead_in_a_browser(world: str) -> None:
    """In a real browser: the pages render under the Content Security Policy (inline SVG, our
    own style sheet, no inline style or script) and the hand-off works by clicking."""
    from playwright.sync_api import expect

    with browser_page() as page:
        refused: list[str] = []
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(f"{world}/leads")
        page.get_by_label("Email").fill(ALICE)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Leads", level=1)).to_be_visible()
        page.locator(".board-col.stage-sql").get_by_role("link", name="Acme Precision").click()
        expect(page.locator("#explained-total")).to_have_text("79")
        page.get_by_role("button", name="Accept lead").click()
        expect(page.locator(".stage-badge")).to_have_text("Opportunity")
        page.goto(f"{world}/leads/report")
        expect(page.locator("#calibration svg[role=img]")).to_be_visible()
        assert not refused, refused
