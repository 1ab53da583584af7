"""The purchaser's value report page and its PDF download, for an account and a period."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.api.deps import SessionDep
from accord.errors import InvalidInput, NotFound
from accord.reports.periods import current_quarter
from accord.reports.render import body_html, pdf_bytes
from accord.reports.value import value_report
from accord.web.deps import ViewerDep
from accord.web.errors import missing
from accord.web.templating import render

router = APIRouter(include_in_schema=False)


def _missing(request: Request, viewer: ViewerDep) -> Response:
    return missing(request, viewer, "account")


def _period(period: str) -> str:
    return period.strip()[:20] or current_quarter(date.today()).previous().label


@router.get("/reports/value/{account_id}.pdf")
def value_pdf(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str, period: str = ""
) -> Response:
    try:
        report = value_report(session, viewer.actor, account_id, _period(period))
    except NotFound:
        return _missing(request, viewer)
    except InvalidInput as exc:
        context = {"title": "No such period", "message": exc.message}
        return render(request, "errors/error.html", context, viewer=viewer, status_code=422)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", report.account.id)
    return Response(
        pdf_bytes(report),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="value-report-{safe}-{report.period}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/reports/value/{account_id}")
def value_page(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: str, period: str = ""
) -> Response:
    chosen, error = _period(period), ""
    try:
        report = value_report(session, viewer.actor, account_id, chosen)
    except NotFound:
        return _missing(request, viewer)
    except InvalidInput as exc:
        error = exc.message
        chosen = current_quarter(date.today()).previous().label
        report = value_report(session, viewer.actor, account_id, chosen)
    context = {"report": report, "body": body_html(report), "period": chosen, "error": error}
    return render(request, "reports/value.html", context, viewer=viewer)
