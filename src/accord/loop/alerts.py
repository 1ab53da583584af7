"""Alerts into the loop: a registry of hooks that find accounts needing action, each finding
opening a ticket for the account owner (team ``sales``, assigned to the owner).

A hook is ``fn(session, today) -> list[Alert]``; register more with ``register_alert``. A
finding opens at most one open ticket: its ``key`` becomes the ticket's ``source_key`` and an open
ticket with that key is not repeated (with ``once``, no ticket with that key at all is).

Built in, the first two from ``accord.insights.metrics.account_metrics`` as of ``today``:

* ``veto_negative`` — ``veto_risk``: a veto holder's latest sentiment is negative (the weakest
  one is named);
* ``unheard_veto_renewal`` — a veto holder not heard in the window (``unheard_veto``) at an
  account whose renewal falls within 90 days;
* ``scenario_nps_drop`` — per region, the NPS of scenario feedback (see ``scenario_nps_drop``)
  fell by ``ACCORD_LOOP_SCENARIO_NPS_DROP`` points or more from the previous window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import OPERATOR, Actor, visible_account_ids
from accord.config import get_settings
from accord.insights.frames import load_portfolio
from accord.insights.metrics import account_metrics
from accord.listening.models import Feedback
from accord.loop.models import Ticket
from accord.loop.tickets import OPEN_STATUSES, open_ticket

RENEWAL_DAYS = 90


@dataclass(frozen=True)
class Alert:
    kind: str
    account_id: str
    key: str  # identifies the finding, so it opens one ticket however often alerts run
    title: str
    priority: str = "high"
    once: bool = False  # True: never again for this key, even after its ticket is closed


AlertHook = Callable[[Session, date], list[Alert]]
ALERT_HOOKS: dict[str, AlertHook] = {}


def register_alert(kind: str, hook: AlertHook) -> None:
    ALERT_HOOKS[kind] = hook


def _metrics(session: Session, today: date):  # type: ignore[no-untyped-def]
    return account_metrics(load_portfolio(session, OPERATOR, today=today))


def veto_negative(session: Session, today: date) -> list[Alert]:
    m = _metrics(session, today).filter("veto_risk")
    return [
        Alert(
            "veto_negative",
            r["account_id"],
            f"veto_negative:{r['account_id']}:{r['weakest_veto_contact']}",
            f"Veto holder {r['weakest_veto_contact']} turned negative "
            f"(sentiment {r['weakest_veto_sentiment']:.0f})",
        )
        for r in m.iter_rows(named=True)
    ]


def unheard_veto_renewal(session: Session, today: date) -> list[Alert]:
    soon = dict(
        session.execute(
            select(Account.id, Account.renewal_date).where(
                Account.renewal_date >= today,
                Account.renewal_date <= today + timedelta(days=RENEWAL_DAYS),
            )
        ).all()
    )
    if not soon:
        return []
    m = _metrics(session, today)
    out = []
    for r in m.iter_rows(named=True):
        if r["account_id"] not in soon:
            continue
        for contact in r["unheard_veto"] or []:
            out.append(
                Alert(
                    "unheard_veto_renewal",
                    r["account_id"],
                    f"unheard_veto:{r['account_id']}:{contact}:{soon[r['account_id']]}",
                    f"Veto holder {contact} unheard, renewal on {soon[r['account_id']]}",
                )
            )
    return out


def _nps(n: int, promoters: int, detractors: int) -> float:
    return (promoters - detractors) / n * 100


def scenario_nps_drop(session: Session, today: date) -> list[Alert]:
    """Per region: the NPS of scenario feedback (short surveys after a fulfilment) in the last
    N days (``ACCORD_LOOP_SCENARIO_NPS_DAYS``: ``today`` and the N − 1 days before) against the
    N days before those. A fall of ``ACCORD_LOOP_SCENARIO_NPS_DROP`` points or more, with at
    least ``ACCORD_LOOP_SCENARIO_NPS_MIN_RESPONSES`` responses in each window, is a finding for
    every owner of an account of the region heard from in the last window: one ticket per owner,
    at their account with the lowest scenario NPS in that window. Its key names the region, the
    owner and the window; it is raised once per window (``once``: not again even after its
    ticket is closed), and not while that owner's ticket for an earlier window is still open."""
    settings = get_settings()
    days = settings.loop_scenario_nps_days
    end = datetime.combine(today + timedelta(days=1), datetime.min.time())
    mid, start = end - timedelta(days=days), end - timedelta(days=2 * days)
    recent = case((Feedback.occurred_at >= mid, 1), else_=0)
    promoter = func.sum(case((Feedback.nps >= 9, 1), else_=0))
    detractor = func.sum(case((Feedback.nps <= 6, 1), else_=0))
    scenario = (
        Feedback.channel == "scenario",
        Feedback.nps.is_not(None),
        Feedback.occurred_at >= start,
        Feedback.occurred_at < end,
        Account.region.is_not(None),
    )
    rows = session.execute(
        select(Account.region, recent, func.count(), promoter, detractor)
        .join(Account, Account.id == Feedback.account_id)
        .where(*scenario)
        .group_by(Account.region, recent)
    ).all()
    windows: dict[str, dict[int, float]] = {}
    minimum = settings.loop_scenario_nps_min_responses
    for region, is_recent, n, p, d in rows:
        if n >= minimum:
            windows.setdefault(region, {})[int(is_recent)] = _nps(n, int(p or 0), int(d or 0))
    dropped = {
        region: (w[0], w[1])
        for region, w in windows.items()
        if 0 in w and 1 in w and w[0] - w[1] >= settings.loop_scenario_nps_drop
    }
    if not dropped:
        return []
    per_account = session.execute(
        select(Account.region, Account.owner_email, Account.id, func.count(), promoter, detractor)
        .join(Account, Account.id == Feedback.account_id)
        .where(*scenario, Feedback.occurred_at >= mid, Account.region.in_(list(dropped)))
        .where(Account.owner_email.is_not(None))
        .group_by(Account.region, Account.owner_email, Account.id)
    ).all()
    worst: dict[tuple[str, str], tuple[float, str]] = {}
    for region, owner, account_id, n, p, d in per_account:
        key = (region, owner.lower())
        score = (_nps(n, int(p or 0), int(d or 0)), account_id)
        worst[key] = min(worst.get(key, score), score)
    window = f"{mid.date().isoformat()}..{today.isoformat()}"
    still_open = set(
        session.scalars(
            select(Ticket.source_key).where(
                Ticket.source == "alert:scenario_nps_drop", Ticket.status.in_(OPEN_STATUSES)
            )
        )
    )
    open_for = {k.rsplit(":", 1)[0] for k in still_open if k}
    out = []
    for (region, owner), (_, account_id) in sorted(worst.items()):
        if f"scenario_nps_drop:{region}:{owner}" in open_for:
            continue  # the owner still works the last drop's ticket: no second one
        before, now_nps = dropped[region]
        out.append(
            Alert(
                "scenario_nps_drop",
                account_id,
                f"scenario_nps_drop:{region}:{owner}:{window}",
                f"Scenario NPS in {region} fell from {before:.0f} to {now_nps:.0f} "
                f"({window}, vs the {days} days before)",
                once=True,
            )
        )
    return out


register_alert("veto_negative", veto_negative)
register_alert("unheard_veto_renewal", unheard_veto_renewal)
register_alert("scenario_nps_drop", scenario_nps_drop)


def run_alerts(
    session: Session, actor: Actor, today: date, now: datetime, kinds: list[str] | None = None
) -> list[Ticket]:
    """Open a ticket per new finding at an account the actor may see; returns those opened."""
    visible = set(session.scalars(visible_account_ids(actor)))
    opened = []
    for kind, hook in ALERT_HOOKS.items():
        if kinds and kind not in kinds:
            continue
        for alert in hook(session, today):
            if alert.account_id not in visible:
                continue
            same = Ticket.source_key == alert.key
            if not alert.once:
                same = and_(same, Ticket.status.in_(OPEN_STATUSES))
            exists = session.scalar(select(Ticket.id).where(same).limit(1))
            if exists:
                continue
            owner = session.get(Account, alert.account_id)
            opened.append(
                open_ticket(
                    session, actor, account_id=alert.account_id, title=alert.title[:200],
                    team="sales", priority=alert.priority, now=now, source=f"alert:{kind}",
                    source_key=alert.key, assignee_email=owner.owner_email if owner else None,
                )
            )  # fmt: skip
    return opened
