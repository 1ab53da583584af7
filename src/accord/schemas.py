"""Field types shared by every domain's API schemas."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

RecordId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$", strip_whitespace=True)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)]
Email = Annotated[
    str,
    StringConstraints(
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254, strip_whitespace=True, to_lower=True
    ),
]


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# Times are stored as naive UTC on both databases; an aware input is converted, not rejected.
UtcDateTime = Annotated[datetime, AfterValidator(_naive_utc)]


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# On the way out, stored naive-UTC times say so ("…Z"), as RFC 3339 wants.
UtcOut = Annotated[datetime, AfterValidator(_as_utc)]
Unit = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def score(low: int, high: int) -> type[int]:
    """An integer score on a scale; strict, so ``true`` or ``7.5`` is refused, not coerced."""
    return Annotated[int, Field(strict=True, ge=low, le=high)]  # type: ignore[return-value]


class Strict(BaseModel):
    """Input models refuse unknown fields, so a misspelt field is an error, not silently lost."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ListQuery(Strict):
    """Pagination shared by every list endpoint."""

    offset: int = Field(default=0, ge=0, le=1_000_000_000)
    limit: int = Field(default=50, ge=1, le=500)


class DateRange(ListQuery):
    since: date | None = None
    until: date | None = None  # inclusive

    def bounds(self, column: Any) -> list[Any]:
        """Conditions keeping ``column`` within [since, until] (whole days)."""
        where = []
        if self.since:
            where.append(column >= self.since)
        if self.until:
            where.append(column < self.until + timedelta(days=1))
        return where


T = TypeVar("T")


class ErrorOut(BaseModel):
    detail: str


# The answers every authenticated endpoint may give besides its own, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid token or session"},
    403: {"model": ErrorOut, "description": "The user's role may not do this"},
    404: {"model": ErrorOut, "description": "Unknown, or not visible to this user"},
    409: {"model": ErrorOut, "description": "Conflicts with existing data"},
}


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int
