"""Public pages. Every read goes through committee.selectors, which composes committee.gate."""

import calendar
from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from committee import gate, selectors, services
from committee.models import Committee, Meeting, Member
from committee.pack import selectors as pack_selectors
from core.http import mark_private

from . import search as site_search
from .forms import CalendarFilterForm, SearchForm


@require_GET
def home(request):
    reader = gate.reader_for(request.user)
    meetings = selectors.meeting_list()
    return render(
        request,
        "committee/home.html",
        {
            "upcoming": meetings.upcoming()[:8],
            "recent_meetings": meetings.past()[:8],
            "recent_papers": selectors.recently_published_reports(reader, limit=8),
            "search_form": SearchForm(),
        },
    )


@require_GET
def committee_list(request):
    return render(request, "committee/committee_list.html", {"committees": selectors.committees_with_next_meeting()})


@require_GET
def committee_detail(request, slug):
    """The committee, its members, what is coming, and its past meetings one year at a time
    (the page stays small however long the committee's history)."""
    committee = get_object_or_404(Committee, slug=slug)
    memberships = committee.memberships.current().select_related("member").order_by("role", "member__name")
    meetings = selectors.meeting_list(committee_id=committee.pk)
    now = timezone.now()
    years = [d.year for d in meetings.filter(starts_at__lt=now).dates("starts_at", "year", order="DESC")]
    # Only a year with past meetings is offered; any other ?year= (a typo, -5, twenty
    # digits: years the database cannot even express) shows the latest, as no year does.
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isascii() and asked.isdigit() and int(asked) in years else None
    if year is None:
        year = years[0] if years else now.year
    return render(
        request,
        "committee/committee_detail.html",
        {
            "committee": committee,
            "memberships": memberships,
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now, starts_at__year=year).order_by("-starts_at"),
            "year": year,
            "years": years,
        },
    )


@require_GET
def member_list(request):
    members = Member.objects.filter(memberships__isnull=False).distinct().select_related("division").order_by("name")
    return render(request, "committee/member_list.html", {"members": members})


@require_GET
def member_detail(request, slug):
    member = get_object_or_404(Member, slug=slug)
    return render(request, "committee/member_detail.html", {"member": member, **selectors.member_record(member)})


@never_cache  # made for one councillor: never kept, by the page cache or anyone else
@login_required
@require_GET
def your_meetings(request):
    """A councillor's own work, where signing in lands them (accounts.views.landing_page):
    their committees' meetings ahead with the packs they may read, papers published lately,
    and recent meetings' minutes. A login that is no councillor's is told so."""
    try:
        member = request.user.member
    except Member.DoesNotExist:
        return render(request, "committee/your_meetings.html", {"member": None})
    reader = gate.reader_for(request.user)
    work = selectors.councillors_meetings(member, reader)
    packs = pack_selectors.packs_of_meetings(meetings=work.ahead, reader=reader)
    for meeting in work.ahead:
        meeting.readable_packs = packs[meeting.pk]
    return render(
        request,
        "committee/your_meetings.html",
        {"member": member, "work": work, "new_papers_days": selectors.NEW_PAPERS_DAYS},
    )


@require_GET
def meeting_detail(request, pk):
    reader = gate.reader_for(request.user)
    meeting = selectors.meeting_detail(pk)
    items = selectors.agenda_for(meeting, reader)
    attendance, minutes = selectors.minutes_for(meeting, reader)
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=reader)
    # The agenda's "(Pages 1 - 8)" are those of the public pack, as on its front sheet.
    ranges = packs.public.page_ranges if packs.public else {}
    for item in items:
        item.page_range = ranges.get(item.number)
    return render(
        request,
        "committee/meeting_detail.html",
        {
            "meeting": meeting,
            "packs": packs,
            "items": items,
            "exclusion_resolution": selectors.exclusion_resolution(items),
            "attendance": attendance,
            "minutes": minutes,
        },
    )


@require_GET
def report_detail(request, pk):
    reader = gate.reader_for(request.user)
    report = selectors.report_detail(pk, reader)
    return render(
        request, "committee/report_detail.html", {"report": report, "item": report.agenda_item, "reader": reader}
    )


