"""Lexicon for the comment grammar: openers, connectors, closings, channel frames and the slot
fillers (items, certificates, documents, tools, bosses, sites) per purchase type.

Frames use ``{body}`` for the comment body, ``{first}`` the speaker's first name, ``{title}``
their title, ``{owner}`` the account manager's first name; see ``phrases`` for the other tokens.
"""

from __future__ import annotations

from accord.synthetic.phrases import NEGATIVE, NEUTRAL, POSITIVE

OPENERS: dict[str, tuple[str, ...]] = {
    "first": (
        "",
        "",
        "",
        "",
        "Overall, ",
        "To be honest, ",
        "Frankly, ",
        "In short: ",
        "So far ",
        "From {our} side, ",
        "Quick feedback: ",
        "As discussed, ",
        "Honestly, ",
        "Looking at the last few months, ",
        "For the record, ",
        "This quarter, ",
    ),
    "reported": (
        "",
        "",
        "Mentioned that ",
        "Said that ",
        "Raised that ",
        "Told us ",
        "Pointed out that ",
        "Made clear that ",
        "Noted that ",
        "Flagged that ",
    ),
}
CONNECTORS: dict[str, tuple[str, ...]] = {
    "same": (
        ", and ",
        "; also, ",
        ". Also, ",
        ". On top of that, ",
        ", plus ",
        ". And ",
        ". Besides, ",
    ),
    "contrast": (
        ", but ",
        "; however, ",
        ". On the other hand, ",
        ", although ",
        ". Still, ",
        ". That said, ",
    ),
}
CLOSINGS: dict[str, tuple[str, ...]] = {
    POSITIVE: (
        "Keep it up.",
        "Thanks to the whole team.",
        "Happy to be a reference.",
        "Well done.",
        "Much appreciated.",
        "{we} will keep recommending {you_}.",
    ),
    NEGATIVE: (
        "This has to improve before the renewal.",
        "Please escalate.",
        "{we} expect a corrective action plan.",
        "Not acceptable.",
        "{we} are looking at alternatives.",
        "Please call {us} this week.",
        "{boss} is asking questions.",
    ),
    NEUTRAL: (
        "Let's discuss at the next review.",
        "More at the next meeting.",
        "{we} will keep {you_} posted.",
        "No action needed.",
    ),
}
# Frames per channel: {body} is the clause sentence(s), {first} the speaker's first name,
# {title} their title, {owner} the account manager's first name.
FRAMES: dict[str, tuple[str, ...]] = {
    "survey": ("{body}",),
    "scenario": ("{body}",),
    "email": (
        "Hi {owner}! {body}",
        "Hello {owner}, quick note. {body} Regards, {first}",
        "{body}",
        "{body} Best, {first}",
        "Re: last order. {body}",
        "Dear {owner}, following up on our call. {body} Kind regards, {first}",
    ),
    "note": (
        "{first} ({title}): {body}",
        "Spoke to {first}. {body}",
        "{body}",
        "Site visit at {site}, {first}: {body}",
    ),
    "call": ("Call with {first}: {body}", "Phone call, {title}. {body}", "{first} called. {body}"),
    "meeting": (
        "QBR with {first} and team. {body}",
        "Meeting with {first} ({title}). {body}",
        "Quarterly review: {body}",
        "Workshop at {site} with {first}. {body}",
    ),
    "ticket": ("{body}", "Case opened by {first}: {body}", "Issue: {body}"),
    "forum": ("{body}", "Posted in the user group: {body}", "Question to the community: {body}"),
    "social": ("{body}", "{body} #supplier #b2b"),
    "event": (
        "Met {first} at the trade fair. {body}",
        "User conference, {first}: {body}",
        "Customer day, chat with {first} ({title}). {body}",
    ),
}
REPORTED_CHANNELS = frozenset({"note", "call", "meeting", "event"})

ITEMS: dict[str, tuple[str, ...]] = {
    "precision_components": (
        "bearings",
        "machined housings",
        "sensor assemblies",
        "valve blocks",
        "gear sets",
        "precision shafts",
        "connectors",
    ),
    "mro_supplies": (
        "safety gloves",
        "fasteners",
        "lubricants",
        "cutting tools",
        "filters",
        "safety shoes",
        "spare belts",
    ),
    "software_platform": (
        "dashboards",
        "reporting modules",
        "integrations",
        "mobile apps",
        "scheduled exports",
        "workflows",
        "APIs",
    ),
    "employee_gifts": (
        "holiday hampers",
        "gift boxes",
        "welcome kits",
        "anniversary gifts",
        "branded jackets",
        "gift vouchers",
    ),
    "logistics_services": (
        "pallet pickups",
        "cross-dock transfers",
        "cold-chain loads",
        "express shipments",
        "container hauls",
        "returns pickups",
    ),
    "facility_services": (
        "maintenance visits",
        "cleaning rounds",
        "HVAC inspections",
        "security patrols",
        "repair jobs",
        "fire-safety checks",
    ),
}
CERTS: dict[str, tuple[str, ...]] = {
    "precision_components": (
        "material certificates",
        "inspection reports",
        "certificates of conformity",
    ),
    "mro_supplies": ("safety data sheets", "test certificates", "CE declarations"),
    "software_platform": ("security attestations", "release notes", "SOC 2 reports"),
    "employee_gifts": ("packing lists", "customs papers", "allergen declarations"),
    "logistics_services": ("proofs of delivery", "customs documents", "temperature logs"),
    "facility_services": ("inspection protocols", "safety permits", "service reports"),
}
DOCS: tuple[str, ...] = (
    "invoices",
    "credit notes",
    "delivery notes",
    "order confirmations",
    "monthly statements",
)
TOOLS: tuple[str, ...] = (
    "the order portal",
    "the tracking page",
    "the self-service dashboard",
    "the customer extranet",
    "the EDI link",
    "the mobile app",
)
BOSSES: tuple[str, ...] = (
    "my boss",
    "the CFO",
    "the plant director",
    "the board",
    "my director",
    "the COO",
    "the managing director",
)
SITES: tuple[str, ...] = (
    "the main plant",
    "the north site",
    "the new warehouse",
    "the second plant",
    "head office",
    "the east depot",
    "the lab",
)
MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NUMBER_WORDS: tuple[str, ...] = ("two", "three", "four", "five")
