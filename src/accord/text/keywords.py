"""The keyword baseline the classifier is measured against (``docs/text.md``).

A driver is tagged when the comment contains one of its words or phrases (whole words, case
ignored; a trailing ``*`` matches any ending). Sentiment counts positive and negative polarity
words, with a negator (not, no, never, n't) within the three words before flipping the word;
more positive than negative → positive, more negative → negative, otherwise neutral.

The lists were written from the drivers' definitions and ordinary B2B vocabulary, then checked
once against the ``train`` split (words that mark a driver there were added, a pattern that
matched "committee" was fixed); never tuned on the held-out split. They are meant to be a fair,
simple rival.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.text.classifier import Tag
from accord.vocabulary import DRIVERS

DRIVER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "product": (
        "quality", "defect*", "tolerance*", "spec", "specs", "specification*", "feature*",
        "bug", "bugs", "crash*", "reliab*", "durab*", "performance", "material*", "finish",
        "works", "broke*", "broken", "faulty", "part", "parts", "product*", "tool", "software",
        "module", "design", "accuracy", "accurate", "function*", "scrap", "rework",
        "batch", "batches", "failure*", "coating", "sample*", "brand", "version", "update*",
        "grade", "equipment", "machine*", "device*",
    ),
    "price": (
        "price*", "pricing", "cost*", "expensive", "cheap*", "quote*", "quoted", "invoice*",
        "discount*", "budget*", "fee", "fees", "rate", "rates", "value for money", "margin*",
        "surcharge*", "increase", "per unit", "licen?e cost*", "afford*", "overcharg*",
        "billing", "billed", "pay", "paying", "%",
    ),
    "fulfilment": (
        "deliver*", "delivery", "deliveries", "ship*", "shipment*", "lead time*", "late",
        "on time", "on-time", "delay*", "arriv*", "dispatch*", "backorder*", "stock",
        "install*", "rollout", "go-live", "deadline*", "schedule*", "promised", "missing",
        "incomplete", "logistic*", "freight", "po", "order*", "implementation", "migration",
    ),
    "ease": (
        "easy", "easier", "simple", "simpl*", "hassle*", "complicated", "complex",
        "transparen*", "respons*", "respond*", "reply", "replied", "answer*", "portal",
        "paperwork", "process", "chase", "chasing", "clear", "unclear", "straightforward",
        "convenient", "smooth*", "quick*", "wait*", "hold", "ticket*", "support", "onboarding",
        "ordering", "tracking", "phone", "emails", "nobody", "self-service", "one call",
    ),
    "presence": (
        "board", "boss", "management", "leadership", "ceo", "cfo", "coo", "cio", "director*",
        "executive*", "showcase", "show", "present*", "report*", "dashboard*", "roi",
        "business case", "internal*", "credit", "shout-out", "recogni*", "visib*", "results",
        "savings", "qbr", "case study", "look good", "made us look", "my team",
    ),
    "trust": (
        "trust*", "honest*", "reliable", "rely", "professional*", "account manager*",
        "account team", "rep", "promise*", "commitment*", "committed", "kept their word",
        "integrity", "transparent", "confidence", "depend*", "relationship", "partner*",
        "knows our", "understand*", "competent", "credib*", "straight with", "follow-up",
        "followed up",
    ),
}  # fmt: skip

POSITIVE_WORDS: tuple[str, ...] = (
    "good", "great", "excellent", "happy", "pleased", "love*", "like", "thank*", "appreciat*",
    "helpful", "impress*", "smooth*", "easy", "fast", "quick*", "reliable", "perfect*", "best",
    "improv*", "solid", "clean", "fair", "recommend*", "well", "nice", "glad", "satisfied",
    "on time", "on-time", "works", "kudos", "praise*", "fantastic", "outstanding", "better",
    "spot on", "exceed*", "delight*", "proud", "win", "wins", "helped", "helps", "valuable",
)  # fmt: skip
NEGATIVE_WORDS: tuple[str, ...] = (
    "bad", "poor*", "terrible", "awful", "late", "delay*", "problem*", "issue*", "complain*",
    "disappoint*", "frustrat*", "unhappy", "angry", "worse", "worst", "fail*", "broke*",
    "broken", "defect*", "wrong", "missing", "never", "slow*", "expensive", "overpriced",
    "too high", "out of line", "unacceptable", "annoy*", "confus*", "unclear", "hassle*",
    "chase", "chasing", "escalat*", "cancel*", "churn*", "crash*", "bug", "bugs", "error*",
    "scrap", "rework", "quarantine*", "reject*", "concern*", "worried", "risk*", "lost",
    "no response", "ignored", "still not", "again", "mistake*", "incorrect", "unreliable",
)  # fmt: skip
NEGATORS = frozenset(
    {"not", "no", "never", "isn't", "wasn't", "don't", "didn't", "doesn't", "hardly", "without",
     "aren't", "weren't", "won't", "can't", "cannot"}
)  # fmt: skip


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = []
    for w in words:
        body = re.escape(w.rstrip("*")).replace(r"\?", ".")
        tail = r"\w*" if w.endswith("*") else ""
        left = r"\b" if w[0].isalnum() else ""
        right = r"\b" if (w.rstrip("*")[-1].isalnum() and not w.endswith("*")) else ""
        alternatives.append(f"{left}{body}{tail}{right}")
    return re.compile("|".join(alternatives), re.IGNORECASE)


_DRIVER_RE = {d: _pattern(DRIVER_KEYWORDS[d]) for d in DRIVERS}
_POS_RE = _pattern(POSITIVE_WORDS)
_NEG_RE = _pattern(NEGATIVE_WORDS)
_WORD = re.compile(r"[\w']+")


def _polarity_hits(text: str, pattern: re.Pattern[str]) -> tuple[int, int]:
    """(plain hits, negated hits) of ``pattern`` in ``text``."""
    plain = negated = 0
    for m in pattern.finditer(text):
        before = _WORD.findall(text[: m.start()].lower())[-3:]
        if any(w in NEGATORS or w.endswith("n't") for w in before):
            negated += 1
        else:
            plain += 1
    return plain, negated


def keyword_tag(text: str) -> Tag:
    drivers = [d for d in DRIVERS if _DRIVER_RE[d].search(text)]
    pos, pos_negated = _polarity_hits(text, _POS_RE)
    neg, neg_negated = _polarity_hits(text, _NEG_RE)
    score = (pos + neg_negated) - (neg + pos_negated)
    sentiment = "positive" if score > 0 else "negative" if score < 0 else "neutral"
    return Tag(drivers=drivers, sentiment=sentiment, confidence=1.0)


def keyword_tags(texts: Sequence[str]) -> list[Tag]:
    return [keyword_tag(t) for t in texts]
