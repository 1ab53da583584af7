"""POST /api/import over real HTTP: the same contract as ``accord import``."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.vocabulary import UserRole
from tests.factories import make_token, make_user

ACCOUNTS = (
    "account_id,name,segment,industry,region,annual_value,renewal_date,owner_email\n"
    "ACC-1,Harbour Pumps GmbH,mid_market,industrial pumps,North,250000,2027-03-31,a@example.com\n"
    "ACC-2,Linden Foods,small_private,food processing,South,40000,2027-01-15,b@example.com\n"
)
CONTACTS = (
    "contact_id,account_id,name,email,title,role,influence,veto,active_from,active_to\n"
    "CON-1,ACC-1,Greta Vogel,greta@harbour.example,Head of Engineering,technical_buyer,0.8,true,,\n"
    "CON-2,ACC-9,Tom Reed,tom@x.example,Buyer,procurement,0.4,no,,\n"
    "CON-3,ACC-2,Ana Ruiz,ana@linden.example,Owner,economic_buyer,1.4,false,,\n"
)


@pytest.fixture
def carol(session: Session) -> dict[str, str]:
    token = make_token(session, make_user(session, "carol@example.com", UserRole.cx_manager))
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def upload(live_server, headers, *files: tuple[str, str]) -> httpx.Response:  # type: ignore[no-untyped-def]
    parts = [("files", (name, body.encode(), "text/csv")) for name, body in files]
    return httpx.post(f"{live_server.url}/api/import", files=parts, headers=headers, timeout=30)


def account_count(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Account)) or 0


def test_upload_imports_good_files_and_names_every_bad_row(live_server, session, carol) -> None:  # type: ignore[no-untyped-def]
    r = upload(live_server, carol, ("contacts.csv", CONTACTS), ("accounts.csv", ACCOUNTS))
    assert r.status_code == 422
    report = r.json()
    by_kind = {f["kind"]: f for f in report["files"]}
    assert by_kind["accounts"]["ok"] and by_kind["accounts"]["inserted"] == 2
    contacts = by_kind["contacts"]
    assert not contacts["ok"]
    messages = [e["message"] for e in contacts["errors"]]
    assert any(m.startswith("contacts.csv:3: account_id:") for m in messages), messages
    assert any(m.startswith("contacts.csv:4: influence:") for m in messages), messages
    assert account_count(session) == 2  # the good file landed, the bad one changed nothing


def test_reuploading_the_same_file_changes_nothing(live_server, session, carol) -> None:  # type: ignore[no-untyped-def]
    assert upload(live_server, carol, ("accounts.csv", ACCOUNTS)).status_code == 200
    again = upload(live_server, carol, ("accounts.csv", ACCOUNTS)).json()["files"][0]
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
