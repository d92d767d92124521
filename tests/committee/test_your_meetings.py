"""A councillor's own page, "Your meetings", where signing in lands them: the meetings ahead
of the committees they sit on today (soonest first, with the packs they may read: the
confidential one only where there is Part II, and only for that committee's members),
papers published for those committees in the last fortnight, and recent meetings with
their minutes' state. Cancelled and postponed meetings are not listed among those to
prepare for but under "Called off": a councillor who had the date in the diary is told it
is off rather than finding it gone. Made for one person: never kept by the page cache."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee.models import AgendaPack, Meeting, Member, Minutes, Report
from tests.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    ReportFactory,
    exempt,
)

PAGE = reverse("committee:your-meetings")
pytestmark = pytest.mark.django_db


def _published(meeting: Meeting, *, days_ago: int = 3) -> Meeting:
    """Its agenda out `days_ago` days ago, as publication leaves it (the reports' first
    publication too)."""
    when = timezone.now() - timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(status="agenda_published", agenda_published_at=when)
    meeting.refresh_from_db()
    Report.objects.filter(agenda_item__meeting=meeting).update(first_published_at=when)
    return meeting


def _meeting(committee, *, days: int, title: str | None = None, part_ii: bool = False, published=True) -> Meeting:
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() + timedelta(days=days))
    if title:
        item = AgendaItemFactory(meeting=meeting, title=title)
        ReportFactory(agenda_item=item)
        if part_ii:
            exempt(item, 3)
    return _published(meeting) if published else meeting


def _pack(meeting, kind) -> AgendaPack:
    """A ready version, as a build leaves it (its file is not read here)."""
    return AgendaPack.objects.create(
        meeting=meeting, kind=kind, scope="full", status="ready", number=1, file=f"packs/{kind}-{meeting.pk}.pdf",
        pages=12, size=2048, finished_at=timezone.now(),
    )  # fmt: skip


def _section(page: str, heading_id: str) -> str:
    """The text of one section of the page, by its heading's id."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def audit(councillor):
    """A second committee the councillor sits on (a member of two committees)."""
    audit = CommitteeFactory(name="Audit, Risk and Governance Committee", slug="audit")
    MembershipFactory(committee=audit, member=councillor.member, role="vice_chair")
    return audit


def _signed_in(client, user):
    client.force_login(user)
    return client.get(PAGE).content.decode()


def test_a_member_of_two_committees_sees_both_committees_meetings_soonest_first(
    client, councillor, other_councillor, committee, audit
):
    theirs = other_councillor.member.memberships.get().committee
    _meeting(audit, days=20, title="Internal Audit Progress")
    _meeting(committee, days=9, title="Quarterly Performance")
    _meeting(theirs, days=5, title="Flood Risk Review")
    left = CommitteeFactory(name="Pension Fund Committee", slug="pensions")
    MembershipFactory(committee=left, member=councillor.member, end_date=date.today() - timedelta(days=1))
    _meeting(left, days=7, title="Pension Fund Valuation")

    page = _signed_in(client, councillor)
    ahead = _section(page, "ahead-heading")
    assert ahead.index(committee.name) < ahead.index(audit.name)  # 9 days before 20
    assert theirs.name not in page and left.name not in ahead  # not theirs; left yesterday
    papers = _section(page, "papers-heading")
    assert "Quarterly Performance" in papers and "Internal Audit Progress" in papers
    assert "Flood Risk Review" not in page and "Pension Fund Valuation" not in page
    # Where each one is, and its agenda's state.
    assert "Committee Room &#x27;B&#x27; (The Diamond Jubilee Room) - County Hall, Preston" in ahead
    assert ahead.count("Published ") == 2

    other = _signed_in(client, other_councillor)
    ahead = _section(other, "ahead-heading")
    assert theirs.name in ahead and "Flood Risk Review" in _section(other, "papers-heading")
    assert committee.name not in other and audit.name not in other


def test_a_draft_agenda_says_when_it_is_due(client, councillor, committee):
    meeting = _meeting(committee, days=30, published=False)
    ahead = _section(_signed_in(client, councillor), "ahead-heading")
    assert "Not yet published: due by" in ahead and f"{meeting.publication_deadline:%-d %B %Y}" in ahead
    assert "pack" not in ahead.lower()


def test_the_confidential_pack_is_offered_to_the_committees_members_where_there_is_part_ii(
    client, councillor, other_councillor, committee
):
    with_part_ii = _meeting(committee, days=10, title="Disposal of Land at Preston", part_ii=True)
    public, confidential = _pack(with_part_ii, "public"), _pack(with_part_ii, "confidential")
    # A confidential version built for a meeting with no Part II (before only such meetings
    # got one): the public pack again, not offered beside it.
    without = _meeting(committee, days=40, title="Library Opening Hours")
    public_only, needless = _pack(without, "public"), _pack(without, "confidential")

    ahead = _section(_signed_in(client, councillor), "ahead-heading")
    for pack in (public, confidential, public_only):
        assert f'href="{pack.get_absolute_url()}"' in ahead
    assert f'href="{needless.get_absolute_url()}"' not in ahead
    assert ahead.count("Agenda pack including Part II papers (not for publication)") == 1

    # A councillor of another committee: neither the meeting nor its packs, and the
    # confidential pack's address is "not found", as for the public.
    page = _signed_in(client, other_councillor)
    assert confidential.get_absolute_url() not in page and public.get_absolute_url() not in page
    assert client.get(confidential.get_absolute_url()).status_code == 404


