"""Column types: turn one column of a batch of raw cells into database values.

Conversion runs column by column over a batch (thousands of rows), not cell by cell, because the
common case — every cell well formed — can then run inside C loops (``map`` over a lookup table,
``date.fromisoformat``, ``str.strip``) at a fraction of the cost of a Python call per cell. When
the fast path meets anything unusual (an empty cell where a parser refuses it, a typed JSON or
Excel value, a bad value) the batch's column falls back to ``one()`` per cell, which knows every
rule and every error message.

Values are stored the way SQLAlchemy itself stores them, so rows written by the importer and by
the ORM compare equal (idempotent re-imports): on SQLite, dates as ``YYYY-MM-DD``, date-times as
``YYYY-MM-DD HH:MM:SS.ffffff`` and booleans as 1/0; on PostgreSQL, Python objects the driver adapts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from itertools import repeat
from operator import attrgetter
from typing import Any

_BAD = object()  # lookup-table miss: the fast path gives up on the batch
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)  # not Arabic-Indic or other digits
_tzinfo = attrgetter("tzinfo")

Converted = tuple[list[Any], list[tuple[int, str]]]  # values, and (index in batch, reason)


class Invalid(ValueError):
    """A cell that cannot be converted; the message is the reason shown to the user."""


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


class ColumnType:
    """Base: ``one()`` converts a cell or raises ``Invalid``; ``fast()`` may convert a whole
    column at once and returns ``None`` when it cannot."""

    def __init__(self, *, sqlite: bool) -> None:
        self.sqlite = sqlite

    def one(self, value: Any) -> Any:
        raise NotImplementedError

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        return None

    def convert(self, values: Sequence[Any], typed: bool) -> Converted:
        """``typed``: cells may be JSON or Excel values rather than strings."""
        out = self.fast(values, typed)
        if out is not None:
            return out, []
        out, errors = [], []
        for i, value in enumerate(values):
            try:
                out.append(self.one(value))
            except Invalid as exc:
                out.append(None)
                errors.append((i, str(exc)))
        return out, errors


class Text(ColumnType):
    """Free text. ``strip`` trims identifiers and short fields; long prose is kept as written."""

    def __init__(self, *, sqlite: bool, max_len: int | None, strip: bool = True) -> None:
        super().__init__(sqlite=sqlite)
        self.max_len = max_len
        self.strip = strip

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip() if self.strip else value
        elif isinstance(value, bool) or not isinstance(value, int | float | date):
            raise Invalid(f"expected text, got {_shown(value)}")
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))  # Excel stores typed-in ids like 1042 as 1042.0
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = str(value)
        if not text:
            return None
        if self.max_len is not None and len(text) > self.max_len:
            raise Invalid(f"longer than {self.max_len} characters")
        if "\x00" in text:  # PostgreSQL cannot store it; refuse it on SQLite too
            raise Invalid("contains a NUL character")
        return text

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        if self.strip:
            try:
                values = list(map(str.strip, values))
            except TypeError:  # a None or a typed value: not all strings
                return None
        elif set(map(type, values)) - {str}:
            return None
        if self.max_len is not None and max(map(len, values), default=0) > self.max_len:
            return None
        if "\x00" in "".join(values):
            return None
        return [v or None for v in values]


class Choice(ColumnType):
    """One of a vocabulary's values (exact, or after trimming and lower-casing)."""

    def __init__(self, *, sqlite: bool, values: Iterable[str], noun: str) -> None:
        super().__init__(sqlite=sqlite)
        self.values = tuple(values)
        self.noun = noun
        self.table: dict[Any, Any] = {v: v for v in self.values}
        self.table[""] = self.table[None] = None

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            word = value.strip().lower()
            if not word:
                return None
            if word in self.table:
                return word
        article = "an" if self.noun[0] in "aeiou" else "a"
        allowed = ", ".join(self.values)
        raise Invalid(f"{_shown(value)} is not {article} {self.noun}; expected one of {allowed}")

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        try:
            out = list(map(self.table.get, values, repeat(_BAD)))
        except TypeError:  # an unhashable JSON value (list, object)
            return None
        return None if _BAD in out else out


