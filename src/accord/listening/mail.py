"""Mail ingest: customer emails (``.eml`` files, mbox files, or folders of them) become feedback.

Each message is read with the standard library (``email``, ``mailbox``; ``policy.default``):

* **Who**: the ``From`` address. It names a contact when one has that address (case-insensitive;
  if the address belongs to contacts of two accounts, the message is unmatched). Otherwise the
  sender's domain names the account whose contacts use that domain — when exactly one account's
  contacts do; a domain shared by several accounts is unmatched (the reason says which).
* **What**: the plain-text body (else the HTML body stripped of tags), without quoted replies
  (from an ``On … wrote:`` line, an ``-----Original Message-----`` line, or ``>`` lines) and
  without the signature (from a ``-- `` line).
* **When**: the ``Date`` header (a time without zone is read as UTC). Channel ``email``.
* **Idempotent**: the feedback id is ``mail-`` + the first 40 hex digits of SHA-256 of the
  ``Message-ID`` (a message without one hashes its sender, date and text instead), so ingesting
  the same mail again stores nothing twice.

A message without a From address, with a missing or unparseable date, or with an empty body is
*malformed*: reported with its file and message number, never stored, and it does not stop the
other messages. All messages of one file land in one transaction.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import accord.models  # noqa: F401 — every table mapped: the feedback's foreign keys need them
from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for, visible_accounts
from accord.auth.audit import record_change, snapshot
from accord.db import transaction
from accord.listening.models import Feedback

MAIL_SUFFIXES = (".eml", ".mbox")
TEXT_LIMIT = 10_000  # as the API's feedback text


class Malformed(ValueError):
    """A message that cannot become feedback; the text is the reason."""


@dataclass(frozen=True)
class Mail:
    """What a message says, once read and cleaned."""

    message_id: str | None
    sender: str
    occurred_at: datetime
    text: str
    subject: str

    @property
    def feedback_id(self) -> str:
        key = self.message_id or f"{self.sender}\n{self.occurred_at.isoformat()}\n{self.text}"
        return "mail-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


# --- reading messages --------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """The text of an HTML body: tags dropped, block elements as line breaks, no scripts."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_WROTE = re.compile(r"^\s*On\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?\bwrote:\s*$", re.MULTILINE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.MULTILINE | re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)


def clean_body(text: str) -> str:
    """The new words of a reply: cut at the quoted original and at the signature, drop ``>``
    lines, trim blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for pattern in (_WROTE, _ORIGINAL, _SIGNATURE):
        match = pattern.search(text)
        if match:
            text = text[: match.start()]
    lines = [line.rstrip() for line in text.split("\n") if not line.lstrip().startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def body_text(msg: EmailMessage) -> str:
    """The plain-text body, else the HTML body as text; empty when there is neither."""
    part = msg.get_body(preferencelist=("plain",))
    if part is not None:
        return str(part.get_content())
    part = msg.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(str(part.get_content()))
    return ""


def _date(msg: EmailMessage) -> datetime:
    # The raw value: a header the policy cannot parse reads as empty through ``msg["Date"]``.
    raw = next((" ".join(str(v).split()) for k, v in msg.raw_items() if k.lower() == "date"), "")
    if not raw:
        raise Malformed("no Date header")
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        raise Malformed(f"unparseable Date header {raw!r}")
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def read_mail(msg: EmailMessage) -> Mail:
    """The sender, time, cleaned text and Message-ID of a message; ``Malformed`` names what is
    missing."""
    addresses = [a for _, a in getaddresses([str(v) for v in msg.get_all("From", [])]) if "@" in a]
    if not addresses:
        raise Malformed("no From address")
    sender = addresses[0].strip().lower()
    occurred_at = _date(msg)
    text = clean_body(body_text(msg))
    if not text:
        raise Malformed("empty body")
    message_id = str(msg.get("Message-ID") or "").strip().strip("<>").strip() or None
    subject = str(msg.get("Subject") or "").strip()
    return Mail(message_id, sender, occurred_at, text[:TEXT_LIMIT], subject)


def _is_mbox(path: Path) -> bool:
    if path.suffix.lower() == ".mbox":
        return True
    with path.open("rb") as fh:
        return fh.read(5) == b"From "


def messages(path: Path) -> Iterator[tuple[int, EmailMessage | Exception]]:
    """Number (1-based) and message of each message in an .eml or mbox file; an exception in
    place of a message that could not be read."""
    if not _is_mbox(path):
        yield 1, message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        return
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            try:
                raw = box.get_bytes(key)
                yield number, message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
            except Exception as exc:  # one unreadable message is reported, not fatal
                yield number, exc
    finally:
        box.close()


def mail_files(paths: list[Path]) -> list[Path]:
    """The files to read: each file named, and the .eml/.mbox files inside each folder named
    (recursively, in name order)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MAIL_SUFFIXES
            )
        else:
            out.append(path)
    return out


# --- matching -----------------------------------------------------------------------------------


