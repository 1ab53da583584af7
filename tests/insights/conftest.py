"""Village-insight test helpers: builders for small hand-made portfolios (``build_portfolio``,
``days_ago``; plain functions the tests import), and the ``planted`` fixture — the synthetic
world (240 accounts, seed 7) imported through the real importer into the test database.

The world is generated, imported and loaded once per test session and database; the database
is emptied again at once, so every other test still starts from an empty one. The Portfolio's
frames are plain in-memory data, reused by every test that asks for the world.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.imports import import_files
from accord.insights.frames import Portfolio, load_portfolio
from accord.models import Base
from accord.synthetic import generate_world
from accord.vocabulary import DRIVERS

TODAY = date(2026, 11, 23)

# The frames' schemas, as ``load_portfolio`` builds them.
SCHEMAS: dict[str, dict[str, Any]] = {
    "accounts": {
        "account_id": pl.String, "name": pl.String, "segment": pl.String,
        "industry": pl.String, "region": pl.String, "owner_email": pl.String,
        "annual_value": pl.Float64, "renewal_date": pl.Date, "purchase_type": pl.String,
        "phase": pl.String,
    },
    "contacts": {
        "contact_id": pl.String, "account_id": pl.String, "role": pl.String,
        "influence": pl.Float64, "veto": pl.Boolean, "active_from": pl.Date,
        "active_to": pl.Date,
    },
    "profiles": {
        "purchase_type": pl.String, "phase": pl.String, "role": pl.String,
        "weight": pl.Float64, "veto": pl.Boolean,
    },
    "feedback": {
        "feedback_id": pl.String, "account_id": pl.String, "contact_id": pl.String,
        "fulfilment_id": pl.String, "channel": pl.String, "occurred_at": pl.Datetime("us"),
        "nps": pl.Int8, "csat": pl.Int8, "ces": pl.Int8, **dict.fromkeys(DRIVERS, pl.Int8),
    },
    "fulfilments": {
        "fulfilment_id": pl.String, "account_id": pl.String,
        "promised_at": pl.Datetime("us"), "delivered_at": pl.Datetime("us"),
        "complete": pl.Boolean, "reported_on_time": pl.Boolean,
    },
    "opportunities": {
        "opportunity_id": pl.String, "account_id": pl.String, "kind": pl.String,
        "stage": pl.String, "amount": pl.Float64, "opened_at": pl.Date,
        "closed_at": pl.Date, "outcome": pl.String,
    },
}  # fmt: skip

_DEFAULTS: dict[str, dict[str, Any]] = {
    "accounts": {"segment": "mid_market", "purchase_type": "widgets", "phase": "continuous"},
    "contacts": {"account_id": "A", "veto": False},
    "feedback": {"account_id": "A", "channel": "survey", "occurred_at": datetime(2026, 11, 23, 12)},
    "opportunities": {"kind": "renewal", "stage": "reaction"},
}


def frame(kind: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A frame of ``kind`` with ``load_portfolio``'s schema; missing cells are empty (or the
    kind's default: feedback is a survey answer at noon on ``TODAY``) and ids are numbered
    where not given."""
    schema = SCHEMAS[kind]
    defaults = _DEFAULTS.get(kind, {})
    id_column = next(iter(schema))
    filled = []
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - set(schema)
        assert not unknown, f"{kind} has no column {unknown}"
        full = dict.fromkeys(schema) | defaults | {id_column: f"{kind[:2].upper()}{i}"} | row
        filled.append(full)
    return pl.DataFrame(filled, schema=schema, orient="row")


def days_ago(n: float, *, today: date = TODAY) -> datetime:
    """Noon ``n`` days before ``today`` (so its age in whole days is ``n``)."""
    return datetime(today.year, today.month, today.day, 12) - timedelta(days=n)


def build_portfolio(
    *,
    today: date = TODAY,
    accounts: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    profiles: list[dict[str, Any]] | None = None,
    feedback: list[dict[str, Any]] | None = None,
    fulfilments: list[dict[str, Any]] | None = None,
    opportunities: list[dict[str, Any]] | None = None,
) -> Portfolio:
    """A hand-made portfolio; by default one account ``A`` (mid_market, widgets, continuous)."""
    return Portfolio(
        today,
        frame("accounts", accounts if accounts is not None else [{"account_id": "A"}]),
        frame("contacts", contacts or []),
        frame("profiles", profiles or []),
        frame("feedback", feedback or []),
        frame("fulfilments", fulfilments or []),
        frame("opportunities", opportunities or []),
    )


# --- the planted world ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedWorld:
    folder: Path
    truth: dict[str, Any]
    portfolio: Portfolio

    @property
    def past_renewals(self) -> pl.DataFrame:
        """Decided renewals: account_id, opportunity_id, as_of (the day before), renewed."""
        return self.portfolio.opportunities.filter(
            (pl.col("kind") == "renewal") & pl.col("outcome").is_in(["renewed", "churned"])
        ).select(
            "account_id",
            "opportunity_id",
            as_of=pl.col("closed_at") - pl.duration(days=1),
            renewed=(pl.col("outcome") == "renewed").cast(pl.Int8),
        )


_WORLDS: dict[str, PlantedWorld] = {}


@pytest.fixture(scope="session")
def planted(migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> PlantedWorld:
    key = str(migrated_engine.url)
    if key not in _WORLDS:
        folder = tmp_path_factory.mktemp("village_world")
        summary = generate_world(folder, accounts=240, seed=7, today=TODAY)
        try:
            files = [p for name, p in summary.paths.items() if name != "truth"]
            report = import_files(migrated_engine, files)
            assert all(f.ok for f in report.files), report
            with Session(migrated_engine) as session:
                portfolio = load_portfolio(session, OPERATOR, today=TODAY)
        finally:
            with migrated_engine.begin() as conn:
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(table.delete())
        truth = json.loads(summary.paths["truth"].read_text("utf-8"))
        _WORLDS[key] = PlantedWorld(folder, truth, portfolio)
    return _WORLDS[key]
