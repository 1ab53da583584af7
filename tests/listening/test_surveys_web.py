"""The staff survey pages over real HTTP: the list, pasting YAML or JSON to create or replace a
survey (errors shown beside the form, nothing stored), the preview per role, (de)activation;
only cx managers and admins see the forms or may post them."""

from __future__ import annotations

import html
import json

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.listening import surveys
from accord.listening.models import Survey
from accord.listening.survey_schema import parse_text
from accord.vocabulary import UserRole
from tests.factories import make_user
from tests.listening.survey_builders import RELATIONSHIP
from tests.web.test_web_accounts import csrf_of, logged_in

PULSE = """
id: pulse-web
name: Web pulse
kind: pulse
supplier: Acme
questions:
  - id: ces
    type: ces
    text: How easy was it to order?
    variants:
      procurement: How easy was it to raise the purchase order?
"""


@pytest.fixture
def base(live_server, session: Session) -> str:  # type: ignore[no-untyped-def]
    make_user(session, "carol@example.com", UserRole.cx_manager)
    make_user(session, "charlie@example.com", UserRole.viewer)
    for text in surveys.shipped_definitions().values():
        surveys.save_survey(session, OPERATOR, parse_text(text))
    session.commit()
    return str(live_server.url)


def fresh(session: Session) -> Session:
    session.rollback()
    session.expire_all()
    return session


def test_the_list_shows_every_survey_and_the_form_to_editors(base: str) -> None:
    with logged_in(base, "carol@example.com") as client:
        page = client.get("/surveys")
        assert page.status_code == 200
        assert "Relationship survey 2026" in page.text and "Your recent delivery" in page.text
        assert 'name="definition"' in page.text and 'href="/surveys"' in page.text
    with logged_in(base, "charlie@example.com") as client:
        page = client.get("/surveys")
        assert page.status_code == 200 and "Relationship survey 2026" in page.text
        assert 'name="definition"' not in page.text


def test_pasted_yaml_creates_a_survey_and_json_replaces_it(base: str, session: Session) -> None:
    with logged_in(base, "carol@example.com") as client:
        csrf = csrf_of(client.get("/surveys").text)
        r = client.post("/surveys", data={"definition": PULSE, "csrf": csrf})
        assert r.status_code == 303 and r.headers["location"].startswith("/surveys/pulse-web?")
        page = client.get(r.headers["location"])
        assert "Created survey pulse-web." in page.text
        data = parse_text(PULSE).model_dump(mode="json", exclude_none=True)
        data["name"] = "Web pulse, renamed"
        r = client.post("/surveys", data={"definition": json.dumps(data), "csrf": csrf})
        assert r.status_code == 303
    survey = fresh(session).get(Survey, "pulse-web")
    assert survey is not None and survey.name == "Web pulse, renamed"


def test_a_bad_definition_shows_its_error_inline_and_stores_nothing(
    base: str, session: Session
) -> None:
    bad = PULSE.replace("procurement:", "purchaser:")
    with logged_in(base, "carol@example.com") as client:
        csrf = csrf_of(client.get("/surveys").text)
        r = client.post("/surveys", data={"definition": bad, "csrf": csrf})
    assert r.status_code == 422
    assert 'role="alert" id="definition-error"' in r.text
    assert (
        "question &#39;ces&#39; (questions[0]): variants: unknown role &#39;purchaser&#39;"
        in r.text
    )
    assert 'aria-describedby="definition-error" aria-invalid="true"' in r.text
    assert "purchaser: How easy" in r.text  # the pasted text is kept
    assert fresh(session).get(Survey, "pulse-web") is None


def test_the_preview_words_each_question_for_the_chosen_role(base: str) -> None:
    with logged_in(base, "charlie@example.com") as client:
        default = client.get(f"/surveys/{RELATIONSHIP}").text
        buyer = client.get(f"/surveys/{RELATIONSHIP}", params={"role": "procurement"}).text
        unknown = client.get(f"/surveys/{RELATIONSHIP}", params={"role": "nobody"})
        missing = client.get("/surveys/nope")
    assert "recommend Accord Demo Supplies to a colleague or business partner" in default
    assert "as a supplier to other buyers" in buyer and "worded for Procurement" in buyer
    assert "How competitive are our prices" in buyer
    assert unknown.status_code == 200 and "worded for" not in unknown.text
    assert missing.status_code == 404
    assert 'name="definition"' not in default  # viewers read only


def test_editors_update_and_deactivate_viewers_cannot(base: str, session: Session) -> None:
    with logged_in(base, "charlie@example.com") as client:
        csrf = csrf_of(client.get("/surveys").text)
        r = client.post(f"/surveys/{RELATIONSHIP}/active", data={"active": "no", "csrf": csrf})
        assert r.status_code == 403
        r = client.post("/surveys", data={"definition": PULSE, "csrf": csrf})
        assert r.status_code == 403
    assert fresh(session).get(Survey, RELATIONSHIP).active is True  # type: ignore[union-attr]
    with logged_in(base, "carol@example.com") as client:
        page = client.get(f"/surveys/{RELATIONSHIP}").text
        csrf = csrf_of(page)
        r = client.post(f"/surveys/{RELATIONSHIP}/active", data={"active": "no", "csrf": csrf})
        assert r.status_code == 303
        text = page[page.index('name="definition"') :]
        yaml_text = text[text.index(">") + 1 : text.index("</textarea>")]
        edited = html.unescape(yaml_text).replace("Relationship survey 2026", "Relationship 2026b")
        r = client.post(f"/surveys/{RELATIONSHIP}", data={"definition": edited, "csrf": csrf})
        assert r.status_code == 303, r.text[:500]
        other = edited.replace("id: relationship-2026", "id: other-survey")
        r = client.post(f"/surveys/{RELATIONSHIP}", data={"definition": other, "csrf": csrf})
        assert r.status_code == 422 and "id: the definition says" in r.text
        r = client.post(f"/surveys/{RELATIONSHIP}", data={"definition": edited, "csrf": "x"})
        assert r.status_code == 403
    survey = fresh(session).get(Survey, RELATIONSHIP)
    assert survey is not None and survey.active is False and survey.name == "Relationship 2026b"
