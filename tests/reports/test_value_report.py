"""The purchaser's value report: figures computed from the database, an anonymised peer
comparison that is withheld below the minimum peer count, and a PDF whose text carries the same
figures (checked by extracting the text)."""

from __future__ import annotations

import io
import time
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.errors import InvalidInput
from accord.reports.models import ListPrice
from accord.reports.periods import parse_period
from accord.reports.render import document_html, pdf_bytes
from accord.reports.value import as_dict, value_report
from tests.factories import make_account, make_feedback, make_fulfilment, make_opportunity

JULY = datetime(2026, 7, 6, 10)


def deliveries(session: Session, account: str, outcomes: list[tuple[int, bool | None]]) -> None:
    """(days late — negative is early, complete) per delivery, all promised in 2026Q3."""
    for i, (late, complete) in enumerate(outcomes):
        promised = JULY + timedelta(days=7 * i)
        delivered = promised + timedelta(days=late)
        make_fulfilment(session, f"{account}-F{i}", account, promised_at=promised,
                        delivered_at=delivered, complete=complete)  # fmt: skip


@pytest.fixture
def acme(session: Session) -> None:
    make_account(session, "ACME", "alice@example.com", name="Acme Precision", segment="mid_market")
    make_opportunity(session, "O-1", "ACME", outcome="won", kind="new", amount=100_000.0,
                     closed_at=date(2026, 7, 15))  # fmt: skip
    session.add(ListPrice(opportunity_id="O-1", account_id="ACME", list_amount=110_000.0))
    make_opportunity(session, "O-2", "ACME", outcome="renewed", amount=50_000.0,
                     closed_at=date(2026, 9, 1))  # fmt: skip
    make_opportunity(session, "O-3", "ACME", outcome="lost", amount=999_000.0,
                     closed_at=date(2026, 8, 1))  # fmt: skip
    make_opportunity(session, "O-0", "ACME", outcome="won", amount=120_000.0,
                     closed_at=date(2026, 5, 1))  # the quarter before  # fmt: skip
    deliveries(session, "ACME", [(-1, True), (0, True), (-2, False), (3, True)])
    make_fulfilment(session, "ACME-PENDING", "ACME", promised_at=JULY + timedelta(days=80),
                    delivered_at=None, complete=None)  # fmt: skip
    make_feedback(session, "FB-T", "ACME", channel="ticket", occurred_at=JULY, nps=None, price=2,
                  text="Invoice shows the old price")  # fmt: skip
    make_feedback(session, "FB-C", "ACME", channel="email", occurred_at=JULY + timedelta(1),
                  nps=None, csat=1)  # fmt: skip
    make_feedback(session, "FB-OK", "ACME", occurred_at=JULY, nps=10)  # not an issue
    session.flush()


def peers(session: Session, count: int) -> None:
    for n in range(count):
        make_account(session, f"PEER-{n}", None, name=f"Secret Peer {n}", segment="mid_market")
        deliveries(session, f"PEER-{n}", [(0, True), (5 if n % 2 else 0, True), (-1, True)])
    session.flush()


def test_the_figures_come_from_the_database(session: Session, acme: None) -> None:
    peers(session, 5)
    r = value_report(session, OPERATOR, "ACME", "2026Q3")
    s, d = r.spend, r.delivery
    assert (s.amount, s.purchases, s.previous_amount) == (150_000.0, 2, 120_000.0)
    assert (s.priced, s.list_amount, s.savings) == (1, 110_000.0, 10_000.0)
    assert s.savings_pct == pytest.approx(10_000 / 110_000)
    assert s.change == pytest.approx(0.25)
    assert (d.promised, d.delivered, d.on_time, d.complete, d.otif) == (5, 4, 3, 3, 2)
    assert [i.source for i in r.issues.items] == ["ticket", "complaint"]
    assert r.issues.items[0].theme == "price" and not r.issues.tracked
    on_time = next(m for m in r.peers.metrics if m.key == "on_time")
    # Peers' on-time rates: 1, 2/3, 1, 2/3, 1 → median 1, quartiles 2/3 and 1.
    assert (on_time.peers, on_time.median, on_time.p25) == (5, 1.0, pytest.approx(2 / 3))
    assert on_time.you == 0.75 and on_time.beats == 0.4  # better than the two at 2/3
    savings = next(m for m in r.peers.metrics if m.key == "savings")
    assert savings.withheld  # no peer has list prices


def test_peers_are_withheld_below_the_minimum(session: Session, acme: None) -> None:
    peers(session, 4)
    r = value_report(session, OPERATOR, "ACME", "2026Q3")
    assert r.peers.withheld and all(m.withheld for m in r.peers.metrics)
    data = as_dict(r)["peers"]
    assert data["withheld"] and all(m["median"] is None for m in data["metrics"])  # type: ignore[index]
    assert "Withheld: fewer than 5 other accounts" in document_html(r)


def test_the_pdf_renders_with_the_database_figures(session: Session, acme: None) -> None:
    peers(session, 5)
    r = value_report(session, OPERATOR, "ACME", "2026Q3")
    started = time.perf_counter()
    pdf = pdf_bytes(r)
    took = time.perf_counter() - started
    assert pdf[:5] == b"%PDF-" and took < 10
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    for figure in (
        "Acme Precision", "Value report · 2026Q3".upper(), "Spend 150,000", "Purchases 2",
        "Previous period (2026Q2) 120,000", "Change +25.0%", "At list price 110,000",
        "Savings vs list 10,000 (9.1%)", "Deliveries 4 of 5 promised", "On time 75.0%",
        "On time and complete 50.0%", "Raised 2", "Resolved not tracked",
        "On time 75.0% 100.0% 66.7%–100.0% 5 40.0%",  # you, peers' median, middle half, …
        "Invoice shows the old price",
    ):  # fmt: skip
        assert figure in text, figure
    assert "Secret Peer" not in text  # anonymised


def test_periods_are_read_as_people_write_them() -> None:
    q3 = parse_period("2026q3")
    assert (q3.start, q3.end, q3.label, q3.previous().label) == (
        date(2026, 7, 1), date(2026, 10, 1), "2026Q3", "2026Q2",
    )  # fmt: skip
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026H2").start == date(2026, 7, 1)
    assert parse_period("2026").months == 12
    for bad in ("2026Q5", "26Q1", "last quarter", "2026-13"):
        with pytest.raises(InvalidInput):
            parse_period(bad)
