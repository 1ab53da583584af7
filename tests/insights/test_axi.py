"""Sentiment and the Account Experience Index, computed by hand on tiny villages."""

from __future__ import annotations

import math
from datetime import timedelta

import polars as pl
import pytest
from pytest import approx

from accord.insights.axi import account_axi, pessimistic, village
from accord.insights.sentiment import with_sentiment
from tests.insights.conftest import TODAY, build_portfolio, days_ago, frame

Z = 1.645


def axi_of(portfolio, account="A", **kw):
    return account_axi(portfolio, **kw).filter(pl.col("account_id") == account).row(0, named=True)


def test_nps_maps_linearly_around_the_passive_middle() -> None:
    answers = frame("feedback", [{"nps": n} for n in (10, 9, 8, 7, 6, 4, 0)])
    out = with_sentiment(answers)
    assert out["sentiment"].to_list() == approx(
        [100, 66.667, 33.333, 0, -33.333, -100, -100], abs=1e-3
    )
    assert set(out["sentiment_source"]) == {"nps"}


def test_sentiment_falls_back_to_ratings_then_csat_and_ces_then_text() -> None:
    answers = frame(
        "feedback",
        [
            {"nps": 7, "product": 1},  # NPS first, ratings ignored
            {"product": 5, "trust": 4},  # mean rating 4.5
            {"csat": 5, "ces": 1},  # +100 and −100
            {"csat": 4},
            {},
            {"nps": 10},
        ],
    ).with_columns(text_sentiment=pl.Series([None, None, None, None, -40.0, -40.0]))
    out = with_sentiment(answers)
    assert out["sentiment"].to_list() == approx([0, 75, 0, 50, -40, 100])
    assert out["sentiment_source"].to_list() == [
        "nps",
        "ratings",
        "csat_ces",
        "csat_ces",
        "text",
        "nps",
    ]
    assert with_sentiment(frame("feedback", [{}]))["sentiment"].to_list() == [None]


def test_an_answer_weighs_half_at_the_half_life_and_nothing_outside_the_window() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "c1", "role": "user", "influence": 0.5}],
        feedback=[
            {"contact_id": "c1", "nps": 9, "occurred_at": days_ago(d)}
            for d in (0, 180, 360, 365, -1)
        ],
    )
    heard = village(portfolio).heard.sort("age_days")
    assert heard["age_days"].to_list() == [0, 180, 360]  # a year old or in the future: out
    assert heard["decay"].to_list() == approx([1.0, 0.5, 0.25])
    assert village(portfolio, half_life_days=90).heard.sort("age_days")["decay"].to_list() == (
        approx([1.0, 0.25, 0.0625])
    )


def test_a_stakeholder_speaks_with_the_decayed_mean_of_their_answers() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "c1", "role": "user", "influence": 0.5}],
        feedback=[
            {"contact_id": "c1", "nps": 10, "occurred_at": days_ago(0)},
            {"contact_id": "c1", "nps": 4, "occurred_at": days_ago(180)},
        ],
    )
    assert axi_of(portfolio)["axi"] == approx((100 * 1 - 100 * 0.5) / 1.5)


def test_a_one_driver_rating_does_not_stand_in_for_their_nps() -> None:
    portfolio = build_portfolio(
        contacts=[{"contact_id": "c1", "role": "user", "influence": 0.5}],
        feedback=[
            {"contact_id": "c1", "nps": 10, "occurred_at": days_ago(100)},
            {
                "contact_id": "c1",
                "channel": "scenario",
                "fulfilment": 1,
                "occurred_at": days_ago(0),
            },
        ],
    )
    assert axi_of(portfolio)["axi"] == approx(100)


def test_within_a_role_a_stale_voice_counts_less() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "u1", "role": "user", "influence": 0.5},
            {"contact_id": "u2", "role": "user", "influence": 0.5},
        ],
        feedback=[
            {"contact_id": "u1", "nps": 10, "occurred_at": days_ago(0)},
            {"contact_id": "u2", "nps": 4, "occurred_at": days_ago(180)},
        ],
    )
    assert axi_of(portfolio)["axi"] == approx((100 * 1.0 - 100 * 0.5) / 1.5)


