"""Correcting a comment's driver tags and sentiment from the web UI, over real HTTP: the account
page shows what the classifier read, the owner corrects it in a form, the correction is stored
(and becomes the item's tag); a viewer reads only, another owner's item is not there, bad input
stores nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.listening.models import Feedback
from accord.text.models import TextCorrection, TextTag
from tests.personas import PEOPLE, build_world
from tests.web.test_web_accounts import csrf_of, logged_in

TEXT = "Third late truck this month and nobody told us."


@pytest.fixture
def base(live_server, session: Session) -> str:  # type: ignore[no-untyped-def]
    build_world(session)
    feedback = session.get(Feedback, "FB-A")
    assert feedback is not None
    feedback.text = TEXT
    session.add(
        TextTag(feedback_id="FB-A", drivers=["fulfilment"], sentiment="neutral", confidence=0.51,
                model_version="test", source="model", tagged_at=datetime(2026, 4, 2))
    )  # fmt: skip
    session.commit()
    return str(live_server.url)


def corrections(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(TextCorrection)) or 0


def test_the_owner_sees_the_tags_and_corrects_them(base: str, session: Session) -> None:
    with logged_in(base, PEOPLE["alice"][0]) as web:
        page = web.get("/accounts/ACC-A").text
        assert 'id="fb-FB-A"' in page
        assert '<span class="tag">Fulfilment</span>' in page
        assert 'href="/feedback/FB-A/tags">Correct tags</a>' in page
        form = web.get("/feedback/FB-A/tags")
        assert form.status_code == 200
        assert TEXT in form.text
        data = {"csrf": csrf_of(form.text), "drivers": ["fulfilment", "ease"],
                "sentiment": "negative"}  # fmt: skip
        done = web.post("/feedback/FB-A/tags", data=data)
        assert done.status_code == 303
        assert done.headers["location"] == "/accounts/ACC-A#fb-FB-A"
        assert "(corrected)" in web.get("/accounts/ACC-A").text
    session.expire_all()
    tag = session.get(TextTag, "FB-A")
    assert tag is not None
    assert (tag.drivers, tag.sentiment, tag.source) == (["fulfilment", "ease"], "negative", "user")
    assert corrections(session) == 1


def test_a_bad_sentiment_or_an_expired_form_stores_nothing(base: str, session: Session) -> None:
    with logged_in(base, PEOPLE["carol"][0]) as web:
        token = csrf_of(web.get("/feedback/FB-A/tags").text)
        bad = web.post("/feedback/FB-A/tags", data={"csrf": token, "sentiment": "furious"})
        assert bad.status_code == 422
        assert "sentiment must be one of" in bad.text
        expired = web.post("/feedback/FB-A/tags", data={"csrf": "x", "sentiment": "negative"})
        assert expired.status_code == 403
    assert corrections(session) == 0


def test_a_viewer_reads_the_tags_but_cannot_correct_them(base: str, session: Session) -> None:
    with logged_in(base, PEOPLE["charlie"][0]) as web:
        page = web.get("/feedback/FB-A/tags")
        assert page.status_code == 200
        assert '<form class="card" method="post"' not in page.text
        refused = web.post(
            "/feedback/FB-A/tags", data={"csrf": csrf_of(page.text), "sentiment": "negative"}
        )
        assert refused.status_code == 403
    assert corrections(session) == 0


def test_another_owners_comment_is_not_there(base: str, session: Session) -> None:
    with logged_in(base, PEOPLE["bob"][0]) as web:
        assert web.get("/feedback/FB-A/tags").status_code == 404
        token = csrf_of(web.get("/accounts/ACC-B").text)
        data = {"csrf": token, "sentiment": "negative"}
        assert web.post("/feedback/FB-A/tags", data=data).status_code == 404
    assert corrections(session) == 0
