"""The labelled set: comments with their driver tags and sentiment, for training and testing.

``data/labelled_comments.jsonl`` (``data/README.md``) holds one JSON object per line with the
keys ``id``, ``text``, ``drivers`` (a list, possibly empty), ``sentiment`` and ``split``
(``train`` or ``test``); ``industry``, ``role`` and ``channel`` are optional context. Until that
file exists the loader reads the contributors' parts (``data/parts/*.jsonl``) and assigns the
split by a stable hash of the id (about 25 % test).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from accord.errors import InvalidInput
from accord.text.models import SENTIMENTS
from accord.vocabulary import DRIVERS

REPO_DATA = Path(__file__).resolve().parents[3] / "data"  # the editable install's checkout
DEFAULT_PATH = REPO_DATA / "labelled_comments.jsonl"
PARTS = REPO_DATA / "parts"
SPLITS = ("train", "test")
REQUIRED = ("id", "text", "drivers", "sentiment")
OPTIONAL = ("industry", "role", "channel", "split")


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    drivers: tuple[str, ...]
    sentiment: str
    split: str = "train"


def check_labels(drivers: object, sentiment: object, where: str) -> tuple[tuple[str, ...], str]:
    """Drivers as a sorted tuple of known drivers (no repeats) and a known sentiment, or an
    ``InvalidInput`` naming ``where`` and what is wrong."""
    if not isinstance(drivers, list) or not all(isinstance(d, str) for d in drivers):
        raise InvalidInput(f"{where}: drivers must be a list of driver names")
    unknown = sorted(set(drivers) - set(DRIVERS))
    if unknown:
        raise InvalidInput(
            f"{where}: unknown driver(s) {', '.join(map(repr, unknown))}; use {', '.join(DRIVERS)}"
        )
    if len(set(drivers)) != len(drivers):
        raise InvalidInput(f"{where}: a driver is listed twice")
    if sentiment not in SENTIMENTS:
        raise InvalidInput(
            f"{where}: sentiment must be one of {', '.join(SENTIMENTS)}, not {sentiment!r}"
        )
    return tuple(d for d in DRIVERS if d in drivers), str(sentiment)


def hash_split(example_id: str, test_share: float = 0.25) -> str:
    """A stable split by id: the same id always lands on the same side."""
    h = int(hashlib.sha256(example_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < test_share else "train"


def read_jsonl(path: Path, *, need_split: bool) -> list[Example]:
    """Every line of ``path`` as an example; any bad line is an ``InvalidInput`` naming
    ``path:line`` and the reason, and nothing is returned."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the labelled set ({exc})") from None
    examples: list[Example] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InvalidInput(f"{where}: expected a JSON object")
        missing = [k for k in REQUIRED if k not in row]
        if missing:
            raise InvalidInput(f"{where}: missing {', '.join(missing)}")
        unknown = sorted(set(row) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise InvalidInput(f"{where}: unknown key(s) {', '.join(unknown)}")
        if not isinstance(row["id"], str) or not row["id"]:
            raise InvalidInput(f"{where}: id must be a non-empty string")
        if row["id"] in seen:
            raise InvalidInput(f"{where}: id {row['id']!r} appears twice")
        seen.add(row["id"])
        if not isinstance(row["text"], str) or not row["text"].strip():
            raise InvalidInput(f"{where}: text must be a non-empty string")
        drivers, sentiment = check_labels(row["drivers"], row["sentiment"], where)
        split = row.get("split")
        if split is None and not need_split:
            split = hash_split(row["id"])
        if split not in SPLITS:
            raise InvalidInput(f"{where}: split must be train or test, not {split!r}")
        examples.append(Example(row["id"], row["text"].strip(), drivers, sentiment, split))
    return examples


def labelled_path(setting: str = "") -> Path:
    return Path(setting) if setting else DEFAULT_PATH


def load_labelled(path: Path | None = None) -> list[Example]:
    """The labelled set. With no explicit path and no ``data/labelled_comments.jsonl`` yet, the
    parts in ``data/parts/`` with a hash split (a development fallback)."""
    if path is not None or DEFAULT_PATH.exists():
        target = path or DEFAULT_PATH
        if not target.exists():
            raise InvalidInput(f"{target}: the labelled set does not exist")
        examples = read_jsonl(target, need_split=True)
    else:
        parts = sorted(PARTS.glob("*.jsonl")) if PARTS.is_dir() else []
        if not parts:
            raise InvalidInput(f"{DEFAULT_PATH}: the labelled set does not exist")
        examples = []
        ids: set[str] = set()
        for part in parts:
            for ex in read_jsonl(part, need_split=False):
                if ex.id in ids:
                    raise InvalidInput(f"{part}: id {ex.id!r} appears in another part")
                ids.add(ex.id)
                examples.append(ex)
    if not examples:
        raise InvalidInput(f"{path or DEFAULT_PATH}: the labelled set is empty")
    return examples
