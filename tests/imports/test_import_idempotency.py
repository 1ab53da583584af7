"""Re-importing changes nothing; changing a cell changes exactly that row; every committed file
leaves one audit entry."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.imports import import_files
from accord.models import Account, AuditEntry, Contact, Feedback, Fulfilment, InfluenceProfile
from tests.imports.builders import (
    ACCOUNTS,
    CONTACTS,
    FEEDBACK,
    INFLUENCE_PROFILES,
    WORLD,
    messages,
    snapshot,
    write,
    write_world,
)


@pytest.mark.parametrize("again", ["csv", "jsonl", "xlsx"])
def test_reimporting_changes_nothing(engine: Engine, tmp_path: Path, again: str) -> None:
    assert import_files(engine, write_world(tmp_path, "csv")).ok
    before = snapshot(engine, audit=False)  # timestamps included

    report = import_files(engine, write_world(tmp_path, again))

    assert report.ok, messages(report)
    assert [(f.inserted, f.updated, f.unchanged) for f in report.files] == [
        (0, 0, len(rows)) for rows in WORLD.values()
    ]
    assert snapshot(engine, audit=False) == before


def test_changing_one_cell_updates_exactly_that_row(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, write_world(tmp_path, "csv"))
    with Session(engine) as s:
        stamps = {f.id: (f.created_at, f.updated_at) for f in s.scalars(select(Feedback))}
    changed = [FEEDBACK[0], {**FEEDBACK[1], "text": "Call me back"}]

    report = import_files(engine, [write(tmp_path, "feedback.csv", changed)])

    assert (report.files[0].updated, report.files[0].unchanged) == (1, 1)
    with Session(engine) as s:
        after = {f.id: (f.created_at, f.updated_at) for f in s.scalars(select(Feedback))}
        assert s.get_one(Feedback, "FB-2").text == "Call me back"
    assert after["FB-1"] == stamps["FB-1"]
    assert after["FB-2"][0] == stamps["FB-2"][0]  # created_at kept
    assert after["FB-2"][1] > stamps["FB-2"][1]


def test_emptying_a_cell_is_a_change(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, [write(tmp_path, "accounts.csv", ACCOUNTS)])

    report = import_files(
        engine, [write(tmp_path, "accounts.csv", [{**ACCOUNTS[0], "annual_value": ""}])]
    )

    assert report.files[0].updated == 1
    with Session(engine) as s:
        assert s.get_one(Account, "ACC-1").annual_value is None


def test_influence_profiles_are_matched_on_their_natural_key(
    engine: Engine, tmp_path: Path
) -> None:
    import_files(engine, [write(tmp_path, "influence_profiles.csv", INFLUENCE_PROFILES)])
    rows = [{**INFLUENCE_PROFILES[0], "weight": "0.7"}, INFLUENCE_PROFILES[1]]

    report = import_files(engine, [write(tmp_path, "influence_profiles.csv", rows)])

    assert (report.files[0].inserted, report.files[0].updated) == (0, 1)
    with Session(engine) as s:
        assert sorted(p.weight for p in s.scalars(select(InfluenceProfile))) == [0.6, 0.7]


def test_rows_written_by_the_orm_compare_equal(engine: Engine, tmp_path: Path) -> None:
    """The importer stores values exactly as SQLAlchemy does, so the same values entered through
    the application are 'unchanged', not rewritten."""
    with Session(engine) as s, s.begin():
        s.add(Account(id="ACC-1", name="Acme Tools", segment="enterprise",
                      industry="manufacturing", region="EMEA", annual_value=120000.5,
                      renewal_date=date(2027, 1, 31), owner_email="alice@accord.test"))  # fmt: skip
        s.flush()
        s.add(Contact(id="CON-1", account_id="ACC-1", name="Ann Berg", email="ann@acme.test",
                      title="CFO", role="economic_buyer", influence=0.9, veto=True,
                      active_from=date(2024, 1, 1)))  # fmt: skip
        s.add(Fulfilment(id="FUL-1", account_id="ACC-1", promised_at=datetime(2026, 3, 1),
                         delivered_at=datetime(2026, 3, 3, 8, 30), complete=True,
                         reported_on_time=True))  # fmt: skip
        s.flush()
        s.add(Feedback(id="FB-1", account_id="ACC-1", contact_id="CON-1", channel="scenario",
                       occurred_at=datetime(2026, 3, 4, 8, 0), nps=9, csat=5, ces=2, product=4,
                       price=3, fulfilment=2, ease=4, presence=5, trust=5,
                       text="Late, but the team kept us informed",
                       fulfilment_id="FUL-1"))  # fmt: skip
    contract = [{k: v for k, v in ACCOUNTS[0].items() if k not in ("phase", "purchase_type")}]
    files = [
        write(tmp_path, "accounts.csv", contract),
        write(tmp_path, "contacts.csv", CONTACTS[:1]),
        write(tmp_path, "fulfilments.csv", WORLD["fulfilments"][:1]),
        write(tmp_path, "feedback.csv", FEEDBACK[:1]),
    ]

    report = import_files(engine, files)

    assert [f.unchanged for f in report.files] == [1, 1, 1, 1], messages(report)


def test_each_committed_file_leaves_one_audit_entry(engine: Engine, tmp_path: Path) -> None:
    accounts = write(tmp_path, "accounts.csv", ACCOUNTS)
    bad = write(tmp_path, "contacts.csv", [{**CONTACTS[0], "veto": "perhaps"}])

    import_files(engine, [accounts, bad], actor="alice@accord.test")

    with Session(engine) as s:
        (entry,) = s.scalars(select(AuditEntry))
    assert (entry.actor, entry.action, entry.entity) == ("alice@accord.test", "import", "accounts")
    assert entry.after == {
        "file": str(accounts),
        "rows": 2,
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert entry.detail == f"{accounts}: 2 rows; 2 inserted, 0 updated, 0 unchanged"


def test_report_serialises_to_json(engine: Engine, tmp_path: Path) -> None:
    bad = write(tmp_path, "contacts.csv", [{**CONTACTS[0], "veto": "perhaps"}])

    data = import_files(engine, [bad], display_names={bad: "contacts.csv"}).to_dict()

    assert data["ok"] is False and data["error_count"] == 2
    (file,) = data["files"]
    assert (file["path"], file["kind"], file["ok"], file["inserted"]) == (
        "contacts.csv",
        "contacts",
        False,
        0,
    )
    assert file["errors"][1] == {
        "file": "contacts.csv",
        "line": 2,
        "field": "account_id",
        "reason": "unknown account ACC-1",
        "message": "contacts.csv:2: account_id: unknown account ACC-1",
    }
