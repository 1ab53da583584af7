"""Done when (issue #4): a demo survey is loaded, the sampling planner invites the village, the
invitations are emailed to a local SMTP server, the link is read from the received email, the
survey is answered in headless Chromium, and the answer shows as feedback on the account page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.listening import surveys
from accord.listening.invitations import planned_invitations, send_invitations
from accord.listening.sampling_service import plan_survey
from accord.vocabulary import UserRole
from tests.factories import PASSWORD, make_user
from tests.listening.survey_builders import (
    RELATIONSHIP,
    make_village,
    now,
    smtp_server,
    smtp_settings,
)
from tests.web.test_web_accounts import browser_page

COMMENT = "Deliveries slipped twice this spring; please warn us earlier."


@pytest.mark.browser
def test_a_stakeholder_answers_an_emailed_survey_and_the_account_team_sees_it(
    live_server, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    make_user(session, "alice@example.com", UserRole.account_manager)
    make_village(session)
    shipped = surveys.shipped_definitions()["relationship.yaml"]
    survey, created = surveys.load_text(session, OPERATOR, shipped)
    assert created and survey.id == RELATIONSHIP
    plan = plan_survey(session, OPERATOR, RELATIONSHIP, now(), dry_run=False)
    assert plan.created >= 2
    with smtp_server() as (inbox, port):
        todo = planned_invitations(session, RELATIONSHIP)
        report = send_invitations(
            session, todo, now(), smtp_settings(port, base_url=live_server.url)
        )
        session.commit()
    assert len(report.sent) == plan.created and not report.failed
    [mail] = [m for m in inbox.messages if m["To"] == "petra@nordwerk.example"]
    [link] = re.findall(r"http://\S+/s/\S+", mail.get_content())

    with browser_page(390, 844) as page:  # a phone
        page.goto(link)
        expect(
            page.get_by_role("heading", name="Relationship survey 2026", level=1)
        ).to_be_visible()
        nps = page.get_by_role("group", name=re.compile("as a supplier to other buyers"))
        box = page.locator("label[for$='-9']").first.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44  # tap target
        nps.get_by_text("9", exact=True).click()
        expect(nps.get_by_role("radio", name="9")).to_be_checked()
        for question, score in (("product", 4), ("price", 3), ("fulfilment", 2), ("ease", 4),
                                ("presence", 4), ("trust", 5)):  # fmt: skip
            page.locator(f"label[for='q-{question}-{score}']").click()
        page.get_by_label("What is the one thing we should change?").fill(COMMENT)
        page.get_by_role("button", name="Send my answers").click()
        expect(
            page.get_by_role("heading", name="Thank you — your answers are saved.")
        ).to_be_visible()
        page.goto(link)  # single use
        expect(page.get_by_role("heading", name=re.compile("already answered"))).to_be_visible()

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/ACC-1")
        page.get_by_label("Email").fill("alice@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Nordwerk GmbH", level=1)).to_be_visible()
        item = page.locator("#feedback .stream-item", has_text=COMMENT)
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Petra Procurement")
