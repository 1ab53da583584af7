"""Text analytics services: classify texts, tag pending feedback, read and correct tags, train.

Like every service, these never commit: the caller (a request, a CLI command, the background
worker) owns the transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, account_for
from accord.auth.audit import record_change
from accord.db import utcnow
from accord.errors import InvalidInput, NotFound
from accord.listening.models import Feedback
from accord.text import store
from accord.text.classifier import Tag, TextModel
from accord.text.data import Example, check_labels, labelled_path, load_labelled
from accord.text.models import TextCorrection, TextTag

MAX_TEXTS = 500
MAX_TEXT_CHARS = 10_000
_train_lock = threading.Lock()


def _settings() -> Any:
    from accord.config import get_settings

    return get_settings()


# --- training --------------------------------------------------------------------------------


def corrections(session: Session) -> list[Example]:
    """Users' latest correction per feedback item that has text, as training examples."""
    latest = (
        select(func.max(TextCorrection.id)).group_by(TextCorrection.feedback_id).scalar_subquery()
    )
    rows = session.execute(
        select(TextCorrection.feedback_id, Feedback.text, TextCorrection.drivers,
               TextCorrection.sentiment)
        .join(Feedback, Feedback.id == TextCorrection.feedback_id)
        .where(TextCorrection.id.in_(latest), Feedback.text.is_not(None))
        .order_by(TextCorrection.feedback_id)
    ).all()  # fmt: skip
    return [
        Example(f"correction:{fid}", text.strip(), tuple(drivers), sentiment)
        for fid, text, drivers, sentiment in rows
        if text and text.strip()
    ]


def training_data(
    session: Session | None = None, labelled: Path | None = None
) -> tuple[list[Example], list[Example], int]:
    """(train, test, corrections used): the labelled set's ``train`` split plus users' stored
    corrections (when a session is given), and its ``test`` split."""
    setting = _settings().text_labelled_path
    if labelled is None and setting:
        labelled = labelled_path(setting)
    examples = load_labelled(labelled)
    test = [ex for ex in examples if ex.split == "test"]
    test_texts = {ex.text for ex in test}
    extra = corrections(session) if session is not None else []
    # A correction of a held-out comment's text would leak it into training: left out.
    extra = [ex for ex in extra if ex.text not in test_texts]
    return [ex for ex in examples if ex.split == "train"] + extra, test, len(extra)


def train_model(
    session: Session | None = None,
    *,
    labelled: Path | None = None,
    directory: Path | None = None,
    params: dict[str, Any] | None = None,
    save: bool = True,
) -> TextModel:
    """Train on the labelled set's ``train`` split plus stored corrections (when a session is
    given), measure on its ``test`` split, and save under ``ACCORD_TEXT_MODEL_DIR``."""
    from accord.text import classifier, evaluate

    train, test, n_corrections = training_data(session, labelled)
    model = classifier.train(train, params=params)
    model.info["n_corrections"] = n_corrections
    model.info["n_test"] = len(test)
    model.info["held_out"] = evaluate.held_out(model, test) if test else None
    if save:
        store.save(model, directory or store.model_dir(_settings().text_model_dir))
    return model


def get_model(session: Session | None = None) -> TextModel:
    """The trained model of ``ACCORD_TEXT_MODEL_DIR``; trained and saved on first use when there is
    none (26 s on a quiet 2-core CPU, docs/text.md)."""
    directory = store.model_dir(_settings().text_model_dir)
    model = store.load(directory)
    if model is not None:
        return model
    with _train_lock:
        model = store.load(directory)
        return model if model is not None else train_model(session, directory=directory)


# --- classifying -----------------------------------------------------------------------------


def check_texts(texts: object) -> list[str]:
    """1–500 non-empty strings of at most 10,000 characters, or an ``InvalidInput`` naming the
    first bad one."""
    if not isinstance(texts, list):
        raise InvalidInput("texts must be a list of strings")
    if not texts:
        raise InvalidInput("texts is empty: give at least one text")
    if len(texts) > MAX_TEXTS:
        raise InvalidInput(f"texts has {len(texts)} items; at most {MAX_TEXTS} per request")
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"texts[{i}] must be a non-empty string")
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInput(f"texts[{i}] is longer than {MAX_TEXT_CHARS:,} characters")
    return [t.strip() for t in texts]


