"""The lead definition editor (YAML, versioned; marketing saves, everyone reads) and marketing's
lead report with its charts. Mounted by ``accord.web.leads`` ahead of the lead pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from accord import charts
from accord.api.deps import SessionDep
from accord.errors import AccordError
from accord.leads import reports, service
from accord.leads.schemas import DefinitionIn
from accord.web.deps import ViewerDep, csrf_ok
from accord.web.templating import render

router = APIRouter(include_in_schema=False)


def _editor(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    *,
    text: str | None = None,
    note: str = "",
    error: str = "",
    saved: str = "",
    status: int = 200,
) -> Response:
    versions = service.list_definitions(session)
    context = {
        "versions": versions,
        "current": versions[0],
        "text": text if text is not None else versions[0].yaml,
        "note": note,
        "error": error,
        "saved": saved,
        "can_edit": viewer.actor.role in service.MARKETING,
        "thresholds": service.thresholds(versions[0]),
    }
    return render(request, "leads/definition.html", context, viewer=viewer, status_code=status)


@router.get("/leads/definition")
def definition_page(
    request: Request, session: SessionDep, viewer: ViewerDep, saved: str = ""
) -> Response:
    return _editor(request, session, viewer, saved=saved[:200])


@router.post("/leads/definition")
def save_definition(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    yaml: str = Form(""),
    note: str = Form(""),
    rescore: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    if not csrf_ok(request, csrf):
        return _editor(request, session, viewer, text=yaml, note=note, error="This form expired.",
                       status=403)  # fmt: skip
    try:
        data = DefinitionIn(
            yaml=yaml or " ", note=note.strip()[:200] or None, rescore=bool(rescore)
        )
        row, outcome = service.save_definition(session, viewer.actor, data)
    except AccordError as exc:
        session.rollback()
        return _editor(request, session, viewer, text=yaml, note=note, error=exc.message,
                       status=exc.status_code)  # fmt: skip
    message = f"Saved version {row.version}."
    if outcome is not None:
        message += f" Re-scored {outcome.scored} leads; {outcome.stage_changes} changed stage."
    return RedirectResponse("/leads/definition?" + urlencode({"saved": message}), status_code=303)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/leads/report")
def report_page(
    request: Request, session: SessionDep, viewer: ViewerDep, since: str = "", until: str = ""
) -> Response:
    start, end = _day(since), _day(until)
    rep = reports.marketing_report(session, viewer.actor, since=start, until=end)
    cal = rep.calibration
    pct = "{:.0%}"
    figures = {
        "bands": charts.bar_chart(
            [(b.label, b.rate) for b in rep.bands],
            title="Conversion rate by score band",
            desc="; ".join(
                f"{b.label}: {pct.format(b.rate or 0)} of {b.decided}" for b in rep.bands
            ),
            fmt=pct,
        ),
        "sources": charts.hbar_chart(
            [(s.label.replace("_", " "), s.rate) for s in rep.sources],
            title="Conversion rate by source",
            desc="; ".join(f"{s.label}: {pct.format(s.rate or 0)}" for s in rep.sources),
            fmt=pct,
            max_value=1.0,
        ),
        "calibration": charts.histogram(
            {"converted": cal.converted_scores, "not converted": cal.other_scores},
            bins=list(range(0, 111, 10)),
            title=f"Scores under version {cal.version}, converted and not",
            desc=cal.verdict,
            markers={"mql": cal.mql, "sql": cal.sql},
            share=True,
        ),
    }
    if rep.pain_over_time:
        figures["pains"] = charts.line_chart(
            rep.pain_over_time,
            rep.quarters,
            title="Top pain points heard by sales, per quarter",
            desc="; ".join(f"{t}: {sum(v)} mentions" for t, v in rep.pain_over_time.items()),
        )
    if rep.rejected:
        figures["rejected"] = charts.hbar_chart(
            rep.rejected[:8],
            title="Why sales rejected leads",
            desc="; ".join(f"{r}: {n}" for r, n in rep.rejected),
        )
    context = {
        "r": rep,
        "cal": cal,
        "figures": {k: Markup(v) for k, v in figures.items()},
        "since": start.isoformat() if start else "",
        "until": end.isoformat() if end else "",
    }
    return render(request, "leads/report.html", context, viewer=viewer)
