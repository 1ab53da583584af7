"""Quick notes: the API, the form over real HTTP, and in a real browser — logged in seconds and
seen on the account page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.listening.models import Feedback
from tests.factories import PASSWORD
from tests.personas import World, build_world
from tests.web.test_web_accounts import browser_page, logged_in


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def notes(session: Session) -> list[Feedback]:
    session.rollback()
    return list(session.scalars(select(Feedback).where(Feedback.id.like("note-%"))))


def test_the_api_logs_a_note_with_defaults(http, world, session) -> None:  # type: ignore[no-untyped-def]
    body = {"text": "  Procurement wants quarterly price reviews.  ", "contact_id": "CON-A"}
    r = http.post("/api/accounts/ACC-A/notes", json=body, headers=world.auth("alice"))
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["id"].startswith("note-") and got["channel"] == "note"
    assert (got["account_id"], got["contact_id"]) == ("ACC-A", "CON-A")
    assert got["text"] == "Procurement wants quarterly price reviews."
    [stored] = notes(session)
    assert stored.id == got["id"]


def test_the_api_refuses_bad_notes_and_stores_nothing(http, world, session) -> None:  # type: ignore[no-untyped-def]
    h = world.auth("alice")
    cases = [
        ({"text": ""}, "text"),
        ({"text": "x", "channel": "survey"}, "channel"),
        ({"text": "x", "contact_id": "CON-B"}, "contact_id: 'CON-B' is not a contact of account"),
        ({"text": "x", "mood": "sunny"}, "mood"),
    ]
    for body, expected in cases:
        r = http.post("/api/accounts/ACC-A/notes", json=body, headers=h)
        assert r.status_code == 422, r.text
        assert expected in r.text
    assert notes(session) == []


def test_the_form_logs_a_note_and_the_account_page_shows_it(live_server, world, session) -> None:  # type: ignore[no-untyped-def]
    with logged_in(live_server.url, "alice@example.com") as client:
        page = client.get("/accounts/ACC-A")
        assert 'href="/accounts/ACC-A/notes/new"' in page.text
        form = client.get("/accounts/ACC-A/notes/new")
        assert form.status_code == 200
        assert '<option value="note" selected>' in form.text
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        bad = client.post("/accounts/ACC-A/notes", data={"csrf": token, "text": "  "})
        assert bad.status_code == 422 and "What they said" in bad.text
        forged = client.post("/accounts/ACC-A/notes", data={"csrf": "x", "text": "hi"})
        assert forged.status_code == 403
        data = {"csrf": token, "text": "Loves the new portal.", "contact_id": "CON-A",
                "channel": "call", "occurred_at": "2026-05-04T10:15"}  # fmt: skip
        done = client.post("/accounts/ACC-A/notes", data=data)
        assert done.status_code == 303
        assert done.headers["location"] == "/accounts/ACC-A#feedback"
        assert "Loves the new portal." in client.get("/accounts/ACC-A").text
        assert client.get("/accounts/ACC-B/notes/new").status_code == 404
    [note] = notes(session)
    assert (note.channel, note.contact_id, note.occurred_at.isoformat()) == (
        "call", "CON-A", "2026-05-04T10:15:00",
    )  # fmt: skip


def test_a_viewer_gets_no_form(live_server, world) -> None:  # type: ignore[no-untyped-def]
    with logged_in(live_server.url, "charlie@example.com") as client:
        assert "Log what they said" not in client.get("/accounts/ACC-A").text
        assert client.get("/accounts/ACC-A/notes/new").status_code == 403


@pytest.mark.browser
def test_a_note_is_logged_in_a_browser_in_seconds(live_server, world) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{live_server.url}/accounts/ACC-A")
        page.get_by_label("Email").fill("alice@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Log what they said").click()
        text = page.get_by_label("What they said")
        expect(text).to_be_focused()
        page.get_by_label("Who said it").select_option("CON-A")
        page.get_by_label("Heard on").select_option("meeting")
        text.fill("Quality team is worried about the new supplier audit.")
        text.press("Control+Enter")  # saves without reaching for the mouse
        expect(page).to_have_url(re.compile(r"/accounts/ACC-A#feedback$"))
        item = page.locator("#feedback .stream-item", has_text="supplier audit")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Meeting")
