"""The insight pages over real HTTP — the dashboard, the account page's village map, the key
drivers and the segments — on a small synthetic world imported through the real importer; and
the village map and cause-and-effect diagrams as pure functions on hand-made input."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from markupsafe import escape
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR, Actor
from accord.imports import import_files
from accord.insights import service
from accord.insights.axi import pessimistic, village
from accord.synthetic import generate_world
from accord.vocabulary import UserRole
from accord.web.cause_effect import DriverLink, cause_effect
from accord.web.village_map import MapPerson, radius, sentiment_colour, village_map
from tests.factories import make_account, make_contact, make_user
from tests.web.test_web_accounts import logged_in

CX = "cx@example.com"
ALICE = "alice.martin@accord.example"  # owns accounts in the synthetic world
DRIVER_NAMES = ("Product", "Price", "Fulfilment", "Ease", "Presence", "Trust")


def build_world(engine, session: Session, folder: Path) -> None:  # type: ignore[no-untyped-def]
    summary = generate_world(folder, accounts=40, seed=3)
    report = import_files(engine, [p for name, p in summary.paths.items() if name != "truth"])
    assert report.ok, report.errors
    make_user(session, CX, UserRole.cx_manager)
    make_user(session, ALICE, UserRole.account_manager)
    session.commit()


@pytest.fixture
def world(live_server, engine, session: Session, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    build_world(engine, session, tmp_path)
    return str(live_server.url)


def money(value: float) -> str:
    return f"{value:,.0f}"


def watchlist_names(html: str) -> list[str]:
    table = html[html.index('id="watchlist"') :]
    return re.findall(r'class="row-link" href="/accounts/[^"]+">([^<]+)</a>', table)


# --- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_the_services_figures(world: str, session: Session) -> None:
    cx = Actor(CX, UserRole.cx_manager)
    table = service.account_table(session, cx)
    risk = service.risk_summary(session, cx)
    coverage = service.portfolio_coverage(session, cx)
    assert risk["model"] is not None, risk  # the 40-account world has enough churns
    with logged_in(world, CX) as client:
        page = client.get("/insights")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/insights" aria-current="page">Insights</a>' in html
    assert f'<span class="kpi-value">{table.height}</span>' in html
    # Revenue at risk, its roll-ups, and the model's validation beside it.
    assert money(risk["total_revenue_at_risk"]) in html
    top_owner = risk["by_owner"][0]
    assert money(top_owner["revenue_at_risk"]) in html
    assert money(risk["by_segment"][0]["revenue_at_risk"]) in html
    model = risk["model"]
    assert f"<strong>{model['auc']:.2f}</strong>" in html
    assert f"<strong>{model['auc_mean_nps']:.2f}</strong>" in html
    assert f"n = {model['n_train']} decided renewals" in html
    # Revenue coverage against the 80 % bar.
    assert f"{coverage['revenue_coverage'] * 100:.0f}%" in html and "bar 80%" in html
    assert money(coverage["covered_value"]) in html
    # The AXI histogram, the KPI gap table and the top drivers.
    assert "<title" in html and "AXI distribution" in html
    gaps = service.kpi_gaps(session, cx)
    for region in gaps["region"].to_list():
        assert f'<th scope="row">{region}' in html
    flagged = gaps.filter(pl.col("beautified"))["region"].to_list()
    assert html.count("⚑ <span>beautified</span>") == len(flagged)
    assert 'href="/insights/drivers"' in html and "% of R²" in html
    # The pessimistic list: worst lower bound first, linking to the account pages.
    worst = pessimistic(table).head(20)
    assert watchlist_names(html) == [str(escape(n)) for n in worst["name"].to_list()]
    first = worst.row(0, named=True)
    assert f'href="/accounts/{first["account_id"]}"' in html


def test_an_account_manager_sees_only_their_accounts(world: str, session: Session) -> None:
    alice = Actor(ALICE, UserRole.account_manager)
    mine = service.account_table(session, alice)
    everyone = service.account_table(session, OPERATOR)
    others = everyone.filter(pl.col("owner_email") != ALICE)["name"].to_list()
    assert 0 < mine.height < everyone.height
    with logged_in(world, ALICE) as client:
        html = client.get("/insights").text
    assert "Your accounts" in html
    assert sorted(watchlist_names(html)) == sorted(str(escape(n)) for n in mine["name"])
    for name in others:
        assert str(escape(name)) not in html
    risk = service.risk_summary(session, alice)
    assert money(risk["total_revenue_at_risk"]) in html
    assert money(service.risk_summary(session, OPERATOR)["total_revenue_at_risk"]) not in html


def test_the_dashboard_of_an_empty_book_says_so(live_server, engine, session: Session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, CX, UserRole.cx_manager)
    session.commit()
    with logged_in(live_server.url, CX) as client:
        page = client.get("/insights")
        assert page.status_code == 200
        assert "No accounts yet" in page.text
        drivers = client.get("/insights/drivers")
        assert drivers.status_code == 200
        assert "Not enough data yet" in drivers.text
        assert "Not enough decided renewal outcomes" in drivers.text
        segments = client.get("/insights/segments")
        assert segments.status_code == 200 and "Not enough data yet" in segments.text


def test_the_insight_pages_need_a_login(live_server) -> None:  # type: ignore[no-untyped-def]
    import httpx

    for path in ("/insights", "/insights/drivers", "/insights/segments"):
        response = httpx.get(live_server.url + path, follow_redirects=False)
        assert response.status_code in (302, 303, 307)
        assert "/login" in response.headers["location"]


# --- the account page -------------------------------------------------------------------------


def map_groups(html: str) -> list[str]:
    """Each stakeholder's ``<g>`` in the village map, markup included."""
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="village-map"') :]
    svg = svg[: svg.index("</svg>")]
    return re.findall(r'<g class="vm-(?:person|departed)[^"]*"[^>]*>.*?</g>', svg)


