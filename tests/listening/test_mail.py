"""Mail ingest: .eml files, mbox files and folders of them become feedback — matched by address
or domain, cleaned of quoted replies and signatures, idempotent by Message-ID, with unmatched and
malformed messages reported by file and message number."""

from __future__ import annotations

import json
import mailbox
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.auth.access import OPERATOR
from accord.auth.models import AuditEntry
from accord.listening.mail import clean_body, html_to_text, ingest_mail
from accord.listening.models import Feedback
from tests.factories import make_account, make_contact


def mail(
    sender: str | None = "Ingrid Holm <Ingrid@Acme.example>",
    body: str = "The last batch was late again.",
    *,
    date: str | None = "Mon, 02 Nov 2026 09:30:00 +0100",
    message_id: str | None = "<m1@acme.example>",
    html: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    if sender:
        msg["From"] = sender
    msg["To"] = "support@us.example"
    msg["Subject"] = "Deliveries"
    if date:
        msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.write_bytes(msg.as_bytes())
    return path


def write_mbox(path: Path, *msgs: EmailMessage | bytes) -> Path:
    box = mailbox.mbox(path)
    for m in msgs:
        box.add(m)
    box.flush()
    box.close()
    return path


@pytest.fixture
def world(session: Session) -> None:
    make_account(session, "acme", name="Acme")
    make_account(session, "borealis", name="Borealis")
    make_account(session, "cobalt", name="Cobalt")
    make_contact(session, "ingrid", "acme", email="ingrid@acme.example")
    make_contact(session, "paul", "acme", email="paul@acme.example")
    make_contact(session, "bo", "borealis", email="bo@shared.example")
    make_contact(session, "co", "cobalt", email="co@shared.example")
    session.commit()


def stored(session: Session) -> list[Feedback]:
    session.rollback()
    return list(session.scalars(select(Feedback).order_by(Feedback.occurred_at)))


def test_a_known_address_becomes_feedback_of_that_contact(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    path = write_eml(tmp_path / "one.eml", mail())
    report = ingest_mail(engine, OPERATOR, [path])
    assert report.ok and len(report.stored) == 1
    [fb] = stored(session)
    assert (fb.account_id, fb.contact_id, fb.channel) == ("acme", "ingrid", "email")
    assert fb.text == "The last batch was late again."
    assert fb.occurred_at == datetime(2026, 11, 2, 8, 30)  # the Date header, in UTC
    assert fb.id.startswith("mail-") and len(fb.id) == 45
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "feedback")).all()
    assert [(a.action, a.entity_id, a.actor) for a in audit] == [("create", fb.id, "cli")]


