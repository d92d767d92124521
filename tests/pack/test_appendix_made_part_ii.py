"""An appendix made Part II on its report's page after publication, as an officer does it:
the public versions that printed it are withdrawn (their addresses answer 410), and the
version built next prints the report without it."""

import pytest
from django.test import Client

from committee.models import AgendaPack
from committee.pack import services as pack_services
from tests.gate_surfaces import text_of

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
    data = form_data(officers.get(change_url(report)))
    [n] = [n for n in range(int(data["appendices-TOTAL_FORMS"][0])) if data[f"appendices-{n}-letter"] == ["A"]]
    data = with_values(
        data,
        **{
            f"appendices-{n}-access": "exempt",
            f"appendices-{n}-paragraphs": ["1"],
            f"appendices-{n}-public_interest_reasons": "It names the Treasurer's staff.",
        },
    )
    response = officers.post(change_url(report), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    public.refresh_from_db()
    assert public.withdrawn_at is not None and "item 4" in public.withdrawal_reason
    assert client.get(public.get_absolute_url()).status_code == 410
    queued = AgendaPack.objects.get(meeting=agenda, kind="public", status="queued")
    rebuilt = pack_services.pack_build(pack_id=queued.pk)
    text = text_of(client.get(rebuilt.get_absolute_url()))
    assert "Revenue Budget Monitoring" in text and "the Treasurer writes" not in text
