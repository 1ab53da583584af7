"""Alerts open tickets for the account owner; the weekly digest per originator team."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.loop import alerts
from accord.loop.actions import resolve
from accord.loop.digest import weekly_digest
from accord.loop.tickets import open_ticket, transition
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact, make_feedback
from tests.loop.builders import MONDAY

TODAY = date(2026, 3, 2)


def test_a_negative_veto_holder_opens_one_ticket_for_the_owner(session: Session) -> None:
    make_account(session, "ACC-1", "owner@example.com")
    make_contact(session, "CON-V", "ACC-1", role="technical_buyer", veto=True)
    make_feedback(session, "FB-1", "ACC-1", contact_id="CON-V", nps=2,
                  occurred_at=datetime(2026, 2, 20))  # fmt: skip
    opened = alerts.run_alerts(session, OPERATOR, TODAY, MONDAY, ["veto_negative"])
    assert [(t.team, t.assignee_email, t.source) for t in opened] == [
        ("sales", "owner@example.com", "alert:veto_negative")
    ]
    assert "CON-V" in opened[0].title
    assert alerts.run_alerts(session, OPERATOR, TODAY, MONDAY, ["veto_negative"]) == []


def test_an_unheard_veto_holder_near_renewal_opens_a_ticket(session: Session) -> None:
    make_account(session, "ACC-1", "o@example.com", renewal_date=TODAY + timedelta(days=60))
    make_account(session, "ACC-2", "o@example.com", renewal_date=TODAY + timedelta(days=200))
    for acc in ("ACC-1", "ACC-2"):
        make_contact(session, f"CON-{acc}", acc, role="economic_buyer", veto=True)
    opened = alerts.run_alerts(session, OPERATOR, TODAY, MONDAY, ["unheard_veto_renewal"])
    assert [t.account_id for t in opened] == ["ACC-1"]


def test_alerts_are_a_registry_new_hooks_plug_into(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1", "o@example.com")
    monkeypatch.setattr(alerts, "ALERT_HOOKS", {})
    alerts.register_alert(
        "scenario_drop", lambda s, d: [alerts.Alert("scenario_drop", "ACC-1", "k1", "NPS drop")]
    )
    assert [t.source for t in alerts.run_alerts(session, OPERATOR, TODAY, MONDAY)] == [
        "alert:scenario_drop"
    ]


def test_the_weekly_digest_lists_open_work_actions_and_recurrences(session: Session) -> None:
    make_account(session, "ACC-1", "alice@example.com")
    make_account(session, "ACC-2", "bob@example.com")
    for i, at in enumerate((MONDAY - timedelta(days=30), MONDAY - timedelta(days=2))):
        t = open_ticket(session, OPERATOR, account_id="ACC-1", title=f"late {i}",
                        team="logistics", priority="normal", now=at)  # fmt: skip
        transition(session, OPERATOR, t, "in_progress", at)
        resolve(session, OPERATOR, t, root_cause="logistics", prevention="carrier",
                owner_email="ops@example.com", due_date=date(2026, 2, 1), now=at)  # fmt: skip
    open_ticket(session, OPERATOR, account_id="ACC-2", title="open", team="logistics",
                priority="urgent", now=MONDAY - timedelta(days=3))  # fmt: skip
    d = weekly_digest(session, OPERATOR, "logistics", MONDAY)
    assert (d["opened"], d["resolved"], d["breached"]) == (2, 1, 1)
    assert [a["ticket"] for a in d["recurrences"]] == ["AC-000001"]
    assert [a["overdue"] for a in d["open_actions"]] == [True, True]
    alice = Actor("alice@example.com", UserRole.account_manager)
    assert weekly_digest(session, alice, "logistics", MONDAY)["open_tickets"] == []
