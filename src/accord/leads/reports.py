"""The report marketing reads: which leads convert (by score band and by source), why sales
rejects leads, which pain points sales hears (by industry and segment, over time), and whether
the current definition's thresholds separate leads that convert from those that do not.

Definitions used throughout:

* **decided** lead: converted (stage ``opportunity``) or ``disqualified``; open leads have not
  had their chance yet. **Conversion rate** = converted ÷ decided.
* **Calibration** re-scores every decided lead under the *current* definition, as of the day
  it was decided (recency as it was then), and compares converted with not converted:
  conversion rate below mql, between mql and sql, and at or above sql; the **AUC** (the chance
  that a random converted lead outscores a random non-converted one, ties counting half;
  0.5 = no better than chance); and the sql threshold that best separates the two, by
  Youden's J = true-positive rate − false-positive rate. The thresholds *separate* when the
  three rates rise in that order and the AUC is at least 0.6.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import Actor
from accord.leads.definition import Facts
from accord.leads.feedback import split_tags, visible_feedback
from accord.leads.models import Lead, LeadStage, SalesFeedback
from accord.leads.scoring import FACT_COLUMNS
from accord.leads.service import definition, visible_leads

BAND_WIDTH = 10
TOP = 5
SEPARATES_AUC = 0.6


@dataclass
class Rate:
    label: str
    leads: int = 0
    decided: int = 0
    converted: int = 0

    @property
    def rate(self) -> float | None:
        return self.converted / self.decided if self.decided else None


@dataclass
class Calibration:
    version: int
    mql: int
    sql: int
    zones: list[Rate]
    converted_scores: list[int]
    other_scores: list[int]
    auc: float | None
    suggested_sql: int | None
    separates: bool
    verdict: str


@dataclass
class MarketingReport:
    since: date | None
    until: date | None
    leads: int
    bands: list[Rate]
    sources: list[Rate]
    quality: dict[str, Counter[str]]  # source → sales' quality marks
    rejected: list[tuple[str, int]]  # sales' reasons
    disqualified: list[tuple[str, int]]  # marketing's reasons
    pain_points: list[tuple[str, int]]
    pain_by_industry: dict[str, list[tuple[str, int]]]
    pain_by_segment: dict[str, list[tuple[str, int]]]
    quarters: list[str]
    pain_over_time: dict[str, list[int]]  # tag → count per quarter
    micro_trends: list[tuple[str, int]]
    calibration: Calibration
    notes: list[str] = field(default_factory=list)


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """P(a random positive scores above a random negative), ties half (Mann–Whitney U / n·m)."""
    if not positives or not negatives:
        return None
    ranked = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + 1 + j) / 2  # average rank of the tie group (1-based)
        rank_sum += mid * sum(flag for _, flag in ranked[i:j])
        i = j
    n, m = len(positives), len(negatives)
    return (rank_sum - n * (n + 1) / 2) / (n * m)


def best_threshold(positives: Sequence[int], negatives: Sequence[int]) -> int | None:
    """The cut-off t (score ≥ t) with the largest Youden's J; the lowest such t on ties."""
    if not positives or not negatives:
        return None
    best, best_j = None, -2.0
    for t in sorted(set(positives) | set(negatives)):
        tpr = sum(s >= t for s in positives) / len(positives)
        fpr = sum(s >= t for s in negatives) / len(negatives)
        if tpr - fpr > best_j:
            best, best_j = t, tpr - fpr
    return best


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _window(column, since: date | None, until: date | None) -> list:  # type: ignore[no-untyped-def]
    where = []
    if since:
        where.append(column >= since)
    if until:
        where.append(column < until + timedelta(days=1))
    return where


def _decided_on(row) -> date:  # type: ignore[no-untyped-def]
    moment: datetime = row.stage_changed_at or row.accepted_at or row.rejected_at or row.captured_at
    return moment.date()