def test_the_account_page_draws_the_village_map(world: str, session: Session) -> None:
    b = service.book(session)
    v = village(b.portfolio)
    account_id = v.stakeholders.filter("active").group_by("account_id").len().sort("len").row(-1)[0]
    # An unheard veto holder, so the map must show a hollow circle with a veto ring.
    make_contact(
        session, "zed", account_id, name="Zed Quiet", role="gatekeeper", influence=0.7, veto=True
    )
    session.commit()
    v = village(service.book(session).portfolio)
    people = v.stakeholders.filter(pl.col("account_id") == account_id, "active")
    heard = set(v.heard.filter(pl.col("account_id") == account_id)["contact_id"].to_list())
    with logged_in(world, CX) as client:
        html = client.get(f"/accounts/{account_id}").text
    groups = map_groups(html)
    active = [g for g in groups if g.startswith('<g class="vm-person')]
    assert len(active) == people.height
    by_id = {re.search(r'data-contact="([^"]+)"', g).group(1): g for g in active}  # type: ignore[union-attr]
    assert set(by_id) == set(people["contact_id"])
    for row in people.iter_rows(named=True):
        g = by_id[row["contact_id"]]
        assert ("vm-veto-ring" in g) == row["veto"], row
        assert ("is-unheard" in g) == (row["contact_id"] not in heard), row
    zed = by_id["zed"]
    assert "is-unheard" in zed and "vm-veto-ring" in zed and 'fill="#ffffff"' in zed
    assert "Zed Quiet" in html[html.index("Unheard veto holders") :]
    assert 'class="village-map"' in html and "<desc id=" in html
    assert "Driver profile" in html and 'class="driver-profile"' in html


