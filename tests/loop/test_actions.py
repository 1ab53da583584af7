"""Resolution needs a root cause and prevention; a recurrence flags the earlier action."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.errors import InvalidInput
from accord.loop.actions import resolve
from accord.loop.models import Action
from accord.loop.tickets import open_ticket, transition
from tests.factories import make_account
from tests.loop.builders import MONDAY


def _resolved(session: Session, account_id: str, at, cause: str = "logistics") -> Action:  # type: ignore[no-untyped-def]
    t = open_ticket(session, OPERATOR, account_id=account_id, title="late", team="logistics",
                    priority="normal", now=at)  # fmt: skip
    transition(session, OPERATOR, t, "in_progress", at)
    return resolve(session, OPERATOR, t, root_cause=cause, prevention="Second carrier on the lane",
                   owner_email="ops@example.com", due_date=date(2026, 4, 1), now=at)  # fmt: skip


def test_resolution_needs_a_known_root_cause(session: Session) -> None:
    make_account(session, "ACC-1")
    t = open_ticket(session, OPERATOR, account_id="ACC-1", title="x", team="quality",
                    priority="normal", now=MONDAY)  # fmt: skip
    transition(session, OPERATOR, t, "in_progress", MONDAY)
    with pytest.raises(InvalidInput, match="root_cause"):
        resolve(session, OPERATOR, t, root_cause="gremlins", prevention="p",
                owner_email="o@example.com", due_date=date(2026, 4, 1), now=MONDAY)  # fmt: skip


def test_the_same_root_cause_at_the_same_account_flags_the_earlier_action(
    session: Session,
) -> None:
    make_account(session, "ACC-1")
    make_account(session, "ACC-2")
    first = _resolved(session, "ACC-1", MONDAY)
    other_account = _resolved(session, "ACC-2", MONDAY + timedelta(days=10))
    other_cause = _resolved(session, "ACC-1", MONDAY + timedelta(days=20), cause="supplier")
    assert not first.not_preventing
    again = _resolved(session, "ACC-1", MONDAY + timedelta(days=30))
    assert first.not_preventing and first.recurred_in == again.id
    assert not other_account.not_preventing and not other_cause.not_preventing


def test_a_recurrence_after_the_window_flags_nothing(session: Session) -> None:
    make_account(session, "ACC-1")
    first = _resolved(session, "ACC-1", MONDAY)
    _resolved(session, "ACC-1", MONDAY + timedelta(days=91))
    assert not first.not_preventing


def test_the_same_driver_under_another_root_cause_is_a_recurrence(session: Session) -> None:
    from accord.loop.tickets import link_feedback
    from tests.factories import make_feedback

    make_account(session, "ACC-1")
    actions = []
    for i, cause in enumerate(("supplier", "logistics")):
        at = MONDAY + timedelta(days=10 * i)
        make_feedback(session, f"FB-{i}", "ACC-1", nps=None, fulfilment=1, product=2)
        t = open_ticket(session, OPERATOR, account_id="ACC-1", title="late", team="logistics",
                        priority="normal", now=at)  # fmt: skip
        link_feedback(session, OPERATOR, t, f"FB-{i}", at)
        transition(session, OPERATOR, t, "in_progress", at)
        action = resolve(session, OPERATOR, t, root_cause=cause, prevention="p",
                         owner_email="o@x.com", due_date=date(2026, 4, 1), now=at)  # fmt: skip
        actions.append(action)
    assert [a.driver for a in actions] == ["fulfilment", "fulfilment"]
    assert actions[0].not_preventing and actions[0].recurred_in == actions[1].id


def test_segment_scope_finds_recurrences_across_the_segment(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.config import get_settings

    make_account(session, "ACC-1", segment="fleet")
    make_account(session, "ACC-2", segment="fleet")
    make_account(session, "ACC-3", segment="retail")
    first = _resolved(session, "ACC-1", MONDAY)
    other_segment = _resolved(session, "ACC-3", MONDAY)
    assert not first.not_preventing  # account scope: ACC-3 is another account
    monkeypatch.setattr(get_settings(), "loop_recurrence_scope", "segment")
    _resolved(session, "ACC-2", MONDAY + timedelta(days=5))
    assert first.not_preventing and not other_segment.not_preventing
