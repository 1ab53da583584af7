"""The public survey page ``/s/{token}`` over real HTTP: worded for the contact's role, plain
accessible HTML under the strict CSP, answers stored once (double POST, ten concurrent POSTs),
and a clear page — never a traceback — for expired, used, tampered and closed links, unknown
questions and answers off their scale, which store nothing."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accord.auth.models import AuditEntry
from accord.listening.invitations import survey_token
from accord.listening.models import Feedback, Invitation, Survey, SurveyResponse
from accord.listening.survey_response import Opened, open_invitation, submit
from tests.listening.survey_builders import FULL_ANSWERS, now, token, world


@pytest.fixture
def invs(session: Session) -> dict[str, Invitation]:
    return world(session)


def fresh(session: Session) -> Session:
    """The test session, reading what the server committed since."""
    session.rollback()
    session.expire_all()
    return session


def stored(session: Session) -> tuple[int, int]:
    fresh(session)
    feedback = session.scalar(select(func.count()).select_from(Feedback)) or 0
    responses = session.scalar(select(func.count()).select_from(SurveyResponse)) or 0
    return feedback, responses


def test_the_form_is_worded_for_the_contacts_role(http, invs) -> None:  # type: ignore[no-untyped-def]
    to_buyer = http.get(f"/s/{token(invs['P'])}")
    to_user = http.get(f"/s/{token(invs['U'])}")
    assert to_buyer.status_code == to_user.status_code == 200
    assert "recommend Accord Demo Supplies as a supplier to other buyers" in to_buyer.text
    assert "recommend Accord Demo Supplies&#39;s products to a colleague" in to_user.text
    assert "as a supplier to other buyers" not in to_user.text
    assert "How competitive are our prices" in to_buyer.text
    assert "How fair is the price" in to_user.text


def test_the_form_is_accessible_plain_html(http, invs) -> None:  # type: ignore[no-untyped-def]
    r = http.get(f"/s/{token(invs['P'])}")
    html = r.text
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count("<fieldset") == 8 and html.count("<legend") == 8
    assert html.count('type="radio"') == 11 + 6 * 5
    for m in re.finditer(r'<input type="radio"[^>]* id="([^"]+)"', html):
        assert f'<label for="{m.group(1)}">' in html
    assert '<label for="q-comment-text">' in html and 'id="q-comment-text"' in html
    assert '<form method="post" class="survey-form"' in html  # posts to its own URL
    assert token(invs["P"]) not in html  # the same blank form for every contact of a role
    assert "<script" not in html and "style=" not in html and "<style" not in html
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers  # no session for the public page
    assert http.get("/static/survey.css").status_code == 200


def test_answers_are_stored_as_feedback_of_the_contact(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    inv = invs["P"]
    r = http.post(f"/s/{token(inv)}", data=FULL_ANSWERS)
    assert r.status_code == 200 and "your answers are saved" in r.text
    fresh(session)
    fb = session.get(Feedback, f"svy-{inv.id}")
    assert fb is not None
    assert (fb.channel, fb.account_id, fb.contact_id, fb.fulfilment_id) == (
        "survey", "ACC-1", "CON-P", None)  # fmt: skip
    assert (fb.nps, fb.product, fb.price, fb.fulfilment, fb.ease, fb.presence, fb.trust) == (
        9, 4, 3, 2, 4, 5, 5)  # fmt: skip
    assert fb.text == "Deliveries were late twice in March." and fb.csat is None
    resp = session.scalar(select(SurveyResponse))
    assert resp.invitation_id == inv.id and resp.feedback_id == fb.id
    assert resp.answers["nps"] == 9 and resp.answers["comment"].startswith("Deliveries")
    row = session.get(Invitation, inv.id)
    assert row.status == "responded" and row.responded_at is not None
    audit = session.scalar(select(AuditEntry).where(AuditEntry.entity_id == fb.id))
    assert audit.actor == f"survey-link:{inv.id}"


def test_a_scenario_answer_is_filed_against_its_fulfilment(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    inv = invs["S"]
    page = http.get(f"/s/{token(inv)}")
    assert "as the person who received and used it" in page.text  # user wording
    r = http.post(f"/s/{token(inv)}", data={"csat": "2"})  # the text is optional
    assert r.status_code == 200
    fresh(session)
    fb = session.get(Feedback, f"svy-{inv.id}")
    assert (fb.channel, fb.csat, fb.fulfilment_id, fb.text) == ("scenario", 2, "FUL-1", None)


def test_a_double_post_stores_once_and_thanks_again(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    url = f"/s/{token(invs['U'])}"
    first = http.post(url, data=FULL_ANSWERS)
    second = http.post(url, data={**FULL_ANSWERS, "nps": "0"})
    assert first.status_code == second.status_code == 200
    assert "You already answered this survey" in second.text
    assert stored(session) == (1, 1)
    assert session.get(Feedback, f"svy-{invs['U'].id}").nps == 9


def test_ten_concurrent_posts_of_one_link_store_one(live_server, invs, session) -> None:  # type: ignore[no-untyped-def]
    url = f"{live_server.url}/s/{token(invs['P'])}"
    barrier = threading.Barrier(10)
    codes: list[int] = []
    texts: list[str] = []

    def post(nps: int) -> None:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            r = client.post(url, data={**FULL_ANSWERS, "nps": str(nps)})
            codes.append(r.status_code)
            texts.append(r.text)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert codes == [200] * 10
    assert sum("your answers are saved" in t for t in texts) == 1
    assert sum("You already answered" in t for t in texts) == 9
    assert stored(session) == (1, 1)


def test_a_used_link_thanks_instead_of_asking_again(http, invs) -> None:  # type: ignore[no-untyped-def]
    url = f"/s/{token(invs['P'])}"
    http.post(url, data=FULL_ANSWERS)
    again = http.get(url)
    assert again.status_code == 200 and "You already answered this survey" in again.text
    assert "<form" not in again.text


def _expire(session: Session, inv: Invitation) -> None:
    row = session.get(Invitation, inv.id)
    row.expires_at = now() - timedelta(minutes=1)
    session.commit()


def test_an_expired_link_answers_410_and_stores_nothing(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    _expire(session, invs["P"])
    url = f"/s/{token(invs['P'])}"
    for r in (http.get(url), http.post(url, data=FULL_ANSWERS)):
        assert r.status_code == 410 and "This survey link has expired." in r.text
        assert "Traceback" not in r.text
    assert stored(session) == (0, 0)


def test_a_closed_survey_answers_410(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    session.get(Survey, "relationship-2026").active = False
    session.commit()
    r = http.post(f"/s/{token(invs['P'])}", data=FULL_ANSWERS)
    assert r.status_code == 410 and "This survey is closed." in r.text
    assert stored(session) == (0, 0)


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda t: t[:-3] + ("xyz" if not t.endswith("xyz") else "abc"), 403),
        (lambda t: t + "A", 403),
        (lambda t: "not-a-token", 403),
        (lambda t: survey_token("00000000-0000-0000-0000-000000000000"), 404),
        (lambda t: "a" * 5000, 403),
    ],
)
def test_a_tampered_link_gets_a_clear_page(http, invs, session, mangle, code) -> None:  # type: ignore[no-untyped-def]
    url = f"/s/{mangle(token(invs['P']))}"
    for r in (http.get(url), http.post(url, data=FULL_ANSWERS)):
        assert r.status_code == code, r.text[:300]
        assert "This survey link is not valid." in r.text and "Traceback" not in r.text
    assert stored(session) == (0, 0)


def test_an_answer_off_its_scale_shows_the_form_again(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, Any] = {**FULL_ANSWERS, "nps": "11", "trust": "zero"}
    r = http.post(f"/s/{token(invs['P'])}", data=answers)
    assert r.status_code == 422
    html = r.text
    assert 'role="alert"' in html and "Please check 2 answers" in html
    assert '<p class="survey-error" id="err-nps">Please choose a whole number from 0 to 10.' in html
    assert 'id="err-trust">Please choose a whole number from 1 to 5.' in html
    assert 'aria-describedby="err-nps" aria-invalid="true"' in html
    assert re.search(r'id="q-product-4" name="product" value="4" checked', html)  # kept
    assert "Deliveries were late twice in March.</textarea>" in html  # kept
    assert stored(session) == (0, 0)
    assert session.get(Invitation, invs["P"].id).responded_at is None


def test_a_missing_required_answer_is_named(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    r = http.post(f"/s/{token(invs['P'])}", data={"comment": "just text"})
    assert r.status_code == 422 and r.text.count('<p class="survey-error"') == 7
    assert stored(session) == (0, 0)


def test_an_unknown_question_is_named_and_nothing_stored(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    r = http.post(f"/s/{token(invs['P'])}", data={**FULL_ANSWERS, "favourite_colour": "red"})
    assert r.status_code == 400
    assert "&#39;favourite_colour&#39;" in r.text and "Nothing was stored" in r.text
    assert stored(session) == (0, 0)


def test_an_oversized_post_is_refused(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    r = http.post(f"/s/{token(invs['P'])}", data={**FULL_ANSWERS, "comment": "x" * 70_000})
    assert r.status_code == 413
    assert stored(session) == (0, 0)


def test_two_opened_forms_submitted_one_after_the_other_store_once(engine, invs, session) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as a, Session(engine) as b:
        first, second = (
            open_invitation(a, token(invs["P"]), now()),
            open_invitation(b, token(invs["P"]), now()),
        )
        assert isinstance(first, Opened) and isinstance(second, Opened)
        done_a, _, _ = submit(a, first, FULL_ANSWERS, now())
        a.commit()
        done_b, _, _ = submit(b, second, {**FULL_ANSWERS, "nps": "0"}, now())
        b.commit()
    assert done_a is not None and done_a.stored
    assert done_b is not None and not done_b.stored
    assert stored(session) == (1, 1)


def test_the_unique_response_is_the_backstop_when_a_claim_is_lost(engine, invs, session) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as a:
        opened = open_invitation(a, token(invs["P"]), now())
        assert isinstance(opened, Opened)
        submit(a, opened, FULL_ANSWERS, now())
        a.commit()
        # Clear the claim by hand, as if it had been lost: the unique response still refuses.
        a.execute(update(Invitation).values(responded_at=None, status="sent"))
        a.commit()
    with Session(engine) as b:
        opened = open_invitation(b, token(invs["P"]), now())
        assert isinstance(opened, Opened)
        done, _, _ = submit(b, opened, {**FULL_ANSWERS, "nps": "0"}, now())
        b.commit()
    assert done is not None and not done.stored
    assert stored(session) == (1, 1)
    assert session.get(Feedback, f"svy-{invs['P'].id}").nps == 9


def test_a_body_that_is_not_the_form_is_refused(http, invs, session) -> None:  # type: ignore[no-untyped-def]
    url = f"/s/{token(invs['P'])}"
    assert http.post(url, json={"nps": 9}).status_code == 415
    assert http.post(url, files={"f": ("a.txt", b"x")}).status_code == 415
    not_utf8 = http.post(
        url, content=b"nps=\xff", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert not_utf8.status_code == 400 and "could not be read" in not_utf8.text
    many = "&".join(f"f{i}=1" for i in range(300))
    r = http.post(url, content=many, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert stored(session) == (0, 0)
