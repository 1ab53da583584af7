"""Held-out evaluation: our classifier beside a keyword baseline and VADER, in the same run.

* **Driver macro-F1** = the mean over the six drivers of F1 = 2·TP / (2·TP + FP + FN), each
  driver's F1 counted over every held-out comment (a comment may carry 0–6 drivers).
* **Sentiment accuracy** = the share of held-out comments whose predicted sentiment equals the
  label.
* **VADER**: ``vaderSentiment``'s compound score with the standard cut-offs: ≥ 0.05 positive,
  ≤ −0.05 negative, otherwise neutral (sentiment only; VADER knows no drivers).
* **Out of domain**: the same figures on the comments of a synthetic world
  (``accord.synthetic``), whose ``truth.json`` records the (driver, polarity) topics each comment
  was written from. Drivers are the topics' drivers; the sentiment is the topics' common polarity
  (a negative and a neutral topic → negative, positive and neutral → positive); comments mixing
  positive and negative topics are left out of the sentiment accuracy and counted.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from accord.text.classifier import Tag, TextModel, f1
from accord.text.data import Example
from accord.text.keywords import keyword_tags
from accord.vocabulary import DRIVERS

TARGET_MACRO_F1 = 0.80
TARGET_VADER_MARGIN = 0.10


def driver_scores(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict:
    per = {}
    for d in DRIVERS:
        t = np.array([d in x for x in truth], dtype=bool)
        p = np.array([d in x for x in predicted], dtype=bool)
        per[d] = round(f1(t, p), 4)
    return {"macro_f1": round(float(np.mean(list(per.values()))), 4), "f1_by_driver": per}


def accuracy(truth: Sequence[str], predicted: Sequence[str]) -> float:
    if not truth:
        return float("nan")
    return round(sum(a == b for a, b in zip(truth, predicted, strict=True)) / len(truth), 4)


def vader_sentiments(texts: Sequence[str]) -> list[str] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:  # a development dependency; the report says it was skipped
        return None
    analyser = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        c = analyser.polarity_scores(text)["compound"]
        out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
    return out


def compare(
    texts: Sequence[str],
    drivers: Sequence[Sequence[str]],
    sentiments: Sequence[str | None],
    ours: Sequence[Tag],
) -> dict[str, Any]:
    """Our tags, the keyword baseline and VADER on the same comments. ``None`` sentiments are
    left out of the accuracies."""
    keep = [i for i, s in enumerate(sentiments) if s is not None]
    truth_s = [str(sentiments[i]) for i in keep]
    kw = keyword_tags(texts)
    vader = vader_sentiments([texts[i] for i in keep])
    result: dict[str, Any] = {
        "n": len(texts),
        "n_sentiment": len(keep),
        "classifier": {
            **driver_scores(drivers, [t.drivers for t in ours]),
            "sentiment_accuracy": accuracy(truth_s, [ours[i].sentiment for i in keep]),
        },
        "keywords": {
            **driver_scores(drivers, [t.drivers for t in kw]),
            "sentiment_accuracy": accuracy(truth_s, [kw[i].sentiment for i in keep]),
        },
        "vader": {"sentiment_accuracy": None if vader is None else accuracy(truth_s, vader)},
    }
    return result


def held_out(model: TextModel, test: Sequence[Example]) -> dict[str, Any]:
    """The figures on the held-out split, with the targets and whether they are met."""
    texts = [ex.text for ex in test]
    report = compare(texts, [ex.drivers for ex in test], [ex.sentiment for ex in test],
                     model.predict(texts))  # fmt: skip
    ours = report["classifier"]
    vader = report["vader"]["sentiment_accuracy"]
    report["targets"] = {
        "macro_f1": TARGET_MACRO_F1,
        "macro_f1_met": ours["macro_f1"] >= TARGET_MACRO_F1,
        "sentiment_over_vader": TARGET_VADER_MARGIN,
        "sentiment_met": None if vader is None else ours["sentiment_accuracy"] >= vader + 0.10,
    }
    return report


def synthetic_set(accounts: int = 60, seed: int = 7) -> tuple[list[str], list[list[str]],
                                                               list[str | None]]:  # fmt: skip
    """Texts, drivers and sentiments (None where polarities conflict) of a synthetic world."""
    from accord.synthetic import generate_world

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate_world(out, accounts=accounts, seed=seed)
        labels = json.loads((out / "truth.json").read_text())["text_labels"]
        with (out / "feedback.csv").open(newline="", encoding="utf-8") as f:
            text_of = {r["feedback_id"]: r["text"] for r in csv.DictReader(f) if r["text"]}
    texts, drivers, sentiments = [], [], []
    for fid, topics in labels.items():
        if fid not in text_of:
            continue
        polarities = {pol for _, pol in topics}
        texts.append(text_of[fid])
        drivers.append(sorted({d for d, _ in topics if d}))
        if {"positive", "negative"} <= polarities:
            sentiments.append(None)
        elif "positive" in polarities:
            sentiments.append("positive")
        elif "negative" in polarities:
            sentiments.append("negative")
        else:
            sentiments.append("neutral")
    return texts, drivers, sentiments


def out_of_domain(model: TextModel, accounts: int = 60, seed: int = 7) -> dict[str, Any]:
    texts, drivers, sentiments = synthetic_set(accounts, seed)
    report = compare(texts, drivers, sentiments, model.predict(texts))
    report["world"] = {"accounts": accounts, "seed": seed}
    return report
