"""The decision notice as a tagged PDF, rendered by the agenda pack's renderer (WeasyPrint,
PDF/UA) and kept in its cache by content hash: a notice is rendered once."""

from django.conf import settings
from django.template.loader import render_to_string

from committee.pack.render import Job, cache_get, cache_key, cache_put, render_job

from .models import Decision


def notice_title(decision: Decision) -> str:
    return f"Decision notice: {decision.title}"


def notice_html(decision: Decision) -> str:
    return render_to_string(
        "pdf/decision_notice.html",
        {
            "council_name": settings.QUORUM_COUNCIL_NAME,
            "document_title": notice_title(decision),
            "decision": decision,
            "notice": decision.notice,
        },
    )


def notice_pdf(decision: Decision) -> bytes:
    return _rendered(notice_html(decision))


def _rendered(html: str) -> bytes:
    key = cache_key(html)
    cached = cache_get(key)
    if cached is not None:
        return cached
    data = render_job(Job(key=key, html=html)).pdf
    cache_put(key, data)
    return data


def special_urgency_report_html(quarter, rows) -> str:
    return render_to_string(
        "pdf/special_urgency_report.html",
        {
            "council_name": settings.QUORUM_COUNCIL_NAME,
            "document_title": f"Special urgency decisions: {quarter.label}",
            "quarter": quarter,
            "decisions": rows,
        },
    )


def special_urgency_report_pdf(quarter, rows) -> bytes:
    """The leader's quarterly report to the council (reg 11(5)), cached like a notice."""
    return _rendered(special_urgency_report_html(quarter, rows))
