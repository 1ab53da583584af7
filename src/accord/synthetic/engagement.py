"""Post-purchase engagement — events, invitations, attendance and event feedback — and the list
prices of won purchases, for the value report's savings.

Planted: who comes depends on the role and the kind of event (``ATTEND``): users and technical
buyers come to webcasts and user groups, economic buyers and executives rarely come to anything
but seminars; everyone opens some newsletters. Event feedback follows the person's perception of
the account on the day, like every other comment. Discounts off list are larger for larger
segments (``DISCOUNT``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from accord.synthetic import planted as M
from accord.synthetic.common import business_time, clip
from accord.synthetic.world import Account
from accord.vocabulary import Role

HISTORY_DAYS = 720
CALENDAR = {  # kind → (every N days, hours long, titles)
    "webcast": (45, 1, ("What's new in {y}", "Cutting total cost of ownership", "Briefing {y}")),
    "seminar": (120, 6, ("Procurement excellence", "Quality day {y}", "Supply chain resilience")),
    "user_group": (180, 8, ("User group {y}", "Customer advisory board {y}")),
    "trade_show": (240, 24, ("Industry fair {y}", "Components expo {y}")),
    "newsletter": (30, 0, ("Customer newsletter {m}",)),
}
INVITE = {
    "webcast": 0.25,
    "seminar": 0.12,
    "user_group": 0.1,
    "trade_show": 0.08,
    "newsletter": 0.3,
}
ATTEND: dict[str, dict[str, float]] = {
    "webcast": {Role.user: 0.45, Role.technical_buyer: 0.5, Role.champion: 0.5},
    "seminar": {Role.procurement: 0.5, Role.economic_buyer: 0.35, Role.executive: 0.3},
    "user_group": {Role.user: 0.55, Role.technical_buyer: 0.5, Role.champion: 0.6},
    "trade_show": {Role.technical_buyer: 0.4, Role.procurement: 0.35},
    "newsletter": {},
}
ATTEND_DEFAULT = {"newsletter": 0.4}
DISCOUNT = {
    "large_enterprise": (0.06, 0.14),
    "mid_market": (0.03, 0.1),
    "small_private": (0.0, 0.06),
}
FEEDBACK_TEXT = {
    True: ("Useful session, we will try the new settings.", "Good to meet other users.",
           "Clear roadmap, thank you.", "Worth the time; the Q&A answered our questions."),
    False: ("Too much sales pitch.", "The session ran over and missed our questions.",
            "Not relevant for our plant.", "Audio problems for half the session."),
}  # fmt: skip


@dataclass
class EventRow:
    id: str
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    location: str | None


def make_events(rng: random.Random, today: date) -> list[EventRow]:
    events: list[EventRow] = []
    start = today - timedelta(days=HISTORY_DAYS)
    for kind, (every, hours, titles) in CALENDAR.items():
        day = start + timedelta(days=rng.randint(0, every - 1))
        while day <= today + timedelta(days=60):
            at = business_time(rng, day).replace(minute=0, second=0)
            title = rng.choice(titles).format(y=day.year, m=f"{day:%B %Y}")
            ends = at + timedelta(hours=hours) if hours else None
            where = None if kind in ("webcast", "newsletter") else rng.choice(
                ("Hamburg", "Lyon", "Milan", "Rotterdam", "Wrocław", "Vienna"))  # fmt: skip
            events.append(EventRow("", kind, title, at, ends, where))
            day += timedelta(days=every + rng.randint(-7, 7))
    events.sort(key=lambda e: (e.starts_at, e.kind))
    for i, event in enumerate(events, start=1):
        event.id = f"EV-{i:04d}"
    return events


def make_attendance(
    rng: random.Random, events: list[EventRow], accounts: list[Account], today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(invitations, event feedback): feedback rows use the feedback file's columns."""
    invitations: list[dict[str, Any]] = []
    feedback: list[dict[str, Any]] = []
    for event in events:
        day = event.starts_at.date()
        for account in accounts:
            if account.outcome == "churned" and day > account.renewal_date:
                continue
            for person in account.active_contacts(day):
                if rng.random() >= INVITE[event.kind]:
                    continue
                status = "invited"
                if day < today:
                    p = ATTEND[event.kind].get(person.role, ATTEND_DEFAULT.get(event.kind, 0.15))
                    came = rng.random() < p
                    status = "attended" if came else rng.choice(("declined", "no_show", "invited"))
                elif rng.random() < 0.4:
                    status = "registered"
                row = {
                    "attendance_id": f"AT-{len(invitations) + 1:06d}",
                    "event_id": event.id,
                    "account_id": account.id,
                    "contact_id": person.id,
                    "status": status,
                    "invited_at": event.starts_at - timedelta(days=rng.randint(7, 30)),
                    "feedback_id": None,
                }
                if status == "attended" and event.kind != "newsletter" and rng.random() < 0.3:
                    mood = M.sentiment(account.perception(person, day))
                    nps = round(clip(7 + 4 * mood + rng.gauss(0, 1.2), 0, 10))
                    said = (event.ends_at or event.starts_at).date() + timedelta(days=1)
                    fb_id = f"FBE-{len(feedback) + 1:06d}"
                    feedback.append(
                        {
                            "feedback_id": fb_id,
                            "account_id": account.id,
                            "contact_id": person.id,
                            "channel": "event",
                            "occurred_at": datetime.combine(said, time(9, rng.randint(0, 59))),
                            "nps": nps,
                            "text": rng.choice(FEEDBACK_TEXT[nps >= 7]),
                        }
                    )
                    row["feedback_id"] = fb_id
                invitations.append(row)
    return invitations, feedback


def make_list_prices(
    rng: random.Random, opportunities: list[dict[str, Any]], accounts: list[Account]
) -> list[list[Any]]:
    segment = {a.id: a.segment for a in accounts}
    rows = []
    for o in opportunities:
        if o["outcome"] not in ("won", "renewed") or not o["amount"] or rng.random() < 0.15:
            continue
        low, high = DISCOUNT[segment[o["account_id"]]]
        discount = rng.uniform(low, high)
        rows.append([o["opportunity_id"], o["account_id"], round(o["amount"] / (1 - discount), -1)])
    return rows
