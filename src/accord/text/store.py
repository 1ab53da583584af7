"""Where the trained classifier lives: ``ACCORD_TEXT_MODEL_DIR`` (default
``./accord-text-model``) holds ``model.joblib`` and ``model.json`` (version, parameters,
training size and the held-out figures). One copy is kept in memory per process and directory.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import sklearn

from accord.text.classifier import MODEL_FORMAT, TextModel

MODEL_FILE = "model.joblib"
META_FILE = "model.json"
_cache: dict[Path, TextModel] = {}
_lock = threading.RLock()


def model_dir(setting: str | None = None) -> Path:
    if setting is None:
        from accord.config import get_settings

        setting = get_settings().text_model_dir
    return Path(setting).expanduser().resolve()


def metadata(model: TextModel) -> dict[str, Any]:
    return {
        "version": model.version,
        "trained_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "scikit_learn": sklearn.__version__,
        "format": MODEL_FORMAT,
        "n_train": model.n_train,
        "params": model.params,
        "thresholds": model.thresholds,
        **model.info,
    }


def save(model: TextModel, directory: Path) -> Path:
    """Write the model and its ``model.json`` atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, write in (
        (MODEL_FILE, lambda f: joblib.dump(model, f)),
        (META_FILE, lambda f: f.write(json.dumps(metadata(model), indent=2).encode())),
    ):
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, directory / name)
    with _lock:
        _cache[directory] = model
    return directory


def load(directory: Path) -> TextModel | None:
    """The saved model, or None when there is none or it was saved by another scikit-learn or
    another version of this code (``MODEL_FORMAT``): the caller retrains."""
    with _lock:
        if directory in _cache:
            return _cache[directory]
        path, meta = directory / MODEL_FILE, directory / META_FILE
        if not path.exists() or not meta.exists():
            return None
        try:
            saved = json.loads(meta.read_text())
            if (saved.get("scikit_learn"), saved.get("format")) != (
                sklearn.__version__,
                MODEL_FORMAT,
            ):
                return None  # retrain rather than unpickle across versions
            model = joblib.load(path)
        except (OSError, ValueError, EOFError, json.JSONDecodeError):
            return None
        if not isinstance(model, TextModel):
            return None
        _cache[directory] = model
        return model


def install(model: TextModel, directory: Path) -> None:
    """Use ``model`` for ``directory`` in this process without writing it (tests)."""
    with _lock:
        _cache[directory] = model


def forget(directory: Path | None = None) -> None:
    with _lock:
        if directory is None:
            _cache.clear()
        else:
            _cache.pop(directory, None)
