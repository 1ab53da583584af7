"""What a survey definition may say, and how an answer is checked against it.

A definition (YAML or JSON, docs/surveys.md) names the survey, its kind and supplier, and lists
its questions. Each question has a type with a fixed scale — ``nps`` 0–10, ``rating`` 1–5 on one
of the six drivers, ``csat`` 1–5, ``ces`` 1–7 — or is open ``text``; it may carry a wording per
stakeholder role (``variants``), so a procurement manager and a user are asked in their own
terms. Scores map onto Feedback's columns, so a survey holds at most one question per column.

Models are strict and refuse unknown fields; ``definition_from`` turns every problem into one
``InvalidInput`` whose message names the question id and the field.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from accord.errors import InvalidInput
from accord.vocabulary import DRIVERS, Role

ROLES: tuple[str, ...] = tuple(r.value for r in Role)
QUESTION_TYPES: tuple[str, ...] = ("nps", "rating", "csat", "ces", "text")
# Scale (low, high) of each scored question type.
SCALES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "rating": (1, 5),
    "csat": (1, 5),
    "ces": (1, 7),
}
DEFAULT_LABELS: dict[str, tuple[str, str]] = {
    "nps": ("Not at all likely", "Extremely likely"),
    "rating": ("Very poor", "Excellent"),
    "csat": ("Very dissatisfied", "Very satisfied"),
    "ces": ("Very difficult", "Very easy"),
}
TEXT_MAX = 10_000

SurveyId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Wording = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=2000, strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Question(_Strict):
    id: QuestionId
    type: Literal["nps", "rating", "csat", "ces", "text"]
    text: Wording
    driver: Literal["product", "price", "fulfilment", "ease", "presence", "trust"] | None = None
    variants: dict[str, Wording] = Field(default_factory=dict)
    required: bool | None = None  # None: scored questions required, text optional
    low_label: Label | None = None
    high_label: Label | None = None

    @model_validator(mode="after")
    def _check(self) -> Question:
        if self.type == "rating" and self.driver is None:
            raise ValueError(
                f"driver: a rating question needs a driver, one of {', '.join(DRIVERS)}"
            )
        if self.type != "rating" and self.driver is not None:
            raise ValueError(f"driver: only rating questions have a driver, not {self.type}")
        unknown = sorted(set(self.variants) - set(ROLES))
        if unknown:
            raise ValueError(f"variants: unknown role {unknown[0]!r}; roles are {', '.join(ROLES)}")
        if self.type == "text" and (self.low_label or self.high_label):
            raise ValueError("low_label/high_label: a text question has no scale")
        return self

    @property
    def is_required(self) -> bool:
        return self.required if self.required is not None else self.type != "text"

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(self.type)

    @property
    def column(self) -> str:
        """The Feedback column the answer lands in (``text`` for open text)."""
        if self.type == "rating":
            assert self.driver is not None
            return self.driver
        return self.type

    def labels(self) -> tuple[str, str]:
        low, high = DEFAULT_LABELS.get(self.type, ("", ""))
        return (self.low_label or low, self.high_label or high)

    def wording(self, role: str | None, supplier: str) -> str:
        """The question as this role is asked it (the default wording for other roles)."""
        text = self.variants.get(role or "", self.text)
        return text.replace("{supplier}", supplier)


class SurveyDefinition(_Strict):
    id: SurveyId
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    kind: Literal["relationship", "scenario", "pulse"]
    supplier: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    intro: LongText = ""
    thank_you: LongText = ""
    questions: list[Question] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _check(self) -> SurveyDefinition:
        seen_ids: set[str] = set()
        columns: dict[str, str] = {}
        for q in self.questions:
            if q.id in seen_ids:
                raise ValueError(f"question {q.id!r}: id: used twice")
            seen_ids.add(q.id)
            if q.type == "text":
                continue
            if q.column in columns:
                raise ValueError(
                    f"question {q.id!r}: {'driver' if q.type == 'rating' else 'type'}: "
                    f"{q.column} is already asked by question {columns[q.column]!r} "
                    "(one question per score)"
                )
            columns[q.column] = q.id
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def channel(self) -> str:
        """Feedback channel of the answers: ``scenario`` for scenario surveys, else ``survey``."""
        return "scenario" if self.kind == "scenario" else "survey"


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """``question 'nps' (questions[0]).variants`` for a location inside a question."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        qid = None
        questions = data.get("questions") if isinstance(data, dict) else None
        if isinstance(questions, list) and loc[1] < len(questions):
            item = questions[loc[1]]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                qid = item["id"]
        head = f"question {qid!r} (questions[{loc[1]}])" if qid else f"questions[{loc[1]}]"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head}.{rest}" if rest else head
    return ".".join(str(p) for p in loc) or "definition"


def _message(data: Any, exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        msg = str(error["msg"]).removeprefix("Value error, ")
        loc = tuple(error["loc"])
        lines.append(f"{_where(data, loc)}: {msg}" if loc else msg)
    return "; ".join(lines)


def definition_from(data: Any) -> SurveyDefinition:
    """A validated definition from parsed YAML/JSON; ``InvalidInput`` names what and where."""
    if not isinstance(data, dict):
        raise InvalidInput("definition: must be a mapping (id:, name:, kind:, questions:, …)")
    try:
        return SurveyDefinition.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_message(data, exc)) from None


def parse_text(text: str) -> SurveyDefinition:
    """Parse a definition pasted or read as YAML or JSON (JSON is YAML, mostly; tried first for
    its clearer errors when the text starts with ``{``)."""
    if not text.strip():
        raise InvalidInput("definition: empty")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"json: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise InvalidInput(f"yaml: {problem}{where}") from None
    return definition_from(data)


class UnknownQuestion(InvalidInput):
    """A submitted field that names no question of the survey."""

    def __init__(self, question_id: str) -> None:
        super().__init__(f"unknown question {question_id[:60]!r}")
        self.question_id = question_id


def check_answers(
    definition: SurveyDefinition, form: dict[str, str]
) -> tuple[dict[str, int | str], dict[str, str]]:
    """The answers of a submitted form, and a message per question id that is wrong.

    ``UnknownQuestion`` for a field that names no question (a forged or stale form). Empty
    fields are unanswered; scored answers must be whole numbers on the question's scale.
    """
    for name in form:
        if definition.question(name) is None:
            raise UnknownQuestion(name)
    answers: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for q in definition.questions:
        raw = (form.get(q.id) or "").strip()
        if not raw:
            if q.is_required:
                errors[q.id] = "Please answer this question."
            continue
        if q.scale is None:
            if len(raw) > TEXT_MAX:
                errors[q.id] = f"Please keep this under {TEXT_MAX:,} characters."
                continue
            answers[q.id] = raw
            continue
        low, high = q.scale
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            errors[q.id] = f"Please choose a whole number from {low} to {high}."
            continue
        answers[q.id] = value
    return answers, errors
