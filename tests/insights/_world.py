"""The planted synthetic world for the key-driver, risk, KPI-gap and segment tests.

Generated once per test session with 600 accounts (seed 7): the 240-account demo world has 25
churns, too few for stable AUCs and driver ranks. It goes through the real importer into the
test database (SQLite, or PostgreSQL with ``--db postgres``), is loaded as a Portfolio, and the
database is emptied again at once, so every other test still starts from an empty database.
The Portfolio and the metrics frames are plain in-memory data, cached here for the session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.imports.service import import_files
from accord.insights.frames import Portfolio, load_portfolio
from accord.insights.metrics import account_metrics
from accord.insights.risk import renewal_outcomes
from accord.models import Base
from accord.synthetic import generate_world
from accord.vocabulary import DRIVERS

TODAY = date(2026, 11, 23)
SEED = 7
ACCOUNTS = 600
DRIVER_COLUMNS = [f"driver_{d}" for d in DRIVERS]


@dataclass(frozen=True)
class World:
    folder: Path
    truth: dict[str, Any]
    portfolio: Portfolio
    now: pl.DataFrame  # account_metrics as of today
    renewals: pl.DataFrame  # renewal_outcomes + account_metrics as of each renewal date

    @property
    def kda_frame(self) -> pl.DataFrame:
        """Past renewals with ``renewed`` (1/0) and the driver scores as of the renewal date."""
        return self.renewals.with_columns((1 - pl.col("churned")).alias("renewed"))


_CACHE: dict[str, World] = {}


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def planted_world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The session's planted world (see the module docstring); pass ``migrated_engine``."""
    key = str(engine.url)
    if key in _CACHE:
        return _CACHE[key]
    folder = tmp_path_factory.mktemp("planted_world")
    summary = generate_world(folder, accounts=ACCOUNTS, seed=SEED, today=TODAY)
    try:
        report = import_files(engine, [p for name, p in summary.paths.items() if name != "truth"])
        assert report.ok, report.errors
        with Session(engine) as session:
            portfolio = load_portfolio(session, OPERATOR, today=TODAY)
    finally:
        _empty(engine)
    outcomes = renewal_outcomes(portfolio.opportunities)
    world = World(
        folder=folder,
        truth=json.loads(summary.paths["truth"].read_text("utf-8")),
        portfolio=portfolio,
        now=account_metrics(portfolio),
        renewals=outcomes.join(
            account_metrics(portfolio, as_of=outcomes.select("account_id", "as_of")),
            on="account_id",
            how="left",
        ),
    )
    _CACHE[key] = world
    return world
