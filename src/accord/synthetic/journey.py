"""Fulfilments (with beautified reporting) and opportunities through the buying cycle."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from accord.synthetic import catalog as C
from accord.synthetic import planted as M
from accord.synthetic.common import business_time, clip, day_between, poisson, weighted
from accord.synthetic.lexicon import CERTS
from accord.synthetic.world import Account
from accord.vocabulary import OpportunityKind, Outcome, Stage

WIN_ALPHA, WIN_KAPPA = 0.5, 3.0  # P(win) = σ(α + κ·mood): the wallet-share link
BEAUTIFY_PROBABILITY = 0.8  # share of late deliveries a beautified region reports as on time
_BUYING = (
    Stage.need,
    Stage.awareness,
    Stage.research,
    Stage.consideration,
    Stage.evaluation,
    Stage.purchase,
)


@dataclass
class Fulfilment:
    id: str
    account_id: str
    promised_at: datetime
    delivered_at: datetime | None
    complete: bool | None
    reported_on_time: bool | None

    @property
    def late(self) -> bool:
        return self.delivered_at is not None and self.delivered_at > self.promised_at


def make_fulfilments(
    rng: random.Random, accounts: list[Account], today: date, beautified: set[str]
) -> list[Fulfilment]:
    rows: list[Fulfilment] = []
    for account in accounts:
        start, end = account.first_day(today), account.last_day(today)
        rate = C.SEGMENT_BY_NAME[account.segment].fulfilments_per_quarter
        count = poisson(rng, rate * rng.uniform(0.7, 1.3) * (end - start).days / 91.3)
        days = sorted(day_between(rng, start, end - timedelta(days=2)) for _ in range(count))
        pending = 0 if account.outcome == "churned" else poisson(rng, 0.7)
        days += [today + timedelta(days=rng.randint(1, 14)) for _ in range(pending)]
        for day in days:
            promised = business_time(rng, day).replace(minute=0, second=0)
            if day > today:
                rows.append(Fulfilment("", account.id, promised, None, None, None))
                continue
            late = rng.random() < account.late_rate
            if late:
                delay = timedelta(
                    days=min(1 + int(rng.expovariate(1 / 4)), 20), hours=rng.randint(0, 6)
                )
            else:
                delay = -timedelta(hours=rng.randint(0, 40), minutes=rng.randint(0, 59))
            delivered = promised + delay
            if delivered.date() >= today:
                continue
            complete = rng.random() >= (0.04 + (0.25 if late else 0.0))
            reported = not late
            if late and account.region in beautified:
                reported = rng.random() < BEAUTIFY_PROBABILITY
            rows.append(Fulfilment("", account.id, promised, delivered, complete, reported))
    for i, row in enumerate(rows, start=1):
        row.id = f"FUL-{i:06d}"
    return rows


# -- opportunities ----------------------------------------------------------------------------

_RFP = (
    "RFP asks for {cert} with every lot and a {weeks}-week lead time.",
    "Tender with {n} competitors; scoring 40% price, 35% quality, 25% service.",
    "Customer wants {n} samples for qualification before any order.",
    "Public tender; bid bond required, evaluation committee of {n}.",
    "Spec requires on-site support within {hours} hours and quarterly reviews.",
    "Demo for the evaluation team scheduled; IT security questionnaire pending.",
    "Pilot at one site first, roll-out to the others if KPIs are met.",
    "Requested reference customers in the same industry.",
)
_NEGOTIATION = (
    "Customer asked for {pct}% year-on-year reduction; agreed {half}% with 60-day payment terms.",
    "Negotiation team of {n}; procurement led, finance joined the last round.",
    "Price held; we added free {cert} and a quarterly savings report.",
    "Competitor undercut by {pct}%; we matched on volume tiers only.",
    "Volume commitment traded for a {half}% rebate.",
    "Payment terms moved from 30 to 60 days in exchange for a two-year term.",
    "Legal review of liability clauses took {weeks} weeks.",
    "Lease with buy-back option after {n} years.",
)
_CYCLE_DAYS = {  # (min, max) days from opening to decision
    OpportunityKind.rebuy: (10, 40),
    OpportunityKind.modified_rebuy: (30, 100),
    OpportunityKind.new: (60, 200),
    OpportunityKind.lease: (30, 120),
}
_KIND_SHARE = {
    OpportunityKind.rebuy: 0.35,
    OpportunityKind.modified_rebuy: 0.25,
    OpportunityKind.new: 0.2,
    OpportunityKind.lease: 0.2,
}
_AMOUNT = {
    OpportunityKind.rebuy: (0.05, 0.25),
    OpportunityKind.modified_rebuy: (0.1, 0.4),
    OpportunityKind.new: (0.15, 0.6),
    OpportunityKind.lease: (0.05, 0.3),
}


def _note(rng: random.Random, templates: tuple[str, ...], account: Account) -> str:
    pct = rng.randint(3, 8)
    return rng.choice(templates).format(
        cert=rng.choice(CERTS[account.purchase_type]),
        weeks=rng.randint(2, 10),
        n=rng.randint(2, 5),
        hours=rng.choice((4, 8, 24, 48)),
        pct=pct,
        half=max(1, pct // 2),
    )


def _post_purchase_stage(closed: date, today: date, promoter: bool) -> str:
    age = (today - closed).days
    if age < 60:
        return Stage.application
    if age < 240:
        return Stage.experience
    return Stage.advocacy if promoter else Stage.reaction


def _open_stage(progress: float) -> str:
    return _BUYING[min(int(clip(progress, 0, 0.999) * len(_BUYING)), len(_BUYING) - 1)]


def _amount(value: float) -> float:
    return float(round(value, -1)) if value >= 100 else float(round(value))


def _mood(account: Account, day: date) -> float:
    """The village's average sentiment on a day (drives win rates: the wallet-share link)."""
    people = account.active_contacts(day) or account.contacts
    return sum(M.sentiment(account.perception(c, day)) for c in people) / len(people)


