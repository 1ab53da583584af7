"""The words of the domain model (DESIGN.md): buying roles, channels, the buying cycle, drivers.

They are the import contract's allowed values, so they live in one place that every domain,
the importer, the generator and the API share.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A stakeholder's part in the buying decision."""

    economic_buyer = "economic_buyer"
    technical_buyer = "technical_buyer"  # the evaluating buyer: engineers, specifiers
    user = "user"
    procurement = "procurement"
    gatekeeper = "gatekeeper"  # IT, safety, quality, facilities
    champion = "champion"
    blocker = "blocker"
    executive = "executive"


class Phase(StrEnum):
    """Cooperation phase: the key role changes between onboarding and daily work."""

    establishing = "establishing"
    continuous = "continuous"


class Channel(StrEnum):
    survey = "survey"
    scenario = "scenario"  # short survey after a fulfilment
    note = "note"
    email = "email"
    call = "call"
    meeting = "meeting"
    ticket = "ticket"
    forum = "forum"
    social = "social"
    event = "event"


class Stage(StrEnum):
    """The ten-stage general buying cycle."""

    need = "need"
    awareness = "awareness"
    research = "research"
    consideration = "consideration"
    evaluation = "evaluation"
    purchase = "purchase"
    application = "application"
    experience = "experience"
    reaction = "reaction"
    advocacy = "advocacy"


class OpportunityKind(StrEnum):
    new = "new"
    rebuy = "rebuy"  # straight re-buy
    modified_rebuy = "modified_rebuy"
    renewal = "renewal"
    lease = "lease"


class Outcome(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"
    renewed = "renewed"
    churned = "churned"


class Driver(StrEnum):
    """Three forces (rational) and three senses (perceptual)."""

    product = "product"
    price = "price"
    fulfilment = "fulfilment"
    ease = "ease"  # peace of mind: simple, transparent, responsive
    presence = "presence"  # helps the buyer show results inside their company
    trust = "trust"  # professional, reliable account team


DRIVERS: tuple[str, ...] = tuple(d.value for d in Driver)


class UserRole(StrEnum):
    admin = "admin"
    cx_manager = "cx_manager"
    account_manager = "account_manager"  # sees and changes only the accounts they own
    viewer = "viewer"
    team_member = "team_member"  # sees and acts only on the tickets routed to their team
