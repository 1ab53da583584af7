"""The loop's pages in a real browser (one browser for the module): a cx manager filters the
board, works a ticket from new to resolved with root cause and prevention and reads its history,
edits a routing rule and dry-runs it, and finds the ticket on the account page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop import tickets
from tests.factories import PASSWORD
from tests.loop.builders import MONDAY, make_rules
from tests.personas import build_world
from tests.web.test_web_accounts import browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def base(live_server, session: Session) -> str:  # type: ignore[no-untyped-def]
    build_world(session)
    for acc, team in (("ACC-A", "support"), ("ACC-B", "logistics")):
        tickets.open_ticket(session, OPERATOR, account_id=acc, title=f"Late delivery at {acc}",
                            team=team, priority="high", now=MONDAY,
                            feedback_ids=(f"FB-{acc[-1]}",))  # fmt: skip
    make_rules(session)
    session.commit()
    return str(live_server.url)


def test_a_cx_manager_works_the_loop_in_a_browser(base: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{base}/tickets")
        page.get_by_label("Email").fill("carol@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Tickets", level=1)).to_be_visible()
        expect(page.locator("#tickets tbody tr")).to_have_count(2)

        page.get_by_label("Team").select_option("support")
        page.get_by_role("button", name="Apply").click()
        expect(page.locator("#tickets tbody tr")).to_have_count(1)
        page.get_by_role("link", name="AC-000001").click()

        expect(page.get_by_role("heading", name="Late delivery at ACC-A")).to_be_visible()
        expect(page.locator("#ticket-status")).to_have_text("New")
        page.get_by_label("Assignee email").fill("sam@example.com")
        page.get_by_role("button", name="Assign").click()
        expect(page.locator("#ticket-status")).to_have_text("Assigned")
        page.get_by_label("Move to").select_option("in_progress")
        page.get_by_label("Note (optional)").fill("Calling the carrier")
        page.get_by_role("button", name="Move").click()
        expect(page.locator("#ticket-status")).to_have_text("In progress")
        page.get_by_label("Move to").select_option("waiting_on_customer")
        page.get_by_role("button", name="Move").click()
        expect(page.locator("#ticket-status")).to_have_text("Waiting on customer")

        page.get_by_label("Root cause", exact=True).select_option("logistics")
        page.get_by_label("Preventive action").fill("Book a backup carrier for peak weeks")
        page.get_by_label("Due date").fill("2026-12-31")
        page.get_by_label("Share root cause and prevention with the customer").check()
        page.get_by_role("button", name="Resolve").click()
        expect(page.locator("#ticket-status")).to_have_text("Resolved")
        expect(page.locator("#action-prevention")).to_have_text(
            "Book a backup carrier for peak weeks"
        )
        history = page.locator("#history li")
        expect(history).to_have_count(7)  # created, linked, assigned, 2 moves, resolved, action
        expect(page.locator("#history")).to_contain_text("Calling the carrier")

        page.get_by_label("Move to").select_option("in_progress")  # reopen
        page.get_by_role("button", name="Move").click()
        expect(page.locator("#ticket-status")).to_have_text("In progress")
        expect(page.locator("#history")).to_contain_text("Reopened (was resolved)")

        # The routing rules: edit one, then dry-run a feedback item against the rules.
        page.goto(f"{base}/tickets/rules")
        page.get_by_role("link", name="Edit Anything negative").click()
        page.get_by_label("Name", exact=True).fill("Anything negative from procurement")
        page.get_by_label("Procurement").check()
        page.get_by_role("button", name="Save rule").click()
        expect(page.locator("#rules")).to_contain_text("Anything negative from procurement")
        expect(page.locator("#rules")).to_contain_text("speaker role in procurement")
        page.get_by_label("Feedback id").fill("FB-A")
        page.get_by_role("button", name="Test").click()
        expect(page.locator("#dry-verdict")).to_contain_text("No rule fires")
        expect(page.locator("#dry-result")).to_contain_text("speaker role is technical_buyer")

        page.goto(f"{base}/accounts/ACC-A")
        open_tickets = page.locator("#account-tickets")
        expect(open_tickets.get_by_role("link", name="AC-000001")).to_be_visible()
        expect(open_tickets).to_contain_text("In progress")
        expect(page.locator("#account-actions")).to_contain_text("backup carrier")
