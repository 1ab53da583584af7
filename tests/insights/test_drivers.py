"""Driver scores from ratings and text tags, per account, role and segment."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from pytest import approx

from accord.insights.drivers import driver_scores
from tests.insights.conftest import TODAY, build_portfolio, days_ago


def scores_of(portfolio, key="A", by="account", **kw):
    out = driver_scores(portfolio, by=by, **kw)
    column = {"account": "account_id", "role": "role", "segment": "segment"}[by]
    return out.filter(pl.col(column) == key).row(0, named=True)


def test_ratings_become_scores_nested_by_role() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "eb", "role": "economic_buyer", "influence": 0.9},
            {"contact_id": "u1", "role": "user", "influence": 0.3},
            {"contact_id": "u2", "role": "user", "influence": 0.3},
        ],
        feedback=[
            {"contact_id": "eb", "product": 5, "price": 1},
            {"contact_id": "u1", "product": 3},
            {"contact_id": "u2", "product": 1},
        ],
    )
    row = scores_of(portfolio)
    assert row["driver_product"] == approx((0.9 * 100 + 0.3 * (0 - 100) / 2) / 1.2)
    assert row["driver_price"] == approx(-100)
    assert (row["driver_fulfilment"], row["n_fulfilment"]) == (None, 0)
    assert (row["n_product"], row["n_price"]) == (3, 1)


def test_an_older_rating_weighs_half_at_the_half_life() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "c", "role": "user", "influence": 0.5}],
        feedback=[
            {"contact_id": "c", "trust": 1, "occurred_at": days_ago(180)},
            {"contact_id": "c", "trust": 5, "occurred_at": days_ago(0)},
            {"contact_id": "c", "trust": 1, "occurred_at": days_ago(400)},  # out of the window
        ],
    )
    row = scores_of(portfolio)
    assert row["driver_trust"] == approx((-100 * 0.5 + 100 * 1) / 1.5)
    assert row["n_trust"] == 2


def test_text_tags_count_where_no_rating_was_given() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "c", "role": "user", "influence": 0.5}],
        feedback=[
            {"feedback_id": "f1", "contact_id": "c", "product": 4},
            {"feedback_id": "f2", "contact_id": "c", "channel": "ticket"},
        ],
    )
    tags = pl.DataFrame(
        {
            "feedback_id": ["f1", "f1", "f2", "f2", "f2", "f9"],
            "driver": ["product", "trust", "ease", "price", None, "trust"],
            "polarity": ["negative", "positive", "negative", "neutral", "negative", "negative"],
        }
    )
    row = scores_of(portfolio, tags=tags)
    assert row["driver_product"] == approx(50)  # the rating wins over the tag on f1
    assert (row["driver_trust"], row["driver_ease"], row["driver_price"]) == (50, -50, 0)
    assert (row["n_product"], row["n_trust"], row["n_ease"], row["n_price"]) == (1, 1, 1, 1)
    numeric = tags.with_columns(polarity=pl.Series([-1.0, 0.5, -0.2, 0.0, 1.0, 1.0]))
    row = scores_of(portfolio, tags=numeric)
    assert (row["driver_trust"], row["driver_ease"]) == (approx(25), approx(-10))
    assert scores_of(portfolio)["driver_trust"] is None  # without tags: unrated
    with pytest.raises(ValueError, match="polarity"):
        driver_scores(portfolio, tags=tags.drop("polarity"))


def test_roles_pool_their_people_while_segments_give_each_account_one_vote() -> None:
    portfolio = build_portfolio(
        accounts=[
            {"account_id": "A", "segment": "s1"},
            {"account_id": "B", "segment": "s1"},
            {"account_id": "C", "segment": "s2"},
        ],
        contacts=[
            *({"contact_id": f"a{i}", "account_id": "A", "role": "user", "influence": 0.5}
              for i in range(3)),
            {"contact_id": "b", "account_id": "B", "role": "user", "influence": 0.5},
            {"contact_id": "c", "account_id": "C", "role": "economic_buyer", "influence": 0.5},
        ],
        feedback=[
            *({"account_id": "A", "contact_id": f"a{i}", "product": 5} for i in range(3)),
            {"account_id": "B", "contact_id": "b", "product": 1},
            {"account_id": "C", "contact_id": "c", "product": 2},
        ],
    )  # fmt: skip
    assert scores_of(portfolio, "s1", by="segment")["driver_product"] == approx(0)
    assert scores_of(portfolio, "s1", by="segment")["n_product"] == 4
    assert scores_of(portfolio, "user", by="role")["driver_product"] == approx(50)
    assert scores_of(portfolio, "economic_buyer", by="role")["driver_product"] == approx(-50)
    pairs = driver_scores(portfolio, by="account_role")
    assert pairs.select("account_id", "role", "driver_product").rows() == [
        ("A", "user", 100.0), ("B", "user", -100.0), ("C", "economic_buyer", -50.0),
    ]  # fmt: skip


def test_a_departed_speaker_no_longer_rates() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "gone", "role": "user", "influence": 0.9,
             "active_to": TODAY - timedelta(days=10)},
            {"contact_id": "here", "role": "procurement", "influence": 0.1},
        ],
        feedback=[
            {"contact_id": "gone", "fulfilment": 1, "occurred_at": days_ago(20)},
            {"contact_id": "here", "fulfilment": 5, "occurred_at": days_ago(20)},
        ],
    )  # fmt: skip
    assert scores_of(portfolio)["driver_fulfilment"] == approx(100)
    earlier = scores_of(portfolio, as_of=TODAY - timedelta(days=15))
    assert earlier["driver_fulfilment"] == approx((0.9 * -100 + 0.1 * 100) / 1.0)
