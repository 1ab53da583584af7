"""The planted truth shows in the data: beautified regions, veto kills, key drivers, renewals."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

from accord.synthetic import generate_world
from accord.vocabulary import DRIVERS

TODAY = date(2026, 11, 23)


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class World:
    def __init__(self, folder: Path) -> None:
        self.accounts = {a["account_id"]: a for a in read(folder, "accounts")}
        self.contacts = {c["contact_id"]: c for c in read(folder, "contacts")}
        self.opportunities = {o["opportunity_id"]: o for o in read(folder, "opportunities")}
        self.fulfilments = {f["fulfilment_id"]: f for f in read(folder, "fulfilments")}
        self.feedback = read(folder, "feedback")
        self.profiles = read(folder, "influence_profiles")
        self.truth: dict[str, Any] = json.loads((folder / "truth.json").read_text("utf-8"))
        self.renewals = {
            o["account_id"]: o for o in self.opportunities.values() if o["kind"] == "renewal"
        }

    def before_renewal(self, fb: dict[str, str]) -> bool:
        return fb["occurred_at"][:10] <= self.accounts[fb["account_id"]]["renewal_date"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("world")
    generate_world(folder, accounts=80, seed=5, today=TODAY)
    return World(folder)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The demo's default world: 240 accounts, seed 7."""
    folder = tmp_path_factory.mktemp("demo")
    generate_world(folder, today=TODAY)
    return World(folder)


def test_truth_records_the_planted_model(world: World) -> None:
    t = world.truth
    assert t["seed"] == 5 and t["today"] == TODAY.isoformat()
    assert list(t["driver_weights"]) == list(DRIVERS)
    assert abs(sum(t["driver_weights"].values()) - 1) < 1e-9
    weights = sorted(t["driver_weights"].values())
    assert len(set(weights)) == len(weights)  # distinct, so key drivers can be ranked
    top = max(t["driver_weights"], key=t["driver_weights"].get)
    assert top == "fulfilment"
    assert min(t["driver_weights"], key=t["driver_weights"].get) == "presence"
    purchase_types = {p["purchase_type"] for p in world.profiles}
    assert set(t["role_weights"]) == purchase_types
    assert set(t["account_renewal_probability"]) == set(world.accounts)
    assert all(0 <= p <= 1 for p in t["account_renewal_probability"].values())


def test_key_role_changes_between_phases(world: World) -> None:
    rw = world.truth["role_weights"]
    changed = [
        pt
        for pt, phases in rw.items()
        if max(phases["establishing"], key=phases["establishing"].get)
        != max(phases["continuous"], key=phases["continuous"].get)
    ]
    assert len(changed) >= 3
    assert (
        max(rw["employee_gifts"]["continuous"].values())
        > 3 * (rw["employee_gifts"]["continuous"]["user"])
    )


def test_recorded_profiles_are_close_to_but_not_the_truth(world: World) -> None:
    rw = world.truth["role_weights"]
    gaps = [
        abs(float(p["weight"]) - rw[p["purchase_type"]][p["phase"]][p["role"]])
        for p in world.profiles
    ]
    assert max(gaps) < 0.35
    assert mean(gaps) > 0.01
    for p in world.profiles:
        vetoes = world.truth["role_veto"][p["purchase_type"]][p["phase"]]
        assert (p["veto"] == "true") == (p["role"] in vetoes)


def test_one_renewal_per_account_with_planted_outcomes(world: World) -> None:
    renewals = [o for o in world.opportunities.values() if o["kind"] == "renewal"]
    assert Counter(o["account_id"] for o in renewals) == Counter(list(world.accounts))
    for o in renewals:
        account = world.accounts[o["account_id"]]
        assert o["amount"]
        if account["renewal_date"] > TODAY.isoformat():
            assert o["outcome"] == "open" and o["closed_at"] == ""
        else:
            assert o["outcome"] in {"renewed", "churned"}
            assert o["closed_at"] == account["renewal_date"]
    past = [o for o in renewals if o["outcome"] != "open"]
    assert world.truth["past_renewals"] == len(past)
    churned = [o for o in past if o["outcome"] == "churned"]
    assert world.truth["churn_rate"] == pytest.approx(len(churned) / len(past), abs=1e-3)
    p = world.truth["account_renewal_probability"]
    assert mean(p[o["account_id"]] for o in past if o["outcome"] == "renewed") > mean(
        p[o["account_id"]] for o in churned
    )


def test_churned_accounts_go_quiet_after_the_churn(world: World) -> None:
    churn_day = {a: o["closed_at"] for a, o in world.renewals.items() if o["outcome"] == "churned"}
    assert churn_day
    for fb in world.feedback:
        if fb["account_id"] in churn_day:
            assert fb["occurred_at"][:10] <= churn_day[fb["account_id"]]
    for f in world.fulfilments.values():
        if f["account_id"] in churn_day:
            assert f["promised_at"][:10] <= churn_day[f["account_id"]]


