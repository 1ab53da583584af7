"""The import contract: which columns each kind of file has, what they hold, and how a file's kind
is told from its name or header. ``docs/import.md`` is the same contract in words.

Column lengths come from the models, so the contract cannot drift from the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import String, Table

from accord.db import Base
from accord.imports.convert import (
    Boolean,
    Choice,
    ColumnType,
    Date,
    DateTime,
    Number,
    Score,
    Text,
)
from accord.listening.models import SCORE_SCALES
from accord.models import Account, Contact, Feedback, Fulfilment, InfluenceProfile, Opportunity
from accord.vocabulary import Channel, OpportunityKind, Outcome, Phase, Role, Stage

# Dependency order: a file may only reference rows of kinds imported before it.
KIND_ORDER = (
    "influence_profiles",
    "accounts",
    "contacts",
    "opportunities",
    "fulfilments",
    "feedback",
    # Leads, sales feedback, events and list prices (accord.leads, .engagement, .reports).
    "list_prices",
    "leads",
    "sales_feedback",
    "events",
    "attendance",
)

# Words that name a kind in a file name (see ``kind_from_name``).
NAME_WORDS = {
    "influence_profiles": ("influence_profiles", "influence_profile", "influence"),
    "accounts": ("accounts", "account"),
    "contacts": ("contacts", "contact", "stakeholders"),
    "opportunities": ("opportunities", "opportunity"),
    "fulfilments": ("fulfilments", "fulfilment", "fulfillments", "fulfillment"),
    "feedback": ("feedback",),
    "list_prices": ("list_prices", "list_price"),
    "leads": ("leads", "lead"),
    "sales_feedback": ("sales_feedback",),  # also says "feedback": told by its header
    "events": ("events",),  # "event_feedback.csv" is feedback on channel event
    "attendance": ("attendance", "invitations"),
}


@dataclass(frozen=True)
class Field:
    """One column of a file kind."""

    name: str  # as written in the file's header
    column: str  # the database column it fills
    type: ColumnType
    required: bool = True  # the header must have it (optional = our extension columns)
    not_empty: bool = False  # every row needs a value
    default: Any = None  # stored when the cell is empty


@dataclass(frozen=True)
class Reference:
    """A column naming a row of another table, which must exist (and, for ``same_account``,
    belong to the row's own account)."""

    column: str
    table: str
    noun: str
    same_account: bool = False


class Hooks:
    """A kind's own steps around the upsert, in the file's transaction: ``before_merge`` may
    check the staged rows (reporting errors with their lines) and fill in staged values;
    ``after_merge`` gets what ``before_merge`` returned (e.g. the keys that changed)."""

    def before_merge(self, conn: Any, stage: Any, report: Any) -> Any:
        return None

    def after_merge(self, conn: Any, stage: Any, prepared: Any, actor: str) -> None:
        return None


@dataclass(frozen=True)
class Kind:
    name: str
    table: Table
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # database columns that identify a row: the upsert's conflict target
    references: tuple[Reference, ...] = ()
    timestamps: bool = True  # has created_at / updated_at
    hooks: Hooks | None = None  # a kind's own checks and follow-up work (see ``Hooks``)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def key_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.column in self.key)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _length(table: Table, column: str) -> int | None:
    kind = table.c[column].type
    return kind.length if isinstance(kind, String) else None


@cache
def kinds(sqlite: bool) -> dict[str, Kind]:
    """Every kind, with converters that store values in the given database's format."""

    def text(table: Table, column: str, *, prose: bool = False) -> Text:
        return Text(sqlite=sqlite, max_len=_length(table, column), strip=not prose)

    def choice(values: type[StrEnum], noun: str) -> Choice:
        return Choice(sqlite=sqlite, values=[v.value for v in values], noun=noun)

    def ident(name: str, table: Table) -> Field:
        return Field(name, "id", text(table, "id"), not_empty=True)

    def account_ref(table: Table) -> Field:
        return Field("account_id", "account_id", text(table, "account_id"), not_empty=True)

    boolean, day, moment = Boolean(sqlite=sqlite), Date(sqlite=sqlite), DateTime(sqlite=sqlite)
    account_exists = Reference("account_id", "accounts", "account")

    acc = _table(Account)
    accounts = Kind(
        "accounts",
        acc,
        (
            ident("account_id", acc),
            Field("name", "name", text(acc, "name"), not_empty=True),
            *(Field(c, c, text(acc, c)) for c in ("segment", "industry", "region")),
            Field("annual_value", "annual_value", Number(sqlite=sqlite, low=0)),
            Field("renewal_date", "renewal_date", day),
            Field("owner_email", "owner_email", text(acc, "owner_email")),
            Field("purchase_type", "purchase_type", text(acc, "purchase_type"), required=False),
            Field("phase", "phase", choice(Phase, "phase"), required=False),
        ),
        key=("id",),
    )
    con = _table(Contact)
    contacts = Kind(
        "contacts",
        con,
        (
            ident("contact_id", con),
            account_ref(con),
            Field("name", "name", text(con, "name"), not_empty=True),
            Field("email", "email", text(con, "email")),
            Field("title", "title", text(con, "title")),
            Field("role", "role", choice(Role, "role"), not_empty=True),
            Field("influence", "influence", Number(sqlite=sqlite, low=0, high=1)),
            Field("veto", "veto", boolean, default=boolean.one(False)),
            Field("active_from", "active_from", day),
            Field("active_to", "active_to", day),
        ),
        key=("id",),
        references=(account_exists,),
    )
    fb = _table(Feedback)
    feedback = Kind(
        "feedback",
        fb,
        (
            ident("feedback_id", fb),
            account_ref(fb),
            Field("contact_id", "contact_id", text(fb, "contact_id")),
            Field("channel", "channel", choice(Channel, "channel"), not_empty=True),
            Field("occurred_at", "occurred_at", moment, not_empty=True),
            *(Field(c, c, Score(sqlite=sqlite, low=lo, high=hi)) for c, lo, hi in SCORE_SCALES),
            Field("text", "text", text(fb, "text", prose=True)),
            Field("fulfilment_id", "fulfilment_id", text(fb, "fulfilment_id"), required=False),
        ),
        key=("id",),
        references=(
            account_exists,
            Reference("contact_id", "contacts", "contact", same_account=True),
            Reference("fulfilment_id", "fulfilments", "fulfilment", same_account=True),
        ),
    )
    ful = _table(Fulfilment)
    fulfilments = Kind(
        "fulfilments",
        ful,
        (
            ident("fulfilment_id", ful),
            account_ref(ful),
            Field("promised_at", "promised_at", moment),
            Field("delivered_at", "delivered_at", moment),
            Field("complete", "complete", boolean),
            Field("reported_on_time", "reported_on_time", boolean),
        ),
        key=("id",),
        references=(account_exists,),
    )
    opp = _table(Opportunity)
    opportunities = Kind(
        "opportunities",
        opp,
        (
            ident("opportunity_id", opp),
            account_ref(opp),
            Field("kind", "kind", choice(OpportunityKind, "kind of opportunity"), not_empty=True),
            Field("stage", "stage", choice(Stage, "stage"), not_empty=True),
            Field("amount", "amount", Number(sqlite=sqlite, low=0)),
            Field("opened_at", "opened_at", day),
            Field("closed_at", "closed_at", day),
            # An opportunity without an outcome yet is simply still open.
            Field("outcome", "outcome", choice(Outcome, "outcome"), default=Outcome.open.value),
            Field("rfp_notes", "rfp_notes", text(opp, "rfp_notes", prose=True), required=False),
            Field(
                "negotiation_notes",
                "negotiation_notes",
                text(opp, "negotiation_notes", prose=True),
                required=False,
            ),
        ),
        key=("id",),
        references=(account_exists,),
    )
    ip = _table(InfluenceProfile)
    influence_profiles = Kind(
        "influence_profiles",
        ip,
        (
            Field("purchase_type", "purchase_type", text(ip, "purchase_type"), not_empty=True),
            Field("phase", "phase", choice(Phase, "phase"), not_empty=True),
            Field("role", "role", choice(Role, "role"), not_empty=True),
            Field("weight", "weight", Number(sqlite=sqlite, low=0, high=1), not_empty=True),
            Field("veto", "veto", boolean, default=boolean.one(False)),
            Field("note", "note", text(ip, "note", prose=True), required=False),
        ),
        key=("purchase_type", "phase", "role"),  # the natural key; ``id`` is a surrogate
        timestamps=False,
    )
    every = (influence_profiles, accounts, contacts, opportunities, fulfilments, feedback)
    from accord.engagement.importing import engagement_kinds
    from accord.leads.importing import lead_kinds
    from accord.reports.importing import list_price_kind

    every += (list_price_kind(sqlite), *lead_kinds(sqlite), *engagement_kinds(sqlite))
    return {k.name: k for k in every}


def kind_from_name(name: str) -> str | None:
    """The kind a file name names: its stem, lower-cased, split into words at any character other
    than a letter or digit, must contain one kind's word(s) — ``feedback.csv``,
    ``2026_feedback.csv``, ``feedback-part1.csv``, ``Influence Profiles.xlsx``. None when no kind
    or more than one kind is named."""
    words = "_" + re.sub(r"[^a-z0-9]+", "_", PurePath(name).stem.lower()).strip("_") + "_"
    named = {k for k, aliases in NAME_WORDS.items() if any(f"_{a}_" in words for a in aliases)}
    return named.pop() if len(named) == 1 else None


# Tried in this order, because a feedback header also names contact_id and fulfilment_id, and
# every header but the accounts' names account_id.
_HEADER_IDS = (
    ("sales_feedback_id", "sales_feedback"),  # before lead_id and the other ids it names
    ("attendance_id", "attendance"),  # before event_id, contact_id and feedback_id
    ("lead_id", "leads"),  # before account_id, contact_id and opportunity_id
    ("event_id", "events"),
    ("list_amount", "list_prices"),  # no id of its own: keyed on opportunity_id
    ("feedback_id", "feedback"),
    ("opportunity_id", "opportunities"),
    ("fulfilment_id", "fulfilments"),
    ("contact_id", "contacts"),
    ("account_id", "accounts"),
)


def kind_from_header(header: list[str]) -> str | None:
    """The kind a header's id column names; influence profiles have no id but a ``weight``."""
    present = set(header)
    for column, kind in _HEADER_IDS:
        if column in present:
            return kind
    if {"purchase_type", "phase", "role", "weight"} <= present:
        return "influence_profiles"
    return None
