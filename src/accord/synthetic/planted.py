"""The planted model: what really drives renewal in the synthetic world.

The app never reads any of this; ``truth.json`` records it so tests and analytics can check
that they recover it. Formulas are in ``docs/synthetic.md``.

* Each stakeholder has a latent **perception** per driver: account base + role deviation +
  personal noise, drifting slowly over time, with an optional incident shock.
* **Renewal utility** ``S = Σ_r ŵ_r · Σ_d β_d · p̄_{r,d}`` over the roles present at the renewal
  date (``ŵ`` the planted role weights normalised over those roles, ``β`` the driver weights);
  ``P(renew) = σ(α + κ·S)``.
* A **veto** holder whose sentiment ``Σ_d β_d p_d`` is below ``VETO_THRESHOLD`` kills the
  renewal with probability ``VETO_KILL_PROBABILITY`` regardless of the utility.
"""

from __future__ import annotations

import math

from accord.vocabulary import DRIVERS, Phase, Role

# Driver weights β: distinct so key-driver analysis can be validated (sum to 1).
DRIVER_WEIGHTS: dict[str, float] = {
    "product": 0.16,
    "price": 0.10,
    "fulfilment": 0.32,
    "ease": 0.12,
    "presence": 0.04,
    "trust": 0.26,
}
assert tuple(DRIVER_WEIGHTS) == DRIVERS

# Population mean of each driver's latent perception (0 = neutral, ±1 = strong).
DRIVER_MEANS: dict[str, float] = {
    "product": 0.35,
    "price": -0.05,
    "fulfilment": 0.25,
    "ease": 0.15,
    "presence": -0.05,
    "trust": 0.3,
}

# How each role tends to see things differently from the account as a whole.
ROLE_DEVIATION: dict[str, dict[str, float]] = {
    Role.economic_buyer: {"price": -0.2, "presence": 0.1},
    Role.technical_buyer: {"product": 0.1, "ease": -0.1, "fulfilment": -0.05},
    Role.user: {"ease": -0.1, "fulfilment": -0.1, "presence": -0.1},
    Role.procurement: {"price": -0.35, "presence": -0.15, "ease": 0.05},
    Role.gatekeeper: {"trust": -0.1, "ease": -0.2},
    Role.champion: dict.fromkeys(DRIVERS, 0.45),
    Role.blocker: dict.fromkeys(DRIVERS, -0.5),
    Role.executive: {"presence": 0.15, "trust": 0.1},
}

ACCOUNT_SHARED_SD = 0.15  # one account-wide mood shared by all drivers
ACCOUNT_DRIVER_SD = 0.3  # driver-specific account base
PERSONAL_SD = 0.8  # each stakeholder's own view
DRIFT_SD_PER_YEAR = 0.1  # slow drift, anchored at the renewal date
LATE_RATE_EFFECT = -2.5  # fulfilment base shifts by this × (account late rate − 0.12)
OWNER_EFFECT_SD = 0.2  # some account managers build more trust and ease than others
SHOCK_SHARE = 0.16  # share of accounts where one veto holder suffers an incident
SHOCK_STRONG = -1.4  # on the two drivers the incident hit
SHOCK_WEAK = -0.3  # on the others but presence

RENEWAL_ALPHA = 2.0
RENEWAL_KAPPA = 5.0
VETO_THRESHOLD = -0.45
VETO_KILL_PROBABILITY = 0.85

# Observation model: latent perception → scores.
RATING_CENTRE, RATING_SLOPE, RATING_SD = 3.1, 1.15, 0.55
NPS_CENTRE, NPS_SLOPE, NPS_SD = 7.6, 2.8, 1.1


# -- influence profiles: the planted truth --------------------------------------------------
# weight 0-1 on the same scale as a contact's influence; True marks a veto.

