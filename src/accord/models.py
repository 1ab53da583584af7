"""Every domain's models in one import, for Alembic and for ``Base.metadata``."""

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.models import ApiToken, AuditEntry, User
from accord.db import Base
from accord.engagement.models import Attendance, Event
from accord.journey.models import Fulfilment, Opportunity
from accord.leads.models import Lead, LeadDefinition, LeadScore, SalesFeedback
from accord.listening.models import Feedback
from accord.reports.models import ListPrice

__all__ = [
    "Account",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "Base",
    "Contact",
    "Event",
    "Feedback",
    "Fulfilment",
    "InfluenceProfile",
    "Lead",
    "LeadDefinition",
    "LeadScore",
    "ListPrice",
    "Opportunity",
    "SalesFeedback",
    "User",
]