def calibrate(session: Session, actor: Actor, where: list) -> Calibration:  # type: ignore[type-arg]
    current = definition(session)
    rows = session.execute(
        select(*FACT_COLUMNS, Lead.stage_changed_at, Lead.accepted_at).where(
            *where,
            Lead.stage.in_([LeadStage.opportunity.value, LeadStage.disqualified.value]),
        )
    ).all()
    zones = [
        Rate(f"below mql (< {current.mql})"),
        Rate(f"mql to sql ({current.mql}–{current.sql - 1})"),
        Rate(f"sql and above (≥ {current.sql})"),
    ]
    won: list[int] = []
    lost: list[int] = []
    for row in rows:
        score = current.score(Facts.of(row._mapping), _decided_on(row)).score
        zone = zones[2 if score >= current.sql else 1 if score >= current.mql else 0]
        zone.leads += 1
        zone.decided += 1
        if row.stage == LeadStage.opportunity.value:
            zone.converted += 1
            won.append(score)
        else:
            lost.append(score)
    area = auc(won, lost)
    rates = [z.rate for z in zones if z.rate is not None]
    rising = len(rates) == 3 and rates[0] < rates[1] < rates[2]
    separates = bool(rising and area is not None and area >= SEPARATES_AUC)
    if area is None:
        verdict = "Not enough decided leads (converted and disqualified) to judge the thresholds."
    else:
        shares = ", ".join(f"{_pct(z.rate)} {z.label}" for z in reversed(zones))
        how = "separate" if separates else "do not clearly separate"
        verdict = (
            f"Version {current.version}'s thresholds {how} converting from non-converting "
            f"leads: converted {shares}; AUC {area:.2f}."
        )
    return Calibration(
        version=current.version,
        mql=current.mql,
        sql=current.sql,
        zones=zones,
        converted_scores=won,
        other_scores=lost,
        auc=area,
        suggested_sql=best_threshold(won, lost),
        separates=separates,
        verdict=verdict,
    )


