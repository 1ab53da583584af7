"""Static vocabulary of the synthetic world: industries, segments, regions, owners, names, titles.

Nothing here is random; the generator draws from these lists with a seeded generator. Names are
assembled from word parts, so no generated company is a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.vocabulary import Role


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


# -- segments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    name: str
    share: float  # share of accounts
    median_value: float  # median annual value (log-normal), in the vendor's currency
    value_sigma: float
    village: tuple[int, int]  # number of seats in the buying village (inclusive)
    fulfilments_per_quarter: float
    extra_opportunities: tuple[int, int]
    informal_per_year: float  # notes, emails, calls, meetings, tickets... per account and year


SEGMENTS: tuple[Segment, ...] = (
    # large central/state enterprises: big villages, gatekeepers, long cycles
    Segment("large_enterprise", 0.22, 780_000.0, 0.55, (5, 8), 6.5, (3, 7), 26.0),
    Segment("mid_market", 0.43, 165_000.0, 0.6, (3, 6), 4.5, (2, 5), 18.0),
    # small private firms: owner-led, 2-4 stakeholders
    Segment("small_private", 0.35, 32_000.0, 0.65, (2, 4), 3.0, (1, 3), 12.0),
)
SEGMENT_BY_NAME = {s.name: s for s in SEGMENTS}

# -- regions ----------------------------------------------------------------------------------

REGIONS: tuple[str, ...] = ("North", "South", "East", "West", "Central")

# -- industries and the purchase types they tend to buy ----------------------------------------

INDUSTRIES: dict[str, dict[str, float]] = {
    "automotive components": {
        "precision_components": 0.6,
        "mro_supplies": 0.25,
        "employee_gifts": 0.15,
    },
    "medical devices": {
        "precision_components": 0.55,
        "software_platform": 0.25,
        "employee_gifts": 0.2,
    },
    "food processing": {"mro_supplies": 0.45, "logistics_services": 0.35, "employee_gifts": 0.2},
    "chemicals": {"mro_supplies": 0.4, "logistics_services": 0.35, "facility_services": 0.25},
    "logistics": {"logistics_services": 0.3, "software_platform": 0.4, "mro_supplies": 0.3},
    "utilities": {"facility_services": 0.45, "software_platform": 0.3, "mro_supplies": 0.25},
    "software": {"software_platform": 0.5, "employee_gifts": 0.35, "facility_services": 0.15},
    "construction": {"facility_services": 0.35, "mro_supplies": 0.45, "logistics_services": 0.2},
    "electronics": {"precision_components": 0.65, "software_platform": 0.2, "employee_gifts": 0.15},
    "retail distribution": {
        "logistics_services": 0.5,
        "employee_gifts": 0.25,
        "software_platform": 0.25,
    },
}

INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "automotive components": ("Automotive", "Drivetrain", "Motion Parts", "Axle Works", "Mobility"),
    "medical devices": ("Medical", "MedTech", "Surgical", "Diagnostics", "Life Devices"),
    "food processing": ("Foods", "Dairy", "Bakeries", "Provisions", "Food Works"),
    "chemicals": ("Chemicals", "Polymers", "Coatings", "Chemie", "Resins"),
    "logistics": ("Logistics", "Freight", "Transport", "Cargo", "Distribution"),
    "utilities": ("Power", "Energy", "Water", "Grid", "Utilities"),
    "software": ("Software", "Systems", "Digital", "Data", "Labs"),
    "construction": ("Construction", "Builders", "Infrastructure", "Civil Works", "Bau"),
    "electronics": ("Electronics", "Circuits", "Microsystems", "Semiconductor", "Sensors"),
    "retail distribution": ("Wholesale", "Trading", "Retail Supply", "Merchants", "Markets"),
}

NAME_STEMS: tuple[str, ...] = _split(
    "Nord,Vals,Kessel,Bright,Iron,Ardent,Cobal,Halden,Marra,Quill,Sterl,Tarn,Orlo,Vire,Bram,"
    "Calder,Dunmore,Elm,Fenwick,Gale,Harrow,Ivor,Jessen,Korr,Lumen,Morrow,Nyland,Oakridge,"
    "Pell,Ravel,Silva,Tessel,Ulden,Varro,Westley,Yarrow,Zephyr,Alder,Brook,Crest,Delta,"
    "Ember,Fjord,Granite,Helix,Isen,Juno,Kestrel,Linden,Merid"
)
NAME_ENDINGS: tuple[str, ...] = _split(
    "vale,mark,ford,well,stone,haven,wick,field,gate,port,line,bridge,ton,ridge,by,more,"
    "dale,wood,crest,holm"
)
LARGE_PREFIXES: tuple[str, ...] = (
    "National",
    "Provincial",
    "State",
    "United",
    "Federal",
    "Central",
    "Continental",
)
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "large_enterprise": ("Group", "Corporation", "Holdings", "plc", "AG"),
    "mid_market": ("GmbH", "Ltd", "Inc", "S.A.", "AB", "B.V.", "Co."),
    "small_private": ("Ltd", "GmbH", "& Sons", "& Partners", "Workshop", "Bros.", "KG"),
}

# -- account managers (owners): the first is the demo login ----------------------------------

OWNERS: tuple[str, ...] = (
    "alice.martin@accord.example",
    "bruno.keller@accord.example",
    "chloe.dubois@accord.example",
    "daniel.okafor@accord.example",
    "elena.rossi@accord.example",
    "farid.haddad@accord.example",
    "grace.lindqvist@accord.example",
    "hiro.tanaka@accord.example",
)
OWNER_WEIGHTS: tuple[float, ...] = (0.19, 0.17, 0.15, 0.13, 0.11, 0.10, 0.09, 0.06)

# -- people -----------------------------------------------------------------------------------

FIRST_NAMES: tuple[str, ...] = _split(
    "Anna,Ben,Carla,David,Eva,Felix,Greta,Hassan,Ines,Jonas,Katrin,Luca,Maria,Nils,Olga,"
    "Pavel,Quentin,Rosa,Samir,Tanja,Umar,Vera,Wei,Ximena,Yusuf,Zofia,Aiko,Bilal,Clara,"
    "Dmitri,Esther,Fatima,Gustav,Helena,Ivan,Julia,Kwame,Lena,Mateo,Nadia,Oscar,Priya,"
    "Rafael,Sofia,Tomas,Ursula,Viktor,Wanda,Yara,Zane,Amara,Bjorn,Chen,Daria,Emil,Freya,"
    "Goran,Hana,Ibrahim,Jana,Kofi,Lucia,Marek,Noor,Petra,Ruben,Sanna,Teodor,Valentina,"
    "Zeynep"
)
LAST_NAMES: tuple[str, ...] = _split(
    "Andersen,Baptiste,Costa,Dimitrov,Eriksson,Fischer,Garcia,Horvat,Ivanova,Jansen,"
    "Kowalski,Lefebvre,Moreau,Novak,Olsen,Petrov,Quinn,Richter,Santos,Tanaka,Usman,Varga,"
    "Weber,Xu,Yilmaz,Zimmermann,Abbott,Brennan,Castillo,Dubois,Engel,Ferrari,Gruber,Haas,"
    "Iqbal,Jovanovic,Kaur,Lindgren,Mensah,Nakamura,Ortiz,Pereira,Rossi,Schmid,Torres,Ueda,"
    "Vogel,Wagner,Young,Zhang,Adeyemi,Bauer,Chowdhury,De Vries,Ekström,Fontaine,Gallo,"
    "Hoffmann,Ionescu,Kruger,Lopez,Marino,Nilsen,O'Brien,Popescu,Reyes,Sato,Tomic,Weiss,"
    "Zeller"
)

# Titles per role; "{dept}" is filled from the industry's technical department.
ROLE_TITLES: dict[str, tuple[str, ...]] = {
    Role.economic_buyer: (
        "Chief Financial Officer",
        "VP Operations",
        "Head of {dept}",
        "Finance Director",
        "Plant Director",
        "Budget Owner, {dept}",
    ),
    Role.technical_buyer: (
        "Lead {eng}",
        "Senior {eng}",
        "{eng}",
        "Head of {dept} Engineering",
        "Technical Specialist, {dept}",
    ),
    Role.user: (
        "{dept} Supervisor",
        "Line Manager, {dept}",
        "{dept} Coordinator",
        "Shift Lead, {dept}",
        "{dept} Team Lead",
        "Operations Planner",
    ),
    Role.procurement: (
        "Purchasing Manager",
        "Category Manager",
        "Strategic Buyer",
        "Head of Procurement",
        "Senior Buyer",
        "Sourcing Lead",
    ),
    Role.gatekeeper: ("{gate} Manager", "Head of {gate}", "{gate} Officer", "{gate} Lead"),
    Role.champion: (
        "Continuous Improvement Manager",
        "{dept} Manager",
        "Project Lead, {dept}",
        "Program Manager",
    ),
    Role.blocker: ("Deputy Head of {dept}", "Controller", "Senior {eng}", "Compliance Lead"),
    Role.executive: (
        "Chief Executive Officer",
        "Managing Director",
        "Chief Operating Officer",
        "General Manager",
        "Executive Vice President",
    ),
}
SMALL_OWNER_TITLES: tuple[str, ...] = (
    "Owner & Managing Director",
    "Founder and CEO",
    "Owner",
    "Managing Partner",
)

INDUSTRY_DEPT: dict[str, tuple[str, str]] = {  # (department, engineer title)
    "automotive components": ("Production", "Manufacturing Engineer"),
    "medical devices": ("R&D", "Biomedical Engineer"),
    "food processing": ("Processing", "Process Engineer"),
    "chemicals": ("Plant Operations", "Chemical Engineer"),
    "logistics": ("Warehouse", "Supply Chain Engineer"),
    "utilities": ("Network Operations", "Electrical Engineer"),
    "software": ("Platform", "Solutions Architect"),
    "construction": ("Site Operations", "Civil Engineer"),
    "electronics": ("Hardware", "Electronics Engineer"),
    "retail distribution": ("Distribution", "Logistics Engineer"),
}

GATEKEEPER_BY_PURCHASE: dict[str, tuple[str, ...]] = {
    "precision_components": ("Quality Assurance", "Supplier Quality"),
    "mro_supplies": ("Health & Safety", "Stores"),
    "software_platform": ("IT Security", "IT Infrastructure"),
    "employee_gifts": ("HR Compliance", "Works Council"),
    "logistics_services": ("Site Safety", "Customs Compliance"),
    "facility_services": ("Facilities", "HSE"),
}
