"""The purchaser's value report over HTTP: JSON, or the PDF to hand on."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from accord.api.deps import ActorDep, SessionDep
from accord.reports.render import pdf_bytes
from accord.reports.value import as_dict, value_report
from accord.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.get("/reports/value/{account_id}")
def value_report_json(
    account_id: str, session: SessionDep, actor: ActorDep, period: str
) -> dict[str, Any]:
    """Spend and savings, delivery, issues, the anonymised peer comparison and events for an
    account and a period (``2026Q3``, ``2026H1``, ``2026-07``, ``2026``)."""
    return as_dict(value_report(session, actor, account_id, period))


@router.get(
    "/reports/value/{account_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The report as a PDF"}},
)
def value_report_pdf(
    account_id: str, session: SessionDep, actor: ActorDep, period: str
) -> Response:
    """The same report as an A4 PDF with its charts."""
    report = value_report(session, actor, account_id, period)
    body = pdf_bytes(report)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", report.account.id)
    name = f"value-report-{safe}-{report.period.label}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
