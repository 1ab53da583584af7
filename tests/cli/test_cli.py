"""The ``accord`` command line as a user runs it: real processes on the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.listening.models import Feedback

ACCORD = [sys.executable, "-m", "accord.cli"]


@pytest.fixture
def accord(engine: Engine, database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run ``accord …`` against the test database; returns the finished process."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "ACCORD_DATABASE_URL": database_url, "COLUMNS": "200"}
        proc = subprocess.run(
            [*ACCORD, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"accord {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    return run


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0 for m in (Account, Contact, Feedback)
        )


def test_generate_import_and_reimport_changes_nothing(accord, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    accord("generate", "--accounts", "12", "--seed", "3", "--out", "world")
    world = tmp_path / "world"
    assert {p.name for p in world.iterdir()} >= {"accounts.csv", "feedback.csv", "truth.json"}
    first = accord("import", str(world))
    assert "feedback.csv" in first.stdout
    after_first = counts(engine)
    assert after_first[0] == 12 and after_first[2] > 100
    again = accord("import", str(world))
    assert after_first == counts(engine)
    assert " 0 new, 0 updated" in again.stdout


def test_accounts_list_and_show_as_json(accord, tmp_path) -> None:  # type: ignore[no-untyped-def]
    accord("generate", "--accounts", "8", "--seed", "5", "--out", "world")
    accord("import", str(tmp_path / "world"))
    listed = json.loads(accord("accounts", "list", "--json").stdout)
    assert len(listed) == 8
    account_id = listed[0]["id"]
    shown = json.loads(accord("accounts", "show", account_id, "--json").stdout)
    assert shown["id"] == account_id
    village = shown["village"]
    assert 2 <= len(village) <= 9
    assert {"role", "weight", "veto", "active", "latest_feedback"} <= set(village[0])
    assert accord("accounts", "show", "NOPE", check=False).returncode == 1


def test_a_bad_file_is_named_row_by_row_and_exits_non_zero(accord, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "accounts.csv"
    bad.write_text(
        "account_id,name,segment,industry,region,annual_value,renewal_date,owner_email\n"
        "ACC-1,Good Co,mid_market,chemicals,North,1000,2027-01-01,a@example.com\n"
        "ACC-2,Bad Date Co,mid_market,chemicals,North,1000,2027-13-01,a@example.com\n"
    )
    proc = accord("import", str(bad), check=False)
    assert proc.returncode == 1
    assert "accounts.csv:3: renewal_date:" in proc.stdout
    assert counts(engine) == (0, 0, 0)


def test_users_create_and_token(accord) -> None:  # type: ignore[no-untyped-def]
    created = accord("users", "create", "dana@example.com", "--role", "cx_manager")
    assert "Password:" in created.stdout
    token = accord("users", "token", "dana@example.com").stdout.strip()
    assert token.startswith("acc_")
    again = accord("users", "create", "dana@example.com", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_demo_seeds_a_world_and_prints_logins(accord, engine) -> None:  # type: ignore[no-untyped-def]
    proc = accord("demo", "--accounts", "15", "--no-serve")
    assert "alice.martin@accord.example" in proc.stdout
    assert counts(engine)[0] == 15
