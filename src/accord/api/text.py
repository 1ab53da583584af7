"""The REST endpoints of text analytics: a feedback item's driver tags and sentiment, a user's
correction of them, and classifying texts on demand (docs/text.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from accord.api.deps import ActorDep, SessionDep
from accord.schemas import ERROR_RESPONSES
from accord.text import service
from accord.text.schemas import ClassifyIn, ClassifyOut, TagOut, TagsIn, TagsRead

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.get("/feedback/{feedback_id}/tags", response_model=TagsRead)
def get_tags(feedback_id: str, session: SessionDep, actor: ActorDep) -> Any:
    """The item's tags: a user's correction if there is one, else the model's."""
    return service.get_tags(session, actor, feedback_id)


@router.put("/feedback/{feedback_id}/tags", response_model=TagsRead)
def correct_tags(feedback_id: str, body: TagsIn, session: SessionDep, actor: ActorDep) -> Any:
    """Correct the item's tags. Stored, shown from now on, and used at the next training."""
    return service.correct_tags(session, actor, feedback_id, body.drivers, body.sentiment)


@router.post("/text/classify", response_model=ClassifyOut)
def classify(body: ClassifyIn, actor: ActorDep) -> Any:
    """Driver tags, sentiment and confidence for up to 500 texts (nothing is stored)."""
    texts = service.check_texts(body.texts)
    model = service.get_model()
    tags = model.predict(texts)
    return ClassifyOut(
        model_version=model.version,
        tags=[TagOut(text=t, drivers=g.drivers, sentiment=g.sentiment, confidence=g.confidence)
              for t, g in zip(texts, tags, strict=True)],
    )  # fmt: skip
