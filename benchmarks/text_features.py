"""Which features the text classifier keeps: 5-fold cross-validation on the labelled set's
``train`` split only (the ``test`` split stays unseen), for

* ``embedding`` — the 384-dimensional sentence embedding alone;
* ``embedding+tfidf`` — the embedding concatenated with word 1–2-gram and character 2–5-gram
  TF-IDF, at a few block weights;
* ``tfidf`` alone (embedding block weight 0), to show what the embedding adds.

Each fold trains the real classifier (thresholds chosen by an inner cross-validation on the
fold's training part) and scores the held-back fold: driver macro-F1 and sentiment accuracy.
Prints the mean ± standard deviation over the folds.

    python benchmarks/text_features.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from sklearn.model_selection import KFold

CONFIGS = {
    "embedding": {"features": "embedding"},
    "embedding+tfidf w=0.7": {"features": "embedding+tfidf", "tfidf_weight": 0.7},
    "embedding+tfidf w=1.0": {"features": "embedding+tfidf", "tfidf_weight": 1.0},
    "embedding+tfidf w=1.4": {"features": "embedding+tfidf", "tfidf_weight": 1.4},
    "embedding+tfidf w=2.0": {"features": "embedding+tfidf", "tfidf_weight": 2.0},
    "tfidf only": {"features": "embedding+tfidf", "tfidf_weight": 1.0, "embedding_weight": 0.0},
}


def main() -> None:
    from accord.text import classifier
    from accord.text.data import load_labelled
    from accord.text.encoder import encode
    from accord.text.evaluate import accuracy, driver_scores

    train = [ex for ex in load_labelled() if ex.split == "train"]
    emb = encode([ex.text for ex in train])
    print(f"train split: {len(train)} comments; 5-fold CV")
    folds = list(KFold(5, shuffle=True, random_state=1).split(emb))
    for name, params in CONFIGS.items():
        f1s, accs = [], []
        start = time.perf_counter()
        for fit, val in folds:
            model = classifier.train([train[i] for i in fit], embeddings=emb[fit], params=params)
            tags = model.predict_embedded([train[i].text for i in val], emb[val])
            truth = [train[i] for i in val]
            f1s.append(driver_scores([t.drivers for t in truth], [t.drivers for t in tags])
                       ["macro_f1"])  # fmt: skip
            accs.append(accuracy([t.sentiment for t in truth], [t.sentiment for t in tags]))
        print(f"{name:<24} macro-F1 {np.mean(f1s):.3f} ± {statistics.stdev(f1s):.3f}   "
              f"sentiment {np.mean(accs):.3f} ± {statistics.stdev(accs):.3f}   "
              f"({time.perf_counter() - start:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
