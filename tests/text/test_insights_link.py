"""Feedback with text but no score takes its sentiment from its text tags in the insights."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.insights.frames import load_portfolio
from accord.insights.sentiment import with_sentiment
from accord.text.models import TextTag
from tests.factories import make_account, make_feedback


def test_text_sentiment_fills_in_only_where_no_score_was_given(session: Session) -> None:
    make_account(session, "ACC-T", "alice@example.com")
    make_feedback(session, "FB-TEXT", "ACC-T", nps=None, text="Late again.")
    make_feedback(session, "FB-NPS", "ACC-T", nps=10, text="Late again, but fine.")
    make_feedback(session, "FB-NONE", "ACC-T", nps=None, text="Noted.")
    session.add_all([
        TextTag(feedback_id="FB-TEXT", drivers=["fulfilment"], sentiment="negative",
                confidence=0.75, model_version="v", source="model"),
        TextTag(feedback_id="FB-NPS", drivers=["fulfilment"], sentiment="negative",
                confidence=None, model_version=None, source="user"),
    ])  # fmt: skip
    session.commit()
    frame = with_sentiment(load_portfolio(session, OPERATOR).feedback)
    got = {r["feedback_id"]: (r["text_sentiment"], r["sentiment"], r["sentiment_source"])
           for r in frame.iter_rows(named=True)}  # fmt: skip
    assert got["FB-TEXT"] == (-75.0, -75.0, "text")
    assert got["FB-NPS"] == (-100.0, 100.0, "nps")  # the score wins over the text
    assert got["FB-NONE"] == (None, None, None)