def test_an_unknown_address_of_a_known_domain_is_the_account(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    path = write_eml(tmp_path / "one.eml", mail("New Person <new@acme.example>"))
    report = ingest_mail(engine, OPERATOR, [path])
    assert report.stored[0]["matched_by"] == "domain"
    [fb] = stored(session)
    assert (fb.account_id, fb.contact_id) == ("acme", None)


def test_unmatched_senders_are_listed_with_the_reason(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    box = write_mbox(
        tmp_path / "in.mbox",
        mail("x@nowhere.example", message_id="<a@x>"),
        mail("y@shared.example", message_id="<b@x>"),
    )
    report = ingest_mail(engine, OPERATOR, [box])
    reasons = [(u["message"], u["reason"]) for u in report.unmatched]
    assert reasons == [
        (1, "no known contact or domain for x@nowhere.example"),
        (2, "domain shared.example is used by contacts of 2 accounts: borealis, cobalt"),
    ]
    assert stored(session) == []


def test_a_malformed_message_is_reported_and_the_others_are_stored(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    box = write_mbox(
        tmp_path / "in.mbox",
        mail(message_id="<1@x>"),
        mail(sender=None, message_id="<2@x>"),
        b"Date: next Tuesday-ish\n" + mail(date=None, message_id="<3@x>").as_bytes(),
        mail(body="\n> only quoted\n", message_id="<4@x>"),
        mail(date=None, message_id="<5@x>"),
        mail("Paul <paul@acme.example>", message_id="<6@x>"),
    )
    report = ingest_mail(engine, OPERATOR, [box])
    assert not report.ok
    assert [(m["file"], m["message"], m["reason"]) for m in report.malformed] == [
        (str(box), 2, "no From address"),
        (str(box), 3, "unparseable Date header 'next Tuesday-ish'"),
        (str(box), 4, "empty body"),
        (str(box), 5, "no Date header"),
    ]
    assert sorted(f.contact_id or "" for f in stored(session)) == ["ingrid", "paul"]


def test_multipart_alternative_prefers_plain_text_and_falls_back_to_html(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    both = mail(body="Plain words.", html="<p>HTML words.</p>", message_id="<p@x>")
    html_only = EmailMessage()
    for key in ("From", "Date"):
        html_only[key] = both[key]
    html_only["Message-ID"] = "<h@x>"
    html = "<div><p>Hello&nbsp;team,</p><script>x()</script><p>Late <b>again</b>.</p></div>"
    html_only.set_content(html, subtype="html")
    write_eml(tmp_path / "a.eml", both)
    write_eml(tmp_path / "b.eml", html_only)
    report = ingest_mail(engine, OPERATOR, [tmp_path])
    assert report.files == 2 and len(report.stored) == 2
    texts = {f.id: f.text for f in stored(session)}
    assert sorted(texts.values()) == ["Hello team,\n\nLate again.", "Plain words."]


def test_quoted_replies_and_signatures_are_dropped() -> None:
    body = (
        "Thanks, the fix works.\nPlease keep us posted.\n\n-- \nIngrid Holm\nHead of Quality\n"
        "\nOn Mon, 2 Nov 2026 at 09:00, Support <support@us.example> wrote:\n> Did it work?\n"
    )
    assert clean_body(body) == "Thanks, the fix works.\nPlease keep us posted."
    outlook = "Agreed.\n\n-----Original Message-----\nFrom: us\nSent: today\n\nOld text"
    assert clean_body(outlook) == "Agreed."
    inline = "Yes.\n> were you happy?\nVery happy."
    assert clean_body(inline) == "Yes.\nVery happy."
    assert html_to_text("<p>a</p><p>b</p>") == "a\n\nb"


def test_a_reply_with_quoted_text_stores_only_the_new_words(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    body = "Still late.\n\nOn Sun, 1 Nov 2026, Support <s@us.example> wrote:\n> Is it fixed?\n"
    write_eml(tmp_path / "r.eml", mail(body=body, message_id="<r@x>"))
    ingest_mail(engine, OPERATOR, [tmp_path / "r.eml"])
    assert [f.text for f in stored(session)] == ["Still late."]


def test_ingesting_again_stores_nothing_twice(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    box = write_mbox(tmp_path / "in.mbox", mail(message_id="<1@x>"), mail(message_id="<1@x>"),
                     mail(message_id=None, body="No id here."))  # fmt: skip
    first = ingest_mail(engine, OPERATOR, [box])
    assert (len(first.stored), len(first.duplicates)) == (2, 1)
    again = ingest_mail(engine, OPERATOR, [box])
    assert (len(again.stored), len(again.duplicates)) == (0, 3)
    assert len(stored(session)) == 2


def test_a_dry_run_stores_nothing(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    path = write_eml(tmp_path / "one.eml", mail())
    report = ingest_mail(engine, OPERATOR, [path], dry_run=True)
    assert len(report.stored) == 1 and report.dry_run
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_the_command_prints_json_and_fails_on_malformed(
    engine: Engine, session: Session, world: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import listening
    from accord.cli.main import app

    monkeypatch.setattr(listening, "get_engine", lambda: engine)
    box = write_mbox(tmp_path / "in.mbox", mail(), mail(sender=None, message_id="<z@x>"))
    result = CliRunner().invoke(app, ["ingest-mail", str(box), "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert len(out["stored"]) == 1 and out["malformed"][0]["message"] == 2
    result = CliRunner().invoke(app, ["ingest-mail", str(box)])
    assert "1 already stored" in result.stdout


def test_a_file_that_cannot_be_stored_is_refused_whole(
    engine: Engine, session: Session, world: None, tmp_path: Path
) -> None:
    from accord.auth.access import Actor
    from accord.vocabulary import UserRole

    viewer = Actor(email="charlie@example.com", role=UserRole.viewer)
    box = write_mbox(tmp_path / "in.mbox", mail(message_id="<1@x>"), mail(message_id="<2@x>"))
    report = ingest_mail(engine, viewer, [box])
    assert report.stored == []
    assert report.malformed == [
        {"file": str(box), "message": 0,
         "reason": "file not stored (2 messages): viewer users cannot change data"}
    ]  # fmt: skip
    assert stored(session) == []
