"""Leads from marketing programmes, what became of them, and what sales logged — with a planted
truth, so the lead report's calibration has something real to find.

Planted: whether a lead converts follows ``P = σ(LEAD_BASE + Σ effects)`` over its true fit and
engagement (``LEAD_EFFECTS``): a target industry, a big company, a person who decides, events
attended, content read and recent activity raise it; region does nothing. Leads older than
``DECIDED_AFTER_DAYS`` were decided the old way — every response went to sales, which accepted
(stage ``opportunity``) or rejected it with a reason; the rest are open for Accord to score.
A few recent ones were handed to sales and wait past the SLA (``sql``, overdue in the demo).

Sales feedback carries pain points planted per industry and micro-trends planted to rise or
fade over time (``TRENDS``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from accord.synthetic import catalog as C
from accord.synthetic.common import business_time, clip, day_between, poisson, weighted
from accord.synthetic.world import Account
from accord.vocabulary import Role

LEADS_PER_ACCOUNT = 3.0
HISTORY_DAYS = 720
DECIDED_AFTER_DAYS = 45
SOURCES = {
    "trade_show": 0.2,
    "webinar": 0.26,
    "white_paper": 0.24,
    "web_form": 0.2,
    "referral": 0.1,
}
TARGET = ("automotive components", "medical devices", "electronics", "chemicals", "food processing")
ELSEWHERE = ("education", "public administration", "hospitality", "agriculture", "consulting")
ROLES = {
    Role.user: 0.24,
    Role.technical_buyer: 0.2,
    Role.procurement: 0.12,
    Role.economic_buyer: 0.12,
    Role.gatekeeper: 0.1,
    Role.champion: 0.08,
    Role.executive: 0.08,
    Role.blocker: 0.06,
}
DECIDERS = {Role.economic_buyer, Role.technical_buyer, Role.executive}
LEAD_BASE = -3.4
LEAD_EFFECTS = {
    "target_industry": 1.3,
    "employees_1000": 0.9,
    "employees_200": 0.5,
    "decider_role": 1.1,
    "per_event": 0.55,
    "per_content": 0.2,  # up to 4 pieces
    "active_last_30_days": 0.7,
}
PAIN_POINTS = {
    "automotive components": ("lead times", "ppap documentation", "price pressure from oems"),
    "medical devices": ("regulatory documentation", "traceability", "validation effort"),
    "electronics": ("component shortages", "lead times", "quality escapes"),
    "chemicals": ("energy costs", "hazmat logistics", "batch consistency"),
    "food processing": ("unplanned downtime", "hygiene audits", "spare parts availability"),
    "logistics": ("driver shortage", "visibility of shipments", "fuel costs"),
    "utilities": ("ageing assets", "regulatory reporting", "field service scheduling"),
    "software": ("integration effort", "licence costs", "security reviews"),
    "construction": ("site delays", "material price swings", "subcontractor quality"),
    "retail distribution": ("stock-outs", "returns handling", "seasonal peaks"),
}
GENERIC_PAINS = ("budget cuts", "too many suppliers", "slow approvals")
# micro-trend → (weight at the start of the history, weight at the end): rising or fading
TRENDS = {
    "reshoring": (0.2, 1.6),
    "ai quality inspection": (0.1, 1.2),
    "energy surcharges": (1.4, 0.3),
    "supplier consolidation": (0.7, 0.8),
}
REJECT_REASONS = ("no budget", "timing", "no real need", "went with a competitor")


@dataclass
class LeadRow:
    id: str
    source: str
    captured_at: datetime
    company: str
    name: str
    email: str
    title: str | None
    role: str | None
    industry: str | None
    employees: int | None
    region: str | None
    events: int
    content: int
    last_activity_at: datetime | None
    segment: str | None = None
    owner_email: str | None = None
    stage: str | None = None
    stage_changed_at: datetime | None = None
    reason: str | None = None
    rejected_at: datetime | None = None
    p_convert: float = 0.0
    account: Account | None = field(default=None, repr=False)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _segment(employees: int | None) -> str | None:
    if employees is None:
        return None
    return (
        "large_enterprise"
        if employees >= 1000
        else "mid_market"
        if employees >= 200
        else "small_private"
    )


def _title(rng: random.Random, role: str | None, industry: str | None) -> str | None:
    if role is None:
        return rng.choice(("Assistant", "Analyst", "Consultant", None))
    dept, eng = C.INDUSTRY_DEPT.get(industry or "", ("Operations", "Engineer"))
    return rng.choice(C.ROLE_TITLES[role]).format(dept=dept, eng=eng, gate="Quality")


def _prospect(rng: random.Random, used: set[str]) -> tuple[str, str, str | None]:
    """(company, domain, industry) of a company that is not a customer."""
    roll = rng.random()
    industry = rng.choice(TARGET) if roll < 0.55 else rng.choice(ELSEWHERE + tuple(
        i for i in C.INDUSTRIES if i not in TARGET)) if roll < 0.9 else None  # fmt: skip
    for n in range(200):
        stem = rng.choice(C.NAME_STEMS) + rng.choice(C.NAME_ENDINGS)
        words = C.INDUSTRY_WORDS.get(industry or "", ("Group", "Partners", "Services", "Works"))
        company = f"{stem} {rng.choice(words)} {rng.choice(C.LEGAL_FORMS['mid_market'])}"
        domain = f"{stem.lower()}-prospect{n or ''}.example"
        if domain not in used and company not in used:
            used.update((domain, company))
            return company, domain, industry
    raise RuntimeError("ran out of prospect names")  # pragma: no cover


def _truth(lead: LeadRow, at: date) -> float:
    e = LEAD_EFFECTS
    x = LEAD_BASE
    x += e["target_industry"] if lead.industry in TARGET else 0.0
    if lead.employees is not None:
        x += (
            e["employees_1000"]
            if lead.employees >= 1000
            else e["employees_200"]
            if lead.employees >= 200
            else 0.0
        )
    x += e["decider_role"] if lead.role in DECIDERS else 0.0
    x += e["per_event"] * lead.events + e["per_content"] * min(lead.content, 4)
    if lead.last_activity_at and (at - lead.last_activity_at.date()).days <= 30:
        x += e["active_last_30_days"]
    return _sigmoid(x)


def _reason(rng: random.Random, lead: LeadRow) -> str:
    if lead.role not in DECIDERS and rng.random() < 0.5:
        return "no decision maker"
    if lead.industry not in TARGET and rng.random() < 0.5:
        return "not our market"
    if lead.employees is not None and lead.employees < 50 and rng.random() < 0.6:
        return "too small"
    return rng.choice(REJECT_REASONS)


def make_leads(rng: random.Random, accounts: list[Account], today: date) -> list[LeadRow]:
    used: set[str] = {a.domain for a in accounts} | {a.name for a in accounts}
    count = max(1, round(len(accounts) * LEADS_PER_ACCOUNT))
    start = today - timedelta(days=HISTORY_DAYS)
    rows: list[LeadRow] = []
    for i in range(1, count + 1):
        source = weighted(rng, list(SOURCES), list(SOURCES.values()))
        captured = business_time(rng, day_between(rng, start, today - timedelta(days=1)))
        first, last = rng.choice(C.FIRST_NAMES), rng.choice(C.LAST_NAMES)
        local = "".join(
            ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == ".")
        )
        account = rng.choice(accounts) if rng.random() < 0.25 else None
        role = None if rng.random() < 0.15 else weighted(rng, list(ROLES), list(ROLES.values()))
        if account is not None:
            known = [c for c in account.contacts if c.active_on(captured.date())]
            if known and rng.random() < 0.4:
                person = rng.choice(known)
                email, name, role = person.email, person.name, person.role
            else:
                email, name = f"{local}@{account.domain}", f"{first} {last}"
            company, industry = account.name, account.industry
            employees = None if rng.random() < 0.3 else int(
                {"large_enterprise": 4000, "mid_market": 600, "small_private": 60}[account.segment]
                * math.exp(rng.gauss(0, 0.5)))  # fmt: skip
        else:
            company, domain, industry = _prospect(rng, used)
            email, name = f"{local}@{domain}", f"{first} {last}"
            employees = (
                None if rng.random() < 0.1 else max(3, int(300 * math.exp(rng.gauss(0, 1.3))))
            )
        events = poisson(rng, 0.6) + (1 if source == "trade_show" else 0)
        content = poisson(rng, 1.1) + (1 if source == "white_paper" else 0)
        active = captured + timedelta(days=rng.randint(0, 40)) if events + content else None
        lead = LeadRow(
            id=f"LEAD-{i:05d}",
            source=source,
            captured_at=captured,
            company=company,
            name=name,
            email=email,
            title=_title(rng, role, industry),
            role=role,
            industry=industry,
            employees=employees,
            region=None if rng.random() < 0.05 else rng.choice(C.REGIONS),
            events=events,
            content=content,
            last_activity_at=min(active, datetime.combine(today, captured.time()))
            if active
            else None,
            segment=None if account else _segment(employees),
            account=account,
        )
        _decide(rng, lead, today)
        rows.append(lead)
    return rows


def _decide(rng: random.Random, lead: LeadRow, today: date) -> None:
    age = (today - lead.captured_at.date()).days
    if age > DECIDED_AFTER_DAYS and rng.random() < 0.8:
        decided = lead.captured_at + timedelta(days=rng.randint(10, 40), hours=rng.randint(1, 6))
        if lead.last_activity_at and lead.last_activity_at > decided:
            lead.last_activity_at = decided - timedelta(days=rng.randint(0, 5))
        lead.p_convert = _truth(lead, decided.date())
        lead.stage_changed_at = decided
        lead.owner_email = weighted(rng, C.OWNERS, C.OWNER_WEIGHTS) if not lead.account else None
        if rng.random() < lead.p_convert:
            lead.stage = "opportunity"
        else:
            lead.stage, lead.rejected_at, lead.reason = "disqualified", decided, _reason(rng, lead)
    elif 3 <= age <= 20 and rng.random() < 0.12:
        lead.stage = "sql"  # handed over days ago; sales has not answered yet
        lead.stage_changed_at = lead.captured_at + timedelta(days=1)
        lead.owner_email = weighted(rng, C.OWNERS, C.OWNER_WEIGHTS) if not lead.account else None


def make_sales_feedback(
    rng: random.Random, leads: list[LeadRow], accounts: list[Account], today: date
) -> list[dict[str, Any]]:
    """Sales' notes on decided leads and on accounts: quality, pain points, roles, trends."""
    start = today - timedelta(days=HISTORY_DAYS)
    rows: list[dict[str, Any]] = []

    def pains(industry: str | None) -> str:
        options = PAIN_POINTS.get(industry or "", GENERIC_PAINS)
        picked = rng.sample(options, k=rng.choice((1, 1, 2)))
        if rng.random() < 0.15:
            picked.append(rng.choice(GENERIC_PAINS))
        return "; ".join(picked)

    def trend(at: datetime) -> str | None:
        if rng.random() > 0.35:
            return None
        t = clip((at.date() - start).days / HISTORY_DAYS, 0.0, 1.0)
        weights = [a + (b - a) * t for a, b in TRENDS.values()]
        return weighted(rng, list(TRENDS), weights)

    for lead in leads:
        if lead.stage not in ("opportunity", "disqualified") or rng.random() > 0.6:
            continue
        at = lead.stage_changed_at or lead.captured_at
        converted = lead.stage == "opportunity"
        quality = weighted(
            rng, ["good", "fair", "poor"], [0.6, 0.3, 0.1] if converted else [0.1, 0.35, 0.55]
        )
        roles = rng.sample([r.value for r in Role], k=rng.randint(1, 3))
        account = lead.account
        rows.append(
            {
                "lead_id": lead.id,
                "opportunity_id": None,
                "account_id": account.id if account else None,
                "author": lead.owner_email or (account.owner_email if account else None),
                "occurred_at": at + timedelta(hours=2),
                "quality": quality,
                "pain_points": pains(lead.industry),
                "decision_roles": "; ".join(roles),
                "micro_trends": trend(at),
                "text": "Good fit, budget confirmed." if converted else f"Not now: {lead.reason}.",
            }
        )
    for account in accounts:
        for _ in range(poisson(rng, 1.2)):
            at = business_time(rng, day_between(rng, start, today - timedelta(days=1)))
            rows.append({
                "lead_id": None, "opportunity_id": None, "account_id": account.id,
                "author": account.owner_email, "occurred_at": at, "quality": None,
                "pain_points": pains(account.industry), "decision_roles": None,
                "micro_trends": trend(at), "text": "Heard in the quarterly review.",
            })  # fmt: skip
    rows.sort(key=lambda r: r["occurred_at"])
    for i, row in enumerate(rows, start=1):
        row["sales_feedback_id"] = f"SF-{i:05d}"
    return rows
