"""Evaluation formulas, the keyword baseline and the synthetic out-of-domain set."""

from __future__ import annotations

import numpy as np

from accord.text.classifier import f1
from accord.text.evaluate import accuracy, driver_scores, synthetic_set
from accord.text.keywords import keyword_tag


def test_f1_is_two_tp_over_two_tp_plus_errors() -> None:
    truth = np.array([1, 1, 0, 0, 1], dtype=bool)
    pred = np.array([1, 0, 1, 0, 1], dtype=bool)
    assert f1(truth, pred) == 2 * 2 / (2 * 2 + 1 + 1)
    assert f1(np.zeros(3, bool), np.zeros(3, bool)) == 1.0


def test_macro_f1_averages_the_six_drivers() -> None:
    truth = [["price"], ["product", "trust"], []]
    pred = [["price"], ["product"], ["ease"]]
    scores = driver_scores(truth, pred)
    # price 1, product 1, trust 0 (one FN), ease 0 (one FP), fulfilment and presence 1 (absent).
    assert scores["f1_by_driver"] == {"product": 1.0, "price": 1.0, "fulfilment": 1.0,
                                      "ease": 0.0, "presence": 1.0, "trust": 0.0}  # fmt: skip
    assert scores["macro_f1"] == round(4 / 6, 4)
    assert accuracy(["positive", "neutral"], ["positive", "negative"]) == 0.5


def test_the_keyword_baseline_tags_obvious_comments() -> None:
    late = keyword_tag("The delivery was late again and nobody told us.")
    assert "fulfilment" in late.drivers and late.sentiment == "negative"
    price = keyword_tag("Your price increase of 12% is not fair.")
    assert "price" in price.drivers and price.sentiment == "negative"  # "fair" is negated
    good = keyword_tag("Great quality, thank you.")
    assert good.drivers == ["product"] and good.sentiment == "positive"


def test_the_synthetic_set_carries_drivers_and_one_polarity() -> None:
    texts, drivers, sentiments = synthetic_set(accounts=8, seed=3)
    assert len(texts) == len(drivers) == len(sentiments) > 20
    assert all(t.strip() for t in texts)
    assert set(sentiments) <= {"positive", "negative", "neutral", None}
    assert any(drivers)