def _quarter(moment: datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def marketing_report(
    session: Session, actor: Actor, *, since: date | None = None, until: date | None = None
) -> MarketingReport:
    where = [visible_leads(actor), *_window(Lead.captured_at, since, until)]
    rows = session.execute(
        select(
            Lead.source, Lead.stage, Lead.score, Lead.rejected_at, Lead.disqualified_reason
        ).where(*where)
    ).all()
    bands: dict[int, Rate] = {}
    sources: dict[str, Rate] = {}
    rejected: Counter[str] = Counter()
    disqualified: Counter[str] = Counter()
    for source, stage, score, rejected_at, reason in rows:
        low = (score // BAND_WIDTH) * BAND_WIDTH if score is not None else -1
        label = f"{low}–{low + BAND_WIDTH - 1}" if low >= 0 else "not scored"
        for rate in (bands.setdefault(low, Rate(label)), sources.setdefault(source, Rate(source))):
            rate.leads += 1
            if stage in (LeadStage.opportunity.value, LeadStage.disqualified.value):
                rate.decided += 1
            if stage == LeadStage.opportunity.value:
                rate.converted += 1
        if rejected_at is not None:
            rejected[reason or "no reason given"] += 1
        elif stage == LeadStage.disqualified.value:
            disqualified[reason or "no reason given"] += 1

    quality: dict[str, Counter[str]] = defaultdict(Counter)
    for source, mark in session.execute(
        select(Lead.source, SalesFeedback.quality)
        .join(SalesFeedback, SalesFeedback.lead_id == Lead.id)
        .where(*where, SalesFeedback.quality.is_not(None))
    ):
        quality[source][mark] += 1

    heard = session.execute(
        select(
            SalesFeedback.occurred_at,
            SalesFeedback.pain_points,
            SalesFeedback.micro_trends,
            func.coalesce(Account.industry, Lead.industry),
            func.coalesce(Account.segment, Lead.segment),
        )
        .outerjoin(Account, Account.id == SalesFeedback.account_id)
        .outerjoin(Lead, Lead.id == SalesFeedback.lead_id)
        .where(
            visible_feedback(actor),
            *_window(SalesFeedback.occurred_at, since, until),
            or_(SalesFeedback.pain_points.is_not(None), SalesFeedback.micro_trends.is_not(None)),
        )
    ).all()
    pains: Counter[str] = Counter()
    trends: Counter[str] = Counter()
    by_industry: dict[str, Counter[str]] = defaultdict(Counter)
    by_segment: dict[str, Counter[str]] = defaultdict(Counter)
    by_quarter: dict[str, Counter[str]] = defaultdict(Counter)
    for at, pain_points, micro_trends, industry, segment in heard:
        trends.update(split_tags(micro_trends))
        for tag in split_tags(pain_points):
            pains[tag] += 1
            by_industry[industry or "unknown"][tag] += 1
            by_segment[segment or "unknown"][tag] += 1
            by_quarter[_quarter(at)][tag] += 1
    quarters = sorted(by_quarter)
    top = [tag for tag, _ in pains.most_common(TOP)]
    return MarketingReport(
        since=since,
        until=until,
        leads=len(rows),
        bands=[bands[k] for k in sorted(bands)],
        sources=sorted(sources.values(), key=lambda r: -r.leads),
        quality=dict(quality),
        rejected=rejected.most_common(),
        disqualified=disqualified.most_common(),
        pain_points=pains.most_common(),
        pain_by_industry={k: v.most_common(3) for k, v in sorted(by_industry.items())},
        pain_by_segment={k: v.most_common(3) for k, v in sorted(by_segment.items())},
        quarters=quarters,
        pain_over_time={tag: [by_quarter[q][tag] for q in quarters] for tag in top},
        micro_trends=trends.most_common(10),
        calibration=calibrate(session, actor, where),
    )


def _rate_dict(rate: Rate) -> dict[str, object]:
    return {
        "label": rate.label,
        "leads": rate.leads,
        "decided": rate.decided,
        "converted": rate.converted,
        "rate": rate.rate,
    }


def report_dict(rep: MarketingReport) -> dict[str, object]:
    """The report as JSON-ready data (the API's answer)."""
    cal = rep.calibration
    return {
        "since": rep.since.isoformat() if rep.since else None,
        "until": rep.until.isoformat() if rep.until else None,
        "leads": rep.leads,
        "conversion_by_score_band": [_rate_dict(r) for r in rep.bands],
        "conversion_by_source": [_rate_dict(r) for r in rep.sources],
        "quality_by_source": {k: dict(v) for k, v in rep.quality.items()},
        "rejected_reasons": [{"reason": r, "count": n} for r, n in rep.rejected],
        "disqualified_reasons": [{"reason": r, "count": n} for r, n in rep.disqualified],
        "pain_points": [{"tag": t, "count": n} for t, n in rep.pain_points],
        "pain_points_by_industry": {
            k: [{"tag": t, "count": n} for t, n in v] for k, v in rep.pain_by_industry.items()
        },
        "pain_points_by_segment": {
            k: [{"tag": t, "count": n} for t, n in v] for k, v in rep.pain_by_segment.items()
        },
        "quarters": rep.quarters,
        "pain_points_over_time": rep.pain_over_time,
        "micro_trends": [{"tag": t, "count": n} for t, n in rep.micro_trends],
        "calibration": {
            "definition_version": cal.version,
            "mql": cal.mql,
            "sql": cal.sql,
            "zones": [_rate_dict(z) for z in cal.zones],
            "converted": len(cal.converted_scores),
            "not_converted": len(cal.other_scores),
            "auc": cal.auc,
            "suggested_sql": cal.suggested_sql,
            "separates": cal.separates,
            "verdict": cal.verdict,
        },
    }
