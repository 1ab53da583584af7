"""Signed, expiring customer-portal links scoped to one account (optionally one contact).

A link carries ``{account_id, contact_id?, scope}`` signed with ``ACCORD_SECRET_KEY`` through
``itsdangerous.URLSafeTimedSerializer`` under a salt per purpose, so a token minted for another
purpose (or with another secret) never opens the portal. The token is the only credential: it is
checked on every request and every page inside the portal is limited to its account.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from accord.config import get_settings

PORTAL_SALT = "accord.portal.v1"
PORTAL_SCOPE = "portal"
DEFAULT_DAYS = 30


class PortalLinkError(Exception):
    """A portal token that cannot be used: ``reason`` is ``invalid`` or ``expired``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class PortalScope:
    account_id: str
    contact_id: str | None
    scope: str


def _serializer(salt: str = PORTAL_SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=salt)


def portal_link(account_id: str, days: int = DEFAULT_DAYS, contact_id: str | None = None) -> str:
    """The full portal URL for the account. The expiry (``days``) travels inside the signed
    payload, so a link minted for 7 days stops working after 7 days."""
    if days < 1:
        raise ValueError("days: at least 1")
    payload = {
        "account_id": account_id,
        "contact_id": contact_id,
        "scope": PORTAL_SCOPE,
        "max_age": days * 86400,
    }
    token = str(_serializer().dumps(payload))
    return f"{get_settings().base_url.rstrip('/')}/portal/{token}"


def read_portal_token(token: str, max_age: int | None = None) -> PortalScope:
    """The scope a token grants; ``PortalLinkError`` when it is tampered with, signed for
    another purpose, malformed or expired (``max_age`` seconds overrides the link's own)."""
    serializer = _serializer()
    try:
        payload = serializer.loads(token)
    except BadSignature as exc:
        raise PortalLinkError("invalid", "This link is not valid.") from exc
    if not isinstance(payload, dict) or payload.get("scope") != PORTAL_SCOPE:
        raise PortalLinkError("invalid", "This link is not valid.")
    account_id = payload.get("account_id")
    if not isinstance(account_id, str) or not account_id:
        raise PortalLinkError("invalid", "This link is not valid.")
    limit = max_age if max_age is not None else payload.get("max_age", DEFAULT_DAYS * 86400)
    try:
        serializer.loads(token, max_age=int(limit))
    except SignatureExpired as exc:
        raise PortalLinkError("expired", "This link has expired.") from exc
    except (BadSignature, TypeError, ValueError) as exc:
        raise PortalLinkError("invalid", "This link is not valid.") from exc
    contact = payload.get("contact_id")
    return PortalScope(
        account_id=account_id,
        contact_id=contact if isinstance(contact, str) else None,
        scope=PORTAL_SCOPE,
    )
