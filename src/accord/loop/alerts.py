"""Alerts into the loop: a registry of hooks that find accounts needing action, each finding
opening a ticket for the account owner (team ``sales``, assigned to the owner).

A hook is ``fn(session, today) -> list[Alert]``; register more with ``register_alert`` (the
scenario-NPS drop after fulfilments will plug in here). A finding opens at most one open ticket:
its ``key`` becomes the ticket's ``source_key`` and an open ticket with that key is not repeated.

Built in, from ``accord.insights.metrics.account_metrics`` as of ``today``:

* ``veto_negative`` — ``veto_risk``: a veto holder's latest sentiment is negative (the weakest
  one is named);
* ``unheard_veto_renewal`` — a veto holder not heard in the window (``unheard_veto``) at an
  account whose renewal falls within 90 days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import OPERATOR, Actor, visible_account_ids
from accord.insights.frames import load_portfolio
from accord.insights.metrics import account_metrics
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


register_alert("veto_negative", veto_negative)
register_alert("unheard_veto_renewal", unheard_veto_renewal)


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
            exists = session.scalar(
                select(Ticket.id).where(
                    Ticket.source_key == alert.key, Ticket.status.in_(OPEN_STATUSES)
                )
            )
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
