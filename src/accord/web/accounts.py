"""Account pages: the list with search and filters, and one account with its village, journey
and feedback. Everything is read through the domain services with the viewer's actor, so an
account manager sees only their own accounts here exactly as in the API."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.accounts import service as accounts
from accord.accounts.schemas import AccountFilter
from accord.api.deps import SessionDep
from accord.api.loop import current_time
from accord.engagement import service as engagement
from accord.errors import NotFound
from accord.journey import service as journey
from accord.journey.schemas import FulfilmentFilter, OpportunityFilter
from accord.listening import service as listening
from accord.listening.schemas import FeedbackFilter
from accord.loop.board import account_loop
from accord.web.deps import ViewerDep
from accord.web.errors import missing
from accord.web.feedback_tags import tags_by_feedback
from accord.web.insights import account_panel
from accord.web.nav import STAFF, register_nav
from accord.web.templating import render

router = APIRouter(include_in_schema=False)
register_nav("Accounts", "/accounts", order=10, roles=STAFF)

PAGE_SIZE = 25
FEEDBACK_PAGE = 50
# The account page shows the latest of each, newest first; the API lists them all.
OPPORTUNITY_LIMIT = 50
FULFILMENT_LIMIT = 25


def offset_param(value: str | None) -> int:
    """A page offset from the query string; junk reads as the first page rather than an error
    page, since these links are hand-edited and bookmarked."""
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _clean(value: str | None) -> str:
    return (value or "").strip()[:200]


@router.get("/accounts")
def account_list(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: str = "",
    segment: str = "",
    owner: str = "",
    region: str = "",
    offset: str = "",
) -> Response:
    raw = {"q": q, "segment": segment, "owner": owner, "region": region}
    chosen = {name: _clean(value) for name, value in raw.items()}
    filters = AccountFilter(**{k: v or None for k, v in chosen.items()})
    start = offset_param(offset)
    page = accounts.list_accounts(session, viewer.actor, filters, offset=start, limit=PAGE_SIZE)
    if page.total and start >= page.total:  # past the end (a stale link): show the last page
        start = (page.total - 1) // PAGE_SIZE * PAGE_SIZE
        page = accounts.list_accounts(session, viewer.actor, filters, offset=start, limit=PAGE_SIZE)

    def page_url(at: int) -> str:
        params = {k: v for k, v in chosen.items() if v}
        if at:
            params["offset"] = str(at)
        return "/accounts" + ("?" + urlencode(params) if params else "")

    context = {
        "page": page,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "segments": accounts.segments(session, viewer.actor),
        "owners": accounts.owners(session, viewer.actor),
        "regions": accounts.regions(session, viewer.actor),
        "first": start + 1 if page.items else 0,
        "last": start + len(page.items),
        "prev_url": page_url(max(0, start - PAGE_SIZE)) if start > 0 else None,
        "next_url": page_url(start + PAGE_SIZE) if start + PAGE_SIZE < page.total else None,
    }
    return render(request, "accounts/list.html", context, viewer=viewer)


@router.get("/accounts/{account_id}")
def account_detail(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    account_id: str,
    feedback_offset: str = "",
) -> Response:
    actor = viewer.actor
    try:
        account = accounts.get_account(session, actor, account_id)
    except NotFound:
        # Another owner's account reads as missing too: its existence is not disclosed.
        return missing(request, viewer, "account")
    stakeholders = accounts.village(session, actor, account.id)
    opportunities = journey.list_opportunities(
        session, actor, OpportunityFilter(account_id=account.id), limit=OPPORTUNITY_LIMIT
    )
    fulfilments = journey.list_fulfilments(
        session, actor, FulfilmentFilter(account_id=account.id), limit=FULFILMENT_LIMIT
    )
    start = offset_param(feedback_offset)
    feedback = listening.list_feedback(
        session, actor, FeedbackFilter(account_id=account.id), offset=start, limit=FEEDBACK_PAGE
    )
    base = f"/accounts/{account.id}"

    def feedback_url(at: int) -> str:
        return (f"{base}?feedback_offset={at}" if at else base) + "#feedback"

    context = {
        "account": account,
        "village": stakeholders,
        "engagement": engagement.engagement_by_role(session, actor, account.id),
        "insight_panel": account_panel(session, actor, account.id),
        "ticket_panel": account_loop(session, actor, account.id, current_time(request)),
        "active_count": sum(1 for s in stakeholders if s.active),
        "veto_count": sum(1 for s in stakeholders if s.active and s.veto),
        "people": {s.contact.id: s.contact for s in stakeholders},
        "opportunities": opportunities,
        "fulfilments": fulfilments,
        "beautified": sum(
            1 for f in fulfilments.items if f.reported_on_time and f.on_time is False
        ),
        "feedback": feedback,
        "tags": tags_by_feedback(session, [f.id for f in feedback.items]),
        "feedback_first": start + 1 if feedback.items else 0,
        "feedback_last": start + len(feedback.items),
        "newer_url": feedback_url(max(0, start - FEEDBACK_PAGE)) if start > 0 else None,
        "older_url": (
            feedback_url(start + FEEDBACK_PAGE) if start + FEEDBACK_PAGE < feedback.total else None
        ),
    }
    return render(request, "accounts/detail.html", context, viewer=viewer)
