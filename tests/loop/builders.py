"""Builders and a controllable clock for the loop's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop import routing
from accord.loop.models import RoutingRule

# Monday 2026-03-02 09:00 UTC: business hours start.
MONDAY = datetime(2026, 3, 2, 9, 0)


@dataclass
class FakeClock:
    now: datetime = MONDAY

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


VETO_RULE = {
    "position": 10,
    "name": "Veto holder complains about the product",
    "conditions": {"veto": True, "sentiment_below": 0, "drivers": ["product"]},
    "team": "quality",
    "priority": "high",
}
NEGATIVE_RULE = {
    "position": 20,
    "name": "Anything negative",
    "conditions": {"sentiment_below": 0},
    "team": "support",
    "priority": "normal",
}


def make_rules(session: Session) -> list[RoutingRule]:
    return [routing.create_rule(session, OPERATOR, dict(r)) for r in (VETO_RULE, NEGATIVE_RULE)]
