"""The comment grammar: turns (driver, polarity) topics into natural, varied free text.

A comment is a channel frame around a body; the body is an optional opener, one or two driver
clauses joined by a connector that fits their polarities, and an optional closing. Each clause
comes from the driver's phrase bank for the polarity that produced it, so the text stays
consistent with the labels recorded in ``truth.json`` (a text classifier trains on them).
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from accord.synthetic import lexicon as L
from accord.synthetic import phrases as P

Topic = tuple[str | None, str]  # (driver or None for a general remark, polarity)

_VOICE = {
    "first": {"we": "we", "our": "our", "us": "us", "you": "you", "your": "your", "you_": "you"},
    "reported": {
        "we": "they",
        "our": "their",
        "us": "them",
        "you": "we",
        "your": "our",
        "you_": "us",
    },
}
_THIRD_PERSON_BOSSES = tuple(b for b in L.BOSSES if not b.startswith("my "))
_SENTENCE_START = re.compile(r"(^|[.!?:]\s+)([a-z])")


@dataclass(frozen=True)
class Speaker:
    """Who speaks, and about what kind of purchase."""

    first_name: str
    title: str
    owner_first_name: str
    purchase_type: str


def _slots(rng: random.Random, voice: str, speaker: Speaker) -> dict[str, str]:
    slots = dict(_VOICE[voice])
    if voice == "first":
        rep = rng.choice(
            (
                speaker.owner_first_name,
                speaker.owner_first_name,
                "your account manager",
                "your rep",
                "the account manager",
            )
        )
    else:
        rep = rng.choice(("our account manager", "the account team"))  # the owner writes
    slots.update(
        item=rng.choice(L.ITEMS[speaker.purchase_type]),
        cert=rng.choice(L.CERTS[speaker.purchase_type]),
        doc=rng.choice(L.DOCS),
        tool=rng.choice(L.TOOLS),
        boss=rng.choice(L.BOSSES if voice == "first" else _THIRD_PERSON_BOSSES),
        site=rng.choice(L.SITES),
        month=rng.choice(L.MONTHS),
        n=rng.choice(L.NUMBER_WORDS),
        days=str(rng.randint(2, 14)),
        weeks=str(rng.randint(3, 12)),
        pct=str(rng.randint(2, 9)),
        hours=str(rng.choice((4, 6, 8, 12, 16, 24, 36, 48))),
        rep=rep,
        first=speaker.first_name,
        title=speaker.title,
        owner=speaker.owner_first_name,
    )
    return slots


@functools.cache
def _bank(driver: str, polarity: str, goods: bool) -> tuple[str, ...]:
    """The clauses that fit goods (or services), with their tag removed."""
    skip = "s|" if goods else "g|"
    return tuple(
        c[2:] if c[1:2] == "|" else c for c in P.CLAUSES[driver][polarity] if not c.startswith(skip)
    )


def _clause(rng: random.Random, topic: Topic, goods: bool) -> str:
    driver, polarity = topic
    if driver is None:
        return rng.choice(P.GENERAL_NEUTRAL)
    return rng.choice(_bank(driver, polarity, goods))


def _capitalise(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def compose(rng: random.Random, channel: str, topics: list[Topic], speaker: Speaker) -> str:
    """One comment about ``topics`` (one or two), in the voice and frame of ``channel``."""
    voice = "reported" if channel in L.REPORTED_CHANNELS else "first"
    short = channel in ("scenario", "social")
    goods = speaker.purchase_type in P.GOODS
    frame = rng.choice(L.FRAMES[channel])
    opener = rng.choice(L.OPENERS[voice])
    if channel == "scenario" or (short and rng.random() < 0.7):
        opener = ""  # a scenario answer is about one delivery, straight to the point
    elif ":" in opener and ": {body}" in frame:
        opener = ""  # never two colons in a row
    body = opener + _clause(rng, topics[0], goods)
    polarities = {t[1] for t in topics}
    if len(topics) > 1:
        kind = "same" if len(polarities) == 1 else "contrast"
        body += rng.choice(L.CONNECTORS[kind]) + _clause(rng, topics[1], goods)
    body += "."
    if rng.random() < (0.15 if short else 0.3):
        closing = polarities.pop() if len(polarities) == 1 else P.NEUTRAL
        body += " " + rng.choice(L.CLOSINGS[closing])
    if channel == "forum" and topics[0][1] == P.NEGATIVE and rng.random() < 0.4:
        body += " Has anyone else seen this?"
    text = frame.replace("{body}", body).format_map(_slots(rng, voice, speaker))
    return _capitalise(text)
