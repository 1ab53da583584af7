"""The shared lead definition: a human-readable YAML document of fit rules, engagement rules and
thresholds, and the pure function that scores a lead under it.

Score = Σ points of every rule (no cap, no weights hidden elsewhere), so the explanation — one
part per rule, each with its points and the reason — always adds up to the score:

* ``fit.industry`` / ``fit.region``: ``points`` when the lead's value is in ``values``
  (compared without case), else 0.
* ``fit.size``: the points of the first band whose ``min_employees`` the company reaches
  (bands are tried from the largest), else 0.
* ``fit.role``: the points given for the person's buying role, else 0.
* ``engagement.events_attended`` / ``content_read``: ``points_each`` × count, at most ``max``.
* ``engagement.recency``: the points of the first band whose ``within_days`` covers the days
  since the last activity (or since capture when there was none), counted on the ``as_of`` day.

A lead qualifies as ``sql`` when score ≥ ``thresholds.sql``, as ``mql`` when score ≥
``thresholds.mql``. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.errors import InvalidInput
from accord.vocabulary import Role

Points = Annotated[int, Field(strict=True, ge=-100, le=100)]
Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class ListRule(_Doc):
    points: Points
    values: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1)


class SizeBand(_Doc):
    min_employees: Count
    points: Points


class CountRule(_Doc):
    points_each: Points
    max: Annotated[int, Field(strict=True, ge=-100, le=1000)] | None = None


class RecencyBand(_Doc):
    within_days: Annotated[int, Field(strict=True, ge=1, le=3650)]
    points: Points


class Fit(_Doc):
    industry: ListRule | None = None
    size: list[SizeBand] | None = None
    region: ListRule | None = None
    role: dict[Role, Points] | None = None


class Engagement(_Doc):
    events_attended: CountRule | None = None
    content_read: CountRule | None = None
    recency: list[RecencyBand] | None = None


class Thresholds(_Doc):
    mql: Annotated[int, Field(strict=True, ge=1, le=1000)]
    sql: Annotated[int, Field(strict=True, ge=1, le=1000)]

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.sql <= self.mql:
            raise ValueError(f"sql ({self.sql}) must be above mql ({self.mql})")
        return self


class DefinitionDoc(_Doc):
    """The YAML document, validated."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    thresholds: Thresholds
    fit: Fit = Fit()
    engagement: Engagement = Engagement()


@dataclass(frozen=True)
class Facts:
    """What the definition looks at, from a lead."""

    industry: str | None = None
    employees: int | None = None
    region: str | None = None
    role: str | None = None
    events_attended: int = 0
    content_read: int = 0
    last_activity_at: datetime | None = None
    captured_at: datetime | None = None

    @classmethod
    def of(cls, lead: Any) -> Facts:
        """From a ``Lead`` or any object or mapping with the same names."""
        get = lead.get if isinstance(lead, dict) else lambda k: getattr(lead, k, None)
        return cls(
            industry=get("industry"),
            employees=get("employees"),
            region=get("region"),
            role=get("role"),
            events_attended=get("events_attended") or 0,
            content_read=get("content_read") or 0,
            last_activity_at=get("last_activity_at"),
            captured_at=get("captured_at"),
        )


@dataclass(frozen=True)
class Part:
    """One rule's share of a score."""

    rule: str  # "fit.industry"
    label: str  # "Industry"
    points: int
    best: int  # the most this rule can give
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "label": self.label,
            "points": self.points,
            "best": self.best,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Scored:
    score: int
    qualifies: str | None  # "sql", "mql" or None
    parts: list[Part] = field(default_factory=list)

    @property
    def explanation(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.parts]


