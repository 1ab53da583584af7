"""Draws the planted renewal outcome of every account (see ``planted`` for the model)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from accord.synthetic import planted as M
from accord.synthetic.common import day_between
from accord.synthetic.world import Account
from accord.vocabulary import DRIVERS

_SHOCKABLE = ("fulfilment", "trust", "product", "ease", "price")


def plant_incidents(
    rng: random.Random, accounts: list[Account], today: date
) -> list[dict[str, Any]]:
    """In some accounts one veto holder suffers an incident that sours their view from a date
    before the renewal (and before today, so the data can show it)."""
    incidents = []
    for account in accounts:
        if rng.random() >= M.SHOCK_SHARE:
            continue
        holders = [c for c in account.active_contacts(account.renewal_date) if c.veto]
        if not holders:
            continue
        victim = rng.choice(holders)
        latest = min(account.renewal_date - timedelta(days=60), today - timedelta(days=30))
        earliest = max(victim.active_from + timedelta(days=14), latest - timedelta(days=240))
        if earliest > latest:
            continue
        hit = rng.sample(_SHOCKABLE, 2)
        victim.shock = [
            M.SHOCK_STRONG if d in hit else 0.0 if d == "presence" else M.SHOCK_WEAK
            for d in DRIVERS
        ]
        victim.shock_from = day_between(rng, earliest, latest)
        incidents.append(
            {
                "account_id": account.id,
                "contact_id": victim.id,
                "from": victim.shock_from.isoformat(),
                "drivers": hit,
            }
        )
    return incidents


def draw_renewals(rng: random.Random, accounts: list[Account], today: date) -> dict[str, Any]:
    """Sets each account's renewal utility, probability and (for past dates) outcome.

    A renewal is veto-killed (``account.veto_killer`` set) when it churned because a veto
    holder was strongly negative although the utility draw alone would have renewed. Returns
    the veto holders who were strongly negative at each renewal, and the latent outcome of
    renewals still in the future.
    """
    triggered: dict[str, str] = {}
    future: dict[str, str] = {}
    for account in accounts:
        day = account.renewal_date
        active = account.active_contacts(day)
        by_role: dict[str, list[list[float]]] = {}
        weakest: tuple[float, str] | None = None
        for c in active:
            p = account.perception(c, day)
            by_role.setdefault(c.role, []).append(p)
            s = M.sentiment(p)
            if c.veto and s < M.VETO_THRESHOLD and (weakest is None or s < weakest[0]):
                weakest = (s, c.id)
        account.utility = M.renewal_utility(account.purchase_type, account.phase, by_role)
        account.renewal_probability = M.renewal_probability(account.utility, weakest is not None)
        utility_renews = rng.random() < M.logistic(
            M.RENEWAL_ALPHA + M.RENEWAL_KAPPA * account.utility
        )
        veto_kills = weakest is not None and rng.random() < M.VETO_KILL_PROBABILITY
        outcome = "renewed" if utility_renews and not veto_kills else "churned"
        if weakest is not None:
            triggered[account.id] = weakest[1]
        if day > today:
            future[account.id] = outcome  # latent: what would happen, for forecast validation
            continue
        account.outcome = outcome
        if veto_kills and utility_renews:
            account.veto_killer = weakest[1] if weakest else None
    return {"veto_triggered": triggered, "future_renewal_outcome": future}
