"""A synthetic B2B world with planted truth, for the demo and for validating the analytics.

``generate_world(out_dir, accounts=240, seed=7, today=None)`` writes import-ready CSV files
(accounts, contacts, opportunities, fulfilments, feedback, influence profiles) and
``truth.json`` with the model that generated them. See ``docs/synthetic.md``.
"""

from accord.synthetic.generate import WorldSummary, generate_world

__all__ = ["WorldSummary", "generate_world"]