def test_a_confidential_pack_still_being_prepared_is_said_to_its_readers_only(
    client, councillor, other_councillor, officer, committee
):
    """The public pack is ready and the confidential one is not (its build is queued): the
    committee's members and officers are told it is coming; nobody else learns of it."""
    meeting = _meeting(committee, days=10, title="Disposal of Land at Preston", part_ii=True)
    public = _pack(meeting, "public")
    AgendaPack.objects.create(meeting=meeting, kind="confidential", scope="full")  # queued
    without = _meeting(committee, days=40, title="Library Opening Hours")
    _pack(without, "public")
    coming = "Agenda pack including Part II papers (not for publication)"

    ahead = _section(_signed_in(client, councillor), "ahead-heading")
    assert f'href="{public.get_absolute_url()}"' in ahead
    assert ahead.count(coming) == 1 and ahead.count("Being prepared") == 1  # not for the meeting without Part II
    mine = ahead[ahead.index(meeting.get_absolute_url()) : ahead.index(without.get_absolute_url())]
    assert "Being prepared" in mine
    for user in (councillor, officer):
        client.force_login(user)
        assert "Being prepared" in client.get(meeting.get_absolute_url()).content.decode()
    # Another committee's councillor and the public: the public pack, and no word of another.
    for user in (other_councillor, None):
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert f'href="{public.get_absolute_url()}"' in page
        assert "Being prepared" not in page and coming not in page
    # Once it is ready, it is offered and no longer said to be coming.
    AgendaPack.objects.filter(meeting=meeting, kind="confidential").delete()
    ready = _pack(meeting, "confidential")
    ahead = _section(_signed_in(client, councillor), "ahead-heading")
    assert f'href="{ready.get_absolute_url()}"' in ahead and "Being prepared" not in ahead


def test_a_member_reads_the_new_part_ii_paper_and_it_is_marked(client, councillor, committee):
    meeting = _meeting(committee, days=10, title="Disposal of Land at Preston", part_ii=True)
    papers = _section(_signed_in(client, councillor), "papers-heading")
    report = meeting.items.get().report
    assert f'href="{report.get_absolute_url()}"' in papers and "Part II" in papers
    assert client.get(report.get_absolute_url()).status_code == 200


def test_papers_older_than_a_fortnight_are_not_new(client, councillor, committee):
    meeting = _meeting(committee, days=10, title="Waste Strategy")
    _published(meeting, days_ago=15)
    assert "Waste Strategy" not in _section(_signed_in(client, councillor), "papers-heading")


def test_called_off_meetings_are_listed_as_called_off_not_as_meetings_to_prepare_for(client, councillor, committee):
    cancelled = _meeting(committee, days=12, title="Highways Update")
    _pack(cancelled, "public")
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled", status_reason="Not quorate.")
    postponed = _meeting(committee, days=14, published=False)
    Meeting.objects.filter(pk=postponed.pk).update(status="postponed")

    ahead = _section(_signed_in(client, councillor), "ahead-heading")
    prepare, called_off = ahead.split("<h3>Called off</h3>")
    assert "None of your committees has a meeting arranged." in prepare
    assert f'href="{cancelled.get_absolute_url()}"' in called_off and "Cancelled" in called_off
    assert f'href="{postponed.get_absolute_url()}"' in called_off and "Postponed" in called_off
    assert "/packs/" not in ahead


def test_recent_meetings_say_whether_their_minutes_are_published(client, councillor, committee):
    minuted = _meeting(committee, days=-20, title="Budget Monitoring")
    Minutes.objects.create(meeting=minuted, published_at=timezone.now() - timedelta(days=2))
    awaited = _meeting(committee, days=-6, title="Treasury Management")
    Minutes.objects.create(meeting=awaited)  # a draft: not published
    cancelled = _meeting(committee, days=-3)
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled")

    recent = _section(_signed_in(client, councillor), "recent-heading")
    rows = re.findall(r"<li class=\"meeting-row\">.*?</li>", recent, re.S)
    assert len(rows) == 2  # newest first; the cancelled meeting was never held
    assert awaited.get_absolute_url() in rows[0] and "Minutes not yet published" in rows[0]
    assert f'href="{minuted.get_absolute_url()}#minutes">Minutes</a> published' in rows[1]