@dataclass(frozen=True)
class Gap:
    """Something a nurturing lead lacks, and the points it would bring."""

    rule: str
    action: str
    points: int


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _days_since(moment: datetime | None, as_of: date) -> int | None:
    return None if moment is None else max(0, (as_of - moment.date()).days)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class Definition:
    """A parsed definition of a given version; ``score`` is a pure function of a lead's facts."""

    def __init__(self, doc: DefinitionDoc, version: int = 0) -> None:
        self.doc = doc
        self.version = version
        self.mql = doc.thresholds.mql
        self.sql = doc.thresholds.sql

    def qualifies(self, score: int) -> str | None:
        return "sql" if score >= self.sql else "mql" if score >= self.mql else None

    # -- the rules ---------------------------------------------------------------------------

    def _list_rule(self, name: str, label: str, rule: ListRule, value: str | None) -> Part:
        best = max(rule.points, 0)
        if not value:
            return Part(name, label, 0, best, f"{label.lower()} not known")
        if _norm(value) in {_norm(v) for v in rule.values}:
            return Part(name, label, rule.points, best, f"{value} is on the list")
        return Part(name, label, 0, best, f"{value} is not on the list")

    def _size(self, bands: list[SizeBand], employees: int | None) -> Part:
        best = max((b.points for b in bands), default=0)
        if employees is None:
            return Part("fit.size", "Company size", 0, best, "number of employees not known")
        for band in sorted(bands, key=lambda b: -b.min_employees):
            if employees >= band.min_employees:
                why = f"{employees:,} employees (≥ {band.min_employees:,})"
                return Part("fit.size", "Company size", band.points, best, why)
        return Part(
            "fit.size", "Company size", 0, best, f"{employees:,} employees: below every band"
        )

    def _role(self, points: dict[str, int], role: str | None) -> Part:
        best = max(points.values(), default=0)
        if not role:
            return Part("fit.role", "Buying role", 0, best, "buying role not known")
        got = points.get(role, 0)
        return Part("fit.role", "Buying role", got, best, f"{role.replace('_', ' ')}")

    def _count(self, name: str, label: str, rule: CountRule, n: int, noun: str) -> Part:
        raw = rule.points_each * n
        got = raw if rule.max is None else min(raw, rule.max)
        best = rule.max if rule.max is not None else max(got, rule.points_each)
        why = f"{_plural(n, noun)} × {rule.points_each}"
        if rule.max is not None and raw > rule.max:
            why += f", capped at {rule.max}"
        return Part(name, label, got, best, why)

    def _recency(self, bands: list[RecencyBand], facts: Facts, as_of: date) -> Part:
        best = max((b.points for b in bands), default=0)
        moment = facts.last_activity_at or facts.captured_at
        days = _days_since(moment, as_of)
        what = "last activity" if facts.last_activity_at else "captured"
        if days is None:
            return Part("engagement.recency", "Recency", 0, best, "no activity recorded")
        for band in sorted(bands, key=lambda b: b.within_days):
            if days <= band.within_days:
                why = f"{what} {_plural(days, 'day')} ago (≤ {band.within_days})"
                return Part("engagement.recency", "Recency", band.points, best, why)
        return Part("engagement.recency", "Recency", 0, best, f"{what} {days} days ago")

    def parts(self, facts: Facts, as_of: date) -> list[Part]:
        fit, eng = self.doc.fit, self.doc.engagement
        out: list[Part] = []
        if fit.industry is not None:
            out.append(self._list_rule("fit.industry", "Industry", fit.industry, facts.industry))
        if fit.size is not None:
            out.append(self._size(fit.size, facts.employees))
        if fit.region is not None:
            out.append(self._list_rule("fit.region", "Region", fit.region, facts.region))
        if fit.role is not None:
            out.append(self._role(fit.role, facts.role))  # type: ignore[arg-type]
        if eng.events_attended is not None:
            out.append(
                self._count(
                    "engagement.events_attended",
                    "Events attended",
                    eng.events_attended,
                    facts.events_attended,
                    "event",
                )
            )
        if eng.content_read is not None:
            out.append(
                self._count(
                    "engagement.content_read",
                    "Content read",
                    eng.content_read,
                    facts.content_read,
                    "piece",
                )
            )
        if eng.recency is not None:
            out.append(self._recency(eng.recency, facts, as_of))
        return out

    def score(self, facts: Facts, as_of: date) -> Scored:
        parts = self.parts(facts, as_of)
        total = sum(p.points for p in parts)
        return Scored(score=total, qualifies=self.qualifies(total), parts=parts)

    def gaps(self, facts: Facts, as_of: date) -> list[Gap]:
        """What nurturing could still add: unknown fit facts to find out, and engagement below
        its best. Fit that is known and poor cannot be nurtured, so it is not listed."""
        out: list[Gap] = []
        for part in self.parts(facts, as_of):
            gain = part.best - part.points
            if gain <= 0:
                continue
            if part.rule.startswith("fit.") and "not known" in part.reason:
                out.append(Gap(part.rule, f"find out the {part.label.lower()}", gain))
            elif part.rule == "engagement.events_attended":
                each = max(self.doc.engagement.events_attended.points_each, 1)  # type: ignore[union-attr]
                out.append(Gap(part.rule, f"invite to {_plural(-(-gain // each), 'event')}", gain))
            elif part.rule == "engagement.content_read":
                each = max(self.doc.engagement.content_read.points_each, 1)  # type: ignore[union-attr]
                n = -(-gain // each)
                out.append(Gap(part.rule, f"get {_plural(n, 'more piece')} of content read", gain))
            elif part.rule == "engagement.recency":
                out.append(Gap(part.rule, "re-engage now (any activity)", gain))
        return out


def _message(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "definition"
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)


@lru_cache(maxsize=64)
def parse(text: str, version: int = 0) -> Definition:
    """Parse and validate a YAML definition; ``InvalidInput`` says what is wrong and where."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InvalidInput(f"yaml: {problem}{where}") from None
    if not isinstance(data, dict):
        raise InvalidInput("yaml: the definition must be a mapping (name:, thresholds:, fit:, …)")
    try:
        doc = DefinitionDoc.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_message(exc)) from None
    return Definition(doc, version)


def default_yaml() -> str:
    """The definition Accord starts with (version 1), commented for its readers."""
    return files("accord.leads").joinpath("default_definition.yaml").read_text(encoding="utf-8")
