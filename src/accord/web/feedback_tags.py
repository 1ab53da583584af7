"""Correcting what the text classifier read in a comment: the six driver tags and the sentiment,
one small form per feedback item. The correction is the item's tag from then on and joins the
training data at the next `accord classify --train` (``accord.text.service.correct_tags``, the same
service as ``PUT /api/feedback/{id}/tags``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.api.deps import SessionDep
from accord.errors import AccordError, NotFound
from accord.listening.models import Feedback
from accord.text import service as text
from accord.text.models import SENTIMENTS, TextTag
from accord.vocabulary import DRIVERS
from accord.web.deps import Viewer, ViewerDep, csrf_ok
from accord.web.errors import missing
from accord.web.templating import render

router = APIRouter(include_in_schema=False)


def tags_by_feedback(session: Session, feedback_ids: list[str]) -> dict[str, TextTag]:
    """The stored tags of a page of feedback, in one query (the account page's stream)."""
    if not feedback_ids:
        return {}
    rows = session.scalars(select(TextTag).where(TextTag.feedback_id.in_(feedback_ids)))
    return {tag.feedback_id: tag for tag in rows}


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    feedback_id: str,
    *,
    chosen: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        current = text.get_tags(session, viewer.actor, feedback_id)
    except NotFound:
        return missing(request, viewer, "feedback item")
    feedback = session.get(Feedback, feedback_id)
    assert feedback is not None  # get_tags found it
    context = {
        "feedback": feedback,
        "current": current,
        "chosen": chosen or {"drivers": current["drivers"], "sentiment": current["sentiment"]},
        "drivers": DRIVERS,
        "sentiments": SENTIMENTS,
        "error": error,
    }
    return render(request, "text/tags.html", context, viewer=viewer, status_code=status_code)


@router.get("/feedback/{feedback_id}/tags")
def tags_form(
    request: Request, session: SessionDep, viewer: ViewerDep, feedback_id: str
) -> Response:
    return _page(request, session, viewer, feedback_id)


@router.post("/feedback/{feedback_id}/tags")
async def tags_submit(
    request: Request, session: SessionDep, viewer: ViewerDep, feedback_id: str
) -> Response:
    form = await request.form()
    chosen = {
        "drivers": [str(d) for d in form.getlist("drivers")],
        "sentiment": str(form.get("sentiment", "")),
    }
    if not csrf_ok(request, str(form.get("csrf", ""))):
        return _page(
            request, session, viewer, feedback_id, chosen=chosen,
            error="This form expired; correct the tags again.", status_code=403,
        )  # fmt: skip
    try:
        drivers, sentiment = chosen["drivers"], chosen["sentiment"]
        text.correct_tags(session, viewer.actor, feedback_id, drivers, sentiment)
    except AccordError as exc:
        session.rollback()
        if isinstance(exc, NotFound):
            return _page(request, session, viewer, feedback_id)  # renders the 404 page
        return _page(
            request, session, viewer, feedback_id, chosen=chosen,
            error=exc.message, status_code=exc.status_code,
        )  # fmt: skip
    feedback = session.get(Feedback, feedback_id)
    assert feedback is not None
    return RedirectResponse(f"/accounts/{feedback.account_id}#fb-{feedback_id}", status_code=303)
