"""Survey definitions: validation that names the question and field, wording per role, the
shipped YAML, YAML → JSON export → import round trip, the CLI, and who may change surveys."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.auth.access import OPERATOR, Actor
from accord.auth.models import AuditEntry
from accord.errors import Conflict, Forbidden, InvalidInput
from accord.listening import surveys
from accord.listening.models import Survey
from accord.listening.survey_schema import check_answers, definition_from, parse_text
from accord.vocabulary import UserRole
from tests.listening.survey_builders import RELATIONSHIP, SCENARIO, load_shipped


def base() -> dict[str, Any]:
    return {
        "id": "pulse-q1",
        "name": "Q1 pulse",
        "kind": "pulse",
        "supplier": "Acme",
        "questions": [
            {"id": "nps", "type": "nps", "text": "Recommend {supplier}?",
             "variants": {"procurement": "As a buyer, recommend {supplier}?"}},
            {"id": "trust", "type": "rating", "driver": "trust", "text": "Account team?"},
            {"id": "why", "type": "text", "text": "Why?"},
        ],
    }  # fmt: skip


def with_question(n: int, **changes: Any) -> dict[str, Any]:
    data = base()
    data["questions"][n] = {**data["questions"][n], **changes}
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (with_question(1, driver=None), "question 'trust' (questions[1]): driver: a rating"),
        (with_question(1, driver="speed"), "question 'trust' (questions[1]).driver"),
        (with_question(0, driver="price"), "question 'nps' (questions[0]): driver: only rating"),
        (with_question(0, variants={"purchaser": "x"}), "variants: unknown role 'purchaser'"),
        (with_question(0, type="stars"), "question 'nps' (questions[0]).type"),
        (with_question(2, id="nps"), "question 'nps': id: used twice"),
        (with_question(2, colour="red"), "question 'why' (questions[2]).colour: Extra inputs"),
        (with_question(0, text=""), "question 'nps' (questions[0]).text"),
        (with_question(2, type="nps"), "question 'why': type: nps is already asked by "
                                       "question 'nps'"),
        (with_question(1, id="Bad Id"), "question 'Bad Id' (questions[1]).id: String"),
        ({**base(), "kind": "annual"}, "kind: Input should be"),
        ({**base(), "questions": []}, "questions: List should have at least 1 item"),
        ({**base(), "id": "Has Space"}, "id: String should match pattern"),
        ({k: v for k, v in base().items() if k != "supplier"}, "supplier: Field required"),
        ({**base(), "required": True}, "required: Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_it_names_the_question_and_field_that_are_wrong(data: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        definition_from(data)
    assert message in exc.value.message


def test_a_rating_with_the_same_driver_twice_is_refused() -> None:
    data = base()
    data["questions"].append({"id": "trust2", "type": "rating", "driver": "trust", "text": "t"})
    with pytest.raises(InvalidInput, match="question 'trust2': driver: trust is already asked"):
        definition_from(data)


def test_strict_types_refuse_coercion() -> None:
    with pytest.raises(InvalidInput, match=r"question 'nps' \(questions\[0\]\).required"):
        definition_from(with_question(0, required="yes"))


def test_yaml_and_json_errors_say_where() -> None:
    with pytest.raises(InvalidInput, match=r"yaml: .*\(line 3, column 1\)"):
        parse_text("id: x\nquestions: [\n")
    with pytest.raises(InvalidInput, match=r"json: .*line 1"):
        parse_text('{"id": ')
    with pytest.raises(InvalidInput, match="definition: must be a mapping"):
        parse_text("- a\n- b\n")
    with pytest.raises(InvalidInput, match="definition: empty"):
        parse_text("  \n")


def test_each_role_is_asked_in_its_own_words() -> None:
    d = definition_from(base())
    nps = d.questions[0]
    assert nps.wording("procurement", d.supplier) == "As a buyer, recommend Acme?"
    assert nps.wording("user", d.supplier) == "Recommend Acme?"
    assert nps.wording(None, d.supplier) == "Recommend Acme?"


def test_the_shipped_definitions_are_valid_and_word_roles_differently() -> None:
    shipped = {parse_text(t).id: parse_text(t) for t in surveys.shipped_definitions().values()}
    rel, scen = shipped[RELATIONSHIP], shipped[SCENARIO]
    assert rel.kind == "relationship" and scen.kind == "scenario"
    assert [q.type for q in rel.questions] == ["nps"] + ["rating"] * 6 + ["text"]
    assert {q.driver for q in rel.questions if q.driver} == {
        "product", "price", "fulfilment", "ease", "presence", "trust"}  # fmt: skip
    nps = rel.question("nps")
    assert nps is not None
    to_buyer, to_user = nps.wording("procurement", rel.supplier), nps.wording("user", rel.supplier)
    assert to_buyer != to_user and "{supplier}" not in to_buyer + to_user
    assert 1 <= len(scen.questions) <= 2 and scen.channel() == "scenario"
    assert rel.channel() == "survey"


def test_answers_are_checked_against_each_scale() -> None:
    d = definition_from(base())
    answers, errors = check_answers(d, {"nps": "10", "trust": "6", "why": " fine "})
    assert answers == {"nps": 10, "why": "fine"}
    assert errors == {"trust": "Please choose a whole number from 1 to 5."}
    _, errors = check_answers(d, {"trust": "2.5"})
    assert set(errors) == {"nps", "trust"} and "answer" in errors["nps"]


def test_round_trip_yaml_to_json_export_to_import(session: Session) -> None:
    load_shipped(session)
    exported = surveys.export_survey(session, OPERATOR, RELATIONSHIP)
    text = json.dumps(exported)
    session.delete(session.get(Survey, RELATIONSHIP))
    session.flush()
    survey, created = surveys.import_survey(session, OPERATOR, json.loads(text))
    assert created and survey.id == RELATIONSHIP
    assert surveys.export_survey(session, OPERATOR, RELATIONSHIP) == exported
    yaml_def = next(
        parse_text(t) for t in surveys.shipped_definitions().values() if RELATIONSHIP in t
    )
    assert surveys.definition_of(survey) == yaml_def


def test_import_keeps_the_active_flag_and_refuses_unknown_formats(session: Session) -> None:
    load_shipped(session)
    data = surveys.export_survey(session, OPERATOR, SCENARIO)
    surveys.import_survey(session, OPERATOR, {**data, "active": False})
    assert session.get(Survey, SCENARIO).active is False  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="format: expected"):
        surveys.import_survey(session, OPERATOR, {**data, "format": "other"})
    bad = copy.deepcopy(data)
    bad["definition"]["questions"][0]["type"] = "stars"
    with pytest.raises(InvalidInput, match="question 'csat'"):
        surveys.import_survey(session, OPERATOR, bad)


def test_a_bad_definition_changes_nothing(session: Session) -> None:
    load_shipped(session)
    before = surveys.export_survey(session, OPERATOR, RELATIONSHIP)
    broken = copy.deepcopy(before["definition"])
    broken["questions"][1]["driver"] = "speed"
    with pytest.raises(InvalidInput):
        surveys.import_survey(session, OPERATOR, broken)
    assert surveys.export_survey(session, OPERATOR, RELATIONSHIP) == before


@pytest.mark.parametrize("role", [UserRole.account_manager, UserRole.viewer])
def test_only_cx_managers_and_admins_change_surveys(session: Session, role: UserRole) -> None:
    actor = Actor(email="x@example.com", role=role)
    d = definition_from(base())
    with pytest.raises(Forbidden):
        surveys.create_survey(session, actor, d)
    load_shipped(session)
    with pytest.raises(Forbidden):
        surveys.set_active(session, actor, RELATIONSHIP, False)
    assert [s.id for s in surveys.list_surveys(session, actor)] == [RELATIONSHIP, SCENARIO]


def test_create_update_and_deactivate_are_audited(session: Session) -> None:
    carol = Actor(email="carol@example.com", role=UserRole.cx_manager)
    d = definition_from(base())
    surveys.create_survey(session, carol, d)
    with pytest.raises(Conflict):
        surveys.create_survey(session, carol, d)
    changed = definition_from({**base(), "name": "Q1 pulse, revised"})
    assert surveys.update_survey(session, carol, "pulse-q1", changed).name == "Q1 pulse, revised"
    with pytest.raises(InvalidInput, match="id: the definition says 'other-id'"):
        surveys.update_survey(
            session, carol, "pulse-q1", definition_from({**base(), "id": "other-id"})
        )
    surveys.set_active(session, carol, "pulse-q1", False)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "surveys").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor) for e in entries] == [("create", carol.email)] + [
        ("update", carol.email)] * 2  # fmt: skip
    assert entries[2].after == {"active": False}


def test_cli_loads_lists_exports_and_imports(engine, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.cli import surveys as cli
    from accord.cli.main import app

    monkeypatch.setattr(cli, "transaction", lambda: _transaction(engine))
    runner = CliRunner()
    good = tmp_path / "pulse.yaml"
    good.write_text(yaml.safe_dump(base()))
    result = runner.invoke(app, ["survey", "load", str(good)])
    assert result.exit_code == 0, result.output
    assert "created survey pulse-q1" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(with_question(0, variants={"purchaser": "x"})))
    result = runner.invoke(app, ["survey", "load", str(bad)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "question 'nps' (questions[0]): variants: unknown" in said
    listed = json.loads(runner.invoke(app, ["survey", "list", "--json"]).output)
    assert [(s["id"], s["questions"]) for s in listed] == [("pulse-q1", 3)]
    out = tmp_path / "pulse.json"
    assert runner.invoke(app, ["survey", "export", "pulse-q1", "--out", str(out)]).exit_code == 0
    data = json.loads(out.read_text())
    data["definition"]["name"] = "Renamed"
    out.write_text(json.dumps(data))
    result = runner.invoke(app, ["survey", "import", str(out)])
    assert result.exit_code == 0 and "updated survey pulse-q1" in result.output
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Survey)) == 1
        assert s.get(Survey, "pulse-q1").name == "Renamed"  # type: ignore[union-attr]


def _transaction(engine):  # type: ignore[no-untyped-def]
    from accord.db import transaction

    return transaction(engine)
