"""Small helpers shared by the generator modules: seeded streams, draws, date arithmetic."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar

T = TypeVar("T")


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream per concern (string seeds hash with SHA-512)."""
    return random.Random(f"accord-synthetic:{seed}:{name}")


def clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def weighted(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(options, weights=weights, k=1)[0]


def day_between(rng: random.Random, start: date, end: date) -> date:
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


def business_time(
    rng: random.Random, day: date, lo: date | None = None, hi: date | None = None
) -> datetime:
    """A plausible working-hours moment on ``day``; a weekend day moves to the Friday before
    or the Monday after, whichever stays within ``lo``..``hi``."""
    if day.weekday() >= 5:
        friday = day - timedelta(days=day.weekday() - 4)
        monday = day + timedelta(days=7 - day.weekday())
        if lo is None or friday >= lo:
            day = friday
        elif hi is None or monday <= hi:
            day = monday
    return datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59)))


def years(days: int) -> float:
    return days / 365.25


def iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