@dataclass
class Directory:
    """Who an address or domain names, among the accounts the actor may see."""

    by_email: dict[str, list[tuple[str, str]]]  # address → [(contact_id, account_id)]
    by_domain: dict[str, set[str]]  # domain → account ids
    names: dict[str, str]  # account id → name

    @classmethod
    def load(cls, session: Session, actor: Actor) -> Directory:
        rows = session.execute(
            select(Contact.id, Contact.account_id, Contact.email)
            .join(Account, Account.id == Contact.account_id)
            .where(visible_accounts(actor), Contact.email.is_not(None))
            .order_by(Contact.id)
        ).all()
        by_email: dict[str, list[tuple[str, str]]] = defaultdict(list)
        by_domain: dict[str, set[str]] = defaultdict(set)
        for contact_id, account_id, email in rows:
            address = email.strip().lower()
            by_email[address].append((contact_id, account_id))
            if "@" in address:
                by_domain[address.rsplit("@", 1)[1]].add(account_id)
        names = dict(
            session.execute(select(Account.id, Account.name).where(visible_accounts(actor))).all()
        )
        return cls(dict(by_email), dict(by_domain), names)

    def match(self, sender: str) -> tuple[str, str | None, str]:
        """(account_id, contact_id or None, how) — or raises ``LookupError`` with the reason."""
        people = self.by_email.get(sender, [])
        accounts = sorted({a for _, a in people})
        if len(accounts) == 1:
            return accounts[0], people[0][0], "contact"
        if len(accounts) > 1:
            raise LookupError(
                f"address {sender} belongs to contacts of {len(accounts)} accounts: "
                + ", ".join(accounts)
            )
        domain = sender.rsplit("@", 1)[1]
        owners = sorted(self.by_domain.get(domain, ()))
        if len(owners) == 1:
            return owners[0], None, "domain"
        if len(owners) > 1:
            raise LookupError(
                f"domain {domain} is used by contacts of {len(owners)} accounts: "
                + ", ".join(owners)
            )
        raise LookupError(f"no known contact or domain for {sender}")


# --- the run -------------------------------------------------------------------------------------


@dataclass
class MailReport:
    """What an ingest did: stored, already there, unmatched (with reason), malformed (with file,
    message number and reason)."""

    dry_run: bool = False
    files: int = 0
    messages: int = 0
    stored: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    malformed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.malformed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


CHUNK = 500  # ids per IN (…) query


def _existing(session: Session, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        found.update(
            session.scalars(select(Feedback.id).where(Feedback.id.in_(ids[i : i + CHUNK])))
        )
    return found


def _read_file(path: Path, report: MailReport) -> list[tuple[int, Mail]]:
    """The readable messages of a file; the malformed go to the report."""
    out = []
    for number, msg in messages(path):
        report.messages += 1
        where = {"file": str(path), "message": number}
        try:
            if isinstance(msg, Exception):
                raise Malformed(f"unreadable message: {msg}")
            out.append((number, read_mail(msg)))
        except Malformed as exc:
            report.malformed.append({**where, "reason": str(exc)})
        except Exception as exc:  # a broken header is this message's problem only
            report.malformed.append({**where, "reason": f"unreadable headers: {exc}"})
    return out


def ingest_file(
    session: Session, actor: Actor, path: Path, directory: Directory, report: MailReport,
    seen: set[str],
) -> None:  # fmt: skip
    """Add the feedback of one file's messages to the session (the caller owns the transaction):
    read them all, look up the ids already stored in bulk, then add the new ones with one
    flush and an audit entry each."""
    mails = _read_file(path, report)
    stored = _existing(session, [m.feedback_id for _, m in mails])
    writable: set[str] = set()
    added: list[Feedback] = []
    for number, mail in mails:
        facts = {"file": str(path), "message": number, "sender": mail.sender,
                 "subject": mail.subject, "feedback_id": mail.feedback_id}  # fmt: skip
        if mail.feedback_id in seen or mail.feedback_id in stored:
            report.duplicates.append(facts)
            continue
        try:
            account_id, contact_id, how = directory.match(mail.sender)
        except LookupError as exc:
            report.unmatched.append({**facts, "reason": str(exc)})
            continue
        seen.add(mail.feedback_id)
        if account_id not in writable:
            account_for(session, actor, account_id, write=True)
            writable.add(account_id)
        added.append(
            Feedback(id=mail.feedback_id, account_id=account_id, contact_id=contact_id,
                     channel="email", occurred_at=mail.occurred_at, text=mail.text)
        )  # fmt: skip
        at = mail.occurred_at.isoformat()
        report.stored.append(
            {**facts, "account_id": account_id, "contact_id": contact_id, "matched_by": how,
             "occurred_at": at}
        )  # fmt: skip
    if added and not report.dry_run:
        session.add_all(added)
        session.flush()
        for record in added:
            record_change(session, actor, "create", "feedback", record.id, after=snapshot(record))


def ingest_mail(
    engine: Engine, actor: Actor, paths: list[Path], *, dry_run: bool = False
) -> MailReport:
    """Ingest every message under ``paths``, one transaction per file (see the module docstring).
    ``dry_run`` reports what would be stored and stores nothing."""
    report = MailReport(dry_run=dry_run)
    files = mail_files(paths)
    with transaction(engine) as session:
        directory = Directory.load(session, actor)
    seen: set[str] = set()
    for path in files:
        report.files += 1
        mark = (len(report.stored), len(report.duplicates), len(report.unmatched), set(seen))
        read_before = report.messages
        try:
            with transaction(engine) as session:
                ingest_file(session, actor, path, directory, report, seen)
                if dry_run:
                    session.rollback()
        except Exception as exc:  # the file's transaction rolled back; say why
            stored, dups, unmatched, before = mark
            del report.stored[stored:], report.duplicates[dups:], report.unmatched[unmatched:]
            seen.clear()
            seen.update(before)
            reason = getattr(exc, "message", None) or str(exc).splitlines()[0]
            reason = f"file not stored ({report.messages - read_before} messages): {reason}"
            report.malformed.append({"file": str(path), "message": 0, "reason": reason})
    return report