def test_the_account_page_quotes_the_weakest_veto_holder(world: str, session: Session) -> None:
    table = service.account_table(session, OPERATOR)
    risky = table.filter(pl.col("veto_risk") & pl.col("weakest_veto_feedback_id").is_not_null())
    assert risky.height, "the world should have an account with veto risk"
    row = risky.row(0, named=True)
    from accord.listening.service import get_feedback

    said = get_feedback(session, OPERATOR, row["weakest_veto_feedback_id"])
    with logged_in(world, CX) as client:
        html = client.get(f"/accounts/{row['account_id']}").text
    panel = html[html.index('id="insight"') : html.index('id="opportunities"')]
    assert '<span class="kpi-value is-bad">Yes</span>' in panel
    assert "The weakest veto holder" in panel
    if said.text:
        assert str(escape(said.text[:40])) in panel
    axi = row["axi"]
    assert axi is not None
    shown = f"{round(axi):+d}".replace("-", "−") if round(axi) else "0"
    assert f">{shown}</span>" in panel


def test_an_account_manager_gets_no_panel_for_another_owners_account(
    world: str, session: Session
) -> None:
    other = service.account_table(session, OPERATOR).filter(pl.col("owner_email") != ALICE)
    with logged_in(world, ALICE) as client:
        page = client.get(f"/accounts/{other['account_id'][0]}")
    assert page.status_code == 404
    assert "village-map" not in page.text


# --- drivers and segments ---------------------------------------------------------------------


def test_the_drivers_page_lists_the_six_drivers(world: str, session: Session) -> None:
    result = service.key_drivers(session, OPERATOR, target="renewal")
    top = result.table.row(0, named=True)
    with logged_in(world, CX) as client:
        html = client.get("/insights/drivers").text
        rebuy = client.get("/insights/drivers", params={"target": "rebuy"})
        junk = client.get("/insights/drivers", params={"target": "nonsense"})
    for name in DRIVER_NAMES:
        assert f'<th scope="row">{name}</th>' in html
    assert len(re.findall(r'<g class="ce-arrow" data-driver="', html)) == 6
    assert 'class="importance"' in html and html.count('class="whisker"') == 6
    assert f"{top['importance']:.0f}% of R²" in html
    assert f"R² {result.r2:.2f}" in html
    assert '<a class="chip" href="/insights/drivers?target=renewal" aria-current="page">' in html
    assert rebuy.status_code == 200 and "Re-buy" in rebuy.text
    assert 'href="/insights/drivers?target=rebuy" aria-current="page"' in rebuy.text
    assert junk.status_code == 200 and 'target=renewal" aria-current="page"' in junk.text


def test_the_drivers_page_explains_when_there_is_not_enough_data(
    live_server, engine, session: Session
) -> None:  # type: ignore[no-untyped-def]
    make_user(session, CX, UserRole.cx_manager)
    for n in range(3):
        make_account(session, f"acc-{n}", ALICE, name=f"Account {n}")
    session.commit()
    with logged_in(live_server.url, CX) as client:
        page = client.get("/insights/drivers")
    assert page.status_code == 200
    assert "Not enough data yet" in page.text and "ce-arrow" not in page.text


def test_the_segments_page_describes_each_segment(world: str, session: Session) -> None:
    result = service.segments(session, OPERATOR)
    with logged_in(world, CX) as client:
        html = client.get("/insights/segments").text
    assert html.count('<li class="card segment">') == result.k
    for description in result.profiles["description"]:
        assert str(escape(description)) in html


# --- the diagrams as pure functions -----------------------------------------------------------

PEOPLE = [
    MapPerson("a", "Ann Angry", "technical_buyer", 0.9, sentiment=-80.0, veto=True, heard=True),
    MapPerson("b", "Bob Glad", "procurement", 0.4, sentiment=60.0, heard=True),
    MapPerson("c", "Cy Mild", "user", 0.1, sentiment=-10.0, heard=True),
    MapPerson("d", "Dee Quiet", "gatekeeper", 0.6, veto=True),  # unheard veto holder
    MapPerson("e", "Eve Noscore", "user", 0.25, heard=True),  # heard, no score
    MapPerson(
        "f",
        "Fay Gone",
        "economic_buyer",
        0.8,
        heard=False,
        active=False,
        departed_on=date(2026, 9, 30),
    ),
]


