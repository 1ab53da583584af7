"""The sampling planner: whom a survey invites, as a pure function over plain records.

Formulas (``docs/sampling.md`` says the same):

* A stakeholder's **weight** ``w_c`` and **veto** are the insights' (``insights.axi``): recorded
  influence, else the influence profile's default for the role. An account's weight is
  ``Σ w_c`` over its **active** stakeholders (``insights.coverage``).
* **Eligible**: active today (departed ones never), not quarantined / opted out, with an email
  address, and not fatigued — no relationship survey in the last ``relationship_gap_days``
  (90), no scenario survey in the last ``scenario_gap_days`` (7); failed invitations do not
  count.
* **Relationship survey**, per account: eligible stakeholders in the order (veto holders; then
  members of roles not heard in the coverage window; then the rest), heaviest first within
  each. Every veto holder is picked, and the first (heaviest in that order) of every role, so
  each role of the account is represented; then stakeholders are picked until the picked weight
  reaches ``target_share`` of the account's weight — each pick within the caps: at most
  ``account_cap`` per account and ``role_cap`` per role of an account. Then **strata**: every
  (segment, role) with an eligible stakeholder but no pick gets its heaviest eligible member.
* **Scenario survey**: for each fulfilment delivered in the last ``scenario_days``, the
  account's eligible stakeholders in the ``scenario_roles`` (users, technical buyers,
  gatekeepers: who receive deliveries), latest delivery first, heaviest first, within the caps;
  each contact once, with their latest delivery.
* **Top-up**: stakeholders this survey invited within the relationship gap count toward the
  account's target and caps, so planning the same survey again only fills what is missing.
* **Monthly cap**: when the picks exceed what is left of the month's cap, the picks kept are
  veto holders first, then by account annual value, then by weight.
* **Coverage** of a list of invitees, over the accounts in scope (not churned, with active
  stakeholders): per account ``c_a = Σ_{invited} w_c / Σ_{active} w_c``; reported pooled
  (``Σ_a Σ_invited w / Σ_a Σ_active w``), as the account mean, and weighted by annual value;
  and by role (``W_r = max w_c`` of the role's active members, the AXI's role weight): the
  share of ``Σ_r W_r`` whose role has an invitee — the weight that decides the index.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Person:
    """A stakeholder as the planner sees them."""

    contact_id: str
    account_id: str
    role: str
    weight: float
    veto: bool
    active: bool
    active_to: date | None = None
    active_from: date | None = None
    email: str | None = None
    last_heard: date | None = None  # latest feedback, any channel, any time
    last_relationship: datetime | None = None  # latest relationship invitation (not failed)
    last_scenario: datetime | None = None  # latest scenario invitation (not failed)
    quarantined: str | None = None  # why, when on the quarantine / opt-out list


@dataclass(frozen=True)
class AccountFacts:
    account_id: str
    name: str
    segment: str | None
    annual_value: float
    heard_roles: frozenset[str] = frozenset()  # roles heard in the coverage window
    transacted: bool = False  # a delivery or feedback in the transaction window
    lost: bool = False  # latest renewal churned


@dataclass(frozen=True)
class Delivery:
    fulfilment_id: str
    account_id: str
    delivered_at: datetime


@dataclass(frozen=True)
class Rules:
    target_share: float = 0.8
    account_cap: int = 8
    role_cap: int = 2
    relationship_gap_days: int = 90
    scenario_gap_days: int = 7
    monthly_remaining: int | None = None  # what the month's cap still allows; None: no cap
    coverage_window_days: int = 365
    scenario_roles: tuple[str, ...] = ("user", "technical_buyer", "gatekeeper")


@dataclass
class Pick:
    contact_id: str
    account_id: str
    role: str
    weight: float
    veto: bool
    share: float  # of the account's weight
    reason: str
    fulfilment_id: str | None = None
    tier: int = 2


@dataclass
class Exclusion:
    contact_id: str
    account_id: str
    why: str  # departed, not_yet_active, quarantined, no_email, fatigued, role_cap, …
    note: str


@dataclass
class Plan:
    survey_id: str
    kind: str
    picks: list[Pick] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    coverage: dict[str, dict[str, Any]] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)  # invited by this survey before, counted
    created: int = 0  # invitations created (0 on a dry run)
    dry_run: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["exclusion_counts"] = dict(Counter(e.why for e in self.exclusions))
        return out


# --- words ------------------------------------------------------------------------------------


def _days(today: date, then: date | datetime | None) -> int | None:
    if then is None:
        return None
    day = then.date() if isinstance(then, datetime) else then
    return (today - day).days


def _label(role: str) -> str:
    return role.replace("_", " ")


def _heard_words(p: Person, today: date) -> str:
    days = _days(today, p.last_heard)
    return "never heard" if days is None else f"not heard for {days} days"


def _cap_words(facts: AccountFacts, rules: Rules, p: Person, cap: str) -> str:
    if cap == "account":
        return (
            f"{facts.name}: already {rules.account_cap} invitations (cap per account), "
            f"{p.contact_id} ({_label(p.role)}) not asked"
        )
    return (
        f"{facts.name}: already {rules.role_cap} {_label(p.role)}s asked (cap per role), "
        f"{p.contact_id} not asked"
    )


# --- eligibility ------------------------------------------------------------------------------


def hard_exclusion(
    p: Person, today: date, now: datetime, kind: str, rules: Rules
) -> Exclusion | None:
    """Why this stakeholder may not be asked at all, or None."""
    if p.active_to is not None and p.active_to < today:
        return Exclusion(
            p.contact_id,
            p.account_id,
            "departed",
            f"{p.contact_id} ({_label(p.role)}) departed on {p.active_to.isoformat()}",
        )
    if not p.active:
        return Exclusion(
            p.contact_id, p.account_id, "not_yet_active", f"{p.contact_id} is not active yet"
        )
    if p.quarantined:
        return Exclusion(
            p.contact_id,
            p.account_id,
            "quarantined",
            f"{p.contact_id} is on the quarantine / opt-out list ({p.quarantined})",
        )
    if not p.email:
        return Exclusion(
            p.contact_id,
            p.account_id,
            "no_email",
            f"{p.contact_id} ({_label(p.role)}) has no email address",
        )
    last, gap = (
        (p.last_relationship, rules.relationship_gap_days)
        if kind != "scenario"
        else (p.last_scenario, rules.scenario_gap_days)
    )
    ago = _days(today, last)
    if last is not None and (now - last).total_seconds() < gap * 86400:
        return Exclusion(
            p.contact_id,
            p.account_id,
            "fatigued",
            f"{p.contact_id} was asked for a {kind} survey {ago} days ago "
            f"(at most one per {gap} days)",
        )
    return None


# --- relationship -----------------------------------------------------------------------------


def _tier(p: Person, facts: AccountFacts) -> int:
    if p.veto:
        return 0
    if p.role not in facts.heard_roles:
        return 1
    return 2


def plan_relationship(
    survey_id: str,
    accounts: list[AccountFacts],
    people: list[Person],
    rules: Rules,
    now: datetime,
    already: dict[str, datetime] | None = None,
) -> Plan:
    """The relationship plan (module docstring); pure. ``already``: contact id → when this
    survey last invited them; those within the fatigue gap count toward the target and caps."""
    today = now.date()
    gap_s = rules.relationship_gap_days * 86400
    recent = {c: at for c, at in (already or {}).items() if (now - at).total_seconds() < gap_s}
    plan = Plan(survey_id, "relationship")
    by_account: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_account[p.account_id].append(p)
    leftovers: dict[tuple[str | None, str], list[tuple[Person, AccountFacts, float]]] = defaultdict(
        list
    )
    counts: dict[str, Counter[str]] = {}
    represented: set[tuple[str | None, str]] = set()  # strata this survey already invited
    for facts in sorted(accounts, key=lambda a: a.account_id):
        village = by_account.get(facts.account_id, [])
        if facts.lost:
            plan.notes.append(f"{facts.name}: churned, not surveyed")
            continue
        total = sum(p.weight for p in village if p.active)
        roles: Counter[str] = Counter()
        counts[facts.account_id] = roles
        covered = 0.0
        eligible = []
        for p in village:
            if p.contact_id in recent and p.active:
                days = _days(today, recent[p.contact_id])
                note = f"{p.contact_id} was already invited to this survey {days} days ago"
                plan.exclusions.append(
                    Exclusion(p.contact_id, p.account_id, "already_invited", note)
                )
                roles[p.role] += 1
                covered += p.weight
                represented.add((facts.segment, p.role))
                plan.carried.append(p.contact_id)
                continue
            why = hard_exclusion(p, today, now, "relationship", rules)
            if why is None:
                eligible.append(p)
            else:
                plan.exclusions.append(why)
        eligible.sort(key=lambda p: (_tier(p, facts), -p.weight, p.contact_id))
        target = rules.target_share * total
        for p in eligible:
            tier = _tier(p, facts)
            share = p.weight / total if total > 0 else 0.0
            first_of_role = roles[p.role] == 0
            needed = tier == 0 or first_of_role or covered < target - 1e-12
            if not needed:
                leftovers[(facts.segment, p.role)].append((p, facts, share))
                continue
            full = (
                "account" if sum(roles.values()) >= rules.account_cap
                else "role" if roles[p.role] >= rules.role_cap
                else None
            )  # fmt: skip
            if full is not None:
                words = _cap_words(facts, rules, p, full)
                plan.exclusions.append(Exclusion(p.contact_id, p.account_id, f"{full}_cap", words))
                continue
            first = ["veto holder"] if tier == 0 else []
            first.append(_label(p.role))
            if tier == 1:
                first.append(f"role not heard in {rules.coverage_window_days} days")
            if first_of_role and covered >= target - 1e-12 and tier != 0:
                first.append("first of the role here")
            first.append(_heard_words(p, today))
            reason = f"{', '.join(first)}, adds {share:.2f} of {facts.name}'s weight"
            plan.picks.append(
                Pick(p.contact_id, p.account_id, p.role, p.weight, p.veto, share, reason, tier=tier)
            )
            roles[p.role] += 1
            covered += p.weight
        if total > 0 and covered < target - 1e-12:
            plan.notes.append(
                f"{facts.name}: the plan reaches {covered / total:.2f} of its weight "
                f"(target {rules.target_share:.2f}); the rest cannot be asked now"
            )
    _fill_strata(plan, accounts, leftovers, counts, rules, today, represented)
    _apply_monthly_cap(plan, accounts, rules)
    return plan


def _fill_strata(
    plan: Plan,
    accounts: list[AccountFacts],
    leftovers: dict[tuple[str | None, str], list[tuple[Person, AccountFacts, float]]],
    counts: dict[str, Counter[str]],
    rules: Rules,
    today: date,
    represented: set[tuple[str | None, str]],
) -> None:
    """Every (segment, role) with an eligible stakeholder gets at least one pick."""
    segment_of = {a.account_id: a.segment for a in accounts}
    picked = {(segment_of[p.account_id], p.role) for p in plan.picks} | represented
    for (segment, role), options in sorted(
        leftovers.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
    ):
        if (segment, role) in picked:
            continue
        options.sort(key=lambda o: (-o[0].weight, o[0].contact_id))
        for p, facts, share in options:
            roles = counts[facts.account_id]
            if sum(roles.values()) >= rules.account_cap or roles[role] >= rules.role_cap:
                continue
            reason = (
                f"{_label(role)}, represents the role in segment {segment or 'none'} "
                f"(no other pick does), "
                f"{_heard_words(p, today)}, adds {share:.2f} of {facts.name}'s weight"
            )
            plan.picks.append(
                Pick(p.contact_id, p.account_id, role, p.weight, p.veto, share, reason, tier=3)
            )
            roles[role] += 1
            picked.add((segment, role))
            break


def _apply_monthly_cap(plan: Plan, accounts: list[AccountFacts], rules: Rules) -> None:
    if rules.monthly_remaining is None or len(plan.picks) <= rules.monthly_remaining:
        return
    value = {a.account_id: a.annual_value for a in accounts}
    order = sorted(
        plan.picks,
        key=lambda p: (not p.veto, -value.get(p.account_id, 0.0), -p.weight, p.contact_id),
    )
    keep = max(0, rules.monthly_remaining)
    kept = {id(p) for p in order[:keep]}
    for p in order[keep:]:
        plan.exclusions.append(
            Exclusion(
                p.contact_id,
                p.account_id,
                "monthly_cap",
                f"{p.contact_id} would be picked ({p.reason}) "
                "but the month's invitation cap is reached",
            )
        )
    plan.picks = [p for p in plan.picks if id(p) in kept]
    plan.notes.append(
        f"monthly cap: {keep} invitation(s) left this month, {len(order) - keep} pick(s) dropped"
    )


# --- scenario ---------------------------------------------------------------------------------


def plan_scenario(
    survey_id: str,
    accounts: list[AccountFacts],
    people: list[Person],
    deliveries: list[Delivery],
    rules: Rules,
    now: datetime,
    already: frozenset[tuple[str, str | None]] = frozenset(),
) -> Plan:
    """The scenario plan (module docstring): who received the recent deliveries; pure.
    ``already``: (contact_id, fulfilment_id) this survey has invited before."""
    today = now.date()
    plan = Plan(survey_id, "scenario")
    facts_of = {a.account_id: a for a in accounts}
    by_account: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_account[p.account_id].append(p)
    latest: dict[str, list[Delivery]] = defaultdict(list)
    for d in sorted(deliveries, key=lambda d: (d.delivered_at, d.fulfilment_id), reverse=True):
        latest[d.account_id].append(d)
    excluded: set[str] = set()
    for account_id in sorted(latest):
        facts = facts_of.get(account_id)
        if facts is None:
            continue
        if facts.lost:
            plan.notes.append(f"{facts.name}: churned, not surveyed")
            continue
        total = sum(p.weight for p in by_account[account_id] if p.active)
        receivers = sorted(
            (p for p in by_account[account_id] if p.role in rules.scenario_roles),
            key=lambda p: (-p.weight, p.contact_id),
        )
        if not receivers:
            plan.notes.append(
                f"{facts.name}: {len(latest[account_id])} recent deliveries but no user, "
                "technical buyer or gatekeeper to ask"
            )
        roles: Counter[str] = Counter()
        asked: set[str] = set()
        for d in latest[account_id]:
            for p in receivers:
                if p.contact_id in asked or p.contact_id in excluded:
                    continue
                why = hard_exclusion(p, today, now, "scenario", rules)
                if why is None and (p.contact_id, d.fulfilment_id) in already:
                    why = Exclusion(
                        p.contact_id,
                        account_id,
                        "already_invited",
                        f"{p.contact_id} was already invited about {d.fulfilment_id}",
                    )
                if why is None and sum(roles.values()) >= rules.account_cap:
                    why = Exclusion(
                        p.contact_id,
                        account_id,
                        "account_cap",
                        _cap_words(facts, rules, p, "account"),
                    )
                if why is None and roles[p.role] >= rules.role_cap:
                    why = Exclusion(
                        p.contact_id,
                        account_id,
                        "role_cap",
                        _cap_words(facts, rules, p, "role"),
                    )
                if why is not None:
                    excluded.add(p.contact_id)
                    plan.exclusions.append(why)
                    continue
                share = p.weight / total if total > 0 else 0.0
                days = _days(today, d.delivered_at)
                reason = (
                    f"{_label(p.role)} at {facts.name}, received delivery {d.fulfilment_id} "
                    f"{days} days ago, adds {share:.2f} of {facts.name}'s weight"
                )
                plan.picks.append(
                    Pick(
                        p.contact_id,
                        account_id,
                        p.role,
                        p.weight,
                        p.veto,
                        share,
                        reason,
                        d.fulfilment_id,
                        tier=2,
                    )
                )
                roles[p.role] += 1
                asked.add(p.contact_id)
    _apply_monthly_cap(plan, accounts, rules)
    return plan


# --- coverage ---------------------------------------------------------------------------------


def coverage_of(
    invited: set[str], accounts: list[AccountFacts], people: list[Person]
) -> dict[str, Any]:
    """Coverage of the influence weight by the ``invited`` contact ids (module docstring)."""
    by_account: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        if p.active:
            by_account[p.account_id].append(p)
    pooled_in = pooled_all = value_in = value_all = role_in = role_all = 0.0
    shares: list[float] = []
    role_shares: list[float] = []
    for facts in accounts:
        village = by_account.get(facts.account_id, [])
        total = sum(p.weight for p in village)
        if facts.lost or total <= 0:
            continue
        got = sum(p.weight for p in village if p.contact_id in invited)
        W: dict[str, float] = {}
        heard: set[str] = set()
        for p in village:
            W[p.role] = max(W.get(p.role, 0.0), p.weight)
            if p.contact_id in invited:
                heard.add(p.role)
        w_total = sum(W.values())
        w_got = sum(w for r, w in W.items() if r in heard)
        share = got / total
        shares.append(share)
        role_shares.append(w_got / w_total if w_total > 0 else 0.0)
        pooled_in += got
        pooled_all += total
        role_in += w_got
        role_all += w_total
        value_in += facts.annual_value * share
        value_all += facts.annual_value
    n = len(shares)
    return {
        "invitations": len(invited),
        "accounts": n,
        "accounts_reached": sum(1 for s in shares if s > 0),
        "portfolio": pooled_in / pooled_all if pooled_all else 0.0,
        "account_mean": sum(shares) / n if n else 0.0,
        "value_weighted": value_in / value_all if value_all else 0.0,
        "roles_portfolio": role_in / role_all if role_all else 0.0,
        "roles_account_mean": sum(role_shares) / n if n else 0.0,
    }


def invite_everyone(accounts: list[AccountFacts], people: list[Person], today: date) -> set[str]:
    """The baseline: every active, reachable (email, not quarantined) stakeholder of every
    account that transacted in the window, ignoring fatigue and caps."""
    transacted = {a.account_id for a in accounts if a.transacted and not a.lost}
    return {
        p.contact_id
        for p in people
        if p.account_id in transacted
        and p.active
        and p.email
        and not p.quarantined
        and not (p.active_to is not None and p.active_to < today)
    }


def with_coverage(
    plan: Plan, accounts: list[AccountFacts], people: list[Person], today: date
) -> Plan:
    mine = coverage_of({p.contact_id for p in plan.picks} | set(plan.carried), accounts, people)
    mine["new_invitations"] = len(plan.picks)
    plan.coverage = {
        "plan": mine,
        "everyone": coverage_of(invite_everyone(accounts, people, today), accounts, people),
    }
    return plan
