""" "You said, we did": the staff page (own accounts only) and the digest it reads."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.loop.youwesaid import you_said_we_did
from accord.text.models import TextTag
from tests.loop.portal_world import ALICE, BOB, build, now
from tests.web.test_web_accounts import logged_in


def test_the_digest_groups_what_was_said_and_lists_what_was_done(session: Session) -> None:
    numbers = build(session)
    end = now() + timedelta(seconds=1)
    digest = you_said_we_did(session, "acme", end - timedelta(days=90), end, for_customer=True)
    topics = {g["topic"]: g["items"] for g in digest["said"]}
    assert set(topics) == {"fulfilment", "general"}
    assert topics["fulfilment"][0]["role"] == "technical_buyer"
    assert [d["number"] for d in digest["done"]] == [numbers["done"]]
    assert digest["done"][0]["action"]["prevention"] == "A second carrier on the lane"
    assert digest["said_count"] == 2  # Cobalt's feedback is not counted
    earlier = you_said_we_did(session, "acme", end - timedelta(days=400), end - timedelta(days=90),
                              for_customer=False)  # fmt: skip
    assert earlier["said"] == [] and earlier["done"] == []


def test_a_comment_is_filed_under_the_drivers_its_text_speaks_of(session: Session) -> None:
    build(session)
    session.add_all([
        TextTag(feedback_id="fb-2", drivers=["price", "ease"], sentiment="neutral",
                confidence=0.9, model_version="t", source="model"),
        TextTag(feedback_id="fb-1", drivers=["trust"], sentiment="positive", confidence=0.9,
                model_version="t", source="model"),  # praise is not a topic to act on
    ])  # fmt: skip
    session.flush()
    end = now() + timedelta(seconds=1)
    digest = you_said_we_did(session, "acme", end - timedelta(days=90), end, for_customer=True)
    assert [g["topic"] for g in digest["said"]] == ["price", "fulfilment", "ease"]


def test_an_unshared_action_keeps_its_detail_out_of_the_customer_view(session: Session) -> None:
    from accord.loop.models import Action

    numbers = build(session)
    session.get(Action, numbers["done"]).shared_with_customer = False  # type: ignore[union-attr]
    session.flush()
    end = now() + timedelta(seconds=1)
    customer = you_said_we_did(session, "acme", end - timedelta(days=90), end, for_customer=True)
    assert customer["done"][0]["action"] == {"shared": False, "summary": "Resolved by our team."}
    staff = you_said_we_did(session, "acme", end - timedelta(days=90), end, for_customer=False)
    assert staff["done"][0]["action"]["prevention"] == "A second carrier on the lane"


def test_the_page_lists_said_and_done_for_the_owner_only(
    live_server, engine: Engine, session: Session
) -> None:  # type: ignore[no-untyped-def]
    numbers = build(session)
    with logged_in(live_server.url, ALICE) as alice:
        page = alice.get("/accounts/acme/you-said-we-did")
        assert page.status_code == 200, page.text
        html = page.text
        assert "Deliveries keep arriving late." in html and "Happy with the new price list." in html
        assert numbers["done"] in html and "A second carrier on the lane" in html
        assert "shared with the customer" in html and "Cobalt" not in html
        assert alice.get("/accounts/acme/you-said-we-did?days=junk").status_code == 200
        assert alice.get("/accounts/cobalt/you-said-we-did").status_code == 404
    with logged_in(live_server.url, BOB) as bob:
        refused = bob.get("/accounts/acme/you-said-we-did")
        assert refused.status_code == 404 and "Acme" not in refused.text
    import httpx

    anonymous = httpx.get(f"{live_server.url}/accounts/acme/you-said-we-did")
    assert anonymous.status_code in (302, 303, 307)
