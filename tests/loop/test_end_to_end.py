"""The loop end to end: a veto holder's negative comment routes by rule to a numbered ticket,
breaches its first-response SLA under a controlled clock, escalates to the account owner and
then the team lead, is resolved with a root cause and prevention, and shows in the value
report with its action."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.config import get_settings
from accord.loop import routing
from accord.loop.actions import resolve
from accord.loop.sla import Clock, check_sla
from accord.loop.tickets import history, transition
from accord.reports.value import as_dict, value_report
from tests.factories import make_account, make_contact, make_feedback
from tests.loop.builders import FakeClock, make_rules


def test_a_veto_holders_complaint_goes_round_the_loop(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(get_settings().loop_team_leads, "quality", "lead@example.com")
    clock, business = FakeClock(), Clock("business")
    make_account(session, "ACC-1", "owner@example.com", segment="enterprise")
    make_contact(session, "CON-V", "ACC-1", role="technical_buyer", veto=True)
    make_rules(session)
    make_feedback(session, "FB-1", "ACC-1", contact_id="CON-V", channel="note", nps=None,
                  product=1, text="Tolerances drifted again on the last batch.",
                  occurred_at=clock.now)  # fmt: skip

    ticket = routing.route(session, OPERATOR, "FB-1", clock.now)
    assert ticket is not None
    assert (ticket.id, ticket.team, ticket.priority) == ("AC-000001", "quality", "high")

    clock.advance(hours=5)  # past the 4 business hours of a high ticket's first response
    assert [(e.level, e.to) for e in check_sla(session, OPERATOR, clock.now, business)] == [
        (1, "owner@example.com")
    ]
    clock.advance(days=1)  # still unanswered after twice the allowance
    assert [(e.level, e.to) for e in check_sla(session, OPERATOR, clock.now, business)] == [
        (2, "lead@example.com")
    ]

    transition(session, OPERATOR, ticket, "in_progress", clock.advance(hours=1))
    action = resolve(session, OPERATOR, ticket, root_cause="product_defect",
                     prevention="Recalibrate the CNC line weekly", owner_email="qa@example.com",
                     due_date=date(2026, 3, 31), now=clock.advance(hours=2))  # fmt: skip
    assert action.id == ticket.id
    kinds = [e.kind for e in history(session, OPERATOR, ticket.id)]
    assert kinds == [
        "created", "linked", "breach", "escalated", "escalated", "status", "status", "action",
    ]  # fmt: skip

    issues = as_dict(value_report(session, OPERATOR, "ACC-1", "2026-03"))["issues"]
    assert issues["raised"] == 1 and issues["resolved"] == 1  # the feedback is not counted twice
    [item] = issues["items"]
    assert item["source"] == "ticket AC-000001" and item["status"] == "resolved"
    assert item["action"] == "product defect: Recalibrate the CNC line weekly"
