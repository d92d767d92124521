"""An appendix made Part II on its report's page after publication, as an officer does it:
the public versions that printed it are withdrawn (their addresses answer 410), and the
version built next prints the report without it."""

import pytest
from django.test import Client

from committee.models import AgendaPack
from committee.pack import services as pack_services
from tests.gate_surfaces import appendices_made_part_ii_in_the_admin, item_made_part_ii_in_the_admin, text_of

from ..core.admin_pages import change_url, form_data, with_values
from .conftest import build

pytestmark = pytest.mark.django_db


def test_an_appendix_made_part_ii_on_its_reports_page_withdraws_the_public_versions_that_printed_it(
    agenda, client, officer
):
    public = build(agenda, "public")
    assert "the Treasurer writes" in text_of(client.get(public.get_absolute_url()))
    report = agenda.items.get(number="4").report

    officers = Client()
    officers.force_login(officer)
    appendices_made_part_ii_in_the_admin(officers, report, letters={"A"}, paragraph=1, reasons="It names staff.")

    public.refresh_from_db()
    assert public.withdrawn_at is not None and "item 4" in public.withdrawal_reason
    assert client.get(public.get_absolute_url()).status_code == 410
    queued = AgendaPack.objects.get(meeting=agenda, kind="public", status="queued")
    rebuilt = pack_services.pack_build(pack_id=queued.pk)
    text = text_of(client.get(rebuilt.get_absolute_url()))
    assert "Revenue Budget Monitoring" in text and "the Treasurer writes" not in text


def test_the_public_is_told_that_the_pack_printing_an_item_made_part_ii_is_withdrawn(agenda, client, officer):
    """Subscribers are told of the change; for an item made Part II after publication the
    public version that printed it is withdrawn, which the message says, rather than that
    the public pack "stays as it was" (true only of a paper that was Part II already)."""
    from alerts.models import Event
    from alerts.selectors import event_message

    build(agenda, "public")
    officers = Client()
    officers.force_login(officer)

    # A Part I item made Part II; then the report of an item that was Part II already corrected.
    item_made_part_ii_in_the_admin(officers, agenda.items.get(number="5"))
    report = agenda.items.get(number="7").report
    data = with_values(form_data(officers.get(change_url(report))), recommendation="<p>Agree.</p>")
    assert officers.post(change_url(report), data).status_code == 302

    made_part_ii, corrected = (
        " ".join(event_message(event).lines)
        for event in Event.objects.filter(meeting=agenda, kind="paper_changed").order_by("pk")
    )
    assert "is withdrawn" in made_part_ii and "stays as it was" not in made_part_ii
    assert "stays as it was" in corrected and "withdrawn" not in corrected


def test_an_item_made_part_ii_on_the_meetings_page_is_told_as_on_its_own(agenda, officer):
    """The meeting's page edits its items too: an item made Part II there after publication is
    told to subscribers as one made Part II on its own page (the public version that printed
    it is withdrawn), not left untold."""
    from alerts.models import Event
    from alerts.selectors import event_message

    build(agenda, "public")
    officers = Client()
    officers.force_login(officer)
    data = form_data(officers.get(change_url(agenda)))
    [row] = [key.removesuffix("-number") for key, value in data.items() if key.endswith("-number") and value == ["5"]]
    data = with_values(
        data,
        **{
            f"{row}-access": "exempt",
            f"{row}-paragraphs": ["3"],
            f"{row}-public_interest_reasons": "Commercial terms still being negotiated.",
        },
    )
    response = officers.post(change_url(agenda), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    [event] = Event.objects.filter(meeting=agenda, kind="paper_changed")
    message = " ".join(event_message(event).lines)
    assert "is withdrawn" in message and "stays as it was" not in message
