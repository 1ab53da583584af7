"""Does text sentiment improve the insights? AXI's ROC AUC for renewal and veto-risk recall on
synthetic worlds, without and with the text classifier's tags (``docs/text.md``, "Insights").

For each seed: generate a 240-account world, import it into a scratch SQLite database, score
every decided renewal on the day before it (``account_metrics`` as of that day); then tag every
comment with ``classify_pending`` and score again.

    python benchmarks/text_insights.py 1 2 3 7
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sklearn.metrics import roc_auc_score
from sqlalchemy.orm import Session

TODAY = date(2026, 11, 23)


def main(seeds: list[int]) -> None:
    from accord.auth.access import OPERATOR
    from accord.db import make_engine
    from accord.imports.service import import_files
    from accord.insights.frames import load_portfolio
    from accord.insights.metrics import account_metrics
    from accord.insights.risk import renewal_outcomes
    from accord.migrations import upgrade
    from accord.synthetic import generate_world
    from accord.text import service

    for seed in seeds:
        tmp = Path(tempfile.mkdtemp())
        summary = generate_world(tmp / "world", accounts=240, seed=seed, today=TODAY)
        truth = json.loads(summary.paths["truth"].read_text())
        engine = make_engine(f"sqlite:///{tmp / 'accord.db'}")
        upgrade(engine)
        assert import_files(engine, [p for n, p in summary.paths.items() if n != "truth"]).ok

        def figures(engine: Any = engine, truth: dict[str, Any] = truth) -> dict[str, Any]:
            with Session(engine) as s:
                pf = load_portfolio(s, OPERATOR, today=TODAY)
            out = renewal_outcomes(pf.opportunities)
            at = account_metrics(pf, as_of=out.select("account_id", "as_of"))
            past = out.join(at, on="account_id", how="inner").filter(
                pl.col("churned").is_not_null()
            )
            scored = past.filter(pl.col("axi").is_not_null())
            killed = past.filter(pl.col("opportunity_id").is_in(truth["veto_killed"]))
            return {
                "auc": round(float(roc_auc_score(1 - scored["churned"], scored["axi"])), 3),
                "renewals": scored.height,
                "veto_killed_flagged": f"{int(killed['veto_risk'].sum())} of {killed.height}",
                "flagged": int(past["veto_risk"].sum()),
            }

        before = figures()
        start = time.perf_counter()
        with Session(engine) as s:
            tagged = service.classify_pending(s)
            s.commit()
        spent = time.perf_counter() - start
        print(f"seed {seed}: without text {before}")
        print(
            f"seed {seed}: with text    {figures()}  ({tagged:,} comments tagged in {spent:.0f} s)"
        )


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [7])