def classify(texts: Sequence[str], *, progress: bool = False) -> list[Tag]:
    """Driver tags, sentiment and confidence for each text, in order."""
    texts = [t.strip() for t in texts]
    return get_model().predict(texts, progress=progress) if texts else []


def pending(limit: int | None = None) -> Select[tuple[str, str]]:
    """Feedback with text and no tags yet, oldest first."""
    query = (
        select(Feedback.id, Feedback.text)
        .where(
            Feedback.text.is_not(None),
            func.length(func.trim(Feedback.text)) > 0,
            ~exists().where(TextTag.feedback_id == Feedback.id),
        )
        .order_by(Feedback.created_at, Feedback.id)
    )
    return query.limit(limit) if limit is not None else query


def classify_pending(session: Session, limit: int | None = None, progress: bool = False) -> int:
    """Tag up to ``limit`` pending feedback items; returns how many were tagged. Loads the model
    only when something is pending."""
    rows = session.execute(pending(limit)).all()
    if not rows:
        return 0
    model = get_model(session)
    tags = model.predict([text.strip() for _, text in rows], progress=progress)
    now = utcnow()
    session.add_all(
        TextTag(feedback_id=fid, drivers=tag.drivers, sentiment=tag.sentiment,
                confidence=tag.confidence, model_version=model.version, source="model",
                tagged_at=now)
        for (fid, _), tag in zip(rows, tags, strict=True)
    )  # fmt: skip
    session.flush()
    return len(rows)


def count_pending(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(pending().subquery())) or 0


# --- reading and correcting ------------------------------------------------------------------


def _feedback(session: Session, actor: Actor, feedback_id: str, *, write: bool) -> Feedback:
    """The feedback item if the actor may see it (and change it, with ``write``); another owner's
    item answers NotFound, as for every record."""
    feedback = session.get(Feedback, feedback_id)
    try:
        if feedback is None:
            raise NotFound("")
        account_for(session, actor, feedback.account_id, write=write)
    except NotFound:
        raise NotFound(f"feedback {feedback_id!r} not found") from None
    return feedback


def get_tags(session: Session, actor: Actor, feedback_id: str) -> dict[str, Any]:
    """The feedback item's tags: stored ones (the model's or a user's correction), else the
    model's answer computed now (``tagged_at`` null until the worker stores it)."""
    feedback = _feedback(session, actor, feedback_id, write=False)
    tag = session.get(TextTag, feedback_id)
    if tag is not None:
        return {
            "feedback_id": feedback_id, "drivers": tag.drivers, "sentiment": tag.sentiment,
            "confidence": tag.confidence, "source": tag.source,
            "model_version": tag.model_version, "tagged_at": tag.tagged_at,
        }  # fmt: skip
    if not feedback.text or not feedback.text.strip():
        raise NotFound(f"feedback {feedback_id!r} has no text and no tags")
    model = get_model(session)
    (computed,) = model.predict([feedback.text.strip()])
    return {
        "feedback_id": feedback_id, "drivers": computed.drivers,
        "sentiment": computed.sentiment, "confidence": computed.confidence, "source": "model",
        "model_version": model.version, "tagged_at": None,
    }  # fmt: skip


def correct_tags(
    session: Session, actor: Actor, feedback_id: str, drivers: object, sentiment: object
) -> dict[str, Any]:
    """Store a user's correction; it becomes the feedback item's tag (source ``user``) and joins
    the training data at the next training."""
    _feedback(session, actor, feedback_id, write=True)
    clean_drivers, clean_sentiment = check_labels(drivers, sentiment, "tags")
    now = utcnow()
    session.add(TextCorrection(feedback_id=feedback_id, drivers=list(clean_drivers),
                               sentiment=clean_sentiment, user_id=actor.user_id,
                               created_at=now))  # fmt: skip
    tag = session.get(TextTag, feedback_id)
    before = None
    if tag is None:
        tag = TextTag(feedback_id=feedback_id)
        session.add(tag)
    else:
        before = {"drivers": tag.drivers, "sentiment": tag.sentiment, "source": tag.source}
    tag.drivers, tag.sentiment, tag.source = list(clean_drivers), clean_sentiment, "user"
    tag.confidence, tag.model_version, tag.tagged_at = None, None, now
    after = {"drivers": tag.drivers, "sentiment": tag.sentiment, "source": "user"}
    record_change(session, actor, "update", "text_tags", feedback_id, before=before, after=after)
    session.flush()
    return get_tags(session, actor, feedback_id)
