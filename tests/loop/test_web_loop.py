"""The loop's pages over real HTTP, per role: the ticket board and its filters, the ticket page
and its forms, the routing rules editor with its dry run, and the account page's open tickets.
Account managers see only their accounts' tickets, team members only their team's, viewers
read and never act; a refused form changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop import actions, tickets
from accord.loop.models import RoutingRule, Ticket
from tests.loop.builders import MONDAY, make_rules
from tests.personas import PEOPLE, build_world
from tests.web.test_web_accounts import csrf_of, logged_in

PERSONAS = ("alice", "bob", "charlie", "carol", "ada", "tess")
T1, T2, T3, T4 = "AC-000001", "AC-000002", "AC-000003", "AC-000004"
# T1 Alice's support ticket on FB-A; T2 Bob's logistics ticket; T3 Bob's support ticket, opened
# now (on track); T4 Alice's quality ticket, resolved with a preventive action.
VISIBLE = {
    "alice": {T1, T4}, "bob": {T2, T3}, "charlie": {T1, T2, T3, T4}, "carol": {T1, T2, T3, T4},
    "ada": {T1, T2, T3, T4}, "tess": {T1, T3},
}  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture
def base(live_server, session: Session) -> str:  # type: ignore[no-untyped-def]
    build_world(session)
    opened = [("ACC-A", "support", "urgent", MONDAY, ("FB-A",)),
              ("ACC-B", "logistics", "high", MONDAY, ()),
              ("ACC-B", "support", "normal", _now(), ()),
              ("ACC-A", "quality", "low", MONDAY, ())]  # fmt: skip
    for acc, team, prio, at, fbs in opened:
        tickets.open_ticket(session, OPERATOR, account_id=acc, title=f"{team} issue at {acc}",
                            team=team, priority=prio, now=at, feedback_ids=fbs)  # fmt: skip
    t4 = session.get(Ticket, T4)
    assert t4 is not None
    tickets.transition(session, OPERATOR, t4, "in_progress", MONDAY)
    actions.resolve(
        session, OPERATOR, t4, root_cause="process_gap", prevention="Add a check",
        owner_email="alice@example.com", due_date=MONDAY.date(), now=MONDAY,
    )  # fmt: skip
    make_rules(session)
    session.commit()
    return str(live_server.url)


def numbers(html: str) -> set[str]:
    return set(re.findall(r'<tr data-ticket="([^"]+)"', html))


def login(base: str, persona: str):  # type: ignore[no-untyped-def]
    return logged_in(base, PEOPLE[persona][0])


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_sees_its_tickets_on_the_board_and_their_pages(base: str, persona: str) -> None:
    with login(base, persona) as web:
        board = web.get("/tickets", params={"status": "all"})
        assert board.status_code == 200
        assert numbers(board.text) == VISIBLE[persona]
        for number in (T1, T2, T3, T4):
            page = web.get(f"/tickets/{number}")
            assert page.status_code == (200 if number in VISIBLE[persona] else 404), number
        assert web.get("/tickets/rules").status_code == 200


def test_the_board_filters_counts_and_orders_by_urgency(base: str) -> None:
    with login(base, "carol") as web:
        html = web.get("/tickets").text  # open tickets by default
        assert numbers(html) == {T1, T2, T3}
        order = re.findall(r'<tr data-ticket="([^"]+)"', html)
        assert order == [T1, T2, T3]  # breached urgent, breached high, then on track
        assert re.search(r'data-status="resolved"[^>]*>Resolved <strong>1</strong>', html)
        assert re.search(r'data-status="new"[^>]*>New <strong>3</strong>', html)
        assert numbers(web.get("/tickets", params={"team": "support"}).text) == {T1, T3}
        assert numbers(web.get("/tickets", params={"sla": "on_track"}).text) == {T3}
        assert numbers(web.get("/tickets", params={"sla": "breached"}).text) == {T1, T2}
        assert numbers(web.get("/tickets", params={"priority": "high"}).text) == {T2}
        assert numbers(web.get("/tickets", params={"account": "ACC-A"}).text) == {T1}
        assert numbers(web.get("/tickets", params={"status": "resolved"}).text) == {T4}
        junk = web.get("/tickets", params={"team": "nope", "sla": "x", "status": "y"})
        assert numbers(junk.text) == {T1, T2, T3}


def test_the_ticket_page_shows_feedback_speaker_clocks_and_history(base: str) -> None:
    with login(base, "alice") as web:
        html = web.get(f"/tickets/{T1}").text
        assert "Alice Industries" in html
        assert "Technical buyer" in html and "badge-veto" in html  # the speaker holds a veto
        assert "First response" in html and "Overdue" in html
        assert "Opened for support at urgent priority" in html
        assert 'action="/tickets/AC-000001/resolve"' not in html  # a new ticket cannot resolve


def test_an_owner_works_a_ticket_through_the_forms(base: str) -> None:
    with login(base, "alice") as web:
        token = csrf_of(web.get(f"/tickets/{T1}").text)
        bad = web.post(
            f"/tickets/{T1}/status", data={"csrf": token, "status": "waiting_on_customer"}
        )
        assert bad.status_code == 422
        allowed = "allowed: assigned, in_progress, closed"
        assert f"a new ticket cannot move to waiting_on_customer; {allowed}" in bad.text
        steps = [("assign", {"assignee_email": "sam@example.com"}),
                 ("status", {"status": "in_progress", "note": "on it"}),
                 ("comment", {"text": "Called the plant."}),
                 ("resolve", {"root_cause": "supplier", "prevention": "Second supplier",
                              "owner_email": "sam@example.com", "due_date": "2026-12-31",
                              "shared_with_customer": "yes"})]  # fmt: skip
        for path, data in steps:
            r = web.post(f"/tickets/{T1}/{path}", data={"csrf": token, **data})
            assert r.status_code == 303, (path, r.text[:2000])
        html = web.get(f"/tickets/{T1}").text
        assert 'id="ticket-status">Resolved<' in html
        assert "Second supplier" in html and "shared with the customer" in html
        for words in ("Assigned to sam@example.com", "Moved from assigned to in progress",
                      "Called the plant.", "Resolved; root cause supplier"):  # fmt: skip
            assert words in html
        missing = web.post(f"/tickets/{T1}/link", data={"csrf": token, "feedback_id": "FB-B"})
        assert missing.status_code == 404 and "not found on account ACC-A" in missing.text
        expired = web.post(f"/tickets/{T1}/comment", data={"csrf": "wrong", "text": "x"})
        assert expired.status_code == 403


@pytest.mark.parametrize(("persona", "code"), [("charlie", 403), ("bob", 404), ("tess", 404)])
def test_others_cannot_act_on_alices_tickets(base: str, session: Session, persona, code) -> None:  # type: ignore[no-untyped-def]
    with login(base, persona) as web:
        token = csrf_of(web.get("/tickets").text)
        if persona == "charlie":
            assert 'action="/tickets/AC-000001/status"' not in web.get(f"/tickets/{T1}").text
        for path, data in (("status", {"status": "in_progress"}), ("comment", {"text": "x"}),
                           ("assign", {"assignee_email": "x@example.com"})):  # fmt: skip
            r = web.post(f"/tickets/{T4 if persona == 'tess' else T1}/{path}",
                         data={"csrf": token, **data})  # fmt: skip
            assert r.status_code == code, (path, r.status_code)
    session.rollback()
    t1 = session.get(Ticket, T1)
    assert t1 is not None and (t1.status, t1.assignee_email) == ("new", None)


def test_a_team_member_acts_on_their_teams_tickets_and_sees_no_account(base: str) -> None:
    with login(base, "tess") as web:
        token = csrf_of(web.get(f"/tickets/{T3}").text)
        r = web.post(f"/tickets/{T3}/status", data={"csrf": token, "status": "in_progress"})
        assert r.status_code == 303
        assert 'id="ticket-status">In progress<' in web.get(f"/tickets/{T3}").text
        assert web.get("/accounts/ACC-B").status_code == 404
        assert "Bob Industries" not in web.get("/accounts").text
        assert numbers(web.get("/tickets", params={"team": "logistics"}).text) == set()


def test_the_rules_editor_is_for_managers_and_the_dry_run_for_all(
    base: str, session: Session
) -> None:
    with login(base, "charlie") as web:
        html = web.get("/tickets/rules", params={"feedback": "FB-A"}).text
        assert "Anything negative" in html and 'action="/tickets/rules"' not in html
        assert 'id="dry-verdict"' in html
        r = web.post("/tickets/rules", data={"csrf": csrf_of(html), "name": "x", "team": "rnd",
                                             "priority": "low"})  # fmt: skip
        assert r.status_code == 403
    with login(base, "carol") as web:
        html = web.get("/tickets/rules").text
        token = csrf_of(html)
        r = web.post("/tickets/rules", data={
            "csrf": token, "name": "Big accounts on price", "position": "5", "team": "finance",
            "priority": "high", "drivers": "price", "min_annual_value": "100000",
            "enabled": "yes"})  # fmt: skip
        assert r.status_code == 303, r.text[:1500]
        data = {"csrf": token, "name": "n", "team": "finance", "priority": "high",
                "sentiment_below": "low"}  # fmt: skip
        bad = web.post("/tickets/rules", data=data)
        assert bad.status_code == 422 and "not a number" in bad.text
        session.rollback()
        rule = session.query(RoutingRule).filter_by(name="Big accounts on price").one()
        assert rule.conditions == {"drivers": ["price"], "min_annual_value": 100000.0}
        r = web.post(f"/tickets/rules/{rule.id}/move", data={"csrf": token, "to": "down"})
        assert r.status_code == 303
        names = re.findall(r'<tr data-rule="\d+"[^>]*>\s*<td class="num">\d+</td>\s*<td>([^<]+)<',
                           web.get("/tickets/rules").text)  # fmt: skip
        assert names[:2] == ["Veto holder complains about the product", "Big accounts on price"]
        r = web.post(f"/tickets/rules/{rule.id}/delete", data={"csrf": token})
        assert r.status_code == 303
        assert "Big accounts on price" not in web.get("/tickets/rules").text


def test_the_account_page_lists_open_tickets_and_actions(base: str) -> None:
    with login(base, "alice") as web:
        html = web.get("/accounts/ACC-A").text
        section = html[html.index('id="loop"') :]
        assert f'href="/tickets/{T1}"' in section and "Breached" in section
        assert "Add a check" in section and "overdue" in section  # T4's open action
    with login(base, "bob") as web:
        assert web.get("/accounts/ACC-A").status_code == 404


def test_you_said_we_did_email_preview_and_send_per_role(base: str, session: Session) -> None:
    from accord.accounts.models import Contact

    contact = session.get(Contact, "CON-A")
    assert contact is not None
    contact.email = "con-a@example.com"
    session.commit()
    url = "/accounts/ACC-A/you-said-we-did/email"
    with login(base, "alice") as web:
        assert (
            'href="/accounts/ACC-A/you-said-we-did/email'
            in web.get("/accounts/ACC-A/you-said-we-did").text
        )
        page = web.get(url, params={"days": "30"})
        assert page.status_code == 200
        assert "You said, we did: Alice Industries, last 30 days" in page.text
        assert 'name="to" value="CON-A"' in page.text
        off = web.post(url, data={"csrf": csrf_of(page.text), "to": "CON-A", "days": "30"})
        assert off.status_code == 422 and "email is off" in off.text  # no SMTP host in tests
    with login(base, "charlie") as web:
        page = web.get(url)
        assert page.status_code == 200 and 'name="to"' not in page.text
        denied = web.post(url, data={"csrf": csrf_of(page.text), "to": "CON-A"})
        assert denied.status_code == 403
    for persona in ("bob", "tess"):
        with login(base, persona) as web:
            assert web.get(url).status_code == 404
