"""The reads behind the loop's pages: SLA bands, the board's urgency order and its query count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop import board, tickets
from accord.loop.sla import sla_band
from tests.factories import make_account
from tests.loop.builders import MONDAY


def test_the_sla_band_names_breached_due_soon_and_on_track(session: Session) -> None:
    make_account(session, "ACC-1", "owner@example.com")
    # Urgent: first response within 1 business hour, resolution within 8 (ACCORD_LOOP_SLA_HOURS).
    t = tickets.open_ticket(session, OPERATOR, account_id="ACC-1", title="t", team="support",
                            priority="urgent", now=MONDAY)  # fmt: skip
    assert sla_band(t, MONDAY + timedelta(minutes=44)) == "on_track"  # 16 min of 60 left
    assert sla_band(t, MONDAY + timedelta(minutes=46)) == "due_soon"  # 14 min < a quarter
    assert sla_band(t, MONDAY + timedelta(minutes=61)) == "breached"
    tickets.transition(session, OPERATOR, t, "in_progress", MONDAY + timedelta(minutes=30))
    # Now the resolution clock: 8 h, due soon in its last 2 h (15:00–17:00 on Monday).
    assert sla_band(t, MONDAY + timedelta(hours=5, minutes=59)) == "on_track"
    assert sla_band(t, MONDAY + timedelta(hours=6, minutes=1)) == "due_soon"
    assert sla_band(t, MONDAY + timedelta(hours=8, minutes=1)) == "breached"


def test_the_board_orders_by_urgency_in_a_fixed_number_of_queries(session: Session) -> None:
    make_account(session, "ACC-1", "owner@example.com", name="Acme")
    opened = {}
    for name, prio, minutes in (("low", "low", 0), ("urgent", "urgent", 0),
                                ("high", "high", 0), ("late", "normal", -3 * 24 * 60)):  # fmt: skip
        opened[name] = tickets.open_ticket(
            session, OPERATOR, account_id="ACC-1", title=name, team="support", priority=prio,
            now=MONDAY + timedelta(minutes=minutes),
        ).id  # fmt: skip
    session.flush()
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        got = board.board(session, OPERATOR, board.BoardFilter(), MONDAY + timedelta(minutes=30))
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)
    # "late" was opened on Friday at 09:00: its first response was due at 17:00; "urgent" has
    # half its hour left (on track); then by priority.
    assert [r.ticket.title for r in got.rows] == ["late", "urgent", "high", "low"]
    assert [r.band for r in got.rows] == ["breached", "on_track", "on_track", "on_track"]
    assert got.counts["new"] == 4 and got.accounts == [("ACC-1", "Acme")]
    assert len(statements) == 3  # counts, tickets with their account, the account filter
