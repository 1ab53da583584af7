"""Every domain's models in one import, for Alembic and for ``Base.metadata``."""

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.models import ApiToken, AuditEntry, User
from accord.db import Base
from accord.engagement.models import Attendance, Event
from accord.journey.models import Fulfilment, Opportunity
from accord.leads.models import Lead, LeadDefinition, LeadScore, SalesFeedback
from accord.listening.models import Feedback, Invitation, Survey, SurveyResponse
from accord.loop.channels.models import Webhook, WebhookDelivery
from accord.loop.models import Action, Counter, RoutingRule, Ticket, TicketEvent, TicketFeedback
from accord.reports.models import ListPrice
from accord.text.models import TextCorrection, TextTag

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
    "Invitation",
    "Lead",
    "LeadDefinition",
    "LeadScore",
    "ListPrice",
    "Opportunity",
    "RoutingRule",
    "SalesFeedback",
    "Survey",
    "SurveyResponse",
    "TextCorrection",
    "TextTag",
    "Ticket",
    "TicketEvent",
    "TicketFeedback",
    "User",
    "Webhook",
    "WebhookDelivery",
]
