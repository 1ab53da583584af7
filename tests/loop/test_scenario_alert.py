"""The regional scenario-NPS drop alert, on hand-computed figures.

Today 30 June 2026, N = 30 days: the last window is 1–30 June, the previous one 2–31 May.

* North, previous: NPS 10,10,9,9,9,9,8,7,5,3 → 6 promoters, 2 detractors of 10 = 40.
  Last: N1 10,9,9,8 · N2 8,7,6 · N3 5,4,2 → 3 promoters, 4 detractors of 10 = −10. Drop 50.
  Owners: Olga (N1 NPS 75, N2 −33) → one ticket at N2; Pete (N3 −100) → one at N3.
* East, previous 5 promoters, 1 detractor of 10 = 40; last 4 and 1 of 10 = 30: a drop of exactly
  10, the threshold → a ticket for Eve at E1.
* South drops from 40 to −100 but has only 9 responses in the last window (< 10): no alert.
A survey (not scenario) detractor in North and a scenario response older than both windows
count for nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.config import Settings
from accord.loop import actions, alerts, tickets
from accord.loop.models import Ticket
from tests.factories import make_account, make_feedback

TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12)
MAY, JUNE = datetime(2026, 5, 10, 10), datetime(2026, 6, 15, 10)


def world(session: Session) -> None:
    for acc, region, owner in (("N1", "North", "olga@example.com"),
                               ("N2", "North", "olga@example.com"),
                               ("N3", "North", "pete@example.com"),
                               ("E1", "East", "eve@example.com"),
                               ("S1", "South", "sam@example.com")):  # fmt: skip
        make_account(session, acc, owner, region=region)
    scores = {  # account: (previous window, last window)
        "N1": ([10, 10, 9, 9, 9, 9, 8, 7, 5, 3], [10, 9, 9, 8]),
        "N2": ([], [8, 7, 6]),
        "N3": ([], [5, 4, 2]),
        "E1": ([10, 10, 9, 9, 9, 8, 8, 7, 7, 3], [10, 9, 9, 9, 8, 8, 7, 7, 7, 2]),
        "S1": ([10, 10, 9, 9, 9, 9, 8, 7, 5, 3], [0] * 9),
    }
    n = 0
    for acc, (before, last) in scores.items():
        for at, values in ((MAY, before), (JUNE, last)):
            for nps in values:
                n += 1
                make_feedback(session, f"fb-{n}", acc, channel="scenario", nps=nps, occurred_at=at)
    make_feedback(session, "survey-1", "N1", channel="survey", nps=0, occurred_at=JUNE)
    make_feedback(session, "old-1", "N1", channel="scenario", nps=0,
                  occurred_at=datetime(2026, 4, 1))  # fmt: skip
    session.flush()


def test_the_hook_finds_the_hand_computed_drops(session: Session) -> None:
    world(session)
    found = alerts.scenario_nps_drop(session, TODAY)
    window = "2026-06-01..2026-06-30"
    assert [(a.account_id, a.key, a.title) for a in found] == [
        ("E1", f"scenario_nps_drop:East:eve@example.com:{window}",
         f"Scenario NPS in East fell from 40 to 30 ({window}, vs the 30 days before)"),
        ("N2", f"scenario_nps_drop:North:olga@example.com:{window}",
         f"Scenario NPS in North fell from 40 to -10 ({window}, vs the 30 days before)"),
        ("N3", f"scenario_nps_drop:North:pete@example.com:{window}",
         f"Scenario NPS in North fell from 40 to -10 ({window}, vs the 30 days before)"),
    ]  # fmt: skip


def test_the_settings_move_the_thresholds(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    world(session)
    conf = Settings(loop_scenario_nps_drop=11)  # East's 10 points no longer count
    monkeypatch.setattr(alerts, "get_settings", lambda: conf)
    assert {a.account_id for a in alerts.scenario_nps_drop(session, TODAY)} == {"N2", "N3"}
    conf = Settings(loop_scenario_nps_drop=11, loop_scenario_nps_min_responses=9)  # South counts
    assert {a.account_id for a in alerts.scenario_nps_drop(session, TODAY)} == {"N2", "N3", "S1"}


def test_each_owner_gets_one_ticket_per_region_and_window(session: Session) -> None:
    world(session)
    opened = alerts.run_alerts(session, OPERATOR, TODAY, NOW, kinds=["scenario_nps_drop"])
    assert sorted((t.account_id, t.assignee_email, t.team) for t in opened) == [
        ("E1", "eve@example.com", "sales"),
        ("N2", "olga@example.com", "sales"),
        ("N3", "pete@example.com", "sales"),
    ]
    assert alerts.run_alerts(session, OPERATOR, TODAY, NOW, kinds=["scenario_nps_drop"]) == []
    for t in opened:  # closed: the same window still raises nothing
        tickets.transition(session, OPERATOR, t, "in_progress", NOW)
        tickets.transition(session, OPERATOR, t, "waiting_on_customer", NOW)
    n2 = session.get(Ticket, opened[1].id)
    assert n2 is not None
    actions.resolve(session, OPERATOR, n2, root_cause="logistics", prevention="p",
                    owner_email="olga@example.com", due_date=TODAY, now=NOW)  # fmt: skip
    tickets.transition(session, OPERATOR, n2, "closed", NOW)
    assert alerts.run_alerts(session, OPERATOR, TODAY, NOW, kinds=["scenario_nps_drop"]) == []
    # The next day is another window: Olga's ticket is closed, so she gets a new one; Pete and
    # Eve still have theirs open and get none.
    later = alerts.run_alerts(session, OPERATOR, date(2026, 7, 1), NOW, kinds=["scenario_nps_drop"])
    assert [(t.account_id, t.assignee_email) for t in later] == [("N2", "olga@example.com")]
    keys = session.scalars(select(Ticket.source_key).order_by(Ticket.seq)).all()
    assert len(keys) == len(set(keys)) == 4
