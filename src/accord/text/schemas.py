"""API shapes of the text analytics endpoints. Values are checked by the service
(``accord.text.data.check_labels``, ``service.check_texts``) so the messages name what is wrong."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from accord.schemas import UtcOut


class TagsRead(BaseModel):
    feedback_id: str
    drivers: list[str]
    sentiment: str
    confidence: float | None  # the sentiment class's probability; null for a user's correction
    source: str  # model | user
    model_version: str | None
    tagged_at: UtcOut | None  # null: computed now, not stored yet


class TagsIn(BaseModel):
    """A user's correction of a feedback item's tags."""

    model_config = ConfigDict(extra="forbid")
    drivers: list[str]
    sentiment: str


class ClassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[str]


class TagOut(BaseModel):
    text: str
    drivers: list[str]
    sentiment: str
    confidence: float


class ClassifyOut(BaseModel):
    model_version: str
    tags: list[TagOut]