def circles(svg: str) -> dict[str, tuple[float, str, str]]:
    """contact id → (radius, fill, group markup) of each person's first circle."""
    out = {}
    for g in re.findall(r'<g class="vm-(?:person|departed)[^"]*"[^>]*>.*?</g>', svg):
        contact = re.search(r'data-contact="([^"]+)"', g).group(1)  # type: ignore[union-attr]
        r, fill = re.search(r'<circle cx="[^"]+" cy="[^"]+" r="([^"]+)" fill="([^"]+)"', g).groups()  # type: ignore[union-attr]
        out[contact] = (float(r), fill, g)
    return out


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_village_map_circle_areas_are_proportional_to_weight() -> None:
    svg = village_map(PEOPLE, title="Village of Test")
    drawn = circles(svg)
    active = [p for p in PEOPLE if p.active]
    ratios = [drawn[p.id][0] ** 2 / p.weight for p in active]
    assert max(ratios) / min(ratios) == pytest.approx(1.0, abs=0.01)
    assert drawn["a"][0] == pytest.approx(radius(0.9), abs=0.06)
    # weights above 1 rescale the whole map, keeping areas proportional
    heavy = village_map([*PEOPLE[:2], MapPerson("z", "Zoe Big", "executive", 2.0)], title="T")
    big = circles(heavy)
    assert big["z"][0] == pytest.approx(30.0, abs=0.06)
    assert big["a"][0] ** 2 / 0.9 == pytest.approx(big["z"][0] ** 2 / 2.0, rel=0.01)


def test_village_map_colours_by_sentiment_sign_and_marks_veto_and_unheard() -> None:
    svg = village_map(PEOPLE, title="Village of Test")
    drawn = circles(svg)
    red, green, _ = rgb(drawn["a"][1])
    assert red > green  # negative: red side
    red, green, _ = rgb(drawn["b"][1])
    assert green > red  # positive: green side
    red, green, _ = rgb(drawn["c"][1])
    assert red > green  # mildly negative is still on the red side …
    assert rgb(drawn["c"][1]) != rgb(drawn["a"][1])  # … but paler than strongly negative
    assert drawn["e"][1].startswith("url(#")  # heard without a score: hatched grey
    assert drawn["d"][1] == "#ffffff" and "is-unheard" in drawn["d"][2]  # hollow
    assert sentiment_colour(0.0) == "#c9ced6" and sentiment_colour(None) == "#c9ced6"
    assert "vm-veto-ring" in drawn["a"][2] and "vm-veto-ring" in drawn["d"][2]
    assert "vm-veto-ring" not in drawn["b"][2]
    assert svg.count('class="vm-person') == 5 and svg.count('class="vm-departed"') == 1
    assert "left 30 Sep 2026" in drawn["f"][2]
    # Text, not colour alone: names, values and states are written out.
    for text in ("Ann Angry", "−80", "+60", "unheard", "no score", "VETO", "TECHNICAL BUYER"):
        assert text in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "Veto holders: Ann Angry (−80), Dee Quiet (unheard)." in svg
    assert village_map(PEOPLE, title="Village of Test") == svg  # deterministic


def test_cause_effect_arrows_are_as_thick_as_the_driver_is_important() -> None:
    links = [
        DriverLink("product", 60.0),
        DriverLink("price", 30.0, positive=False),
        DriverLink("trust", 10.0),
    ]
    svg = cause_effect(links, outcome="Renewal", r2=0.41, r2_ci=(0.28, 0.83), n=25)
    widths = {d: float(w) for d, w in re.findall(r'data-driver="(\w+)" data-width="([\d.]+)"', svg)}
    assert widths["product"] == pytest.approx(2 * widths["price"], rel=0.01)
    assert widths["price"] == pytest.approx(3 * widths["trust"], rel=0.01)
    assert "inverse" in svg and "R² 0.41" in svg and "n = 25 accounts" in svg