def test_the_public_is_sent_to_sign_in_and_back(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={PAGE}"


@pytest.mark.parametrize("who", ["officer", "resident"])
def test_a_login_that_is_no_councillors_is_told_so(client, officer, django_user_model, who):
    user = officer if who == "officer" else django_user_model.objects.create_user("resident")
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your sign-in is not linked to a councillor" in page
    assert (reverse("admin:index") in page) == (who == "officer")


LINK = f'<a href="{PAGE}">Your meetings</a>'


@pytest.fixture
def officer_on_a_committee(officer, committee):
    """An officer who is also a councillor (a member of the committee, as some are)."""
    MembershipFactory(committee=committee, member=MemberFactory(name="Jennifer Mein", user=officer))
    return officer


def test_the_header_links_a_councillor_to_their_meetings_and_nobody_else(
    client, councillor, author, officer_on_a_committee
):
    assert LINK not in client.get("/").content.decode()
    client.force_login(author)  # staff, no councillor
    assert LINK not in client.get("/").content.decode()
    for user in (councillor, officer_on_a_committee):
        client.force_login(user)
        assert LINK in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["councillor", "officer_on_a_committee"])
def test_the_header_asks_no_query_for_the_link(client, request, django_assert_num_queries, who):
    """Every page a signed-in person opens shows or leaves out the link: their councillor
    record comes with the query for them that every signed-in request makes."""
    client.force_login(request.getfixturevalue(who))
    page = reverse("committee:accessibility")  # a page that reads nothing of its own
    client.get(page)  # the first page after signing in settles two-factor in the session
    # The session and its user (with their councillor record): nothing for the header.
    with django_assert_num_queries(2):
        response = client.get(page)
    assert LINK in response.content.decode()


def test_linking_and_unlinking_a_councillors_login_shows_on_their_next_page(client, django_user_model, committee):
    user = django_user_model.objects.create_user("cllr.new")
    client.force_login(user)
    assert LINK not in client.get("/").content.decode()
    member = MemberFactory(name="Alan Cullens", user=user)
    MembershipFactory(committee=committee, member=member)
    assert LINK in client.get("/").content.decode()  # no sign-out and in again needed
    assert "Alan Cullens" in client.get(PAGE).content.decode()
    Member.objects.filter(pk=member.pk).update(user=None)  # linked to the wrong login, say
    assert LINK not in client.get("/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "Your sign-in is not linked to a councillor" in page and "Alan Cullens" not in page


def test_a_session_signed_in_before_the_councillors_record_came_with_the_login_still_works(client, councillor):
    """A session names the backend that signed it in: one signed in by Django's own is not
    signed out (it would lose a form being filled in) and still gets its link."""
    client.force_login(councillor, backend="django.contrib.auth.backends.ModelBackend")
    assert LINK in client.get("/").content.decode()
    assert "Geoff Driver" in client.get(PAGE).content.decode()


def test_an_officer_on_a_committee_reaches_their_meetings_from_the_admin_too(client, officer_on_a_committee):
    client.force_login(officer_on_a_committee)
    assert LINK in client.get(reverse("admin:index")).content.decode()
    page = client.get(PAGE).content.decode()
    assert "Jennifer Mein" in page and "Cabinet Committee on Performance Improvement" in page


def test_the_page_is_private(client, councillor):
    client.force_login(councillor)
    control = client.get(PAGE)["Cache-Control"]
    assert "private" in control and "no-store" in control


@pytest.mark.parametrize("meetings", [1, 4])
def test_the_page_reads_in_the_same_queries_however_many_meetings(
    client, councillor, committee, audit, django_assert_num_queries, meetings
):
    for n in range(meetings):
        for each in (committee, audit):
            meeting = _meeting(each, days=5 + n, title=f"Report {n}", part_ii=True)
            _pack(meeting, "public"), _pack(meeting, "confidential")
            _meeting(each, days=-5 - n)
    client.force_login(councillor)
    # The session, its user with their councillor record, the reader's committees (the
    # gate); then the page: the councillor's committees, the meetings ahead going ahead, those
    # called off, the new papers through the gate, the recent meetings with their minutes'
    # state, and the packs of every meeting ahead in one query through the gate.
    with django_assert_num_queries(3 + 6):
        response = client.get(PAGE)
    assert response.content.decode().count("Agenda pack including Part II papers") == 2 * meetings


@pytest.mark.django_db(transaction=True)
@pytest.mark.page_cache
def test_the_page_cache_never_gives_one_councillor_anothers_page(councillor, other_councillor, committee, settings):
    """With the anonymous page cache on, as in production: each councillor, asking twice,
    gets their own page each time, never a kept one; the public is still sent to sign in."""
    caches[settings.QUORUM_PAGE_CACHE].clear()
    _meeting(committee, days=10, title="Disposal of Land at Preston", part_ii=True)
    _meeting(other_councillor.member.memberships.get().committee, days=5, title="Flood Risk Review")
    on, off = Client(), Client()
    on.force_login(councillor)
    off.force_login(other_councillor)
    for _ in range(2):
        for client, own, not_own in ((on, "Disposal of Land", "Flood Risk"), (off, "Flood Risk", "Disposal of Land")):
            response = client.get(PAGE)
            assert "X-Page-Cache" not in response
            assert own in response.content.decode() and not_own not in response.content.decode()
        anonymous = Client().get(PAGE)
        assert anonymous.status_code == 302 and "X-Page-Cache" not in anonymous
