"""Builders for import tests: a small consistent world of all six kinds, written as CSV, JSONL
or XLSX, and a snapshot of the database to prove that a refused file changed nothing."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

Rows = list[dict[str, Any]]

INFLUENCE_PROFILES: Rows = [
    {"purchase_type": "precision_components", "phase": "establishing", "role": "technical_buyer",
     "weight": "0.9", "veto": "yes", "note": "the engineer decides"},
    {"purchase_type": "precision_components", "phase": "continuous", "role": "user",
     "weight": "0.6", "veto": "no", "note": ""},
]  # fmt: skip
ACCOUNTS: Rows = [
    {"account_id": "ACC-1", "name": "Acme Tools", "segment": "enterprise",
     "industry": "manufacturing", "region": "EMEA", "annual_value": "120000.50",
     "renewal_date": "2027-01-31", "owner_email": "alice@accord.test",
     "purchase_type": "precision_components", "phase": "continuous"},
    {"account_id": "ACC-2", "name": "Beta Retail", "segment": "smb", "industry": "retail",
     "region": "NA", "annual_value": "", "renewal_date": "", "owner_email": "",
     "purchase_type": "", "phase": ""},
]  # fmt: skip
CONTACTS: Rows = [
    {"contact_id": "CON-1", "account_id": "ACC-1", "name": "Ann Berg", "email": "ann@acme.test",
     "title": "CFO", "role": "economic_buyer", "influence": "0.9", "veto": "TRUE",
     "active_from": "2024-01-01", "active_to": ""},
    {"contact_id": "CON-2", "account_id": "ACC-1", "name": "Raj Iyer", "email": "",
     "title": "Engineer", "role": "technical_buyer", "influence": "", "veto": "",
     "active_from": "", "active_to": "2026-06-30"},
    {"contact_id": "CON-3", "account_id": "ACC-2", "name": "Bo Li", "email": "bo@beta.test",
     "title": "", "role": "user", "influence": "0.2", "veto": "no", "active_from": "",
     "active_to": ""},
]  # fmt: skip
OPPORTUNITIES: Rows = [
    {"opportunity_id": "OPP-1", "account_id": "ACC-1", "kind": "renewal", "stage": "purchase",
     "amount": "50000", "opened_at": "2026-01-10", "closed_at": "2026-02-01", "outcome": "won",
     "rfp_notes": "three bidders", "negotiation_notes": ""},
    {"opportunity_id": "OPP-2", "account_id": "ACC-2", "kind": "new", "stage": "research",
     "amount": "", "opened_at": "", "closed_at": "", "outcome": "",
     "rfp_notes": "", "negotiation_notes": ""},
]  # fmt: skip
FULFILMENTS: Rows = [
    {"fulfilment_id": "FUL-1", "account_id": "ACC-1", "promised_at": "2026-03-01",
     "delivered_at": "2026-03-03T08:30:00", "complete": "true", "reported_on_time": "1"},
    {"fulfilment_id": "FUL-2", "account_id": "ACC-2", "promised_at": "", "delivered_at": "",
     "complete": "", "reported_on_time": ""},
]  # fmt: skip
FEEDBACK: Rows = [
    {"feedback_id": "FB-1", "account_id": "ACC-1", "contact_id": "CON-1", "channel": "scenario",
     "occurred_at": "2026-03-04T10:00:00+02:00", "nps": "9", "csat": "5", "ces": "2",
     "product": "4", "price": "3", "fulfilment": "2", "ease": "4", "presence": "5", "trust": "5",
     "text": "Late, but the team kept us informed", "fulfilment_id": "FUL-1"},
    {"feedback_id": "FB-2", "account_id": "ACC-2", "contact_id": "", "channel": "note",
     "occurred_at": "2026-03-05", "nps": "", "csat": "", "ces": "", "product": "", "price": "",
     "fulfilment": "", "ease": "", "presence": "", "trust": "", "text": "",
     "fulfilment_id": ""},
]  # fmt: skip

WORLD: dict[str, Rows] = {
    "influence_profiles": INFLUENCE_PROFILES,
    "accounts": ACCOUNTS,
    "contacts": CONTACTS,
    "opportunities": OPPORTUNITIES,
    "fulfilments": FULFILMENTS,
    "feedback": FEEDBACK,
}
TABLES = ("influence_profiles", "accounts", "contacts", "opportunities", "fulfilments", "feedback")


def write_csv(path: Path, rows: Rows, header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([row.get(c, "") for c in header] for row in rows)
    return path


def write_jsonl(path: Path, rows: Rows) -> Path:
    # Empty cells become null, as a JSON export would write them.
    lines = [json.dumps({k: (None if v == "" else v) for k, v in row.items()}) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: Rows, header: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    header = header or list(rows[0])
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([None if row.get(c, "") == "" else row.get(c) for c in header])
    book.save(path)
    return path


def write(folder: Path, name: str, rows: Rows) -> Path:
    """Write ``rows`` to ``folder/name`` in the format its extension names."""
    path = folder / name
    writer = {".csv": write_csv, ".jsonl": write_jsonl, ".xlsx": write_xlsx}[path.suffix]
    return writer(path, rows)


def write_world(folder: Path, fmt: str) -> list[Path]:
    return [write(folder, f"{kind}.{fmt}", rows) for kind, rows in WORLD.items()]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def snapshot(engine: Engine, *, audit: bool = True) -> dict[str, str]:
    """A checksum of every row of every imported table (and the audit log), timestamps included."""
    tables = (*TABLES, "audit_log") if audit else TABLES
    out = {}
    with engine.connect() as conn:
        for table in tables:
            rows = sorted(map(repr, conn.execute(text(f"SELECT * FROM {table}")).all()))
            out[table] = f"{len(rows)}:{hashlib.sha256(''.join(rows).encode()).hexdigest()}"
    return out


def messages(report: Any) -> list[str]:
    return [str(e) for e in report.errors]
