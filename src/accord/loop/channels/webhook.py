"""Outbound webhooks: each active ``Webhook`` receives the ticket events after its cursor.

A delivery is a POST of the event's JSON (or, with ``slack``, ``{"text": one-line summary}``)
with ``X-Accord-Event`` (the kind), ``X-Accord-Timestamp`` (Unix seconds) and
``X-Accord-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed with the secret>``.
A failure (no answer, timeout, non-2xx) is retried with exponential backoff
(``ACCORD_NOTIFY_WEBHOOK_BACKOFF_S`` × 2ⁿ, up to ``ACCORD_NOTIFY_WEBHOOK_ATTEMPTS`` attempts);
every attempt is a ``WebhookDelivery`` row. A webhook whose event still fails stops there and
tries again on the next run, so events reach it in order and at least once; the cursor only
moves past delivered (or not subscribed) events, so nothing is sent twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord.auth.access import Actor, require_role
from accord.auth.audit import record_change
from accord.config import Settings, get_settings
from accord.errors import InvalidInput, NotFound
from accord.loop.channels.common import event_payload, summary
from accord.loop.channels.models import Webhook, WebhookDelivery
from accord.loop.models import Ticket, TicketEvent
from accord.loop.tickets import events_since
from accord.vocabulary import UserRole


def sign(secret: str, body: bytes) -> str:
    """The ``X-Accord-Signature`` value of a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)


def add_webhook(
    session: Session,
    *,
    name: str,
    url: str,
    secret: str,
    event_kinds: list[str] | None = None,
    slack: bool = False,
    from_now: bool = True,
) -> Webhook:
    """Subscribe an endpoint. With ``from_now`` it receives only events logged from now on."""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("url: must start with http:// or https://")
    if len(secret) < 16:
        raise InvalidInput("secret: at least 16 characters")
    cursor = (session.scalar(select(func.max(TicketEvent.id))) or 0) if from_now else 0
    hook = Webhook(
        name=name,
        url=url,
        secret=secret,
        event_kinds=list(event_kinds or []),
        slack=slack,
        active=True,
        cursor=cursor,
    )
    session.add(hook)
    session.flush()
    return hook


@dataclass
class Sent:
    webhook_id: int
    event_id: int
    ok: bool
    attempts: int


def _body(hook: Webhook, payload: dict[str, Any], line: str) -> bytes:
    value = {"text": line} if hook.slack else payload
    return json.dumps(value, separators=(",", ":"), default=str).encode()


def deliver(
    session: Session,
    hook: Webhook,
    event_id: int,
    kind: str,
    body: bytes,
    now: datetime,
    settings: Settings,
    client: httpx.Client,
    sleep: Callable[[float], None] = time.sleep,
) -> Sent:
    """POST one body with retries; log every attempt."""
    attempts = settings.notify_webhook_attempts
    first = time.monotonic()
    stamp = str(int(now.replace(tzinfo=UTC).timestamp()))  # ``now`` is naive UTC
    for attempt in range(1, attempts + 1):
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Accord-Webhooks/1",
            "X-Accord-Event": kind,
            "X-Accord-Timestamp": stamp,
            "X-Accord-Signature": sign(hook.secret, body),
            "X-Accord-Delivery": f"{hook.id}-{event_id}",
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            response = client.post(hook.url, content=body, headers=headers)
            status = response.status_code
            if not response.is_success:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        ok = error is None
        session.add(
            WebhookDelivery(
                webhook_id=hook.id,
                event_id=event_id,
                attempt=attempt,
                ok=ok,
                status_code=status,
                error=error,
                duration_ms=round((time.monotonic() - started) * 1000, 3),
                at=now + timedelta(seconds=started - first),
            )
        )
        if ok:
            return Sent(hook.id, event_id, True, attempt)
        if attempt < attempts:
            sleep(settings.notify_webhook_backoff_s * 2 ** (attempt - 1))
    return Sent(hook.id, event_id, False, attempts)


def dispatch_webhooks(
    session: Session, now: datetime, settings: Settings | None = None
) -> list[Sent]:
    """Send every active webhook the events after its cursor; returns what was attempted."""
    settings = settings or get_settings()
    done: list[Sent] = []
    # Row locks (PostgreSQL) keep two concurrent runs from sending the same events.
    query = select(Webhook).where(Webhook.active).order_by(Webhook.id)
    hooks = list(session.scalars(query.with_for_update(skip_locked=True)))
    with httpx.Client(timeout=settings.notify_webhook_timeout_s) as client:
        for hook in hooks:
            for event in events_since(session, hook.cursor):
                if hook.event_kinds and event.kind not in hook.event_kinds:
                    hook.cursor = event.id
                    continue
                ticket = session.get(Ticket, event.ticket_id)
                body = _body(hook, event_payload(event, ticket), summary(event, ticket))
                sent = deliver(session, hook, event.id, event.kind, body, now, settings, client)
                done.append(sent)
                if not sent.ok:
                    break  # in order: this event is tried again on the next run
                hook.cursor = event.id
            session.flush()
    return done


def deliveries(session: Session, webhook_id: int) -> list[WebhookDelivery]:
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id)
        )
    )


# --- Management (the API's /api/webhooks; admins only) --------------------------------------

EVENT_KINDS = (
    "created", "assigned", "status", "reopened", "linked", "merged", "merged_from", "breach",
    "escalated", "action", "recurred", "comment",
)  # fmt: skip


def create_webhook(
    session: Session,
    actor: Actor,
    *,
    name: str,
    url: str,
    secret: str | None = None,
    event_kinds: list[str] | None = None,
    slack: bool = False,
) -> tuple[Webhook, str]:
    """Subscribe an endpoint from the next event on; returns it and its secret (generated when
    none is given). The secret is shown this once: nothing reads it back afterwards."""
    require_role(actor, UserRole.admin)
    unknown = sorted(set(event_kinds or []) - set(EVENT_KINDS))
    if unknown:
        raise InvalidInput(f"event_kinds: unknown {unknown}; known: {', '.join(EVENT_KINDS)}")
    secret = secret or secrets.token_urlsafe(32)
    hook = add_webhook(
        session, name=name, url=url, secret=secret, event_kinds=event_kinds, slack=slack
    )
    record_change(
        session, actor, "create", "webhooks", hook.id,
        after={"name": name, "url": url, "event_kinds": hook.event_kinds, "slack": slack},
    )  # fmt: skip
    return hook, secret


def list_webhooks(session: Session, actor: Actor) -> list[Webhook]:
    require_role(actor, UserRole.admin)
    return list(session.scalars(select(Webhook).order_by(Webhook.id)))


def get_webhook(session: Session, actor: Actor, webhook_id: int) -> Webhook:
    require_role(actor, UserRole.admin)
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"webhook {webhook_id} not found")
    return hook


def delete_webhook(session: Session, actor: Actor, webhook_id: int) -> None:
    """Unsubscribe; its delivery log goes with it."""
    hook = get_webhook(session, actor, webhook_id)
    before = {"name": hook.name, "url": hook.url}
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    session.delete(hook)
    session.flush()
    record_change(session, actor, "delete", "webhooks", webhook_id, before=before)


def recent_deliveries(
    session: Session, actor: Actor, webhook_id: int, limit: int = 100
) -> list[WebhookDelivery]:
    """The webhook's latest delivery attempts, newest first."""
    hook = get_webhook(session, actor, webhook_id)
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
