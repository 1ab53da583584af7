"""Writes the world as import-contract CSV files (plus our optional columns)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from accord.synthetic.engagement import EventRow
from accord.synthetic.journey import Fulfilment
from accord.synthetic.leads import LeadRow
from accord.synthetic.listening import FeedbackRow
from accord.synthetic.world import Account
from accord.vocabulary import DRIVERS

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "account_id",
        "name",
        "segment",
        "industry",
        "region",
        "annual_value",
        "renewal_date",
        "owner_email",
        "purchase_type",
        "phase",
    ),
    "contacts": (
        "contact_id",
        "account_id",
        "name",
        "email",
        "title",
        "role",
        "influence",
        "veto",
        "active_from",
        "active_to",
    ),
    "opportunities": (
        "opportunity_id",
        "account_id",
        "kind",
        "stage",
        "amount",
        "opened_at",
        "closed_at",
        "outcome",
        "rfp_notes",
        "negotiation_notes",
    ),
    "fulfilments": (
        "fulfilment_id",
        "account_id",
        "promised_at",
        "delivered_at",
        "complete",
        "reported_on_time",
    ),
    "feedback": (
        "feedback_id",
        "account_id",
        "contact_id",
        "channel",
        "occurred_at",
        "nps",
        "csat",
        "ces",
        *DRIVERS,
        "text",
        "fulfilment_id",
    ),
    "influence_profiles": ("purchase_type", "phase", "role", "weight", "veto", "note"),
    # Leads, sales feedback, events, attendance and list prices (synthetic/leads.py, engagement.py)
    "list_prices": ("opportunity_id", "account_id", "list_amount"),
    "leads": (
        "lead_id",
        "source",
        "captured_at",
        "company",
        "name",
        "email",
        "title",
        "role",
        "industry",
        "segment",
        "employees",
        "region",
        "events_attended",
        "content_read",
        "last_activity_at",
        "owner_email",
        "stage",
        "stage_changed_at",
        "disqualified_reason",
        "rejected_at",
    ),
    "sales_feedback": (
        "sales_feedback_id",
        "lead_id",
        "opportunity_id",
        "account_id",
        "author",
        "occurred_at",
        "quality",
        "pain_points",
        "decision_roles",
        "micro_trends",
        "text",
    ),
    "events": ("event_id", "kind", "title", "starts_at", "ends_at", "location"),
    "event_feedback": (),  # the feedback file's columns: filled in below
    "attendance": (
        "attendance_id",
        "event_id",
        "account_id",
        "contact_id",
        "status",
        "invited_at",
        "feedback_id",
    ),
}
COLUMNS["event_feedback"] = COLUMNS["feedback"]


def cell(value: Any) -> str:
    """One CSV cell: empty for missing, ``true``/``false``, ISO dates, short floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 3))
    return str(value)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(v) for v in row])
            count += 1
    return count


def account_rows(accounts: list[Account]) -> Iterable[list[Any]]:
    for a in accounts:
        yield [
            a.id,
            a.name,
            a.segment,
            a.industry,
            a.region,
            a.annual_value,
            a.renewal_date,
            a.owner_email,
            a.purchase_type,
            a.phase,
        ]


def contact_rows(accounts: list[Account]) -> Iterable[list[Any]]:
    for a in accounts:
        for c in a.contacts:
            yield [
                c.id,
                a.id,
                c.name,
                c.email,
                c.title,
                c.role,
                c.influence,
                c.veto,
                c.active_from,
                c.active_to,
            ]


def opportunity_rows(opportunities: list[dict[str, Any]]) -> Iterable[list[Any]]:
    for o in opportunities:
        yield [o[col] for col in COLUMNS["opportunities"]]


def fulfilment_rows(fulfilments: list[Fulfilment]) -> Iterable[list[Any]]:
    for f in fulfilments:
        yield [f.id, f.account_id, f.promised_at, f.delivered_at, f.complete, f.reported_on_time]


def feedback_rows(feedback: list[FeedbackRow]) -> Iterable[list[Any]]:
    for r in feedback:
        yield [
            r.id,
            r.account_id,
            r.contact_id,
            r.channel,
            r.occurred_at,
            r.nps,
            r.csat,
            r.ces,
            *(r.ratings.get(d) for d in DRIVERS),
            r.text,
            r.fulfilment_id,
        ]


def dict_rows(name: str, rows: list[dict[str, Any]]) -> Iterable[list[Any]]:
    for row in rows:
        yield [row.get(col) for col in COLUMNS[name]]


def event_rows(events: list[EventRow]) -> Iterable[list[Any]]:
    for e in events:
        yield [e.id, e.kind, e.title, e.starts_at, e.ends_at, e.location]


def lead_rows(leads: list[LeadRow]) -> Iterable[list[Any]]:
    for x in leads:
        yield [
            x.id, x.source, x.captured_at, x.company, x.name, x.email, x.title, x.role,
            x.industry, x.segment, x.employees, x.region, x.events, x.content,
            x.last_activity_at, x.owner_email, x.stage, x.stage_changed_at, x.reason,
            x.rejected_at,
        ]  # fmt: skip
