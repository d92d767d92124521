"""Public pages of executive decisions: the forward plan, its feeds, the decisions list, a
decision's page and its notice as a tagged PDF. Every read goes through decisions.selectors,
which ask committee.gate."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event, vText

from committee import gate
from committee.gate import reader_for
from core.feeds import SafeFeed
from core.http import mark_private

from . import selectors


@require_GET
def forward_plan(request):
    reader = reader_for(request.user)
    return render(request, "decisions/forward_plan.html", {"groups": selectors.forward_plan_grouped(reader)})


@require_GET
def plan_entry(request, pk: int):
    entry = selectors.plan_entry_detail(reader_for(request.user), pk)
    return render(request, "decisions/plan_entry.html", {"entry": entry})


@require_GET
def decision_list(request):
    return render(
        request, "decisions/decision_list.html", {"decisions": selectors.decision_list(reader_for(request.user))}
    )


@require_GET
def decision_detail(request, pk: int):
    decision = selectors.decision_detail(reader_for(request.user), pk)
    return render(request, "decisions/decision_detail.html", {"decision": decision, "Status": selectors.Status})


@require_GET
def decision_notice_pdf(request, pk: int):
    reader = reader_for(request.user)
    decision = selectors.decision_for_notice(reader, pk)
    from . import pdf  # WeasyPrint loads only when a notice is printed (the quick test loop runs without it)

    response = HttpResponse(pdf.notice_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-notice-{decision.pk}.pdf"'
    if gate.response_is_private(reader, decision):
        mark_private(response)
    return response


@require_GET
def special_urgency(request):
    """The leader's quarterly reports of special urgency decisions (reg 11(5)), by quarter.
    Public: it reads as the public does, whoever is signed in, as the report to council does."""
    quarters = selectors.special_urgency_by_quarter(gate.Reader.public())
    return render(request, "decisions/special_urgency.html", {"quarters": quarters})


def _special_urgency_report(slug: str):
    """The quarter an address names (Http404 if the Leader cannot have reported on it) and its
    decisions as the public reads them: the page and the PDF are one report."""
    found = selectors.special_urgency_report_quarter(slug)
    return found, selectors.special_urgency_decisions(gate.Reader.public(), found)


@require_GET
def special_urgency_quarter(request, quarter: str):
    """One quarter's special urgency decisions, the page of its report (a nil report too)."""
    found, rows = _special_urgency_report(quarter)
    return render(request, "decisions/special_urgency_quarter.html", {"quarter": found, "decisions": rows})


@require_GET
def special_urgency_pdf(request, quarter: str):
    found, rows = _special_urgency_report(quarter)
    from . import pdf

    response = HttpResponse(pdf.special_urgency_report_pdf(found, rows), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="special-urgency-decisions-{found.slug}.pdf"'
    return response


@require_GET
def private_notices(request):
    """Notices of meetings to be held (in part) in private (reg 5): the 28-day notice with
    its reasons, and the 5-day further notice with representations and the response."""
    upcoming, past = selectors.private_notices_listed(reader_for(request.user))
    return render(request, "decisions/private_notices.html", {"upcoming": upcoming, "past": past})


# Feeds: public, so they read as the public. ------------------------------------------------


def forward_plan_ics(request):
    cal = Calendar()
    cal.add("prodid", "-//Quorum//Forward plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", vText("Forward plan of key decisions"))
    host = request.get_host().split(":")[0]
    for entry in selectors.forward_plan(gate.Reader.public()):
        event = Event()
        event.add("uid", f"forward-plan-{entry.pk}@{host}")
        event.add("dtstamp", entry.updated_at)
        # An all-day event: the date on which, or the first day of the period in which, it is due.
        event.add("dtstart", entry.decision_due)
        event.add("summary", vText(f"{entry.reference}: {entry.title}"))
        url = request.build_absolute_uri(entry.get_absolute_url())
        event.add("url", url)
        event.add("description", vText(f"Decision maker: {entry.maker}\n{url}"))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forward-plan.ics"'
    return response


class ForwardPlanFeed(SafeFeed):
    title = "Forward plan of key decisions"
    description = "Executive decisions to be taken, as their notices are published (SI 2012/2089 reg 9)."

    def link(self):
        return reverse("decisions:forward-plan")

    def items(self):
        return selectors.plan_entries(gate.Reader.public()).order_by("-notice_published_on", "-pk")[:50]

    def item_title(self, entry):
        return f"{entry.reference}: {entry.title} ({entry.get_status_display()})"

    def item_description(self, entry):
        return f"Decision maker: {entry.maker}. Due: {entry.decision_due:%-d %B %Y}. {entry.summary}"

    def item_link(self, entry):
        return entry.get_absolute_url()

    def item_updateddate(self, entry):
        return entry.updated_at