def make_opportunities(
    rng: random.Random, accounts: list[Account], today: date
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for account in accounts:
        seg = C.SEGMENT_BY_NAME[account.segment]
        slow = 1.6 if account.segment == "large_enterprise" else 1.0
        start, end = account.first_day(today), account.last_day(today)
        promoter = _mood(account, min(today, end)) > 0.15
        own: list[dict[str, Any]] = []
        if account.customer_since >= today - timedelta(days=3 * 365 + 180):
            closed = account.customer_since - timedelta(days=rng.randint(0, 20))
            opened = closed - timedelta(days=int(rng.randint(60, 200) * slow))
            own.append(
                {
                    "kind": OpportunityKind.new,
                    "stage": _post_purchase_stage(closed, today, promoter),
                    "amount": _amount(account.annual_value * rng.uniform(0.9, 1.1)),
                    "opened_at": opened,
                    "closed_at": closed,
                    "outcome": Outcome.won,
                    "rfp": rng.random() < 0.7,
                    "nego": rng.random() < 0.6,
                }
            )
        for _ in range(rng.randint(*seg.extra_opportunities)):
            kind = weighted(rng, list(_KIND_SHARE), list(_KIND_SHARE.values()))
            lo, hi = _CYCLE_DAYS[kind]
            cycle = int(rng.randint(lo, hi) * (slow if kind != OpportunityKind.rebuy else 1.0))
            opened = day_between(rng, start, end - timedelta(days=10))
            decided = opened + timedelta(days=cycle)
            amount = _amount(account.annual_value * rng.uniform(*_AMOUNT[kind]))
            row = {"kind": kind, "amount": amount, "opened_at": opened, "rfp": False, "nego": False}
            if decided > end and account.outcome != "churned":
                row.update(
                    stage=_open_stage((today - opened).days / cycle),
                    closed_at=None,
                    outcome=Outcome.open,
                )
            else:
                cut_short = decided > end  # the account churned before the decision
                decided = min(decided, end)
                p_win = M.logistic(WIN_ALPHA + WIN_KAPPA * _mood(account, decided))
                win = not cut_short and rng.random() < p_win
                stage = (
                    _post_purchase_stage(decided, today, promoter)
                    if win
                    else rng.choice((Stage.consideration, Stage.evaluation, Stage.purchase))
                )
                row.update(
                    stage=stage, closed_at=decided, outcome=Outcome.won if win else Outcome.lost
                )
            row["rfp"] = kind != OpportunityKind.rebuy and rng.random() < 0.5
            row["nego"] = row["outcome"] != Outcome.open and rng.random() < 0.4
            own.append(row)
        # the one renewal per account, at its renewal date
        opened = min(
            account.renewal_date - timedelta(days=rng.randint(90, 150)),
            today - timedelta(days=rng.randint(0, 45)),
        )
        renewal: dict[str, Any] = {
            "kind": OpportunityKind.renewal,
            "opened_at": opened,
            "rfp": False,
            "amount": _amount(account.annual_value * rng.uniform(0.95, 1.08)),
            "nego": rng.random() < 0.5,
            "renewal": True,
        }
        if account.outcome is None:
            days_left = (account.renewal_date - today).days
            renewal.update(
                stage=_open_stage(1 - days_left / 270),
                closed_at=None,
                outcome=Outcome.open,
                nego=renewal["nego"] and days_left < 60,
            )
        else:
            renewal.update(
                closed_at=account.renewal_date,
                outcome=Outcome(account.outcome),
                stage=(
                    Stage.reaction
                    if account.outcome == "churned"
                    else _post_purchase_stage(account.renewal_date, today, promoter)
                ),
            )
        own.append(renewal)
        own.sort(key=lambda r: (r["opened_at"], r["kind"]))
        for row in own:
            row["account"] = account
            row["rfp_notes"] = _note(rng, _RFP, account) if row.pop("rfp") else None
            row["negotiation_notes"] = (
                _note(rng, _NEGOTIATION, account) if row.pop("nego") else None
            )
            rows.append(row)
    for i, row in enumerate(rows, start=1):
        row["opportunity_id"] = f"OPP-{i:05d}"
        row["account_id"] = row.pop("account").id
    return rows
