"""Post-purchase engagement: events, invitations and attendance per stakeholder, event feedback
landing in the listening portfolio on channel ``event``, the account's engagement per role, and
importing events and attendance by the contract's rules."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.engagement import service
from accord.engagement.models import Attendance, Event
from accord.engagement.schemas import EventCreate, EventFeedbackIn, InviteIn
from accord.errors import Conflict, Forbidden, NotFound
from accord.imports import import_files
from accord.listening.models import Feedback
from accord.vocabulary import DRIVERS, UserRole
from tests.factories import make_account, make_contact

ALICE = Actor("alice@example.com", UserRole.account_manager)


@pytest.fixture
def village(session: Session) -> None:
    make_account(session, "ACME", "alice@example.com")
    make_account(session, "BETA", "bob@example.com")
    for cid, role in (("ECO", "economic_buyer"), ("ENG", "technical_buyer"), ("USR", "user")):
        make_contact(session, cid, "ACME", role=role)
    make_contact(session, "B-1", "BETA", role="user")
    service.create_event(session, OPERATOR, EventCreate(
        id="EV-1", kind="user_group", title="User group", starts_at=datetime(2026, 5, 4, 9),
        ends_at=datetime(2026, 5, 4, 17)))  # type: ignore[arg-type]  # fmt: skip


def test_event_feedback_is_feedback_on_the_event_channel(session: Session, village: None) -> None:
    service.invite(session, ALICE, "EV-1", InviteIn(contact_ids=["ENG", "USR"]))
    fb = service.add_event_feedback(
        session, ALICE, "EV-1", EventFeedbackIn(contact_id="ENG", nps=9, text="Great roadmap")
    )
    assert (fb.channel, fb.account_id, fb.contact_id, fb.nps) == ("event", "ACME", "ENG", 9)
    assert fb.occurred_at == datetime(2026, 5, 4, 17)  # the event's end, when not given
    invitation = session.scalar(select(Attendance).where(Attendance.contact_id == "ENG"))
    assert invitation is not None and (invitation.status, invitation.feedback_id) == (
        "attended",
        fb.id,
    )
    # Someone who came uninvited is recorded as attended too.
    service.add_event_feedback(session, ALICE, "EV-1", EventFeedbackIn(contact_id="ECO", nps=4))
    assert session.scalar(select(func.count()).select_from(Attendance)) == 3


def test_engagement_per_role_shows_who_came_and_who_did_not(
    session: Session, village: None
) -> None:
    service.invite(session, ALICE, "EV-1", InviteIn(contact_ids=["ENG", "USR", "ECO"]))
    service.add_event_feedback(session, ALICE, "EV-1", EventFeedbackIn(contact_id="ENG", nps=9))
    service.add_event_feedback(session, ALICE, "EV-1", EventFeedbackIn(contact_id="USR", nps=6))
    rows = {r.role: r for r in service.engagement_by_role(session, ALICE, "ACME")}
    assert set(rows) == {"economic_buyer", "technical_buyer", "user"}
    assert (rows["technical_buyer"].attended, rows["technical_buyer"].average_nps) == (1, 9.0)
    assert (rows["economic_buyer"].invited, rows["economic_buyer"].people_reached) == (1, 0)
    assert rows["user"].feedback == 1


def test_account_managers_invite_only_their_own_stakeholders(
    session: Session, village: None
) -> None:
    with pytest.raises(NotFound):
        service.invite(session, ALICE, "EV-1", InviteIn(contact_ids=["B-1"]))
    with pytest.raises(Forbidden):
        service.create_event(session, ALICE, EventCreate(
            id="EV-2", kind="webcast", title="x", starts_at=datetime(2026, 1, 1)))  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(Conflict):
        service.create_event(session, OPERATOR, EventCreate(
            id="EV-1", kind="webcast", title="x", starts_at=datetime(2026, 1, 1)))  # type: ignore[arg-type]  # fmt: skip
    assert [a.contact_id for a in service.list_attendance(
        session, OPERATOR, service.AttendanceFilter()).items] == []  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_events_and_attendance_import_by_the_contract(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as s:
        make_account(s, "ACME", "alice@example.com")
        make_contact(s, "ENG", "ACME", role="technical_buyer")
        make_contact(s, "USR", "ACME")
        s.commit()
    events = _write(tmp_path / "events.csv", ["event_id", "kind", "title", "starts_at"],
                    [["EV-9", "webcast", "Release briefing", "2026-03-01T15:00:00Z"]])  # fmt: skip
    columns = ["feedback_id", "account_id", "contact_id", "channel", "occurred_at", "nps", "csat",
               "ces", *DRIVERS, "text"]  # fmt: skip
    row = ["FBE-1", "ACME", "ENG", "event", "2026-03-02", "8", *[""] * 9]
    feedback = _write(tmp_path / "event_feedback.csv", columns, [row])
    header = ["attendance_id", "event_id", "account_id", "contact_id", "status", "invited_at",
              "feedback_id"]  # fmt: skip
    bad = _write(tmp_path / "attendance.csv", header, [
        ["AT-1", "EV-9", "ACME", "ENG", "attended", "2026-02-01", "FBE-1"],
        ["AT-2", "EV-9", "ACME", "ENG", "invited", "", ""],  # the same person again
        ["AT-3", "EV-8", "ACME", "USR", "maybe", "", ""],  # unknown event, unknown status
    ])  # fmt: skip
    report = import_files(engine, [bad, feedback, events])
    assert [f.kind for f in report.files] == ["attendance", "feedback", "events"]
    attendance = report.files[0]
    assert [f"{e.line}: {e.field}" for e in attendance.errors] == [
        "3: contact_id", "4: status", "4: event_id",
    ]  # fmt: skip
    assert "already invited to EV-9 on line 2" in attendance.errors[0].reason
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Attendance)) == 0
        assert s.get(Event, "EV-9") is not None and s.get(Feedback, "FBE-1") is not None
    good = _write(tmp_path / "attendance.csv", header,
                  [["AT-1", "EV-9", "ACME", "ENG", "attended", "2026-02-01", "FBE-1"]])  # fmt: skip
    assert import_files(engine, [good]).ok
    again = import_files(engine, [good, events, feedback])
    assert again.ok and all(f.inserted == f.updated == 0 for f in again.files)
