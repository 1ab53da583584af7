"""The status workflow, assignment, merging, feedback links and history."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry
from accord.errors import InvalidInput
from accord.loop import tickets
from accord.loop.tickets import open_ticket, transition
from tests.factories import make_account, make_feedback
from tests.loop.builders import MONDAY


@pytest.fixture
def ticket(session: Session):  # type: ignore[no-untyped-def]
    make_account(session, "ACC-1")
    return open_ticket(session, OPERATOR, account_id="ACC-1", title="x", team="support",
                       priority="normal", now=MONDAY)  # fmt: skip


def test_the_workflow_refuses_illegal_moves(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="a new ticket cannot move to resolved"):
        transition(session, OPERATOR, ticket, "resolved", MONDAY)
    with pytest.raises(InvalidInput) as exc:
        transition(session, OPERATOR, ticket, "waiting_on_customer", MONDAY)
    assert exc.value.status_code == 422


def test_a_ticket_walks_the_workflow_and_reopens(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    tickets.assign(session, OPERATOR, ticket, "sam@example.com", MONDAY)
    assert ticket.status == "assigned"
    for to in ("in_progress", "waiting_on_customer", "in_progress"):
        transition(session, OPERATOR, ticket, to, MONDAY)
    ticket.status = "resolved"  # as actions.resolve leaves it
    transition(session, OPERATOR, ticket, "closed", MONDAY)
    transition(session, OPERATOR, ticket, "in_progress", MONDAY)
    kinds = [e.kind for e in tickets.history(session, OPERATOR, ticket.id)]
    assert kinds == ["created", "assigned", "status", "status", "status", "status", "reopened"]
    audited = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == ticket.id))
    assert {"create", "update", "assigned", "reopened"} <= set(audited)


def test_several_feedback_items_link_and_duplicates_merge(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    make_feedback(session, "FB-1", "ACC-1")
    make_feedback(session, "FB-2", "ACC-1")
    tickets.link_feedback(session, OPERATOR, ticket, "FB-1", MONDAY)
    dup = open_ticket(session, OPERATOR, account_id="ACC-1", title="again", team="support",
                      priority="normal", now=MONDAY, feedback_ids=("FB-2",))  # fmt: skip
    tickets.merge(session, OPERATOR, dup, ticket, MONDAY)
    assert tickets.feedback_ids(session, ticket.id) == ["FB-1", "FB-2"]
    assert (dup.status, dup.merged_into) == ("closed", ticket.id)


def test_feedback_of_another_account_cannot_be_linked(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    make_account(session, "ACC-2")
    make_feedback(session, "FB-X", "ACC-2")
    with pytest.raises(Exception, match="not found"):
        tickets.link_feedback(session, OPERATOR, ticket, "FB-X", MONDAY)


def test_a_new_priority_moves_the_due_times(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    from accord.loop.schemas import TicketFields
    from accord.loop.service import update_ticket

    before = ticket.first_response_due
    update_ticket(session, OPERATOR, ticket.id, TicketFields(priority="urgent"), MONDAY)
    assert ticket.first_response_due < before
    assert ticket.first_response_due == MONDAY.replace(hour=10)


def test_the_event_feed_lists_every_ticket_event_in_order(session: Session, ticket) -> None:  # type: ignore[no-untyped-def]
    tickets.assign(session, OPERATOR, ticket, "sam@example.com", MONDAY)
    feed = tickets.events_since(session)
    assert [(e.ticket_id, e.kind) for e in feed] == [
        (ticket.id, "created"),
        (ticket.id, "assigned"),
    ]
    assert tickets.events_since(session, feed[0].id) == feed[1:]
