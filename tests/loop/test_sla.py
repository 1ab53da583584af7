"""SLA clocks and escalation, under a controlled clock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop.sla import Clock, check_sla
from accord.loop.tickets import open_ticket, transition
from tests.factories import make_account
from tests.loop.builders import MONDAY, FakeClock

BUSINESS = Clock("business")
CALENDAR = Clock("calendar")


def test_business_hours_skip_nights_and_weekends() -> None:
    friday_4pm = datetime(2026, 3, 6, 16, 0)
    assert BUSINESS.add(friday_4pm, 2) == datetime(2026, 3, 9, 10, 0)  # Monday 10:00
    assert CALENDAR.add(friday_4pm, 2) == datetime(2026, 3, 6, 18, 0)
    saturday = datetime(2026, 3, 7, 12, 0)
    assert BUSINESS.add(saturday, 8) == datetime(2026, 3, 9, 17, 0)
    assert BUSINESS.elapsed(friday_4pm, datetime(2026, 3, 9, 10, 0)) == 2


def test_a_missed_first_response_escalates_to_the_owner_then_the_lead(
    session: Session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from accord.config import get_settings

    monkeypatch.setitem(get_settings().loop_team_leads, "support", "lead@example.com")
    make_account(session, "ACC-1", "owner@example.com")
    clock = FakeClock()
    t = open_ticket(
        session,
        OPERATOR,
        account_id="ACC-1",
        title="x",
        team="support",
        priority="high",
        now=clock.now,
    )  # fmt: skip  (high: 4 h first response)
    assert check_sla(session, OPERATOR, clock.advance(hours=3), BUSINESS) == []
    first = check_sla(session, OPERATOR, clock.advance(hours=2), BUSINESS)
    assert [(e.level, e.to) for e in first] == [(1, "owner@example.com")]
    assert check_sla(session, OPERATOR, clock.advance(hours=1), BUSINESS) == []  # idempotent
    # Tuesday 11:00: 10 business hours since opening, more than 2 × 4 h.
    second = check_sla(session, OPERATOR, clock.advance(hours=20), BUSINESS)
    assert [(e.level, e.to) for e in second] == [(2, "lead@example.com")]
    assert (t.escalation_level, t.escalated_to) == (2, "lead@example.com")


def test_a_ticket_answered_in_time_does_not_escalate(session: Session) -> None:
    make_account(session, "ACC-1", "owner@example.com")
    clock = FakeClock()
    t = open_ticket(session, OPERATOR, account_id="ACC-1", title="x", team="support",
                    priority="high", now=clock.now)  # fmt: skip
    transition(session, OPERATOR, t, "in_progress", clock.advance(hours=1))
    assert t.first_response_at == MONDAY.replace(hour=10)
    assert check_sla(session, OPERATOR, clock.advance(hours=5), BUSINESS) == []


def test_a_business_day_that_ends_before_it_starts_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="BUSINESS_HOURS"):
        Clock("business", start=BUSINESS.end, end=BUSINESS.start)
