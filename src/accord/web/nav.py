"""The top navigation, built from a registry so a new page needs one ``register_nav`` call.

A page module registers itself when ``accord.web`` imports it; the base layout shows the items
the current user's role may see, in ``order``.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.vocabulary import UserRole


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    order: int = 100
    roles: frozenset[UserRole] | None = None  # None: every logged-in user

    def visible_to(self, role: UserRole) -> bool:
        return self.roles is None or role in self.roles

    def is_active(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")


NAV: list[NavItem] = []

# Everyone but team members, who see only the tickets routed to their team.
STAFF: set[UserRole] = set(UserRole) - {UserRole.team_member}


def register_nav(
    label: str, path: str, order: int = 100, roles: set[UserRole] | None = None
) -> NavItem:
    """Add a top-level page to the navigation; registering the same path again replaces it, so
    re-importing a module (tests, reloads) never duplicates an entry."""
    item = NavItem(label, path, order, frozenset(roles) if roles is not None else None)
    NAV[:] = [n for n in NAV if n.path != path]
    NAV.append(item)
    NAV.sort(key=lambda n: (n.order, n.label))
    return item


def nav_for(role: UserRole) -> list[NavItem]:
    return [n for n in NAV if n.visible_to(role)]
