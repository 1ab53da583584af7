"""Assembles ``truth.json``: the planted model and what it did, for tests and validation."""

from __future__ import annotations

from datetime import date
from typing import Any

from accord.synthetic import planted as M
from accord.synthetic.journey import BEAUTIFY_PROBABILITY, WIN_ALPHA, WIN_KAPPA, Fulfilment
from accord.synthetic.listening import FeedbackRow
from accord.synthetic.world import Account


def _r(x: float) -> float:
    return round(x, 4)


def _on_time_by_region(
    accounts: list[Account], fulfilments: list[Fulfilment]
) -> tuple[dict[str, float], dict[str, float]]:
    region = {a.id: a.region for a in accounts}
    counts: dict[str, list[int]] = {}
    for f in fulfilments:
        if f.delivered_at is None:
            continue
        c = counts.setdefault(region[f.account_id], [0, 0, 0])
        c[0] += 1
        c[1] += not f.late
        c[2] += bool(f.reported_on_time)
    measured = {r: _r(c[1] / c[0]) for r, c in sorted(counts.items())}
    reported = {r: _r(c[2] / c[0]) for r, c in sorted(counts.items())}
    return measured, reported


def build_truth(
    *,
    seed: int,
    today: date,
    accounts: list[Account],
    opportunities: list[dict[str, Any]],
    fulfilments: list[Fulfilment],
    feedback: list[FeedbackRow],
    region_late: dict[str, float],
    beautified: list[str],
    owner_effect: dict[str, float],
    incidents: list[dict[str, Any]],
    renewal_info: dict[str, Any],
) -> dict[str, Any]:
    renewal_opp = {o["account_id"]: o["opportunity_id"] for o in opportunities if o.get("renewal")}
    killers = {renewal_opp[a.id]: a.veto_killer for a in accounts if a.veto_killer is not None}
    past = [a for a in accounts if a.outcome is not None]
    churned = [a for a in past if a.outcome == "churned"]
    measured, reported = _on_time_by_region(accounts, fulfilments)
    sentiment_at_renewal = {
        c.id: _r(M.sentiment(a.perception(c, a.renewal_date)))
        for a in accounts
        for c in a.active_contacts(a.renewal_date)
    }
    sentiment_today = {
        c.id: _r(M.sentiment(a.perception(c, min(today, a.last_day(today)))))
        for a in accounts
        for c in a.contacts
    }
    return {
        "seed": seed,
        "today": today.isoformat(),
        "driver_weights": M.DRIVER_WEIGHTS,
        "role_weights": {
            pt: {ph: {role: w for role, (w, _) in roles.items()} for ph, roles in phases.items()}
            for pt, phases in M.PROFILES.items()
        },
        "role_veto": {
            pt: {ph: [role for role, (_, v) in roles.items() if v] for ph, roles in phases.items()}
            for pt, phases in M.PROFILES.items()
        },
        "model": {
            "renewal_alpha": M.RENEWAL_ALPHA,
            "renewal_kappa": M.RENEWAL_KAPPA,
            "veto_threshold": M.VETO_THRESHOLD,
            "veto_kill_probability": M.VETO_KILL_PROBABILITY,
            "rating": {"centre": M.RATING_CENTRE, "slope": M.RATING_SLOPE, "sd": M.RATING_SD},
            "nps": {"centre": M.NPS_CENTRE, "slope": M.NPS_SLOPE, "sd": M.NPS_SD},
            "win_alpha": WIN_ALPHA,
            "win_kappa": WIN_KAPPA,
            "beautify_probability": BEAUTIFY_PROBABILITY,
        },
        "churn_rate": _r(len(churned) / len(past)) if past else None,
        "past_renewals": len(past),
        "veto_killed": list(killers),
        "veto_killers": killers,
        "veto_triggered": renewal_info["veto_triggered"],
        "incidents": incidents,
        "beautified_regions": beautified,
        "late_rate_by_region": {r: _r(v) for r, v in region_late.items()},
        "measured_on_time_by_region": measured,
        "reported_on_time_by_region": reported,
        "account_late_rate": {a.id: _r(a.late_rate) for a in accounts},
        "owner_trust_effect": {o: _r(v) for o, v in owner_effect.items()},
        "renewal_opportunity": renewal_opp,
        "account_renewal_utility": {a.id: _r(a.utility) for a in accounts},
        "account_renewal_probability": {a.id: _r(a.renewal_probability) for a in accounts},
        "future_renewal_outcome": renewal_info["future_renewal_outcome"],
        "contact_true_influence": {c.id: c.influence_true for a in accounts for c in a.contacts},
        "contact_sentiment_at_renewal": sentiment_at_renewal,
        "contact_sentiment_today": sentiment_today,
        "text_labels": {
            r.id: [[d, pol] for d, pol in r.topics] for r in feedback if r.text is not None
        },
    }
