"""Test set-up: one migrated database per test session (SQLite by default, PostgreSQL with
``--db postgres``), emptied after every test, and a real HTTP server on a free port.

Run on PostgreSQL with ``pytest --db postgres`` (URL from ``ACCORD_TEST_POSTGRES_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``): each run creates and drops its own
database, so parallel workers never share one.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from accord.auth import passwords
from accord.db import make_engine
from accord.migrations import upgrade
from accord.models import Base

# Password hashing strength is argon2's business, not the tests': cheap parameters keep the
# suite fast while still running the real hasher.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# No background text tagging in the test servers unless a test starts it (tests/text).
os.environ.setdefault("ACCORD_TEXT_AUTO_CLASSIFY", "false")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=["sqlite", "postgres"], default="sqlite")


def _postgres_database(base_url: str) -> tuple[str, Engine]:
    """Create a throwaway database; returns its URL and an admin engine to drop it with."""
    url = make_url(base_url)
    name = f"accord_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), admin


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.config.getoption("--db") == "postgres":
        url, admin = _postgres_database(os.environ.get("ACCORD_TEST_POSTGRES_URL", DEFAULT_PG))
        yield url
        name = make_url(url).database
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'accord.db'}"


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """The test database, empty at the start of the test and emptied after it."""
    yield migrated_engine
    _empty(migrated_engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, app: object) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(migrated_engine: Engine) -> Iterator[LiveServer]:
    """Accord served over real HTTP on a free local port, on the test database."""
    from accord.api.app import create_app

    server = LiveServer(create_app(engine=migrated_engine))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    """A real HTTP client of the live server (generous timeout: the first text request may load
    the model)."""
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def text_model(request: pytest.FixtureRequest) -> Iterator[object]:
    """The text classifier trained on the labelled set, used by every text service of this
    process (ACCORD_TEXT_MODEL_DIR). Kept in pytest's cache by model version (a hash of the
    training data and parameters), so a run trains only when the data or parameters changed."""
    from accord.config import get_settings
    from accord.text import service, store
    from accord.text.classifier import DEFAULT_PARAMS, model_version
    from accord.text.data import load_labelled

    train = [ex for ex in load_labelled() if ex.split == "train"]
    version = model_version(train, DEFAULT_PARAMS)
    directory = request.config.cache.mkdir("accord-text-model") / version
    settings = get_settings()
    before, settings.text_model_dir = settings.text_model_dir, str(directory)
    model = store.load(directory)
    if model is None or model.version != version:
        model = service.train_model(None, directory=directory)
    yield model
    settings.text_model_dir = before


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"