def _ratings_by_outcome(w: World, driver: str) -> dict[str, float]:
    by: dict[str, list[int]] = defaultdict(list)
    for fb in w.feedback:
        outcome = w.renewals[fb["account_id"]]["outcome"]
        if fb[driver] and outcome != "open" and w.before_renewal(fb):
            by[outcome].append(int(fb[driver]))
    return {k: mean(v) for k, v in by.items()}


def test_top_weighted_driver_separates_renewed_from_churned(demo: World) -> None:
    top = _ratings_by_outcome(demo, "fulfilment")
    least = _ratings_by_outcome(demo, "presence")
    assert top["renewed"] - top["churned"] > 0.3
    assert top["renewed"] - top["churned"] > least["renewed"] - least["churned"] + 0.2


def test_veto_killed_renewals_have_a_negative_veto_holder(demo: World) -> None:
    killed = demo.truth["veto_killed"]
    assert len(killed) >= 3
    assert set(killed) == set(demo.truth["veto_killers"])
    for opp_id in killed:
        opp = demo.opportunities[opp_id]
        assert opp["kind"] == "renewal" and opp["outcome"] == "churned"
        killer = demo.contacts[demo.truth["veto_killers"][opp_id]]
        assert killer["account_id"] == opp["account_id"]
        assert killer["veto"] == "true"
        assert killer["active_from"] <= opp["closed_at"]
        assert not killer["active_to"] or killer["active_to"] >= opp["closed_at"]
        assert demo.truth["contact_sentiment_at_renewal"][killer["contact_id"]] < -0.4
    # each made themselves heard: negative feedback in the year before the renewal
    labels = demo.truth["text_labels"]
    for opp_id in killed:
        renewal = date.fromisoformat(demo.opportunities[opp_id]["closed_at"])
        cid = demo.truth["veto_killers"][opp_id]
        said = [
            f
            for f in demo.feedback
            if f["contact_id"] == cid
            and 0 <= (renewal - date.fromisoformat(f["occurred_at"][:10])).days <= 365
        ]
        assert any(
            (f["nps"] and int(f["nps"]) <= 6)
            or any(f[d] and int(f[d]) <= 2 for d in DRIVERS)
            or any(p == "negative" for _, p in labels.get(f["feedback_id"], []))
            for f in said
        ), cid


def test_veto_holders_count_in_the_village(world: World) -> None:
    vetoes = [c for c in world.contacts.values() if c["veto"] == "true"]
    assert 0.1 < len(vetoes) / len(world.contacts) < 0.7
    accounts_with_veto = {c["account_id"] for c in vetoes}
    assert len(accounts_with_veto) >= 0.7 * len(world.accounts)


def _on_time(w: World) -> dict[str, tuple[float, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for f in w.fulfilments.values():
        if not f["delivered_at"]:
            continue
        c = counts[w.accounts[f["account_id"]]["region"]]
        c[0] += 1
        c[1] += datetime.fromisoformat(f["delivered_at"]) <= datetime.fromisoformat(
            f["promised_at"]
        )
        c[2] += f["reported_on_time"] == "true"
    return {r: (c[1] / c[0], c[2] / c[0]) for r, c in counts.items()}


@pytest.mark.parametrize("fixture", ["world", "demo"])
def test_beautified_regions_report_better_than_they_deliver(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    w: World = request.getfixturevalue(fixture)
    beautified = set(w.truth["beautified_regions"])
    assert 1 <= len(beautified) <= 2
    rates = _on_time(w)
    for region, (measured, reported) in rates.items():
        if region in beautified:
            assert reported - measured > 0.08, region
        else:
            assert reported == measured, region
    assert w.truth["measured_on_time_by_region"] == pytest.approx(
        {r: m for r, (m, _) in rates.items()}, abs=1e-3
    )


def test_scenario_scores_are_worse_after_a_late_delivery(world: World) -> None:
    late, on_time = [], []
    for fb in world.feedback:
        if fb["channel"] != "scenario" or not fb["nps"]:
            continue
        f = world.fulfilments[fb["fulfilment_id"]]
        is_late = f["delivered_at"] > f["promised_at"]
        (late if is_late else on_time).append(int(fb["nps"]))
    assert len(late) >= 20
    assert mean(on_time) - mean(late) > 1.5


def test_demo_world_is_demo_sized(demo: World) -> None:
    assert len(demo.accounts) == 240
    assert 12_000 <= len(demo.feedback) <= 22_000
    assert 0.15 <= demo.truth["churn_rate"] <= 0.32
    owners = Counter(a["owner_email"] for a in demo.accounts.values())
    assert len(owners) == 8
    assert owners.most_common(1)[0][0] == "alice.martin@accord.example"
    assert len(set(owners.values())) > 3  # uneven books
    assert len({a["industry"] for a in demo.accounts.values()}) >= 8
    channels = Counter(f["channel"] for f in demo.feedback)
    assert {"survey", "scenario", "note", "email", "call", "meeting", "ticket"} <= set(channels)
    stages = Counter(o["stage"] for o in demo.opportunities.values() if o["outcome"] == "open")
    assert len(stages) >= 5
    assert any(o["rfp_notes"] for o in demo.opportunities.values())
    assert any(o["negotiation_notes"] for o in demo.opportunities.values())
    assert any(c["influence"] == "" for c in demo.contacts.values())
