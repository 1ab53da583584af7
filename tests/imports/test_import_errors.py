"""Bad files: every bad row reported as ``file:line: field: reason``, and a bad file changes
nothing while the good files of the same call still go in."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from accord.imports import import_files, report
from tests.imports.builders import (
    ACCOUNTS,
    CONTACTS,
    FEEDBACK,
    INFLUENCE_PROFILES,
    counts,
    messages,
    snapshot,
    write,
    write_world,
)

CHANNELS = "survey, scenario, note, email, call, meeting, ticket, forum, social, event"


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> Path:
    """The good world imported; returns a fresh folder for the files under test."""
    assert import_files(engine, write_world(tmp_path, "csv")).ok
    folder = tmp_path / "bad"
    folder.mkdir()
    return folder


def reasons(rep: report.ImportReport) -> list[str]:
    """Errors without the file name: ``line: field: reason``."""
    return [f"{e.line}: {e.field}: {e.reason}" for e in rep.errors]


def test_a_bad_file_reports_every_bad_row_and_changes_nothing(engine: Engine, world: Path) -> None:
    good = {k: v for k, v in FEEDBACK[0].items() if k != "ces"}
    header = [*good, "mood"]  # ces missing, mood unknown
    rows = [
        [*good.values(), "happy"],  # 2: fine but for the header
        ["FB-11", "ACC-1", "CON-1", "fax", "2026-03-01"],  # 3: bad enum
        ["FB-12", "ACC-1", "CON-1", "note", "2026-13-01"],  # 4: bad date
        ["FB-13", "ACC-1", "CON-1", "survey", "2026-03-01", "11"],  # 5: score out of range
        ["FB-14", "ACC-1", "CON-1", "survey", "2026-03-01", "7.0", "seven"],  # 6: not integers
        ["FB-15", "ACC-9", "", "note", "2026-03-01"],  # 7: unknown account
        ["FB-16", "ACC-1", "CON-9", "note", "2026-03-01"],  # 8: unknown contact
        ["FB-17", "ACC-1", "CON-3", "note", "2026-03-01"],  # 9: another account's contact
        ["FB-11", "ACC-1", "CON-1", "note", "2026-03-01"],  # 10: duplicate of line 3
        ["FB-18", "ACC-1", "CON-1", "note", "2026-03-01"],  # 11: a cell short (below)
        ["FB-19", "ACC-1", "", "", ""],  # 12: required values empty
        ["FB-20", "ACC-1", "", "note", "2026-03-01", *[""] * 9, "FUL-2"],  # 13: FUL-2 is ACC-2's
    ]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows((r + [""] * 16)[: 15 if r[0] == "FB-18" else 16] for r in rows)
    bad_byte = b"FB-21,ACC-1,,note,2026-03-01,,,,,,,,,caf\xe9,,\n"  # 14: Latin-1, not UTF-8
    path = world / "feedback.csv"
    path.write_bytes(text.getvalue().encode() + bad_byte)
    before = snapshot(engine)

    rep = import_files(engine, [path])

    assert reasons(rep) == [
        "1: mood: unknown column; feedback files have feedback_id, account_id, contact_id, "
        "channel, occurred_at, nps, csat, ces, product, price, fulfilment, ease, presence, "
        "trust, text, fulfilment_id",
        "1: ces: missing required column",
        f"3: channel: 'fax' is not a channel; expected one of {CHANNELS}",
        "4: occurred_at: expected an ISO 8601 date or date-time (2026-03-01 or "
        "2026-03-01T14:30:00+01:00), got '2026-13-01'",
        "5: nps: expected an integer 0–10, got '11'",
        "6: nps: expected an integer 0–10, got '7.0'",
        "6: csat: expected an integer 1–5, got 'seven'",
        "7: account_id: unknown account ACC-9",
        "8: contact_id: unknown contact CON-9",
        "9: contact_id: contact CON-3 belongs to account ACC-2, not ACC-1",
        "10: feedback_id: duplicate id FB-11, first seen on line 3",
        "11: row: has 15 cells; the header has 16",
        "12: channel: a value is required",
        "12: occurred_at: a value is required",
        "13: fulfilment_id: fulfilment FUL-2 belongs to account ACC-2, not ACC-1",
        "14: text: not valid UTF-8",
    ]
    assert str(rep.errors[0]).startswith(f"{path}:1: mood: unknown column")
    assert rep.files[0].error_count == 16
    assert (rep.files[0].inserted, rep.files[0].updated) == (0, 0)
    assert snapshot(engine) == before


def test_bad_values_of_every_type_are_named(engine: Engine, world: Path) -> None:
    rows = [
        {**CONTACTS[0], "contact_id": "C-1", "veto": "maybe"},
        {**CONTACTS[0], "contact_id": "C-2", "influence": "1.5", "role": "vp"},
        {**CONTACTS[0], "contact_id": "C-3", "active_from": "01/02/2026", "name": " "},
        {**CONTACTS[0], "contact_id": "C-4", "email": "x" * 300, "account_id": ""},
    ]
    before = snapshot(engine)

    rep = import_files(engine, [write(world, "contacts.csv", rows)])

    assert reasons(rep) == [
        "2: veto: expected true/false, 1/0 or yes/no, got 'maybe'",
        "3: role: 'vp' is not a role; expected one of economic_buyer, technical_buyer, user, "
        "procurement, gatekeeper, champion, blocker, executive",
        "3: influence: expected a number 0–1, got '1.5'",
        "4: name: a value is required",
        "4: active_from: expected a date YYYY-MM-DD, got '01/02/2026'",
        "5: account_id: a value is required",
        "5: email: longer than 254 characters",
    ]
    assert snapshot(engine) == before


def test_other_files_of_the_call_still_commit(engine: Engine, tmp_path: Path) -> None:
    accounts = write(tmp_path, "accounts.csv", ACCOUNTS)
    contacts = write(tmp_path, "contacts.csv", [*CONTACTS, {**CONTACTS[0], "role": "boss"}])
    profiles = write(tmp_path, "influence_profiles.jsonl", INFLUENCE_PROFILES)

    rep = import_files(engine, [contacts, accounts, profiles])

    assert [f.ok for f in rep.files] == [False, True, True]
    assert counts(engine)["accounts"] == 2 and counts(engine)["contacts"] == 0
    # contacts refused, so feedback naming them is refused in turn
    feedback = write(tmp_path, "feedback.csv", FEEDBACK[:1])
    assert "unknown contact CON-1" in messages(import_files(engine, [feedback]))[0]


def test_references_are_checked_against_earlier_files_of_the_same_call(
    engine: Engine, tmp_path: Path
) -> None:
    contacts = write(tmp_path, "contacts.csv", CONTACTS)
    feedback = write(tmp_path, "feedback.csv", [{**FEEDBACK[1], "contact_id": "CON-3"}])

    rep = import_files(engine, [feedback, contacts, write(tmp_path, "accounts.csv", ACCOUNTS)])

    assert rep.ok, messages(rep)
    assert [f.inserted for f in rep.files] == [1, 3, 2]


def test_a_contact_of_another_account_is_refused(engine: Engine, world: Path) -> None:
    rows = [{**FEEDBACK[1], "feedback_id": "FB-7", "account_id": "ACC-1", "contact_id": "CON-3"}]

    rep = import_files(engine, [write(world, "feedback.jsonl", rows)])

    assert reasons(rep) == ["1: contact_id: contact CON-3 belongs to account ACC-2, not ACC-1"]


def test_duplicate_natural_keys_of_influence_profiles(engine: Engine, tmp_path: Path) -> None:
    rows = [*INFLUENCE_PROFILES, {**INFLUENCE_PROFILES[0], "weight": "0.1"}]

    rep = import_files(engine, [write(tmp_path, "influence_profiles.csv", rows)])

    assert reasons(rep) == [
        "4: purchase_type/phase/role: duplicate key (precision_components, establishing, "
        "technical_buyer), first seen on line 2"
    ]


def test_every_duplicate_after_the_first_is_reported(engine: Engine, world: Path) -> None:
    rows = [{**FEEDBACK[1], "feedback_id": f"FB-{i % 2}"} for i in range(5)]

    rep = import_files(engine, [write(world, "feedback.csv", rows)])

    assert reasons(rep) == [
        "4: feedback_id: duplicate id FB-0, first seen on line 2",
        "5: feedback_id: duplicate id FB-1, first seen on line 3",
        "6: feedback_id: duplicate id FB-0, first seen on line 2",
    ]


def test_jsonl_lines_that_are_not_objects_are_named(engine: Engine, world: Path) -> None:
    path = world / "accounts.jsonl"
    path.write_bytes(
        b'{"account_id": "A-1", "name": "Ann"}\n'
        b'{"account_id": "A-2", "name": \n'
        b"[1, 2]\n"
        b'{"account_id": "A-3", "name": "Caf\xe9"}\n'
        b'{"account_id": "A-4", "name": "Dee", "colour": "red"}\n'
        b'{"account_id": "A-5", "name": {"first": "Eve"}}\n'
    )
    before = snapshot(engine)

    rep = import_files(engine, [path])

    assert reasons(rep) == [
        "1: segment: missing required column",
        "1: industry: missing required column",
        "1: region: missing required column",
        "1: annual_value: missing required column",
        "1: renewal_date: missing required column",
        "1: owner_email: missing required column",
        "2: line: malformed JSON: Expecting value",
        "3: line: expected a JSON object",
        "4: line: not valid UTF-8",
        "5: colour: unknown column (not a key of the file's first object)",
        "6: name: expected text, got {'first': 'Eve'}",
    ]
    assert snapshot(engine) == before


def test_xlsx_values_beyond_the_header_are_refused(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in ([*ACCOUNTS[0]], [*ACCOUNTS[0].values()], [*ACCOUNTS[1].values(), None, "x"]):
        sheet.append(row)
    book.save(tmp_path / "accounts.xlsx")

    rep = import_files(engine, [tmp_path / "accounts.xlsx"])

    assert reasons(rep) == ["3: row: has values beyond the header's 10 columns"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("accounts.csv", b""),
        ("accounts.csv", b"\n\n"),
        ("accounts.jsonl", b"\n"),
        ("accounts.xlsx", None),
    ],
)
def test_an_empty_file_is_refused(
    engine: Engine, tmp_path: Path, name: str, content: bytes | None
) -> None:
    if content is None:
        from openpyxl import Workbook

        Workbook().save(tmp_path / name)
    else:
        (tmp_path / name).write_bytes(content)

    rep = import_files(engine, [tmp_path / name])

    assert reasons(rep) == ["1: file: no header row: the file is empty or its first line is blank"]


def test_header_cells_must_be_named_once(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(",".join([*ACCOUNTS[0], "", "Name "]) + "\n")

    rep = import_files(engine, [path])

    assert reasons(rep) == [
        "1: column 11: the header cell is empty",
        "1: name: duplicate column (also column 2)",
    ]


def test_a_missing_file_is_reported(engine: Engine, tmp_path: Path) -> None:
    rep = import_files(engine, [tmp_path / "accounts.csv"])

    assert reasons(rep)[0].startswith("0: file: cannot read the file")


def test_the_error_list_is_capped_but_the_count_is_exact(
    engine: Engine, world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "ERROR_CAP", 3)
    rows = [{**FEEDBACK[1], "feedback_id": f"F-{i}", "channel": "fax"} for i in range(4)]
    rows += [{**FEEDBACK[1], "feedback_id": "F-0", "account_id": "ACC-9"}] * 3

    rep = import_files(engine, [write(world, "feedback.csv", rows)])

    assert [e.line for e in rep.errors] == [2, 3, 4]
    assert rep.files[0].error_count == 4 + 3 + 3  # bad channels, duplicates, unknown account
    assert rep.to_dict()["files"][0]["error_count"] == 10


def test_a_header_of_only_unknown_columns(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "accounts.jsonl", [{"colour": "red"}, {"colour": "blue"}])

    rep = import_files(engine, [path])

    assert reasons(rep)[0] == (
        "1: colour: unknown column; accounts files have account_id, name, segment, industry, "
        "region, annual_value, renewal_date, owner_email, purchase_type, phase"
    )
    assert rep.files[0].error_count == 1 + 8  # and the eight missing required columns
