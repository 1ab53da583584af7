"""The text endpoints over real HTTP: reading tags, correcting them (stored, shown, and used at
the next training), classifying texts, and refusing bad input with a clear message."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.listening.models import Feedback
from accord.text import service
from accord.text.classifier import TextModel, model_version
from accord.text.models import TextCorrection, TextTag
from tests.personas import World, build_world

TEXT = "The last three deliveries came a week late and nobody warned us."


@pytest.fixture
def world(session: Session, text_model: TextModel) -> World:
    w = build_world(session)
    session.get(Feedback, "FB-A").text = TEXT  # type: ignore[union-attr]
    session.commit()
    return w


def corrections(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(TextCorrection)) or 0


def test_tags_come_from_the_model_until_a_user_corrects_them(
    http, world, session, text_model
) -> None:  # type: ignore[no-untyped-def]
    h = world.auth("alice")
    before = http.get("/api/feedback/FB-A/tags", headers=h)
    assert before.status_code == 200, before.text
    got = before.json()
    assert (got["source"], got["model_version"], got["tagged_at"]) == ("model", text_model.version,
                                                                       None)  # fmt: skip
    assert "fulfilment" in got["drivers"] and got["sentiment"] == "negative"
    assert 0 < got["confidence"] <= 1

    fix = {"drivers": ["fulfilment", "ease"], "sentiment": "negative"}
    put = http.put("/api/feedback/FB-A/tags", json=fix, headers=h)
    assert put.status_code == 200, put.text
    after = http.get("/api/feedback/FB-A/tags", headers=world.auth("charlie")).json()
    assert (after["source"], after["drivers"], after["confidence"]) == ("user",
            ["fulfilment", "ease"], None)  # fmt: skip
    session.rollback()
    stored = session.get(TextTag, "FB-A")
    assert stored is not None and stored.source == "user"
    correction = session.scalars(select(TextCorrection)).one()
    assert correction.user_id is not None and correction.drivers == ["fulfilment", "ease"]

    # The next training learns from it (accord classify --train trains on exactly this).
    train, _, used = service.training_data(session)
    assert used == 1 and train[-1].text == TEXT and train[-1].drivers == ("fulfilment", "ease")
    assert model_version(train, text_model.params) != text_model.version


def test_classify_answers_each_text_in_order(http, world) -> None:  # type: ignore[no-untyped-def]
    texts = ["Pricing is transparent and fair.", "  The portal makes ordering really easy.  "]
    r = http.post("/api/text/classify", json={"texts": texts}, headers=world.auth("charlie"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [t["text"] for t in body["tags"]] == [t.strip() for t in texts]
    assert "price" in body["tags"][0]["drivers"] and body["tags"][0]["sentiment"] == "positive"
    assert body["model_version"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"texts": []}, "texts is empty"),
        ({"texts": ["ok"] * 501}, "texts has 501 items; at most 500"),
        ({"texts": ["fine", "  "]}, "texts[1] must be a non-empty string"),
        ({"texts": ["x" * 10_001]}, "texts[0] is longer than 10,000 characters"),
    ],
)
def test_classify_refuses_bad_input(http, world, body, message) -> None:  # type: ignore[no-untyped-def]
    r = http.post("/api/text/classify", json=body, headers=world.auth("alice"))
    assert r.status_code == 422
    assert message in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"drivers": ["delivery"], "sentiment": "negative"},
         "tags: unknown driver(s) 'delivery'; use product, price"),
        ({"drivers": ["price"], "sentiment": "angry"},
         "tags: sentiment must be one of negative, neutral, positive, not 'angry'"),
        ({"drivers": ["price", "price"], "sentiment": "neutral"}, "a driver is listed twice"),
    ],
)  # fmt: skip
def test_a_bad_correction_is_refused_and_stores_nothing(
    http, world, session, body, message
) -> None:  # type: ignore[no-untyped-def]
    r = http.put("/api/feedback/FB-A/tags", json=body, headers=world.auth("carol"))
    assert r.status_code == 422
    assert message in r.json()["detail"]
    assert corrections(session) == 0
    assert session.get(TextTag, "FB-A") is None


def test_a_correction_with_a_missing_field_is_refused(http, world, session) -> None:  # type: ignore[no-untyped-def]
    r = http.put("/api/feedback/FB-A/tags", json={"drivers": ["price"]}, headers=world.auth("ada"))
    assert r.status_code == 422
    assert corrections(session) == 0


def test_unknown_feedback_and_feedback_without_text(http, world) -> None:  # type: ignore[no-untyped-def]
    h = world.auth("ada")
    missing = http.get("/api/feedback/FB-NOPE/tags", headers=h)
    assert missing.status_code == 404 and "FB-NOPE" in missing.json()["detail"]
    silent = http.get("/api/feedback/FB-B/tags", headers=h)  # scores only, no text
    assert silent.status_code == 404 and "has no text" in silent.json()["detail"]
