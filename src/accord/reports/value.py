"""The purchaser's value report: what an account got from us in a period, in figures its
purchaser can hand to their own leadership (the "sense of presence" of the experience model).

For an account and a period (and the period before it, for comparison):

* **Spend** = Σ amount of the account's opportunities won or renewed (closed in the period).
  **Savings vs list** = Σ list amount − Σ amount over those purchases with a recorded list
  price (``list_prices``); savings % = savings ÷ Σ list amount. **Change** = spend ÷ previous
  period's spend − 1.
* **Delivery**, over fulfilments promised in the period and delivered: on time = delivered no
  later than promised; complete = marked complete; **OTIF** = on time *and* complete. Rates
  are shares of delivered fulfilments (complete: of those with completeness recorded).
* **Issues** raised in the period, from ``accord.reports.issues`` (see there for what counts).
* **Peers**: the other accounts of the same segment, anonymised — only the median and the
  25th–75th percentiles are shown, never a peer's name or figure. A metric needs at least
  ``MIN_PEERS`` peers with data (a peer needs ``MIN_DELIVERIES`` delivered fulfilments for the
  delivery rates, and one priced purchase for savings), else it is withheld.
* **Engagement**: events the account's stakeholders attended in the period.

Peer figures are computed over all accounts of the segment whoever asks: they are aggregates
of at least ``MIN_PEERS`` accounts and name none. The account itself must be visible to the
actor (an account manager: only their own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from statistics import median, quantiles

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, account_for
from accord.engagement.models import Attendance, AttendanceStatus, Event
from accord.journey.models import Fulfilment, Opportunity
from accord.reports.issues import ISSUE_SOURCES, Issue
from accord.reports.models import ListPrice
from accord.reports.periods import Period, parse_period
from accord.vocabulary import Outcome

MIN_PEERS = 5
MIN_DELIVERIES = 3
BOOKED = (Outcome.won.value, Outcome.renewed.value)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


@dataclass
class Spend:
    amount: float
    purchases: int
    priced: int  # purchases with a list price
    priced_amount: float  # what those cost
    list_amount: float  # what they would have cost at list price
    previous_amount: float
    by_month: list[tuple[str, float]]

    @property
    def savings(self) -> float | None:
        return self.list_amount - self.priced_amount if self.priced else None

    @property
    def savings_pct(self) -> float | None:
        return (
            (self.savings or 0.0) / self.list_amount if self.priced and self.list_amount else None
        )

    @property
    def change(self) -> float | None:
        return self.amount / self.previous_amount - 1 if self.previous_amount else None


@dataclass
class Delivery:
    promised: int
    delivered: int
    on_time: int
    complete: int
    complete_known: int
    otif: int
    previous: Delivery | None = None
    by_month: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.delivered if self.delivered else None

    @property
    def complete_rate(self) -> float | None:
        return self.complete / self.complete_known if self.complete_known else None

    @property
    def otif_rate(self) -> float | None:
        return self.otif / self.delivered if self.delivered else None


@dataclass
class Issues:
    note: str
    items: list[Issue]

    @property
    def raised(self) -> int:
        return len(self.items)

    @property
    def tracked(self) -> bool:
        return any(i.status != "not tracked" for i in self.items)

    @property
    def resolved(self) -> int:
        return sum(i.status == "resolved" for i in self.items)

    @property
    def by_theme(self) -> list[tuple[str, int]]:
        return Counter(i.theme for i in self.items).most_common()


@dataclass
class PeerMetric:
    key: str
    label: str
    you: float | None
    peers: int  # peers with data for this metric
    median: float | None = None
    p25: float | None = None
    p75: float | None = None
    beats: float | None = None  # share of those peers you do better than

    @property
    def withheld(self) -> bool:
        return self.peers < MIN_PEERS


@dataclass
class Peers:
    segment: str | None
    accounts: int  # peers in the segment (other accounts)
    metrics: list[PeerMetric]

    @property
    def withheld(self) -> bool:
        return self.accounts < MIN_PEERS or all(m.withheld for m in self.metrics)


@dataclass
class ValueReport:
    account: Account
    period: Period
    previous: Period
    generated_at: datetime
    spend: Spend
    delivery: Delivery
    issues: Issues
    peers: Peers
    events: list[tuple[str, str, int]]  # (event title, kind, stakeholders who attended)
    min_peers: int = MIN_PEERS


def _spend(session: Session, account_id: str, period: Period) -> Spend:
    def totals(p: Period) -> tuple[float, int, int, float, float]:
        row = session.execute(
            select(
                func.coalesce(func.sum(Opportunity.amount), 0.0),
                func.count(Opportunity.id),
                func.count(ListPrice.list_amount),
                func.coalesce(
                    func.sum(case((ListPrice.list_amount.is_not(None), Opportunity.amount))), 0.0
                ),
                func.coalesce(func.sum(ListPrice.list_amount), 0.0),
            )
            .outerjoin(ListPrice, ListPrice.opportunity_id == Opportunity.id)
            .where(*_booked(p), Opportunity.account_id == account_id)
        ).one()
        return float(row[0]), int(row[1]), int(row[2]), float(row[3]), float(row[4])

    amount, purchases, priced, priced_amount, list_amount = totals(period)
    previous = totals(period.previous())[0]
    months = [(f"{s:%b}", totals(parse_month(s))[0]) for s in period.month_starts()]
    return Spend(amount, purchases, priced, priced_amount, list_amount, previous, months)


def parse_month(start: date) -> Period:
    return parse_period(f"{start:%Y-%m}")


def _booked(p: Period) -> list:  # type: ignore[type-arg]
    return [
        Opportunity.outcome.in_(BOOKED),
        Opportunity.closed_at >= p.start,
        Opportunity.closed_at < p.end,
    ]


def _delivery_columns():  # type: ignore[no-untyped-def]
    delivered = Fulfilment.delivered_at.is_not(None)
    on_time = and_(delivered, Fulfilment.delivered_at <= Fulfilment.promised_at)
    complete = Fulfilment.complete.is_(True)
    return (
        func.count(Fulfilment.id),
        func.sum(case((delivered, 1), else_=0)),
        func.sum(case((on_time, 1), else_=0)),
        func.sum(case((and_(delivered, complete), 1), else_=0)),
        func.sum(case((and_(delivered, Fulfilment.complete.is_not(None)), 1), else_=0)),
        func.sum(case((and_(on_time, complete), 1), else_=0)),
    )


def _in(p: Period) -> list:  # type: ignore[type-arg]
    return [Fulfilment.promised_at >= _at(p.start), Fulfilment.promised_at < _at(p.end)]


def _delivery(session: Session, account_id: str, period: Period) -> Delivery:
    def one(p: Period) -> Delivery:
        row = session.execute(
            select(*_delivery_columns()).where(*_in(p), Fulfilment.account_id == account_id)
        ).one()
        return Delivery(*(int(v or 0) for v in row))

    result = one(period)
    result.previous = one(period.previous())
    result.by_month = [(f"{s:%b}", one(parse_month(s)).on_time_rate) for s in period.month_starts()]
    return result


def _spread(values: list[float]) -> tuple[float, float, float]:
    q1, q2, q3 = quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def _metric(key: str, label: str, you: float | None, peers: list[float]) -> PeerMetric:
    metric = PeerMetric(key, label, you, len(peers))
    if metric.withheld:
        return metric
    metric.p25, _, metric.p75 = _spread(peers)
    metric.median = median(peers)
    if you is not None:
        metric.beats = sum(v < you for v in peers) / len(peers)
    return metric


def _peers(session: Session, account: Account, period: Period, delivery: Delivery,
           spend: Spend) -> Peers:  # fmt: skip
    segment = Account.segment == account.segment if account.segment else Account.segment.is_(None)
    others = select(Account.id).where(segment, Account.id != account.id)
    count = session.scalar(select(func.count()).select_from(others.subquery())) or 0
    rows = session.execute(
        select(Fulfilment.account_id, *_delivery_columns())
        .where(*_in(period), Fulfilment.account_id.in_(others))
        .group_by(Fulfilment.account_id)
    ).all()
    on_time, complete, otif = [], [], []
    for _, *values in rows:
        d = Delivery(*(int(v or 0) for v in values))
        if d.delivered >= MIN_DELIVERIES:
            on_time.append(d.on_time_rate)
            otif.append(d.otif_rate)
            if d.complete_rate is not None:
                complete.append(d.complete_rate)
    savings = []
    for _, paid, listed in session.execute(
        select(
            Opportunity.account_id, func.sum(Opportunity.amount), func.sum(ListPrice.list_amount)
        )
        .join(ListPrice, ListPrice.opportunity_id == Opportunity.id)
        .where(*_booked(period), Opportunity.account_id.in_(others))
        .group_by(Opportunity.account_id)
    ):
        if listed:
            savings.append((float(listed) - float(paid or 0)) / float(listed))
    enough = delivery.delivered >= MIN_DELIVERIES
    metrics = [
        _metric("on_time", "On time", delivery.on_time_rate if enough else None, on_time),
        _metric("otif", "On time and complete", delivery.otif_rate if enough else None, otif),
        _metric("complete", "Complete", delivery.complete_rate if enough else None, complete),
        _metric("savings", "Savings vs list", spend.savings_pct, savings),
    ]
    return Peers(account.segment, count, metrics)  # type: ignore[arg-type]


def _events(session: Session, account_id: str, period: Period) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(Event.title, Event.kind, func.count(Attendance.id))
        .join(Attendance, Attendance.event_id == Event.id)
        .join(Contact, Contact.id == Attendance.contact_id)
        .where(
            Attendance.account_id == account_id,
            Attendance.status == AttendanceStatus.attended.value,
            Event.starts_at >= _at(period.start),
            Event.starts_at < _at(period.end),
        )
        .group_by(Event.id, Event.title, Event.kind, Event.starts_at)
        .order_by(Event.starts_at)
    ).all()
    return [(title, kind, int(n)) for title, kind, n in rows]


def value_report(
    session: Session, actor: Actor, account_id: str, period: str | Period
) -> ValueReport:
    account = account_for(session, actor, account_id)
    p = period if isinstance(period, Period) else parse_period(period)
    spend = _spend(session, account.id, p)
    delivery = _delivery(session, account.id, p)
    start, end = _at(p.start), _at(p.end)
    items = [i for src in ISSUE_SOURCES for i in src.issues(session, account.id, start, end)]
    items.sort(key=lambda i: i.raised_at)
    issues = Issues(" ".join(src.note for src in ISSUE_SOURCES), items)
    return ValueReport(
        account=account,
        period=p,
        previous=p.previous(),
        generated_at=datetime.now(UTC).replace(tzinfo=None),
        spend=spend,
        delivery=delivery,
        issues=issues,
        peers=_peers(session, account, p, delivery, spend),
        events=_events(session, account.id, p),
    )


def as_dict(r: ValueReport) -> dict[str, object]:
    """The report as JSON-ready data (the API's answer); rates are shares 0–1."""
    s, d = r.spend, r.delivery
    return {
        "account_id": r.account.id,
        "account": r.account.name,
        "segment": r.account.segment,
        "period": r.period.label,
        "previous_period": r.previous.label,
        "start": r.period.start.isoformat(),
        "end": r.period.last_day.isoformat(),
        "spend": {
            "amount": s.amount,
            "purchases": s.purchases,
            "previous_amount": s.previous_amount,
            "change": s.change,
            "priced_purchases": s.priced,
            "list_amount": s.list_amount if s.priced else None,
            "savings": s.savings,
            "savings_pct": s.savings_pct,
            "by_month": [{"month": m, "amount": v} for m, v in s.by_month],
        },
        "delivery": {
            "promised": d.promised,
            "delivered": d.delivered,
            "on_time_rate": d.on_time_rate,
            "complete_rate": d.complete_rate,
            "otif_rate": d.otif_rate,
            "previous_on_time_rate": d.previous.on_time_rate if d.previous else None,
            "previous_otif_rate": d.previous.otif_rate if d.previous else None,
        },
        "issues": {
            "note": r.issues.note,
            "raised": r.issues.raised,
            "resolved": r.issues.resolved if r.issues.tracked else None,
            "by_theme": dict(r.issues.by_theme),
            "items": [
                {
                    "raised_at": i.raised_at.isoformat(),
                    "source": i.source,
                    "theme": i.theme,
                    "summary": i.summary,
                    "status": i.status,
                    "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
                    "action": i.action,
                }
                for i in r.issues.items
            ],
        },
        "peers": {
            "segment": r.peers.segment,
            "accounts": r.peers.accounts,
            "min_peers": r.min_peers,
            "withheld": r.peers.withheld,
            "metrics": [
                {
                    "key": m.key,
                    "label": m.label,
                    "you": m.you,
                    "peers": m.peers,
                    "withheld": m.withheld,
                    "median": None if m.withheld else m.median,
                    "p25": None if m.withheld else m.p25,
                    "p75": None if m.withheld else m.p75,
                    "beats": None if m.withheld else m.beats,
                }
                for m in r.peers.metrics
            ],
        },
        "events": [{"title": t, "kind": k, "attended": n} for t, k, n in r.events],
    }
