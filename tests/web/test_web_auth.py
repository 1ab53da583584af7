"""Logging in and out of the web UI, over real HTTP: CSRF on the login form, the message on a
wrong password, the redirect to the login page, and no open redirect through ``next``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session

from accord.vocabulary import UserRole
from tests.factories import PASSWORD, make_user

CAROL = "carol@example.com"  # cx manager


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def post_login(
    client: httpx.Client, email: str, password: str, next_url: str = ""
) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    data = {"email": email, "password": password, "csrf": token, "next": next_url}
    return client.post("/login", data=data)


@pytest.fixture
def carol(session: Session) -> str:
    make_user(session, CAROL, UserRole.cx_manager)
    session.commit()  # the live server reads through its own connection
    return CAROL


@pytest.fixture
def client(live_server, engine) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10) as c:
        yield c


def test_login_page_renders_a_form_with_csrf(client: httpx.Client) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert '<label for="email">Email</label>' in response.text
    assert '<label for="password">Password</label>' in response.text
    assert csrf_of(response.text)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_it_redirects_to_login_when_not_logged_in(client: httpx.Client) -> None:
    for path, target in (
        ("/accounts", "%2Faccounts"),
        ("/accounts/ACC-1", "%2Faccounts%2FACC-1"),
        ("/accounts?segment=mid_market", "%2Faccounts%3Fsegment%3Dmid_market"),
    ):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={target}"


def test_root_goes_to_accounts(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/accounts"


def test_it_refuses_a_wrong_password_with_a_message(client: httpx.Client, carol: str) -> None:
    response = post_login(client, carol, "not-the-password")
    assert response.status_code == 400
    assert "Wrong email or password." in response.text
    assert f'value="{carol}"' in response.text  # the email is kept for a retry
    assert client.get("/accounts").status_code == 303


def test_it_refuses_an_unknown_email_the_same_way(client: httpx.Client, carol: str) -> None:
    response = post_login(client, "mallory@example.com", PASSWORD)
    assert response.status_code == 400
    assert "Wrong email or password." in response.text


@pytest.mark.parametrize("token", ["", "forged-token"])
def test_it_refuses_a_login_without_the_right_csrf_token(
    client: httpx.Client, carol: str, token: str
) -> None:
    client.get("/login")  # a session with a real token exists; the form does not echo it
    response = client.post("/login", data={"email": carol, "password": PASSWORD, "csrf": token})
    assert response.status_code == 403
    assert "This form expired" in response.text
    assert client.get("/accounts").status_code == 303


def test_it_refuses_a_login_from_a_client_without_a_session(
    client: httpx.Client, carol: str
) -> None:
    # No session cookie means no token to compare with: an empty field must not match it.
    response = client.post("/login", data={"email": carol, "password": PASSWORD, "csrf": ""})
    assert response.status_code == 403
    assert client.get("/accounts").status_code == 303


def test_login_opens_the_accounts_page_with_a_fresh_session(
    client: httpx.Client, carol: str
) -> None:
    login_token = csrf_of(client.get("/login").text)
    before = client.cookies.get("accord_session")
    response = post_login(client, "Carol@Example.com", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/accounts"
    assert client.cookies.get("accord_session") != before
    page = client.get("/accounts")
    assert page.status_code == 200
    assert carol in page.text
    assert "CX manager" in page.text
    assert csrf_of(page.text) != login_token  # the pre-login token is gone


def test_login_follows_a_local_next(client: httpx.Client, carol: str) -> None:
    response = post_login(client, carol, PASSWORD, next_url="/accounts/ACC-1?x=1")
    assert response.headers["location"] == "/accounts/ACC-1?x=1"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/", "/\\evil.example", "evil.example", "/\t/evil"],
)
def test_login_refuses_an_open_redirect(client: httpx.Client, carol: str, target: str) -> None:
    assert f'value="{target}"' not in client.get("/login", params={"next": target}).text
    response = post_login(client, carol, PASSWORD, next_url=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/accounts"


def test_logout_needs_the_csrf_token_and_ends_the_session(client: httpx.Client, carol: str) -> None:
    post_login(client, carol, PASSWORD)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/accounts").status_code == 200
    token = csrf_of(client.get("/accounts").text)
    response = client.post("/logout", data={"csrf": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/accounts").status_code == 303


def test_an_unknown_page_is_a_friendly_404_but_the_api_stays_json(client: httpx.Client) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "was not found" in page.text
    api = client.get("/api/no-such-endpoint")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}


def test_api_calls_riding_on_the_session_cookie_need_the_csrf_header(
    client: httpx.Client, carol: str, session: Session
) -> None:
    from tests.factories import make_account

    make_account(session, "ACC-1", region="North")
    session.commit()
    assert post_login(client, carol, PASSWORD).status_code == 303
    assert client.get("/api/accounts/ACC-1").status_code == 200  # reading needs no token
    change = {"region": "South"}
    assert client.patch("/api/accounts/ACC-1", json=change).status_code == 403
    bad = client.patch("/api/accounts/ACC-1", json=change, headers={"X-CSRF-Token": "guess"})
    assert bad.status_code == 403
    token = csrf_of(client.get("/accounts").text)  # the page carries the session's token
    ok = client.patch("/api/accounts/ACC-1", json=change, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200
    assert ok.json()["region"] == "South"


def test_a_team_member_starts_on_the_ticket_board_and_sees_only_tickets_in_the_nav(
    client: httpx.Client, session: Session
) -> None:
    make_user(session, "tess@example.com", UserRole.team_member, team="support")
    session.commit()
    response = post_login(client, "tess@example.com", PASSWORD)
    assert response.headers["location"] == "/tickets"
    nav = re.search(r"<nav.*?</nav>", client.get("/tickets").text, re.S)
    assert nav is not None
    assert 'href="/tickets"' in nav.group(0)
    for staff_page in ("/accounts", "/insights", "/leads", "/surveys", "/events"):
        assert f'href="{staff_page}"' not in nav.group(0)