def test_roles_are_weighed_by_influence_not_averaged() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "eb", "role": "economic_buyer", "influence": 0.9},
            {"contact_id": "u", "role": "user", "influence": 0.3},
        ],
        feedback=[
            {"contact_id": "eb", "nps": 10, "occurred_at": days_ago(1)},
            {"contact_id": "u", "nps": 4, "occurred_at": days_ago(1)},
        ],
    )
    assert axi_of(portfolio)["axi"] == approx((0.9 * 100 - 0.3 * 100) / 1.2)  # 50, not 0


def test_a_role_weighs_as_its_heaviest_active_member_not_its_headcount() -> None:
    users = [{"contact_id": f"u{i}", "role": "user", "influence": 0.3} for i in range(3)]
    tech = {"contact_id": "t", "role": "technical_buyer", "influence": 0.6}
    said = [{"contact_id": f"u{i}", "nps": 4} for i in range(3)] + [{"contact_id": "t", "nps": 10}]
    portfolio = build_portfolio(contacts=[*users, tech], feedback=said)
    assert axi_of(portfolio)["axi"] == approx((0.6 * 100 - 0.3 * 100) / 0.9)
    # An unheard but heavier user still gives the users' role its weight.
    heavy = {"contact_id": "u9", "role": "user", "influence": 0.8}
    portfolio = build_portfolio(contacts=[*users, tech, heavy], feedback=said)
    assert axi_of(portfolio)["axi"] == approx((0.6 * 100 - 0.8 * 100) / 1.4)


def test_the_profile_weight_stands_in_where_no_influence_is_recorded() -> None:
    profiles = [
        {
            "purchase_type": "widgets",
            "phase": "continuous",
            "role": "technical_buyer",
            "weight": 0.9,
        },
        {"purchase_type": "widgets", "phase": "continuous", "role": "user", "weight": 0.1},
        {"purchase_type": "widgets", "phase": "establishing", "role": "user", "weight": 0.9},
    ]
    said = [{"contact_id": "t", "nps": 10}, {"contact_id": "u", "nps": 4}]
    unrecorded = [
        {"contact_id": "t", "role": "technical_buyer"},
        {"contact_id": "u", "role": "user"},
    ]
    portfolio = build_portfolio(contacts=unrecorded, profiles=profiles, feedback=said)
    assert axi_of(portfolio)["axi"] == approx((0.9 * 100 - 0.1 * 100) / 1.0)
    recorded = [unrecorded[0], {**unrecorded[1], "influence": 0.9}]
    portfolio = build_portfolio(contacts=recorded, profiles=profiles, feedback=said)
    assert axi_of(portfolio)["axi"] == approx(0.0)
    weights = village(portfolio).stakeholders.sort("contact_id")
    assert weights["weight_source"].to_list() == ["profile", "recorded"]


def test_departed_stakeholders_no_longer_count() -> None:
    portfolio = build_portfolio(
        contacts=[
            {"contact_id": "left", "role": "economic_buyer", "influence": 0.5,
             "active_to": TODAY - timedelta(days=10)},
            {"contact_id": "stays", "role": "user", "influence": 0.5},
        ],
        feedback=[
            {"contact_id": "left", "nps": 4, "occurred_at": days_ago(40)},
            {"contact_id": "stays", "nps": 10, "occurred_at": days_ago(50)},
        ],
    )  # fmt: skip
    today = axi_of(portfolio)
    assert (today["axi"], today["n_heard"]) == (approx(100), 1)
    before_they_left = axi_of(portfolio, as_of=TODAY - timedelta(days=30))
    assert (before_they_left["axi"], before_they_left["n_heard"]) == (approx(0), 2)