class Score(ColumnType):
    """An integer on a closed scale. ``7.0`` written in a text cell is refused (the contract says
    integers); a whole number from Excel or JSON is a number, not text, and is accepted."""

    def __init__(self, *, sqlite: bool, low: int, high: int) -> None:
        super().__init__(sqlite=sqlite)
        self.low, self.high = low, high
        self.table: dict[Any, Any] = {str(i): i for i in range(low, high + 1)}
        self.table.update({i: i for i in range(low, high + 1)})  # 7.0 hashes like 7
        self.table[""] = self.table[None] = None

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        number: int | None = None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if _INTEGER.fullmatch(text):
                number = int(text)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is None or not self.low <= number <= self.high:
            raise Invalid(f"expected an integer {self.low}–{self.high}, got {_shown(value)}")
        return number

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        if typed and bool in set(map(type, values)):
            return None  # True == 1 would pass the table lookup
        try:
            out = list(map(self.table.get, values, repeat(_BAD)))
        except TypeError:
            return None
        return None if _BAD in out else out


class Number(ColumnType):
    """A finite decimal number, optionally bounded (influence and weights 0–1, amounts ≥ 0)."""

    def __init__(self, *, sqlite: bool, low: float | None, high: float | None = None) -> None:
        super().__init__(sqlite=sqlite)
        self.low, self.high = low, high
        if high is None:
            self.expect = "a number" if low is None else f"a number ≥ {low:g}"
        else:
            self.expect = f"a number {low:g}–{high:g}"

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        number: float | None = None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if _NUMBER.fullmatch(text):
                number = float(text)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        if (
            number is None
            or not math.isfinite(number)
            or (self.low is not None and number < self.low)
            or (self.high is not None and number > self.high)
        ):
            raise Invalid(f"expected {self.expect}, got {_shown(value)}")
        return number


class Boolean(ColumnType):
    """true/false, 1/0, yes/no in any case; Excel and JSON booleans too."""

    WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def __init__(self, *, sqlite: bool) -> None:
        super().__init__(sqlite=sqlite)
        store = (lambda b: int(b)) if sqlite else (lambda b: b)
        self.table: dict[Any, Any] = {}
        for word, truth in self.WORDS.items():
            for variant in (word, word.upper(), word.title()):
                self.table[variant] = store(truth)
        self.table.update({True: store(True), False: store(False)})  # also 1, 0, 1.0, 0.0
        self.table[""] = self.table[None] = None

    def one(self, value: Any) -> Any:
        try:
            return self.table[value.strip().lower() if isinstance(value, str) else value]
        except (KeyError, TypeError):
            raise Invalid(f"expected true/false, 1/0 or yes/no, got {_shown(value)}") from None

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        try:
            out = list(map(self.table.get, values, repeat(_BAD)))
        except TypeError:
            return None
        return None if _BAD in out else out


class Date(ColumnType):
    """A calendar date, ISO 8601 (YYYY-MM-DD)."""

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):  # an Excel date cell arrives as midnight
            if value.time() != datetime.min.time() or value.tzinfo is not None:
                raise Invalid(f"expected a date YYYY-MM-DD, got a date and time {value}")
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise Invalid(f"expected a date YYYY-MM-DD, got {_shown(value)}") from None
        else:
            raise Invalid(f"expected a date YYYY-MM-DD, got {_shown(value)}")
        return day.isoformat() if self.sqlite else day

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        try:
            days = list(map(date.fromisoformat, values))
        except (TypeError, ValueError):
            return None
        return list(map(date.isoformat, days)) if self.sqlite else days


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


class DateTime(ColumnType):
    """A moment, ISO 8601: a date (midnight) or a date-time; times with an offset are converted
    to UTC, times without one are taken as UTC. Stored naive, in UTC."""

    EXPECT = "expected an ISO 8601 date or date-time (2026-03-01 or 2026-03-01T14:30:00+01:00)"

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise Invalid(f"{self.EXPECT}, got {_shown(value)}") from None
        else:
            raise Invalid(f"{self.EXPECT}, got {_shown(value)}")
        moment = _naive_utc(moment)
        return moment.isoformat(" ", "microseconds") if self.sqlite else moment

    def fast(self, values: Sequence[Any], typed: bool) -> list[Any] | None:
        try:
            moments = list(map(datetime.fromisoformat, values))
        except (TypeError, ValueError):
            return None
        zones = set(map(_tzinfo, moments))
        if UTC in zones:
            # Times written in UTC ("Z", "+00:00"), the usual export: parsing them again without
            # the designator is far cheaper than a replace(tzinfo=None) per value.
            bare = map(
                str.removesuffix, map(str.removesuffix, values, repeat("Z")), repeat("+00:00")
            )
            moments = list(map(datetime.fromisoformat, bare))
            zones = set(map(_tzinfo, moments))
        if zones != {None}:  # other offsets, or UTC spelt otherwise
            moments = list(map(_naive_utc, moments))
        if self.sqlite:
            # SQLAlchemy's SQLite format, so ORM-written rows compare equal.
            return list(map(datetime.isoformat, moments, repeat(" "), repeat("microseconds")))
        return moments
