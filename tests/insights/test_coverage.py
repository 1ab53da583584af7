"""Coverage of the village's influence, unheard killers, departures and revenue coverage."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from pytest import approx

from accord.insights.axi import village
from accord.insights.coverage import account_coverage, key_roles_heard, revenue_coverage
from tests.insights.conftest import TODAY, build_portfolio, days_ago


def coverage_of(portfolio, account="A", **kw):
    out = account_coverage(portfolio, **kw)
    return out.filter(pl.col("account_id") == account).row(0, named=True)


def test_coverage_is_the_share_of_influence_heard_within_the_window() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "eb", "role": "economic_buyer", "influence": 0.6},
            {"contact_id": "u", "role": "user", "influence": 0.3},
            {"contact_id": "t", "role": "technical_buyer", "influence": 0.1},
            {"contact_id": "g", "role": "gatekeeper", "influence": 0.2},
        ],
        feedback=[
            {"contact_id": "eb", "channel": "note", "occurred_at": days_ago(3)},  # unscored
            {"contact_id": "t", "nps": 8, "occurred_at": days_ago(200)},
            {"contact_id": "g", "nps": 8, "occurred_at": days_ago(400)},  # out of the window
        ],
    )
    row = coverage_of(portfolio)
    assert row["coverage"] == approx((0.6 + 0.1) / 1.2)
    assert row["unheard_roles"] == ["user", "gatekeeper"]  # heaviest first
    assert row["unheard_veto"] == [] and row["departed_gap"] == []


def test_a_departure_rebalances_the_weights_and_shows_the_gap_it_left() -> None:
    left = {
        "contact_id": "eb_old",
        "role": "economic_buyer",
        "influence": 0.6,
        "active_to": TODAY - timedelta(days=20),
    }
    village_ = [
        left,
        {"contact_id": "u", "role": "user", "influence": 0.3},
        {"contact_id": "t", "role": "technical_buyer", "influence": 0.1},
    ]
    said = [
        {"contact_id": "eb_old", "nps": 9, "occurred_at": days_ago(30)},
        {"contact_id": "u", "nps": 9, "occurred_at": days_ago(5)},
    ]
    row = coverage_of(build_portfolio(contacts=village_, feedback=said))
    assert row["coverage"] == approx(0.3 / 0.4)  # not (0.6 + 0.3) / 1.0
    assert row["departed_gap"] == ["economic_buyer"]
    assert "economic_buyer" not in row["unheard_roles"]  # nobody active to hear

    successor = {"contact_id": "eb_new", "role": "economic_buyer", "influence": 0.5}
    row = coverage_of(build_portfolio(contacts=[*village_, successor], feedback=said))
    assert row["departed_gap"] == []
    assert row["unheard_roles"] == ["economic_buyer", "technical_buyer"]
    assert row["coverage"] == approx(0.3 / 0.9)

    long_gone = {**left, "active_to": TODAY - timedelta(days=400)}
    row = coverage_of(build_portfolio(contacts=[long_gone, *village_[1:]], feedback=said))
    assert row["departed_gap"] == []

    before = coverage_of(
        build_portfolio(contacts=village_, feedback=said), as_of=TODAY - timedelta(days=25)
    )
    assert before["coverage"] == approx(0.6 / 1.0)  # the buyer was there; the user spoke later
    assert before["departed_gap"] == []


def test_unheard_veto_holders_are_ranked_by_influence() -> None:
    profiles = [
        {"purchase_type": "widgets", "phase": "continuous", "role": r, "weight": 0.7, "veto": True}
        for r in ("technical_buyer", "user")
    ]
    portfolio = build_portfolio(
        profiles=profiles,
        contacts=[
            {"contact_id": "g", "role": "gatekeeper", "influence": 0.4, "veto": True},
            {"contact_id": "t", "role": "technical_buyer"},  # profile: weight 0.7, veto
            {"contact_id": "eb", "role": "economic_buyer", "influence": 0.9, "veto": True},
            {"contact_id": "u", "role": "user", "influence": 0.2},  # recorded: no veto
        ],
        feedback=[{"contact_id": "eb", "nps": 3}],
    )
    assert coverage_of(portfolio)["unheard_veto"] == ["t", "g"]
    veto = village(portfolio).stakeholders.sort("contact_id")
    assert dict(zip(veto["contact_id"], veto["veto"], strict=True)) == {
        "eb": True, "g": True, "t": True, "u": False,
    }  # fmt: skip


def _revenue_world():
    return build_portfolio(
        accounts=[
            {"account_id": "A", "annual_value": 800.0},
            {"account_id": "B", "annual_value": 200.0},
            {"account_id": "C", "annual_value": 500.0},
            {"account_id": "D", "annual_value": 100.0},
        ],
        contacts=[
            {"contact_id": "a_eb", "account_id": "A", "role": "economic_buyer", "influence": 0.9},
            {"contact_id": "a_g", "account_id": "A", "role": "gatekeeper", "influence": 0.3,
             "veto": True},
            {"contact_id": "a_u", "account_id": "A", "role": "user", "influence": 0.2},
            {"contact_id": "b_u", "account_id": "B", "role": "user", "influence": 0.7},
            {"contact_id": "b_g", "account_id": "B", "role": "gatekeeper", "influence": 0.3,
             "veto": True},
            {"contact_id": "c_u", "account_id": "C", "role": "user", "influence": 0.7},
        ],
        feedback=[
            {"account_id": "A", "contact_id": "a_eb", "occurred_at": days_ago(10)},
            {"account_id": "A", "contact_id": "a_g", "nps": 2, "occurred_at": days_ago(30)},
            {"account_id": "B", "contact_id": "b_u", "nps": 9, "occurred_at": days_ago(10)},
            {"account_id": "B", "contact_id": "b_g", "nps": 9, "occurred_at": days_ago(120)},
            {"account_id": "C", "contact_id": "c_u", "nps": 9, "occurred_at": days_ago(100)},
        ],
        opportunities=[
            {"account_id": "C", "outcome": "churned", "closed_at": TODAY - timedelta(days=30)},
            {"account_id": "B", "outcome": "renewed", "closed_at": TODAY - timedelta(days=30)},
        ],
    )  # fmt: skip


def test_key_roles_are_every_veto_role_and_the_heaviest_role() -> None:
    keys = key_roles_heard(village(_revenue_world(), window_days=90)).sort("account_id")
    assert keys["key_roles"].to_list() == [
        ["economic_buyer", "gatekeeper"], ["user", "gatekeeper"], ["user"], [],
    ]  # fmt: skip
    assert keys["unheard_key_roles"].to_list() == [[], ["gatekeeper"], ["user"], []]
    assert keys["covered"].to_list() == [True, False, False, False]  # D: nobody to hear


def test_revenue_coverage_is_the_value_share_whose_key_roles_were_heard_this_quarter() -> None:
    portfolio = _revenue_world()
    result = revenue_coverage(portfolio)
    assert result["revenue_coverage"] == approx(800 / (800 + 200 + 100))  # C churned: lost
    assert (result["accounts"], result["accounts_covered"]) == (3, 1)
    assert result["meets_bar"] is False and result["bar"] == 0.8
    assert result["uncovered"] == ["B", "D"]
    some = pl.DataFrame({"account_id": ["A", "B"]})
    assert revenue_coverage(portfolio, some)["revenue_coverage"] == approx(0.8)
    assert revenue_coverage(portfolio, some)["meets_bar"] is True


def test_an_empty_village_has_no_coverage_rather_than_zero() -> None:
    row = coverage_of(build_portfolio())
    assert row["coverage"] is None
    assert row["unheard_roles"] == [] and row["unheard_veto"] == []
