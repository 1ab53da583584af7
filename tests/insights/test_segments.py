"""Segments: features, the choice of k, descriptions in words, and the planted world."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import polars as pl
import pytest
from sqlalchemy import Engine

from accord.insights.key_drivers import NotEnoughData
from accord.insights.segments import (
    DRIVER_COLUMNS,
    KINDS,
    ROLES,
    design_matrix,
    kind_mix,
    role_shares,
    segment_accounts,
    segment_features,
    segments,
)
from tests.insights._world import planted_world

TODAY = date(2026, 11, 23)


def test_role_shares_use_recorded_influence_else_the_profile_and_only_active_contacts() -> None:
    accounts = pl.DataFrame(
        {"account_id": ["A"], "purchase_type": ["precision_components"], "phase": ["continuous"]}
    )
    contacts = pl.DataFrame(
        {
            "contact_id": ["c1", "c2", "c3", "c4"],
            "account_id": ["A"] * 4,
            "role": ["user", "technical_buyer", "procurement", "user"],
            "influence": [0.6, None, 0.2, 0.9],
            "veto": [False, True, False, False],
            "active_from": [date(2024, 1, 1)] * 4,
            "active_to": [None, None, None, date(2025, 1, 1)],  # c4 has left
        }
    )
    profiles = pl.DataFrame(
        {
            "purchase_type": ["precision_components"] * 2,
            "phase": ["continuous"] * 2,
            "role": ["technical_buyer", "user"],
            "weight": [0.2, 0.85],
            "veto": [True, False],
        }
    )
    shares = role_shares(accounts, contacts, profiles, today=TODAY).row(0, named=True)
    assert shares["role_user"] == pytest.approx(0.6)
    assert shares["role_technical_buyer"] == pytest.approx(0.2)
    assert shares["role_procurement"] == pytest.approx(0.2)
    assert shares["role_executive"] == 0.0


def test_kind_mix_counts_deals_but_not_renewals() -> None:
    opportunities = pl.DataFrame(
        {
            "account_id": ["A", "A", "A", "A", "B"],
            "kind": ["rebuy", "rebuy", "lease", "renewal", "new"],
        }
    )
    mix = {r["account_id"]: r for r in kind_mix(opportunities).iter_rows(named=True)}
    assert mix["A"]["mix_rebuy"] == pytest.approx(2 / 3)
    assert mix["A"]["mix_lease"] == pytest.approx(1 / 3)
    assert mix["B"]["mix_new"] == 1.0


def blobs(sizes: tuple[int, ...] = (40, 40, 40), seed: int = 0) -> pl.DataFrame:
    """Three kinds of account: big precision buyers led by engineers who care about fulfilment,
    mid-size MRO buyers led by procurement, small gift buyers run by their owners."""
    rng = np.random.default_rng(seed)
    kinds = [
        ("large_enterprise", "precision_components", 800_000, "technical_buyer", "fulfilment"),
        ("mid_market", "mro_supplies", 150_000, "procurement", "price"),
        ("small_private", "employee_gifts", 30_000, "economic_buyer", "trust"),
    ]
    rows = []
    for i, (segment, purchase, value, role, weak) in enumerate(kinds):
        for j in range(sizes[i]):
            row = {
                "account_id": f"{segment[:1].upper()}{j:03d}",
                "segment": segment,
                "purchase_type": purchase,
                "annual_value": value * float(np.exp(rng.normal(0, 0.2))),
                **{f"mix_{k}": 0.25 for k in KINDS},
                **{c: float(rng.normal(30, 10)) for c in DRIVER_COLUMNS},
                **{f"role_{r}": 0.0 for r in ROLES},
            }
            row[f"driver_{weak}"] = float(rng.normal(-40, 10))
            row[f"role_{role}"] = 0.7
            row["role_user"] = 0.3
            rows.append(row)
    frame = pl.DataFrame(rows)
    return frame.with_columns(pl.col("annual_value").log().alias("log_value"))


def test_well_separated_accounts_give_the_true_k_with_distinct_descriptions() -> None:
    result = segment_accounts(blobs(), seed=1)
    assert result.k == 3
    assert max(result.scores, key=lambda k: result.scores[k]) == 3
    assert set(result.scores) == set(range(2, 9))
    assert result.assignments.height == 120
    profiles = {r["top_purchase_type"]: r for r in result.profiles.iter_rows(named=True)}
    big = profiles["precision_components"]
    assert big["cluster"] == 0  # numbered by annual value
    assert big["accounts"] == 40
    assert big["key_role"] == "technical_buyer"
    assert big["top_drivers"][0] == "fulfilment" and big["drivers_source"] == "driver_gap"
    assert big["description"].startswith("Large accounts (median annual value")
    assert "buying precision components" in big["description"]
    assert "fulfilment and" in big["description"] and "lag the portfolio" in big["description"]
    assert "engineers and specifiers carry the weight" in big["description"]
    assert "delivery manager" in big["services"]
    small = profiles["employee_gifts"]
    assert small["description"].startswith("Small accounts")
    assert "economic buyers carry the weight" in small["description"]
    assert profiles["mro_supplies"]["description"].startswith("Mid-size accounts")
    assert result.profiles["description"].n_unique() == 3


def test_every_block_weighs_the_same_whatever_its_width() -> None:
    X = design_matrix(blobs(seed=2))
    widths = [1, 3, 3, len(KINDS), len(DRIVER_COLUMNS), len(ROLES)]
    bounds = np.cumsum([0, *widths])
    totals = [X[:, a:b].var(axis=0).sum() for a, b in itertools.pairwise(bounds)]
    # the purchase mix is constant in the blobs: no variance; every other block exactly 1
    assert totals == pytest.approx([1, 1, 1, 0, 1, 1])


def test_missing_driver_scores_do_not_stop_the_clustering() -> None:
    frame = blobs().with_columns(
        pl.when(pl.int_range(pl.len()) % 3 == 0).then(None).otherwise(pl.col(c)).alias(c)
        for c in DRIVER_COLUMNS
    )
    result = segment_accounts(frame, seed=1)
    assert result.assignments["cluster"].null_count() == 0


def test_top_drivers_come_from_key_driver_analysis_when_a_cluster_has_enough_renewals() -> None:
    frame = blobs(sizes=(60, 40, 40))
    rng = np.random.default_rng(5)
    big = frame.filter(pl.col("purchase_type") == "precision_components")
    fulfilment = big["driver_fulfilment"].to_numpy()
    renewed = (fulfilment + rng.normal(0, 5, big.height) > np.median(fulfilment)).astype(int)
    renewals = big.select("account_id", *DRIVER_COLUMNS).with_columns(pl.Series("renewed", renewed))
    result = segment_accounts(frame, renewals=renewals, seed=1, min_renewals=40, min_churned=5)
    by_type = {r["top_purchase_type"]: r for r in result.profiles.iter_rows(named=True)}
    assert by_type["precision_components"]["drivers_source"] == "key_driver_analysis"
    assert by_type["precision_components"]["top_drivers"][0] == "fulfilment"
    assert "fulfilment" in by_type["precision_components"]["description"]
    assert "matter most for renewal" in by_type["precision_components"]["description"]
    assert by_type["mro_supplies"]["drivers_source"] == "driver_gap"  # no renewals there


def test_too_few_accounts_raise() -> None:
    with pytest.raises(NotEnoughData):
        segment_accounts(blobs(sizes=(1, 1, 0)))


# -- planted truth ---------------------------------------------------------------------------


def test_the_planted_portfolio_segments_into_described_groups(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    pf = world.portfolio
    features = segment_features(
        pf.accounts, pf.contacts, pf.profiles, pf.opportunities, world.now, today=pf.today
    )
    result = segment_accounts(features, renewals=world.kda_frame, seed=0)
    print(
        f"\nk = {result.k} ({result.criterion}); silhouettes "
        f"{ {k: round(v, 3) for k, v in result.scores.items()} }"
    )
    for row in result.profiles.iter_rows(named=True):
        print(f"  [{row['accounts']}] {row['description']} → {row['services']}")
    assert 2 <= result.k <= 8
    assert result.k == max(result.scores, key=lambda k: result.scores[k])
    assert result.assignments.height == pf.accounts.height
    assert result.assignments["account_id"].sort().to_list() == pf.accounts["account_id"].to_list()
    assert result.assignments["cluster"].null_count() == 0
    descriptions = result.profiles["description"].to_list()
    assert all(len(d) > 40 for d in descriptions)
    assert len(set(descriptions)) == len(descriptions)
    assert all(len(top) == 2 for top in result.profiles["top_drivers"].to_list())
    assert result.profiles["accounts"].sum() == pf.accounts.height

    same = segments(pf, seed=0)
    assert same.k == result.k
    assert same.profiles["description"].to_list() == descriptions
