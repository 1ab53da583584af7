"""Tagging pending feedback, in a call and by the server's background worker."""

from __future__ import annotations

import time

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.config import Settings
from accord.text import service
from accord.text.classifier import TextModel
from accord.text.models import TextTag
from accord.text.worker import start_worker
from tests.conftest import LiveServer
from tests.factories import make_account, make_feedback


def seed(session: Session) -> None:
    make_account(session, "ACC-T", "alice@example.com")
    make_feedback(session, "FB-1", "ACC-T", text="Deliveries keep arriving late.")
    make_feedback(session, "FB-2", "ACC-T", text="Great account manager, very professional.")
    make_feedback(session, "FB-3", "ACC-T", text="   ")
    make_feedback(session, "FB-4", "ACC-T", text=None)
    session.commit()


def tags(session: Session) -> dict[str, TextTag]:
    session.expire_all()
    return {t.feedback_id: t for t in session.scalars(select(TextTag))}


def test_classify_pending_tags_feedback_with_text_once(session, text_model: TextModel) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    assert service.count_pending(session) == 2
    assert service.classify_pending(session, limit=1) == 1
    assert service.classify_pending(session) == 1
    assert service.classify_pending(session) == 0
    session.commit()
    stored = tags(session)
    assert sorted(stored) == ["FB-1", "FB-2"]
    assert "fulfilment" in stored["FB-1"].drivers and stored["FB-1"].sentiment == "negative"
    assert all(t.source == "model" and t.model_version == text_model.version
               for t in stored.values())  # fmt: skip


def test_a_correction_overrides_the_model_and_joins_the_next_training(
    session, text_model: TextModel
) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    service.classify_pending(session)
    got = service.correct_tags(session, OPERATOR, "FB-1", ["fulfilment", "trust"], "negative")
    session.commit()
    assert (got["source"], got["drivers"], got["confidence"]) == ("user", ["fulfilment", "trust"],
                                                                   None)  # fmt: skip
    assert service.classify_pending(session) == 0  # the model never overwrites a user's tag
    (example,) = service.corrections(session)
    assert (example.text, example.drivers) == ("Deliveries keep arriving late.",
                                               ("fulfilment", "trust"))  # fmt: skip


def test_the_worker_tags_new_feedback_in_the_background(
    engine: Engine, session, text_model: TextModel
) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    worker = start_worker(engine, interval_s=0.05, batch_size=1)
    try:
        deadline = time.monotonic() + 30
        while len(tags(session)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert sorted(tags(session)) == ["FB-1", "FB-2"]
    assert worker.tagged == 2 and worker.failures == 0


def test_the_server_runs_the_worker_only_when_the_setting_says_so(
    engine: Engine, session, text_model: TextModel
) -> None:  # type: ignore[no-untyped-def]
    from accord.api.app import create_app

    seed(session)
    off = create_app(engine=engine, settings=Settings(text_auto_classify=False))
    fast = Settings(text_auto_classify=True, text_auto_interval_s=0.05)
    on = create_app(engine=engine, settings=fast)
    server = LiveServer(off)
    server.start()
    time.sleep(0.3)
    server.stop()
    assert tags(session) == {} and off.state.text_worker is None
    server = LiveServer(on)
    server.start()
    try:
        deadline = time.monotonic() + 30
        while len(tags(session)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
    assert sorted(tags(session)) == ["FB-1", "FB-2"]
