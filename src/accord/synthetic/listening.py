"""Feedback from the village: relationship surveys, scenario surveys after fulfilments, and the
informal stream (notes, e-mails, calls, meetings, tickets, forum, social, events).

Every score and every comment derives from the speaker's latent perception on that day, so
ratings, NPS and text agree with each other and with the planted renewal model.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from accord.synthetic import catalog as C
from accord.synthetic import planted as M
from accord.synthetic.common import business_time, clip, day_between, poisson, weighted
from accord.synthetic.journey import Fulfilment
from accord.synthetic.phrases import NEGATIVE, NEUTRAL, POSITIVE
from accord.synthetic.text import Speaker, Topic, compose
from accord.synthetic.world import Account, Contact
from accord.vocabulary import DRIVERS, Channel, Role

SURVEY_MONTHS = (3, 9)  # relationship survey waves, twice a year
SCENARIO_RESPONSE = 0.4
LATE_RATING_SHIFT, INCOMPLETE_RATING_SHIFT, ON_TIME_RATING_SHIFT = -1.4, -0.8, 0.3
LATE_NPS_SHIFT, INCOMPLETE_NPS_SHIFT, ON_TIME_NPS_SHIFT = -2.5, -1.2, 0.3

_RESPONSE = {
    Role.user: 0.85,
    Role.champion: 0.8,
    Role.procurement: 0.6,
    Role.technical_buyer: 0.5,
    Role.gatekeeper: 0.45,
    Role.blocker: 0.4,
    Role.economic_buyer: 0.35,
    Role.executive: 0.25,
}
_TALK = {
    Role.user: 3.0,
    Role.procurement: 2.5,
    Role.technical_buyer: 2.0,
    Role.champion: 2.0,
    Role.gatekeeper: 1.0,
    Role.economic_buyer: 1.0,
    Role.blocker: 1.2,
    Role.executive: 0.5,
}
_SCENARIO_ROLES = {
    Role.user: 3.0,
    Role.technical_buyer: 2.0,
    Role.procurement: 1.5,
    Role.gatekeeper: 0.7,
    Role.champion: 1.0,
}
_INFORMAL = {
    Channel.note: 0.22,
    Channel.email: 0.2,
    Channel.call: 0.14,
    Channel.meeting: 0.11,
    Channel.ticket: 0.16,
    Channel.forum: 0.05,
    Channel.social: 0.04,
    Channel.event: 0.08,
}
_SALIENCE: dict[str, dict[str, float]] = {
    Channel.survey: {},
    Channel.note: {"trust": 1.3, "presence": 1.2},
    Channel.email: {"price": 1.5, "ease": 1.5, "fulfilment": 1.2},
    Channel.call: {"fulfilment": 1.5, "ease": 1.3},
    Channel.meeting: {"presence": 1.6, "trust": 1.5, "price": 1.2},
    Channel.ticket: {
        "product": 2.0,
        "fulfilment": 1.6,
        "ease": 1.6,
        "price": 0.3,
        "presence": 0.2,
        "trust": 0.4,
    },
    Channel.forum: {"product": 2.0, "ease": 1.5, "presence": 0.3},
    Channel.social: {"product": 1.5, "trust": 1.0, "presence": 0.4},
    Channel.event: {"product": 1.5, "presence": 1.3, "trust": 1.2},
}
_COMPLAINT_CHANNELS = (Channel.ticket, Channel.email, Channel.call, Channel.meeting)
_MOOD_SHIFT = {Channel.ticket: -0.9, Channel.event: 0.2, Channel.social: 0.1}


@dataclass
class FeedbackRow:
    account_id: str
    contact_id: str
    channel: str
    occurred_at: datetime
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    text: str | None = None
    fulfilment_id: str | None = None
    topics: list[Topic] = field(default_factory=list)
    id: str = ""


def rating(rng: random.Random, p: float, shift: float = 0.0) -> int:
    x = M.RATING_CENTRE + M.RATING_SLOPE * p + rng.gauss(0, M.RATING_SD) + shift
    return int(clip(round(x), 1, 5))


def nps(rng: random.Random, perception: list[float], shift: float = 0.0) -> int:
    x = M.NPS_CENTRE + M.NPS_SLOPE * M.sentiment(perception) + rng.gauss(0, M.NPS_SD) + shift
    return int(clip(round(x), 0, 10))


def polarity(score: int) -> str:
    return POSITIVE if score >= 4 else NEGATIVE if score <= 2 else NEUTRAL


def pick_topics(
    rng: random.Random, ratings: dict[str, int], salience: dict[str, float], two: float = 0.3
) -> list[Topic]:
    """One or two drivers to talk about: salient for the channel and strongly felt."""
    drivers = list(ratings)
    weights = [salience.get(d, 1.0) * (abs(ratings[d] - 3) + 0.4) for d in drivers]
    first = weighted(rng, drivers, weights)
    topics: list[Topic] = [(first, polarity(ratings[first]))]
    if rng.random() < two and len(drivers) > 1:
        i = drivers.index(first)
        rest, rest_w = drivers[:i] + drivers[i + 1 :], weights[:i] + weights[i + 1 :]
        second = weighted(rng, rest, rest_w)
        topics.append((second, polarity(ratings[second])))
    elif topics[0][1] == NEUTRAL and rng.random() < 0.3:
        topics = [(None, NEUTRAL)]
    return topics


class Listener:
    """Generates one account's feedback."""

    def __init__(self, rng: random.Random, account: Account, today: date) -> None:
        self.rng = rng
        self.account = account
        self.today = today
        self.start = account.first_day(today)
        self.end = account.last_day(today)
        owner = account.owner_email.split(".")[0].capitalize()
        self.speakers = {
            c.id: Speaker(c.first_name, c.title, owner, account.purchase_type)
            for c in account.contacts
        }
        self.rows: list[FeedbackRow] = []

    def _window(self, c: Contact) -> tuple[date, date]:
        hi = min(self.end, self.today, c.active_to or self.today)
        return max(self.start, c.active_from), hi

    def _text(self, channel: str, c: Contact, topics: list[Topic]) -> str:
        return compose(self.rng, channel, topics, self.speakers[c.id])

    def surveys(self) -> None:
        rng, a = self.rng, self.account
        for year in range(self.start.year, self.today.year + 1):
            for month in SURVEY_MONTHS:
                wave = date(year, month, 10)
                if not self.start <= wave <= self.end:
                    continue
                for c in a.active_contacts(wave):
                    if rng.random() >= _RESPONSE.get(c.role, 0.6):
                        continue
                    lo, hi = self._window(c)
                    day = min(wave + timedelta(days=rng.randint(0, 14)), hi)
                    if day < lo:
                        continue
                    p = a.perception(c, day)
                    scores = {d: rating(rng, x) for d, x in zip(DRIVERS, p, strict=True)}
                    row = FeedbackRow(
                        a.id, c.id, Channel.survey, business_time(rng, day, lo, hi), nps=nps(rng, p)
                    )
                    row.ratings = {d: s for d, s in scores.items() if rng.random() >= 0.04}
                    if rng.random() < 0.65:
                        row.topics = pick_topics(rng, scores, _SALIENCE[Channel.survey])
                        row.text = self._text(Channel.survey, c, row.topics)
                    self.rows.append(row)

    def scenarios(self, fulfilments: list[Fulfilment]) -> None:
        rng, a = self.rng, self.account
        for f in fulfilments:
            if f.delivered_at is None or rng.random() >= SCENARIO_RESPONSE:
                continue
            at = f.delivered_at + timedelta(hours=rng.randint(2, 72))
            day = at.date()
            if day > min(self.end, self.today):
                continue
            people = [c for c in a.active_contacts(day) if c.role in _SCENARIO_ROLES]
            if not people:
                continue
            c = weighted(rng, people, [_SCENARIO_ROLES[c.role] for c in people])
            p = a.perception(c, day)
            late, incomplete = f.late, not f.complete
            r_shift = (LATE_RATING_SHIFT if late else ON_TIME_RATING_SHIFT) + (
                INCOMPLETE_RATING_SHIFT if incomplete else 0.0
            )
            n_shift = (LATE_NPS_SHIFT if late else ON_TIME_NPS_SHIFT) + (
                INCOMPLETE_NPS_SHIFT if incomplete else 0.0
            )
            fulfil = rating(rng, p[DRIVERS.index("fulfilment")], r_shift)
            row = FeedbackRow(a.id, c.id, Channel.scenario, at, fulfilment_id=f.id)
            kind = rng.random()
            if kind < 0.8:
                row.nps = nps(rng, p, n_shift)
            if kind < 0.55 or kind >= 0.8:
                row.ratings = {"fulfilment": fulfil}
            if rng.random() < 0.45:
                row.topics = [("fulfilment", polarity(fulfil))]
                if rng.random() < 0.2:
                    other = rng.choice(("product", "ease"))
                    row.topics.append((other, polarity(rating(rng, p[DRIVERS.index(other)]))))
                row.text = self._text(Channel.scenario, c, row.topics)
            self.rows.append(row)

    def complaints(self) -> None:
        """A stakeholder hit by an incident complains soon after (and sometimes again)."""
        rng, a = self.rng, self.account
        for c in a.contacts:
            if c.shock is None or c.shock_from is None:
                continue
            hit = [d for d, s in zip(DRIVERS, c.shock, strict=True) if s == M.SHOCK_STRONG]
            lo, hi = self._window(c)
            day = c.shock_from + timedelta(days=rng.randint(1, 21))
            for _ in range(1 + (rng.random() < 0.5)):
                if day > hi:
                    break
                channel = rng.choice(_COMPLAINT_CHANNELS)
                topics: list[Topic] = [(d, NEGATIVE) for d in rng.sample(hit, rng.choice((1, 2)))]
                row = FeedbackRow(a.id, c.id, channel, business_time(rng, day, lo, hi))
                row.topics = topics
                row.text = self._text(channel, c, topics)
                self.rows.append(row)
                day += timedelta(days=rng.randint(20, 90))

    def informal(self) -> None:
        rng, a = self.rng, self.account
        per_year = C.SEGMENT_BY_NAME[a.segment].informal_per_year
        span = (self.end - self.start).days
        for _ in range(poisson(rng, per_year * rng.uniform(0.6, 1.5) * span / 365.25)):
            day = day_between(rng, self.start, self.end)
            people = a.active_contacts(day)
            if not people:
                continue
            c = weighted(rng, people, [_TALK[c.role] for c in people])
            channel = weighted(rng, list(_INFORMAL), list(_INFORMAL.values()))
            p = a.perception(c, day)
            shift = _MOOD_SHIFT.get(channel, 0.0)
            virtual = {d: rating(rng, x, shift) for d, x in zip(DRIVERS, p, strict=True)}
            lo, hi = self._window(c)
            topics = pick_topics(rng, virtual, _SALIENCE[channel])
            if channel == Channel.ticket and any(t[1] == POSITIVE for t in topics):
                channel = Channel.email  # nobody opens a ticket to say thanks
            row = FeedbackRow(a.id, c.id, channel, business_time(rng, day, lo, hi), topics=topics)
            row.text = self._text(channel, c, row.topics)
            ease = p[DRIVERS.index("ease")]
            if channel == Channel.ticket and rng.random() < 0.45:
                row.csat = int(clip(round(3.5 + 1.1 * ease + rng.gauss(0, 0.6)), 1, 5))
            if channel == Channel.ticket and rng.random() < 0.35:
                row.ces = int(clip(round(4.6 + 1.4 * ease + rng.gauss(0, 0.8)), 1, 7))
            if channel == Channel.call and rng.random() < 0.1:
                row.csat = int(clip(round(3.7 + 1.1 * ease + rng.gauss(0, 0.6)), 1, 5))
            self.rows.append(row)


def make_feedback(
    rng: random.Random, accounts: list[Account], fulfilments: list[Fulfilment], today: date
) -> list[FeedbackRow]:
    by_account: dict[str, list[Fulfilment]] = {}
    for f in fulfilments:
        by_account.setdefault(f.account_id, []).append(f)
    rows: list[FeedbackRow] = []
    for account in accounts:
        listener = Listener(rng, account, today)
        listener.surveys()
        listener.scenarios(by_account.get(account.id, []))
        listener.informal()
        listener.complaints()
        rows.extend(listener.rows)
    rows.sort(key=lambda r: (r.occurred_at, r.account_id, r.contact_id, r.channel))
    for i, row in enumerate(rows, start=1):
        row.id = f"FB-{i:06d}"
    return rows
