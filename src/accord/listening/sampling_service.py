"""The sampling planner's I/O: read the portfolio (weights and coverage from ``accord.insights``),
the invitation history and the settings, run the pure planner (``sampling``), and — unless it is
a dry run — turn the picks into planned invitations (``invitations.create_invitations``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact
from accord.auth.access import Actor, require_role, visible_accounts
from accord.config import Settings, get_settings
from accord.errors import InvalidInput, NotFound
from accord.insights.axi import Village, village
from accord.insights.coverage import lost_accounts
from accord.insights.frames import Portfolio, load_portfolio
from accord.listening.models import Invitation, Survey
from accord.listening.sampling import (
    AccountFacts,
    Delivery,
    Person,
    Plan,
    Rules,
    plan_relationship,
    plan_scenario,
    with_coverage,
)
from accord.vocabulary import UserRole

COVERAGE_WINDOW_DAYS = 365  # as insights.coverage


def rules_from(settings: Settings, monthly_remaining: int | None) -> Rules:
    return Rules(
        target_share=settings.sampling_target_share,
        account_cap=settings.sampling_account_cap,
        role_cap=settings.sampling_role_cap,
        relationship_gap_days=settings.sampling_relationship_gap_days,
        scenario_gap_days=settings.sampling_scenario_gap_days,
        monthly_remaining=monthly_remaining,
        coverage_window_days=COVERAGE_WINDOW_DAYS,
    )


def quarantine_reason(entries: list[str], contact_id: str, email: str | None) -> str | None:
    """Why a contact is on the quarantine / opt-out list: by id, address or domain."""
    address = (email or "").strip().lower()
    domain = address.rsplit("@", 1)[1] if "@" in address else ""
    for raw in entries:
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == contact_id.lower():
            return f"contact {contact_id}"
        if "@" in entry and not entry.startswith("@") and entry == address:
            return f"address {address}"
        if domain and entry.lstrip("@") == domain:
            return f"domain {domain}"
    return None


def account_facts(
    portfolio: Portfolio, v: Village, today: date, since: datetime, now: datetime
) -> list[AccountFacts]:
    """Each account as the planner sees it: the roles heard in the village's window, whether
    it transacted (feedback or a delivery in ``(since, now]``) and whether it was lost."""
    heard_roles = (
        v.heard.filter(pl.col("contact_id").is_not_null())
        .join(v.stakeholders.select("contact_id", "role"), on="contact_id")
        .group_by("account_id")
        .agg(pl.col("role").unique())
    )
    heard_of = {r["account_id"]: frozenset(r["role"]) for r in heard_roles.iter_rows(named=True)}
    lost = set(lost_accounts(portfolio, today)["account_id"].to_list())
    fb = portfolio.feedback.filter(pl.col("occurred_at").is_between(since, now, closed="right"))
    ful = portfolio.fulfilments.filter(
        pl.col("delivered_at").is_between(since, now, closed="right")
    )
    transacted = set(fb["account_id"].to_list()) | set(ful["account_id"].to_list())
    return [
        AccountFacts(
            r["account_id"],
            r["name"],
            r["segment"],
            r["annual_value"] or 0.0,
            heard_of.get(r["account_id"], frozenset()),
            r["account_id"] in transacted,
            r["account_id"] in lost,
        )
        for r in portfolio.accounts.iter_rows(named=True)
    ]


def village_people(
    portfolio: Portfolio,
    v: Village,
    emails: Mapping[str, str | None],
    last_heard: Mapping[str, date] | None = None,
    last_asked: Mapping[tuple[str, str], datetime] | None = None,
    quarantine: list[str] | None = None,
) -> list[Person]:
    """Each stakeholder as the planner sees it: weight, veto and dates from the village, the
    address, when last heard and last asked (by survey kind), and any quarantine reason."""
    heard, asked = last_heard or {}, last_asked or {}
    dates = portfolio.contacts.select("contact_id", "active_from", "active_to")
    return [
        Person(
            contact_id=r["contact_id"],
            account_id=r["account_id"],
            role=r["role"],
            weight=float(r["weight"]),
            veto=bool(r["veto"]),
            active=bool(r["active"]),
            active_to=r["active_to"],
            active_from=r["active_from"],
            email=emails.get(r["contact_id"]),
            last_heard=heard.get(r["contact_id"]),
            last_relationship=asked.get((r["contact_id"], "relationship")),
            last_scenario=asked.get((r["contact_id"], "scenario")),
            quarantined=quarantine_reason(
                quarantine or [], r["contact_id"], emails.get(r["contact_id"])
            ),
        )
        for r in v.stakeholders.join(dates, on="contact_id").iter_rows(named=True)
    ]


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def plan_survey(
    session: Session,
    actor: Actor,
    survey_id: str,
    now: datetime,
    *,
    dry_run: bool = True,
    settings: Settings | None = None,
) -> Plan:
    """Plan the survey's invitations as of ``now`` (see ``sampling``); create them unless
    ``dry_run``. Cx managers and admins only."""
    require_role(actor, UserRole.cx_manager, UserRole.admin)
    settings = settings or get_settings()
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(f"survey {survey_id!r} not found")
    if not survey.active:
        raise InvalidInput(f"survey {survey_id!r} is not active")
    kind = "scenario" if survey.kind == "scenario" else "relationship"
    today = now.date()

    portfolio = load_portfolio(session, actor, today=today)
    v = village(portfolio, today, window_days=COVERAGE_WINDOW_DAYS)
    since = now - timedelta(days=settings.sampling_transacted_days)
    accounts = account_facts(portfolio, v, today, since, now)

    emails = dict(
        session.execute(
            select(Contact.id, Contact.email)
            .join(Account, Account.id == Contact.account_id)
            .where(visible_accounts(actor))
        ).all()
    )
    last_heard = dict(
        portfolio.feedback.filter(
            pl.col("contact_id").is_not_null() & (pl.col("occurred_at") <= now)
        )
        .group_by("contact_id")
        .agg(pl.col("occurred_at").max().dt.date())
        .iter_rows()
    )
    history = session.execute(
        select(Invitation.contact_id, Survey.kind, func.max(Invitation.created_at))
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.status != "failed", Invitation.created_at <= now)
        .group_by(Invitation.contact_id, Survey.kind)
    ).all()
    last_asked: dict[tuple[str, str], datetime] = {}
    for contact_id, survey_kind, at in history:
        key = (contact_id, "scenario" if survey_kind == "scenario" else "relationship")
        last_asked[key] = max(at, last_asked.get(key, at))
    people = village_people(
        portfolio, v, emails, last_heard, last_asked, settings.sampling_quarantine
    )

    used = session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.status != "failed", Invitation.created_at >= _month_start(now))
    )
    rules = rules_from(settings, max(0, settings.sampling_monthly_cap - (used or 0)))
    if kind == "scenario":
        recent = now - timedelta(days=settings.sampling_scenario_days)
        deliveries = [
            Delivery(r["fulfilment_id"], r["account_id"], r["delivered_at"])
            for r in portfolio.fulfilments.filter(
                pl.col("delivered_at").is_between(recent, now, closed="right")
            ).iter_rows(named=True)
        ]
        rows = session.execute(
            select(Invitation.contact_id, Invitation.fulfilment_id).where(
                Invitation.survey_id == survey_id
            )
        ).all()
        already = frozenset((contact_id, fulfilment_id) for contact_id, fulfilment_id in rows)
        plan = plan_scenario(survey_id, accounts, people, deliveries, rules, now, already)
    else:
        mine = session.execute(
            select(Invitation.contact_id, func.max(Invitation.created_at))
            .where(Invitation.survey_id == survey_id, Invitation.status != "failed")
            .group_by(Invitation.contact_id)
        ).all()
        plan = plan_relationship(survey_id, accounts, people, rules, now, dict(mine))
    plan.kind = survey.kind
    with_coverage(plan, accounts, people, today)
    plan.dry_run = dry_run
    if not dry_run and plan.picks:
        from accord.listening.invitations import create_invitations

        picks = [(p.contact_id, p.fulfilment_id, p.reason) for p in plan.picks]
        plan.created = len(create_invitations(session, actor, survey_id, picks, now))
    return plan
