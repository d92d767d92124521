"""The rich-text editor in every rich-text field of the admin: the field's widget, what the
editor offers against what the sanitiser keeps, text the editor writes its own way, and the
plain-text fields that refuse HTML tags."""

import json

import lxml.html
import pytest
from django.test import Client
from django_prose_editor.config import allowlist_from_extensions

from core.editor import EXTENSIONS, RichTextEditor
from core.forms import PLAIN_TEXT_MESSAGE
from core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, same_rich_text
from tests.factories import ReportFactory

from .admin_pages import change_url, form_data, with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    return client


def test_every_rich_text_field_of_a_report_gets_the_editor(officer_client):
    report = ReportFactory()
    page = lxml.html.fromstring(officer_client.get(change_url(report)).content.decode())
    editors = {area.get("name") for area in page.xpath("//textarea[@data-richtext]")}
    assert {"executive_summary", "recommendation", "background_and_advice", "risk_management"} <= editors
    assert "reason_for_part_ii" not in editors  # plain text: no editor
    # The editor's own module, not an inline script or an import map (Content-Security-Policy).
    assert page.xpath('//script[@type="module"][contains(@src, "core/richtext-editor.js")]')
    assert not page.xpath('//script[@type="importmap"]')
    config = json.loads(page.xpath('//textarea[@name="executive_summary"]')[0].get("data-richtext"))
    assert config["extensions"]["Heading"] == {"levels": [3, 4, 5]}


def test_the_editor_offers_what_the_sanitiser_keeps():
    theirs = {name: config for name, config in EXTENSIONS.items() if name not in {"Abbreviation", "TrailingNode"}}
    offered = allowlist_from_extensions(theirs)
    # Our own extension (<abbr>) and the header cell's scope are added in the editor's module.
    tags = set(offered["tags"]) | {"abbr"}
    # The editor's wrappers that the sanitiser unwraps harmlessly (ProseMirror writes them).
    assert tags - ALLOWED_TAGS <= {"tbody", "thead"} or tags - ALLOWED_TAGS == set(), tags - ALLOWED_TAGS
    # <b>, <i> are read as bold and italic, <h2> as the top heading (the module), <caption> is
    # edited as HTML (the widget).
    assert ALLOWED_TAGS - tags <= {"caption", "b", "i", "h2"}, ALLOWED_TAGS - tags
    assert "type" in offered["attributes"]["ol"]  # (i) and (a) lists
    assert {"href", "title"} <= set(offered["attributes"]["a"])
    assert ALLOWED_ATTRIBUTES["ol"] <= set(offered["attributes"]["ol"])


def test_text_with_a_caption_is_edited_as_html_and_says_so():
    html = RichTextEditor().render(
        "body", "<table><caption>Figures</caption><tr><td>1</td></tr></table>", {"id": "id_body"}
    )
    assert "data-richtext" not in html
    assert "which the editor cannot keep" in html
    assert "data-richtext" in RichTextEditor().render("body", "<p>Text</p>", {"id": "id_body"})


def test_what_the_editor_writes_for_stored_text_reads_the_same():
    stored = "<p>Costs <b>rose</b>.</p>\n<ul><li>one</li><li>two &amp; three</li></ul>\n<ol><li>first</li></ol>"
    from_editor = (
        "<p>Costs <strong>rose</strong>.</p><ul><li><p>one</p></li><li><p>two &amp; three</p></li></ul>"
        '<ol start="1" type="1" data-type="decimal"><li><p>first</p></li></ol>'
    )
    assert same_rich_text(stored, from_editor)
    assert not same_rich_text(stored, from_editor.replace("rose", "fell"))
    assert not same_rich_text("<ol><li>a</li></ol>", '<ol type="i"><li>a</li></ol>')


def test_a_save_keeps_stored_text_the_editor_rewrote_without_changing_it(officer_client):
    stored = "<p>Costs <b>rose</b>.</p>\n<ul><li>one</li></ul>"
    report = ReportFactory(executive_summary=stored)
    url = change_url(report)
    data = form_data(officer_client.get(url))
    changed = with_values(
        data,
        executive_summary="<p>Costs <strong>rose</strong>.</p><ul><li><p>one</p></li></ul>",
        title="A new title",
    )
    assert officer_client.post(url, changed).status_code == 302
    report.refresh_from_db()
    assert report.title == "A new title"
    assert report.executive_summary == stored


def test_a_real_edit_in_the_editor_is_saved(officer_client):
    report = ReportFactory(executive_summary="<p>Costs rose.</p>")
    url = change_url(report)
    data = with_values(
        form_data(officer_client.get(url)),
        executive_summary='<h3>Costs</h3><ol type="i" data-type="lower-roman"><li><p>rose</p></li></ol>',
    )
    assert officer_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.executive_summary == '<h3>Costs</h3><ol type="i"><li><p>rose</p></li></ol>'


def test_html_in_a_plain_text_field_is_refused_at_the_field(officer_client):
    report = ReportFactory()
    url = change_url(report)
    typed = "<p>Not for publication by virtue of <b>paragraph 3</b>.</p>"
    response = officer_client.post(url, with_values(form_data(officer_client.get(url)), reason_for_part_ii=typed))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["reason_for_part_ii"] == [PLAIN_TEXT_MESSAGE]
    assert "Not for publication by virtue of" in response.content.decode()  # what was typed is kept
    report.refresh_from_db()
    assert "<b>" not in report.reason_for_part_ii


def test_plain_text_with_a_less_than_sign_is_not_taken_for_html(officer_client):
    report = ReportFactory()
    url = change_url(report)
    reason = "Paragraph 3: prices < £10,000 & terms > 5 years."
    response = officer_client.post(url, with_values(form_data(officer_client.get(url)), reason_for_part_ii=reason))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reason_for_part_ii == reason


def test_html_typed_into_a_plain_text_field_becomes_its_words():
    from core.richtext import html_as_text

    typed = "<p>Not for publication by virtue of <b>paragraph 3</b>.</p><ul><li>Prices &amp; terms</li></ul>"
    assert html_as_text(typed) == "Not for publication by virtue of paragraph 3.\nPrices & terms"
    assert html_as_text("Prices < £10,000") == "Prices < £10,000"
