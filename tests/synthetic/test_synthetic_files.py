"""The synthetic world's files: reproducible, exactly the contract's columns, valid values and
references that resolve."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from accord.synthetic import WorldSummary, generate_world
from accord.vocabulary import Channel, OpportunityKind, Outcome, Phase, Role, Stage

TODAY = date(2026, 11, 23)
FILES = ("accounts", "contacts", "opportunities", "fulfilments", "feedback", "influence_profiles")
COLUMNS = {
    "accounts": "account_id,name,segment,industry,region,annual_value,renewal_date,owner_email,"
    "purchase_type,phase",
    "contacts": "contact_id,account_id,name,email,title,role,influence,veto,active_from,active_to",
    "feedback": "feedback_id,account_id,contact_id,channel,occurred_at,nps,csat,ces,product,"
    "price,fulfilment,ease,presence,trust,text,fulfilment_id",
    "fulfilments": "fulfilment_id,account_id,promised_at,delivered_at,complete,reported_on_time",
    "opportunities": "opportunity_id,account_id,kind,stage,amount,opened_at,closed_at,outcome,"
    "rfp_notes,negotiation_notes",
    "influence_profiles": "purchase_type,phase,role,weight,veto,note",
}
SCORES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)} | dict.fromkeys(
    ("product", "price", "fulfilment", "ease", "presence", "trust"), (1, 5)
)


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldSummary]:
    folder = tmp_path_factory.mktemp("world")
    return folder, generate_world(folder, accounts=60, seed=3, today=TODAY)


def test_same_seed_gives_byte_identical_files(world, tmp_path: Path) -> None:
    folder, _ = world
    generate_world(tmp_path, accounts=60, seed=3, today=TODAY)
    for name in (*FILES, "truth"):
        suffix = "json" if name == "truth" else "csv"
        first = (folder / f"{name}.{suffix}").read_bytes()
        assert first == (tmp_path / f"{name}.{suffix}").read_bytes(), name


def test_different_seed_gives_a_different_world(world, tmp_path: Path) -> None:
    folder, _ = world
    generate_world(tmp_path, accounts=60, seed=4, today=TODAY)
    for name in ("accounts", "contacts", "feedback", "fulfilments", "opportunities"):
        assert (folder / f"{name}.csv").read_bytes() != (tmp_path / f"{name}.csv").read_bytes()


def test_summary_counts_and_paths_match_the_files(world) -> None:
    folder, summary = world
    assert summary.accounts == 60
    for name in FILES:
        assert summary.paths[name] == folder / f"{name}.csv"
        assert getattr(summary, name) == len(read(folder, name)) > 0
    assert summary.paths["truth"] == folder / "truth.json"
    assert summary.influence_profiles == 6 * 2 * len(Role)


def test_every_file_has_exactly_the_contract_columns(world) -> None:
    folder, _ = world
    for name in FILES:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == COLUMNS[name].split(","), name


def test_ids_are_unique_and_stable_looking(world) -> None:
    folder, _ = world
    patterns = {
        "accounts": ("account_id", r"ACC-\d{4}"),
        "contacts": ("contact_id", r"CON-\d{5}"),
        "opportunities": ("opportunity_id", r"OPP-\d{5}"),
        "fulfilments": ("fulfilment_id", r"FUL-\d{6}"),
        "feedback": ("feedback_id", r"FB-\d{6}"),
    }
    for name, (column, pattern) in patterns.items():
        ids = [r[column] for r in read(folder, name)]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(pattern, i) for i in ids), name
    emails = [c["email"] for c in read(folder, "contacts")]
    assert len(emails) == len(set(emails))
    assert all(re.fullmatch(r"[a-z.]+\d*@[a-z0-9-]+\.example", e) for e in emails)
    names = [a["name"] for a in read(folder, "accounts")]
    assert len(names) == len(set(names))


def test_references_resolve_within_the_same_account(world) -> None:
    folder, _ = world
    accounts = {a["account_id"] for a in read(folder, "accounts")}
    contacts = {c["contact_id"]: c for c in read(folder, "contacts")}
    fulfilments = {f["fulfilment_id"]: f for f in read(folder, "fulfilments")}
    assert {c["account_id"] for c in contacts.values()} <= accounts
    assert {f["account_id"] for f in fulfilments.values()} <= accounts
    assert {o["account_id"] for o in read(folder, "opportunities")} <= accounts
    for fb in read(folder, "feedback"):
        contact = contacts[fb["contact_id"]]
        assert contact["account_id"] == fb["account_id"]
        day = fb["occurred_at"][:10]
        assert contact["active_from"] <= day, fb["feedback_id"]
        assert not contact["active_to"] or day <= contact["active_to"], fb["feedback_id"]
        if fb["channel"] == "scenario":
            fulfilment = fulfilments[fb["fulfilment_id"]]
            assert fulfilment["account_id"] == fb["account_id"]
            assert fb["occurred_at"] > fulfilment["delivered_at"]
        else:
            assert fb["fulfilment_id"] == ""


def test_enum_values_come_from_the_vocabulary(world) -> None:
    folder, _ = world
    profiles = read(folder, "influence_profiles")
    purchase_types = {p["purchase_type"] for p in profiles}
    assert {p["phase"] for p in profiles} == set(Phase)
    assert {p["role"] for p in profiles} == set(Role)
    for a in read(folder, "accounts"):
        assert a["purchase_type"] in purchase_types
        assert a["phase"] in set(Phase)
        assert a["segment"] in {"large_enterprise", "mid_market", "small_private"}
    assert {c["role"] for c in read(folder, "contacts")} <= set(Role)
    assert {f["channel"] for f in read(folder, "feedback")} <= set(Channel)
    for o in read(folder, "opportunities"):
        assert o["kind"] in set(OpportunityKind)
        assert o["stage"] in set(Stage)
        assert o["outcome"] in set(Outcome)


def test_values_are_well_formed_and_in_range(world) -> None:
    folder, _ = world
    for fb in read(folder, "feedback"):
        datetime.strptime(fb["occurred_at"], "%Y-%m-%dT%H:%M:%S")
        for column, (lo, hi) in SCORES.items():
            if fb[column]:
                assert lo <= int(fb[column]) <= hi, (column, fb[column])
        assert fb["text"] or any(fb[c] for c in SCORES)
    for c in read(folder, "contacts"):
        assert c["veto"] in {"true", "false"}
        assert c["influence"] == "" or 0 <= float(c["influence"]) <= 1
        date.fromisoformat(c["active_from"])
        assert not c["active_to"] or date.fromisoformat(c["active_to"]) > date.fromisoformat(
            c["active_from"]
        )
    for p in read(folder, "influence_profiles"):
        assert 0 <= float(p["weight"]) <= 1
        assert p["veto"] in {"true", "false"}
    for f in read(folder, "fulfilments"):
        promised = datetime.fromisoformat(f["promised_at"])
        if f["delivered_at"]:
            delivered = datetime.fromisoformat(f["delivered_at"])
            assert f["complete"] in {"true", "false"}
            assert f["reported_on_time"] in {"true", "false"}
            if f["reported_on_time"] == "false":
                assert delivered > promised  # nobody reports an on-time delivery as late
        else:  # booked, not yet delivered
            assert promised.date() > TODAY
            assert f["complete"] == f["reported_on_time"] == ""
    for a in read(folder, "accounts"):
        assert float(a["annual_value"]) > 0
        assert a["owner_email"].endswith("@accord.example")


def test_dates_are_relative_to_today(world) -> None:
    folder, _ = world
    for a in read(folder, "accounts"):
        renewal = date.fromisoformat(a["renewal_date"])
        assert TODAY - timedelta(days=549) <= renewal <= TODAY + timedelta(days=366)
    occurred = [fb["occurred_at"][:10] for fb in read(folder, "feedback")]
    assert max(occurred) <= TODAY.isoformat()
    assert min(occurred) >= (TODAY - timedelta(days=3 * 365 + 1)).isoformat()
    for o in read(folder, "opportunities"):
        assert o["opened_at"] <= TODAY.isoformat()
        assert (o["outcome"] == "open") == (o["closed_at"] == "")
        assert not o["closed_at"] or o["opened_at"] <= o["closed_at"] <= TODAY.isoformat()


def test_default_today_is_the_current_date(tmp_path: Path) -> None:
    summary = generate_world(tmp_path, accounts=3, seed=1)
    assert summary.today == date.today()
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert truth["today"] == date.today().isoformat()


def test_villages_have_two_to_nine_stakeholders_and_some_departures(world) -> None:
    folder, _ = world
    contacts = read(folder, "contacts")
    per_account = Counter(c["account_id"] for c in contacts)
    assert len(per_account) == 60
    assert all(2 <= n <= 9 for n in per_account.values())
    departed = [c for c in contacts if c["active_to"]]
    assert 0.05 <= len(departed) / len(contacts) <= 0.3
    by_account = defaultdict(list)
    for c in contacts:
        by_account[c["account_id"]].append(c)
    replaced = 0
    for c in departed:
        later = [
            o
            for o in by_account[c["account_id"]]
            if o["role"] == c["role"] and o["active_from"] > c["active_to"]
        ]
        replaced += bool(later)
    assert replaced >= len(departed) // 2  # most departures have a successor in the same role


def test_segments_shape_the_village(world) -> None:
    folder, _ = world
    segment = {a["account_id"]: a["segment"] for a in read(folder, "accounts")}
    sizes = defaultdict(list)
    for account, n in Counter(c["account_id"] for c in read(folder, "contacts")).items():
        sizes[segment[account]].append(n)
    assert max(sizes["small_private"]) <= 6
    assert sum(sizes["large_enterprise"]) / len(sizes["large_enterprise"]) > sum(
        sizes["small_private"]
    ) / len(sizes["small_private"])


def test_rejects_an_empty_world(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_world(tmp_path, accounts=0)
