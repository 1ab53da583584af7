"""Server-rendered web UI (Jinja2); every asset is served from this package.

Each page module holds an ``APIRouter`` and registers its top-level pages with
``accord.web.nav.register_nav``; adding a page is adding a module and naming it in
``mount_web`` below (see ``docs/development.md``, "Adding a web page").
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord.web.nav import NAV, NavItem, register_nav

__all__ = ["NAV", "NavItem", "mount_web", "register_nav"]


def mount_web(app: FastAPI) -> None:
    """Add the web pages, their error page and the static files to the app."""
    # Imported here, not at module level: page modules import the API's dependencies, and the
    # app imports this package while it is being built.
    from accord.web import (
        accounts,
        auth,
        capture,
        events,
        feedback_tags,
        insights,
        leads,
        portal,
        reports,
        survey_page,
        surveys,
    )
    from accord.web import loop as loop_pages
    from accord.web.errors import add_error_pages
    from accord.web.templating import HERE

    pages = (auth, portal, survey_page, accounts, capture, feedback_tags, insights, leads, events)
    for module in (*pages, reports, loop_pages, surveys):
        app.include_router(module.router)
    add_error_pages(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
