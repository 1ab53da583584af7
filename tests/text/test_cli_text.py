"""``accord classify`` as a user runs it: a separate process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from accord.text import store
from accord.text.classifier import TextModel


def accord(*args: str, model_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_TEXT_MODEL_DIR": str(model_dir),
           "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_it_prints_one_json_object_per_non_blank_line(
    tmp_path: Path, text_model: TextModel
) -> None:
    comments = tmp_path / "comments.txt"
    comments.write_text(
        "Deliveries keep arriving late.\n\n   \nYour quote is 30% above the market.\n",
        encoding="utf-8",
    )
    done = accord("classify", "--text-file", str(comments), "--json",
                  model_dir=store.model_dir(), tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Deliveries keep arriving late.",
                                         "Your quote is 30% above the market."]  # fmt: skip
    assert set(rows[0]) == {"text", "drivers", "sentiment", "confidence"}
    assert "fulfilment" in rows[0]["drivers"] and "price" in rows[1]["drivers"]
    # The same answers as in this process: the saved model is the trained one.
    expected = text_model.predict([r["text"] for r in rows])
    assert [r["sentiment"] for r in rows] == [t.sentiment for t in expected]


def test_a_missing_file_is_a_clear_error_with_exit_code_2(tmp_path: Path) -> None:
    done = accord("classify", "--text-file", str(tmp_path / "nope.txt"), "--json",
                  model_dir=tmp_path / "model", tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "nope.txt: no such file" in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "model").exists()  # nothing was trained or written
