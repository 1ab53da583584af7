"""Import speed and memory: Accord's ``import_files`` against a raw ``csv`` + ``executemany`` load.

Generates a feedback CSV (default 1,000,000 rows, short texts, realistic mix of channels and
scores) with the accounts and contacts it references (1,000 accounts × 5 contacts), then, each
in a fresh process and a fresh SQLite file (WAL, synchronous=NORMAL, as Accord runs it):

* baseline — ``csv.reader`` + ``sqlite3.executemany`` of the same rows into a plain table with
  the same columns (no checks, no keys, no indexes);
* the same raw load into a table with Accord's primary key and five secondary indexes, to show
  what index upkeep alone costs;
* Accord — ``import_files`` of the feedback file into a migrated database that already holds the
  accounts and contacts: conversion and validation of every cell, staging, duplicate and
  reference checks, the upsert into the indexed ``feedback`` table, the audit entry;
* Accord at 100,000 rows, to show that memory does not grow with the file;
* Accord at both sizes again under ``tracemalloc`` (which slows Python down, so those runs give
  the Python peak only, never speed).

Prints rows/s, wall time, peak memory (``tracemalloc`` peak and ``ru_maxrss``) and the ratio of
Accord's rows/s to the baseline's. Target: ratio ≥ 0.5 and flat memory.

    python benchmarks/import_bench.py              # 1,000,000 rows
    python benchmarks/import_bench.py --rows 200000 --no-trace
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACCOUNT_COLUMNS = "account_id,name,segment,industry,region,annual_value,renewal_date,owner_email"
CONTACT_COLUMNS = "contact_id,account_id,name,email,title,role,influence,veto,active_from,active_to"
FEEDBACK_COLUMNS = (
    "feedback_id,account_id,contact_id,channel,occurred_at,nps,csat,ces,"
    "product,price,fulfilment,ease,presence,trust,text"
)
# The feedback table's secondary indexes in Accord's schema (fulfilment_id is not in this file).
INDEXED = ("account_id", "channel", "contact_id", "occurred_at")
CHANNELS = ("survey", "scenario", "note", "email", "call", "meeting", "ticket")
ROLES = ("economic_buyer", "technical_buyer", "user", "procurement", "gatekeeper", "champion")
PHRASES = (
    "Delivery arrived two days late again",
    "Great support from the account team",
    "Invoice was confusing, needed three calls",
    "The new portal makes ordering simple",
    "Quality issue on the last batch of parts",
    "Price increase was not explained",
    "Engineer on site solved it in an hour",
    "",
)
SMALL = 100_000


def generate(folder: Path, rows: int, accounts: int, per_account: int) -> None:
    """accounts.csv, contacts.csv, feedback.csv (``rows``) and feedback_small.csv (100k)."""
    rng = random.Random(42)
    with (folder / "accounts.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(ACCOUNT_COLUMNS.split(","))
        for a in range(accounts):
            w.writerow(
                [f"ACC-{a}", f"Account {a}", "enterprise", "manufacturing", "EMEA",
                 rng.randint(10, 900) * 1000, "2027-06-30", f"am{a % 20}@example.com"]
            )  # fmt: skip
    with (folder / "contacts.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CONTACT_COLUMNS.split(","))
        for a in range(accounts):
            for c in range(per_account):
                w.writerow(
                    [f"CON-{a}-{c}", f"ACC-{a}", f"Person {a}.{c}", f"p{a}.{c}@example.com",
                     "Manager", ROLES[c % len(ROLES)], "0.5", "no", "2024-01-01", ""]
                )  # fmt: skip
    start = datetime(2025, 1, 1, tzinfo=UTC)
    big = (folder / "feedback.csv").open("w", newline="")
    small = (folder / "feedback_small.csv").open("w", newline="")
    with big, small:
        writers = [csv.writer(big), csv.writer(small)]
        for w in writers:
            w.writerow(FEEDBACK_COLUMNS.split(","))
        for i in range(rows):
            a = rng.randrange(accounts)
            channel = CHANNELS[i % len(CHANNELS)]
            survey = channel in ("survey", "scenario")
            moment = start + timedelta(minutes=rng.randrange(600_000))
            scores = [str(rng.randint(1, 5)) if survey else "" for _ in range(6)]
            row = [
                f"FB-{i:07d}", f"ACC-{a}", f"CON-{a}-{rng.randrange(per_account)}", channel,
                moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                str(rng.randint(0, 10)) if survey else "", str(rng.randint(1, 5)) if survey else "",
                str(rng.randint(1, 7)) if survey else "", *scores, PHRASES[i % len(PHRASES)],
            ]  # fmt: skip
            writers[0].writerow(row)
            if i < SMALL:
                writers[1].writerow(row)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def child_baseline(folder: Path, source: str, indexed: bool) -> dict[str, float]:
    """csv.reader + executemany into a plain table with the same columns; ``indexed`` adds
    Accord's primary key and secondary indexes (and nothing else: no checks)."""
    db = folder / f"baseline-{int(indexed)}.db"
    _fresh(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    columns = FEEDBACK_COLUMNS.split(",")
    if indexed:
        columns[0] += " PRIMARY KEY"
    conn.execute(f"CREATE TABLE feedback ({', '.join(columns)})")
    for column in INDEXED if indexed else ():
        conn.execute(f"CREATE INDEX ix_{column} ON feedback ({column})")
    t0 = time.perf_counter()
    with (folder / source).open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO feedback VALUES ({marks})", reader)
    conn.commit()
    wall = time.perf_counter() - t0
    rows = conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
    conn.close()
    return {"rows": rows, "wall_s": wall, "rss_mib": _peak_rss_mib()}


def child_accord(folder: Path, source: str, trace: bool) -> dict[str, float]:
    from accord.db import make_engine
    from accord.imports import import_files
    from accord.migrations import upgrade

    db = folder / f"accord-{source}.db"
    _fresh(db)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    setup = import_files(engine, [folder / "accounts.csv", folder / "contacts.csv"])
    assert setup.ok, [str(e) for e in setup.errors[:5]]
    rss_before = _peak_rss_mib()
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    report = import_files(engine, [folder / source])
    wall = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    assert report.ok, [str(e) for e in report.errors[:5]]
    engine.dispose()
    return {
        "rows": report.files[0].rows,
        "wall_s": wall,
        "rss_mib": _peak_rss_mib(),
        "rss_before_mib": rss_before,
        "traced_peak_mib": peak,
    }


def run_child(folder: Path, what: str, source: str, trace: bool = False) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", what, "--dir", str(folder), "--source", source]
    if trace:
        args.append("--trace")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def rate(run: dict[str, float]) -> float:
    return run["rows"] / run["wall_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--contacts-per-account", type=int, default=5)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--child", choices=["baseline", "indexed", "accord"], help="internal")
    parser.add_argument("--dir", type=Path, help="internal")
    parser.add_argument("--source", default="feedback.csv", help="internal")
    parser.add_argument("--trace", action="store_true", help="internal")
    args = parser.parse_args()

    if args.child in ("baseline", "indexed"):
        print(json.dumps(child_baseline(args.dir, args.source, args.child == "indexed")))
        return
    if args.child == "accord":
        print(json.dumps(child_accord(args.dir, args.source, args.trace)))
        return

    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, args.rows, args.accounts, args.contacts_per_account)
        size = (folder / "feedback.csv").stat().st_size / 2**20
        print(
            f"generated {args.rows:,} feedback rows ({size:,.0f} MiB), {args.accounts:,} accounts,"
            f" {args.accounts * args.contacts_per_account:,} contacts"
            f" in {time.perf_counter() - t0:.1f} s"
        )
        base = run_child(folder, "baseline", "feedback.csv")
        indexed = run_child(folder, "indexed", "feedback.csv")
        ours = run_child(folder, "accord", "feedback.csv")
        small = run_child(folder, "accord", "feedback_small.csv") if args.rows > SMALL else None
        traced = []
        if not args.no_trace:
            if small:
                traced.append(run_child(folder, "accord", "feedback_small.csv", trace=True))
            traced.append(run_child(folder, "accord", "feedback.csv", trace=True))

    print(f"\n{'run':<32}{'rows':>11}{'wall s':>9}{'rows/s':>11}{'maxrss MiB':>12}")
    runs = (
        ("baseline: csv + executemany", base),
        ("  the same into indexed table", indexed),
        ("accord import_files", ours),
        ("accord import_files", small),
    )
    for label, r in runs:
        if r:
            print(f"{label:<32}{r['rows']:>11,}{r['wall_s']:>9.2f}{rate(r):>11,.0f}"
                  f"{r['rss_mib']:>12.0f}")  # fmt: skip
    print(f"\nratio, accord ÷ baseline rows/s: {rate(ours) / rate(base):.2f} (target ≥ 0.5)")
    print(f"ratio, accord ÷ indexed baseline rows/s: {rate(ours) / rate(indexed):.2f}")
    if small:
        print(
            f"maxrss: {small['rss_mib']:.0f} MiB at {small['rows']:,} rows, "
            f"{ours['rss_mib']:.0f} MiB at {ours['rows']:,} rows "
            f"(the process before the import: {ours['rss_before_mib']:.0f} MiB)"
        )
    if traced:
        parts = [f"{r['traced_peak_mib']:.1f} MiB at {r['rows']:,} rows" for r in traced]
        print("tracemalloc peak during the import: " + ", ".join(parts))


if __name__ == "__main__":
    main()
