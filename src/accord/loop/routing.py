"""Routing rules: ordered conditions on a feedback item → team and priority, with a dry run.

Facts a rule reads from a feedback item:

* ``channel``; ``drivers`` — the driver tags the text classifier read in the item's text
  (``text_tags``, a user's correction included) together with every driver rated 1 or 2;
* ``sentiment`` on −100…100, the mapping of ``accord.insights.sentiment`` (NPS, else driver
  ratings, else CSAT/CES, else the text): ``(nps − 7) / 3 · 100`` clipped,
  ``(mean rating − 3) / 2 · 100``, mean of ``(csat − 3) / 2 · 100`` and ``(ces − 4) / 3 · 100``,
  ``±100 × confidence`` for a positive/negative text (0 neutral, a correction counts as certain);
* the account's ``segment`` and ``annual_value``; the speaker's ``role`` and ``veto``.

The first enabled rule (lowest position) whose conditions all hold fires.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for, require_role
from accord.auth.audit import apply_changes, record_change, snapshot
from accord.errors import InvalidInput, NotFound
from accord.listening.models import Feedback
from accord.loop.models import RoutingRule, Ticket, TicketFeedback
from accord.loop.tickets import OPEN_STATUSES, PRIORITIES, TEAMS, open_ticket
from accord.records import get_record
from accord.text.models import TextTag
from accord.vocabulary import DRIVERS, UserRole

CONDITIONS = (
    "channels",
    "drivers",
    "sentiment_below",
    "sentiment_at_least",
    "segments",
    "min_annual_value",
    "roles",
    "veto",
)


def sentiment(fb: Feedback, tag: TextTag | None = None) -> float | None:
    """The same mapping as ``accord.insights.sentiment.with_sentiment``, for one item."""
    if fb.nps is not None:
        return max(-100.0, min(100.0, (fb.nps - 7) / 3 * 100))
    ratings = [getattr(fb, d) for d in DRIVERS if getattr(fb, d) is not None]
    if ratings:
        return (sum(ratings) / len(ratings) - 3) / 2 * 100
    parts = []
    if fb.csat is not None:
        parts.append((fb.csat - 3) / 2 * 100)
    if fb.ces is not None:
        parts.append((fb.ces - 4) / 3 * 100)
    if parts:
        return sum(parts) / len(parts)
    if tag is None:
        return None
    certainty = 1.0 if tag.confidence is None else tag.confidence
    return {"positive": 100.0, "negative": -100.0}.get(tag.sentiment, 0.0) * certainty


@dataclass
class Facts:
    feedback_id: str
    account_id: str
    channel: str
    drivers: list[str]
    sentiment: float | None
    segment: str | None
    annual_value: float | None
    role: str | None
    veto: bool


def facts(session: Session, fb: Feedback) -> Facts:
    account = session.get(Account, fb.account_id)
    contact = session.get(Contact, fb.contact_id) if fb.contact_id else None
    tag = session.get(TextTag, fb.id)
    heard = set(tag.drivers if tag else ()) | {d for d in DRIVERS if (getattr(fb, d) or 9) <= 2}
    drivers = [d for d in DRIVERS if d in heard]
    return Facts(
        feedback_id=fb.id,
        account_id=fb.account_id,
        channel=fb.channel,
        drivers=drivers,
        sentiment=sentiment(fb, tag),
        segment=account.segment if account else None,
        annual_value=account.annual_value if account else None,
        role=contact.role if contact else None,
        veto=bool(contact and contact.veto),
    )


def check(conditions: dict[str, Any], f: Facts) -> list[tuple[str, bool, str]]:
    """Each condition of a rule with whether it holds for ``f`` and why."""
    out: list[tuple[str, bool, str]] = []
    c = conditions
    if "channels" in c:
        out.append(("channels", f.channel in c["channels"], f"channel is {f.channel}"))
    if "drivers" in c:
        hit = sorted(set(c["drivers"]) & set(f.drivers))
        out.append(("drivers", bool(hit), f"driver tags {f.drivers or 'none'}"))
    s = "none" if f.sentiment is None else f"{f.sentiment:.0f}"
    if "sentiment_below" in c:
        ok = f.sentiment is not None and f.sentiment < c["sentiment_below"]
        out.append(("sentiment_below", ok, f"sentiment {s} vs < {c['sentiment_below']}"))
    if "sentiment_at_least" in c:
        ok = f.sentiment is not None and f.sentiment >= c["sentiment_at_least"]
        out.append(("sentiment_at_least", ok, f"sentiment {s} vs ≥ {c['sentiment_at_least']}"))
    if "segments" in c:
        out.append(("segments", f.segment in c["segments"], f"segment is {f.segment}"))
    if "min_annual_value" in c:
        ok = (f.annual_value or 0) >= c["min_annual_value"]
        out.append(("min_annual_value", ok, f"annual value {f.annual_value}"))
    if "roles" in c:
        out.append(("roles", f.role in c["roles"], f"speaker role is {f.role}"))
    if "veto" in c:
        out.append(("veto", f.veto == bool(c["veto"]), f"speaker veto is {f.veto}"))
    return out


def validate(conditions: dict[str, Any], team: str, priority: str) -> None:
    unknown = set(conditions) - set(CONDITIONS)
    if unknown:
        raise InvalidInput(f"unknown conditions {sorted(unknown)}; known: {', '.join(CONDITIONS)}")
    if team not in TEAMS:
        raise InvalidInput(f"team: one of {', '.join(TEAMS)}")
    if priority not in PRIORITIES:
        raise InvalidInput(f"priority: one of {', '.join(PRIORITIES)}")


@dataclass
class RuleResult:
    rule_id: int
    name: str
    position: int
    matched: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DryRun:
    feedback_id: str
    facts: Facts
    fired: RuleResult | None
    rules: list[RuleResult]
    team: str | None
    priority: str | None


def rules(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))


def dry_run(session: Session, actor: Actor, feedback_id: str) -> DryRun:
    """Which rule fires for a feedback item and why; changes nothing."""
    fb = get_record(session, actor, Feedback, feedback_id)
    f = facts(session, fb)
    results, fired, winner = [], None, None
    for rule in rules(session):
        if not rule.enabled:
            continue
        checks = check(rule.conditions, f)
        r = RuleResult(
            rule.id,
            rule.name,
            rule.position,
            all(ok for _, ok, _ in checks),
            [{"condition": n, "holds": ok, "because": why} for n, ok, why in checks],
        )
        results.append(r)
        if r.matched and fired is None:
            fired, winner = r, rule
    return DryRun(
        fb.id,
        f,
        fired,
        results,
        winner.team if winner else None,
        winner.priority if winner else None,
    )


def route(session: Session, actor: Actor, feedback_id: str, now: datetime) -> Ticket | None:
    """Open a ticket for the feedback by the rule that fires (None when none does). Feedback
    already on an open ticket is not routed again: that ticket is returned."""
    fb = get_record(session, actor, Feedback, feedback_id)
    account_for(session, actor, fb.account_id, write=True)
    existing = session.scalar(
        select(Ticket)
        .join(TicketFeedback, TicketFeedback.ticket_id == Ticket.id)
        .where(TicketFeedback.feedback_id == fb.id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.seq)
        .limit(1)
    )
    if existing is not None:
        return existing
    run = dry_run(session, actor, feedback_id)
    if run.fired is None or run.team is None or run.priority is None:
        return None
    text = " ".join((fb.text or "").split())
    title = (text[:117] + "…" if len(text) > 120 else text) or f"Feedback {feedback_id}"
    return open_ticket(
        session,
        actor,
        account_id=run.facts.account_id,
        title=title,
        team=run.team,
        priority=run.priority,
        now=now,
        source="feedback",
        source_key=f"feedback:{feedback_id}",
        rule_id=run.fired.rule_id,
        feedback_ids=(feedback_id,),
    )


def create_rule(session: Session, actor: Actor, data: dict[str, Any]) -> RoutingRule:
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    validate(data.get("conditions") or {}, data["team"], data["priority"])
    rule = RoutingRule(**data)
    session.add(rule)
    session.flush()
    record_change(session, actor, "create", "routing_rules", rule.id, after=snapshot(rule))
    return rule


def update_rule(
    session: Session, actor: Actor, rule_id: int, changes: dict[str, Any]
) -> RoutingRule:
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"routing rule {rule_id} not found")
    merged = {**snapshot(rule), **changes}
    validate(merged.get("conditions") or {}, merged["team"], merged["priority"])
    apply_changes(session, actor, rule, changes)
    return rule


def delete_rule(session: Session, actor: Actor, rule_id: int) -> None:
    """Remove a rule; tickets it opened keep their history (their ``rule_id`` becomes empty)."""
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"routing rule {rule_id} not found")
    before = snapshot(rule)
    session.execute(update(Ticket).where(Ticket.rule_id == rule_id).values(rule_id=None))
    session.delete(rule)
    session.flush()
    record_change(session, actor, "delete", "routing_rules", rule_id, before=before)


def move_rule(session: Session, actor: Actor, rule_id: int, direction: int) -> list[RoutingRule]:
    """Swap a rule with its neighbour (``direction`` −1: earlier, +1: later); positions are
    renumbered 10, 20, 30… in the new order. Returns the rules in order."""
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    ordered = rules(session)
    at = next((i for i, r in enumerate(ordered) if r.id == rule_id), None)
    if at is None:
        raise NotFound(f"routing rule {rule_id} not found")
    to = at + (1 if direction > 0 else -1)
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
    for n, rule in enumerate(ordered, start=1):
        if rule.position != n * 10:
            update_rule(session, actor, rule.id, {"position": n * 10})
    return ordered


def dry_run_dict(run: DryRun) -> dict[str, Any]:
    return {
        "feedback_id": run.feedback_id,
        "facts": asdict(run.facts),
        "fired": asdict(run.fired) if run.fired else None,
        "team": run.team,
        "priority": run.priority,
        "rules": [asdict(r) for r in run.rules],
    }
