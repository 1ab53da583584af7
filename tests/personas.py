"""The cast of the authorisation tests, after Healthchecks' habit.

Alice and Bob are account managers who each own one account; Charlie is a viewer; Carol is a
cx manager; Ada is an admin; Tess is a team member of the support team (she sees only the
tickets routed to support). Each world has one account per owner, with a contact, an
opportunity, a fulfilment and a feedback item, so every record type has one on each side.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.vocabulary import UserRole
from tests.factories import (
    make_account,
    make_contact,
    make_feedback,
    make_fulfilment,
    make_opportunity,
    make_token,
    make_user,
)

PEOPLE = {
    "alice": ("alice@example.com", UserRole.account_manager),
    "bob": ("bob@example.com", UserRole.account_manager),
    "charlie": ("charlie@example.com", UserRole.viewer),
    "carol": ("carol@example.com", UserRole.cx_manager),
    "ada": ("ada@example.com", UserRole.admin),
    "tess": ("tess@example.com", UserRole.team_member),
}
TEAM_OF = {"tess": "support"}


@dataclass
class World:
    tokens: dict[str, str]  # persona → bearer token

    def auth(self, persona: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[persona]}"}


def build_world(session: Session) -> World:
    tokens = {}
    for persona, (email, role) in PEOPLE.items():
        user = make_user(session, email, role, team=TEAM_OF.get(persona))
        tokens[persona] = make_token(session, user)
    for persona, prefix in (("alice", "A"), ("bob", "B")):
        make_account(
            session, f"ACC-{prefix}", PEOPLE[persona][0], name=f"{persona.title()} Industries"
        )
        make_contact(session, f"CON-{prefix}", f"ACC-{prefix}", role="technical_buyer", veto=True)
        make_opportunity(session, f"OPP-{prefix}", f"ACC-{prefix}")
        make_fulfilment(session, f"FUL-{prefix}", f"ACC-{prefix}")
        make_feedback(session, f"FB-{prefix}", f"ACC-{prefix}", contact_id=f"CON-{prefix}")
    session.commit()
    return World(tokens)
