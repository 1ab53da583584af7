"""Routing rules: conditions, order, and the dry run that explains which rule fires."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.errors import Forbidden, InvalidInput
from accord.loop import routing
from accord.loop.models import Ticket
from accord.text.models import TextTag
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact, make_feedback
from tests.loop.builders import MONDAY, make_rules


@pytest.fixture
def world(session: Session) -> None:
    make_account(session, "ACC-1", segment="enterprise", annual_value=500_000)
    make_contact(session, "CON-V", "ACC-1", role="technical_buyer", veto=True)
    make_contact(session, "CON-U", "ACC-1", role="user")
    make_rules(session)


def test_a_veto_holders_product_complaint_fires_the_veto_rule(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    make_feedback(session, "FB-1", "ACC-1", contact_id="CON-V", channel="call", nps=None,
                  product=1, trust=4)  # fmt: skip
    run = routing.dry_run(session, OPERATOR, "FB-1")
    assert run.fired is not None and run.fired.name.startswith("Veto holder")
    assert (run.team, run.priority) == ("quality", "high")
    assert run.facts.drivers == ["product"] and run.facts.sentiment == -25
    assert {r["condition"]: r["holds"] for r in run.rules[0].reasons} == {
        "veto": True, "sentiment_below": True, "drivers": True,
    }  # fmt: skip
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0  # a dry run


def test_the_same_complaint_from_a_user_falls_to_the_next_rule(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    make_feedback(session, "FB-2", "ACC-1", contact_id="CON-U", nps=3)
    run = routing.dry_run(session, OPERATOR, "FB-2")
    assert run.rules[0].matched is False
    why = {r["condition"]: r["because"] for r in run.rules[0].reasons if not r["holds"]}
    assert why == {"veto": "speaker veto is False", "drivers": "driver tags none"}
    assert (run.team, run.priority) == ("support", "normal")
    ticket = routing.route(session, OPERATOR, "FB-2", MONDAY)
    assert ticket is not None and ticket.team == "support" and ticket.rule_id == run.fired.rule_id  # type: ignore[union-attr]
    assert routing.route(session, OPERATOR, "FB-2", MONDAY) is ticket  # not routed twice


def test_a_comment_with_no_scores_routes_on_its_text_tags(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    make_feedback(session, "FB-T", "ACC-1", contact_id="CON-V", channel="email", nps=None,
                  text="Third batch out of tolerance; we look at other suppliers.")  # fmt: skip
    untagged = routing.dry_run(session, OPERATOR, "FB-T")
    assert (untagged.facts.drivers, untagged.facts.sentiment) == ([], None)
    session.add(TextTag(feedback_id="FB-T", drivers=["trust", "product"], sentiment="negative",
                        confidence=0.8, model_version="t", source="model"))  # fmt: skip
    session.flush()
    run = routing.dry_run(session, OPERATOR, "FB-T")
    assert run.facts.drivers == ["product", "trust"]  # in the model's order
    assert run.facts.sentiment == pytest.approx(-80.0)  # −100 × confidence
    assert run.fired is not None and run.fired.name.startswith("Veto holder")


def test_rules_on_channel_segment_value_and_role(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    routing.create_rule(session, OPERATOR, {
        "position": 1, "name": "Big enterprise buyers on calls", "team": "sales",
        "priority": "urgent", "conditions": {
            "channels": ["call"], "segments": ["enterprise"], "min_annual_value": 100_000,
            "roles": ["technical_buyer"], "sentiment_at_least": -100,
        },
    })  # fmt: skip
    make_feedback(session, "FB-3", "ACC-1", contact_id="CON-V", channel="call", nps=9)
    make_feedback(session, "FB-4", "ACC-1", contact_id="CON-V", channel="email", nps=9)
    assert routing.dry_run(session, OPERATOR, "FB-3").team == "sales"
    assert routing.dry_run(session, OPERATOR, "FB-4").fired is None  # positive, by email
    assert routing.route(session, OPERATOR, "FB-4", MONDAY) is None


def test_rules_are_checked_and_only_managers_edit_them(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="unknown conditions"):
        routing.create_rule(session, OPERATOR, {"position": 1, "name": "x", "team": "support",
                            "priority": "low", "conditions": {"colour": "red"}})  # fmt: skip
    am = Actor("am@example.com", UserRole.account_manager)
    with pytest.raises(Forbidden):
        routing.update_rule(session, am, 1, {"enabled": False})