@require_GET
def appendix_document(request, pk):
    """Uploaded documents are served only through this view, after the gate, and only as the
    cleaned copy (the pages, without scripts, attachments or metadata)."""
    reader = gate.reader_for(request.user)
    appendix = selectors.appendix_document(pk, reader)
    try:
        cleaned = services.appendix_cleaned_document(appendix=appendix)
    except (FileNotFoundError, services.DocumentUnavailable) as exc:
        raise Http404("This document is not available") from exc
    return _document_response(reader, appendix, cleaned)


@require_GET
def appendix_original(request, pk):
    """The file as it was uploaded, for officers (the admin links to it)."""
    reader = gate.reader_for(request.user)
    appendix = selectors.appendix_original(pk, reader)
    try:
        original = appendix.document.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The file cannot be found") from exc
    return _document_response(reader, appendix, original)


def _document_response(reader, appendix, file):
    response = FileResponse(file, content_type="application/pdf", as_attachment=False, filename=appendix.download_name)
    if gate.response_is_private(reader, appendix):
        mark_private(response)
    return response


@require_GET
def meeting_calendar(request):
    """Meetings by month (a grid) or as a list, filterable by committee."""
    form = CalendarFilterForm(request.GET or None)
    committee = form.cleaned_data.get("committee") if form.is_valid() else None
    today = timezone.localdate()
    month = form.cleaned_data.get("month") if form.is_valid() and form.cleaned_data.get("month") else today
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    meetings = selectors.meeting_list(committee_id=committee.pk if committee else None)
    tz = timezone.get_current_timezone()
    in_month = list(
        meetings.filter(
            starts_at__gte=datetime.combine(first, datetime.min.time(), tz),
            starts_at__lte=datetime.combine(last, datetime.max.time(), tz),
        ).order_by("starts_at")
    )
    by_day: dict[date, list[Meeting]] = {}
    for meeting in in_month:
        by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
    weeks = [
        [(day, by_day.get(day, [])) if day.month == first.month else (None, []) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous_month = (first - timezone.timedelta(days=1)).replace(day=1)
    next_month = last + timezone.timedelta(days=1)
    return render(
        request,
        "committee/calendar.html",
        {
            "form": form,
            "committee": committee,
            "month": first,
            "weeks": weeks,
            "meetings": in_month,
            "previous_month": previous_month,
            "next_month": next_month,
            "view": "list" if request.GET.get("view") == "list" else "month",
        },
    )


RESULTS_PER_PAGE = 20
MOST_RESULTS = 100  # a search lists the best 100 at most: five pages


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    page, count = None, 0
    if form.is_valid() and form.cleaned_data["q"]:
        committee = form.cleaned_data.get("committee")
        reader = gate.reader_for(request.user)
        found = site_search.search(
            query=form.cleaned_data["q"],
            reader=reader,
            committee_id=committee.pk if committee else None,
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
            limit=_ranked_for(request.GET.get("page")),
            count_to=MOST_RESULTS,
        )
        page = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        hits = list(page.object_list)
        page.object_list = site_search.shown(hits, form.cleaned_data["q"], reader=reader)
        # A paper withdrawn or made Part II between the search and the reading of the page's
        # rows (two queries, each seeing what was committed before it) is not shown: nor counted.
        # Those on other pages would only be known by reading every page's rows.
        count = len(found) - (len(hits) - len(page.object_list))
    return render(request, "committee/search.html", {"form": form, "page": page, "count": count})


def _ranked_for(page: str | None) -> int:
    """How many of the best results the page asked for needs ranked: the results up to its
    end (ranking 20 costs less than ranking 100). The page is the one Paginator.get_page
    answers for the most results there can be (not a number: the first; below the first or
    beyond the last: the last); fewer results end sooner, and the page shown is then within
    those ranked."""
    return Paginator(range(MOST_RESULTS), RESULTS_PER_PAGE).get_page(page).end_index()


@require_GET
def accessibility_statement(request):
    return render(request, "committee/accessibility.html")
