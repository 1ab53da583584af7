"""Reporting periods written as people write them: ``2026Q3``, ``2026H1``, ``2026-07``, ``2026``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from accord.errors import InvalidInput

_PATTERNS = (
    (re.compile(r"(\d{4})-?Q([1-4])", re.I), "quarter"),
    (re.compile(r"(\d{4})-?H([12])", re.I), "half"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
)
_MONTHS = {"quarter": 3, "half": 6, "month": 1, "year": 12}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # quarter, half, month, year
    start: date  # first day
    end: date  # first day after

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.start.year}H{(self.start.month - 1) // 6 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return str(self.start.year)

    def previous(self) -> Period:
        return Period(self.kind, _add_months(self.start, -self.months), self.start)

    def month_starts(self) -> list[date]:
        return [_add_months(self.start, i) for i in range(self.months)]

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    value = (text or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2999:
            break
        part = int(match.group(2)) if kind != "year" else 1
        if kind == "month" and not 1 <= part <= 12:
            break
        first_month = {"quarter": 3 * (part - 1) + 1, "half": 6 * (part - 1) + 1}.get(kind, part)
        start = date(year, first_month, 1)
        return Period(kind, start, _add_months(start, _MONTHS[kind]))
    raise InvalidInput(f"period: {value!r} is not a period; write 2026Q3, 2026H1, 2026-07 or 2026")


def current_quarter(today: date) -> Period:
    return parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")
