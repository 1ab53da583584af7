"""Invitations: planned from the sampling planner's picks (all or nothing), emailed over SMTP
with a signed link that names the supplier and the survey, failures marked failed and retried,
never lost; links signed under their own salt and expiring."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.auth.access import OPERATOR, Actor
from accord.config import get_settings
from accord.errors import Forbidden, InvalidInput, NotFound
from accord.listening import surveys
from accord.listening.invitations import (
    SurveyLinkError,
    create_invitations,
    planned_invitations,
    read_survey_token,
    send_invitations,
    survey_link,
    survey_token,
)
from accord.listening.models import Invitation
from accord.loop.portal import portal_link
from accord.vocabulary import UserRole
from tests.factories import make_contact
from tests.listening.survey_builders import (
    RELATIONSHIP,
    SCENARIO,
    free_port,
    load_shipped,
    make_village,
    now,
    smtp_server,
    smtp_settings,
)


@pytest.fixture
def village(session: Session) -> None:
    load_shipped(session)
    make_village(session)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Invitation)) or 0


def test_picks_become_planned_invitations(session: Session, village: None) -> None:
    at = now()
    made = create_invitations(
        session, OPERATOR, SCENARIO,
        [("CON-U", "FUL-1", "user who received FUL-1"), ("CON-B", None, "user at Southline")], at,
    )  # fmt: skip
    assert [(i.contact_id, i.account_id, i.fulfilment_id, i.status) for i in made] == [
        ("CON-U", "ACC-1", "FUL-1", "planned"), ("CON-B", "ACC-2", None, "planned")]  # fmt: skip
    assert made[0].reason == "user who received FUL-1" and made[0].sent_at is None
    assert made[0].expires_at == at + timedelta(days=get_settings().survey_link_days)
    assert len({i.id for i in made}) == 2 and all(len(i.id) == 36 for i in made)


@pytest.mark.parametrize(
    ("survey", "picks", "error", "message"),
    [
        ("nope", [("CON-U", None, "r")], NotFound, "survey 'nope' not found"),
        (RELATIONSHIP, [("CON-U", None, "r"), ("CON-X", None, "r")], InvalidInput,
         r"picks\[1\].contact_id: contact 'CON-X' not found"),
        (SCENARIO, [("CON-U", "FUL-X", "r")], InvalidInput,
         r"picks\[0\].fulfilment_id: fulfilment 'FUL-X' not found"),
        (SCENARIO, [("CON-B", "FUL-1", "r")], InvalidInput, "is not of account 'ACC-2'"),
        (RELATIONSHIP, [("CON-U", None, "r"), ("CON-U", None, "r")], InvalidInput,
         "picked twice"),
    ],
)  # fmt: skip
def test_a_bad_pick_refuses_the_whole_batch(  # type: ignore[no-untyped-def]
    session: Session, village: None, survey, picks, error, message
) -> None:
    with pytest.raises(error, match=message):
        create_invitations(session, OPERATOR, survey, picks, now())
    assert count(session) == 0


def test_an_inactive_survey_takes_no_invitations(session: Session, village: None) -> None:
    surveys.set_active(session, OPERATOR, RELATIONSHIP, False)
    with pytest.raises(InvalidInput, match="not active"):
        create_invitations(session, OPERATOR, RELATIONSHIP, [("CON-U", None, "r")], now())


@pytest.mark.parametrize("role", [UserRole.account_manager, UserRole.viewer])
def test_only_programme_managers_plan_invitations(
    session: Session, village: None, role: UserRole
) -> None:
    with pytest.raises(Forbidden):
        create_invitations(
            session, Actor("alice@example.com", role), RELATIONSHIP, [("CON-U", None, "r")], now()
        )


def test_invitations_are_emailed_with_their_signed_link(session: Session, village: None) -> None:
    at = now()
    made = create_invitations(
        session, OPERATOR, RELATIONSHIP, [("CON-P", None, "r"), ("CON-U", None, "r")], at
    )
    with smtp_server() as (inbox, port):
        report = send_invitations(session, made, at, smtp_settings(port))
    assert sorted(report.sent) == sorted(i.id for i in made) and not report.failed
    by_to = {str(m["To"]): m for m in inbox.messages}
    msg = by_to["petra@nordwerk.example"]
    assert msg["Subject"] == "Accord Demo Supplies: Relationship survey 2026"
    body = msg.get_content()
    assert "Dear Petra Procurement," in body and "Accord Demo Supplies" in body
    assert '"Relationship survey 2026"' in body
    [link] = re.findall(r"https?://\S+/s/\S+", body)
    assert link.startswith(get_settings().base_url.rstrip("/") + "/s/")
    inv = next(i for i in made if i.contact_id == "CON-P")
    assert read_survey_token(link.rsplit("/", 1)[1]) == inv.id
    assert inv.status == "sent" and inv.sent_at == at
    assert inv.expires_at == at + timedelta(days=get_settings().survey_link_days)
    # Sending again sends nothing more.
    with smtp_server() as (inbox2, port2):
        again = send_invitations(session, made, at, smtp_settings(port2))
    assert not again.sent and set(again.skipped.values()) == {"sent"} and not inbox2.messages


def test_an_unreachable_smtp_server_marks_them_failed_not_lost(
    session: Session, village: None
) -> None:
    made = create_invitations(session, OPERATOR, RELATIONSHIP, [("CON-P", None, "r")], now())
    report = send_invitations(session, made, now(), smtp_settings(free_port()))
    assert list(report.failed) == [made[0].id] and not report.sent
    assert made[0].status == "failed" and "SMTP 127.0.0.1" in (made[0].error or "")
    assert planned_invitations(session, RELATIONSHIP) == []
    assert planned_invitations(session, RELATIONSHIP, retry_failed=True) == made
    with smtp_server() as (inbox, port):
        retried = send_invitations(session, made, now(), smtp_settings(port))
    assert retried.sent == [made[0].id] and len(inbox.messages) == 1
    assert made[0].status == "sent" and made[0].error is None


def test_a_refused_recipient_fails_alone(session: Session, village: None) -> None:
    make_contact(session, "CON-N", "ACC-1", role="user", email=None)
    picks = [("CON-P", None, "r"), ("CON-N", None, "r"), ("CON-U", None, "r")]
    made = create_invitations(session, OPERATOR, RELATIONSHIP, picks, now())
    with smtp_server() as (inbox, port):
        inbox.refuse = {"uwe@nordwerk.example"}
        report = send_invitations(session, made, now(), smtp_settings(port))
    status = {i.contact_id: i.status for i in made}
    assert status == {"CON-P": "sent", "CON-N": "failed", "CON-U": "failed"}
    assert "has no email address" in report.failed[made[1].id]
    assert "550" in report.failed[made[2].id]
    assert [str(m["To"]) for m in inbox.messages] == ["petra@nordwerk.example"]


def test_without_an_smtp_host_nothing_is_sent_and_it_says_why(
    session: Session, village: None
) -> None:
    made = create_invitations(session, OPERATOR, RELATIONSHIP, [("CON-P", None, "r")], now())
    report = send_invitations(session, made, now(), smtp_settings(25, notify_smtp_host=""))
    assert made[0].status == "failed" and "ACCORD_NOTIFY_SMTP_HOST" in report.failed[made[0].id]


def test_links_are_signed_under_their_own_salt_and_expire() -> None:
    token = survey_token("inv-1")
    assert read_survey_token(token) == "inv-1"
    with pytest.raises(SurveyLinkError) as exc:
        read_survey_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert exc.value.reason == "invalid"
    portal_token = portal_link("ACC-1").rsplit("/", 1)[1]
    with pytest.raises(SurveyLinkError):
        read_survey_token(portal_token)
    other = URLSafeTimedSerializer("another-secret-" * 4, salt="survey").dumps("inv-1")
    with pytest.raises(SurveyLinkError):
        read_survey_token(str(other))
    two_days_ago = int(time.time()) - 2 * 86400
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(TimestampSigner, "get_timestamp", lambda self: two_days_ago)
        stale = survey_token("inv-1")
    assert read_survey_token(stale) == "inv-1"  # within the default 21 days
    one_day = get_settings().model_copy(update={"survey_link_days": 1})
    with pytest.raises(SurveyLinkError) as exc:
        read_survey_token(stale, one_day)
    assert exc.value.reason == "expired" and "expired" in exc.value.message
    assert survey_link("inv-1").endswith("/s/" + survey_token("inv-1"))


def test_cli_send_emails_the_planned_invitations(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.cli import surveys as cli
    from accord.cli.main import app
    from accord.db import transaction
    from accord.listening import invitations

    with Session(engine) as s:
        load_shipped(s)
        make_village(s)
        create_invitations(s, OPERATOR, SCENARIO, [("CON-U", "FUL-1", "r")], now())
        s.commit()
    monkeypatch.setattr(cli, "transaction", lambda: transaction(engine))
    with smtp_server() as (inbox, port):
        monkeypatch.setattr(invitations, "get_settings", lambda: smtp_settings(port))
        result = CliRunner().invoke(app, ["survey", "send", "--survey", SCENARIO])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output and len(inbox.messages) == 1
    assert inbox.messages[0]["Subject"] == "Accord Demo Supplies: Your recent delivery"
    with Session(engine) as s:
        assert s.scalar(select(Invitation.status)) == "sent"
    result = CliRunner().invoke(app, ["survey", "send", "--survey", "nope"])
    assert result.exit_code == 1 and "not found" in result.output


def test_cli_prints_an_invitations_link(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.cli import surveys as cli
    from accord.cli.main import app
    from accord.db import transaction

    with Session(engine) as s:
        load_shipped(s)
        make_village(s)
        [inv] = create_invitations(s, OPERATOR, RELATIONSHIP, [("CON-P", None, "r")], now())
        inv_id = inv.id
        s.commit()
    monkeypatch.setattr(cli, "transaction", lambda: transaction(engine))
    result = CliRunner().invoke(app, ["survey", "link", inv_id])
    assert result.exit_code == 0
    assert read_survey_token(result.output.strip().rsplit("/", 1)[1]) == inv_id
    assert CliRunner().invoke(app, ["survey", "link", "nope"]).exit_code == 1


def test_sent_invitations_past_their_expiry_are_marked_expired(
    session: Session, village: None
) -> None:
    from accord.listening.invitations import expire_overdue

    at = now()
    old, fresh_one, planned = create_invitations(
        session, OPERATOR, RELATIONSHIP, [("CON-P", None, "r"), ("CON-U", None, "r"),
                                          ("CON-B", None, "r")], at)  # fmt: skip
    old.status, old.expires_at = "sent", at - timedelta(seconds=1)
    fresh_one.status = "sent"
    planned.expires_at = at - timedelta(seconds=1)  # never sent: stays planned
    session.flush()
    assert expire_overdue(session, at, RELATIONSHIP) == 1
    session.expire_all()
    assert [i.status for i in (old, fresh_one, planned)] == ["expired", "sent", "planned"]
