"""The meeting and report pages, and who may read what on them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from committee import gate, services
from committee.models import Appendix, Minute, Minutes
from tests.committee.pdfs import pdf_bytes
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

pytestmark = pytest.mark.django_db

SECRET = "MARKER-7f3a-children-named-in-appeal"


@pytest.fixture
def published(committee, officer):
    """A published meeting of `committee` with a Part I report and a Part II report."""
    meeting = MeetingFactory(committee=committee)
    public = ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    private_item = exempt(AgendaItemFactory(meeting=meeting, title="Appeal against a school transport decision"), 1, 2)
    private = ReportFactory(agenda_item=private_item, executive_summary=f"<p>{SECRET}</p>")
    private_item.standing_text = f"<p>{SECRET}</p>"
    private_item.save()
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    return meeting, public, private


def test_meeting_page_lists_part_ii_item_by_title_and_paragraph_only(client, published):
    meeting, public, private = published
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Library opening hours" in page and public.get_absolute_url() in page
    assert "Appeal against a school transport decision" in page and "Paragraphs 1 and 2" in page
    assert "Part II" in page and "press and public be excluded" in page
    assert SECRET not in page and private.get_absolute_url() not in page


def test_part_ii_report_is_read_only_by_its_committee_and_officers(
    client, published, councillor, other_councillor, officer
):
    _, _, private = published
    url = private.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(other_councillor)
    assert client.get(url).status_code == 404
    client.force_login(councillor)
    page = client.get(url)
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert "Not for publication by virtue of paragraphs 1 and 2" in page.content.decode()
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_unpublished_agenda_is_not_public(client, committee):
    report = ReportFactory(agenda_item=AgendaItemFactory(meeting=MeetingFactory(committee=committee)))
    page = client.get(report.agenda_item.meeting.get_absolute_url()).content.decode()
    assert "has not been published yet" in page and report.title not in page
    assert client.get(report.get_absolute_url()).status_code == 404


def test_report_page_shows_its_sections(client, published):
    _, public, _ = published
    page = client.get(public.get_absolute_url()).content.decode()
    assert '">Executive Summary</h2>' in page and "This report provides an update." in page
    assert '">Recommendation</h2>' in page and "Head of Legal &amp; Democratic Services" in page


def test_a_long_report_has_contents_that_lead_to_each_section(client, published):
    import re

    _, public, _ = published
    table = Appendix.objects.create(
        report=public,
        placement=Appendix.Placement.WITHIN_REPORT,
        title="Opening hours by library",
        kind=Appendix.Kind.RICH_TEXT,
        body="<p>Table</p>",
    )
    page = client.get(public.get_absolute_url()).content.decode()
    contents = page[page.index('<nav class="contents"') : page.index("</nav>", page.index('<nav class="contents"'))]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert {"executive_summary", "recommendation", "background-papers", "part-ii-reason"} <= set(targets)
    assert f"within-{table.pk}" in targets  # a table printed within the report is listed too
    for target in targets:
        assert f'id="{target}"' in page, target
    # Every section leads back to the contents.
    sections = {name for name, _ in public.SECTIONS}
    assert page.count('href="#contents-heading"') == len(sections & set(targets)) >= 2


def test_a_search_result_opens_the_section_that_matched(client, published):
    _, public, _ = published
    public.consultations = "<p>The parish council of Bilsborrow was consulted on the hours.</p>"
    public.save()
    page = client.get(reverse("committee:search") + "?q=Bilsborrow").content.decode()
    assert f'href="{public.get_absolute_url()}#consultations"' in page


def test_a_search_result_shows_the_words_of_the_section_it_opens_at(client, published):
    """The snippet comes from the section the link opens at (its first section that matches),
    not from the whole report: a later section that also matches is not quoted."""
    _, public, _ = published
    public.background_and_advice = "<p>The library hours were reviewed last spring.</p>"
    public.consultations = "<p>The parish council of Bilsborrow was consulted on the hours.</p>"
    public.implications = "<p>Longer hours at Bilsborrow need new shelving and staff.</p>"
    public.save()
    page = client.get(reverse("committee:search") + "?q=Bilsborrow").content.decode()
    result = page.split('<ol class="results">')[1].split("</ol>")[0]
    assert f'href="{public.get_absolute_url()}#consultations"' in result
    snippet = result.split('<p class="snippet">')[1].split("</p>")[0]
    assert "parish council of <mark>Bilsborrow</mark> was consulted" in snippet
    assert "shelving" not in snippet and "reviewed" not in snippet


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search")
def test_a_search_result_marks_the_words_as_the_search_stemmed_them(client, published):
    _, public, _ = published
    public.risk_management = "<p>Parents were <strong>consulted</strong> on Consultations &amp; buses.</p>"
    public.save()
    page = client.get(reverse("committee:search") + "?q=consultation").content.decode()
    result = page.split('<ol class="results">')[1].split("</ol>")[0]
    assert f'href="{public.get_absolute_url()}#risk_management"' in result
    assert "Parents were <mark>consulted</mark> on <mark>Consultations</mark> &amp; buses." in result


def _snippets(page: str) -> list[str]:
    results = page.split('<ol class="results">')[1].split("</ol>")[0]
    return [part.split("</p>")[0] for part in results.split('<p class="snippet">')[1:]]


def _pdf_appendix(report, text: str) -> Appendix:
    """An appendix uploaded as a PDF, with `text` as the text taken from it."""
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(1), content_type="application/pdf")
    return Appendix.objects.create(
        report=report, letter="A", title="Survey", kind="document", document=upload, document_text=text
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the snippet is cut in PostgreSQL")
def test_a_match_near_the_end_of_a_long_pdf_gives_a_short_snippet(client, published):
    """The text of an uploaded PDF can be a megabyte: the snippet shows the words matched near
    its end, and only the text around them is read from the database."""
    _, public, _ = published
    filler = "The council reviewed the road maintenance plan for each district. " * 6000  # ~400 KB
    _pdf_appendix(public, filler + "The ZX-EXEMPT-4471 appeal concerned school transport to Bilsborrow.")
    from committee.portal import search

    hits = search.search(query="Bilsborrow appeal", reader=gate.reader_for(None)).results
    (row,) = search.Appendix.objects.filter(pk=hits[0].pk).annotate(
        found=search._first_match(search.SOURCE_BY_KIND["Appendix"], "Bilsborrow appeal")
    )
    assert len(row.found) < 7000  # not the whole text
    (snippet,) = _snippets(client.get(reverse("committee:search") + "?q=Bilsborrow+appeal").content.decode())
    assert "The ZX-EXEMPT-4471 <mark>appeal</mark> concerned school transport to <mark>Bilsborrow</mark>." in snippet
    assert len(snippet) < 400


def test_a_less_than_sign_in_the_text_of_a_pdf_is_not_taken_for_a_tag(client, published):
    _, public, _ = published
    _pdf_appendix(
        public,
        "Costs < 5m were approved. "
        + "The road maintenance plan was reviewed for each district. " * 50
        + "The budget was set for the year ahead by the board. Growth > 2% was expected.",
    )
    (snippet,) = _snippets(client.get(reverse("committee:search") + "?q=budget").content.decode())
    assert "each district. The <mark>budget</mark> was set for the year ahead" in snippet
    assert "Growth &gt; 2% was expected." in snippet


@pytest.mark.skipif(connection.vendor != "postgresql", reason='"-word" is PostgreSQL\'s websearch syntax')
def test_a_query_of_words_to_leave_out_never_opens_an_empty_section(client, published):
    _, public, _ = published
    public.executive_summary = ""
    public.recommendation = "<p>The library hours be extended.</p>"
    public.save()
    for query in ["-transport", "budget or -transport"]:
        page = client.get(reverse("committee:search"), {"q": query}).content.decode()
        assert f'href="{public.get_absolute_url()}#executive_summary"' not in page
        assert f'href="{public.get_absolute_url()}#recommendation"' in page, query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="on SQLite the search reads the rows it shows")
def test_each_kind_of_result_is_read_in_one_query_with_its_title_and_link(published, django_assert_num_queries):
    """The page loads only the fields a result's title and link read (Source.result_fields):
    one left out would cost a query a result."""
    meeting, public, _ = published
    public.consultations = "<p>The parish council of Bilsborrow was consulted.</p>"
    public.save()
    item = AgendaItemFactory(meeting=meeting, title="Bilsborrow bus shelter", standing_text="<p>Bilsborrow</p>")
    Minute.objects.create(
        minutes=Minutes.objects.create(meeting=meeting), agenda_item=public.agenda_item, text="<p>Bilsborrow.</p>"
    )
    Appendix.objects.create(report=public, letter="A", title="Bilsborrow survey", kind="rich_text", body="<p>Hi</p>")
    from committee.portal import search

    officer = gate.Reader(is_officer=True)
    hits = search.search(query="Bilsborrow", reader=officer).results
    with django_assert_num_queries(4):  # reports, agenda items, minutes, appendices
        results = search.shown(hits, "Bilsborrow", reader=officer)
    report = public.get_absolute_url()
    assert {(result.kind, result.title, result.url, result.committee) for result in results} == {
        ("Report", public.title, f"{report}#consultations", meeting.committee.name),
        ("Agenda item", f"{item.number}. Bilsborrow bus shelter", item.get_absolute_url(), meeting.committee.name),
        (
            "Minutes",
            f"Minute {public.agenda_item.number}: {public.agenda_item.title}",
            f"{meeting.get_absolute_url()}#minutes",
            meeting.committee.name,
        ),
        (
            "Appendix",
            f"Appendix 'A': Bilsborrow survey, {public.title}",
            f"{report}#appendix-A",
            meeting.committee.name,
        ),
    }
    assert {result.when for result in results} == {meeting.starts_at}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="on SQLite the search reads the rows it counts")
def test_the_count_of_results_leaves_out_a_paper_made_part_ii_after_the_search(client, published, monkeypatch):
    """The rows shown are read through the gate again after the search: a report made Part II
    in between is not shown, and the count says so."""
    _, public, private = published
    from committee.portal import search

    hits = [search.Hit("Report", report.pk, 0.5, report.agenda_item.meeting.starts_at) for report in (public, private)]
    monkeypatch.setattr(search, "search", lambda **kwargs: hits)
    page = client.get(reverse("committee:search") + "?q=library").content.decode()
    assert len(_snippets(page)) == 1 and "<h2>1 result</h2>" in page


def test_documents_are_served_through_the_gate(client, published, councillor):
    _, public, private = published
    upload = lambda: SimpleUploadedFile("a.pdf", pdf_bytes(1), content_type="application/pdf")  # noqa: E731
    open_doc = Appendix.objects.create(report=public, letter="A", title="Map", kind="document", document=upload())
    closed_doc = Appendix.objects.create(report=private, letter="A", title="Letter", kind="document", document=upload())
    ok = client.get(reverse("committee:appendix-document", args=[open_doc.pk]))
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert b"".join(ok.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("committee:appendix-document", args=[closed_doc.pk])).status_code == 404
    client.force_login(councillor)
    restricted = client.get(reverse("committee:appendix-document", args=[closed_doc.pk]))
    assert restricted.status_code == 200
    assert restricted["Cache-Control"] == "private, no-store" and restricted["X-Robots-Tag"] == "noindex, nofollow"


def test_meeting_page_queries_do_not_grow_with_the_agenda(client, committee, officer, django_assert_num_queries):
    meeting = MeetingFactory(committee=committee)
    for n in (3, 13):
        while meeting.items.count() < n:
            ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting))
        if meeting.agenda_published_at is None:
            services.meeting_publish_agenda(meeting=meeting, by=officer)
            meeting.refresh_from_db()
        # 1 the meeting with committee and venue, 2 the items with reports and minutes_of,
        # 3 the ids the reader may read, 4 the minutes (none yet), 5 the ready agenda packs,
        # 6 the interests declared, 7 whether none were (interests.selectors.declared_at).
        with django_assert_num_queries(EXPECTED_MEETING_PAGE_QUERIES):
            assert client.get(meeting.get_absolute_url()).status_code == 200


EXPECTED_MEETING_PAGE_QUERIES = 7


def test_every_page_has_a_favicon_and_its_own_description(client, committee):
    from django.contrib.staticfiles import finders

    meeting = MeetingFactory(committee=committee)
    home = client.get("/").content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'rel="icon"' in home and finders.find("core/favicon.svg")
    assert client.get("/favicon.ico").status_code == 301
    described = [p.split('<meta name="description" content="')[1].split('"')[0] for p in (home, page)]
    assert described[0] != described[1] and committee.name in described[1]


def test_calendars_offer_a_subscription_as_well_as_a_download(client, committee):
    page = client.get(committee.get_absolute_url()).content.decode()
    assert f'href="webcal://testserver/committees/{committee.slug}/meetings.ics"' in page
    assert f'href="/committees/{committee.slug}/meetings.ics"' in page
    calendar = client.get("/meetings/").content.decode()
    assert 'href="webcal://testserver/meetings.ics"' in calendar


def test_a_part_i_item_after_a_part_ii_item_is_listed_under_part_i(client, published, officer):
    # Items added after publication go to the end of the agenda, after its Part II items.
    # The meeting page went on under the Part II heading, so an open item read as closed to
    # the public; the pack's front sheet opens Part I again, and so does the page now.
    meeting, public, private = published
    later = ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Highways maintenance update"))
    page = client.get(meeting.get_absolute_url()).content.decode()
    part_ii = page.index("Part II (Not Open to Press and Public)")
    part_i_again = page.index("Part I (Open to Press and Public)", part_ii)
    assert part_ii < page.index(f'id="item-{private.agenda_item.number}"') < part_i_again
    assert part_i_again < page.index(f'id="item-{later.agenda_item.number}"')
    assert later.get_absolute_url() in page


def test_a_part_ii_report_left_at_n_a_gives_its_items_grounds_as_its_reason(client, published, councillor):
    # The report was written for Part I ("Reason for inclusion in Part II: N/A"), then its item
    # was made Part II: the councillor read "N/A" beside the "Not for publication" banner.
    _, public, private = published
    assert private.reason_for_part_ii == "N/A"
    client.force_login(councillor)
    page = client.get(private.get_absolute_url()).content.decode()
    reason = page[page.index('id="part-ii-reason"') :]
    reason = reason[: reason.index("</section>")]
    assert "Not for publication by virtue of paragraphs 1 and 2 of Part 1 of Schedule 12A" in reason
    assert "The public interest in withholding outweighs disclosure." in reason and "N/A" not in reason
    assert "N/A" in client.get(public.get_absolute_url()).content.decode()  # a Part I paper as written
