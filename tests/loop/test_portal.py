"""The customer portal over real HTTP: a signed link shows one account, nothing else; bad,
expired and other-purpose links fail with a friendly page; the CLI prints a working link."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import accord.db
from accord.cli.main import app
from accord.config import get_settings
from accord.loop.portal import PortalLinkError, portal_link, read_portal_token
from tests.loop.portal_world import ALICE, build
from tests.web.test_web_accounts import logged_in


def token_of(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[1]


@pytest.fixture
def world(live_server, engine: Engine, session: Session):  # type: ignore[no-untyped-def]
    numbers = build(session)
    client = httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10)
    yield client, numbers
    client.close()


def test_a_link_shows_its_account_tickets_deliveries_and_digest(world) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    token = token_of(portal_link("acme"))
    page = client.get(f"/portal/{token}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "Acme Precision" in html and numbers["done"] in html and numbers["open"] in html
    assert "A second carrier on the lane" in html  # shared prevention
    assert "Deliveries keep arriving late." in html and "Technical buyer" in html
    assert "3 days late" in html  # promised vs delivered
    assert "no-referrer" in page.headers["referrer-policy"]
    # Nothing internal, nothing of the other account, no alert tickets.
    for secret in ("internal.example", "Cobalt", numbers["other"], numbers["alert"],
                   "Veto holder", "High", "Urgent", "alice@"):  # fmt: skip
        assert secret not in html, secret
    detail = client.get(f"/portal/{token}/tickets/{numbers['done']}")
    assert detail.status_code == 200
    assert "Assigned to a specialist" in detail.text and "Resolved" in detail.text
    assert "dispatcher" not in detail.text and "internal" not in detail.text


def test_another_accounts_ticket_and_alert_tickets_read_as_missing(world) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    token = token_of(portal_link("acme"))
    for number in (numbers["other"], numbers["alert"], "AC-999999", "..%2f..%2fadmin"):
        page = client.get(f"/portal/{token}/tickets/{number}")
        assert page.status_code == 404, number
        assert "Cobalt" not in page.text and "Traceback" not in page.text
    # and Cobalt's own link does not open Acme's ticket
    cobalt = token_of(portal_link("cobalt"))
    assert client.get(f"/portal/{cobalt}/tickets/{numbers['done']}").status_code == 404
    assert "Acme" not in client.get(f"/portal/{cobalt}").text


def test_a_contact_link_shows_only_what_that_contact_raised(world) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    ingrid = token_of(portal_link("acme", contact_id="ingrid"))  # raised the late deliveries
    page = client.get(f"/portal/{ingrid}")
    assert page.status_code == 200
    assert "For Ingrid Holm" in page.text and numbers["done"] in page.text
    assert "Deliveries keep arriving late." in page.text
    assert numbers["open"] not in page.text  # the certificate ticket came from no feedback of hers
    assert client.get(f"/portal/{ingrid}/tickets/{numbers['done']}").status_code == 200
    assert client.get(f"/portal/{ingrid}/tickets/{numbers['open']}").status_code == 404
    paul = token_of(portal_link("acme", contact_id="paul"))
    html = client.get(f"/portal/{paul}").text
    assert "Happy with the new price list." in html
    assert numbers["done"] not in html and "Deliveries keep arriving late." not in html
    assert client.get(f"/portal/{paul}/tickets/{numbers['done']}").status_code == 404
    # a contact of another account, or one that does not exist, makes the link invalid
    for contact in ("nobody", "ingrid"):
        stray = token_of(
            portal_link("cobalt" if contact == "ingrid" else "acme", contact_id=contact)
        )
        refused = client.get(f"/portal/{stray}")
        assert refused.status_code == 403 and "Acme" not in refused.text


def test_tampered_expired_and_other_purpose_links_fail_cleanly(world) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    token = token_of(portal_link("acme"))
    body, _, sig = token.rpartition(".")
    tampered = body.replace(body[2], "A" if body[2] != "A" else "B", 1) + "." + sig
    forged = URLSafeTimedSerializer("x" * 40, salt="accord.portal.v1").dumps(
        {"account_id": "cobalt", "scope": "portal"}
    )
    other_purpose = URLSafeTimedSerializer(get_settings().secret_key, salt="accord.other").dumps(
        {"account_id": "acme", "scope": "portal"}
    )
    wrong_scope = URLSafeTimedSerializer(get_settings().secret_key, salt="accord.portal.v1").dumps(
        {"account_id": "acme", "scope": "admin"}
    )
    for bad in (tampered, forged, other_purpose, wrong_scope, "garbage"):
        for path in (f"/portal/{bad}", f"/portal/{bad}/tickets/{numbers['done']}"):
            page = client.get(path)
            assert page.status_code == 403, path
            assert "not valid" in page.text and "Acme Precision" not in page.text
            assert "Traceback" not in page.text


def days_later(monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    """Move itsdangerous's clock (the live server runs in this process, so it sees it too)."""
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: real(self) + int(days * 86400)
    )


def test_an_expired_link_answers_410(world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    month, week = token_of(portal_link("acme")), token_of(portal_link("acme", days=7))
    days_later(monkeypatch, 8)
    assert client.get(f"/portal/{month}").status_code == 200
    for path in (f"/portal/{week}", f"/portal/{week}/tickets/{numbers['done']}"):
        page = client.get(path)
        assert page.status_code == 410 and "expired" in page.text, path
        assert "Acme Precision" not in page.text and "Late deliveries" not in page.text
    days_later(monkeypatch, 31)
    assert client.get(f"/portal/{month}").status_code == 410


def test_read_portal_token_names_the_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_of(portal_link("acme", days=7, contact_id="ingrid"))
    scope = read_portal_token(token)
    assert (scope.account_id, scope.contact_id, scope.scope) == ("acme", "ingrid", "portal")
    with pytest.raises(PortalLinkError) as info:
        read_portal_token(token + "x")
    assert info.value.reason == "invalid"
    days_later(monkeypatch, 7.01)
    with pytest.raises(PortalLinkError) as info:
        read_portal_token(token)
    assert info.value.reason == "expired"


def test_a_staff_session_without_a_token_opens_nothing(world, live_server) -> None:  # type: ignore[no-untyped-def]
    _, numbers = world
    with logged_in(live_server.url, ALICE) as staff:
        assert staff.get("/portal").status_code == 404
        assert staff.get("/portal/").status_code == 404
        page = staff.get(f"/portal/x/tickets/{numbers['done']}")
        assert page.status_code == 403 and "Late deliveries" not in page.text


def test_the_cli_prints_a_link_that_opens_without_login(world, engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client, numbers = world
    monkeypatch.setattr(accord.db, "get_engine", lambda: engine)
    result = CliRunner().invoke(app, ["portal", "link", "acme", "--days", "3", "--contact", "paul"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(get_settings().base_url.rstrip("/") + "/portal/")
    page = client.get(urlparse(url).path)
    assert page.status_code == 200 and "For Paul Weber" in page.text
    assert "Happy with the new price list." in page.text  # his own words, nobody else's
    assert numbers["done"] not in page.text  # Ingrid's ticket
    assert read_portal_token(token_of(url)).contact_id == "paul"
    missing = CliRunner().invoke(app, ["portal", "link", "nope"])
    assert missing.exit_code == 1 and "not found" in missing.output
