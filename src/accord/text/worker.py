"""The background worker of a running server: every ``ACCORD_TEXT_AUTO_INTERVAL_S`` seconds it
tags pending feedback (text, no tags yet) in batches, so surveys, quick notes, mail
ingest and imports get tagged without calling the classifier themselves.

One daemon thread per server process. Several processes may run it against one database: a
batch that loses a race to another process is rolled back and picked up again next time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from accord.db import transaction

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, engine: Engine, interval_s: float, batch_size: int) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.batch_size = batch_size
        self.tagged = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="accord-text-worker", daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout=timeout)

    def run_once(self) -> int:
        """Tag one batch; returns how many were tagged."""
        from accord.text.service import classify_pending

        with transaction(self.engine) as session:
            return classify_pending(session, limit=self.batch_size)

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self.interval_s
            try:
                n = self.run_once()
                self.tagged += n
                if n == self.batch_size:
                    wait = 0  # more may be waiting
            except (IntegrityError, OperationalError) as exc:  # a race or a busy database
                log.info("text worker: batch not stored, retrying later (%s)", exc.__class__)
            except Exception:  # keep serving; the log says why tagging stopped working
                self.failures += 1
                log.exception("text worker: tagging pending feedback failed")
                wait = min(self.interval_s * 2**self.failures, 300.0)
            else:
                self.failures = 0
            self._stop.wait(wait)


def start_worker(engine: Engine, interval_s: float, batch_size: int) -> Worker:
    return Worker(engine, interval_s, batch_size).start()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """The FastAPI lifespan: start the worker when ``ACCORD_TEXT_AUTO_CLASSIFY`` is true (the
    server's settings) and stop it on shutdown."""
    settings = app.state.settings
    worker = None
    if settings.text_auto_classify:
        worker = start_worker(
            app.state.engine, settings.text_auto_interval_s, settings.text_batch_size
        )
    app.state.text_worker = worker
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()
