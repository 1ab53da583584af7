"""Every domain's models in one import, for Alembic and for ``Base.metadata``."""

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.models import ApiToken, AuditEntry, User
from accord.db import Base
from accord.engagement.models import Attendance, Event
from accord.journey.models import Fulfilment, Opportunity
from accord.leads.models import Lead, LeadDefinition, LeadScore, SalesFeedback
from accord.listening.models import Feedback
from accord.loop.channels.models import Webhook, WebhookDelivery
from accord.loop.models import Action, Counter, RoutingRule, Ticket, TicketEvent, TicketFeedback
from accord.reports.models import ListPrice

__all__ = [
    "Account",
    "Action",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "Base",
    "Contact",
    "Counter",
    "Event",
    "Feedback",
    "Fulfilment",
    "InfluenceProfile",
    "Lead",
    "LeadDefinition",
    "LeadScore",
    "ListPrice",
    "Opportunity",
    "RoutingRule",
    "SalesFeedback",
    "Ticket",
    "TicketEvent",
    "TicketFeedback",
    "User",
    "Webhook",
    "WebhookDelivery",
]
