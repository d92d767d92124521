"""Part II items come after the Part I items (docs/officers-guide.md, "Reordering the
agenda") whichever page changes the agenda, not only on the reorder page: an item added,
standing items added, an item made Part II or made Part I again. The reorder page refuses an
order saved from a page drawn before a colleague changed the agenda, and a new order of a
published agenda makes a new pack version, as any other change to its papers does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import AgendaItem, AgendaPack, Meeting
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

from ..core.admin_pages import add_url, change_url, form_data, with_values

pytestmark = pytest.mark.django_db


def agenda(meeting) -> list[tuple[str, str, str]]:
    return [(item.number, item.title, item.access) for item in meeting.items.order_by("order")]


@pytest.fixture
def meeting():
    """An agenda of two Part I items and a Part II item, numbered 1 to 3 in order."""
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, order=1, number="1", title="Apologies for Absence")
    AgendaItemFactory(meeting=meeting, order=2, number="2", title="Highways Maintenance")
    exempt(AgendaItemFactory(meeting=meeting, order=3, number="3", title="Disposal of Land"), 3)
    return meeting


def test_an_item_added_on_its_own_page_goes_before_the_part_ii_items(client, officer, meeting):
    client.force_login(officer)
    data = form_data(client.get(add_url(AgendaItem) + f"?meeting={meeting.pk}"))
    data = with_values(
        data, meeting=str(meeting.pk), order="4", number="4", title="Library Opening Hours", kind="report"
    )
    response = client.post(add_url(AgendaItem) + f"?meeting={meeting.pk}", data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors

    assert agenda(meeting) == [
        ("1", "Apologies for Absence", "public"),
        ("2", "Highways Maintenance", "public"),
        ("3", "Library Opening Hours", "public"),
        ("4", "Disposal of Land", "exempt"),
    ]


def test_standing_items_added_to_an_agenda_go_before_its_part_ii_items(officer, meeting):
    services.agenda_items_from_standing(meeting=meeting, by=officer)

    parts = [access for _, _, access in agenda(meeting)]
    assert parts == sorted(parts, key=lambda access: access != "public"), agenda(meeting)
    assert [number for number, _, _ in agenda(meeting)] == [str(n) for n in range(1, len(parts) + 1)]


def test_an_item_made_part_ii_on_its_page_goes_after_the_part_i_items_and_the_officer_is_told(client, officer, meeting):
    item = meeting.items.get(title="Apologies for Absence")
    client.force_login(officer)
    data = with_values(
        form_data(client.get(change_url(item))),
        access="exempt",
        paragraphs=["1"],
        public_interest_reasons="Names a member of staff.",
    )
    response = client.post(change_url(item), data, follow=True)
    assert response.status_code == 200

    assert agenda(meeting) == [
        ("1", "Highways Maintenance", "public"),
        ("2", "Apologies for Absence", "exempt"),
        ("3", "Disposal of Land", "exempt"),
    ]
    assert "Part II items stay after the Part I items" in response.content.decode()


def test_an_item_made_part_i_again_goes_before_the_part_ii_items(officer):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, order=1, number="1", title="Apologies for Absence")
    exempt(AgendaItemFactory(meeting=meeting, order=2, number="2", title="Disposal of Land"), 3)
    depot = exempt(AgendaItemFactory(meeting=meeting, order=3, number="3", title="Highways Depot Lease"), 3)
    depot.access, depot.paragraph_numbers, depot.public_interest_reasons = "public", (), ""
    depot.save()

    moved = services.agenda_keep_part_ii_last(meeting=meeting)

    assert [item.title for item in moved] == ["Disposal of Land"]
    assert agenda(meeting) == [
        ("1", "Apologies for Absence", "public"),
        ("2", "Highways Depot Lease", "public"),
        ("3", "Disposal of Land", "exempt"),
    ]


def test_a_published_agenda_keeps_its_numbers_when_an_item_is_moved_after_the_part_i_items(officer, meeting):
    # The public, the press and the minutes cite a published agenda's numbers: the order
    # follows the rule; the numbers stay as published.
    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Urgent.")
    exempt(meeting.items.get(title="Apologies for Absence"), 1)

    services.agenda_keep_part_ii_last(meeting=meeting)

    assert agenda(meeting) == [
        ("2", "Highways Maintenance", "public"),
        ("1", "Apologies for Absence", "exempt"),
        ("3", "Disposal of Land", "exempt"),
    ]


# The reorder page -------------------------------------------------------------------------


def _reorder_page(client, meeting) -> dict[str, list[str]]:
    response = client.get(reverse("admin:committee_meeting_reorder", args=[meeting.pk]))
    assert response.status_code == 200
    return form_data_of(response)


def form_data_of(response) -> dict[str, list[str]]:
    import lxml.html

    page = lxml.html.fromstring(response.content.decode())
    form = page.get_element_by_id("reorder-form")
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def test_an_order_saved_from_a_page_opened_before_a_colleagues_change_is_refused(client, officer, meeting):
    url = reverse("admin:committee_meeting_reorder", args=[meeting.pk])
    client.force_login(officer)
    first_tab = _reorder_page(client, meeting)
    second_tab = _reorder_page(client, meeting)
    apologies, highways, _ = first_tab["order"]

    # The first tab moves Highways Maintenance to the top and saves.
    saved = with_values(first_tab, order=[highways, apologies, first_tab["order"][2]], save="1")
    assert client.post(url, saved).status_code == 302
    before = agenda(meeting)
    assert before[0][1] == "Highways Maintenance"

    # The second tab, drawn before that, saves its order untouched: refused, nothing changed.
    response = client.post(url, with_values(second_tab, save="1"), follow=True)
    assert response.status_code == 200
    assert agenda(meeting) == before
    assert "While you had this page open" in response.content.decode()
    # Its move buttons are refused too: the item it names is no longer where that page showed it.
    response = client.post(url, with_values(second_tab, move=f"up:{highways}"), follow=True)
    assert agenda(meeting) == before and "While you had this page open" in response.content.decode()


def test_a_new_order_of_a_published_agenda_makes_a_new_pack_version(client, officer, meeting):
    for item in meeting.items.all():
        ReportFactory(agenda_item=item) if item.kind == "report" else None
    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Urgent.")
    AgendaPack.objects.filter(meeting=meeting).delete()
    url = reverse("admin:committee_meeting_reorder", args=[meeting.pk])
    client.force_login(officer)
    page = _reorder_page(client, meeting)
    apologies, highways, land = page["order"]

    synced_at = timezone.now()

    response = client.post(url, with_values(page, order=[highways, apologies, land], save="1"))

    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).items.order_by("order").first().title == "Highways Maintenance"
    assert AgendaPack.objects.filter(meeting=meeting, kind="public", status="queued").exists()
    # The page as it comes keeps a published agenda's numbers (the public and the minutes
    # cite them); a client of the API that keeps a copy of the agenda is told of the moves.
    changed = client.get("/api/agenda-items/", {"modified_since": synced_at.isoformat()}).json()["results"]
    assert {(row["number"], row["title"]) for row in changed} == {
        ("2", "Highways Maintenance"),
        ("1", "Apologies for Absence"),
    }
    # Renumbered on purpose, the new numbers are told too.
    synced_at = timezone.now()
    page = _reorder_page(client, meeting)
    assert client.post(url, with_values(page, renumber="1", save="1")).status_code == 302
    changed = client.get("/api/agenda-items/", {"modified_since": synced_at.isoformat()}).json()["results"]
    assert {(row["number"], row["title"]) for row in changed} == {
        ("1", "Highways Maintenance"),
        ("2", "Apologies for Absence"),
    }


def test_an_untouched_save_moves_nothing_on_an_agenda_kept_in_another_order(client, officer):
    # As imported from ModernGov: a Part II item with a Part I item after it.
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, order=1, number="1", title="Apologies for Absence")
    exempt(AgendaItemFactory(meeting=meeting, order=2, number="2", title="Disposal of Land"), 3)
    last = AgendaItemFactory(meeting=meeting, order=3, number="3", title="Date of Next Meeting")
    before = agenda(meeting)
    client.force_login(officer)

    assert client.post(change_url(last), form_data(client.get(change_url(last)))).status_code == 302
    meeting_page = form_data(client.get(change_url(meeting)))
    assert client.post(change_url(meeting), meeting_page).status_code == 302

    assert agenda(meeting) == before


def test_an_item_moved_or_renumbered_by_a_reorder_has_it_in_its_history(client, officer, meeting):
    """The reorder writes each item's place and number past the model's save: each item it
    moved or renumbered has a row in its history, by the officer who reordered, and an item
    it left where it was has none."""
    client.force_login(officer)
    page = _reorder_page(client, meeting)
    apologies, highways, land = page["order"]
    rows = {pk: AgendaItem.history.filter(id=pk).count() for pk in (apologies, highways, land)}

    response = client.post(
        reverse("admin:committee_meeting_reorder", args=[meeting.pk]),
        with_values(page, order=[highways, apologies, land], save="1"),
    )

    assert response.status_code == 302
    for pk in (highways, apologies):
        latest = AgendaItem.history.filter(id=pk).latest("history_id")
        assert AgendaItem.history.filter(id=pk).count() == rows[pk] + 1
        assert latest.history_user_id == officer.pk and latest.order == (1 if pk == highways else 2)
    assert AgendaItem.history.filter(id=land).count() == rows[land]


def test_an_items_page_opened_before_a_reorder_is_refused_not_saved_over_it(client, officer, meeting):
    """An officer opens an item's page; a colleague then renumbers the agenda. Saving that
    page is refused as a stale copy, saying what changed (before, only the unique number and
    place checks refused it, without saying why), and the new number stays."""
    highways = meeting.items.get(title="Highways Maintenance")
    client.force_login(officer)
    stale = form_data(client.get(change_url(highways)))
    ids = [highways.pk, *meeting.items.exclude(pk=highways.pk).order_by("order").values_list("pk", flat=True)]
    services.agenda_reorder(meeting=meeting, ordered_item_ids=ids, renumber=True)

    response = client.post(change_url(highways), with_values(stale, title="Highways Maintenance 2027"))

    assert response.status_code == 200
    assert "another officer saved a change to number and order" in response.content.decode()
    highways.refresh_from_db()
    assert (highways.number, highways.title) == ("1", "Highways Maintenance")
