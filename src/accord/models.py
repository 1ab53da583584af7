"""Every domain's models in one import, for Alembic and for ``Base.metadata``."""

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.models import ApiToken, AuditEntry, User
from accord.db import Base
from accord.journey.models import Fulfilment, Opportunity
from accord.listening.models import Feedback

__all__ = [
    "Account",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Contact",
    "Feedback",
    "Fulfilment",
    "InfluenceProfile",
    "Opportunity",
    "User",
]
