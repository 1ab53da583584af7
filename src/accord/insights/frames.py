"""Load the portfolio as column frames in a handful of bulk queries — the only database reads
the insights need. Everything downstream is a pure function over these frames.

Scoping happens here: an account manager's portfolio holds only the accounts they own, so no
insight can leak another owner's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.access import Actor, visible_account_ids, visible_accounts
from accord.journey.models import Fulfilment, Opportunity
from accord.listening.models import Feedback
from accord.text.models import TextTag
from accord.vocabulary import DRIVERS


@dataclass(frozen=True)
class Portfolio:
    """Column frames of everything the insights read, as of ``today``.

    - ``accounts``: account_id, name, segment, industry, region, owner_email, annual_value,
      renewal_date, purchase_type, phase
    - ``contacts``: contact_id, account_id, role, influence (null = not recorded), veto,
      active_from, active_to
    - ``profiles``: purchase_type, phase, role, weight, veto
    - ``feedback``: feedback_id, account_id, contact_id, fulfilment_id, channel, occurred_at,
      nps, csat, ces, and one column per driver (product … trust), ratings 1–5, and
      text_sentiment (−100…100 from the item's text tags, ``text_sentiment``; null untagged)
    - ``fulfilments``: fulfilment_id, account_id, promised_at, delivered_at, complete,
      reported_on_time
    - ``opportunities``: opportunity_id, account_id, kind, stage, amount, opened_at, closed_at,
      outcome
    """

    today: date
    accounts: pl.DataFrame
    contacts: pl.DataFrame
    profiles: pl.DataFrame
    feedback: pl.DataFrame
    fulfilments: pl.DataFrame
    opportunities: pl.DataFrame


def text_sentiment() -> Any:
    """A feedback item's text sentiment on −100…100 from its text tags (``docs/text.md``):
    positive → +100 × confidence, negative → −100 × confidence, neutral → 0; a user's correction
    (no confidence) counts as certain. Null when the item has no tags. ``with_sentiment`` uses it
    only for items that carry no score."""
    certainty = func.coalesce(TextTag.confidence, 1.0)
    return case(
        (TextTag.sentiment == "positive", 100.0 * certainty),
        (TextTag.sentiment == "negative", -100.0 * certainty),
        (TextTag.sentiment == "neutral", 0.0),
        else_=None,
    )


def _frame(session: Session, stmt: Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    rows = session.execute(stmt).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def load_portfolio(
    session: Session,
    actor: Actor,
    *,
    today: date | None = None,
    account_ids: list[str] | None = None,
) -> Portfolio:
    """Everything the insights need about the accounts the actor may see (or only
    ``account_ids`` of them, to recompute a few accounts quickly)."""
    today = today or date.today()
    visible = visible_account_ids(actor)
    if account_ids is not None:
        visible = visible.where(Account.id.in_(account_ids))

    accounts = _frame(
        session,
        select(
            Account.id, Account.name, Account.segment, Account.industry, Account.region,
            Account.owner_email, Account.annual_value, Account.renewal_date,
            Account.purchase_type, Account.phase,
        )
        .where(visible_accounts(actor), Account.id.in_(visible))
        .order_by(Account.id),
        {
            "account_id": pl.String, "name": pl.String, "segment": pl.String,
            "industry": pl.String, "region": pl.String, "owner_email": pl.String,
            "annual_value": pl.Float64, "renewal_date": pl.Date, "purchase_type": pl.String,
            "phase": pl.String,
        },
    )  # fmt: skip
    contacts = _frame(
        session,
        select(
            Contact.id, Contact.account_id, Contact.role, Contact.influence, Contact.veto,
            Contact.active_from, Contact.active_to,
        )
        .where(Contact.account_id.in_(visible))
        .order_by(Contact.id),
        {
            "contact_id": pl.String, "account_id": pl.String, "role": pl.String,
            "influence": pl.Float64, "veto": pl.Boolean, "active_from": pl.Date,
            "active_to": pl.Date,
        },
    )  # fmt: skip
    profiles = _frame(
        session,
        select(
            InfluenceProfile.purchase_type, InfluenceProfile.phase, InfluenceProfile.role,
            InfluenceProfile.weight, InfluenceProfile.veto,
        ),
        {
            "purchase_type": pl.String, "phase": pl.String, "role": pl.String,
            "weight": pl.Float64, "veto": pl.Boolean,
        },
    )  # fmt: skip
    driver_columns = [getattr(Feedback, d) for d in DRIVERS]
    feedback = _frame(
        session,
        select(
            Feedback.id, Feedback.account_id, Feedback.contact_id, Feedback.fulfilment_id,
            Feedback.channel, Feedback.occurred_at, Feedback.nps, Feedback.csat, Feedback.ces,
            *driver_columns, text_sentiment(),
        )
        .outerjoin(TextTag, TextTag.feedback_id == Feedback.id)
        .where(Feedback.account_id.in_(visible))
        .order_by(Feedback.occurred_at, Feedback.id),
        {
            "feedback_id": pl.String, "account_id": pl.String, "contact_id": pl.String,
            "fulfilment_id": pl.String, "channel": pl.String, "occurred_at": pl.Datetime("us"),
            "nps": pl.Int8, "csat": pl.Int8, "ces": pl.Int8,
            **dict.fromkeys(DRIVERS, pl.Int8), "text_sentiment": pl.Float64,
        },
    )  # fmt: skip
    fulfilments = _frame(
        session,
        select(
            Fulfilment.id, Fulfilment.account_id, Fulfilment.promised_at,
            Fulfilment.delivered_at, Fulfilment.complete, Fulfilment.reported_on_time,
        )
        .where(Fulfilment.account_id.in_(visible))
        .order_by(Fulfilment.id),
        {
            "fulfilment_id": pl.String, "account_id": pl.String,
            "promised_at": pl.Datetime("us"), "delivered_at": pl.Datetime("us"),
            "complete": pl.Boolean, "reported_on_time": pl.Boolean,
        },
    )  # fmt: skip
    opportunities = _frame(
        session,
        select(
            Opportunity.id, Opportunity.account_id, Opportunity.kind, Opportunity.stage,
            Opportunity.amount, Opportunity.opened_at, Opportunity.closed_at, Opportunity.outcome,
        )
        .where(Opportunity.account_id.in_(visible))
        .order_by(Opportunity.id),
        {
            "opportunity_id": pl.String, "account_id": pl.String, "kind": pl.String,
            "stage": pl.String, "amount": pl.Float64, "opened_at": pl.Date,
            "closed_at": pl.Date, "outcome": pl.String,
        },
    )  # fmt: skip
    return Portfolio(today, accounts, contacts, profiles, feedback, fulfilments, opportunities)
