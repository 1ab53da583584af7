"""Free text is varied, natural and consistent with the drivers and sentiment behind it."""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from datetime import date

import pytest

from accord.synthetic import generate_world
from accord.synthetic.phrases import CLAUSES, GOODS, NEGATIVE, NEUTRAL, POSITIVE
from accord.synthetic.text import Speaker, compose
from accord.vocabulary import DRIVERS, Channel

TODAY = date(2026, 11, 23)
TOKEN = re.compile(r"\\\{[a-z_]+\\\}")


def pattern(clause: str) -> re.Pattern[str]:
    """A clause template as a case-insensitive regex; every token matches a few words."""
    body = clause[2:] if clause[1:2] == "|" else clause
    return re.compile(TOKEN.sub(r"[\\w%' -]+?", re.escape(body)), re.IGNORECASE)


PATTERNS = {
    (driver, polarity): [pattern(c) for c in clauses]
    for driver, banks in CLAUSES.items()
    for polarity, clauses in banks.items()
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, str]], dict]:
    folder = tmp_path_factory.mktemp("world")
    generate_world(folder, accounts=60, seed=11, today=TODAY)
    with (folder / "feedback.csv").open(encoding="utf-8", newline="") as fh:
        feedback = list(csv.DictReader(fh))
    return feedback, json.loads((folder / "truth.json").read_text("utf-8"))


def test_texts_are_varied(world) -> None:
    feedback, _ = world
    texts = [f["text"] for f in feedback if f["text"]][:1000]
    assert len(texts) == 1000
    assert len(set(texts)) >= 800
    lengths = [len(t.split()) for t in texts]
    assert min(lengths) <= 8 and max(lengths) >= 30
    openings = Counter(" ".join(t.split()[:2]) for t in texts)
    assert openings.most_common(1)[0][1] < 100  # no single stock opening


def test_texts_are_clean(world) -> None:
    feedback, _ = world
    for f in feedback:
        text = f["text"]
        if not text:
            continue
        assert "{" not in text and "}" not in text and "|" not in text, text
        assert text[0].isupper(), text
        signed = re.search(r"(Regards|Best|Kind regards), [A-Z][a-z]+$", text)
        assert text[-1] in ".?!" or signed or text.endswith("#b2b"), text
        assert "  " not in text and "\n" not in text


def test_every_text_has_labels_and_every_label_a_text(world) -> None:
    feedback, truth = world
    labels = truth["text_labels"]
    with_text = {f["feedback_id"] for f in feedback if f["text"]}
    assert set(labels) == with_text
    drivers = Counter(d for topics in labels.values() for d, _ in topics)
    assert set(DRIVERS) <= set(drivers) <= {*DRIVERS, None}
    assert all(1 <= len(t) <= 2 for t in labels.values())
    polarities = Counter(p for topics in labels.values() for _, p in topics)
    assert all(polarities[p] > 50 for p in (POSITIVE, NEGATIVE, NEUTRAL))
    assert sum(len(t) == 2 for t in labels.values()) > 0.1 * len(labels)


def test_text_agrees_with_its_labels(world) -> None:
    feedback, truth = world
    labels = truth["text_labels"]
    checked = 0
    for f in feedback:
        topics = labels.get(f["feedback_id"])
        if not topics or len(topics) != 1 or topics[0][0] is None:
            continue
        driver, polarity = topics[0]
        text = f["text"]
        assert any(p.search(text) for p in PATTERNS[(driver, polarity)]), (text, topics)
        opposite = NEGATIVE if polarity == POSITIVE else POSITIVE if polarity == NEGATIVE else None
        if opposite:
            assert not any(p.search(text) for p in PATTERNS[(driver, opposite)]), text
        checked += 1
    assert checked > 500


def test_survey_text_agrees_with_the_ratings(world) -> None:
    feedback, truth = world
    labels = truth["text_labels"]
    checked = 0
    for f in feedback:
        if f["channel"] != "survey" or f["feedback_id"] not in labels:
            continue
        for driver, polarity in labels[f["feedback_id"]]:
            if driver is None or not f[driver]:
                continue
            score = int(f[driver])
            expected = POSITIVE if score >= 4 else NEGATIVE if score <= 2 else NEUTRAL
            assert polarity == expected, (f["text"], driver, score)
            checked += 1
    assert checked > 100


def test_service_purchases_get_service_phrases() -> None:
    rng = random.Random(1)
    goods_only = "incoming inspection", "quarantine", "spec sheet", "spare parts for"
    for purchase_type in ("software_platform", "logistics_services", "facility_services"):
        assert purchase_type not in GOODS
        speaker = Speaker("Anna", "IT Security Manager", "Alice", purchase_type)
        for _ in range(300):
            driver = rng.choice(("product", "fulfilment"))
            text = compose(rng, Channel.survey, [(driver, NEGATIVE)], speaker)
            assert not any(g in text for g in goods_only), text


def test_account_manager_notes_speak_about_the_customer() -> None:
    rng = random.Random(2)
    speaker = Speaker("Jonas", "Purchasing Manager", "Alice", "mro_supplies")
    for polarity in (POSITIVE, NEGATIVE, NEUTRAL):
        for driver in DRIVERS:
            notes = [compose(rng, Channel.note, [(driver, polarity)], speaker) for _ in range(40)]
            assert not any(re.search(r"\byour?\b", n, re.IGNORECASE) for n in notes), notes
    notes = [compose(rng, Channel.note, [("price", NEGATIVE)], speaker) for _ in range(50)]
    assert any(re.search(r"\b(they|their|them)\b", n, re.IGNORECASE) for n in notes)


def test_compose_is_deterministic_for_a_seed() -> None:
    speaker = Speaker("Eva", "Senior Buyer", "Bruno", "precision_components")
    topics = [("trust", POSITIVE), ("fulfilment", NEGATIVE)]
    a = compose(random.Random(5), Channel.email, topics, speaker)
    assert a == compose(random.Random(5), Channel.email, topics, speaker)
    assert re.search(
        r", but |; however, |\. On the other hand, |, although |\. Still, |"
        r"\. That said, ",
        a,
    )
