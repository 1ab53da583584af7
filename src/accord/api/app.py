"""The FastAPI application: REST API under /api (OpenAPI at /docs) and the web UI."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from starlette.middleware.sessions import SessionMiddleware

from accord import __version__
from accord.config import Settings, get_settings
from accord.db import get_engine, session_factory
from accord.errors import AccordError, NotAuthenticated
from accord.text.worker import lifespan as text_worker_lifespan


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Serving starts: freeze what is alive (libraries, routes, templates: ~260k objects) out of
    the cycle collector's view, so a full collection no longer stalls a request for ~160 ms
    (measured: survey submission p99 226 → see docs/surveys.md); then the text tagger."""
    gc.freeze()
    async with text_worker_lifespan(app):
        yield


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Accord",
        version=__version__,
        summary="B2B customer experience management: the whole buying village, weighed.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine or get_engine()
    app.state.sessions = session_factory(app.state.engine)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="accord_session",
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.env == "production",
    )

    @app.exception_handler(AccordError)
    async def domain_error(request: Request, exc: AccordError) -> Response:
        if isinstance(exc, NotAuthenticated):
            if not request.url.path.startswith("/api"):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
            return JSONResponse(
                {"detail": exc.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> Response:
        # The services check what they can; a race between two writers still ends here.
        return JSONResponse({"detail": "conflicts with existing data"}, status_code=409)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    from accord.api import auth, imports, insights, records

    app.include_router(records.router, tags=["records"])
    app.include_router(auth.router, tags=["auth"])
    app.include_router(imports.router, tags=["import"])
    app.include_router(insights.router, tags=["insights"])
    from accord.api import engagement, leads, reports

    app.include_router(leads.router, tags=["leads"])
    app.include_router(engagement.router, tags=["engagement"])
    app.include_router(reports.router, tags=["reports"])
    from accord.api import loop

    app.include_router(loop.router, tags=["loop"])
    from accord.api import capture

    app.include_router(capture.router, tags=["listening"])
    from accord.api import surveys

    app.include_router(surveys.router, tags=["surveys"])

    from accord.api import text

    app.include_router(text.router, tags=["text"])

    from accord.web import mount_web

    mount_web(app)
    return app
