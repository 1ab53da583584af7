"""``generate_world``: build the synthetic B2B world and write it to a folder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from accord.synthetic import catalog as C
from accord.synthetic import planted as M
from accord.synthetic.common import clip, stream
from accord.synthetic.engagement import make_attendance, make_events, make_list_prices
from accord.synthetic.journey import make_fulfilments, make_opportunities
from accord.synthetic.leads import make_leads, make_sales_feedback
from accord.synthetic.listening import make_feedback
from accord.synthetic.outcomes import draw_renewals, plant_incidents
from accord.synthetic.truth import build_truth
from accord.synthetic.world import ContactFactory, make_accounts, make_village
from accord.synthetic.writer import (
    COLUMNS,
    account_rows,
    contact_rows,
    dict_rows,
    event_rows,
    feedback_rows,
    fulfilment_rows,
    lead_rows,
    opportunity_rows,
    write_csv,
)


@dataclass
class WorldSummary:
    """What ``generate_world`` wrote: row counts per file and the paths."""

    out_dir: Path
    seed: int
    today: date
    accounts: int = 0
    contacts: int = 0
    opportunities: int = 0
    fulfilments: int = 0
    feedback: int = 0
    influence_profiles: int = 0
    list_prices: int = 0
    leads: int = 0
    sales_feedback: int = 0
    events: int = 0
    event_feedback: int = 0
    attendance: int = 0
    paths: dict[str, Path] = field(default_factory=dict)  # file stem -> path, incl. "truth"

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COLUMNS}


def _profile_rows(seed: int) -> list[list[object]]:
    """The vendor's recorded belief: the planted profiles with a little noise."""
    rng = stream(seed, "profiles")
    rows: list[list[object]] = []
    for pt, phases in M.PROFILES.items():
        for phase, roles in phases.items():
            for role, (weight, veto) in roles.items():
                recorded = round(clip(weight + rng.gauss(0, 0.08), 0.05, 1.0), 2)
                note = (
                    M.PROFILE_NOTES[pt][phase]
                    if weight == max(w for w, _ in roles.values())
                    else None
                )
                rows.append([pt, phase, role, recorded, veto, note])
    return rows


def generate_world(
    out_dir: Path, accounts: int = 240, seed: int = 7, today: date | None = None
) -> WorldSummary:
    """Generate a reproducible synthetic world of ``accounts`` B2B customers into ``out_dir``.

    Writes ``accounts.csv``, ``contacts.csv``, ``opportunities.csv``, ``fulfilments.csv``,
    ``feedback.csv``, ``influence_profiles.csv`` (the import contract plus optional columns)
    and ``truth.json`` (the planted model; the app never reads it). Same arguments, same bytes.
    """
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    today = today or date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = stream(seed, "regions")
    region_late = {r: round(rng.uniform(0.05, 0.18), 4) for r in C.REGIONS}
    beautified = sorted(rng.sample(C.REGIONS, rng.choice((1, 2))))
    for r in beautified:
        region_late[r] = round(region_late[r] + 0.06, 4)
    owner_effect = {o: rng.gauss(0, M.OWNER_EFFECT_SD) for o in C.OWNERS}

    world = make_accounts(stream(seed, "accounts"), accounts, today, region_late, owner_effect)
    factory = ContactFactory(stream(seed, "contacts"))
    village_rng = stream(seed, "villages")
    for account in world:
        make_village(village_rng, factory, account, today)
    incidents = plant_incidents(stream(seed, "incidents"), world, today)
    renewal_info = draw_renewals(stream(seed, "renewals"), world, today)
    fulfilments = make_fulfilments(stream(seed, "fulfilments"), world, today, set(beautified))
    opportunities = make_opportunities(stream(seed, "opportunities"), world, today)
    feedback = make_feedback(stream(seed, "feedback"), world, fulfilments, today)
    # Leads and post-purchase engagement draw from their own streams: the files above stay
    # byte-identical to a world generated without them.
    leads = make_leads(stream(seed, "leads"), world, today)
    sales_feedback = make_sales_feedback(stream(seed, "sales_feedback"), leads, world, today)
    events = make_events(stream(seed, "events"), today)
    attendance, event_feedback = make_attendance(stream(seed, "attendance"), events, world, today)

    summary = WorldSummary(out_dir=out_dir, seed=seed, today=today)
    files = {
        "accounts": account_rows(world),
        "contacts": contact_rows(world),
        "opportunities": opportunity_rows(opportunities),
        "fulfilments": fulfilment_rows(fulfilments),
        "feedback": feedback_rows(feedback),
        "influence_profiles": _profile_rows(seed),
        "list_prices": make_list_prices(stream(seed, "list_prices"), opportunities, world),
        "leads": lead_rows(leads),
        "sales_feedback": dict_rows("sales_feedback", sales_feedback),
        "events": event_rows(events),
        "event_feedback": dict_rows("event_feedback", event_feedback),
        "attendance": dict_rows("attendance", attendance),
    }
    for name, rows in files.items():
        path = out_dir / f"{name}.csv"
        setattr(summary, name, write_csv(path, COLUMNS[name], rows))
        summary.paths[name] = path

    truth = build_truth(
        seed=seed,
        today=today,
        accounts=world,
        opportunities=opportunities,
        fulfilments=fulfilments,
        feedback=feedback,
        region_late=region_late,
        beautified=beautified,
        owner_effect=owner_effect,
        incidents=incidents,
        renewal_info=renewal_info,
    )
    truth_path = out_dir / "truth.json"
    with truth_path.open("w", encoding="utf-8", newline="\n") as fh:
        json.dump(truth, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    summary.paths["truth"] = truth_path
    return summary