_R = Role
PROFILES: dict[str, dict[str, dict[str, tuple[float, bool]]]] = {
    "precision_components": {
        Phase.establishing: {
            _R.technical_buyer: (0.95, True),
            _R.gatekeeper: (0.55, True),
            _R.economic_buyer: (0.5, False),
            _R.procurement: (0.45, False),
            _R.user: (0.3, False),
            _R.executive: (0.35, False),
            _R.champion: (0.45, False),
            _R.blocker: (0.5, False),
        },
        Phase.continuous: {
            _R.user: (0.85, False),
            _R.technical_buyer: (0.65, True),
            _R.gatekeeper: (0.45, True),
            _R.procurement: (0.5, False),
            _R.economic_buyer: (0.3, False),
            _R.executive: (0.2, False),
            _R.champion: (0.4, False),
            _R.blocker: (0.45, False),
        },
    },
    "mro_supplies": {
        Phase.establishing: {
            _R.procurement: (0.9, True),
            _R.economic_buyer: (0.55, False),
            _R.technical_buyer: (0.35, False),
            _R.user: (0.35, False),
            _R.gatekeeper: (0.3, False),
            _R.executive: (0.15, False),
            _R.champion: (0.35, False),
            _R.blocker: (0.35, False),
        },
        Phase.continuous: {
            _R.user: (0.8, False),
            _R.procurement: (0.7, True),
            _R.economic_buyer: (0.3, False),
            _R.technical_buyer: (0.25, False),
            _R.gatekeeper: (0.35, False),
            _R.executive: (0.1, False),
            _R.champion: (0.35, False),
            _R.blocker: (0.3, False),
        },
    },
    "software_platform": {
        Phase.establishing: {
            _R.gatekeeper: (0.9, True),
            _R.technical_buyer: (0.75, False),
            _R.economic_buyer: (0.6, False),
            _R.executive: (0.5, False),
            _R.procurement: (0.35, False),
            _R.user: (0.3, False),
            _R.champion: (0.5, False),
            _R.blocker: (0.55, True),
        },
        Phase.continuous: {
            _R.user: (0.9, False),
            _R.gatekeeper: (0.6, True),
            _R.technical_buyer: (0.5, False),
            _R.economic_buyer: (0.4, False),
            _R.executive: (0.3, False),
            _R.procurement: (0.25, False),
            _R.champion: (0.45, False),
            _R.blocker: (0.45, False),
        },
    },
    "employee_gifts": {
        Phase.establishing: {
            _R.procurement: (0.85, True),
            _R.economic_buyer: (0.8, True),
            _R.executive: (0.4, False),
            _R.user: (0.1, False),
            _R.gatekeeper: (0.25, False),
            _R.technical_buyer: (0.1, False),
            _R.champion: (0.3, False),
            _R.blocker: (0.3, False),
        },
        Phase.continuous: {
            _R.procurement: (0.9, True),
            _R.economic_buyer: (0.5, False),
            _R.executive: (0.25, False),
            _R.user: (0.15, False),
            _R.gatekeeper: (0.2, False),
            _R.technical_buyer: (0.1, False),
            _R.champion: (0.3, False),
            _R.blocker: (0.25, False),
        },
    },
    "logistics_services": {
        Phase.establishing: {
            _R.procurement: (0.75, False),
            _R.economic_buyer: (0.7, True),
            _R.technical_buyer: (0.45, False),
            _R.gatekeeper: (0.4, True),
            _R.user: (0.35, False),
            _R.executive: (0.3, False),
            _R.champion: (0.4, False),
            _R.blocker: (0.4, False),
        },
        Phase.continuous: {
            _R.user: (0.75, False),
            _R.procurement: (0.6, False),
            _R.economic_buyer: (0.45, True),
            _R.gatekeeper: (0.4, True),
            _R.technical_buyer: (0.3, False),
            _R.executive: (0.2, False),
            _R.champion: (0.35, False),
            _R.blocker: (0.35, False),
        },
    },
    "facility_services": {
        Phase.establishing: {
            _R.gatekeeper: (0.8, True),
            _R.economic_buyer: (0.65, False),
            _R.procurement: (0.6, False),
            _R.executive: (0.35, False),
            _R.technical_buyer: (0.4, False),
            _R.user: (0.3, False),
            _R.champion: (0.35, False),
            _R.blocker: (0.4, False),
        },
        Phase.continuous: {
            _R.user: (0.7, False),
            _R.gatekeeper: (0.65, True),
            _R.procurement: (0.5, False),
            _R.economic_buyer: (0.35, False),
            _R.executive: (0.2, False),
            _R.technical_buyer: (0.3, False),
            _R.champion: (0.35, False),
            _R.blocker: (0.35, False),
        },
    },
}
PURCHASE_TYPES: tuple[str, ...] = tuple(PROFILES)

PROFILE_NOTES: dict[str, dict[str, str]] = {  # the vendor's note on each profile's key role
    "precision_components": {
        Phase.establishing: "Engineers qualify samples and can veto a supplier with one vote.",
        Phase.continuous: "Engineers on the line judge every lot; the evaluator keeps a veto.",
    },
    "mro_supplies": {
        Phase.establishing: "Procurement consolidates spend and picks the catalogue.",
        Phase.continuous: "Shop-floor users decide once the catalogue runs.",
    },
    "software_platform": {
        Phase.establishing: "IT security gatekeeper can block the platform outright.",
        Phase.continuous: "Daily users decide the renewal; IT keeps its veto.",
    },
    "employee_gifts": {
        Phase.establishing: "Procurement and the budget owner decide; recipients barely count.",
        Phase.continuous: "Procurement runs the programme; recipients barely count.",
    },
    "logistics_services": {
        Phase.establishing: "Procurement runs the tender; the budget owner signs.",
        Phase.continuous: "Dispatch and warehouse staff judge every pickup.",
    },
    "facility_services": {
        Phase.establishing: "Safety and facilities gatekeepers hold a veto on site access.",
        Phase.continuous: "Site staff judge every visit; safety keeps its veto.",
    },
}


def role_weight(purchase_type: str, phase: str, role: str) -> float:
    return PROFILES[purchase_type][phase][role][0]


def role_veto(purchase_type: str, phase: str, role: str) -> bool:
    return PROFILES[purchase_type][phase][role][1]


def sentiment(perception: list[float]) -> float:
    """One stakeholder's overall sentiment: the driver-weighted perception."""
    return sum(w * p for w, p in zip(DRIVER_WEIGHTS.values(), perception, strict=True))


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def renewal_utility(
    purchase_type: str, phase: str, perceptions_by_role: dict[str, list[list[float]]]
) -> float:
    """``S = Σ_r ŵ_r Σ_d β_d p̄_{r,d}`` over the roles present (ŵ normalised over them)."""
    total_weight = sum(role_weight(purchase_type, phase, r) for r in perceptions_by_role)
    if total_weight <= 0:
        return 0.0
    s = 0.0
    for role, people in perceptions_by_role.items():
        mean = [sum(col) / len(people) for col in zip(*people, strict=True)]
        s += role_weight(purchase_type, phase, role) / total_weight * sentiment(mean)
    return s


def renewal_probability(utility: float, veto_triggered: bool) -> float:
    """P(renewed) = σ(α + κ·S) × (1 − kill probability if a veto holder is strongly negative)."""
    p = logistic(RENEWAL_ALPHA + RENEWAL_KAPPA * utility)
    return p * (1.0 - VETO_KILL_PROBABILITY) if veto_triggered else p
