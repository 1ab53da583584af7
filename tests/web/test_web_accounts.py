"""The account pages over real HTTP and in a real browser: who sees which accounts, search,
filters and pagination, and the account page with its village, journey and feedback."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy.orm import Session

from accord.accounts.models import InfluenceProfile
from accord.vocabulary import UserRole
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_feedback,
    make_fulfilment,
    make_opportunity,
    make_user,
)

ALICE = "alice@example.com"  # account manager of Acme and Borealis
BOB = "bob@example.com"  # account manager of Cobalt
CHARLIE = "charlie@example.com"  # viewer
if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"


def build_world(session: Session) -> None:
    """Three users and three accounts; Acme has a full village, journey and feedback stream."""
    make_user(session, ALICE, UserRole.account_manager)
    make_user(session, BOB, UserRole.account_manager)
    make_user(session, CHARLIE, UserRole.viewer)
    make_account(
        session, "acme", ALICE, name="Acme Precision", segment="large_enterprise",
        industry="aerospace", annual_value=1_240_000.0, renewal_date=date.today() + timedelta(200),
        purchase_type="precision_components", phase="continuous",
    )  # fmt: skip
    make_account(session, "borealis", ALICE, name="Borealis Foods", region="West")
    make_account(session, "cobalt", BOB, name="Cobalt Mining", region="East")
    session.add(
        InfluenceProfile(
            purchase_type="precision_components", phase="continuous", role="user", weight=0.3
        )
    )
    left = date(2025, 9, 30)
    village = [  # (id, name, role, fields)
        ("ingrid", "Ingrid Holm", "technical_buyer", {"influence": 0.9, "veto": True}),
        ("paul", "Paul Weber", "procurement", {"influence": 0.5}),
        ("ursula", "Ursula Kern", "user", {}),  # no recorded influence: the profile's 0.3
        ("dieter", "Dieter Lang", "economic_buyer", {"influence": 0.8, "active_to": left}),
    ]
    for contact_id, name, role, fields in village:
        make_contact(session, contact_id, "acme", name=name, role=role, title="Head", **fields)
    heard = [  # (id, contact, days before 1 June 2026, fields)
        ("fb-1", "ingrid", 2, {"nps": 3, "text": "Tolerances drifted again on the last batch."}),
        ("fb-2", "paul", 40, {"channel": "call", "nps": 9, "csat": 5, "price": 4}),
        ("fb-3", "dieter", 400, {"channel": "meeting", "nps": None}),
    ]
    texts = {"fb-2": "Happy with the new price list.", "fb-3": "Budget approved for next year."}
    for feedback_id, contact_id, days, fields in heard:
        at = datetime(2026, 6, 1, 9, 30) - timedelta(days=days)
        fields.setdefault("text", texts.get(feedback_id))
        make_feedback(session, feedback_id, "acme", contact_id=contact_id, occurred_at=at, **fields)
    make_opportunity(
        session, "op-1", "acme", kind="modified_rebuy", stage="evaluation", amount=380_000.0,
        opened_at=date(2026, 3, 2),
    )  # fmt: skip
    make_opportunity(
        session, "op-2", "acme", kind="renewal", stage="advocacy", amount=1_100_000.0,
        opened_at=date(2025, 1, 10), closed_at=date(2025, 3, 1), outcome="renewed",
    )  # fmt: skip
    # Delivered three days late yet reported on time, and one honest on-time delivery.
    may, april = datetime(2026, 5, 2), datetime(2026, 4, 2)
    make_fulfilment(session, "fu-late", "acme", promised_at=may, delivered_at=may + timedelta(3))
    make_fulfilment(session, "fu-ok", "acme", promised_at=april, delivered_at=april - timedelta(1))
    session.commit()  # the live server reads through its own connection


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match
    return match.group(1)


@contextmanager
def logged_in(base_url: str, email: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=10) as client:
        token = csrf_of(client.get("/login").text)
        data = {"email": email, "password": PASSWORD, "csrf": token}
        response = client.post("/login", data=data)
        assert response.status_code == 303, response.text
        yield client


@pytest.fixture
def world(live_server, engine, session: Session) -> str:  # type: ignore[no-untyped-def]
    build_world(session)
    return str(live_server.url)


def account_names(html: str) -> list[str]:
    return re.findall(r'class="row-link" href="[^"]+">([^<]+)</a>', html)


def stakeholder_card(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</li>", start)]


# --- HTTP ------------------------------------------------------------------------------------


def test_a_viewer_sees_every_account(world: str) -> None:
    with logged_in(world, CHARLIE) as client:
        page = client.get("/accounts")
        assert page.status_code == 200
        assert account_names(page.text) == ["Acme Precision", "Borealis Foods", "Cobalt Mining"]
        assert "1–3 of 3" in page.text
        assert "1,240,000" in page.text
        assert client.get("/accounts/cobalt").status_code == 200


def test_an_account_manager_sees_only_their_accounts(world: str) -> None:
    with logged_in(world, ALICE) as client:
        page = client.get("/accounts")
        assert account_names(page.text) == ["Acme Precision", "Borealis Foods"]
        assert "Cobalt" not in page.text
        other = client.get("/accounts/cobalt")
        assert other.status_code == 404
        assert "This account was not found" in other.text
        assert "Cobalt" not in other.text


def test_a_missing_account_is_a_404_page(world: str) -> None:
    with logged_in(world, CHARLIE) as client:
        response = client.get("/accounts/no-such-account")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]


def test_search_and_filters_narrow_the_list(world: str) -> None:
    with logged_in(world, CHARLIE) as client:

        def names(**params: str) -> list[str]:
            return account_names(client.get("/accounts", params=params).text)

        assert names(q="bore") == ["Borealis Foods"]
        assert names(segment="large_enterprise") == ["Acme Precision"]
        assert names(owner=BOB) == ["Cobalt Mining"]
        assert names(region="West") == ["Borealis Foods"]
        assert names(q="acme", owner=BOB) == []
        page = client.get("/accounts", params={"segment": "large_enterprise"}).text
        assert '<option value="large_enterprise" selected>Large enterprise</option>' in page
        assert "No accounts match" in client.get("/accounts", params={"q": "zzz"}).text


def test_the_list_pages_through_many_accounts(live_server, engine, session: Session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, CHARLIE, UserRole.viewer)
    for n in range(30):
        make_account(session, f"acc-{n:02d}", ALICE, name=f"Account {n:02d}")
    session.commit()
    with logged_in(live_server.url, CHARLIE) as client:
        first = client.get("/accounts").text
        assert "1–25 of 30" in first
        assert len(account_names(first)) == 25
        assert 'href="/accounts?offset=25" rel="next"' in first
        second = client.get("/accounts", params={"offset": "25"}).text
        assert "26–30 of 30" in second
        assert account_names(second)[0] == "Account 25"
        assert 'href="/accounts" rel="prev"' in second
        assert "1–25 of 30" in client.get("/accounts", params={"offset": "junk"}).text


def test_the_account_page_shows_village_journey_and_feedback(world: str) -> None:
    with logged_in(world, ALICE) as client:
        html = client.get("/accounts/acme").text
    assert '<h1 id="account-name">Acme Precision</h1>' in html
    assert "Precision components" in html and "Continuous" in html and "Aerospace" in html
    # The village: the veto holder, the departed CFO with the date, the profile's default weight.
    assert "badge-veto" in stakeholder_card(html, "Ingrid Holm")
    assert "badge-veto" not in stakeholder_card(html, "Paul Weber")
    assert "Departed 30 Sep 2025" in stakeholder_card(html, "Dieter Lang")
    ursula = stakeholder_card(html, "Ursula Kern")
    assert 'value="0.30"' in ursula and "tag-profile" in ursula
    assert "tag-profile" not in stakeholder_card(html, "Paul Weber")
    assert "Tolerances drifted again" in stakeholder_card(html, "Ingrid Holm")
    # Journey: both opportunities, and the late delivery reported as on time is flagged.
    assert "Modified re-buy" in html and "Renewed" in html and "380,000" in html
    assert html.count('class="is-beautified"') == 1
    assert "3 days late" in html
    # Feedback stream, newest first, with who said it.
    stream = html[html.index('id="feedback"') :]
    assert stream.index("Tolerances drifted") < stream.index("Happy with the new price list")
    assert stream.index("Happy with the new price list") < stream.index("Budget approved")
    assert "Paul Weber" in stream and "CSAT 5/5" in stream


def test_the_feedback_stream_pages_by_fifty(world: str, session: Session) -> None:
    for n in range(60):
        at = datetime(2024, 1, 1) - timedelta(days=n)
        make_feedback(session, f"bulk-{n:02d}", "acme", channel="note", occurred_at=at)
    session.commit()
    with logged_in(world, ALICE) as client:
        first = client.get("/accounts/acme").text
        assert "1–50 of 63" in first
        assert 'href="/accounts/acme?feedback_offset=50#feedback"' in first
        older = client.get("/accounts/acme", params={"feedback_offset": "50"}).text
        assert "51–63 of 63" in older
        stream = older[older.index('id="feedback"') :]
        assert "Budget approved" not in stream and "Tolerances drifted" not in stream
        assert 'href="/accounts/acme#feedback" rel="prev"' in older


# --- browser ---------------------------------------------------------------------------------

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A page of headless Chromium (skipped, or failed under ACCORD_REQUIRE_BROWSER=1, when
    the browser is missing), closed afterwards."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def _require_chromium() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("ACCORD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and ACCORD_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")


@pytest.mark.browser
def test_a_user_finds_an_account_and_reads_its_village_in_a_browser(world: str) -> None:
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{world}/accounts")
        expect(page).to_have_url(re.compile(r"/login\?next=%2Faccounts$"))
        page.get_by_label("Email").fill(CHARLIE)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()

        page.get_by_label("Search by name").fill("acme")
        page.get_by_role("button", name="Apply").click()
        expect(page.locator("table tbody tr")).to_have_count(1)
        page.get_by_role("link", name="Acme Precision").click()

        expect(page.get_by_role("heading", name="Acme Precision", level=1)).to_be_visible()
        village = page.locator("#village")
        ingrid = village.locator("li.person", has_text="Ingrid Holm")
        expect(ingrid.locator(".badge-veto")).to_have_text("Veto")
        dieter = village.locator("li.person", has_text="Dieter Lang")
        expect(dieter).to_have_class(re.compile(r"\bis-inactive\b"))
        expect(dieter.locator(".badge-departed")).to_contain_text("Departed 30 Sep 2025")
        expect(page.locator("#opportunities tbody tr")).to_have_count(2)
        expect(page.locator("#fulfilments tr.is-beautified")).to_have_count(1)
        expect(page.locator("#feedback .stream-item")).to_have_count(3)
        expect(page.locator("#feedback .stream-item").first).to_contain_text("Ingrid Holm")

        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/login$"))