def test_each_account_can_be_scored_on_its_own_day() -> None:
    portfolio = build_portfolio(
        accounts=[{"account_id": "A"}, {"account_id": "B"}],
        contacts=[
            {"contact_id": "a", "account_id": "A", "role": "user", "influence": 0.5},
            {"contact_id": "b", "account_id": "B", "role": "user", "influence": 0.5},
        ],
        feedback=[
            {"account_id": "A", "contact_id": "a", "nps": 4, "occurred_at": days_ago(5)},
            {"account_id": "B", "contact_id": "b", "nps": 10, "occurred_at": days_ago(120)},
            {"account_id": "B", "contact_id": "b", "nps": 4, "occurred_at": days_ago(50)},
        ],
    )
    days = pl.DataFrame({"account_id": ["A", "B"], "as_of": [TODAY, TODAY - timedelta(days=100)]})
    out = account_axi(portfolio, as_of=days).sort("account_id")
    assert out["axi"].to_list() == approx([-100, 100])  # B before it heard the complaint
    with pytest.raises(ValueError, match="more than once"):
        account_axi(portfolio, as_of=pl.concat([days, days]))


def _voices(account: str, segment: str, scores: list[int]) -> dict[str, list[dict]]:
    return {
        "accounts": [{"account_id": account, "segment": segment}],
        "contacts": [
            {"contact_id": f"{account}{i}", "account_id": account, "role": "user", "influence": 0.5}
            for i in range(len(scores))
        ],
        "feedback": [
            {
                "account_id": account,
                "contact_id": f"{account}{i}",
                "nps": n,
                "occurred_at": days_ago(0),
            }
            for i, n in enumerate(scores)
        ],
    }


def _merge(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {k: [row for p in parts for row in p[k]] for k in ("accounts", "contacts", "feedback")}


def test_three_voices_give_a_wide_band_and_thirty_a_narrow_one() -> None:
    few = _voices("F", "s1", [10, 7, 4])
    many = _voices("M", "s2", [10, 7, 4] * 10)
    out = account_axi(build_portfolio(**_merge(few, many)), spread=50.0).sort("account_id")
    width = dict(zip(out["account_id"], out["axi_high"] - out["axi_low"], strict=True))
    assert width["F"] == approx(2 * Z * 50 / math.sqrt(3))  # ≈ 95
    assert width["M"] == approx(2 * Z * 50 / math.sqrt(30))  # ≈ 30
    assert out["n_eff"].to_list() == approx([3, 30])


def test_the_band_always_contains_the_axi_and_a_single_voice_gets_a_wide_one() -> None:
    loud = _voices("L", "same", [10] * 30)
    sparse = _voices("S", "same", [5])
    out = account_axi(build_portfolio(**_merge(loud, sparse)), spread=50.0)
    for row in out.iter_rows(named=True):
        assert row["axi_low"] <= row["axi"] <= row["axi_high"]
    row = out.filter(pl.col("account_id") == "S").row(0, named=True)
    assert row["axi"] == approx(-200 / 3)  # NPS 5 → (5 − 7) / 3 · 100
    assert (row["axi_low"], row["axi_high"]) == (approx(-100), approx(-200 / 3 + Z * 50))


def test_an_unheard_account_has_no_axi_but_a_wide_prior_band() -> None:
    talks = _voices("T", "same", [])
    talks["contacts"] = [{"contact_id": "t", "account_id": "T", "role": "user", "influence": 0.5}]
    talks["feedback"] = [{"account_id": "T", "contact_id": "t", "product": 4, "trust": 4}]
    quiet = _voices("Q", "same", [])
    quiet["contacts"] = [{"contact_id": "q", "account_id": "Q", "role": "user", "influence": 0.5}]
    out = account_axi(build_portfolio(**_merge(talks, quiet)), spread=50.0)
    row = out.filter(pl.col("account_id") == "Q").row(0, named=True)
    assert (row["axi"], row["n_heard"]) == (None, 0)
    half = Z * 50 / math.sqrt(3)
    assert (row["axi_low"], row["axi_high"]) == (approx(50 - half), approx(50 + half))


def test_pessimistic_order_puts_the_weakest_claim_first_and_the_unknown_last() -> None:
    frame_ = pl.DataFrame(
        {"account_id": ["a", "b", "c", "d"], "axi": [40.0, 0.0, None, 10.0],
         "axi_low": [10.0, -20.0, None, 5.0]}
    )  # fmt: skip
    assert pessimistic(frame_)["account_id"].to_list() == ["b", "d", "a", "c"]
