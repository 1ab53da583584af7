"""The sampling planner: hand-built villages with hand-computed coverage (pure), the same rules
through the database with prior invitations (fatigue), and the synthetic world."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.config import Settings
from accord.errors import Forbidden, NotFound
from accord.listening import sampling_service
from accord.listening.models import Invitation, Survey
from accord.listening.sampling import (
    AccountFacts,
    Delivery,
    Person,
    Rules,
    coverage_of,
    invite_everyone,
    plan_relationship,
    plan_scenario,
    with_coverage,
)
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact, make_feedback, make_fulfilment
from tests.insights._world import TODAY as WORLD_DAY
from tests.insights._world import planted_world

NOW = datetime(2026, 11, 23, 12)
TODAY = NOW.date()
ACME = AccountFacts("acme", "Acme", "large", 1000.0, frozenset({"user"}), transacted=True)


def person(cid: str, role: str, weight: float, **kw: object) -> Person:
    values: dict[str, object] = {"active": True, "email": f"{cid}@acme.example"}
    values.update(kw)
    return Person(cid, "acme", role, weight, bool(values.pop("veto", False)), **values)  # type: ignore[arg-type]


def village() -> list[Person]:
    return [
        person("vera", "gatekeeper", 0.2, veto=True, last_heard=date(2026, 7, 6)),
        person("ed", "economic_buyer", 0.5),
        person("u1", "user", 0.4, last_heard=date(2026, 11, 1)),
        person("u2", "user", 0.3),
        person("u3", "user", 0.1),
        person("gone", "procurement", 0.9, active=False, active_to=date(2026, 1, 31)),
    ]


def test_a_veto_holder_is_always_picked_and_a_departed_one_never() -> None:
    plan = plan_relationship("rel", [ACME], village(), Rules(target_share=0.1), NOW)
    ids = [p.contact_id for p in plan.picks]
    assert ids[0] == "vera"
    assert "gone" not in ids
    departed = [e for e in plan.exclusions if e.contact_id == "gone"]
    assert departed[0].why == "departed" and "2026-01-31" in departed[0].note
    reason = plan.picks[0].reason
    assert reason == "veto holder, gatekeeper, not heard for 140 days, adds 0.13 of Acme's weight"


def test_picks_cover_every_role_then_the_heaviest_until_the_target() -> None:
    # Active weight 0.2 + 0.5 + 0.4 + 0.3 + 0.1 = 1.5; target 0.8 × 1.5 = 1.2.
    # vera (veto, 0.2), ed (unheard role, 0.5), u1 (first user, 0.4): 1.1 < 1.2, so u2 too:
    # 1.4 ≥ 1.2, stop; u3 is not asked.
    plan = plan_relationship("rel", [ACME], village(), Rules(target_share=0.8), NOW)
    assert [p.contact_id for p in plan.picks] == ["vera", "ed", "u1", "u2"]
    assert "role not heard in 365 days" in plan.picks[1].reason
    cov = coverage_of({p.contact_id for p in plan.picks}, [ACME], village())
    assert cov["portfolio"] == pytest.approx(1.4 / 1.5)
    # Role weights (max per role): gatekeeper 0.2, economic buyer 0.5, user 0.4 → all heard.
    assert cov["roles_portfolio"] == pytest.approx(1.0)
    assert cov["invitations"] == 4


def test_the_role_and_account_caps_hold() -> None:
    plan = plan_relationship("rel", [ACME], village(), Rules(target_share=1.0, role_cap=1), NOW)
    assert [p.contact_id for p in plan.picks] == ["vera", "ed", "u1"]
    assert {e.contact_id for e in plan.exclusions if e.why == "role_cap"} == {"u2", "u3"}
    capped = plan_relationship(
        "rel", [ACME], village(), Rules(target_share=1.0, account_cap=2), NOW
    )
    assert [p.contact_id for p in capped.picks] == ["vera", "ed"]
    assert any("reaches 0.47 of its weight" in n for n in capped.notes)


def test_fatigue_quarantine_and_missing_email_exclude() -> None:
    people = village()
    people[1] = person("ed", "economic_buyer", 0.5, last_relationship=NOW - timedelta(days=30))
    people[2] = person("u1", "user", 0.4, quarantined="domain acme.example")
    people[3] = person("u2", "user", 0.3, email=None)
    plan = plan_relationship("rel", [ACME], people, Rules(target_share=1.0), NOW)
    assert [p.contact_id for p in plan.picks] == ["vera", "u3"]
    why = {e.contact_id: e.why for e in plan.exclusions}
    assert why == {"ed": "fatigued", "u1": "quarantined", "u2": "no_email", "gone": "departed"}
    # 91 days later the economic buyer may be asked again.
    people[1] = person("ed", "economic_buyer", 0.5, last_relationship=NOW - timedelta(days=91))
    plan = plan_relationship("rel", [ACME], people, Rules(target_share=1.0), NOW)
    assert "ed" in [p.contact_id for p in plan.picks]


def test_the_monthly_cap_keeps_veto_holders_and_valuable_accounts() -> None:
    small = AccountFacts("small", "Small", "large", 10.0)
    people = [*village(), Person("s1", "small", "user", 1.0, False, True, email="s1@x.example")]
    plan = plan_relationship("rel", [ACME, small], people, Rules(monthly_remaining=2), NOW)
    assert [p.contact_id for p in plan.picks] == ["vera", "ed"]
    assert sum(e.why == "monthly_cap" for e in plan.exclusions) == 3


def test_every_role_of_every_segment_is_represented() -> None:
    other = AccountFacts("beta", "Beta", "large", 5.0, frozenset({"economic_buyer"}))
    people = [
        *village(),
        Person("b-eb", "beta", "economic_buyer", 0.9, False, True, email="b@beta.example"),
        Person("b-ch", "beta", "champion", 0.1, False, True, email="c@beta.example"),
    ]
    plan = plan_relationship("rel", [ACME, other], people, Rules(target_share=0.5), NOW)
    by_contact = {p.contact_id: p for p in plan.picks}
    assert "b-ch" in by_contact  # the only champion of the segment


def test_a_scenario_survey_asks_who_received_the_recent_delivery() -> None:
    deliveries = [Delivery("ful-1", "acme", NOW - timedelta(days=3))]
    people = village()
    people[2] = person("u1", "user", 0.4, last_scenario=NOW - timedelta(days=2))
    plan = plan_scenario("scen", [ACME], people, deliveries, Rules(role_cap=1), NOW)
    assert [(p.contact_id, p.fulfilment_id) for p in plan.picks] == [
        ("u2", "ful-1"),
        ("vera", "ful-1"),
    ]
    assert plan.picks[0].reason.startswith("user at Acme, received delivery ful-1 3 days ago")
    why = {e.contact_id: e.why for e in plan.exclusions}
    assert why["u1"] == "fatigued" and why["u3"] == "role_cap"
    assert "ed" not in why and "gone" not in [p.contact_id for p in plan.picks]


# --- through the database ----------------------------------------------------------------------


def _db_world(session: Session) -> None:
    make_account(session, "acme", "alice@example.com", name="Acme")
    make_contact(session, "vera", "acme", role="gatekeeper", influence=0.2, veto=True,
                 email="vera@acme.example")  # fmt: skip
    make_contact(session, "ed", "acme", role="economic_buyer", influence=0.5,
                 email="ed@acme.example")  # fmt: skip
    make_contact(session, "u1", "acme", role="user", influence=0.4, email="u1@acme.example")
    make_contact(session, "gone", "acme", role="procurement", influence=0.9,
                 email="gone@acme.example", active_to=date(2026, 1, 31))  # fmt: skip
    make_feedback(session, "fb-1", "acme", contact_id="u1", occurred_at=NOW - timedelta(days=20))
    make_fulfilment(session, "ful-1", "acme", delivered_at=NOW - timedelta(days=2))
    session.add(Survey(id="rel", name="Relationship", kind="relationship", definition={}))
    session.add(Survey(id="old", name="Old", kind="relationship", definition={}))
    session.flush()
    session.add(Invitation(id="inv-1", survey_id="old", contact_id="ed", account_id="acme",
                           created_at=NOW - timedelta(days=10),
                           expires_at=NOW + timedelta(days=11)))  # fmt: skip
    session.commit()


def test_the_service_respects_prior_invitations_and_reports_coverage(session: Session) -> None:
    _db_world(session)
    plan = sampling_service.plan_survey(session, OPERATOR, "rel", NOW, settings=Settings())
    assert [p.contact_id for p in plan.picks] == ["vera", "u1"]
    why = {e.contact_id: e.why for e in plan.exclusions}
    assert why == {"ed": "fatigued", "gone": "departed"}
    # Active weight 0.2 + 0.5 + 0.4 = 1.1; the plan asks 0.6 of it; everyone would ask all 1.1.
    cov = plan.to_dict()["coverage"]
    assert cov["plan"]["portfolio"] == pytest.approx(0.6 / 1.1)
    assert cov["everyone"]["portfolio"] == pytest.approx(1.0)
    assert (cov["plan"]["invitations"], cov["everyone"]["invitations"]) == (2, 3)
    assert session.scalar(select(Invitation).where(Invitation.survey_id == "rel")) is None


def test_quarantine_setting_is_the_opt_out_list(session: Session) -> None:
    _db_world(session)
    settings = Settings(sampling_quarantine=["vera", "@ACME.example"])
    plan = sampling_service.plan_survey(session, OPERATOR, "rel", NOW, settings=settings)
    assert plan.picks == []
    assert {e.why for e in plan.exclusions} == {"quarantined", "departed"}


def test_only_managers_plan_and_unknown_surveys_are_404(session: Session) -> None:
    _db_world(session)
    alice = Actor(email="alice@example.com", role=UserRole.account_manager)
    with pytest.raises(Forbidden):
        sampling_service.plan_survey(session, alice, "rel", NOW)
    with pytest.raises(NotFound):
        sampling_service.plan_survey(session, OPERATOR, "nope", NOW)


def test_without_dry_run_the_picks_become_planned_invitations(session: Session) -> None:
    _db_world(session)
    rel = session.get(Survey, "rel")
    assert rel is not None
    rel.definition = {
        "id": "rel", "name": "Relationship", "kind": "relationship", "supplier": "Us",
        "questions": [{"id": "nps", "type": "nps", "text": "Would you recommend us?"}],
    }  # fmt: skip
    session.commit()
    plan = sampling_service.plan_survey(session, OPERATOR, "rel", NOW, dry_run=False)
    assert plan.created == 2
    rows = session.scalars(select(Invitation).where(Invitation.survey_id == "rel")).all()
    assert sorted((i.contact_id, i.status) for i in rows) == [
        ("u1", "planned"),
        ("vera", "planned"),
    ]
    assert next(i for i in rows if i.contact_id == "vera").reason.startswith("veto holder")
    # Planned again a month later: a top-up. Those invited count toward the target; nobody new
    # is needed, and the coverage still counts them.
    later = NOW + timedelta(days=30)
    again = sampling_service.plan_survey(session, OPERATOR, "rel", later, dry_run=True)
    assert again.picks == [] and sorted(again.carried) == ["u1", "vera"]
    assert {e.contact_id for e in again.exclusions if e.why == "already_invited"} == {"u1", "vera"}
    assert again.coverage["plan"]["portfolio"] == pytest.approx(0.6 / 1.1)
    assert again.coverage["plan"]["new_invitations"] == 0


# --- the synthetic world -----------------------------------------------------------------------


def test_on_the_synthetic_world_fewer_invitations_cover_the_deciding_weight(
    migrated_engine,
    tmp_path_factory,  # type: ignore[no-untyped-def]
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    people, accounts = _from_portfolio(world.portfolio, WORLD_DAY)
    now = datetime.combine(WORLD_DAY, datetime.min.time()).replace(hour=12)
    plan = plan_relationship("rel", accounts, people, Rules(), now)
    cov = with_coverage(plan, accounts, people, WORLD_DAY).coverage
    mine, everyone = cov["plan"], cov["everyone"]
    assert mine["invitations"] < everyone["invitations"]
    # The weight that decides the AXI (each role's heaviest member): at least as well covered.
    assert mine["roles_portfolio"] >= everyone["roles_portfolio"]
    assert mine["portfolio"] >= 0.9
    assert everyone["invitations"] == len(invite_everyone(accounts, people, WORLD_DAY))


def _from_portfolio(portfolio, today: date):  # type: ignore[no-untyped-def]
    """The planner's records from an in-memory portfolio, as sampling_service reads them;
    every contact is given an address, as the synthetic contacts all have one."""
    from accord.insights.axi import village as build_village

    v = build_village(portfolio, today)
    now = datetime.combine(today, datetime.min.time())
    accounts = sampling_service.account_facts(portfolio, v, today, now - timedelta(days=90), now)
    emails = dict.fromkeys(portfolio.contacts["contact_id"].to_list(), "x@example.com")
    return sampling_service.village_people(portfolio, v, emails), accounts


def test_the_sample_command_prints_the_plan_and_json(
    engine,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import json

    from typer.testing import CliRunner

    from accord.cli import listening
    from accord.cli.main import app
    from accord.db import transaction

    _db_world(session)
    monkeypatch.setattr(listening, "transaction", lambda: transaction(engine))
    now = ["--now", NOW.isoformat()]
    result = CliRunner().invoke(app, ["sample", "--survey", "rel", "--dry-run", *now])
    assert result.exit_code == 0, result.output
    assert "2 invitation(s) — dry run" in result.stdout and "this plan" in result.stdout
    assert "1 departed" in result.stdout and "1 fatigued" in result.stdout
    out = json.loads(
        CliRunner().invoke(app, ["sample", "--survey", "rel", "--dry-run", "--json", *now]).stdout
    )
    assert [p["contact_id"] for p in out["picks"]] == ["vera", "u1"]
    missing = CliRunner().invoke(app, ["sample", "--survey", "nope", "--dry-run"])
    assert missing.exit_code == 1


def test_the_service_plans_a_scenario_survey_for_recent_deliveries(session: Session) -> None:
    _db_world(session)
    make_fulfilment(session, "ful-old", "acme", delivered_at=NOW - timedelta(days=40))
    session.add(Survey(id="after-delivery", name="After delivery", kind="scenario", definition={}))
    session.commit()
    plan = sampling_service.plan_survey(session, OPERATOR, "after-delivery", NOW)
    assert [(p.contact_id, p.fulfilment_id) for p in plan.picks] == [
        ("u1", "ful-1"),
        ("vera", "ful-1"),
    ]
    assert plan.picks[0].reason == (
        "user at Acme, received delivery ful-1 2 days ago, adds 0.36 of Acme's weight"
    )
    assert "ed" not in {p.contact_id for p in plan.picks}  # economic buyers receive no deliveries
