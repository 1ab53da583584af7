"""Entities of the synthetic world: accounts and their villages of stakeholders, with latent
perceptions (the planted part lives on these objects but is never written to the CSVs)."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from accord.synthetic import catalog as C
from accord.synthetic import planted as M
from accord.synthetic.common import clip, day_between, weighted
from accord.vocabulary import DRIVERS, Phase, Role

HISTORY_DAYS = 3 * 365
MAX_CONTACTS = 9
DEPARTURE_PROBABILITY = 0.24

_EXTRA_ROLES: dict[str, dict[str, float]] = {  # roles of the seats beyond the key ones
    "large_enterprise": {
        Role.gatekeeper: 0.2,
        Role.procurement: 0.17,
        Role.user: 0.2,
        Role.technical_buyer: 0.14,
        Role.executive: 0.11,
        Role.champion: 0.09,
        Role.blocker: 0.09,
    },
    "mid_market": {
        Role.user: 0.28,
        Role.procurement: 0.18,
        Role.technical_buyer: 0.18,
        Role.gatekeeper: 0.1,
        Role.champion: 0.1,
        Role.blocker: 0.08,
        Role.executive: 0.08,
    },
    "small_private": {
        Role.user: 0.45,
        Role.technical_buyer: 0.25,
        Role.procurement: 0.15,
        Role.champion: 0.1,
        Role.blocker: 0.05,
    },
}


@dataclass
class Contact:
    id: str
    account_id: str
    name: str
    first_name: str
    email: str
    title: str
    role: str
    veto: bool
    influence_true: float
    influence: float | None  # as recorded by the account team (None: not recorded)
    active_from: date
    active_to: date | None
    base: list[float]  # latent perception per driver at the renewal date, before any shock
    shock: list[float] | None = None
    shock_from: date | None = None

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


@dataclass
class Account:
    id: str
    name: str
    domain: str
    segment: str
    industry: str
    region: str
    annual_value: float
    renewal_date: date
    owner_email: str
    purchase_type: str
    phase: str
    customer_since: date
    late_rate: float
    base: list[float]  # account-level perception per driver
    drift: list[float]  # per year, anchored at the renewal date
    contacts: list[Contact] = field(default_factory=list)
    outcome: str | None = None  # renewed / churned for past renewal dates
    renewal_probability: float = 0.0
    utility: float = 0.0
    veto_killer: str | None = None

    def first_day(self, today: date) -> date:
        """First day of the relationship in the data (history reaches three years back)."""
        return max(self.customer_since, today - timedelta(days=HISTORY_DAYS))

    def last_day(self, today: date) -> date:
        """Last day of the relationship in the data: the churn date, else today."""
        return self.renewal_date if self.outcome == "churned" else today

    def perception(self, contact: Contact, day: date) -> list[float]:
        dt = (day - self.renewal_date).days / 365.25
        p = [b + d * dt for b, d in zip(contact.base, self.drift, strict=True)]
        if (
            contact.shock is not None
            and contact.shock_from is not None
            and day >= contact.shock_from
        ):
            p = [x + s for x, s in zip(p, contact.shock, strict=True)]
        return p

    def active_contacts(self, day: date) -> list[Contact]:
        return [c for c in self.contacts if c.active_on(day)]


def _company_name(rng: random.Random, segment: str, industry: str, used: set[str]) -> str:
    for _ in range(100):
        stem = rng.choice(C.NAME_STEMS) + rng.choice(C.NAME_ENDINGS)
        word = rng.choice(C.INDUSTRY_WORDS[industry])
        form = rng.choice(C.LEGAL_FORMS[segment])
        if segment == "large_enterprise" and rng.random() < 0.45:
            name = f"{rng.choice(C.LARGE_PREFIXES)} {word} {form}"
            if name in used:
                name = f"{rng.choice(C.LARGE_PREFIXES)} {stem} {word} {form}"
        elif segment == "small_private" and rng.random() < 0.35:
            name = f"{rng.choice(C.LAST_NAMES)} {word} {form}"
        else:
            name = f"{stem} {word} {form}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of company names")  # pragma: no cover


def _domain(name: str, used: set[str]) -> str:
    words = [w for w in re.sub(r"[^a-z ]", "", name.lower()).split() if len(w) > 1]
    base = "-".join(words[:2]) or "customer"
    domain, n = f"{base}.example", 2
    while domain in used:
        domain, n = f"{base}{n}.example", n + 1
    used.add(domain)
    return domain


def make_accounts(
    rng: random.Random,
    count: int,
    today: date,
    region_late: dict[str, float],
    owner_effect: dict[str, float],
) -> list[Account]:
    names: set[str] = set()
    domains: set[str] = set()
    accounts = []
    for i in range(1, count + 1):
        seg = C.SEGMENTS[rng.choices(range(3), weights=[s.share for s in C.SEGMENTS])[0]]
        industry = rng.choice(list(C.INDUSTRIES))
        types = C.INDUSTRIES[industry]
        purchase_type = weighted(rng, list(types), list(types.values()))
        region = rng.choice(C.REGIONS)
        owner = weighted(rng, C.OWNERS, C.OWNER_WEIGHTS)
        value = seg.median_value * math.exp(rng.gauss(0, seg.value_sigma))
        value = round(value, -2) if value >= 1000 else round(value)
        renewal = day_between(rng, today - timedelta(days=548), today + timedelta(days=365))
        establishing = rng.random() < 0.3
        terms = 1 if establishing else rng.randint(2, 7)
        since = renewal - timedelta(days=365 * terms)
        late = clip(region_late[region] * math.exp(rng.gauss(0, 0.4)), 0.01, 0.6)
        shared = rng.gauss(0, M.ACCOUNT_SHARED_SD)
        base = []
        for d in DRIVERS:
            b = M.DRIVER_MEANS[d] + shared + rng.gauss(0, M.ACCOUNT_DRIVER_SD)
            if d == "fulfilment":
                b += M.LATE_RATE_EFFECT * (late - 0.12)
            if d in ("trust", "ease"):
                b += owner_effect[owner]
            base.append(b)
        drift = [rng.gauss(0, M.DRIFT_SD_PER_YEAR) for _ in DRIVERS]
        name = _company_name(rng, seg.name, industry, names)
        accounts.append(
            Account(
                id=f"ACC-{i:04d}",
                name=name,
                domain=_domain(name, domains),
                segment=seg.name,
                industry=industry,
                region=region,
                annual_value=value,
                renewal_date=renewal,
                owner_email=owner,
                purchase_type=purchase_type,
                phase=Phase.establishing if establishing else Phase.continuous,
                customer_since=since,
                late_rate=late,
                base=base,
                drift=drift,
            )
        )
    return accounts


def _seat_roles(rng: random.Random, account: Account) -> list[tuple[str, bool]]:
    """(role, is_owner) per seat of the village."""
    seg = C.SEGMENT_BY_NAME[account.segment]
    n = rng.randint(*seg.village)
    profile = M.PROFILES[account.purchase_type]
    key_now = max(profile[account.phase].items(), key=lambda kv: kv[1][0])[0]
    other_phase = Phase.continuous if account.phase == Phase.establishing else Phase.establishing
    key_other = max(profile[other_phase].items(), key=lambda kv: kv[1][0])[0]
    seats: list[tuple[str, bool]] = [(Role.economic_buyer, account.segment == "small_private")]
    for role in (key_now, key_other):
        if len(seats) < n and role not in [r for r, _ in seats]:
            seats.append((role, False))
    if account.segment == "large_enterprise":
        for role in (Role.gatekeeper, Role.procurement):
            if len(seats) < n and role not in [r for r, _ in seats]:
                seats.append((role, False))
    extra = _EXTRA_ROLES[account.segment]
    while len(seats) < n:
        seats.append((weighted(rng, list(extra), list(extra.values())), False))
    return seats


def _title(rng: random.Random, account: Account, role: str, owner_led: bool) -> str:
    if owner_led:
        return rng.choice(C.SMALL_OWNER_TITLES)
    dept, eng = C.INDUSTRY_DEPT[account.industry]
    gate = rng.choice(C.GATEKEEPER_BY_PURCHASE[account.purchase_type])
    return rng.choice(C.ROLE_TITLES[role]).format(dept=dept, eng=eng, gate=gate)


class ContactFactory:
    """Creates people with unique ids and e-mail addresses across the world."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.emails: set[str] = set()

    def person(
        self, account: Account, role: str, owner_led: bool, start: date, end: date | None
    ) -> Contact:
        rng = self.rng
        first, last = rng.choice(C.FIRST_NAMES), rng.choice(C.LAST_NAMES)
        ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
        local = re.sub(r"[^a-z.]", "", ascii_name.decode().lower())
        email, n = f"{local}@{account.domain}", 2
        while email in self.emails:
            email, n = f"{local}{n}@{account.domain}", n + 1
        self.emails.add(email)
        self.count += 1
        weight, veto = M.PROFILES[account.purchase_type][account.phase][role]
        veto = veto or owner_led
        true_influence = clip((1.0 if owner_led else weight) * rng.uniform(0.8, 1.15), 0.05, 1.0)
        recorded = None
        if rng.random() >= 0.2:
            recorded = round(clip(true_influence + rng.gauss(0, 0.07), 0.02, 1.0), 2)
        dev = M.ROLE_DEVIATION[role]
        base = [
            b + dev.get(d, 0.0) + rng.gauss(0, M.PERSONAL_SD)
            for b, d in zip(account.base, DRIVERS, strict=True)
        ]
        return Contact(
            id=f"CON-{self.count:05d}",
            account_id=account.id,
            name=f"{first} {last}",
            first_name=first,
            email=email,
            title=_title(rng, account, role, owner_led),
            role=role,
            veto=veto,
            influence_true=round(true_influence, 3),
            influence=recorded,
            active_from=start,
            active_to=end,
            base=base,
        )


def make_village(
    rng: random.Random, factory: ContactFactory, account: Account, today: date
) -> None:
    """The account's stakeholders: one person per seat, some replaced after a departure."""
    start = account.first_day(today)
    seats = _seat_roles(rng, account)
    for role, owner_led in seats:
        joined = day_between(rng, start - timedelta(days=120), start + timedelta(days=30))
        person = factory.person(account, role, owner_led, joined, None)
        account.contacts.append(person)
        end = min(today, account.renewal_date) - timedelta(days=30)
        replacements = sum(c.active_to is not None for c in account.contacts)
        can_leave = not owner_led and len(seats) + replacements < MAX_CONTACTS
        if can_leave and rng.random() < DEPARTURE_PROBABILITY:
            left = day_between(rng, joined + timedelta(days=120), end)
            if left >= end or left <= joined + timedelta(days=60):
                continue
            person.active_to = left
            arrives = left + timedelta(days=rng.randint(0, 75))
            if arrives < min(today, account.renewal_date):
                account.contacts.append(factory.person(account, role, False, arrives, None))
