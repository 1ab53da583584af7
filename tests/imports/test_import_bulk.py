"""Big loads on SQLite set the secondary indexes aside and rebuild them; the indexes must be
there afterwards, whether the file went in or was refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from accord.imports import import_files, staging
from tests.imports.builders import FEEDBACK, messages, write, write_world


def index_names(engine: Engine) -> set[str]:
    return {ix["name"] or "" for ix in inspect(engine).get_indexes("feedback")}


def test_indexes_survive_a_bulk_load_and_a_refused_one(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "BULK_ROWS", 1)
    set_aside: list[int] = []
    original = staging.Stage._set_indexes_aside

    def spy(stage: staging.Stage, inserted: int) -> list[str]:
        found = original(stage, inserted)
        set_aside.append(len(found))
        return found

    monkeypatch.setattr(staging.Stage, "_set_indexes_aside", spy)
    before = index_names(engine)
    assert "ix_feedback_occurred_at" in before

    report = import_files(engine, write_world(tmp_path, "csv"))

    assert report.ok, messages(report)
    assert index_names(engine) == before
    more = [{**FEEDBACK[1], "feedback_id": f"FB-{i}"} for i in range(10, 20)]
    refused = import_files(engine, [write(tmp_path, "feedback.csv", [*more, more[0]])])
    assert refused.files[0].error_count == 1
    assert index_names(engine) == before
    assert import_files(engine, [write(tmp_path, "feedback.csv", more)]).files[0].inserted == 10
    assert index_names(engine) == before
    if engine.dialect.name == "sqlite":  # PostgreSQL keeps its indexes (see staging.py)
        assert set_aside[-1] == 5  # the feedback table's five secondary indexes
