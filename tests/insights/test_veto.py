"""Veto risk: a veto holder whose current sentiment is negative, and the weakest one."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from pytest import approx

from accord.insights.axi import village
from accord.insights.veto import veto_holders, veto_risk
from tests.insights.conftest import TODAY, build_portfolio, days_ago


def risk_of(portfolio, account="A", **kw):
    return veto_risk(portfolio, **kw).filter(pl.col("account_id") == account).row(0, named=True)


def _gatekeeper_says(nps: int, **contact):
    return build_portfolio(
        contacts=[
            {"contact_id": "g", "role": "gatekeeper", "influence": 0.4, "veto": True, **contact},
            {"contact_id": "u", "role": "user", "influence": 0.9},
        ],
        feedback=[
            {"feedback_id": "f1", "contact_id": "g", "nps": nps, "occurred_at": days_ago(20)},
            {"feedback_id": "f2", "contact_id": "u", "nps": 0, "occurred_at": days_ago(1)},
        ],
    )


@pytest.mark.parametrize(("nps", "at_risk"), [(2, True), (6, True), (7, False), (10, False)])
def test_a_veto_holder_below_zero_puts_the_account_at_risk(nps: int, at_risk: bool) -> None:
    row = risk_of(_gatekeeper_says(nps))
    assert row["veto_risk"] is at_risk  # the unhappy user holds no veto
    assert row["weakest_veto_contact"] == "g"  # surfaced whether or not at risk
    assert row["weakest_veto_sentiment"] == approx(max(-100, (nps - 7) / 3 * 100))
    assert row["weakest_veto_feedback_id"] == "f1"


def test_a_departed_veto_holder_no_longer_counts() -> None:
    row = risk_of(_gatekeeper_says(2, active_to=TODAY - timedelta(days=5)))
    assert row["veto_risk"] is False
    assert (row["veto_holders"], row["weakest_veto_contact"]) == (0, None)


def test_the_weakest_holder_is_the_lowest_and_what_they_said_is_named() -> None:
    profiles = [
        {"purchase_type": "widgets", "phase": "continuous", "role": "technical_buyer",
         "weight": 0.8, "veto": True},
    ]  # fmt: skip
    portfolio = build_portfolio(
        profiles=profiles,
        contacts=[
            {"contact_id": "g", "role": "gatekeeper", "influence": 0.4, "veto": True},
            {"contact_id": "t", "role": "technical_buyer"},  # veto from the profile
            {"contact_id": "p", "role": "procurement", "influence": 0.7, "veto": True},  # unheard
        ],
        feedback=[
            {"feedback_id": "g1", "contact_id": "g", "nps": 5, "occurred_at": days_ago(10)},
            {"feedback_id": "t1", "contact_id": "t", "nps": 3, "occurred_at": days_ago(90)},
            {"feedback_id": "t2", "contact_id": "t", "nps": 2, "occurred_at": days_ago(30)},
            {
                "feedback_id": "t3",
                "contact_id": "t",
                "channel": "ticket",
                "occurred_at": days_ago(2),
            },
        ],
    )
    row = risk_of(portfolio)
    assert row["veto_risk"] is True
    assert (row["veto_holders"], row["veto_heard"]) == (3, 2)
    assert row["weakest_veto_contact"] == "t"
    assert row["weakest_veto_sentiment"] == approx(-100)
    assert row["weakest_veto_feedback_id"] == "t2"  # the latest scored answer behind it
    holders = veto_holders(village(portfolio))
    assert holders["contact_id"].to_list() == ["g", "p", "t"]
    assert holders.filter(pl.col("contact_id") == "p")["sentiment"].to_list() == [None]


def test_nobody_with_a_veto_means_no_risk_and_no_weakest() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "u", "role": "user", "influence": 0.9}],
        feedback=[{"contact_id": "u", "nps": 0}],
    )
    row = risk_of(portfolio)
    assert (row["veto_risk"], row["veto_holders"], row["weakest_veto_sentiment"]) == (
        False,
        0,
        None,
    )
