"""``accord demo``: a synthetic B2B world in the database and users to log in with."""

from __future__ import annotations

import secrets
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from sqlalchemy import Engine

from accord.auth import service as auth
from accord.auth.access import OPERATOR
from accord.db import transaction
from accord.migrations import upgrade
from accord.vocabulary import UserRole

# Alice owns accounts in the synthetic world, so logging in as her shows an account manager's view.
DEMO_USERS = (
    ("admin@accord.example", UserRole.admin, "Ada Admin"),
    ("cx@accord.example", UserRole.cx_manager, "Chris Experience"),
    ("alice.martin@accord.example", UserRole.account_manager, "Alice Martin"),
    ("viewer@accord.example", UserRole.viewer, "Victor Viewer"),
)


def ensure_demo_users(engine: Engine) -> dict[str, str]:
    """Create the demo users, or give them a fresh password; returns email → password."""
    passwords: dict[str, str] = {}
    with transaction(engine) as session:
        for email, role, name in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            if auth.get_user_by_email(session, email) is None:
                auth.create_user(
                    session, OPERATOR, email=email, password=password, role=role, name=name
                )
            else:
                auth.set_password(session, OPERATOR, email, password)
            passwords[email] = password
    return passwords


def load_shipped_surveys(engine: Engine, console: Console) -> None:
    """The relationship and scenario surveys Accord ships, ready to plan with `accord sample`."""
    from accord.listening import surveys

    with transaction(engine) as session:
        for text in surveys.shipped_definitions().values():
            survey, _ = surveys.load_text(session, OPERATOR, text)
            console.print(f"Survey {survey.id} ({survey.kind}) loaded")


# A starter rule set: the veto holder first, then each force to the team that fixes it.
STARTER_RULES = (
    ("Veto holder unhappy", {"veto": True, "sentiment_below": 0}, "sales", "high"),
    ("Late or incomplete deliveries", {"drivers": ["fulfilment"], "sentiment_below": 0},
     "logistics", "normal"),
    ("Product complaints", {"drivers": ["product"], "sentiment_below": 0}, "quality", "normal"),
    ("Price and invoices", {"drivers": ["price"], "sentiment_below": 0}, "finance", "low"),
    ("Anything else negative", {"sentiment_below": -30}, "support", "normal"),
)  # fmt: skip
ROUTED_DAYS = 21  # the demo routes the last three weeks' feedback, as if Accord had been running


def start_the_loop(engine: Engine, console: Console) -> None:
    """Routing rules, and tickets for the last weeks' negative feedback, each opened an hour
    after it was heard (so some have since breached their SLA), plus the insight alerts."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from accord.listening.models import Feedback
    from accord.loop import alerts, routing

    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(engine) as session:
        if routing.rules(session):
            return  # a re-run keeps the rules and tickets someone may have edited
        for position, (name, conditions, team, priority) in enumerate(STARTER_RULES, 1):
            routing.create_rule(session, OPERATOR, {
                "position": position * 10, "name": name, "conditions": conditions,
                "team": team, "priority": priority,
            })  # fmt: skip
        recent = session.execute(
            select(Feedback.id, Feedback.occurred_at)
            .where(Feedback.occurred_at >= now - timedelta(days=ROUTED_DAYS))
            .order_by(Feedback.occurred_at, Feedback.id)
        ).all()
        opened = sum(
            routing.route(session, OPERATOR, fb_id, at + timedelta(hours=1)) is not None
            for fb_id, at in recent
        )
        raised = alerts.run_alerts(session, OPERATOR, now.date(), now)
    console.print(
        f"Routing: {opened} tickets from the last {ROUTED_DAYS} days, {len(raised)} alerts"
    )


def seed_demo(
    engine: Engine, *, out: Path, accounts: int, seed: int, console: Console, url: str
) -> None:
    from accord.cli.importing import run_import
    from accord.synthetic import generate_world

    upgrade(engine)
    console.print(
        f"Generating a synthetic world of {accounts} accounts (seed {seed}) into {out}/ …"
    )
    summary = generate_world(out, accounts=accounts, seed=seed)
    report = run_import(engine, [summary.out_dir], console)
    if not report.ok:
        raise SystemExit("the demo world did not import cleanly; see the errors above")
    passwords = ensure_demo_users(engine)
    load_shipped_surveys(engine, console)
    start_the_loop(engine, console)
    lines = [f"{role.value:<16} {email:<30} {passwords[email]}" for email, role, _ in DEMO_USERS]
    console.print(
        Panel(
            "\n".join(lines),
            title=f"Log in at {url} with",
            subtitle="passwords are new on every `accord demo`",
        )
    )
