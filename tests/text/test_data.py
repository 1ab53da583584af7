"""The labelled set's loader: every bad line is refused with its file, line and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import InvalidInput
from accord.text.data import DEFAULT_PATH, hash_split, load_labelled, read_jsonl

GOOD = {"id": "x-1", "text": "Late again.", "drivers": ["fulfilment"], "sentiment": "negative",
        "split": "test"}  # fmt: skip


def write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_it_reads_examples_with_drivers_in_canonical_order(tmp_path: Path) -> None:
    row = {**GOOD, "drivers": ["trust", "price"], "industry": "chemicals"}
    (ex,) = read_jsonl(write(tmp_path, row), need_split=True)
    assert (ex.id, ex.drivers, ex.sentiment, ex.split) == ("x-1", ("price", "trust"), "negative",
                                                           "test")  # fmt: skip


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({**GOOD, "drivers": ["speed"]}, "set.jsonl:2: unknown driver(s) 'speed'"),
        ({**GOOD, "sentiment": "mixed"}, "set.jsonl:2: sentiment must be one of"),
        ({**GOOD, "split": "dev"}, "set.jsonl:2: split must be train or test"),
        ({k: v for k, v in GOOD.items() if k != "text"}, "set.jsonl:2: missing text"),
        ({**GOOD, "colour": "red"}, "set.jsonl:2: unknown key(s) colour"),
        ({**GOOD, "text": "  "}, "set.jsonl:2: text must be a non-empty string"),
        ({**GOOD, "drivers": ["price", "price"]}, "set.jsonl:2: a driver is listed twice"),
        ({**GOOD, "id": "x-0"}, "set.jsonl:2: id 'x-0' appears twice"),
        ("{not json", "set.jsonl:2: not valid JSON"),
    ],
)
def test_it_names_the_line_and_reason_of_a_bad_row(
    tmp_path: Path, row: object, message: str
) -> None:
    first = {**GOOD, "id": "x-0"}
    with pytest.raises(InvalidInput) as caught:
        read_jsonl(write(tmp_path, first, row), need_split=True)
    assert message in caught.value.message


def test_a_missing_labelled_set_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        load_labelled(tmp_path / "nope.jsonl")


def test_the_hash_split_is_stable_and_about_a_quarter() -> None:
    ids = [f"id-{i}" for i in range(4000)]
    assert [hash_split(i) for i in ids] == [hash_split(i) for i in ids]
    share = sum(hash_split(i) == "test" for i in ids) / len(ids)
    assert 0.22 < share < 0.28


def test_the_shipped_labelled_set_is_valid_and_balanced_enough() -> None:
    examples = load_labelled()
    assert len(examples) >= 200
    assert {ex.split for ex in examples} == {"train", "test"}
    if DEFAULT_PATH.exists():
        share = sum(ex.split == "test" for ex in examples) / len(examples)
        assert 0.15 <= share <= 0.35
    for driver in ("product", "price", "fulfilment", "ease", "presence", "trust"):
        assert sum(driver in ex.drivers for ex in examples if ex.split == "test") >= 5, driver
