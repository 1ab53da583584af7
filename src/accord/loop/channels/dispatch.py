"""One run of every channel: what ``accord notify run`` (cron) calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from accord.config import Settings, get_settings
from accord.loop.channels.email import Mail, dispatch_email
from accord.loop.channels.webhook import Sent, dispatch_webhooks


@dataclass
class Dispatched:
    webhooks: list[Sent] = field(default_factory=list)
    emails: list[Mail] = field(default_factory=list)


def dispatch_pending(
    session: Session, now: datetime, settings: Settings | None = None
) -> Dispatched:
    """Send every event not yet sent, on every channel; safe to repeat (nothing twice)."""
    settings = settings or get_settings()
    return Dispatched(
        webhooks=dispatch_webhooks(session, now, settings),
        emails=dispatch_email(session, now, settings),
    )
