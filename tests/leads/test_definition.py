"""The lead definition: a readable YAML that validates with clear reasons, and a score that
explains itself rule by rule — the parts always add up to the score."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from accord.errors import InvalidInput
from accord.leads.definition import Facts, default_yaml, parse

AS_OF = date(2026, 11, 23)


def test_a_hand_computed_lead_scores_rule_by_rule() -> None:
    definition = parse(default_yaml(), 1)
    facts = Facts(
        industry="Medical Devices",  # case does not matter
        employees=450,
        region="North",
        role="technical_buyer",
        events_attended=3,  # 3 × 8 = 24, capped at 16
        content_read=2,
        last_activity_at=datetime(2026, 11, 1, 9),  # 22 days: ≤ 45
        captured_at=datetime(2026, 10, 1),
    )
    scored = definition.score(facts, AS_OF)
    points = {p.rule: p.points for p in scored.parts}
    assert points == {
        "fit.industry": 20,
        "fit.size": 10,
        "fit.region": 3,
        "fit.role": 16,
        "engagement.events_attended": 16,
        "engagement.content_read": 6,
        "engagement.recency": 8,
    }
    assert scored.score == 79
    assert scored.qualifies == "sql"
    reasons = {p.rule: p.reason for p in scored.parts}
    assert "capped at 16" in reasons["engagement.events_attended"]
    assert reasons["engagement.recency"] == "last activity 22 days ago (≤ 45)"


@pytest.mark.parametrize(
    "facts",
    [
        Facts(),
        Facts(industry="hospitality", employees=12, role="blocker",
              captured_at=datetime(2024, 1, 1)),
        Facts(industry="electronics", employees=50_000, role="economic_buyer", events_attended=40,
              content_read=100, last_activity_at=datetime(2026, 11, 22)),
        Facts(region="Mars", role="user", content_read=1, captured_at=datetime(2026, 11, 30)),
    ],
)  # fmt: skip
def test_the_explanation_adds_up_to_the_score(facts: Facts) -> None:
    scored = parse(default_yaml(), 1).score(facts, AS_OF)
    assert sum(p.points for p in scored.parts) == scored.score
    assert sum(p["points"] for p in scored.explanation) == scored.score
    assert all(p.points <= p.best for p in scored.parts)


def test_negative_points_count_against_the_score() -> None:
    text = default_yaml().replace("blocker: 0", "blocker: -15")
    scored = parse(text, 2).score(Facts(role="blocker"), AS_OF)
    assert {p.rule: p.points for p in scored.parts}["fit.role"] == -15
    assert sum(p.points for p in scored.parts) == scored.score


def test_thresholds_decide_the_qualification() -> None:
    definition = parse(default_yaml(), 1)
    assert (definition.mql, definition.sql) == (40, 65)
    assert [definition.qualifies(s) for s in (39, 40, 64, 65)] == [None, "mql", "mql", "sql"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("sql: 65", "sql: 30"), "thresholds: Value error, sql (30) must be above mql (40)"),
        (("economic_buyer: 20", "cfo: 20"), "fit.role.cfo"),
        (("  mql: 40", "  mql: forty"), "thresholds.mql"),
        (("engagement:", "engagment:"), "engagment: Extra inputs are not permitted"),
        (("  content_read: {points_each: 3, max: 12}", "  content_read: {points_each: 3, max: [}"),
         "yaml: "),
    ],
)  # fmt: skip
def test_a_bad_definition_says_what_is_wrong_and_where(
    change: tuple[str, str], message: str
) -> None:
    old, new = change
    text = default_yaml().replace(old, new)
    assert text != default_yaml()
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    assert message in caught.value.message


def test_a_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(
        InvalidInput, match=r"mapping values are not allowed here \(line 3, column 9\)"
    ):
        parse("name: x\nthresholds:\n  mql: 1: 2\n")
    with pytest.raises(InvalidInput, match="must be a mapping"):
        parse("- just a list")


def test_gaps_list_what_nurturing_can_still_add() -> None:
    definition = parse(default_yaml(), 1)
    facts = Facts(industry="hospitality", employees=None, role=None, events_attended=1,
                  content_read=0, captured_at=datetime(2026, 6, 1))  # fmt: skip
    gaps = {g.rule: g for g in definition.gaps(facts, AS_OF)}
    assert set(gaps) == {
        "fit.size",  # not known: find it out
        "fit.region",
        "fit.role",
        "engagement.events_attended",
        "engagement.content_read",
        "engagement.recency",
    }  # a known, off-list industry is not a gap
    assert gaps["fit.role"].points == 20
    assert gaps["engagement.events_attended"].action == "invite to 1 event"
    assert gaps["engagement.content_read"].action == "get 4 more pieces of content read"
